r"""Dipole couplings of the heavy neutral lepton N: from the unbroken to the broken phase.

The gauge-invariant operator (Eq. 2 of Zhang & Liu 2023) is

.. math::  \mathcal{L} \supset \bar L\,(d_{\mathcal W} \mathcal{W}^a_{\mu\nu}\tau^a + d_B B_{\mu\nu})\,\tilde H\,\sigma^{\mu\nu} N + \mathrm{h.c.}

Everything here is *derived* with SymPy (:func:`derive_broken_phase`): the Higgs
doublet takes its vacuum value, the neutral fields are rotated to (Z, A) and the
charged ones to W^\pm.  The resulting expressions are the single source of truth;
numeric functions are made from them with ``sympy.lambdify``.

Conventions: Z = cos(theta_w) W^3 - sin(theta_w) B, A = sin(theta_w) W^3 + cos(theta_w) B,
W^\pm = (W^1 \mp i W^2)/sqrt(2).  d_gamma, d_Z, d_W are the coefficients of
nu-bar sigma F N, nu-bar sigma Z N and l-bar sigma W^- N in the Lagrangian
(all with a plus sign; see the errata page on the sign printed in Eq. 3).

The singular point a = -2 cot(theta_w) (:data:`A_POLE`, :func:`at_pole`)
-------------------------------------------------------------------------
There d_gamma = 0 for every d_calW, d_B, so at a fixed d_gamma the couplings d_Z and d_W are infinite.
Every function of the package returns its limit a -> -2 cot(theta_w) where that limit exists (the
same from both sides), and raises ValueError where it does not:

* :func:`coupling_ratios`, :func:`couplings`: ValueError (the ratios diverge with opposite signs);
* Br(N -> nu gamma) = 0; the N -> nu Z(*) and N -> l W(*) widths and the total width at fixed d_gamma
  are +inf (0 for a closed channel), the decay length 0;
* sigma(e+e- -> N nu-bar) and d sigma/d cos at fixed d_gamma: +inf (by piece: ValueError, the
  interference pieces change sign across the pole);
* the N polarisation, the photon kinematics and acceptance: finite limits (N made by Z and W alone);
* sigma x Br, the signal cross section and the rates of the limit solver: finite limits (sigma grows
  as (d_Z/d_gamma)^2, Br falls as the inverse), so the photon bounds on d_gamma are continuous through
  the pole; the Z-invisible rate is 0 there (N decays promptly): no Z-invisible bound.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from . import sm

# --- symbols ---------------------------------------------------------------------
v = sp.Symbol("v", positive=True)
theta_w = sp.Symbol(r"\theta_w", positive=True)
d_Wc = sp.Symbol(r"d_{\mathcal{W}}", real=True)  # SU(2)_L coupling d_calW
d_B = sp.Symbol("d_B", real=True)  # U(1)_Y coupling
a = sp.Symbol("a", real=True)  # a = d_calW / d_B
d_gamma = sp.Symbol(r"d_\gamma", positive=True)
d_Z = sp.Symbol("d_Z", real=True)
d_W = sp.Symbol("d_W", real=True)

SCENARIO_NAMES = ("I", "II", "III", "IV")


@lru_cache(maxsize=None)
def derive_broken_phase() -> dict[str, sp.Expr]:
    r"""Derive d_gamma, d_Z, d_W in terms of d_calW, d_B from the operator of Eq. (2).

    Field strengths are represented by commuting symbols: only the abelian parts
    of the field strengths enter the one-boson dipole vertices (the g eps^{abc} W^b W^c
    piece of W^a_{mu nu} gives two-boson contact terms, not needed here).
    Returns a dict with keys 'd_gamma', 'd_Z', 'd_W'.
    """
    W1, W2, W3, B = sp.symbols("W^1 W^2 W^3 B")
    Z, A, Wp, Wm = sp.symbols("Z A W^+ W^-")
    nubar, lbar = sp.symbols(r"\bar{\nu} \bar{\ell}", commutative=True)
    pauli = [sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -sp.I], [sp.I, 0]]), sp.Matrix([[1, 0], [0, -1]])]
    tau = [s / 2 for s in pauli]
    field = d_Wc * (W1 * tau[0] + W2 * tau[1] + W3 * tau[2]) + d_B * B * sp.eye(2)
    H_tilde = sp.Matrix([v / sp.sqrt(2), 0])  # i sigma_2 H^*, with <H> = (0, v/sqrt 2)
    Lbar = sp.Matrix([[nubar, lbar]])
    lag = sp.expand((Lbar * field * H_tilde)[0, 0])
    c, s = sp.cos(theta_w), sp.sin(theta_w)
    rotation = {
        W1: (Wp + Wm) / sp.sqrt(2),
        W2: sp.I * (Wp - Wm) / sp.sqrt(2),
        W3: c * Z + s * A,
        B: -s * Z + c * A,
    }
    lag = sp.expand(lag.subs(rotation, simultaneous=True))
    out = {
        "d_gamma": sp.simplify(lag.coeff(nubar).coeff(A)),
        "d_Z": sp.simplify(lag.coeff(nubar).coeff(Z)),
        "d_W": sp.simplify(lag.coeff(lbar).coeff(Wm)),
    }
    # the l-bar W^+ N term must be absent (charge conservation): a consistency check
    assert sp.simplify(lag.coeff(lbar).coeff(Wp)) == 0
    return out


def printed_eq4() -> dict[str, sp.Expr]:
    """Eq. (4) exactly as printed in the paper."""
    c, s = sp.cos(theta_w), sp.sin(theta_w)
    pref = v / sp.sqrt(2)
    return {
        "d_gamma": pref * (d_B * c + d_Wc / 2 * s),
        "d_Z": pref * (d_Wc / 2 * c - d_B * s),
        "d_W": pref * d_Wc / 2 * sp.sqrt(2),
    }


@lru_cache(maxsize=None)
def derive_ratios() -> dict[str, sp.Expr]:
    """d_Z/d_gamma and d_W/d_gamma as functions of a = d_calW/d_B (Eq. 6), derived."""
    broken = derive_broken_phase()
    sub = {d_Wc: a * d_B}
    dg = broken["d_gamma"].subs(sub)
    return {
        "d_Z": sp.simplify(sp.factor(broken["d_Z"].subs(sub) / dg)),
        "d_W": sp.simplify(sp.factor(broken["d_W"].subs(sub) / dg)),
    }


def printed_eq6() -> dict[str, sp.Expr]:
    """Eq. (6) as printed: d_Z/d_gamma and d_W/d_gamma in terms of a."""
    c, s = sp.cos(theta_w), sp.sin(theta_w)
    return {
        "d_Z": (a * c - 2 * s) / (2 * c + a * s),
        "d_W": sp.sqrt(2) * a / (2 * c + a * s),
    }


def scenario_a() -> dict[str, sp.Expr]:
    """Where each scenario of Table I sits in a = d_calW/d_B (II is the limit a -> infinity)."""
    t = sp.tan(theta_w)
    return {"I": sp.Integer(0), "II": sp.oo, "III": 2 * t, "IV": -2 * t}


def printed_table_I() -> dict[str, dict[str, sp.Expr]]:
    """The relations column of Table I, as printed: ratios d_Z/d_gamma and d_W/d_gamma."""
    c, s, t = sp.cos(theta_w), sp.sin(theta_w), sp.tan(theta_w)
    return {
        "I": {"d_Z": -t, "d_W": sp.Integer(0)},
        "II": {"d_Z": c / s, "d_W": sp.sqrt(2) / s},
        "III": {"d_Z": sp.Integer(0), "d_W": sp.sqrt(2) * s},
        "IV": {"d_Z": -sp.tan(2 * theta_w), "d_W": -sp.sqrt(2) * s / sp.cos(2 * theta_w)},
    }


@lru_cache(maxsize=None)
def ratios_at_scenario(name: str) -> dict[str, sp.Expr]:
    """Derived ratios evaluated at a scenario (a limit for scenario II)."""
    name = check_scenario(name)
    a0 = scenario_a()[name]
    r = derive_ratios()
    if a0 is sp.oo:
        return {k: sp.simplify(sp.limit(e, a, sp.oo)) for k, e in r.items()}
    return {k: sp.simplify(e.subs(a, a0)) for k, e in r.items()}


def table_I_residuals() -> dict[str, dict[str, sp.Expr]]:
    """derived - printed for every relation of Table I, simplified (all zero if Table I is right)."""
    printed = printed_table_I()
    out = {}
    for name in SCENARIO_NAMES:
        der = ratios_at_scenario(name)
        out[name] = {k: sp.simplify(sp.expand_trig(der[k] - printed[name][k])) for k in der}
    return out


@lru_cache(maxsize=None)
def singular_points() -> dict[str, sp.Expr]:
    """The pole of d_Z/d_gamma, d_W/d_gamma in a, and the zero of d_Z, solved symbolically."""
    r = derive_ratios()
    num, den = sp.fraction(sp.together(r["d_Z"]))
    pole = sp.solve(sp.Eq(den, 0), a)
    zero = sp.solve(sp.Eq(num, 0), a)
    assert len(pole) == 1 and len(zero) == 1
    return {"pole": sp.simplify(pole[0]), "d_Z_zero": sp.simplify(zero[0])}


# --- numbers ---------------------------------------------------------------------------

MODEL_RULE = (f"model must be a scenario name ({', '.join(SCENARIO_NAMES)}) or a real number a = d_W/d_B "
              "(+-inf: the d_B = 0 limit, scenario II)")

#: The singular point a = -2 cot(theta_w) (:func:`singular_points`, evaluated): there d_gamma = 0 for every d_calW, d_B.
A_POLE = -2.0 / math.tan(sm.THETA_W)
#: a counts as the singular point when |a - a_pole| <= POLE_RTOL |a_pole| (a few thousand units in the last place,
#: so that every double-precision evaluation of -2 cot(theta_w) is caught).
POLE_RTOL = 1e-12


def _theta(sin2w) -> float:
    """theta_w for sin^2(theta_w) = ``sin2w`` (None: the book's on-shell value)."""
    from .validation import sin2w as _check_sin2w

    return math.asin(math.sqrt(_check_sin2w(sin2w)))


def a_pole(sin2w=None) -> float:
    """The singular point a = -2 cot(theta_w) at sin^2(theta_w) = ``sin2w`` (None: on-shell, :data:`A_POLE`)."""
    return A_POLE if sin2w is None else -2.0 / math.tan(_theta(sin2w))


def check_scenario(name) -> str:
    """A scenario name of Table I; ValueError with the allowed models otherwise."""
    if not isinstance(name, str) or name not in SCENARIO_NAMES:
        raise ValueError(f"unknown scenario {name!r}: {MODEL_RULE}")
    return name


def scenario_a_value(name: str, sin2w=None) -> float:
    """Numeric a of a scenario (np.inf for scenario II) at sin^2(theta_w) = ``sin2w`` (None: on-shell)."""
    a0 = scenario_a()[check_scenario(name)]
    return float("inf") if a0 is sp.oo else float(a0.subs(theta_w, _theta(sin2w)))


def resolve_model(model, sin2w=None) -> np.ndarray:
    """Turn a model specification into a (possibly infinite) float array of a.

    ``model`` is a scenario name ('I', 'II', 'III', 'IV') or a real number / array of
    a = d_calW/d_B; +-inf is the scenario-II limit (d_B = 0).  Anything else (None, a bool, a complex
    number, NaN, another string) raises ValueError: "model must be a scenario name (I, II, III, IV) or a
    real number a = d_W/d_B".
    """
    if isinstance(model, str):
        return np.asarray(scenario_a_value(model, sin2w))
    if model is None or isinstance(model, (bool, np.bool_, bytes)) or np.iscomplexobj(model):
        raise ValueError(f"{MODEL_RULE}; got {model!r}")
    try:
        arr = np.asarray(model, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{MODEL_RULE}; got {model!r}") from None
    if np.asarray(model).dtype == bool:
        raise ValueError(f"{MODEL_RULE}; got {model!r}")
    if np.any(np.isnan(arr)):
        raise ValueError(f"{MODEL_RULE}; got NaN in {model!r}")
    return arr


def at_pole(model, sin2w=None) -> np.ndarray:
    """True where a model is the singular point a = -2 cot(theta_w) (within :data:`POLE_RTOL`) at
    sin^2(theta_w) = ``sin2w`` (None: on-shell); False for scenario names and a = +-inf."""
    aa = resolve_model(model, sin2w)
    ap = a_pole(sin2w)
    with np.errstate(invalid="ignore"):
        return np.abs(aa - ap) <= POLE_RTOL * abs(ap)


@lru_cache(maxsize=None)
def _ratio_functions():
    r = derive_ratios()
    f_Z = sp.lambdify((a, theta_w), r["d_Z"], "numpy")
    f_W = sp.lambdify((a, theta_w), r["d_W"], "numpy")
    lim = {k: sp.lambdify(theta_w, sp.limit(e, a, sp.oo), "math") for k, e in r.items()}  # a -> +-inf, of theta_w
    return f_Z, f_W, lim


@lru_cache(maxsize=None)
def _pole_direction_exprs() -> tuple[sp.Expr, sp.Expr]:
    r = derive_ratios()
    den = 2 * sp.cos(theta_w) + a * sp.sin(theta_w)
    pole = singular_points()["pole"]
    return tuple(sp.simplify(sp.cancel(sp.together(r[k] * den)).subs(a, pole)) for k in ("d_Z", "d_W"))


@lru_cache(maxsize=None)
def _pole_direction(sin2w=None) -> tuple[float, float]:
    """lim_{a -> pole} (d_Z/d_gamma, d_W/d_gamma) (2 cos(theta_w) + a sin(theta_w)): the direction (d_Z : d_W) at the
    pole, where d_gamma = 0 (closed form: (-2/sin, -2 sqrt(2) cot), checked in the tests); at sin^2(theta_w) =
    ``sin2w`` (None: on-shell)."""
    th = _theta(sin2w)
    return tuple(float(e.subs(theta_w, th)) for e in _pole_direction_exprs())


def _homogeneous(model, sin2w=None):
    """(g, r_Z, r_W, pole) with d_gamma : d_Z : d_W = g : r_Z : r_W for every a, the singular point included.

    Away from the pole g = 1 and (r_Z, r_W) are :func:`coupling_ratios`; at the pole g = 0 and (r_Z, r_W) is the
    limiting direction :func:`_pole_direction` (finite).  Used by the functions that have a limit at the pole.
    """
    aa = resolve_model(model, sin2w)
    pole = at_pole(aa, sin2w)
    f_Z, f_W, lim = _ratio_functions()
    th = _theta(sin2w)
    inf = np.isinf(aa)
    a_fin = np.where(inf | pole, 0.0, aa)
    rz = np.where(inf, lim["d_Z"](th), f_Z(a_fin, th))
    rw = np.where(inf, lim["d_W"](th), f_W(a_fin, th))
    if np.any(pole):
        nz, nw = _pole_direction(sin2w)
        rz, rw = np.where(pole, nz, rz), np.where(pole, nw, rw)
    return np.where(pole, 0.0, 1.0), rz, rw, pole


def pole_error(model, sin2w=None) -> ValueError:
    """The error raised where a quantity has no value at the singular point."""
    return ValueError(
        f"a = {model!r} is the singular point a = -2 cot(theta_w) = {a_pole(sin2w):.6f}: d_gamma = 0 there for every "
        "d_calW, d_B, so d_Z/d_gamma and d_W/d_gamma are infinite (and change sign across it); "
        "Br(N -> nu gamma) = 0 there"
    )


def coupling_ratios(model, *, sin2w=None) -> tuple[np.ndarray, np.ndarray]:
    """(d_Z/d_gamma, d_W/d_gamma) for a scenario name or a (array of) a, at sin^2(theta_w) = ``sin2w`` (None: the
    book's on-shell value).

    At the singular point a = -2 cot(theta_w) (:func:`at_pole`) the ratios have no value (they diverge with
    opposite signs on the two sides): ValueError.  What the other functions do there is listed in the
    module :mod:`helpers.couplings` docstring.
    """
    _, rz, rw, pole = _homogeneous(model, sin2w)
    if np.any(pole):
        raise pole_error(model, sin2w)
    return rz, rw


def couplings(d_gamma, model, *, sin2w=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(d_gamma, d_Z, d_W) in GeV^-1 for a photon coupling d_gamma and a model (scenario or a); ValueError at
    the singular point (see :func:`coupling_ratios`); ``sin2w``: sin^2(theta_w) (None: on-shell)."""
    from .validation import coupling

    dg = coupling(d_gamma, "d_gamma")
    rz, rw = coupling_ratios(model, sin2w=sin2w)
    return dg * np.ones_like(rz), dg * rz, dg * rw
