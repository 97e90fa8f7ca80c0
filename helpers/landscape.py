"""External constraints on the dipole portal: the "landscape" of Fig. 8 and newer bounds.

The curves are digitised data files copied byte-for-byte from the HNLimits repository
(mhostert/Heavy-Neutrino-Limits, MIT licence); ``data/landscape/SOURCES.md`` lists every file
with its constraint, units, confidence level and original paper.  This module

* describes every constraint once, declaratively, in :data:`CURVES` (one :class:`Constraint` each);
* converts units ONCE, here: masses to GeV, magnetic moments mu [mu_B] to the dipole coupling
  d [GeV^-1] (:func:`mu_B_to_d`);
* strips the sentinel points the digitisers appended to close polygons (:func:`strip_sentinels`);
* returns each constraint as a :class:`Curve`: the excluded band d_low(m) <= d <= d_high(m) on an
  increasing mass array, ready for ``fill_between`` (plotting is left to the notebooks).

Nothing is rescaled to a common confidence level: each curve keeps the CL of its source
(``Constraint.cl``, also in the legend label).  (HNLimits itself multiplies 95 % CL curves by
sqrt(2.71/3.84) to quote everything at 90 % CL; we do not.)

Conventions
-----------
``kind = 'upper'``: d above the curve is excluded, from the first to the last mass point
(``d_high = inf``).  ``kind = 'band'``: only d between a lower and an upper edge is excluded.  A band
is given either by two files ``(top, bottom)`` or by one file holding a closed (or nearly closed)
outline, which is split at its largest-mass point into two chains; the chain with the larger values
is the upper edge.  The band spans the mass range of its lower edge; where the upper edge was
digitised over a shorter range it is continued flat at its end value (``numpy.interp``'s convention).
That only happens for the Super-K atmospheric e and mu curves, whose upper edge is the frame of the
original figure at d ~ 1e-5 GeV^-1 (the tau file, ``SK_atm_dtau_top.dat``, has that flat line
written out).

Each edge is put in drawing order, increasing mass: a file traced from large to small mass is
reversed, and the little backward steps that the digitiser left on near-vertical walls (below 1 %
in mass: LSND 0.2 %, MiniBooNE 0.6 %, DONUT 0.6 %) are made vertical by taking the running maximum
of the mass.
Interpolation between points is linear in (log m, log d).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .sm import ALPHA_0 as ALPHA_0, FLAVOURS as FLAVOURS, M_E as M_E_GEV  # the SM inputs, from their one home

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "landscape"


def fingerprint() -> str:
    """SHA-256 over the digitised files (names and contents): part of the key of a cached result that reads them."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(p for p in DATA_DIR.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(DATA_DIR)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]
KINDS = ("upper", "band")
MASS_UNITS = {"GeV": 1.0, "MeV": 1e-3}  #: factor to GeV
VALUE_UNITS = ("d_GeVinv", "mu_B")

# --- magnetic moment <-> dipole coupling -----------------------------------------------------------
# alpha(0) (ALPHA_0) and the electron mass in GeV (M_E_GEV) are helpers.sm.ALPHA_0 and helpers.sm.M_E.
#: Bohr magneton mu_B = e / (2 m_e) in natural Heaviside-Lorentz units, e = sqrt(4 pi alpha): 296.30 GeV^-1
MU_B_GEVINV = math.sqrt(4.0 * math.pi * ALPHA_0) / (2.0 * M_E_GEV)


def mu_B_to_d(mu):
    """Dipole coupling d [GeV^-1] for a transition magnetic moment mu [mu_B].

    The Lagrangian d (nu-bar sigma^{mu nu} N) F_{mu nu} + h.c. gives a transition moment mu_tr = 2 d,
    so d = mu * mu_B / 2 with mu_B = e/(2 m_e) = 296.30 GeV^-1 (the HNLimits convention; it turns
    the DONUT bound 3.9e-7 mu_B into the paper's 5.8e-5 GeV^-1).
    """
    return np.multiply(mu, MU_B_GEVINV / 2.0)


