r"""Decays of the Dirac heavy neutral lepton N through the dipole operators.

Derivations (SymPy, explicit 4x4 Dirac matrices from :mod:`helpers.dirac`):

* :func:`derive_two_body_width` -- Gamma(N -> l V) for a vector V of mass M and a
  lepton of mass m_l, from the vertex 2 d sigma^{mu nu} q_mu P_R, summed over
  spins and polarisations (polarisation sum -g + q q / M^2; the q q term is shown
  to vanish).  M = 0 gives N -> nu gamma, m_l = 0 gives N -> nu Z.
* :func:`derive_boson_width` -- Gamma(V -> N nu-bar) (e.g. Z -> N nu-bar), the crossed process.

Three-body decays through an off-shell boson, N -> nu Z* -> nu f fbar and
N -> l W* -> l f fbar', are an integral of the two-body width at boson mass
sqrt(q^2) over a Breit-Wigner (see :func:`width_offshell`).  The factorisation is
exact at tree level because the dipole vertex is transverse, q_mu sigma^{mu nu} q_nu = 0,
so only the transverse part of the fermion-pair tensor contributes, which is
the same tensor that gives the width of a vector of mass sqrt(q^2).

Units: GeV, couplings d in GeV^-1, lengths in metres.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from . import couplings as _cpl
from . import dirac, sm
from .symcache import symcached
from .validation import CONVENTIONS as CONVENTIONS  # the conventions of every width function
from .validation import as_finite_array, choice, convention as _check_convention, count, coupling
from .validation import printed as _printed, sin2w as _check_sin2w
from .validation import flavour as _check_flavour, mass as _check_mass, non_negative

m_N = sp.Symbol("m_N", positive=True)
m_l = sp.Symbol(r"m_\ell", nonnegative=True)
M_V = sp.Symbol("M_V", positive=True)  # generic boson mass
M_Z = sp.Symbol("M_Z", positive=True)
M_W = sp.Symbol("M_W", positive=True)
d = sp.Symbol("d", positive=True)
d_gamma, d_Z, d_W = _cpl.d_gamma, _cpl.d_Z, _cpl.d_W

THREE_BODY_MODES = ("below_threshold", "offshell", "none")


def kallen(x, y, z):
    """Kallen function lambda(x, y, z) = x^2 + y^2 + z^2 - 2xy - 2yz - 2zx."""
    return x**2 + y**2 + z**2 - 2 * x * y - 2 * y * z - 2 * z * x


# --- derivations ------------------------------------------------------------------------


@symcached
def derive_two_body_spin_sum() -> dict[str, sp.Expr]:
    r"""Spin- and polarisation-summed |M|^2 of N(p) -> l(k) V(q) by explicit Dirac traces.

    Vertex (from d lbar sigma^{mu nu} P_R N V_{mu nu}, outgoing V): 2 d sigma^{mu nu} q_mu P_R.
    Evaluated in the N rest frame with V along +z.  Returns {'sum': sum |M|^2,
    'qq_term': the part from the q^mu q^nu / M^2 term of the polarisation sum (zero)}.
    """
    I = sp.I
    sig = dirac.sym_sigma()
    PR = (sp.eye(4) + dirac.sym_gamma5()) / 2
    eta = dirac.sym_metric()
    Ek, Eq, P = sp.symbols("E_k E_q P", positive=True)
    p = [m_N, 0, 0, 0]
    k = [Ek, 0, 0, -P]
    q = [Eq, 0, 0, P]
    q_low = [eta[i, i] * q[i] for i in range(4)]
    vertex = [2 * I * d * sum((sig[mu][nu] * q_low[mu] for mu in range(4)), sp.zeros(4)) * PR for nu in range(4)]
    vertex_bar = [dirac.sym_bar(G) for G in vertex]
    left = dirac.sym_slash(k) + m_l * sp.eye(4)
    right = dirac.sym_slash(p) + m_N * sp.eye(4)
    tensor = [[(left * vertex[n] * right * vertex_bar[b]).trace() for b in range(4)] for n in range(4)]
    total = sum(-eta[n, n] * tensor[n][n] for n in range(4))
    qq = sum(tensor[n][b] * q_low[n] * q_low[b] for n in range(4) for b in range(4))
    lam = kallen(m_N**2, m_l**2, M_V**2)
    kin = {Ek: (m_N**2 + m_l**2 - M_V**2) / (2 * m_N), Eq: (m_N**2 - m_l**2 + M_V**2) / (2 * m_N), P: sp.sqrt(lam) / (2 * m_N)}
    return {"sum": sp.expand(sp.simplify(total.subs(kin))), "qq_term": sp.simplify(qq.subs(kin))}


@symcached
def derive_two_body_width() -> sp.Expr:
    r"""Gamma(N -> l V) = |p|/(8 pi m_N^2) * (1/2) sum|M|^2, as a SymPy expression in m_N, m_l, M_V, d."""
    msq = derive_two_body_spin_sum()["sum"]
    pstar = sp.sqrt(sp.expand(kallen(m_N**2, m_l**2, M_V**2))) / (2 * m_N)
    poly = sp.factor(sp.expand(msq / 2 / (2 * d**2)))  # (1/2) sum |M|^2 = 2 d^2 * poly
    return pstar / (8 * sp.pi * m_N**2) * 2 * d**2 * poly


@symcached
def derive_boson_width() -> sp.Expr:
    r"""Gamma(V -> N nu-bar) for one charge state, from an explicit spin sum (average over 3 polarisations).

    Vertex from the hermitian-conjugate operator d Nbar sigma^{mu nu} P_L nu V_{mu nu}
    for an incoming V of momentum q: amplitude ubar_N(p) sigma^{mu nu} q_mu P_L v_nu(k) eps_nu.
    """
    I = sp.I
    sig = dirac.sym_sigma()
    PL = (sp.eye(4) - dirac.sym_gamma5()) / 2
    eta = dirac.sym_metric()
    Ep, Ek, P = sp.symbols("E_p E_k P", positive=True)
    q = [M_V, 0, 0, 0]
    p = [Ep, 0, 0, P]
    k = [Ek, 0, 0, -P]
    q_low = [eta[i, i] * q[i] for i in range(4)]
    vertex = [-2 * I * d * sum((sig[mu][nu] * q_low[mu] for mu in range(4)), sp.zeros(4)) * PL for nu in range(4)]
    vertex_bar = [dirac.sym_bar(G) for G in vertex]
    left = dirac.sym_slash(p) + m_N * sp.eye(4)
    right = dirac.sym_slash(k)  # massless nu: sum v vbar = kslash
    total = 0
    for n in range(4):
        for b in range(4):
            pol = -eta[n, b] + (q[n] * q[b]) / M_V**2
            if pol != 0:
                total += pol * (left * vertex[n] * right * vertex_bar[b]).trace()
    kin = {Ep: (M_V**2 + m_N**2) / (2 * M_V), Ek: (M_V**2 - m_N**2) / (2 * M_V), P: (M_V**2 - m_N**2) / (2 * M_V)}
    msq = sp.factor(sp.simplify(total.subs(kin)))
    pstar = (M_V**2 - m_N**2) / (2 * M_V)
    return sp.factor(pstar / (8 * sp.pi * M_V**2) * msq / 3)


@symcached
def width_expressions() -> dict[str, sp.Expr]:
    """Derived closed forms: 'nu_gamma', 'nu_Z', 'l_W' (Eq. 8) and 'Z_to_N_nubar' (Eq. 19)."""
    g2 = derive_two_body_width()
    return {
        "nu_gamma": sp.factor(sp.simplify(g2.subs({m_l: 0, M_V: 0, d: d_gamma}))),
        # sqrt(lambda) = |m_N^2 - M_Z^2|: the width is used above threshold, m_N > M_Z
        "nu_Z": sp.factor(
            g2.subs({m_l: 0, M_V: M_Z, d: d_Z}).subs(sp.sqrt(sp.expand((m_N**2 - M_Z**2) ** 2)), m_N**2 - M_Z**2)
        ),
        "l_W": g2.subs({M_V: M_W, d: d_W}),
        "Z_to_N_nubar": derive_boson_width().subs({M_V: M_Z, d: d_Z}),
    }


def printed_expressions() -> dict[str, sp.Expr]:
    """Eq. (8) and Eq. (19) exactly as printed (threshold step functions dropped)."""
    return {
        "nu_gamma": d_gamma**2 * m_N**3 / (4 * sp.pi),
        "nu_Z": d_Z**2 * (m_N**2 - M_Z**2) ** 2 * (2 * m_N**2 + M_Z**2) / (8 * sp.pi * m_N**3),
        "l_W": d_W**2
        / (8 * sp.pi * m_N**3)
        * sp.sqrt((m_N**2 - (M_W - m_l) ** 2) * (m_N**2 + (M_W - m_l) ** 2))
        * (2 * m_l**2 * (2 * m_l**2 - 4 * m_N**2 - M_W**2) + (m_N**2 - M_W**2) * (2 * m_N**2 + M_W**2)),
        "Z_to_N_nubar": d_gamma**2 * (M_Z**2 - m_N**2) ** 2 * (2 * m_N**2 + M_Z**2) / (12 * sp.pi * M_Z**3),
    }


# --- numeric two-body widths ----------------------------------------------------------------


@lru_cache(maxsize=None)
def _gamma2_unit():
    """Numeric Gamma(N -> l V)/d^2 as f(m_N, m_l, M) (NaN-free: zero below threshold)."""
    f = sp.lambdify((m_N, m_l, M_V), derive_two_body_width().subs(d, 1), "numpy")

    def g(m, ml, M):
        m, ml, M = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (m, ml, M)))
        open_ = m > M + ml
        with np.errstate(invalid="ignore"):
            val = f(np.where(open_, m, 2 * (M + ml) + 1.0), ml, M)
        return np.where(open_, val, 0.0)

    return g


@lru_cache(maxsize=None)
def _printed_lW_unit():
    f = sp.lambdify((m_N, m_l, M_W), printed_expressions()["l_W"].subs(d_W, 1), "numpy")
    return f


def width_nu_gamma(m_N, d_gamma):
    """Gamma(N -> nu gamma) = d_gamma^2 m_N^3 / (4 pi) [GeV] (identical derived and printed)."""
    m = _check_mass(m_N)
    dg = coupling(d_gamma, "d_gamma")
    return dg**2 * _gamma2_unit()(m, 0.0, 0.0)


def width_nu_Z(m_N, d_Z):
    """Gamma(N -> nu Z) on shell [GeV]; zero for m_N <= M_Z (a closed channel).  d_Z may have either sign."""
    m = _check_mass(m_N)
    dz = as_finite_array(d_Z, "d_Z")
    return dz**2 * _gamma2_unit()(m, 0.0, sm.M_Z)


def width_l_W(m_N, d_W, *, flavour: str = "e", convention: str = "derived"):
    """Gamma(N -> l^- W^+) on shell [GeV]; zero for m_N <= M_W + m_l (a closed channel).  d_W may have either sign;
    ``convention='as_printed'`` evaluates Eq. (8) as printed."""
    m = _check_mass(m_N)
    dw = as_finite_array(d_W, "d_W")
    ml = sm.LEPTON_MASS[_check_flavour(flavour)]
    if not _printed(convention, "eq8"):
        return dw**2 * _gamma2_unit()(m, ml, sm.M_W)
    open_ = m > sm.M_W + ml
    with np.errstate(invalid="ignore"):
        val = _printed_lW_unit()(np.where(open_, m, 2 * sm.M_W + 1), ml, sm.M_W)
    return dw**2 * np.where(open_, val, 0.0)


def width_Z_to_N_nu(m_N, d_Z):
    """Gamma(Z -> N nu-bar) [GeV] for ONE charge state (Z -> N-bar nu is equal); zero for m_N >= M_Z
    (a closed channel).

    Eq. (19) as printed has d_gamma in place of d_Z but the same form: to evaluate the printed equation,
    pass the value of d_gamma as ``d_Z`` (as :func:`helpers.limits.rate_coefficients` does for
    ``convention='as_printed'``).
    """
    m = _check_mass(m_N)
    dz = as_finite_array(d_Z, "d_Z")
    below = m < sm.M_Z
    val = dz**2 * _boson_width_unit()(np.where(below, m, 0.5 * sm.M_Z), sm.M_Z)
    return np.where(below, val, 0.0)


@lru_cache(maxsize=None)
def _boson_width_unit():
    """Numeric Gamma(V -> N nu-bar)/d^2 as f(m_N, M_V), lambdified from :func:`derive_boson_width`."""
    return sp.lambdify((m_N, M_V), derive_boson_width().subs(d, 1), "numpy")


# --- off-shell bosons: three-body decays ---------------------------------------------------------

# (name, N_c, T3, Q, mass) for Z -> f fbar
_Z_CHANNELS = (
    ("nu_e", 1, 0.5, 0.0, 0.0), ("nu_mu", 1, 0.5, 0.0, 0.0), ("nu_tau", 1, 0.5, 0.0, 0.0),
    ("e", 1, -0.5, -1.0, sm.M_E), ("mu", 1, -0.5, -1.0, sm.M_MU), ("tau", 1, -0.5, -1.0, sm.M_TAU),
    ("u", 3, 0.5, 2 / 3, sm.M_U), ("c", 3, 0.5, 2 / 3, sm.M_C), ("t", 3, 0.5, 2 / 3, sm.M_T),
    ("d", 3, -0.5, -1 / 3, sm.M_D), ("s", 3, -0.5, -1 / 3, sm.M_S), ("b", 3, -0.5, -1 / 3, sm.M_B),
)
# (name, N_c, m1, m2) for W+ -> f fbar' (CKM taken diagonal: exact for massless quarks by unitarity)
_W_CHANNELS = (
    ("e nu", 1, sm.M_E, 0.0), ("mu nu", 1, sm.M_MU, 0.0), ("tau nu", 1, sm.M_TAU, 0.0),
    ("u d", 3, sm.M_U, sm.M_D), ("c s", 3, sm.M_C, sm.M_S), ("t b", 3, sm.M_T, sm.M_B),
)


def z_channel_shape(mu, n_c, t3, charge, m_f, sin2w=None):
    """mu * N_c * beta * [g_V^2 (1 + 2x) + g_A^2 (1 - 4x)], x = m_f^2/mu^2, g_V = T3 - 2 Q sin^2, g_A = T3
    (sin^2(theta_w) = ``sin2w``; None: on-shell).

    Gamma(V -> f fbar) of a vector of mass mu with vertex gbar gamma^rho (g_V - g_A gamma5) is
    gbar^2/(12 pi) times this (checked spin by spin in the tests); zero below threshold.
    """
    mu = non_negative(mu, "mu")
    mu_safe = np.where(mu > 0, mu, 1.0)
    x = np.where(mu > 0, (m_f / mu_safe) ** 2, np.inf)
    beta2 = np.clip(1 - 4 * x, 0.0, None)
    gl, gr = sm.z_chiral_couplings(t3, charge, _check_sin2w(sin2w))
    gv, ga = gl + gr, gl - gr  # = T3 - 2 Q sin^2, T3
    return mu * n_c * np.sqrt(beta2) * (gv**2 * (1 + 2 * np.minimum(x, 0.25)) + ga**2 * beta2)


def w_channel_shape(mu, n_c, m1, m2):
    """mu * N_c * lambda^(1/2)(1, x1, x2) [1 - (x1 + x2)/2 - (x1 - x2)^2/2]: W -> f fbar' at mass mu, up to g^2/(48 pi)."""
    mu = non_negative(mu, "mu")
    mu_safe = np.where(mu > 0, mu, 1.0)
    open_ = (mu > 0) & (m1 + m2 < mu)
    x1 = np.where(open_, (m1 / mu_safe) ** 2, 0.0)
    x2 = np.where(open_, (m2 / mu_safe) ** 2, 0.0)
    lam = np.clip(kallen(1.0, x1, x2), 0.0, None)
    return np.where(open_, mu * n_c * np.sqrt(lam) * (1 - (x1 + x2) / 2 - (x1 - x2) ** 2 / 2), 0.0)


