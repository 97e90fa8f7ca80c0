r"""Numerical amplitudes, spin by spin, from explicit spinors and polarisation vectors.

Nothing here uses trace algebra or the closed forms of :mod:`helpers.decays`: the
functions build ubar Gamma u for every spin and polarisation state at given
momenta and sum |M|^2.  They are the independent check of the derived widths
(and, later, of the production cross sections).

All functions are vectorised over phase-space points: momenta of shape (N, 4).
Couplings are set to one (d = 1 GeV^-1, unit fermion couplings) unless passed.
"""

from __future__ import annotations

import numpy as np

from . import dirac as D
from . import sm
from .validation import choice


def dipole_vertex(q, chirality: str = "R"):
    """Gamma^nu = 2 i sigma^{mu nu} q_mu P_{R/L} for a boson of momentum q: shape (N, 4[nu], 4, 4)."""
    proj = D.P_R if choice(chirality, ("R", "L"), "chirality") == "R" else D.P_L
    return 2j * np.einsum("...m,mnab,bc->...nac", D.lower(q).astype(complex), D.SIGMA, proj)


def msq_N_to_l_V(p_N, k_l, q, m_N, m_l, M=None):
    """sum over all spins and polarisations of |M(N -> l V)|^2 for d = 1 (not averaged).

    ``M=None``: massless photon (two transverse polarisations); otherwise a massive
    vector of mass M (three polarisations).
    """
    gam = dipole_vertex(q, "R")
    uN = D.u_spinors(p_N, m_N)
    ul = D.u_spinors(k_l, m_l)
    eps = D.polarizations(q, M)
    total = np.zeros(np.shape(p_N)[0])
    for sN in range(2):
        for sl in range(2):
            current = D.sandwich(D.bar(ul[sl]), gam, uN[sN])  # (N, 4) upper index nu
            for e in eps:
                amp = np.sum(current * D.lower(e), axis=-1)
                total += np.abs(amp) ** 2
    return total


def msq_V_to_N_nubar(q, p_N, k_nu, m_N, M):
    """sum over spins and polarisations of |M(V -> N nu-bar)|^2, d = 1 (not averaged)."""
    gam = -dipole_vertex(q, "L")  # incoming boson: q flows into the vertex
    uN = D.u_spinors(p_N, m_N)
    vnu = D.v_spinors(k_nu, 0.0)
    eps = D.polarizations(q, M)
    total = np.zeros(np.shape(q)[0])
    for sN in range(2):
        for sn in range(2):
            current = D.sandwich(D.bar(uN[sN]), gam, vnu[sn])
            for e in eps:
                total += np.abs(np.sum(current * D.lower(e), axis=-1)) ** 2
    return total


def vector_current(p1, m1, p2, m2, g_v, g_a):
    """ubar(p1) gamma^rho (g_v - g_a gamma5) v(p2) for all 4 spin combinations: shape (4, N, 4)."""
    u1 = D.u_spinors(p1, m1)
    v2 = D.v_spinors(p2, m2)
    mat = D.GAMMA @ (g_v * D.ID4 - g_a * D.GAMMA5)  # (4[rho], 4, 4)
    out = []
    for s1 in range(2):
        for s2 in range(2):
            out.append(D.sandwich(D.bar(u1[s1]), mat, v2[s2]))
    return np.array(out)


def msq_V_to_f_fbar(q, p1, m1, p2, m2, M, g_v, g_a):
    """sum |M(V -> f fbar)|^2 over spins and the 3 polarisations of a vector of mass M (unit gauge coupling)."""
    cur = vector_current(p1, m1, p2, m2, g_v, g_a)
    eps = D.polarizations(q, M)
    total = np.zeros(np.shape(q)[0])
    for c in cur:
        for e in eps:
            total += np.abs(np.sum(c * D.lower(e), axis=-1)) ** 2
    return total