def d_to_mu_B(d):
    """Transition magnetic moment [mu_B] for a dipole coupling d [GeV^-1]; inverse of :func:`mu_B_to_d`."""
    return np.multiply(d, 2.0 / MU_B_GEVINV)


# --- the declarative table -----------------------------------------------------------------------
@dataclass(frozen=True)
class Constraint:
    """One external constraint, as digitised in ``data/landscape/``.

    ``files`` are relative to :data:`DATA_DIR`; for a band either ``(top, bottom)`` or one closed
    outline.  ``mass_unit`` and ``value_unit`` are the units *in the files*; :func:`load` returns
    GeV and GeV^-1.  ``reference`` is the arXiv id of the paper the curve comes from.
    """

    key: str
    label: str
    flavours: tuple[str, ...]
    files: tuple[str, ...]
    mass_unit: str
    value_unit: str
    cl: int
    kind: str
    in_paper: bool
    reference: str
    note: str = ""


_ALL = FLAVOURS

#: Every constraint, in legend order.  ``in_paper`` marks the curves shown in Fig. 8 of the paper.
CURVES: tuple[Constraint, ...] = (
    # flavour-universal
    Constraint("borexino", "Borexino (90% CL)", _ALL, ("Borexino_d.dat",), "GeV", "d_GeVinv", 90,
               "upper", True, "2007.15563", "nu-e scattering of solar neutrinos"),
    Constraint("xenon1t", "XENON1T (90% CL)", _ALL, ("Xenon1T_d.dat",), "GeV", "d_GeVinv", 90,
               "upper", True, "2007.15563", "nuclear recoils from solar neutrinos"),
    Constraint("sn1987a", "SN1987A (90% CL)", _ALL, ("SN1987A_muB_top.dat", "SN1987A_muB_bottom.dat"),
               "MeV", "mu_B", 90, "band", True, "1803.03262", "supernova cooling: a closed band"),
    Constraint("lep_magill", "LEP, Magill et al. (95% CL)", _ALL, ("LEPgz_d.dat",), "MeV", "d_GeVinv", 95,
               "upper", True, "1803.03262",
               "e+e- -> N nu, N -> nu gamma at the Z pole; header: 'd_gamma and d_Z', mediated by gamma or Z"),
    Constraint("borexino_sk", "Borexino + Super-K (90% CL)", _ALL, ("Borexino_SK_d.dat",), "GeV", "d_GeVinv",
               90, "upper", False, "2010.04193", "solar 'luminous' HNL signal (Plestid)"),
    # electron flavour
    Constraint("lsnd", "LSND (95% CL)", ("e",), ("e/LSND_de.dat",), "GeV", "d_GeVinv", 95,
               "upper", True, "1803.03262"),
    Constraint("sk_atm_e", "Super-K atm. (90% CL)", ("e",), ("e/SK_atm_de.dat",), "GeV", "d_GeVinv", 90,
               "band", False, "2205.02234", "one outline; upper edge is the figure frame at d ~ 1e-5"),
    # muon flavour
    Constraint("charm2", "CHARM-II (90% CL)", ("mu",), ("mu/CHARMII_dmu.dat",), "GeV", "d_GeVinv", 90,
               "upper", True, "1707.08573"),
    Constraint("miniboone", "MiniBooNE (95% CL)", ("mu",), ("mu/MiniBooNE_dmu.dat",), "GeV", "d_GeVinv", 95,
               "upper", True, "1803.03262"),
    Constraint("nomad", "NOMAD (90% CL)", ("mu",), ("mu/NOMAD_dmu.dat",), "GeV", "d_GeVinv", 90,
               "band", True, "1707.08573",
               "one closed outline; its upper edge is a straight segment at d ~ 5.6e-5 (orig. hep-ph/9808370)"),
    Constraint("minerva", "MINERvA (95% CL)", ("mu",), ("mu/MINERvA_RHC_nominal_d_tauN_0.dat",), "MeV",
               "d_GeVinv", 95, "upper", False, "2206.07100",
               "RHC mode, 30% background uncertainty; header says d_muN despite the file name"),
    Constraint("sk_atm_mu", "Super-K atm. (90% CL)", ("mu",), ("mu/SK_atm_dmu.dat",), "GeV", "d_GeVinv", 90,
               "band", False, "2205.02234", "one outline; upper edge is the figure frame at d ~ 1e-5"),
    # tau flavour
    Constraint("donut", "DONUT (90% CL)", ("tau",), ("tau/DONUT_dtau.dat",), "GeV", "d_GeVinv", 90,
               "upper", True, "hep-ex/0102026", "mu(nu_tau) < 3.9e-7 mu_B, i.e. d < 5.8e-5 GeV^-1"),
    Constraint("sk_atm_tau", "Super-K atm. (90% CL)", ("tau",),
               ("tau/SK_atm_dtau_top.dat", "tau/SK_atm_dtau.dat"), "GeV", "d_GeVinv", 90,
               "band", False, "2205.02234", "top file: the figure frame at d ~ 1e-5, then the nose"),
)