def z_width_shape(mu, sin2w=None):
    """Tree-level Z width into all f fbar at boson mass mu, up to a constant."""
    return sum(z_channel_shape(mu, nc, t3, q, mf, sin2w) for _, nc, t3, q, mf in _Z_CHANNELS)


def w_width_shape(mu, sin2w=None):
    """Tree-level W width into all f fbar' at boson mass mu, up to a constant (independent of sin^2(theta_w))."""
    return sum(w_channel_shape(mu, nc, m1, m2) for _, nc, m1, m2 in _W_CHANNELS)


_BOSONS = {
    "Z": (sm.M_Z, sm.GAMMA_Z, z_width_shape),
    "W": (sm.M_W, sm.GAMMA_W, w_width_shape),
}

_GL_NODES = 96


def offshell_density(q2, boson: str, sin2w=None):
    r"""rho_V(q^2) = (1/pi) sqrt(q^2) Gamma_V(sqrt(q^2)) / ((q^2 - M^2)^2 + M^2 Gamma^2) [GeV^-2].

    Gamma_V(mu) = Gamma_V(PDG) * shape(mu)/shape(M): the measured width fixes the
    normalisation (so the narrow-width limit is exact), the tree-level shape the
    dependence on the boson mass and the fermion thresholds (``sin2w``: sin^2(theta_w) of the Z couplings in the
    shape; None: on-shell).
    """
    M, G, shape = _BOSONS[choice(boson, tuple(_BOSONS), "boson")]
    q2 = as_finite_array(q2, "q2")
    mu = np.sqrt(np.clip(q2, 0.0, None))
    width = G * shape(mu, sin2w) / shape(np.array(M), sin2w)
    return mu * width / np.pi / ((q2 - M**2) ** 2 + M**2 * G**2)


