r"""Production e+ e- -> N nu-bar through the dipole couplings: derived cross sections and N polarisation.

Diagrams: s-channel photon (d_gamma), s-channel Z (d_Z), and, for the electron flavour only,
t-channel W (d_W).  :func:`derive_traces` builds every spin sum S_i S_j^* with explicit 4x4 Dirac
matrices (helpers.dirac) in the centre-of-mass frame, the N momentum at angle theta to the e- beam.
The amplitude of diagram i is M_i = kappa_i P_i d_i S_i with

* kappa_gamma = e Q_e = -e, P_gamma = 1/s;
* kappa_Z = g/c_w,  P_Z = 1/(s - M_Z^2 + i M_Z Gamma_Z), Z-electron couplings g_L = -1/2 + s_w^2, g_R = s_w^2;
* kappa_W = -g/sqrt(2) (the minus sign is the relative Fermi sign of the t-channel diagram),
  P_W = 1/(t - M_W^2);

(conventions of :func:`helpers.amplitudes.production_amplitudes`, where the same amplitudes are evaluated
spin by spin without traces; the relative sign is checked there against the textbook
e+e- -> nu_e nu_e-bar cross section).  The spin-summed |M|^2 is
sum_ij d_i d_j kappa_i kappa_j Re(P_i P_j^* T_ij): six pieces, 'gamma', 'Z', 'gammaZ', 'W', 'gammaW', 'ZW'.

Counting: functions return the cross section of e+e- -> N nu-bar (one charge state) unless
``charge='both'``, which adds e+e- -> N-bar nu; by CP the two are equal and the N-bar angular
distribution is that of N with cos(theta) -> -cos(theta).  Units: GeV, GeV^-1, pb.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp
from sympy.polys.matrices import DomainMatrix

from . import couplings as _cpl
from . import dirac, sm
from .symcache import symcached
from .validation import CHARGES as CHARGES, CONVENTIONS as CONVENTIONS  # the choices of every function here
from .validation import as_finite_array, below_threshold, charge as _check_charge, choice, convention as _check_convention
from .validation import printed as _printed, sin2w as _check_sin2w
from .validation import cos_theta as _check_cos, coupling, flavour as _check_flavour, mass as _check_mass, positive

# --- symbols ---------------------------------------------------------------------------------------------
sqrt_s = sp.Symbol(r"\sqrt{s}", positive=True)
s = sp.Symbol("s", positive=True)
m_N = sp.Symbol("m_N", positive=True)
c = sp.Symbol(r"\cos\theta", real=True)
alpha = sp.Symbol(r"\alpha", positive=True)
s_w = sp.Symbol("s_w", positive=True)
c_w = sp.Symbol("c_w", positive=True)
M_Z = sp.Symbol("M_Z", positive=True)
Gamma_Z = sp.Symbol(r"\Gamma_Z", positive=True)
M_W = sp.Symbol("M_W", positive=True)
d_gamma, d_Z, d_W = _cpl.d_gamma, _cpl.d_Z, _cpl.d_W
g_L, g_R = sp.Symbol("g_L", real=True), sp.Symbol("g_R", real=True)

PIECES = ("gamma", "Z", "gammaZ", "W", "gammaW", "ZW")
NO_ST_INTERFERENCE = ("gamma", "Z", "gammaZ", "W")  #: the paper's assumption (no s-t interference)
_PAIRS = {"gamma": ("g", "g"), "Z": ("Z", "Z"), "gammaZ": ("g", "Z"), "W": ("W", "W"), "gammaW": ("g", "W"), "ZW": ("Z", "W")}


# --- derivation --------------------------------------------------------------------------------------------


def _kinematics():
    W = sqrt_s
    sn = sp.Symbol(r"\sin\theta", positive=True)
    E = W / 2
    EN = (W**2 + m_N**2) / (2 * W)
    p = (W**2 - m_N**2) / (2 * W)
    p1 = [E, 0, 0, E]
    p2 = [E, 0, 0, -E]
    k1 = [EN, p * sn, 0, p * c]
    k2 = [p, -p * sn, 0, -p * c]
    spins = {
        "L": [p / m_N, EN / m_N * sn, 0, EN / m_N * c],  # helicity
        "T": [0, c, 0, -sn],  # in the production plane, towards increasing theta
        "N": [0, 0, 1, 0],  # normal to the production plane (p_e- x p_N direction)
    }
    return p1, p2, k1, k2, sn, spins


@symcached
def derive_traces(spin: str | None = None, beam: str | None = None) -> dict[str, sp.Expr]:
    r"""Spin sums T_ij = sum S_i S_j^* for (i, j) in PIECES, as functions of sqrt(s), m_N, cos(theta).

    ``spin=None``: summed over the N spin.  ``spin`` in 'L', 'T', 'N': the spin-dependent part,
    computed with (kslash + m) gamma5 sslash in place of (kslash + m), so that the N polarisation
    along that axis is P = sum_ij (...) Delta T_ij / sum_ij (...) T_ij.

    ``beam=None``: summed over the beam spins; ``beam="LR"``: e-_L e+_R only, with u ubar = P_L p1-slash for the
    left-handed electron and v vbar = P_L p2-slash for the right-handed positron (a left-chiral v spinor).  "RL" is
    the difference of the two (LL and RR vanish for these couplings of massless electrons, see helpers.beams).

    The Dirac matrices are multiplied as matrices over the polynomial ring Q(i)[sqrt(s), E_N, |p_N|, m_N, 1/m_N,
    cos, sin, g_L, g_R] (``sympy.polys.matrices.DomainMatrix``), with E_N, |p_N| and 1/m_N put back at the end: the
    same expressions as with ``sympy.Matrix`` products of general expressions, about ten times faster.
    """
    if spin is not None:
        choice(spin, ("L", "T", "N"), "spin axis")
    if beam is not None:
        choice(beam, ("LR",), "beam helicities (None: summed)")
    G = dirac.sym_gamma()
    S = dirac.sym_sigma()
    g5 = dirac.sym_gamma5()
    eta = dirac.sym_metric()
    PL = (sp.eye(4) - g5) / 2
    PR = (sp.eye(4) + g5) / 2
    _, _, _, _, sn, _ = _kinematics()
    # the kinematics of _kinematics() with E_N, |p_N| and 1/m_N as ring generators (put back by `back`)
    EN_s, p_s, inv_m = sp.symbols("E_N p_N m_N^{-1}", positive=True)
    E = sqrt_s / 2
    p1, p2 = [E, 0, 0, E], [E, 0, 0, -E]
    k1 = [EN_s, p_s * sn, 0, p_s * c]
    k2 = [p_s, -p_s * sn, 0, -p_s * c]
    spins = {
        "L": [p_s * inv_m, EN_s * inv_m * sn, 0, EN_s * inv_m * c],  # helicity
        "T": [0, c, 0, -sn],  # in the production plane, towards increasing theta
        "N": [0, 0, 1, 0],  # normal to the production plane (p_e- x p_N direction)
    }
    back = {EN_s: (sqrt_s**2 + m_N**2) / (2 * sqrt_s), p_s: (sqrt_s**2 - m_N**2) / (2 * sqrt_s), inv_m: 1 / m_N}
    ring = sp.QQ_I[sqrt_s, EN_s, p_s, m_N, inv_m, c, sn, g_L, g_R]

    def dm(M):
        return DomainMatrix.from_Matrix(sp.Matrix(M).applyfunc(sp.expand)).convert_to(ring)

    def tr(M):
        return sum(M.diagonal(), ring.zero)

    def low(v):
        return [eta[i, i] * v[i] for i in range(4)]

    def dipole(q):
        ql = low(q)
        return [2 * sum((S[mu][nu] * ql[mu] for mu in range(4)), sp.zeros(4)) * PL for nu in range(4)]

    qs = [p1[i] + p2[i] for i in range(4)]
    qt = [k1[i] - p1[i] for i in range(4)]
    sl, bar = dirac.sym_slash, dirac.sym_bar
    e_sym = {"g": [G[a] for a in range(4)], "Z": [G[a] * (g_L * PL + g_R * PR) for a in range(4)]}
    e_line = {k: [dm(x) for x in v] for k, v in e_sym.items()}
    e_bar = {k: [dm(bar(x)) for x in v] for k, v in e_sym.items()}
    B_sym, C_sym, D_sym = dipole(qs), dipole(qt), [G[a] * PL for a in range(4)]
    B, B_bar = [dm(x) for x in B_sym], [dm(bar(x)) for x in B_sym]
    C, C_bar = [dm(x) for x in C_sym], [dm(bar(x)) for x in C_sym]
    Dw, Dw_bar = [dm(x) for x in D_sym], [dm(bar(x)) for x in D_sym]
    beam_projector = sp.eye(4) if beam is None else PL
    P1, P2, K2 = dm(beam_projector * sl(p1)), dm(beam_projector * sl(p2)), dm(sl(k2))
    K1_sym = sl(k1) + m_N * sp.eye(4)
    if spin is not None:
        K1_sym = K1_sym * g5 * sl(spins[spin])
    K1 = dm(K1_sym)
    sgn = [eta[i, i] for i in range(4)]

    def fin(x):
        e = ring.to_sympy(x).subs(back)
        return sp.factor(sp.expand(sp.expand(e).subs(sn**2, 1 - c**2)))

    def contract(L, H):
        return sum((sgn[a] * sgn[b] * L[a][b] * H[a][b] for a in range(4) for b in range(4)), ring.zero)

    def ss(a1, a2):
        L = [[tr(e_line[a1][a] * P1 * e_bar[a2][b] * P2) for b in range(4)] for a in range(4)]
        H = [[tr(B[a] * K2 * B_bar[b] * K1) for b in range(4)] for a in range(4)]
        return fin(contract(L, H))

    def tt():
        L = [[tr(C[a] * P1 * C_bar[b] * K1) for b in range(4)] for a in range(4)]
        H = [[tr(Dw[a] * K2 * Dw_bar[b] * P2) for b in range(4)] for a in range(4)]
        return fin(contract(L, H))

    def st(a1):
        A = e_line[a1]
        return fin(sum((sgn[a] * sgn[b] * tr(A[a] * P1 * C_bar[b] * K1 * B[a] * K2 * Dw_bar[b] * P2)
                        for a in range(4) for b in range(4)), ring.zero))

    out = {"gamma": ss("g", "g"), "Z": ss("Z", "Z"), "gammaZ": ss("g", "Z"), "W": tt(), "gammaW": st("g"), "ZW": st("Z")}
    sub = {g_L: -sp.Rational(1, 2) + s_w**2, g_R: s_w**2}
    return {k: v.subs(sub) for k, v in out.items()}


def _propagators():
    """Symbolic propagator factors P_i (complex) as functions of sqrt(s), m_N, cos(theta)."""
    p1, p2, k1, k2, sn, _ = _kinematics()
    t = sp.expand(m_N**2 - 2 * (p1[0] * k1[0] - p1[3] * k1[3]))  # t = (p1 - k1)^2
    return {"g": 1 / sqrt_s**2, "Z": 1 / (sqrt_s**2 - M_Z**2 + sp.I * M_Z * Gamma_Z), "W": 1 / (t - M_W**2)}, t


def _kappa():
    e = sp.sqrt(4 * sp.pi * alpha)
    g = e / s_w
    return {"g": -e, "Z": g / c_w, "W": -g / sp.sqrt(2)}


def _dcoupling():
    return {"g": d_gamma, "Z": d_Z, "W": d_W}


@symcached
def _msq_pieces(spin: str | None = None, beam: str | None = None) -> dict[str, sp.Expr]:
    """sum |M|^2 (or its spin-dependent part) by piece, real expressions (``beam``: see :func:`derive_traces`)."""
    T = derive_traces(spin) if beam is None else derive_traces(spin, beam)
    P, _ = _propagators()
    kap, dc = _kappa(), _dcoupling()
    out = {}
    for name, (i, j) in _PAIRS.items():
        mult = 1 if i == j else 2
        pp = sp.expand_complex(P[i] * sp.conjugate(P[j]) * T[name])
        out[name] = mult * kap[i] * kap[j] * dc[i] * dc[j] * sp.re(pp)
    return out


@symcached
def dsigma_dcos_expressions(beam: str | None = None) -> dict[str, sp.Expr]:
    r"""d sigma(e+e- -> N nu-bar)/d cos(theta) by piece [GeV^-2], derived.

    2 -> 2 with massless initial state: d sigma/d cos = (1/(32 pi s)) (2|p_N|/sqrt s) (1/4) sum |M|^2.
    """
    flux = (sqrt_s**2 - m_N**2) / sqrt_s**2 / (32 * sp.pi * sqrt_s**2) / 4
    msq = _msq_pieces() if beam is None else _msq_pieces(None, beam)
    return {k: sp.factor(flux * v) for k, v in msq.items()}


def _integrate_over_cos(expr: sp.Expr) -> sp.Expr:
    r"""int_{-1}^{1} expr d cos(theta), done by hand for speed and real logarithms.

    s-channel pieces are polynomials in cos(theta).  Pieces with the W propagator are rational in
    x = M_W^2 - t = M_W^2 + (s - m_N^2)(1 - cos theta)/2, which runs from M_W^2 to M_W^2 + s - m_N^2:
    partial fractions in x, then term-by-term integration.
    """
    expr = expr.subs(sqrt_s, sp.sqrt(s))
    if not expr.has(M_W):
        return sp.factor(sp.integrate(sp.expand(expr), (c, -1, 1)))
    x = sp.Symbol("x", positive=True)
    Bs = sp.Symbol("B", positive=True)  # s - m_N^2
    integrand = sp.cancel(expr.subs(c, 1 - 2 * (x - M_W**2) / Bs).subs(s, Bs + m_N**2) * 2 / Bs)
    lo, hi = M_W**2, M_W**2 + Bs
    res = 0
    for term in _partial_fractions(integrand, x):
        coeff, k = term.as_coeff_exponent(x)
        assert not coeff.has(x), term
        if k == -1:
            res += coeff * sp.log(hi / lo)
        else:
            res += coeff * (hi ** (k + 1) - lo ** (k + 1)) / (k + 1)
    res = res.subs(Bs, s - m_N**2)
    log_term = sp.log((M_W**2 + s - m_N**2) / M_W**2)
    L = sp.Symbol("L")
    res = sp.expand(res.subs(sp.log((M_W**2 + s - m_N**2) / M_W**2), L))
    return sp.collect(sp.factor_terms(res), L, sp.factor).subs(L, log_term)


def _partial_fractions(expr: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, ...]:
    """The terms c_k x^k of a rational function of x whose denominator is a monomial in x (the W propagator,
    1/(t - M_W^2) = -1/x, is the only x-dependence of the denominators): by dividing the numerator term by term,
    much faster than ``sympy.apart``, which remains the fallback for any other denominator."""
    num, den = sp.fraction(expr)
    den_poly = sp.Poly(den, x)
    if len(den_poly.terms()) != 1:
        return sp.Add.make_args(sp.expand(sp.apart(expr, x)))
    ((k,), den_coeff) = den_poly.terms()[0]
    return tuple(sp.expand(coeff / den_coeff) * x ** (j - k) for (j,), coeff in sp.Poly(num, x).terms())


@symcached
def sigma_expressions(beam: str | None = None) -> dict[str, sp.Expr]:
    """Total sigma(e+e- -> N nu-bar) by piece [GeV^-2]: the angular distributions integrated over cos(theta)."""
    d = dsigma_dcos_expressions() if beam is None else dsigma_dcos_expressions(beam)
    return {k: _integrate_over_cos(v) for k, v in d.items()}


def printed_sigma_expressions() -> dict[str, sp.Expr]:
    """Eqs. (10)-(13) exactly as printed in our copy of the paper (in s; no s-t interference)."""
    den = Gamma_Z**2 * M_Z**2 + (M_Z**2 - s) ** 2
    common = (s - m_N**2) ** 2 * (s + 2 * m_N**2)
    x = M_W**2 / (-(m_N**2) + M_W**2 + s)
    return {
        "gamma": alpha * d_gamma**2 * common / (3 * s**3),
        "Z": alpha * d_Z**2 * common / (24 * c_w**2 * s_w**2 * s * den) * (8 * s_w**2 - 4 * s_w + 1),
        "gammaZ": alpha * d_gamma * d_Z * common / (6 * c_w * s_w * s**2 * den) * ((-4 * s_w + 1) * (M_Z**2 - s)),
        "W": alpha * d_W**2 / (2 * s_w**2 * s) * (-2 * s - (2 * M_W**2 + s) * sp.log(x) + m_N**2 * (x + 1)),
        "gammaW": sp.Integer(0),
        "ZW": sp.Integer(0),
    }


@symcached
def polarisation_expressions(beam: str | None = None) -> dict[str, dict[str, sp.Expr]]:
    """Spin-dependent parts of sum |M|^2 by piece, for the helicity ('L'), in-plane transverse ('T')
    and normal ('N') spin axes of N (``beam``: see :func:`derive_traces`)."""
    return {ax: _msq_pieces(ax) if beam is None else _msq_pieces(ax, beam) for ax in ("L", "T", "N")}


def decay_asymmetry_expression() -> sp.Expr:
    r"""d Gamma(N -> nu gamma)/d cos(theta*) for N at rest with spin along +z, photon at theta* to z (up to a constant).

    Derived with the spin projector (pslash + m)(1 + gamma5 sslash)/2: proportional to 1 - cos(theta*),
    i.e. the photon is emitted preferentially opposite to the N spin (asymmetry parameter -1).
    """
    S = dirac.sym_sigma()
    g5 = dirac.sym_gamma5()
    eta = dirac.sym_metric()
    PR = (sp.eye(4) + g5) / 2
    m = sp.Symbol("m", positive=True)
    ct = sp.Symbol(r"\cos\theta^*", real=True)
    st = sp.Symbol(r"\sin\theta^*", positive=True)
    P = [m, 0, 0, 0]
    kg = [m / 2, m / 2 * st, 0, m / 2 * ct]
    kn = [m / 2, -m / 2 * st, 0, -m / 2 * ct]
    ql = [eta[i, i] * kg[i] for i in range(4)]
    V = [2 * sp.I * sum((S[mu][nu] * ql[mu] for mu in range(4)), sp.zeros(4)) * PR for nu in range(4)]
    proj = (dirac.sym_slash(P) + m * sp.eye(4)) * (sp.eye(4) + g5 * dirac.sym_slash([0, 0, 0, 1])) / 2
    tot = sum(-eta[n, n] * (dirac.sym_slash(kn) * V[n] * proj * dirac.sym_bar(V[n])).trace() for n in range(4))
    tot = sp.expand(sp.expand(tot).subs(st**2, 1 - ct**2))
    return sp.factor(tot)


# --- numbers -----------------------------------------------------------------------------------------------------


def _numeric_subs():
    """The SM inputs substituted before lambdifying.  sin(theta_w) stays an argument (``s_w``, the last argument of
    every lambdified function; c_w = sqrt(1 - s_w^2)), so that a reading can choose its scheme."""
    return {
        alpha: sm.ALPHA,
        c_w: sp.sqrt(1 - s_w**2),
        M_Z: sm.M_Z,
        Gamma_Z: sm.GAMMA_Z,
        M_W: sm.M_W,
    }


def _lambdify_pieces(exprs: dict[str, sp.Expr], args) -> dict:
    """Numeric functions f(*args, s_w) by piece at d_gamma = d_Z = d_W = 1."""
    subs = _numeric_subs()
    unit = {d_gamma: 1, d_Z: 1, d_W: 1}
    return {k: sp.lambdify((*args, s_w), v.subs(unit).subs(subs), "numpy") for k, v in exprs.items()}


def _sw(sin2w) -> float:
    """sin(theta_w) for sin^2(theta_w) = ``sin2w`` (None: the book's on-shell value)."""
    return float(np.sqrt(_check_sin2w(sin2w)))


@lru_cache(maxsize=None)
def _dsigma_funcs(beam=None):
    e = dsigma_dcos_expressions() if beam is None else dsigma_dcos_expressions(beam)
    return _lambdify_pieces(e, (sqrt_s, m_N, c))


#: which printed equation replaces which derived piece (the other pieces agree, Eq. 10, or are absent)
_PRINTED_PIECE = {"Z": "eq11", "gammaZ": "eq12", "W": "eq13", "gammaW": "no_st", "ZW": "no_st"}


def _is_printed(convention, piece: str) -> bool:
    eq = _PRINTED_PIECE.get(piece)
    return eq is not None and _printed(convention, eq)


@lru_cache(maxsize=None)
def _sigma_funcs(convention, beam=None):
    """The total cross section by piece, each piece derived or as printed as the (canonical) convention says
    (``beam="LR"``: e-_L e+_R only, derived pieces only)."""
    if beam is not None:
        return _lambdify_pieces(sigma_expressions(beam), (s, m_N))
    derived = _lambdify_pieces(sigma_expressions(), (s, m_N))
    if convention == "derived":
        return derived
    printed_f = _lambdify_pieces(printed_sigma_expressions(), (s, m_N))
    if convention == "as_printed":
        return printed_f
    return {k: printed_f[k] if _is_printed(convention, k) else derived[k] for k in PIECES}


@lru_cache(maxsize=None)
def _pol_funcs(beam=None):
    e = polarisation_expressions() if beam is None else polarisation_expressions(beam)
    return {ax: _lambdify_pieces(v, (sqrt_s, m_N, c)) for ax, v in e.items()}


@lru_cache(maxsize=None)
def _msq_funcs(beam=None):
    return _lambdify_pieces(_msq_pieces() if beam is None else _msq_pieces(None, beam), (sqrt_s, m_N, c))


def _beam_mix(beams, convention) -> tuple[float, float]:
    """(c_all, c_LR): a quantity for beams of polarisation ``beams`` = (P(e-), P(e+)) is c_all F + c_LR F_LR, with F
    summed over the beam spins and F_LR its e-_L e+_R part (:func:`helpers.beams.combine` with F_RL = F - F_LR and
    LL = RR = 0).  Unpolarised beams give (1, 0).  The printed equations have no beam spins: ValueError."""
    from . import beams as _beams

    if beams is None or isinstance(beams, str) or len(beams) != 2:
        raise ValueError(f"beams must be (P(e-), P(e+)), two numbers in [-1, 1] (got {beams!r})")
    w = _beams.weights(*beams)
    c_all, c_lr = 4 * w["RL"], 4 * (w["LR"] - w["RL"])
    if c_lr != 0 and convention != "derived":
        raise ValueError("the printed equations are for unpolarised beams: polarised beams need convention='derived'")
    return c_all, c_lr


def _mixed(funcs, funcs_lr, mix, *args):
    """c_all f(*args) + c_LR f_LR(*args) for one piece (see :func:`_beam_mix`)."""
    val = mix[0] * np.asarray(funcs(*args), dtype=float)
    if mix[1]:
        val = val + mix[1] * np.asarray(funcs_lr(*args), dtype=float)
    return val


def _products(g, rz, rw, flavour: str) -> dict:
    """d_i d_j by piece for d_gamma : d_Z : d_W = g : r_Z : r_W (W pieces zero unless flavour == 'e')."""
    w_on = 1.0 if flavour == "e" else 0.0
    return {"gamma": g * g, "Z": rz**2, "gammaZ": g * rz, "W": w_on * rw**2, "gammaW": w_on * g * rw,
            "ZW": w_on * rz * rw}


def _coupling_products(model, flavour: str, sin2w=None):
    """(products, pole): d_i d_j / d_gamma^2 by piece for a model (scenario name or a), and where the model is the
    singular point a = -2 cot(theta_w).

    At the singular point the products are those of the limiting direction d_gamma : d_Z : d_W = 0 : r_Z : r_W
    (finite, up to a common factor, see :func:`helpers.couplings._homogeneous`): right for every ratio of rates
    (polarisation, angular shapes); the absolute rates are +inf there (:func:`_infinite_at_pole`).
    """
    g, rz, rw, pole = _cpl._homogeneous(model, sin2w)
    return _products(g, rz, rw, flavour), pole


def _infinite_at_pole(total, pole, flavour: str, use, by_piece: bool):
    """The rule of the absolute cross sections at the singular point: +inf (at a fixed d_gamma, d_Z and d_W are
    infinite there and the Z and W pieces grow as their squares).  Pieces one by one have no value there (the
    gamma-Z and gamma-W interference pieces change sign across it), nor have selections without the Z (or, for
    the electron flavour, the W) piece: ValueError."""
    if by_piece or not ("Z" in use or (flavour == "e" and "W" in use)):
        raise ValueError(
            "at the singular point a = -2 cot(theta_w) the cross section at fixed d_gamma is +inf (d_Z, d_W are "
            "infinite there); its pieces one by one have no value (the interference pieces change sign across it): "
            "ask for the total with the Z piece, or use another a"
        )
    return np.where(pole, np.inf, total)


def _check_inputs(sqrt_s, m_N, d_gamma, flavour):
    """sqrt(s) and m_N finite and > 0, m_N < sqrt(s) (no N at or above threshold: ValueError), d_gamma > 0."""
    rs = positive(sqrt_s, "sqrt_s")
    m = _check_mass(m_N)
    below_threshold(m, rs)
    dg = coupling(d_gamma, "d_gamma")
    _check_flavour(flavour)
    return rs, m, dg


def _check_pieces(pieces):
    if pieces is None:
        return PIECES
    if isinstance(pieces, str):
        raise ValueError(f"pieces must be a sequence of piece names (e.g. ('Z',)), not the string {pieces!r}; "
                         f"allowed: {', '.join(PIECES)}")
    bad = [p for p in pieces if p not in PIECES]
    if bad:
        raise ValueError(f"unknown pieces {bad}; allowed: {', '.join(PIECES)}")
    return tuple(pieces)


def _dsigma_pieces(rs, m, ct, dg, prod, convention: str, use, sw: float, mix=(1.0, 0.0)) -> dict:
    """d sigma/d cos by piece [pb] for checked inputs and coupling products (see :func:`dsigma_dcos`)."""
    f = _dsigma_funcs()
    f_lr = _dsigma_funcs("LR") if mix[1] else None
    out = {}
    for k in use:
        val = _mixed(f[k], f_lr and f_lr[k], mix, rs, m, ct, sw) * dg**2 * prod[k] * sm.GEV2_TO_PB
        if _is_printed(convention, k):
            num = _sigma_funcs("as_printed")[k](rs**2, m, sw)
            den = _sigma_funcs("derived")[k](rs**2, m, sw)
            with np.errstate(invalid="ignore", divide="ignore"):
                val = val * np.where(den != 0, num / np.where(den != 0, den, 1.0), 0.0)
        out[k] = val
    return out


def _angular_density(sqrt_s, m_N, cos_theta, model, *, flavour: str = "e", convention: str = "derived", pieces=None,
                     sin2w=None, beams=(0.0, 0.0)):
    """d sigma/d cos(theta_N) at d_gamma = 1 [pb] up to a positive factor that does not depend on the angle: the
    value of :func:`dsigma_dcos` away from the singular point, the limiting shape (finite) at it.  For sampling."""
    rs, m, dg = _check_inputs(sqrt_s, m_N, 1.0, flavour)
    ct = _check_cos(cos_theta)
    prod, _ = _coupling_products(model, flavour, sin2w)
    convention = _check_convention(convention)
    return sum(_dsigma_pieces(rs, m, ct, dg, prod, convention, _check_pieces(pieces), _sw(sin2w),
                              _beam_mix(beams, convention)).values())


def dsigma_dcos(sqrt_s, m_N, cos_theta, d_gamma, model, *, flavour: str = "e", convention: str = "derived",
                by_piece: bool = False, pieces=None, sin2w=None, beams=(0.0, 0.0)):
    r"""d sigma(e+e- -> N nu-bar)/d cos(theta_N) [pb], theta_N the angle between N and the e- beam.

    ``convention='as_printed'``: the derived angular shape of each piece rescaled to the printed total
    of Eqs. (10)-(13) (the paper prints no angular distributions), with the s-t interference dropped
    as the paper does.  ``by_piece=True`` returns a dict of the six pieces; ``pieces`` restricts the sum
    (e.g. ``("Z",)`` for N from Z decays).

    ``sin2w``: sin^2(theta_w) of the coupling rotation and of the Z couplings (None: the on-shell value);
    ``beams``: (P(e-), P(e+)), the longitudinal beam polarisations (default unpolarised; :mod:`helpers.beams`).

    Needs m_N < sqrt(s) and |cos(theta_N)| <= 1 (ValueError otherwise).  At the singular point
    a = -2 cot(theta_w) the value at fixed d_gamma is +inf (see :func:`_infinite_at_pole`).
    """
    rs, m, dg = _check_inputs(sqrt_s, m_N, d_gamma, flavour)
    ct = _check_cos(cos_theta)
    convention = _check_convention(convention)
    prod, pole = _coupling_products(model, flavour, sin2w)
    use = _check_pieces(pieces)
    out = _dsigma_pieces(rs, m, ct, dg, prod, convention, use, _sw(sin2w), _beam_mix(beams, convention))
    return _result(out, pole, flavour, use, by_piece)


def _result(out: dict, pole, flavour: str, use, by_piece: bool):
    """The pieces or their sum; at the singular point the limit of :func:`_infinite_at_pole`."""
    total = sum(out.values())
    if np.any(pole):
        return _infinite_at_pole(total, pole, flavour, use, by_piece)
    return out if by_piece else total


def _sigma_pieces(rs, m, dg, prod, convention: str, mult: float, use, sw: float, mix=(1.0, 0.0)) -> dict:
    f = _sigma_funcs(convention)
    f_lr = _sigma_funcs("derived", "LR") if mix[1] else None
    return {k: mult * _mixed(f[k], f_lr and f_lr[k], mix, rs**2, m, sw) * dg**2 * prod[k] * sm.GEV2_TO_PB
            for k in use}


def sigma(sqrt_s, m_N, d_gamma, model, *, flavour: str = "e", charge: str = "both", convention: str = "derived",
          by_piece: bool = False, pieces=None, sin2w=None, beams=(0.0, 0.0)):
    """Total production cross section [pb]: e+e- -> N nu-bar (``charge='N'``) or N nu-bar + N-bar nu (``'both'``, default).

    ``pieces`` restricts the sum (e.g. without the s-t interference: ("gamma", "Z", "gammaZ", "W")); ``sin2w``:
    sin^2(theta_w) of the coupling rotation and of the Z couplings (None: the on-shell value); ``beams``: (P(e-),
    P(e+)), the longitudinal beam polarisations (default unpolarised; N-bar nu is the CP image, produced by the
    same beams with the same cross section).
    Needs m_N < sqrt(s) (ValueError at or above threshold, where no N is produced).  At the singular point
    a = -2 cot(theta_w) the value at fixed d_gamma is +inf (see :func:`_infinite_at_pole`).
    """
    rs, m, dg = _check_inputs(sqrt_s, m_N, d_gamma, flavour)
    convention = _check_convention(convention)
    mult = 2.0 if _check_charge(charge) == "both" else 1.0
    prod, pole = _coupling_products(model, flavour, sin2w)
    use = _check_pieces(pieces)
    out = _sigma_pieces(rs, m, dg, prod, convention, mult, use, _sw(sin2w), _beam_mix(beams, convention))
    return _result(out, pole, flavour, use, by_piece)


def polarisation(sqrt_s, m_N, cos_theta, model, *, flavour: str = "e", pieces=None, sin2w=None, beams=(0.0, 0.0)):
    """Polarisation vector of N in e+e- -> N nu-bar: (P_L, P_T, P_N) along its helicity axis, in the
    production plane (towards increasing theta) and normal to it; the N-bar of the conjugate process
    has the CP-conjugate polarisation.

    Needs m_N < sqrt(s) and |cos(theta_N)| <= 1 (ValueError otherwise).  At the singular point
    a = -2 cot(theta_w) it is the limit a -> -2 cot(theta_w) (N produced through Z and W alone).  Where the selected
    pieces produce nothing (e.g. ``pieces=("Z",)`` at d_Z = 0) the polarisation is undefined and returned as 0."""
    rs, m, _ = _check_inputs(sqrt_s, m_N, 1.0, flavour)
    ct = _check_cos(cos_theta)
    prod, _ = _coupling_products(model, flavour, sin2w)
    use = _check_pieces(pieces)
    sw = _sw(sin2w)
    mix = _beam_mix(beams, "derived")
    f_lr = _msq_funcs("LR") if mix[1] else None
    tot = sum(_mixed(_msq_funcs()[k], f_lr and f_lr[k], mix, rs, m, ct, sw) * prod[k] for k in use)
    out = []
    for ax in ("L", "T", "N"):
        f = _pol_funcs()[ax]
        g = _pol_funcs("LR")[ax] if mix[1] else None
        num = sum(_mixed(f[k], g and g[k], mix, rs, m, ct, sw) * prod[k] for k in use)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where(tot != 0, num / np.where(tot != 0, tot, 1.0), 0.0))
    return tuple(np.broadcast_arrays(*out))


def sigma_explicit(sqrt_s, m_N, d_gamma, d_Z, d_W, *, flavour: str = "e", charge: str = "both",
                   convention: str = "derived", by_piece: bool = True, sin2w=None):
    """Cross section [pb] for explicit couplings d_gamma, d_Z, d_W (GeV^-1), independent of any scenario
    (e.g. d_gamma = d_Z = d_W, as in Fig. 2 of the paper).  By default by piece and for both charge states (as :func:`sigma`).
    d_gamma > 0; d_Z and d_W finite, of either sign."""
    rs, m, dg = _check_inputs(sqrt_s, m_N, d_gamma, flavour)
    dz = as_finite_array(d_Z, "d_Z")
    dw = as_finite_array(d_W, "d_W")
    convention = _check_convention(convention)
    mult = 2.0 if _check_charge(charge) == "both" else 1.0
    prod = _products(1.0, dz / dg, dw / dg, flavour)
    out = _sigma_pieces(rs, m, dg, prod, convention, mult, PIECES, _sw(sin2w))
    return out if by_piece else sum(out.values())
