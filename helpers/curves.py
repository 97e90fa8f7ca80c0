"""Machine-readable limit curves: computing, writing and reading ``data/limits/*.csv``.

File format (one curve per file): ``#`` comment lines with units and provenance, then a header row and
one row per grid point, ``<x>,d_gamma_low_GeVinv,d_gamma_high_GeVinv``: the lower and upper edge of the
excluded band; both empty where nothing is excluded; ``inf`` where the band is open upwards.

* versus mass: ``data/limits/<analysis>_<scenario>_<flavour>.csv``, x = ``m_N_GeV`` on :data:`MASS_GRID`;
* versus a:    ``data/limits/vs_a/<analysis>_mN<mass>_<flavour>.csv``, x = ``a`` on :data:`A_GRID`.

The curves are *computed* by functions (:func:`curve_vs_mass`, :func:`curve_vs_a`, :func:`combined_curve`), cached on
disk by :mod:`helpers.symcache` under a key of every input (the analysis record, the grid, the options) and the code.
Notebooks call these functions and write nothing; :func:`export` (``python -m helpers export``, ``make data``) is the
one place that writes the files, and a test recomputes a sample of the committed files to prove they are current.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import math
from pathlib import Path

import numpy as np

from . import __version__
from . import colliders as _col
from . import experiments as _exp
from . import limits as _lim
from .couplings import SCENARIO_NAMES
from .sm import FLAVOURS
from .symcache import cached_arrays

MASS_GRID = np.geomspace(1e-2, 2e2, 200)  #: GeV, 200 log-spaced points (the range of Fig. 3)
A_GRID = np.linspace(-10.0, 10.0, 401)  #: a = d_W/d_B, 401 points
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "limits"


def experiment_for(analysis: str) -> _exp.Experiment:
    """The record of a LEP analysis (``lep1_opal``, ...) or of a projected running mode (``cepc_z``, ...)."""
    return _exp.get(analysis)


CEPC_ANALYSES = tuple(_col.modes("CEPC (paper)"))  #: the paper's CEPC modes


def _fmt(x: float) -> str:
    if np.isnan(x):
        return ""
    if math.isinf(x):
        return "inf"
    return f"{x:.6e}"


def write_curve(path: Path, x_name: str, x, low, high, comments: list[str]) -> Path:
    """Write one curve file (see the module docstring for the format)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        for line in comments:
            fh.write(f"# {line}\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([x_name, "d_gamma_low_GeVinv", "d_gamma_high_GeVinv"])
        for xi, lo, hi in zip(x, low, high):
            w.writerow([f"{xi:.6e}", _fmt(lo), _fmt(hi)])
    return path


def read_curve(path: Path):
    """Read a curve file: returns (x, low, high) float arrays (NaN where nothing is excluded)."""
    rows = [r for r in Path(path).read_text().splitlines() if r and not r.startswith("#")]
    body = list(csv.reader(rows[1:]))
    x = np.array([float(r[0]) for r in body])
    low = np.array([float(r[1]) if r[1] else np.nan for r in body])
    high = np.array([float(r[2]) if r[2] else np.nan for r in body])
    return x, low, high


def _provenance(exp: _exp.Experiment, what: str, options: dict) -> list[str]:
    opts = ", ".join(f"{k}={v}" for k, v in sorted(options.items())) or "defaults"
    return [
        f"dipole-portal-book: {what}",
        f"analysis: {exp.label} ({exp.name}), sqrt(s) = {exp.sqrt_s:.4f} GeV; {exp.statistic}",
        f"reference: {exp.reference} (book/references.bib); reproduces Zhang & Liu, PRD 107, 095031 (2023)",
        "units: m_N in GeV, d_gamma in GeV^-1; columns: lower and upper edge of the excluded band "
        "(empty: nothing excluded; inf: open upwards)",
        f"computed by helpers {__version__} (helpers.curves), options: {opts}; written by python -m helpers export",
    ]


def _stable(value):
    """A text key of a value that does not depend on memory addresses (records by every field, functions by
    qualified name, arrays by hash)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple((f.name, _stable(getattr(value, f.name)))
                                               for f in dataclasses.fields(value))
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    if isinstance(value, np.ndarray):
        arr = np.ascontiguousarray(value, dtype=float)
        return f"array{arr.shape}:{hashlib.sha256(arr.tobytes()).hexdigest()[:16]}"
    if isinstance(value, (tuple, list)):
        return tuple(_stable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _stable(v)) for k, v in value.items()))
    return repr(value)


def curve_vs_mass(analysis: str, scenario: str, flavour: str, masses=MASS_GRID, **options):
    """(m_N, d_low, d_high) of one analysis, scenario and flavour; cached on disk (key: the analysis record, the
    masses, the options and the code).  ``acc``, a precomputed acceptance, may be passed to save time."""
    exp = experiment_for(analysis)
    masses = np.asarray(masses, dtype=float)
    acc = options.pop("acc", None)

    def build():
        low, high = _lim.limit_band(exp, masses, scenario, flavour, acc=acc, **options)
        return {"low": np.asarray(low, dtype=float), "high": np.asarray(high, dtype=float)}

    key = ("mass", _stable(exp), _stable(scenario), flavour, _stable(masses), _stable(options))
    data = cached_arrays("curves.curve_vs_mass", key, build)
    return masses, data["low"], data["high"]


def curve_vs_a(analysis: str, m_N: float, flavour: str, a_grid=A_GRID, **options):
    """(a, d_low, d_high) of one analysis at fixed m_N; cached on disk like :func:`curve_vs_mass`."""
    exp = experiment_for(analysis)
    a_grid = np.asarray(a_grid, dtype=float)

    def build():
        low, high = _lim.limit_band(exp, m_N, a_grid, flavour, **options)
        return {"low": np.asarray(low, dtype=float), "high": np.asarray(high, dtype=float)}

    key = ("a", _stable(exp), float(m_N), flavour, _stable(a_grid), _stable(options))
    data = cached_arrays("curves.curve_vs_a", key, build)
    return a_grid, data["low"], data["high"]


def mass_file(analysis: str, scenario: str, flavour: str, directory: Path = DATA_DIR) -> Path:
    return Path(directory) / f"{analysis}_{scenario}_{flavour}.csv"


def a_file(analysis: str, m_N: float, flavour: str, directory: Path = DATA_DIR) -> Path:
    return Path(directory) / "vs_a" / f"{analysis}_mN{m_N:g}_{flavour}.csv"


def _mass_comment(exp, scenario, flavour, options) -> list[str]:
    return _provenance(exp, f"95% CL excluded d_gamma versus m_N, scenario {scenario}, flavour {flavour}", options)


def write_mass_curves(analyses=None, directory: Path = DATA_DIR, **options) -> list[Path]:
    """Compute (or take from the cache) and write every (analysis, scenario, flavour) curve versus m_N."""
    paths = []
    for analysis in analyses or _exp.ANALYSES:
        exp = experiment_for(analysis)
        for scenario in SCENARIO_NAMES:
            for flavour in FLAVOURS:
                x, lo, hi = curve_vs_mass(analysis, scenario, flavour, **options)
                paths.append(write_curve(mass_file(analysis, scenario, flavour, directory), "m_N_GeV", x, lo, hi,
                                         _mass_comment(exp, scenario, flavour, options)))
    return paths


def write_a_curves(jobs, directory: Path = DATA_DIR, **options) -> list[Path]:
    """Compute (or take from the cache) and write curves versus a for (analysis, m_N, flavour) triples."""
    paths = []
    for analysis, m_N, flavour in jobs:
        exp = experiment_for(analysis)
        x, lo, hi = curve_vs_a(analysis, m_N, flavour, **options)
        comments = _provenance(exp, f"95% CL excluded d_gamma versus a = d_W/d_B at m_N = {m_N:g} GeV, flavour {flavour}",
                               options)
        paths.append(write_curve(a_file(analysis, m_N, flavour, directory), "a", x, lo, hi, comments))
    return paths


# --- combinations ------------------------------------------------------------------------------------------------

LEP_ANALYSES = ("lep1_opal", "lep2_delphi", "l3_zgamma", "z_invisible")
COMBINED_KINDS = {"lep": LEP_ANALYSES, "cepc": CEPC_ANALYSES}  #: the combinations and what they combine


def union_intervals(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Merge overlapping or touching (low, high) intervals."""
    out: list[list[float]] = []
    for lo, hi in sorted(i for i in intervals if np.isfinite(i[0])):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(x) for x in out]


