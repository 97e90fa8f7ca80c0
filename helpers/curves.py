"""Machine-readable limit curves: computing, writing and reading ``data/limits/*.csv``.

File format (one curve per file): ``#`` comment lines with units and provenance, then a header row and
one row per grid point, ``<x>,d_gamma_low_GeVinv,d_gamma_high_GeVinv``: the lower and upper edge of the
excluded (LEP) or expected-sensitivity (projection) band; both empty where nothing is excluded; ``inf`` where
the band is open upwards.

* versus mass: ``data/limits/<analysis>_<scenario>_<flavour>.csv``, x = ``m_N_GeV``;
* versus a:    ``data/limits/vs_a/<analysis>_mN<mass>_<flavour>.csv``, x = ``a``.

The exported grids start from :data:`MASS_GRID` and :data:`A_GRID` and are refined where the curve is steep
(:mod:`helpers.publish`).  Grid values are rounded to 7 significant digits, so the text in a file is the grid
itself: recomputing at a file's masses reproduces its rows.

The curves are *computed* by functions (:func:`curve_vs_mass`, :func:`curve_vs_a`, :func:`combined_curve`), cached on
disk by :mod:`helpers.symcache` under a key of every input (the analysis record, the grid, the options) and the code.
Notebooks call these functions and write nothing; :func:`export` (``python -m helpers export``, ``make data``) is the
one place that writes the files (CSV, HNLimits-style ``.dat`` and the HEPData submission, see
:mod:`helpers.publish`), and tests recompute a sample of the committed files to prove they are current.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np

from . import colliders as _col
from . import experiments as _exp
from . import limits as _lim
from .sm import FLAVOURS
from .symcache import cached_arrays, stable_key


def round_grid(values) -> np.ndarray:
    """Grid values rounded to 7 significant digits: what ``%.6e`` writes, so a file's text is its grid exactly."""
    return np.array([float(f"{v:.6e}") for v in np.atleast_1d(np.asarray(values, dtype=float))])


MASS_GRID = round_grid(np.geomspace(1e-2, 2e2, 200))  #: GeV, 200 log-spaced points (the range of Fig. 3)
A_GRID = round_grid(np.linspace(-10.0, 10.0, 401))  #: a = d_W/d_B, 401 points
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


_stable = stable_key  #: the cache-key text of a value (helpers.symcache.stable_key)


def with_reading(analysis: str, options: dict):
    """The analysis record and the solver options, with a ``reading`` (:class:`helpers.reading.Reading`) among the
    options applied: it sets every choice at once (the options of :func:`helpers.limits.rate_coefficients` and the
    record's fields), so it cannot be combined with those options one by one (ValueError)."""
    exp = experiment_for(analysis)
    options = dict(options)
    reading = options.pop("reading", None)
    if reading is None:
        return exp, options
    from .reading import Reading

    if not isinstance(reading, Reading):
        raise TypeError(f"reading must be a helpers.reading.Reading (got {type(reading).__name__})")
    clash = sorted(set(options) & set(reading.options()))
    if clash:
        raise ValueError(f"give either a reading or the options {clash}, not both")
    return reading.experiment(exp), {**options, **reading.options()}


def curve_vs_mass(analysis: str, scenario: str, flavour: str, masses=MASS_GRID, **options):
    """(m_N, d_low, d_high) of one analysis, scenario and flavour; cached on disk (key: the analysis record, the
    masses, the options and the code).  ``acc``, a precomputed acceptance, may be passed to save time; ``reading``
    (a :class:`helpers.reading.Reading`) sets every choice at once."""
    exp, options = with_reading(analysis, options)
    masses = np.asarray(masses, dtype=float)
    acc = options.pop("acc", None)

    def build():
        low, high = _lim.limit_band(exp, masses, scenario, flavour=flavour, acc=acc, **options)
        return {"low": np.asarray(low, dtype=float), "high": np.asarray(high, dtype=float)}

    key = ("mass", _stable(exp), _stable(scenario), flavour, _stable(masses), _stable(options))
    data = cached_arrays("curves.curve_vs_mass", key, build)
    return masses, data["low"], data["high"]


def curve_vs_a(analysis: str, m_N: float, flavour: str, a_grid=A_GRID, **options):
    """(a, d_low, d_high) of one analysis at fixed m_N; cached on disk like :func:`curve_vs_mass`."""
    exp, options = with_reading(analysis, options)
    a_grid = np.asarray(a_grid, dtype=float)

    def build():
        low, high = _lim.limit_band(exp, m_N, a_grid, flavour=flavour, **options)
        return {"low": np.asarray(low, dtype=float), "high": np.asarray(high, dtype=float)}

    key = ("a", _stable(exp), float(m_N), flavour, _stable(a_grid), _stable(options))
    data = cached_arrays("curves.curve_vs_a", key, build)
    return a_grid, data["low"], data["high"]


def mass_file(analysis: str, scenario: str, flavour: str, directory: Path = DATA_DIR) -> Path:
    return Path(directory) / f"{analysis}_{scenario}_{flavour}.csv"