def width_offshell(m_N, boson: str, *, m_lepton: float = 0.0, nodes: int = _GL_NODES, sin2w=None):
    r"""Gamma(N -> l V^(*) -> l + f fbar) / d_V^2 [GeV^3], integrated over the boson virtuality.

    Gamma = int dq^2 Gamma_2(m_N; m_l, sqrt(q^2)) rho_V(q^2) from q^2 = 0 to (m_N - m_l)^2.
    Above the on-shell threshold this includes the resonance and tends to the on-shell
    two-body width times sum Br(V -> f fbar) = 1 for Gamma_V -> 0.
    Gauss-Legendre quadrature in t = arctan((q^2 - M^2)/(M Gamma)) (flat for the
    Breit-Wigner), or in q^2 itself when the whole range lies far below the peak.
    """
    m = np.atleast_1d(_check_mass(m_N)).astype(float)
    choice(boson, tuple(_BOSONS), "boson")
    m_lepton = float(non_negative(m_lepton, "m_lepton"))
    nodes = count(nodes, "nodes")
    # the same masses are asked for again and again (total width and Br for every reading and experiment):
    # the quadrature is memoised on the exact input (a copy is returned, so no caller can change a stored result)
    out = _width_offshell_memo(m.tobytes(), boson, m_lepton, nodes, _check_sin2w(sin2w)).copy()
    return out.reshape(np.shape(m_N)) if np.ndim(m_N) else out[0]


