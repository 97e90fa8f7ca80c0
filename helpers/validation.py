"""Input checks shared by all modules: bad input raises ``ValueError`` saying what is allowed.

The rules, the same in every module:

* masses, energies, sqrt(s), lengths and dipole couplings are finite numbers > 0 (NaN and inf raise);
  couplings that carry a sign (d_Z, d_W) are finite numbers of either sign;
* cos(theta) is finite and lies in [-1, 1];
* a name (flavour, convention, three-body mode, photon model, charge count, boson) is one of the listed
  choices;
* production needs m_N < sqrt(s): at or above threshold there is no N, and the production functions raise;
  a *decay* channel that is closed at the given mass is not an error: its width is 0 (a closed channel
  has no width), as every decay docstring says;
* a model is a scenario name or a real number a = d_W/d_B (:func:`helpers.couplings.resolve_model`).
"""

from __future__ import annotations

import numpy as np

from . import sm

CONVENTIONS = ("derived", "as_printed")  #: the derived formulas, or the paper's printed ones
#: the printed equations that can be chosen one by one (a convention may also be a tuple of these):
#: Eq. (8) Gamma(N -> l W), Eqs. (11), (12), (13) sigma^Z, sigma^gammaZ, sigma^W, Eq. (19) Gamma(Z -> N nu), and
#: 'no_st', Sec. III's statement that the s-t interference vanishes (its pieces set to zero).  'as_printed' is all six.
PRINTED_EQUATIONS = ("eq8", "eq11", "eq12", "eq13", "eq19", "no_st")
CHARGES = ("N", "both")  #: e+e- -> N nu-bar only, or N nu-bar + N-bar nu


def as_finite_array(x, name: str) -> np.ndarray:
    """Return ``x`` as a float array; raise if any entry is NaN or infinite (or not a real number)."""
    if x is None or isinstance(x, (str, bytes)) or np.iscomplexobj(x):
        raise ValueError(f"{name} must be a finite real number (got {x!r})")
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite real number (got {x!r})") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (got {x!r}); NaN and inf are not allowed")
    return arr


def positive(x, name: str, unit: str = "GeV") -> np.ndarray:
    """A strictly positive, finite quantity (masses, energies, couplings)."""
    arr = as_finite_array(x, name)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 {unit} (got {x!r})".replace("  ", " "))
    return arr


def non_negative(x, name: str, unit: str = "GeV") -> np.ndarray:
    """A finite quantity >= 0 (a lepton mass, a boson virtuality)."""
    arr = as_finite_array(x, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 {unit} (got {x!r})".replace("  ", " "))
    return arr


def mass(m, name: str = "m_N") -> np.ndarray:
    """A physical mass: finite and > 0 GeV."""
    return positive(m, name, "GeV")


def coupling(d, name: str = "d_gamma") -> np.ndarray:
    """A dipole coupling magnitude: finite and > 0 GeV^-1 (signs live in the ratios d_Z/d_gamma, d_W/d_gamma)."""
    return positive(d, name, "GeV^-1")


def cos_theta(c, name: str = "cos_theta") -> np.ndarray:
    """A cosine: finite and in [-1, 1]."""
    arr = as_finite_array(c, name)
    if np.any(np.abs(arr) > 1):
        raise ValueError(f"{name} must lie in [-1, 1], i.e. |cos| <= 1 (got {c!r})")
    return arr


def fraction(x, name: str) -> float:
    """A probability or efficiency: one finite number in [0, 1]."""
    arr = as_finite_array(x, name)
    if arr.ndim or not 0 <= float(arr) <= 1:
        raise ValueError(f"{name} must be one number in [0, 1] (got {x!r})")
    return float(arr)


def count(n, name: str, minimum: int = 1) -> int:
    """An integer >= ``minimum`` (sample sizes, chunk lengths, quadrature nodes, seeds)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum} (got {n!r})")
    return int(n)


def choice(value, allowed, name: str):
    """``value`` if it is one of ``allowed`` (compared with ==, so only hashable names are accepted)."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(map(str, allowed))}")
    return value


def convention(c):
    """A convention in canonical form: 'derived' (the book's derived formulas), 'as_printed' (every printed
    equation of :data:`PRINTED_EQUATIONS`), or a sorted tuple of some of them (e.g. ``("eq11",)``: only
    Eq. (11) as printed).  The empty tuple is 'derived', all six are 'as_printed'."""
    if isinstance(c, str):
        return choice(c, CONVENTIONS, "convention")
    if isinstance(c, (tuple, list, frozenset, set)):
        bad = [x for x in c if x not in PRINTED_EQUATIONS]
        if bad:
            raise ValueError(f"unknown printed equations {bad}; allowed: {', '.join(PRINTED_EQUATIONS)}")
        eqs = tuple(x for x in PRINTED_EQUATIONS if x in c)
        return "derived" if not eqs else "as_printed" if len(eqs) == len(PRINTED_EQUATIONS) else eqs
    raise ValueError(f"unknown convention {c!r}; allowed: {', '.join(CONVENTIONS)} or a tuple of "
                     f"{', '.join(PRINTED_EQUATIONS)}")


def printed(c, equation: str) -> bool:
    """Whether convention ``c`` uses ``equation`` (one of :data:`PRINTED_EQUATIONS`) as printed."""
    c = convention(c)
    return c == "as_printed" or (c != "derived" and equation in c)


def charge(c: str) -> str:
    """'N' (e+e- -> N nu-bar) or 'both' (plus the CP-conjugate N-bar nu)."""
    if not isinstance(c, str) or c not in CHARGES:
        raise ValueError(f"unknown charge {c!r}; allowed: 'N' (e+e- -> N nu-bar) or 'both' (plus N-bar nu)")
    return c


def flavour(f: str) -> str:
    """One of 'e', 'mu', 'tau'."""
    if not isinstance(f, str) or f not in sm.LEPTON_MASS:
        raise ValueError(f"unknown flavour {f!r}; allowed: {', '.join(sm.FLAVOURS)}")
    return f


def below_threshold(m_N, sqrt_s, name: str = "m_N") -> None:
    """Production needs m_N < sqrt(s) (no N is produced at or above threshold: the caller raises)."""
    m = np.asarray(m_N, dtype=float)
    if np.any(m >= np.asarray(sqrt_s, dtype=float)):
        raise ValueError(f"{name} must be below sqrt(s) = {sqrt_s!r} GeV (got {m_N!r}): no N is produced at or "
                         "above threshold")


def sin2w(value) -> float:
    """sin^2(theta_w) of the dipole-coupling rotation and the Z couplings: None means the book's on-shell value
    (:data:`helpers.sm.SIN2_THETA_W`); otherwise a number strictly between 0 and 1."""
    from . import sm

    if value is None:
        return sm.SIN2_THETA_W
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0 < float(value) < 1:
        raise ValueError(f"sin2w must be None (the on-shell value) or a number in (0, 1) (got {value!r})")
    return float(value)