def combined_curve(kind: str, scenario: str, flavour: str):
    """Union of the excluded bands of the LEP analyses (``kind='lep'``) or of the CEPC modes (``'cepc'``) at each
    mass: (m_N, low, high, n_bands), computed from :func:`curve_vs_mass`.

    Where the union is not a single band (a gap between two excluded regions), low/high give the band
    reaching the largest d_gamma (the one that bounds d_gamma from below in practice) and n_bands > 1
    flags it; the combined files record this in their header.
    """
    if kind not in COMBINED_KINDS:
        raise ValueError(f"unknown combination {kind!r}; allowed: {', '.join(COMBINED_KINDS)}")
    curves = [curve_vs_mass(a, scenario, flavour) for a in COMBINED_KINDS[kind]]
    m = curves[0][0]
    low, high, nb = np.full(m.shape, np.nan), np.full(m.shape, np.nan), np.zeros(m.shape, dtype=int)
    for i in range(len(m)):
        bands = union_intervals([(c[1][i], c[2][i]) for c in curves])
        nb[i] = len(bands)
        if bands:
            low[i], high[i] = bands[-1]
    return m, low, high, nb


def write_combined(kind: str, directory: Path = DATA_DIR) -> list[Path]:
    """Write ``lep_combined_<scenario>_<flavour>.csv`` (union of the four LEP analyses) or
    ``cepc_combined_...`` (best of the four CEPC modes), from :func:`combined_curve`."""
    analyses = COMBINED_KINDS[kind]
    paths = []
    for scenario in SCENARIO_NAMES:
        for flavour in FLAVOURS:
            m, lo, hi, nb = combined_curve(kind, scenario, flavour)
            gaps = m[nb > 1]
            comments = [
                f"dipole-portal-book: {kind.upper()} combined 95% CL excluded d_gamma versus m_N, scenario {scenario}, "
                f"flavour {flavour}",
                f"union of the excluded bands of {', '.join(analyses)} (files in this folder)",
                "units: m_N in GeV, d_gamma in GeV^-1; columns: lower and upper edge of the excluded band "
                "(empty: nothing excluded; inf: open upwards)",
                (f"note: at {len(gaps)} masses ({gaps.min():.3g}-{gaps.max():.3g} GeV) the union has a gap; the band reaching "
                 "the largest d_gamma is given" if len(gaps) else "the union is a single band at every mass"),
                f"computed by helpers {__version__} (helpers.curves.combined_curve); written by python -m helpers export",
            ]
            paths.append(write_curve(directory / f"{kind}_combined_{scenario}_{flavour}.csv", "m_N_GeV", m, lo, hi, comments))
    return paths


#: the curves versus a that the book exports: (analysis, m_N, flavour)
A_JOBS = tuple([(a, 10.0, f) for a in ("lep1_opal", "l3_zgamma", "z_invisible") for f in FLAVOURS]
               + [("lep2_delphi", 100.0, f) for f in FLAVOURS]
               + [("cepc_z", 10.0, f) for f in FLAVOURS] + [("cepc_h", 100.0, f) for f in FLAVOURS])


def export(directory: Path = DATA_DIR) -> list[Path]:
    """Write every exported curve (versus m_N, versus a, and the LEP and CEPC combinations) into ``directory``."""
    directory = Path(directory)
    return (write_mass_curves(_exp.names(), directory) + write_a_curves(A_JOBS, directory)
            + write_combined("lep", directory) + write_combined("cepc", directory))