@lru_cache(maxsize=None)
def _gauss_legendre(nodes: int):
    return np.polynomial.legendre.leggauss(nodes)


@lru_cache(maxsize=1024)
def _width_offshell_memo(m_bytes: bytes, boson: str, m_lepton: float, nodes: int, sin2w: float) -> np.ndarray:
    m = np.frombuffer(m_bytes, dtype=float)
    M, G, _ = _BOSONS[boson]
    x, w = _gauss_legendre(nodes)
    q2max = np.clip(m - m_lepton, 0.0, None) ** 2
    g2 = _gamma2_unit()
    far = q2max < M**2 - 30 * M * G
    # (a) plain q^2 nodes (far below the peak): integrand smooth
    q2_a = 0.5 * q2max[:, None] * (x[None, :] + 1)
    wa = 0.5 * q2max[:, None] * w[None, :]
    fa = np.sum(wa * g2(m[:, None], m_lepton, np.sqrt(q2_a)) * offshell_density(q2_a, boson, sin2w), axis=1)
    # (b) Breit-Wigner-flattened nodes
    t0 = np.arctan((0.0 - M**2) / (M * G))
    t1 = np.arctan((q2max - M**2) / (M * G))
    t = t0 + 0.5 * (t1 - t0)[:, None] * (x[None, :] + 1)
    wt = 0.5 * (t1 - t0)[:, None] * w[None, :]
    q2_b = np.clip(M**2 + M * G * np.tan(t), 0.0, None)
    # dq^2 * rho = dt * sqrt(q2) Gamma(sqrt q2) / (pi M G)  (the Breit-Wigner cancels)
    mu = np.sqrt(q2_b)
    _, _, shape = _BOSONS[boson]
    dens = mu * G * shape(mu, sin2w) / shape(np.array(M), sin2w) / np.pi / (M * G)
    fb = np.sum(wt * g2(m[:, None], m_lepton, mu) * dens, axis=1)
    out = np.where(far, fa, fb)
    out.setflags(write=False)
    return out


