r"""The irreducible Standard-Model background e+ e- -> nu nu-bar gamma, computed from helicity amplitudes.

Diagrams at tree level (massless fermions, unitary gauge):

* every flavour: s-channel Z with the photon radiated from the e- or the e+ (2 diagrams);
* nu_e only: t-channel W with the photon radiated from the e-, the e+ or the W itself (3 diagrams),
  interfering with the Z diagrams (relative Fermi sign -1, as in :mod:`helpers.amplitudes`).

Feynman rules as in :func:`helpers.amplitudes.production_amplitudes`; the W W gamma vertex (all momenta
incoming, W^- index mu, W^+ index nu, photon index rho) is
e [g^{mu nu}(p_- - p_+)^rho + g^{nu rho}(p_+ - p_gamma)^mu + g^{rho mu}(p_gamma - p_-)^nu] times a phase
that gauge invariance fixes: :func:`gauge_check` replaces the photon polarisation by its momentum and the
sum of the five diagrams must vanish (tests).

Phase space: the photon energy is sampled from a mixture of a logarithmic density (soft radiation) and a
Breit-Wigner in the nu nu-bar mass (the Z return); cos(theta_gamma) from 1/(1 - cos^2) (collinear
radiation); the neutrino pair decays isotropically in its rest frame.  The photon azimuth is integrated
analytically (the process is symmetric about the beam).  Quasi-random points (8 scrambled Sobol
replicas) with fixed seeds: deterministic, with the error from the spread of the replicas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import beams as _beams
from . import dirac as D
from . import sm
from .qmc import REPLICAS, sobol_replicas
from .symcache import cached_arrays

#: The phase of the W W gamma vertex relative to the fermion-photon vertex i e Q gamma^mu, with the propagator
#: convention of :func:`helpers.dirac.propagate`.  Gauge invariance fixes it (see :func:`gauge_check`; the test
#: suite shows that +-1 and -i break the Ward identity).  Passed as an argument, never reassigned.
WWA_PHASE = 1j


@dataclass(frozen=True)
class Scheme:
    """The electroweak input scheme of the background: couplings of the exchanged Z and W, and of the photon."""

    name: str
    alpha: float  #: alpha of the exchanged Z and W (g = e / s_w, g_Z = g / c_w)
    sin2w: float  #: sin^2 theta_w of the Z couplings
    alpha_photon: float  #: alpha of the emitted (real) photon
    description: str

    def __post_init__(self):
        for f in ("alpha", "sin2w", "alpha_photon"):
            v = getattr(self, f)
            if not (math.isfinite(v) and 0 < v < 1):
                raise ValueError(f"scheme {self.name!r}: {f} must be a finite number in (0, 1), got {v!r}")


#: The schemes the book can evaluate; ``"gf"`` is the book's choice (conventions page).
SCHEMES = {
    "gf": Scheme("gf", sm.ALPHA_GF, sm.SIN2_THETA_W, sm.ALPHA_0,
                 "G_F scheme for the exchanged Z and W (alpha_GF = sqrt(2) G_F M_W^2 s_w^2 / pi, on-shell s_w), "
                 "alpha(0) for the emitted photon"),
    "alpha_mz": Scheme("alpha_mz", sm.ALPHA, sm.SIN2_THETA_W, sm.ALPHA_0,
                       "alpha(M_Z) (MS-bar) with the on-shell s_w for the exchanged Z and W, alpha(0) for the photon"),
    "alpha_0": Scheme("alpha_0", sm.ALPHA_0, sm.SIN2_THETA_W, sm.ALPHA_0,
                      "alpha(0) everywhere, on-shell s_w"),
}
DEFAULT_SCHEME = "gf"


def get_scheme(scheme: str | Scheme = DEFAULT_SCHEME) -> Scheme:
    """A :class:`Scheme` by name (or the scheme itself)."""
    if isinstance(scheme, Scheme):
        return scheme
    if scheme not in SCHEMES:
        raise ValueError(f"unknown background scheme {scheme!r}; allowed: {', '.join(SCHEMES)}")
    return SCHEMES[scheme]


def amplitudes(p1, p2, k1, k2, k, eps, *, nu_e: bool, scheme: str | Scheme = DEFAULT_SCHEME,
               wwa_phase: complex = WWA_PHASE):
    """Amplitudes of e-(p1) e+(p2) -> nu(k1) nu-bar(k2) gamma(k) for one photon polarisation vector ``eps``
    (N, 4; may be complex, or the photon momentum for a gauge check), for all 16 fermion spin states.

    Returns (M_Z_part, M_W_part), complex arrays of shape (16, N); the W part is zero unless ``nu_e``.
    Couplings from ``scheme`` (:data:`SCHEMES`).  Every boson line is :func:`helpers.dirac.propagate` /
    :func:`helpers.dirac.propagator`, the convention of :func:`helpers.amplitudes.production_amplitudes`;
    the W diagrams carry the Fermi sign -1 relative to the Z diagrams, as there.  The W W gamma vertex uses
    the charge of the photon vertices (gauge invariance requires it) times ``wwa_phase``.
    """
    sc = get_scheme(scheme)
    M_Z, Gamma_Z, M_W = sm.M_Z, sm.GAMMA_Z, sm.M_W
    e, g, sw, cw = sm.gauge_couplings(sc.alpha, sc.sin2w)
    e_ph = sm.gauge_couplings(sc.alpha_photon, sc.sin2w)[0]
    gL, gR = sm.z_chiral_couplings(-0.5, -1.0, sc.sin2w)  # the electron
    Qe = -1.0
    n = p1.shape[0]
    ue, ve = D.u_spinors(p1, 0.0), D.v_spinors(p2, 0.0)
    un, vn = D.u_spinors(k1, 0.0), D.v_spinors(k2, 0.0)
    epsl = D.slash(eps)  # (N, 4, 4)
    S1 = 1j * D.slash(p1 - k) / D.dot(p1 - k, p1 - k)[:, None, None]
    S2 = 1j * D.slash(k - p2) / D.dot(p2 - k, p2 - k)[:, None, None]
    photon = 1j * e_ph * Qe * epsl
    Vz = (1j * g / cw) * np.einsum("mab,bc->mac", D.GAMMA, gL * D.P_L + gR * D.P_R)  # (4, 4, 4)
    Vw = (1j * g / math.sqrt(2)) * np.einsum("mab,bc->mac", D.GAMMA, D.P_L)
    Vnu = (1j * g / cw) * 0.5 * np.einsum("mab,bc->mac", D.GAMMA, D.P_L)
    # electron line with a photon, for the Z diagrams: Vz S1 photon + photon S2 Vz
    # (three-operand einsums with optimize=True: contracted pairwise, ~6 times faster than numpy's default loop)
    Le_mat = (np.einsum("mab,nbc,ncd->nmad", Vz, S1, photon, optimize=True)
              + np.einsum("nab,nbc,mcd->nmad", photon, S2, Vz, optimize=True))
    q = k1 + k2
    propZ = D.propagator(D.dot(q, q), M_Z, Gamma_Z)  # the q q term vanishes on the massless nu current
    # W-line pieces
    if nu_e:
        W1_mat = np.einsum("mab,nbc,ncd->nmad", Vw, S1, photon, optimize=True)  # nu <- e- (photon before the W vertex)
        W2_mat = np.einsum("nab,nbc,mcd->nmad", photon, S2, Vw, optimize=True)  # nu-bar line with photon on the e+
        qa1 = p1 - k - k1  # W momentum, photon on e-
        qa2 = p1 - k1  # W momentum, photon on e+ / before the W photon vertex
        qb3 = qa2 - k  # W momentum after radiating the photon
    # Every spinor product that does not depend on all four spins is computed once (the loop below only combines).
    b_ve, b_un = [D.bar(v) for v in ve], [D.bar(u) for u in un]
    LZ = {(se, sp_): D.sandwich(b_ve[sp_], Le_mat, ue[se]) for se in range(2) for sp_ in range(2)}  # (N, 4) upper
    Jn = {(sn, sb): D.sandwich(b_un[sn], Vnu, vn[sb]) for sn in range(2) for sb in range(2)}
    if nu_e:
        F_plain = {(se, sn): D.sandwich(b_un[sn], Vw, ue[se]) for se in range(2) for sn in range(2)}  # nu <- e-
        F_phot = {(se, sn): D.sandwich(b_un[sn], W1_mat, ue[se]) for se in range(2) for sn in range(2)}
        E_plain = {(sp_, sb): D.sandwich(b_ve[sp_], Vw, vn[sb]) for sp_ in range(2) for sb in range(2)}  # e+ -> nu-bar
        E_phot = {(sp_, sb): D.sandwich(b_ve[sp_], W2_mat, vn[sb]) for sp_ in range(2) for sb in range(2)}
    out_Z, out_W = [], []
    for se in range(2):
        for sp_ in range(2):
            for sn in range(2):
                for sb in range(2):
                    mz = propZ * D.dot(LZ[se, sp_], Jn[sn, sb])
                    out_Z.append(mz)
                    if not nu_e:
                        out_W.append(np.zeros(n, dtype=complex))
                        continue
                    Fp, Ep = F_plain[se, sn], E_plain[sp_, sb]
                    # W1: photon on the e- line
                    m1 = D.dot(F_phot[se, sn], D.propagate(Ep, qa1, M_W))
                    # W2: photon on the e+ line
                    m2 = D.dot(Fp, D.propagate(E_phot[sp_, sb], qa2, M_W))
                    # W3: photon from the W: F -> P(qa2) -> vertex -> P(qb3) -> E
                    A = D.propagate(Fp, qa2, M_W)  # W^- line coming in, upper index mu
                    B = D.propagate(Ep, qb3, M_W)  # towards the e+ vertex, upper index nu
                    p_minus, p_plus, p_gam = qa2, -qb3, -k
                    # V^{mu nu rho} A_mu B_nu eps_rho with all indices contracted through the metric
                    t1 = D.dot(A, B) * D.dot(p_minus - p_plus, eps)
                    t2 = D.dot(B, eps) * D.dot(p_plus - p_gam, A)
                    t3 = D.dot(eps, A) * D.dot(p_gam - p_minus, B)
                    m3 = wwa_phase * e_ph * (t1 + t2 + t3)
                    out_W.append(-1.0 * (m1 + m2 + m3))  # Fermi sign of the t-channel diagrams
    return np.array(out_Z), np.array(out_W)


def msq(p1, p2, k1, k2, k, *, nu_e: bool, scheme: str | Scheme = DEFAULT_SCHEME, wwa_phase: complex = WWA_PHASE):
    """(1/4) sum over spins and photon polarisations of |M|^2 (initial spins averaged), one flavour."""
    return msq_flavours(p1, p2, k1, k2, k, ("e",) if nu_e else ("mu",), scheme=scheme, wwa_phase=wwa_phase)


def msq_flavours(p1, p2, k1, k2, k, flavours=("e", "mu", "tau"), *, scheme: str | Scheme = DEFAULT_SCHEME,
                 wwa_phase: complex = WWA_PHASE):
    """(1/4) sum |M|^2 summed over the requested neutrino flavours.  The Z diagrams are the same for every
    flavour, so one evaluation serves all three: nu_e gets |M_Z + M_W|^2, nu_mu and nu_tau |M_Z|^2."""
    bad = [f for f in flavours if f not in sm.FLAVOURS]
    if bad:
        raise ValueError(f"unknown flavours {bad}; allowed: {', '.join(sm.FLAVOURS)}")
    pols = D.polarizations(k)
    tot = np.zeros(p1.shape[0])
    n_other = sum(f in ("mu", "tau") for f in flavours)
    for eps in pols:
        mz, mw = amplitudes(p1, p2, k1, k2, k, eps, nu_e="e" in flavours, scheme=scheme, wwa_phase=wwa_phase)
        if "e" in flavours:
            tot += np.sum(np.abs(mz + mw) ** 2, axis=0)
        tot += n_other * np.sum(np.abs(mz) ** 2, axis=0)
    return tot / 4


def msq_helicities(p1, p2, k1, k2, k, *, scheme: str | Scheme = DEFAULT_SCHEME, wwa_phase: complex = WWA_PHASE):
    """(1/4) sum |M|^2 per beam-helicity combination (:data:`helpers.beams.HELICITIES`) and per neutrino class:
    {("e", h): nu_e (Z and W diagrams), ("x", h): one of nu_mu, nu_tau (Z diagrams only)}, summed over the final
    spins and photon polarisations.  Summed over h they are :func:`msq_flavours` of one flavour; weighted with
    :func:`helpers.beams.combine` they give polarised beams.

    The e- moves along +z and the e+ along -z; the spinors of :func:`helpers.dirac.u_spinors` are spin-z states, so
    the e- index 0 is helicity R and 1 is L; for the e+ index 0 is R and 1 is L (a right-handed e+ is a left-chiral
    v spinor, gamma5 v = -v; checked in the tests, with the physical pin that W exchange needs e-_L e+_R)."""
    out = {(cls, h): np.zeros(p1.shape[0]) for cls in ("e", "x") for h in _beams.HELICITIES}
    for eps in D.polarizations(k):
        mz, mw = amplitudes(p1, p2, k1, k2, k, eps, nu_e=True, scheme=scheme, wwa_phase=wwa_phase)
        for i in range(16):
            se, sp_ = i // 8, (i // 4) % 2
            h = _E_MINUS_HELICITY[se] + _EPLUS_HELICITY[sp_]
            out[("e", h)] += np.abs(mz[i] + mw[i]) ** 2 / 4
            out[("x", h)] += np.abs(mz[i]) ** 2 / 4
    return out


_E_MINUS_HELICITY = ("R", "L")  #: helicity of the e- (along +z) for spinor index 0, 1 (spin up, down along z)
_EPLUS_HELICITY = ("R", "L")  #: helicity of the e+ (along -z) for v-spinor index 0, 1 (gamma5 v = -v, +v: tests)


def gauge_check(p1, p2, k1, k2, k, *, nu_e: bool = True, scheme: str | Scheme = DEFAULT_SCHEME,
                wwa_phase: complex = WWA_PHASE):
    """Amplitudes with eps -> k (Ward identity): returns (max |M_Z(k)|, max |M_W(k)|, max |M(eps)|) for comparison."""
    kw = dict(nu_e=nu_e, scheme=scheme, wwa_phase=wwa_phase)
    mz, mw = amplitudes(p1, p2, k1, k2, k, k.astype(complex), **kw)
    ref_z, ref_w = amplitudes(p1, p2, k1, k2, k, D.polarizations(k)[0], **kw)
    return float(np.max(np.abs(mz))), float(np.max(np.abs(mw))), float(np.max(np.abs(ref_z + ref_w)))


# --- phase space and integration ------------------------------------------------------------------------------


@dataclass
class Events:
    """Weighted photon events of e+e- -> nu nu-bar gamma: weights in pb (sum = cross section of the sampled region)."""

    E: np.ndarray
    cos: np.ndarray
    pt: np.ndarray
    weight: np.ndarray
    replica: np.ndarray

    def sigma(self, mask=None):
        """Cross section [pb] of the events passing ``mask`` and its statistical error (replica spread)."""
        w = self.weight if mask is None else self.weight * mask
        per = np.array([REPLICAS * np.sum(w[self.replica == r]) for r in range(REPLICAS)]) / 1.0
        # each replica estimates sigma with 1/REPLICAS of the points: sum over its points times REPLICAS
        return float(per.mean()), float(per.std(ddof=1) / math.sqrt(REPLICAS))


def generate(sqrt_s: float, E_range: tuple[float, float], cos_range: tuple[float, float], flavours=("e", "mu", "tau"),
             n: int = 8 * 1024, seed: int = 11, bw_fraction: float = 0.5, scheme: str | Scheme = DEFAULT_SCHEME,
             wwa_phase: complex = WWA_PHASE, polarisation: tuple[float, float] = (0.0, 0.0)) -> Events:
    """Weighted events of e+e- -> nu nu-bar gamma with the photon in E_range x cos_range, summed over flavours.

    The weights include the matrix element, phase space and flux, in pb: ``events.sigma()`` is the cross
    section of the sampled region.  Further cuts are applied as masks on the events.  ``polarisation``:
    (P(e-), P(e+)) of the beams (:mod:`helpers.beams`; default unpolarised).

    Samples are cached on disk (:func:`helpers.symcache.cached_arrays`: a few seconds each), keyed by every
    input, the scheme's numbers and the WW gamma phase.  One sample holds the weights of every beam-helicity
    combination for nu_e and for one of nu_mu, nu_tau, so that every choice of flavours and polarisation is read
    from the same events.
    """
    rs = float(sqrt_s)
    E_lo, E_hi = float(E_range[0]), min(float(E_range[1]), rs / 2 * (1 - 1e-9))
    if not 0 < E_lo < E_hi:
        raise ValueError(f"need 0 < E_min < E_max <= sqrt(s)/2 (got {E_range})")
    c_lo, c_hi = float(cos_range[0]), float(cos_range[1])
    if not -1 < c_lo < c_hi < 1:
        raise ValueError(f"need -1 < cos_min < cos_max < 1 (got {cos_range})")
    sc = get_scheme(scheme)
    flavours = tuple(flavours)
    bad = [f for f in flavours if f not in sm.FLAVOURS]
    if bad or not flavours:
        raise ValueError(f"unknown flavours {bad or flavours!r}; allowed: {', '.join(sm.FLAVOURS)}")
    w_pol = _beams.weights(*polarisation)
    key = (rs, E_lo, E_hi, c_lo, c_hi, int(n), int(seed), float(bw_fraction), sc.name, sc.alpha, sc.sin2w,
           sc.alpha_photon, repr(complex(wwa_phase)))
    data = cached_arrays("background.generate", key,
                         lambda: _sample(rs, E_lo, E_hi, c_lo, c_hi, n, seed, bw_fraction, sc, wwa_phase))
    weight = np.zeros_like(data["E"])
    for f in flavours:
        cls = "e" if f == "e" else "x"
        for h in _beams.HELICITIES:
            if w_pol[h]:
                weight = weight + 4 * w_pol[h] * data[f"w_{cls}_{h}"]
    return Events(E=data["E"], cos=data["cos"], pt=data["pt"], weight=weight, replica=data["replica"])


def _sample(rs, E_lo, E_hi, c_lo, c_hi, n, seed, bw_fraction, scheme, wwa_phase) -> dict:
    """The events of :func:`generate` as a dict of arrays (uncached): kinematics, replica index, and the weights
    w_<class>_<helicities> [pb] of nu_e (class 'e') and of one of nu_mu, nu_tau (class 'x') per beam-helicity
    combination, each normalised as its share of the unpolarised cross section."""
    s = rs**2
    u, rep = sobol_replicas(n, 4, seed)
    M, G = sm.M_Z, sm.GAMMA_Z
    # --- photon energy: mixture of log(E) and a Breit-Wigner in Q^2 = s - 2 sqrt(s) E
    Q2_hi, Q2_lo = s - 2 * rs * E_lo, s - 2 * rs * E_hi
    t_lo, t_hi = math.atan((Q2_lo - M**2) / (M * G)), math.atan((Q2_hi - M**2) / (M * G))
    w_bw = bw_fraction
    in_bw = u[:, 0] < w_bw
    ulog = np.where(in_bw, 0.0, (u[:, 0] - w_bw) / (1 - w_bw))
    ubw = np.where(in_bw, u[:, 0] / w_bw, 0.0)
    E_log = E_lo * (E_hi / E_lo) ** ulog
    Q2_bw = M**2 + M * G * np.tan(t_lo + (t_hi - t_lo) * ubw)
    E_bw = (s - Q2_bw) / (2 * rs)
    E = np.where(in_bw, E_bw, E_log)
    Q2 = s - 2 * rs * E
    g_log = 1.0 / (E * math.log(E_hi / E_lo))
    g_bw = 2 * rs * (M * G) / ((Q2 - M**2) ** 2 + M**2 * G**2) / (t_hi - t_lo)
    g_E = (1 - w_bw) * g_log + w_bw * g_bw
    # --- photon angle: density 1/(1 - c^2)
    y_lo, y_hi = math.atanh(c_lo), math.atanh(c_hi)
    c = np.tanh(y_lo + (y_hi - y_lo) * u[:, 1])
    g_c = 1.0 / ((1 - c**2) * (y_hi - y_lo))
    sn = np.sqrt(1 - c**2)
    k = np.stack([E, E * sn, np.zeros_like(E), E * c], axis=1)
    P = np.array([rs, 0.0, 0.0, 0.0])
    Q = P - k
    mQ = np.sqrt(Q2)
    knu, knub = D.two_body_momenta(mQ, 0.0, 0.0, 2 * u[:, 2] - 1, 2 * np.pi * u[:, 3])
    beta = Q[:, 1:] / Q[:, :1]
    knu, knub = D.boost(knu, beta), D.boost(knub, beta)
    p1 = np.tile([rs / 2, 0, 0, rs / 2], (n, 1))
    p2 = np.tile([rs / 2, 0, 0, -rs / 2], (n, 1))
    m2 = msq_helicities(p1, p2, knu, knub, k, scheme=scheme, wwa_phase=wwa_phase)
    # dPhi_3 = E dE (2 pi dc) / (2 (2 pi)^3) * (1/(8 pi)) * [dOmega*/(4 pi)]; flux 1/(2s)
    dphi = E * 2 * np.pi / (2 * (2 * np.pi) ** 3) / (8 * np.pi)
    jac = dphi / (g_E * g_c) / (2 * s) * sm.GEV2_TO_PB / n
    out = {"E": E, "cos": c, "pt": E * sn, "replica": rep}
    for (cls, h), v in m2.items():
        out[f"w_{cls}_{h}"] = v * jac
    return out


def z_return_energy(sqrt_s: float) -> tuple[float, float]:
    """(E_gamma^Z, Gamma_gamma^Z) = ((s - M_Z^2)/(2 sqrt s), M_Z Gamma_Z / sqrt s): position and FWHM of the Z-return peak."""
    return (sqrt_s**2 - sm.M_Z**2) / (2 * sqrt_s), sm.M_Z * sm.GAMMA_Z / sqrt_s