def msq_N_to_nu_f_fbar(p_N, k_nu, p1, p2, m_N, m_f, M, Gamma, g_v, g_a):
    """sum |M|^2 of N -> nu f fbar through an off-shell vector (unitary-gauge propagator).

    M = [ubar_nu Gamma^nu u_N] (-g_{nu rho} + q_nu q_rho/M^2)/(q^2 - M^2 + i M Gamma) [ubar_f gamma^rho (g_v - g_a g5) v_fbar],
    with d = 1 and unit gauge coupling.  No factorisation is assumed.
    """
    q = p1 + p2
    gam = dipole_vertex(q, "R")
    uN = D.u_spinors(p_N, m_N)
    unu = D.u_spinors(k_nu, 0.0)
    fcur = vector_current(p1, m_f, p2, m_f, g_v, g_a)
    q2 = D.dot(q, q)
    prop = 1.0 / (q2 - M**2 + 1j * M * Gamma)
    ql = D.lower(q)
    total = np.zeros(np.shape(p_N)[0])
    for sN in range(2):
        for sn in range(2):
            jN = D.sandwich(D.bar(unu[sn]), gam, uN[sN])  # upper index
            jN_low = D.lower(jN)
            for jf in fcur:
                amp = (-np.sum(jN_low * jf, axis=-1) + np.sum(jN * ql, axis=-1) * np.sum(jf * ql, axis=-1) / M**2) * prop
                total += np.abs(amp) ** 2
    return total


def width_N_to_nu_f_fbar_mc(m_N, m_f, t3, charge, n=40000, seed=20230522):
    """Gamma(N -> nu f fbar) through Z* from the full amplitude, by Monte Carlo over 3-body phase space.

    Unit couplings: d_Z = 1 GeV^-1 and vertex gamma^rho (g_V - g_A gamma5) with g_V = T3 - 2 Q sin^2,
    g_A = T3.  Phase space is generated as N -> nu Z*(q^2) with q^2 importance-sampled on the
    Breit-Wigner and Z* -> f fbar isotropic in its rest frame:
    dPhi_3 = dq^2/(2 pi) dPhi_2(m_N; 0, q) dPhi_2(q; m_f, m_f), dPhi_2 = |p|/(16 pi^2 M) dOmega.
    Returns (width, statistical error) in GeV.  No factorisation is assumed.
    """
    rng = np.random.default_rng(seed)
    M, G = sm.M_Z, sm.GAMMA_Z
    t0 = np.arctan((4 * m_f**2 - M**2) / (M * G))
    t1 = np.arctan((m_N**2 - M**2) / (M * G))
    t = rng.uniform(t0, t1, n)
    q2 = M**2 + M * G * np.tan(t)
    jac_q2 = (t1 - t0) * M * G / np.cos(t) ** 2
    mq = np.sqrt(q2)
    knu, q = D.two_body_momenta(np.full(n, float(m_N)), 0.0, mq, rng.uniform(-1, 1, n), rng.uniform(0, 2 * np.pi, n))
    p1, p2 = D.two_body_momenta(mq, m_f, m_f, rng.uniform(-1, 1, n), rng.uniform(0, 2 * np.pi, n))
    beta = q[:, 1:] / q[:, :1]
    p1, p2 = D.boost(p1, beta), D.boost(p2, beta)
    pN = np.tile([float(m_N), 0.0, 0.0, 0.0], (n, 1))
    gv, ga = t3 - 2 * charge * sm.SIN2_THETA_W, t3
    msq = msq_N_to_nu_f_fbar(pN, knu, p1, p2, m_N, m_f, M, G, gv, ga) / 2  # average over the N spin
    pa = (m_N**2 - q2) / (2 * m_N)
    pb = np.sqrt(np.clip(q2 / 4 - m_f**2, 0, None))
    w = jac_q2 / (2 * np.pi) * pa / (4 * np.pi * m_N) * pb / (4 * np.pi * mq) * msq / (2 * m_N)
    return float(w.mean()), float(w.std() / np.sqrt(n))


# --- e+ e- -> X nu-bar: s-channel gamma/Z, t-channel W --------------------------------------------