def width_offshell_single_channel(m_N, t3: float, q_f: float, m_f: float):
    r"""Gamma(N -> nu Z* -> nu f fbar) for ONE fermion pair (weak isospin t3, electric charge q_f in units of e,
    mass m_f), unit couplings (d_Z = 1, vertex gamma(g_V - g_A gamma5)).

    The factorised form int dq^2 Gamma_2(m_N; 0, sqrt q^2) sqrt(q^2) Gamma_{V->f fbar}(sqrt q^2) / pi / BW,
    with Gamma_{V -> f fbar}(mu) = z_channel_shape(mu)/(12 pi), integrated adaptively (scipy.integrate.quad).
    Compared with :func:`helpers.amplitudes.width_N_to_nu_f_fbar_mc` (full amplitude) in the tests and the chapter.
    """
    from scipy import integrate

    m = float(_check_mass(m_N))
    t3, q_f = float(as_finite_array(t3, "t3")), float(as_finite_array(q_f, "q_f"))
    m_f = float(non_negative(m_f, "m_f"))
    M, G = sm.M_Z, sm.GAMMA_Z

    def integrand(q2):
        mu = np.sqrt(q2)
        width_v = float(z_channel_shape(mu, 1, t3, q_f, m_f)) / (12 * np.pi)
        return float(_gamma2_unit()(m, 0.0, mu)) * mu * width_v / np.pi / ((q2 - M**2) ** 2 + M**2 * G**2)

    pts = [M**2] if 4 * m_f**2 < M**2 < m**2 else None
    val, _ = integrate.quad(integrand, 4 * m_f**2, m**2, points=pts, limit=200, epsrel=1e-10)
    return val