_BY_KEY = {c.key: c for c in CURVES}


def keys() -> tuple[str, ...]:
    """The constraint keys, in the order of :data:`CURVES`."""
    return tuple(_BY_KEY)


def get(key: str) -> Constraint:
    """The :class:`Constraint` record for ``key``; ValueError for an unknown key."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown constraint {key!r}; allowed: {', '.join(_BY_KEY)}") from None


def for_flavour(flavour: str, in_paper_only: bool = False) -> list[Constraint]:
    """The constraints on d for N mixing with ``flavour`` ('e', 'mu' or 'tau'), universal ones included."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}; allowed: {', '.join(FLAVOURS)}")
    return [c for c in CURVES if flavour in c.flavours and (c.in_paper or not in_paper_only)]


# --- reading the files ----------------------------------------------------------------------------
#: A trailing point is a sentinel if its value is an exact power of ten AND it is reached from the
#: point before by a near-vertical jump, |Delta log d| > SENTINEL_SLOPE * |Delta log m|.
SENTINEL_SLOPE = 50.0


def read_raw(relpath: str) -> tuple[np.ndarray, np.ndarray]:
    """(m, value) in the file's own units and order; ``#`` comments (whole lines or trailing) dropped."""
    data = np.loadtxt(DATA_DIR / relpath, comments="#", ndmin=2)
    return data[:, 0].copy(), data[:, 1].copy()


def _is_power_of_ten(v: float) -> bool:
    return v > 0 and abs(math.log10(v) - round(math.log10(v))) < 1e-9