def a_file(analysis: str, m_N: float, flavour: str, directory: Path = DATA_DIR) -> Path:
    return Path(directory) / "vs_a" / f"{analysis}_mN{m_N:g}_{flavour}.csv"


def _percent(x: float) -> str:
    return f"{100 * float(x):.3g}pct"


def cls_tag(bkg_uncertainty: float = 0.0, lumi_uncertainty: float = 0.0, n_bins: int = 1) -> str:
    """The part of a file name that names the statistic of an expected CLs curve: ``cls_bkg1pct``, with
    ``_lumi5pct`` and ``_4bins`` when those differ from none and one bin."""
    tag = f"cls_bkg{_percent(bkg_uncertainty)}"
    if lumi_uncertainty:
        tag += f"_lumi{_percent(lumi_uncertainty)}"
    if int(n_bins) != 1:
        tag += f"_{int(n_bins)}bins"
    return tag


def cls_file(mode: str, scenario: str, flavour: str, bkg_uncertainty: float, directory: Path = DATA_DIR) -> Path:
    return Path(directory) / "cls" / f"{mode}_{scenario}_{flavour}_{cls_tag(bkg_uncertainty)}.csv"


def atlas_file(kind: str, flavour: str, directory: Path = DATA_DIR) -> Path:
    return Path(directory) / "atlas" / f"{kind}_atlas_{flavour}.csv"


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


def combined_kinds() -> dict[str, tuple[str, ...]]:
    """Every combination :func:`combined_curve` knows: ``lep`` (the four LEP analyses), ``cepc`` (the paper's CEPC
    modes) and one per further collider of :mod:`helpers.colliders` (its modes), keyed by a slug of its name
    (e.g. ``"FCC-ee"`` -> ``fcc_ee``)."""
    kinds = dict(COMBINED_KINDS)
    for collider in _col.COLLIDERS:
        keys = tuple(_col.modes(collider))
        if keys in kinds.values():
            continue
        slug = re.sub(r"[^a-z0-9]+", "_", collider.lower()).strip("_")
        kinds[slug] = keys
    return kinds


def combine_bands(bands) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of several (low, high) curves on one grid: (low, high, n_bands) per point, the band reaching the
    largest d_gamma where the union has more than one piece (n_bands > 1)."""
    bands = [(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)) for lo, hi in bands]
    n = len(bands[0][0])
    low, high, nb = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=int)
    for i in range(n):
        pieces = union_intervals([(lo[i], hi[i]) for lo, hi in bands])
        nb[i] = len(pieces)
        if pieces:
            low[i], high[i] = pieces[-1]
    return low, high, nb


def combined_curve(kind: str, scenario, flavour: str, masses=MASS_GRID, **options):
    """Union of the excluded bands of the LEP analyses (``kind='lep'``), of the CEPC modes (``'cepc'``) or of the
    modes of another collider (:func:`combined_kinds`) at each mass: (m_N, low, high, n_bands), computed from
    :func:`curve_vs_mass` (``scenario`` may also be a number a; ``options`` are passed on).

    Where the union is not a single band (a gap between two excluded regions), low/high give the band
    reaching the largest d_gamma (the one that bounds d_gamma from below in practice) and n_bands > 1
    flags it; the combined files record this in their header.
    """
    kinds = combined_kinds()
    if kind not in kinds:
        raise ValueError(f"unknown combination {kind!r}; allowed: {', '.join(kinds)}")
    masses = np.asarray(masses, dtype=float)
    curves = [curve_vs_mass(a, scenario, flavour, masses=masses, **options) for a in kinds[kind]]
    low, high, nb = combine_bands([(c[1], c[2]) for c in curves])
    return curves[0][0], low, high, nb


#: the curves versus a that the book exports: (analysis, m_N, flavour)
A_JOBS = tuple([(a, 10.0, f) for a in ("lep1_opal", "l3_zgamma", "z_invisible") for f in FLAVOURS]
               + [("lep2_delphi", 100.0, f) for f in FLAVOURS]
               + [("cepc_z", 10.0, f) for f in FLAVOURS] + [("cepc_h", 100.0, f) for f in FLAVOURS])

#: the background-normalisation uncertainties of the exported expected-CLs curves (every projection, scenario and
#: flavour; no luminosity uncertainty, one bin): none, and the 1 % the colliders chapter takes as realistic
CLS_BKG_UNCERTAINTIES = (0.0, 0.01)

#: the grid of the exported (m_N, a) maps (helpers.atlas): masses log-spaced over helpers.atlas.mass_axis' range,
#: a uniform in asinh(a) over [-10, 10] (an odd number: a = 0 is on it)
ATLAS_GRID = (60, 61)


def export(directory: Path | None = None, **kwargs) -> list[Path]:
    """Write every exported curve (versus m_N, versus a, and the combinations) as CSV into ``<directory>/limits``,
    as HNLimits-style files into ``<directory>/hnlimits`` and as a HEPData submission into ``<directory>/hepdata``
    (default: the repository's ``data/``); see :func:`helpers.publish.export`."""
    from . import publish

    return publish.export(directory, **kwargs)