# --- total width and branching ratio ---------------------------------------------------------------


def _check_three_body(mode: str) -> str:
    return choice(mode, THREE_BODY_MODES, "three_body mode")


def _unit_widths(m, ml: float, flavour: str, three_body: str, convention: str, sin2w=None):
    """(Gamma(N -> nu Z(*)), Gamma(N -> l W(*))) per unit coupling, d_Z = d_W = 1 GeV^-1 [GeV], with the
    three-body rule ``three_body`` (see :func:`partial_widths`)."""
    on_Z = _gamma2_unit()(m, 0.0, sm.M_Z)
    if not _printed(convention, "eq8"):
        on_W = _gamma2_unit()(m, ml, sm.M_W)
    else:
        on_W = width_l_W(m, 1.0, flavour=flavour, convention="as_printed")
    if three_body == "none":
        return on_Z, on_W
    off_Z = width_offshell(m, "Z", m_lepton=0.0, sin2w=sin2w)
    off_W = width_offshell(m, "W", m_lepton=ml)
    if three_body == "offshell":
        return off_Z, off_W
    return np.where(m > sm.M_Z, on_Z, off_Z), np.where(m > sm.M_W + ml, on_W, off_W)


def partial_widths(m_N, d_gamma, model, *, flavour: str = "e", three_body: str = "below_threshold",
                   convention: str = "derived", sin2w=None) -> dict[str, np.ndarray]:
    """Partial widths of N [GeV] by channel: 'nu gamma', 'nu Z', 'l W' (each including its off-shell
    three-body part as selected by ``three_body``).

    ``model``: scenario name or a = d_calW/d_B; ``flavour``: the lepton in N -> l W.
    ``three_body``: 'below_threshold' (default: on-shell two-body widths above threshold,
    off-shell three-body widths below; the paper's Eq. 9), 'offshell' (the Breit-Wigner
    integral at every mass, smooth through the thresholds), 'none' (two-body only: a closed
    channel has width 0).  ``sin2w``: sin^2(theta_w) of the coupling rotation and of the Z couplings
    (None: the on-shell value).

    At the singular point a = -2 cot(theta_w) d_Z and d_W are infinite for a finite d_gamma: 'nu Z' and
    'l W' are +inf where the channel is open (0 where it is closed), 'nu gamma' is finite.
    """
    m = _check_mass(m_N)
    _check_three_body(three_body)
    convention = _check_convention(convention)
    fl = _check_flavour(flavour)
    dg0 = coupling(d_gamma, "d_gamma")
    _, rz, rw, pole = _cpl._homogeneous(model, sin2w)
    dg, dz, dw = dg0 * np.ones_like(rz), dg0 * rz, dg0 * rw
    m, dg, dz, dw, pole = np.broadcast_arrays(m, dg, dz, dw, pole)
    ml = sm.LEPTON_MASS[fl]
    g_gamma = width_nu_gamma(m, dg)
    z2, w2 = dz**2, dw**2
    gz, gw = _unit_widths(m, ml, fl, three_body, convention, sin2w)
    out = {"nu gamma": g_gamma, "nu Z": z2 * gz, "l W": w2 * gw}
    if np.any(pole):
        out["nu Z"] = np.where(pole, np.where(gz > 0, np.inf, 0.0), out["nu Z"])
        out["l W"] = np.where(pole, np.where(gw > 0, np.inf, 0.0), out["l W"])
    return out