def production_amplitudes(p1, p2, k1, k2, m_N, *, alpha, sin2w, M_Z, Gamma_Z, M_W, final: str = "N"):
    r"""Helicity amplitudes of e^-(p1) e^+(p2) -> X(k1) nu-bar(k2), diagram by diagram.

    ``final='N'``: X = N through the dipole vertices, per unit dipole coupling (d_gamma = d_Z = d_W = 1);
    ``final='nu'``: X = nu (Standard Model, used to check the conventions against e+e- -> nu nu-bar).
    Returns a dict {'gamma', 'Z', 'W'} of complex arrays of shape (16, N): every spin
    combination of (e-, e+, X, nu-bar).  The t-channel W diagram exists for the electron
    flavour only; the caller decides whether to add it.

    Feynman rules (L = psi-bar i D-slash psi, D = d - i g T.W - i g' Y B; dipole operators as in
    helpers.couplings): photon vertex i e Q_e gamma^mu; Z vertex i (g/c_w) gamma^mu (g_L P_L + g_R P_R);
    W vertex i (g/sqrt 2) gamma^mu P_L; dipole vertex 2 d sigma^{mu nu} q_mu P_L with q flowing into the
    vertex along the boson line; propagators -i g_{mu nu}/D from :func:`helpers.dirac.propagator` (the q q
    terms vanish here: the dipole is transverse and the fermions massless); relative sign -1 of the
    t-channel diagram (Wick ordering), pinned by the Fermi limit g_L -> g_L + 1 of e+e- -> nu_e nu_e-bar.
    """
    e, g, sw, cw = sm.gauge_couplings(alpha, sin2w)
    gL, gR = sm.z_chiral_couplings(-0.5, -1.0, sin2w)  # the electron
    q_s = p1 + p2
    q_t = k1 - p1  # into the e -> X vertex
    s = D.dot(q_s, q_s)
    t = D.dot(q_t, q_t)
    ue, ve = D.u_spinors(p1, 0.0), D.v_spinors(p2, 0.0)
    uX = D.u_spinors(k1, m_N)
    vn = D.v_spinors(k2, 0.0)
    gam_L = D.GAMMA @ D.P_L
    gam_R = D.GAMMA @ D.P_R
    if choice(final, ("N", "nu"), "final state") == "N":
        x_vertex_s = dipole_vertex_in(q_s)  # (N, 4, 4, 4)
        x_vertex_t = dipole_vertex_in(q_t)
        xs_factor, xt_factor = 1.0, 1.0
    else:
        x_vertex_s = 0.5 * gam_L
        x_vertex_t = gam_L
        xs_factor, xt_factor = 1j * g / cw, 1j * g / np.sqrt(2)
    prop_g = D.propagator(s)
    prop_Z = D.propagator(s, M_Z, Gamma_Z)
    prop_W = D.propagator(t, M_W)
    out = {"gamma": [], "Z": [], "W": []}
    for se in range(2):
        for sp_ in range(2):
            JL = D.sandwich(D.bar(ve[sp_]), gam_L, ue[se])
            JR = D.sandwich(D.bar(ve[sp_]), gam_R, ue[se])
            for sx in range(2):
                JXt = D.sandwich(D.bar(uX[sx]), x_vertex_t, ue[se])
                for sn in range(2):
                    JXs = D.sandwich(D.bar(uX[sx]), x_vertex_s, vn[sn])
                    Jnu = D.sandwich(D.bar(ve[sp_]), gam_L, vn[sn])
                    a_g = (1j * e * -1.0) * prop_g * xs_factor * D.dot(JL + JR, JXs)
                    a_Z = (1j * g / cw) * prop_Z * xs_factor * D.dot(gL * JL + gR * JR, JXs)
                    a_W = -1.0 * xt_factor * prop_W * (1j * g / np.sqrt(2)) * D.dot(JXt, Jnu)
                    if final != "N":  # photon does not couple to neutrinos
                        a_g = np.zeros_like(a_Z)
                    out["gamma"].append(a_g)
                    out["Z"].append(a_Z)
                    out["W"].append(a_W)
    return {k: np.array(v) for k, v in out.items()}


def dipole_vertex_in(q):
    """2 sigma^{mu nu} q_mu P_L for a boson of momentum q flowing INTO the vertex (production, N-bar... N created): (N, 4[nu], 4, 4)."""
    return 2.0 * np.einsum("...m,mnab,bc->...nac", D.lower(q).astype(complex), D.SIGMA, D.P_L)