def strip_sentinels(m: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop the sentinel points that close a polygon at the end of a digitised curve.

    Rule (applied repeatedly from the last point backwards, on the values in the file's units):
    the last point is a sentinel if (i) its value is an exact power of ten (1e-3, 1e-2, 0.1, 1, ...)
    and (ii) it sits on a near-vertical jump from the point before: the value grows and
    |log(v_n/v_{n-1})| > SENTINEL_SLOPE * |log(m_n/m_{n-1})|.  Condition (ii) keeps a genuine end
    point that happens to be round, e.g. MINERvA's last point d = 1e-5, which continues the curve
    smoothly (slope ~ 5; presumably where the curve leaves the original figure or grid).  In these files it removes d = 1e-3 (Borexino, MiniBooNE,
    DONUT), 1e-3 and 1e-2 (XENON1T), 1 (LEP), 1e-3 and 0.1 (Borexino+SK, LSND), 1e-3 and 1 (CHARM-II).
    """
    n = len(m)
    while n >= 2:
        dlogv = math.log10(v[n - 1] / v[n - 2]) if v[n - 2] > 0 else math.inf
        dlogm = abs(math.log10(m[n - 1] / m[n - 2]))
        if _is_power_of_ten(v[n - 1]) and dlogv > 0 and dlogv > SENTINEL_SLOPE * dlogm:
            n -= 1
        else:
            break
    return m[:n], v[:n]


def _edge_from_file_values(c: Constraint, m: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units to GeV / GeV^-1 -- the only place where units are converted."""
    m_GeV = m * MASS_UNITS[c.mass_unit]
    d = mu_B_to_d(v) if c.value_unit == "mu_B" else v
    return m_GeV, np.asarray(d, dtype=float)


def _drawing_order(m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Increasing mass: reverse a curve traced downwards; make backward wall steps vertical."""
    if m[0] > m[-1]:
        m, d = m[::-1], d[::-1]
    return np.maximum.accumulate(m), d.copy()


def loglog_interp(x, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Linear interpolation in (log x, log f); flat continuation outside [xp[0], xp[-1]]."""
    return np.exp(np.interp(np.log(x), np.log(xp), np.log(fp)))


def _split_outline(m: np.ndarray, d: np.ndarray):
    """Split one outline at its largest mass into (upper, lower) chains."""
    i = int(np.argmax(m))
    a, b = (m[: i + 1], d[: i + 1]), (m[i:], d[i:])
    if len(a[0]) < 2 or len(b[0]) < 2:
        raise ValueError("a band outline needs points on both sides of its largest mass")
    return (a, b) if np.median(np.log(a[1])) > np.median(np.log(b[1])) else (b, a)


@dataclass(frozen=True)
class Curve:
    """A loaded constraint: d_low(m) <= d <= d_high(m) is excluded, for m_GeV[0] <= m <= m_GeV[-1].

    Arrays are read-only, in drawing order (m_GeV non-decreasing); d in GeV^-1.  For an 'upper'
    curve ``d_high`` is +inf.
    """

    record: Constraint
    m_GeV: np.ndarray
    d_low: np.ndarray
    d_high: np.ndarray

    @property
    def key(self) -> str:
        return self.record.key

    @property
    def kind(self) -> str:
        return self.record.kind


def _edges(c: Constraint):
    """The (m [GeV], d [GeV^-1]) edges of a constraint, sentinels stripped, in drawing order."""
    converted = [_edge_from_file_values(c, *strip_sentinels(*read_raw(f))) for f in c.files]
    if c.kind == "upper":
        (edge,) = converted
        return [_drawing_order(*edge)]
    if len(converted) == 1:
        upper, lower = _split_outline(*converted[0])
    else:
        upper, lower = converted
    return [_drawing_order(*upper), _drawing_order(*lower)]


@lru_cache(maxsize=None)
def load(key: str) -> Curve:
    """The constraint ``key`` as a :class:`Curve` (GeV, GeV^-1), see the module docstring."""
    c = get(key)
    if c.kind == "upper":
        ((m, d_low),) = _edges(c)
        d_high = np.full_like(d_low, np.inf)
    else:
        (m_hi, d_hi), (m_lo, d_lo) = _edges(c)
        m = np.unique(np.concatenate([m_lo, m_hi]))
        m = m[(m >= m_lo[0]) & (m <= m_lo[-1])]
        d_low, d_high = loglog_interp(m, m_lo, d_lo), loglog_interp(m, m_hi, d_hi)
    for arr in (m, d_low, d_high):
        arr.setflags(write=False)
    return Curve(c, m, d_low, d_high)


def excluded(key: str, m_GeV, d):
    """True where (m_GeV, d [GeV^-1]) lies inside the region excluded by ``key`` (log-log interpolation)."""
    cur = load(key)
    m, d = np.broadcast_arrays(np.asarray(m_GeV, dtype=float), np.asarray(d, dtype=float))
    inside = (m >= cur.m_GeV[0]) & (m <= cur.m_GeV[-1])
    mm = np.clip(m, cur.m_GeV[0], cur.m_GeV[-1])
    above = d >= loglog_interp(mm, cur.m_GeV, cur.d_low)
    below = True if cur.kind == "upper" else d <= loglog_interp(mm, cur.m_GeV, cur.d_high)
    out = inside & above & below
    return bool(out) if out.ndim == 0 else out