def total_width(m_N, d_gamma, model, *, flavour: str = "e", three_body: str = "below_threshold",
                convention: str = "derived", sin2w=None):
    """Total width of N [GeV]: sum of :func:`partial_widths` (+inf at the singular point a = -2 cot(theta_w))."""
    return _sum_channels(partial_widths(m_N, d_gamma, model, flavour=flavour, three_body=three_body,
                                        convention=convention, sin2w=sin2w))


def _sum_channels(pw: dict) -> np.ndarray:
    """The one place where the decay channels of :func:`partial_widths` are summed."""
    return pw["nu gamma"] + pw["nu Z"] + pw["l W"]


def _width_at_pole(m, flavour: str, three_body: str, convention: str, sin2w=None):
    """Total width of N / d_gamma^2 in the limiting direction d_gamma : d_Z : d_W = 0 : n_Z : n_W of the singular
    point a = -2 cot(theta_w) (:func:`helpers.couplings._pole_direction`): the denominator of every sigma Br and
    Gamma Br that stays finite there."""
    nz, nw = _cpl._pole_direction(sin2w)
    gz, gw = _unit_widths(m, sm.LEPTON_MASS[flavour], flavour, three_body, convention, sin2w)
    return nz**2 * gz + nw**2 * gw


def br_nu_gamma(m_N, model, *, flavour: str = "e", three_body: str = "below_threshold", convention: str = "derived",
                sin2w=None):
    """Br(N -> nu gamma) (Eq. 9); independent of d_gamma.

    At the singular point a = -2 cot(theta_w) (:func:`helpers.couplings.at_pole`) it is 0, its limit from
    both sides (d_Z/d_gamma and d_W/d_gamma diverge there).
    """
    m = _check_mass(m_N)
    pole = _cpl.at_pole(model, sin2w)
    m, pole = np.broadcast_arrays(m, pole)
    opts = dict(flavour=flavour, three_body=three_body, convention=convention, sin2w=sin2w)
    if isinstance(model, str):
        pw = partial_widths(m, 1.0, model, **opts)
    else:
        a_safe = np.where(pole, 0.0, _cpl.resolve_model(model) * np.ones_like(m))
        pw = partial_widths(m, 1.0, a_safe, **opts)
    br = pw["nu gamma"] / _sum_channels(pw)
    return np.where(pole, 0.0, br)


def br_large_mass_limit_expr(printed: bool = False) -> sp.Expr:
    """lim_{m_N -> oo} Br(N -> nu gamma) as a function of a, derived (or as printed in the text of Sec. II)."""
    a, th = _cpl.a, _cpl.theta_w
    c, s = sp.cos(th), sp.sin(th)
    if printed:
        return (4 + 3 * a**2) / (2 * c + a * s) ** 2
    r = _cpl.derive_ratios()
    g2 = derive_two_body_width()
    widths = [g2.subs({m_l: 0, M_V: 0, d: 1}), g2.subs({m_l: 0, M_V: M_Z, d: r["d_Z"]}), g2.subs({M_V: M_W, d: r["d_W"]})]
    lims = [sp.limit(sp.simplify(w / widths[0]), m_N, sp.oo) for w in widths]
    ratio_sum = sum(lims)
    return sp.factor(sp.simplify(1 / ratio_sum))


# --- decay length ------------------------------------------------------------------------------------


def decay_length(m_N, d_gamma, model=None, *, E_N, flavour: str = "e", three_body: str = "below_threshold",
                 convention: str = "derived", sin2w=None):
    r"""Lab decay length l = beta gamma c tau = (|p_N|/m_N) hbar c / Gamma [m].

    ``model=None`` uses the photon width alone, Gamma = d_gamma^2 m_N^3/(4 pi), which is
    Eq. (15) (Br(N -> nu gamma) ~ 1); with a scenario name or a value of a the total
    width of :func:`total_width` is used (0 at the singular point a = -2 cot(theta_w), where that width is
    infinite).  ``E_N`` is the N energy in GeV (>= m_N).
    """
    m = _check_mass(m_N)
    E = _check_mass(E_N, "E_N")
    if np.any(E < m):
        raise ValueError(f"E_N must be >= m_N (got E_N={E_N!r}, m_N={m_N!r})")
    if model is None:
        width = width_nu_gamma(m, d_gamma)
    else:
        width = total_width(m, d_gamma, model, flavour=flavour, three_body=three_body, convention=convention,
                            sin2w=sin2w)
    p = np.sqrt(np.clip(E**2 - m**2, 0.0, None))
    return sm.HBARC_GEV_M * p / (m * width)
