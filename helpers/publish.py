"""The book's curves where physicists fetch them: CSV, HNLimits-style ``.dat`` files and a HEPData submission.

Three formats, one curve each file (or table), all written from the same :class:`Curve`:

* **CSV** (``data/limits/``): ``m_N_GeV`` (or ``a``), lower and upper edge of the band of d_gamma [GeV^-1]; empty
  where nothing is excluded, ``inf`` where the band is open upwards (:func:`write_csv`).
* **HNLimits** (``data/hnlimits/<flavour>/``): the two-column files of the HNLimits dipole collection
  (M. Hostert et al., the files :mod:`helpers.landscape` reads): a header line ``# m4 [GeV] <quantity> at 95%CL
  from ...``, then ``m_N  value`` rows, masses in GeV, values either d [GeV^-1] (``_d_``) or a transition magnetic
  moment in Bohr magnetons (``_muB_``), converted with **mu = 2 d / mu_B, mu_B = e/(2 m_e) = 296.30 GeV^-1**
  (:func:`helpers.landscape.d_to_mu_B`, the convention the landscape chapter applies when it reads HNLimits files).
  A band open upwards is one file (d above the curve excluded, from its first to its last mass); a closed band
  (the Z invisible width) is a ``_bottom``/``_top`` pair, as the collection's ``SN1987A_muB_{bottom,top}.dat``
  (:func:`write_hnlimits`).
* **HEPData** (``data/hepdata/``, and as ``data/hepdata.tar.gz`` to upload): a submission made with ``hepdata_lib`` (``submission.yaml`` and one YAML table
  per curve, validated offline with ``hepdata-validator``): independent variable m_N or a, dependent variables the
  two edges, with qualifiers for the analysis, sqrt(s), luminosity, scenario or a, flavour, CL, Observed/Expected,
  convention and statistic; the paper's DOI as related publication; the headline figure attached to the combined
  tables (:func:`write_hepdata`).

**Grids that resolve the curves** (:func:`refine`).  A bound rises steeply near the kinematic endpoint
m_N -> sqrt(s) and where the band appears or disappears (the lifetime edge, the Z-invisible band closing).  Starting
from the book's grid, the exported grid gets points towards sqrt(s) (1 - m_N/sqrt(s) = 10^(-j/4), j = 1..20), then
every interval is bisected (in log m_N, or in a) while linear interpolation in (log m_N, log d) misses the computed
midpoint by more than :data:`MIDPOINT_TOL` (1 %) on either edge; where the band starts or ends inside an interval,
it is bisected until the edge is located to :data:`EDGE_WIDTH`.  Curves versus a get points towards
a = 2 tan(theta_w) (d_Z = 0, where the Z-mediated bounds diverge) and towards the singular point a = -2 cot(theta_w)
(never evaluated there).  Interpolating a file linearly in
(log m_N, log d) (or (a, log d)) between two neighbouring non-empty rows is then accurate to
:data:`INTERP_TOL` (2 %, tested at interior points); never interpolate across an empty row.

**Provenance** (:func:`provenance`): every file says what it holds (excluded band, or expected sensitivity for a
projection), the analysis with sqrt(s), luminosity, statistic and full reference, the model and options, the grid
and how to interpolate, the code version and commit (or that helpers/ had uncommitted changes), the code
fingerprint, the date and the command that wrote it.

:func:`export` writes every format for every curve of the book (``python -m helpers export``, ``make data``).
"""

from __future__ import annotations

import contextlib
import datetime
import math
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import __version__
from . import colliders as _col
from . import curves as K
from . import experiments as _exp
from . import landscape as _ls
from . import paper as _paper
from . import couplings as _cpl
from . import sm
from .couplings import SCENARIO_NAMES, scenario_a_value
from .sm import FLAVOURS

ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = ROOT / "data"  #: export root: limits/ (CSV), hnlimits/ (.dat), hepdata/ (the submission)
BIB = ROOT / "book" / "references.bib"

FORMATS = ("csv", "hnlimits", "hnlimits-muB", "hepdata")  #: the output formats
INTERP_TOL = 0.02  #: stated accuracy of log-log interpolation between neighbouring rows
MIDPOINT_TOL = 0.01  #: refinement criterion at an interval's midpoint (its worst point misses by at most ~2x this)
EDGE_WIDTH = 5e-4  #: where the band starts or ends, it is located to this width in ln(m_N) (0.05 %) or in a
MAX_ROUNDS = 14  #: at most this many bisection rounds
ENDPOINT_EPS = 10.0 ** (-np.arange(1, 21) / 4.0)  #: extra points at m_N = sqrt(s) (1 - eps): eps = 0.56 ... 1e-5
SINGULAR_A = _cpl.A_POLE  #: a = -2 cot(theta_w) (helpers.couplings): d_gamma = 0 there for every d_W, d_B
D_Z_ZERO_A = 2.0 * math.tan(sm.THETA_W)  #: a = 2 tan(theta_w) (scenario III): d_Z = 0, the Z-mediated rates vanish
CL = "95%"


class NothingToCompute(ValueError):
    """No bound exists for the request: the channel is closed (m_N >= sqrt(s)) or a is the singular point."""


# --- text ------------------------------------------------------------------------------------------------------

_ASCII = {"√s": "sqrt(s)", "⁺": "+", "⁻": "-", "⁰": "0", "√": "sqrt", "γ": "gamma", "ν": "nu", "μ": "mu", "τ": "tau", "–": "-",
          "—": "-", "×": "x", "→": "->", "̄": "bar"}


def ascii_text(text: str) -> str:
    """Plain ASCII (the files are read by tools that may assume it): e+e-, Z0, sqrt(s), ..."""
    for k, v in _ASCII.items():
        text = text.replace(k, v)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def plain_label(label: str) -> str:
    """A record's label without mathtext: ``L3 $Z\\to\\gamma$ + invisible`` -> ``L3 Z -> gamma + invisible``."""
    text = label.replace(r"t\bar t", "ttbar").replace(r"\to", " -> ").replace("\\", "")
    text = re.sub(r"[${}]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=None)
def _bib() -> dict[str, dict[str, str]]:
    if not BIB.exists():
        return {}
    entries = {}
    for m in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", BIB.read_text(encoding="utf-8"), re.S):
        fields = {k.lower(): re.sub(r"[{}]", "", v).strip()
                  for k, v in re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", m.group(2), re.M)}
        entries[m.group(1).strip()] = fields
    return entries


def _authors(text: str) -> str:
    names = [a.strip() for a in text.split(" and ")]
    etal = names[-1] == "others"
    names = [" ".join(reversed([p.strip() for p in n.split(",", 1)])) for n in names if n != "others"]
    if etal:
        return f"{names[0]} et al."
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def reference(analysis: str) -> str:
    """The full reference of an analysis: the measurement (from ``book/references.bib``) or the run plan."""
    if analysis in _col.MODES:
        return ascii_text(_col.MODES[analysis].reference)
    key = _exp.EXPERIMENTS[analysis].reference
    e = _bib().get(key)
    if e is None:
        return f"{key} (see the book's references)"
    who = _authors(e["author"]) + (f" ({e['note']})" if e.get("note") else "")
    where = e["journal"] + (f" {e['volume']}" if e.get("volume") else "") + (f", {e['pages']}" if e.get("pages") else "")
    doi = f", doi:{e['doi']}" if e.get("doi") else ""
    return ascii_text(f"{who}, {e['title']}, {where} ({e['year']}){doi}")


# --- what each analysis is ---------------------------------------------------------------------------------------

_MEASURES = {  # by record kind (helpers.experiments.KINDS)
    "monophoton_limit": "e+e- -> gamma + invisible: a published upper limit on the monophoton cross section",
    "monophoton_chi2": "e+e- -> gamma + invisible: the measured monophoton cross section against the SM (chi^2)",
    "z_gamma_invisible": "Br(Z -> gamma + invisible), N produced in Z decays and decaying inside the detector",
    "z_invisible": "the Z invisible width, N produced in Z decays and decaying outside the detector",
    "monophoton_s2b": "e+e- -> N nu, N -> nu gamma: monophoton signal against the nu nu gamma background, S^2/B",
}


@dataclass(frozen=True)
class Analysis:
    """What the help, the file headers and the HEPData qualifiers say about one analysis (no computation)."""

    key: str
    label: str
    sqrt_s: float
    expected: bool  #: a projection (expected sensitivity), not a measurement
    luminosity: str
    measures: str
    rule: str

    def line(self) -> str:
        what = "expected sensitivity" if self.expected else "observed limit"
        return f"{self.label}, sqrt(s) = {self.sqrt_s:g} GeV, {self.luminosity}; {what}: {self.measures}"


def analysis_info(key: str) -> Analysis:
    """The description of a LEP analysis or a projected running mode, without computing anything."""
    if key not in _exp.names():
        raise ValueError(f"unknown analysis {key!r}; allowed: {', '.join(_exp.names())}")
    if key in _exp.EXPERIMENTS:
        e = _exp.EXPERIMENTS[key]
        return Analysis(key, plain_label(e.label), e.sqrt_s, False, "luminosity of the published measurement",
                        _MEASURES[e.kind], e.statistic)
    m = _col.get(key)
    lumi = f"{m.luminosity_ab:g} ab^-1"
    if m.polarisations != ((0.0, 0.0, 1.0),):
        lumi += ", beams (P(e-), P(e+)): " + ", ".join(f"({pm:+.0%}, {pp:+.0%}) {share:.0%}"
                                                        for pm, pp, share in m.polarisations)
        rule = f"sum over the beam configurations of S^2/B > {m.s2b_crit:g}"
    else:
        rule = f"S^2/B > {m.s2b_crit:g}"
    return Analysis(key, plain_label(m.label), m.sqrt_s, True, lumi, _MEASURES["monophoton_s2b"],
                    f"{rule} (the paper's criterion; numerically the 90 % CL CLs median expected limit), photon p_T > "
                    f"{m.pt_min:g} GeV")


def is_singular(a) -> bool:
    """True if a is the singular point a = -2 cot(theta_w) (relative tolerance 1e-12)."""
    a = float(a)
    return math.isfinite(a) and bool(_cpl.at_pole(a))


def singular_message(a: float) -> str:
    return (f"a = {a:.12g} is the singular point a = -2 cot(theta_w) = {SINGULAR_A:.10g}: there d_gamma = 0 for "
            "every d_W, d_B (d_Z/d_gamma and d_W/d_gamma are infinite, Br(N -> nu gamma) = 0), so a bound on d_gamma "
            "is not defined at this a; the bounds are continuous as a approaches it: choose a nearby a")


def check_model(model):
    """A scenario name, or a finite real a that is not the singular point (NothingToCompute otherwise)."""
    if isinstance(model, str):
        if model not in SCENARIO_NAMES:
            raise ValueError(f"unknown scenario {model!r}; allowed: {', '.join(SCENARIO_NAMES)} or a number a")
        return model
    a = float(model)
    if math.isnan(a):
        raise ValueError("a = d_W/d_B must be a number, not NaN")
    if is_singular(a):
        raise NothingToCompute(singular_message(a))
    return a


def model_text(model) -> str:
    if isinstance(model, str):
        a = scenario_a_value(model)
        at = "+-inf (d_B = 0)" if math.isinf(a) else f"{a:.6g}"
        return f"scenario {model} of Table I (a = d_W/d_B = {at})"
    return f"a = d_W/d_B = {model:.10g}"


# --- provenance --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Provenance:
    version: str
    commit: str  #: the commit, and whether helpers/ (or the pins) had uncommitted changes
    fingerprint: str  #: SHA-256 of the helpers sources (helpers.symcache.code_fingerprint)
    date: str  #: UTC
    command: str

    def lines(self) -> list[str]:
        return [f"code: helpers {self.version} (dipole-portal-book), {self.commit}; "
                f"code fingerprint sha256:{self.fingerprint[:16]} (helpers.symcache.code_fingerprint)",
                f"written {self.date} by: {self.command}"]


def _git(*args) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def code_state() -> str:
    """``commit <sha>`` (``, uncommitted changes in helpers/`` if the code or its pins differ from it)."""
    sha = _git("rev-parse", "HEAD")
    if not sha:
        return "commit unknown (not a git checkout)"
    dirty = _git("status", "--porcelain", "--", "helpers", "pyproject.toml", "requirements.txt")
    return f"commit {sha}" + (", with uncommitted changes in helpers/ or the pins" if dirty else "")


def provenance(command: str | None = None) -> Provenance:
    from .symcache import code_fingerprint

    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Provenance(__version__, code_state(), code_fingerprint(), date,
                      command or "helpers.publish (from Python)")


# --- refinement --------------------------------------------------------------------------------------------------

class _Points:
    """The values of one curve by grid point; computes only the points not yet known (in one batch per call)."""

    def __init__(self, compute):
        self.compute = compute
        self.known: dict[float, tuple[float, float]] = {}

    def __call__(self, x) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x, dtype=float)
        missing = np.array(sorted({float(v) for v in x} - set(self.known)))
        if len(missing):
            lo, hi = self.compute(missing)
            self.known.update(zip(missing.tolist(), zip(np.asarray(lo, float).tolist(), np.asarray(hi, float).tolist())))
        vals = np.array([self.known[float(v)] for v in x]).reshape(-1, 2)
        return vals[:, 0], vals[:, 1]


@dataclass
class Grid:
    x: np.ndarray
    low: np.ndarray
    high: np.ndarray
    base: int  #: points before refinement
    rounds: int  #: bisection rounds used

    @property
    def added(self) -> int:
        return len(self.x) - self.base


def _miss(ya, yb, ym, t) -> float:
    pred = math.exp(math.log(ya) + t * (math.log(yb) - math.log(ya)))
    return abs(pred / ym - 1.0)


def _split(xa, xb, xm, A, B, M, log, closed_at, tol, edge, known=frozenset()) -> bool:
    """Whether the interval (xa, xb) needs its midpoint xm (values A, B, M = (low, high))."""
    T = math.log if log else float
    width = T(xb) - T(xa)
    ea, eb, em = (math.isfinite(v[0]) for v in (A, B, M))
    if not (ea == eb == em):  # the band starts or ends inside
        if closed_at is not None and xb >= closed_at and not eb:
            return False  # the kinematic end: known, nothing to locate
        if (xa in known and not ea) or (xb in known and not eb):
            return False  # a known point without a bound (d_Z = 0): nothing to locate
        return width > edge
    if not ea:
        return False
    t = (T(xm) - T(xa)) / width
    if _miss(A[0], B[0], M[0], t) > tol:
        return True
    fa, fb, fm = (math.isfinite(v[1]) for v in (A, B, M))
    if not (fa == fb == fm):  # the band closes or opens upwards inside
        return width > edge
    return fa and _miss(A[1], B[1], M[1], t) > tol


def refine(points, parts, *, log: bool = True, closed_at: float | None = None, known=(), tol: float = MIDPOINT_TOL,
           edge: float = EDGE_WIDTH, max_rounds: int = MAX_ROUNDS, bar=None) -> Grid:
    """Evaluate ``points`` (a callable x -> (low, high)) on the grid ``parts`` (arrays evaluated one after the other)
    and bisect where needed (see the module docstring); one batched evaluation per round.  ``closed_at``: from this
    x on nothing can be excluded (sqrt(s)); the end of the band there is not searched for; nor next to a point of
    ``known`` that has no bound (a = 2 tan(theta_w), where d_Z = 0)."""
    known = frozenset(float(k) for k in known)
    base = np.unique(np.concatenate([np.asarray(p, dtype=float) for p in parts]))
    for p in parts:
        if len(p):
            points(np.unique(np.asarray(p, dtype=float)))
            if bar is not None:
                bar.update(len(p))
    if max_rounds <= 0:
        lo, hi = points(base)
        return Grid(base, lo, hi, len(base), 0)
    lo, hi = points(base)
    val = dict(zip(base.tolist(), zip(lo.tolist(), hi.tolist())))
    pending = list(zip(base[:-1].tolist(), base[1:].tolist()))
    rounds = 0
    while pending and rounds < max_rounds:
        xa, xb = np.array(pending).T
        xm = K.round_grid(np.sqrt(xa * xb) if log else 0.5 * (xa + xb))
        ok = (xm > xa) & (xm < xb)
        if not ok.any():
            break
        rounds += 1
        if bar is not None:
            bar.total += int(ok.sum())
        ml, mh = points(xm[ok])
        if bar is not None:
            bar.update(int(ok.sum()))
        new = []
        for a, b, m, l, h in zip(xa[ok].tolist(), xb[ok].tolist(), xm[ok].tolist(), ml.tolist(), mh.tolist()):
            if _split(a, b, m, val[a], val[b], (l, h), log, closed_at, tol, edge, known):
                val[m] = (l, h)
                new += [(a, m), (m, b)]
        pending = new
    x = np.array(sorted(val))
    return Grid(x, np.array([val[v][0] for v in x]), np.array([val[v][1] for v in x]), len(base), rounds)


def special_a_points(lo: float, hi: float) -> np.ndarray:
    """Values of a towards the two special points, a = 2 tan(theta_w) (d_Z = 0, included) and a = -2 cot(theta_w)
    (the singular point, left out): a0 +- 10^(-j/4), j = 1..20, within [lo, hi]."""
    steps = ENDPOINT_EPS
    a = [D_Z_ZERO_A + steps, D_Z_ZERO_A - steps, [D_Z_ZERO_A], SINGULAR_A + steps, SINGULAR_A - steps]
    a = K.round_grid(np.concatenate(a))
    a = a[(a >= lo) & (a <= hi)]
    return np.unique(a[[not is_singular(v) for v in a]])


def endpoint_points(sqrt_s: float, lo: float, hi: float) -> np.ndarray:
    """Masses towards the kinematic endpoint, sqrt(s) (1 - eps) for :data:`ENDPOINT_EPS`, and sqrt(s) itself,
    within [lo, hi]."""
    m = K.round_grid(np.concatenate([sqrt_s * (1.0 - ENDPOINT_EPS), [sqrt_s]]))
    return np.unique(m[(m >= lo) & (m <= hi)])


# --- curves ------------------------------------------------------------------------------------------------------

@dataclass
class Curve:
    """One exported curve: a band of d_gamma versus m_N (one analysis or a combination) or versus a."""

    kind: str  #: "mass", "combined" or "a"
    x: np.ndarray
    low: np.ndarray
    high: np.ndarray
    analyses: tuple[str, ...]  #: the analysis, or the constituents of a combination
    model: str | float  #: scenario name or a (for kind "a": None)
    flavour: str
    options: dict = field(default_factory=dict)
    m_N: float | None = None  #: for curves versus a
    combination: str | None = None
    n_bands: np.ndarray | None = None
    grid: str = ""  #: how the grid was made
    notes: list[str] = field(default_factory=list)

    @property
    def expected(self) -> bool:
        return any(analysis_info(a).expected for a in self.analyses)

    @property
    def x_name(self) -> str:
        return "a" if self.kind == "a" else "m_N_GeV"

    @property
    def name(self) -> str:
        """The file stem: ``lep1_opal_I_e``, ``lep_combined_II_mu``, ``cepc_h_mN100_tau``."""
        if self.kind == "a":
            return f"{self.analyses[0]}_mN{self.m_N:g}_{self.flavour}"
        model = self.model if isinstance(self.model, str) else f"a{self.model:g}"
        if self.kind == "combined":
            return f"{self.combination}_combined_{model}_{self.flavour}"
        return f"{self.analyses[0]}_{model}_{self.flavour}" + (f"_{self.cls_tag}" if self.cls_tag else "")

    @property
    def cls_tag(self) -> str:
        """``cls_bkg1pct`` etc. for an expected CLs curve (:func:`helpers.curves.cls_tag`), else empty."""
        o = self.options or {}
        if o.get("statistic") != "CLs":
            return ""
        return K.cls_tag(o["bkg_uncertainty"], o["lumi_uncertainty"], o["n_bins"])

    @property
    def excluded(self) -> np.ndarray:
        return np.isfinite(self.low)


def _options_text(options: dict) -> str:
    """The reading behind a curve, for its header: a :class:`helpers.reading.Reading` by name and how it differs
    from the derived physics, then any single option given."""
    from .reading import DERIVED

    options = dict(options)
    reading = options.pop("reading", None)
    if reading is None:
        text = f"reading '{DERIVED.name}' (helpers.reading.DERIVED: every choice at the book's default)"
    else:
        text = f"reading '{reading.name}' ({reading.describe()})"
    if options:
        text += " with " + ", ".join(f"{k}={v}" for k, v in sorted(options.items()))
    return text


def _closed_notes(x, sqrt_s_by_analysis: dict[str, float], what: str = "m_N") -> list[str]:
    notes = []
    for s in sorted(set(sqrt_s_by_analysis.values())):
        who = ", ".join(a for a, v in sqrt_s_by_analysis.items() if v == s)
        n = int(np.sum(x >= s))
        if n:
            notes.append(f"closed: {what} >= sqrt(s) = {s:g} GeV for {who}: N cannot be produced there "
                         f"({n} of {len(x)} rows, from {x[x >= s].min():g} GeV on, give no bound from it)")
    return notes


def _check_open(lo: float, hi: float, sqrt_s: dict[str, float]):
    if lo >= max(sqrt_s.values()):
        who = ", ".join(f"{a} at sqrt(s) = {s:g} GeV" for a, s in sqrt_s.items())
        raise NothingToCompute(f"the channel is closed over the whole range m_N = {lo:g}-{hi:g} GeV: N cannot be "
                               f"produced with m_N >= sqrt(s) ({who}); choose masses below {max(sqrt_s.values()):g} GeV")


def _grid_text(g: Grid, base: str, log: bool) -> str:
    x = "log m_N" if log else "a"
    if g.rounds == 0:
        return f"grid: {len(g.x)} points ({base}), not refined"
    added = f"plus {g.added} added where the curve is steep" if g.added else "none added"
    return (f"grid: {len(g.x)} points: {base}; {added} (bisection in {x} until the midpoint of every interval is "
            f"reproduced to {MIDPOINT_TOL:.0%}, band edges located to {EDGE_WIDTH:g} in {x})")


def _interpolation_text(curve: "Curve", fmt: str) -> str:
    x = "a" if curve.kind == "a" else "log m_N"
    how = ("accurate to " + f"{INTERP_TOL:.0%}") if "not refined" not in curve.grid else "accuracy not checked"
    if fmt == "hnlimits":
        return (f"interpolation: linear in ({x}, log value) between neighbouring rows ({how}); the rows are the "
                "masses where something is excluded")
    return (f"interpolation: linear in ({x}, log d_gamma) between neighbouring rows with values ({how}); never "
            "across a row without values (the band starts or ends between the two rows)")


def _bar(progress, desc, total):
    if progress is None or progress is False:
        return contextlib.nullcontext(None)
    if progress is not True:
        return contextlib.nullcontext(progress)
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="pt", file=sys.stderr, delay=1.0, leave=False)


def _chunks(x, size):
    return [x[i:i + size] for i in range(0, len(x), size)] if size else [x]


def mass_curve(analysis: str, model, flavour: str, masses=None, *, refine_grid: bool = True,
               to_sqrt_s: bool = True, progress=None, chunk: int = 0, _memo=None, cls: dict | None = None,
               **options) -> Curve:
    """The band of one analysis versus m_N on ``masses`` (default :data:`helpers.curves.MASS_GRID`), with points
    towards sqrt(s) and refined where steep (``refine_grid``); ``to_sqrt_s`` extends the range up to sqrt(s).
    ``cls``: for a projection, the median expected CLs limit instead of S^2/B, with the keyword arguments of
    :func:`helpers.projection.cls_curve` (``bkg_uncertainty``, ``lumi_uncertainty``, ``n_bins``)."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}; allowed: {', '.join(FLAVOURS)}")
    model = check_model(model)
    info = analysis_info(analysis)
    if cls is not None:
        if analysis not in _col.MODES:
            raise ValueError(f"CLs limits are computed for the projections ({', '.join(_col.MODES)}); {analysis} is a "
                             "measurement with its published limit")
        if options:
            raise ValueError(f"the CLs curves use the derived physics: no reading options ({', '.join(options)})")
        from . import projection as _pj

        cls = {"bkg_uncertainty": 0.0, "lumi_uncertainty": 0.0, "n_bins": 1, **cls}
        _memo = _Points(lambda m: _pj.cls_curve(analysis, model, flavour, m, **cls)[1:])
    masses = K.round_grid(K.MASS_GRID if masses is None else masses)
    lo, hi = float(masses.min()), float(masses.max())
    _check_open(lo, hi, {analysis: info.sqrt_s})
    top = max(hi, info.sqrt_s) if to_sqrt_s else hi
    extra = endpoint_points(info.sqrt_s, lo, top) if refine_grid else np.array([])
    extra = np.setdiff1d(extra, masses)
    points = _memo if _memo is not None else _Points(
        lambda m: K.curve_vs_mass(analysis, model, flavour, masses=m, **options)[1:])
    with _bar(progress, analysis, len(masses) + len(extra)) as bar:
        g = refine(points, _chunks(masses, chunk) + [extra], closed_at=info.sqrt_s,
                   max_rounds=MAX_ROUNDS if refine_grid else 0, bar=bar)
    base = f"{len(masses)} log-spaced from {lo:g} to {hi:g} GeV"
    if len(extra):
        base += f", {len(extra)} towards the kinematic endpoint sqrt(s) = {info.sqrt_s:g} GeV"
    notes = _closed_notes(g.x, {analysis: info.sqrt_s})
    opts = dict(options) if cls is None else {"statistic": "CLs", **cls}
    return Curve("mass", g.x, g.low, g.high, (analysis,), model, flavour, opts,
                 grid=_grid_text(g, base, True), notes=notes)


def combined(kind: str, model, flavour: str, masses=None, *, refine_grid: bool = True, to_sqrt_s: bool = True,
             progress=None, constituents: dict | None = None, memos: dict | None = None, **options) -> Curve:
    """The union of the bands of a combination (``lep``, ``cepc``, or a collider of
    :func:`helpers.curves.combined_kinds`) on the union of its constituents' refined grids, refined again."""
    kinds = K.combined_kinds()
    if kind not in kinds:
        raise ValueError(f"unknown combination {kind!r}; allowed: {', '.join(kinds)}")
    model = check_model(model)
    analyses = kinds[kind]
    sqrt_s = {a: analysis_info(a).sqrt_s for a in analyses}
    masses = K.round_grid(K.MASS_GRID if masses is None else masses)
    lo, hi = float(masses.min()), float(masses.max())
    _check_open(lo, hi, sqrt_s)
    memos = memos if memos is not None else {}
    constituents = dict(constituents or {})
    for a in analyses:
        memos.setdefault(a, _Points(lambda m, a=a: K.curve_vs_mass(a, model, flavour, masses=m, **options)[1:]))
        if a not in constituents:
            constituents[a] = mass_curve(a, model, flavour, masses, refine_grid=refine_grid, to_sqrt_s=to_sqrt_s,
                                         progress=progress, _memo=memos[a], **options)

    def union(m):
        low, high, _ = K.combine_bands([memos[a](m) for a in analyses])
        return low, high

    grid = np.unique(np.concatenate([constituents[a].x for a in analyses]))
    g = refine(_Points(union), [grid], closed_at=max(sqrt_s.values()), max_rounds=MAX_ROUNDS if refine_grid else 0)
    _, _, nb = K.combine_bands([memos[a](g.x) for a in analyses])
    notes = _closed_notes(g.x, sqrt_s)
    gaps = g.x[nb > 1]
    if len(gaps):
        notes.append(f"gap: at {len(gaps)} masses ({gaps.min():.4g}-{gaps.max():.4g} GeV) the union has two pieces; "
                     "the piece reaching the largest d_gamma is given")
    base = f"the union of the grids of {', '.join(analyses)}"
    return Curve("combined", g.x, g.low, g.high, analyses, model, flavour, dict(options), combination=kind,
                 n_bands=nb, grid=_grid_text(g, base, True), notes=notes)


def a_curve(analysis: str, m_N: float, flavour: str, a_grid=None, *, refine_grid: bool = True, progress=None,
            chunk: int = 0, **options) -> Curve:
    """The band of one analysis versus a at fixed m_N on ``a_grid`` (default :data:`helpers.curves.A_GRID`),
    refined where steep; the singular point a = -2 cot(theta_w) is left out."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}; allowed: {', '.join(FLAVOURS)}")
    info = analysis_info(analysis)
    if not (math.isfinite(m_N) and m_N > 0):
        raise ValueError(f"m_N must be a positive number of GeV (got {m_N})")
    if m_N >= info.sqrt_s:
        raise NothingToCompute(f"the channel is closed: {analysis} runs at sqrt(s) = {info.sqrt_s:g} GeV, so N with "
                               f"m_N = {m_N:g} GeV >= sqrt(s) cannot be produced; choose m_N below {info.sqrt_s:g} GeV")
    a_grid = np.asarray(K.A_GRID if a_grid is None else a_grid, dtype=float)
    if not np.all(np.isfinite(a_grid)):
        raise ValueError("the a grid must be finite (use a scenario-II curve versus m_N for a -> +-inf)")
    notes = []
    singular = np.array([is_singular(a) for a in a_grid], dtype=bool)
    if singular.any():
        a_grid = a_grid[~singular]
        notes.append(f"singular: a = {SINGULAR_A:.7g} = -2 cot(theta_w) left out (Br(N -> nu gamma) = 0 there)")
    a_grid = np.unique(K.round_grid(a_grid)) if len(a_grid) else a_grid
    if len(a_grid) < 2:
        raise NothingToCompute("nothing to compute: fewer than two values of a besides the singular point")
    lo, hi = float(a_grid.min()), float(a_grid.max())
    extra = np.setdiff1d(special_a_points(lo, hi), a_grid) if refine_grid else np.array([])
    zero = K.round_grid(D_Z_ZERO_A)[0]
    points = _Points(lambda a: K.curve_vs_a(analysis, m_N, flavour, a_grid=a, **options)[1:])
    with _bar(progress, analysis, len(a_grid) + len(extra)) as bar:
        g = refine(points, _chunks(a_grid, chunk) + [extra], log=False, known=[zero],
                   max_rounds=MAX_ROUNDS if refine_grid else 0, bar=bar)
    base = f"{len(a_grid)} evenly spaced from {lo:g} to {hi:g}"
    if len(extra):
        base += (f", {len(extra)} towards a = {D_Z_ZERO_A:.6g} (d_Z = 0) and a = {SINGULAR_A:.6g} (the singular "
                 "point, where d_gamma = 0 at fixed d_W, d_B)")
    if zero in g.x and not np.isfinite(g.low[g.x == zero][0]):
        notes.append(f"d_Z = 0 at a = 2 tan(theta_w) = {D_Z_ZERO_A:.7g} (scenario III): this analysis needs the Z "
                     "coupling, so its bound diverges there (the row has no values)")
    return Curve("a", g.x, g.low, g.high, (analysis,), None, flavour, dict(options), m_N=float(m_N),
                 grid=_grid_text(g, base, False), notes=notes)


@dataclass
class Atlas:
    """The band on a (m_N, a) grid: low/high have shape (len(masses), len(a)); of one analysis, or of a combination
    (``combination`` set, ``analyses`` its members)."""

    analyses: tuple
    flavour: str
    masses: np.ndarray
    a: np.ndarray
    low: np.ndarray
    high: np.ndarray
    options: dict
    notes: list[str]
    combination: str | None = None
    grid: str = ""

    @property
    def analysis(self) -> str:
        """The analysis, or the combination's name."""
        return self.combination or self.analyses[0]

    @property
    def name(self) -> str:
        return f"{self.analysis}_atlas_{self.flavour}"

    @property
    def expected(self) -> bool:
        return any(analysis_info(a).expected for a in self.analyses)


def _without_singular(a_grid) -> tuple[np.ndarray, list[str]]:
    """An a grid without the singular point (rounded like every grid), and the note that says so if it was on it."""
    singular = np.array([is_singular(a) for a in a_grid], dtype=bool)
    notes = [f"singular: a = {SINGULAR_A:.7g} = -2 cot(theta_w) left out"] if singular.any() else []
    return K.round_grid(np.asarray(a_grid)[~singular]), notes


def atlas(analysis: str, flavour: str, masses, a_grid, *, progress=None, **options) -> Atlas:
    """The band of one analysis on every (m_N, a) of the grid (not refined); singular a values are left out."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}; allowed: {', '.join(FLAVOURS)}")
    info = analysis_info(analysis)
    masses, a_grid = K.round_grid(masses), np.asarray(a_grid, dtype=float)
    _check_open(float(masses.min()), float(masses.max()), {analysis: info.sqrt_s})
    if not np.all(np.isfinite(a_grid)):
        raise ValueError("the a grid must be finite")
    a_grid, singular_note = _without_singular(a_grid)
    notes = _closed_notes(masses, {analysis: info.sqrt_s}) + singular_note
    low = np.full((len(masses), len(a_grid)), np.nan)
    high = low.copy()
    with _bar(progress, f"{analysis} atlas", len(a_grid)) as bar:
        for j, a in enumerate(a_grid):
            _, low[:, j], high[:, j] = K.curve_vs_mass(analysis, float(a), flavour, masses=masses, **options)
            if bar is not None:
                bar.update(1)
    grid = (f"grid: {len(masses)} masses x {len(a_grid)} values of a, not refined; each point computed exactly "
            "(helpers.curves.curve_vs_mass)")
    return Atlas((analysis,), flavour, masses, a_grid, low, high, dict(options), notes, grid=grid)


def combined_atlas(kind: str, flavour: str, masses=None, a_grid=None, **options) -> Atlas:
    """The best bound of a combination (``lep``, ``cepc``, a collider of :func:`helpers.curves.combined_kinds`) on
    a (m_N, a) grid, computed vectorised by :func:`helpers.atlas.atlas` (the photon acceptance interpolated from a
    coarse grid).  Default grid: :data:`helpers.curves.ATLAS_GRID` on the axes of :mod:`helpers.atlas`."""
    from . import atlas as _at

    kinds = K.combined_kinds()
    if kind not in kinds:
        raise ValueError(f"unknown combination {kind!r}; allowed: {', '.join(kinds)}")
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}; allowed: {', '.join(FLAVOURS)}")
    default = masses is None and a_grid is None
    masses = K.round_grid(_at.mass_axis(K.ATLAS_GRID[0]) if masses is None else masses)
    a_grid = np.asarray(_at.a_axis(K.ATLAS_GRID[1]) if a_grid is None else a_grid, dtype=float)
    if not (np.all(np.isfinite(masses)) and np.all(masses > 0) and np.all(np.isfinite(a_grid))):
        raise ValueError("the grid must be finite, with masses > 0")
    a_grid, notes = _without_singular(a_grid)
    analyses = kinds[kind]
    sqrt_s = {a: analysis_info(a).sqrt_s for a in analyses}
    r = _at.atlas(kind, flavour, masses, a_grid, **options)
    notes += _closed_notes(masses, sqrt_s)
    gaps = int(np.sum(r["n_bands"] > 1))
    if gaps:
        notes.append(f"gap: at {gaps} grid points the union of the bands has two pieces; the piece reaching the "
                     "largest d_gamma is given")
    axes = ("the axes of helpers.atlas: masses uniform in log m_N, a uniform in asinh(a)" if default
            else "the grid given")
    grid = (f"grid: {len(masses)} masses from {masses.min():g} to {masses.max():g} GeV x {len(a_grid)} values of a "
            f"from {a_grid.min():g} to {a_grid.max():g} ({axes}), not refined; computed vectorised "
            f"(helpers.atlas): the photon acceptance is interpolated from a {_at.ACC_GRID[0]} x {_at.ACC_GRID[1]} "
            f"grid of {_at.ACC_SAMPLES} photons per point, "
            "which reproduces the book's curves to 1 % at LEP and 1.5-3 % for the projections "
            "(tests/test_atlas.py)")
    notes.insert(0, "interpolation: linear in (log m_N, asinh a, log d_gamma) between neighbouring grid points "
                    "with values; never across a point without values (the band starts or ends in between)")
    return Atlas(tuple(analyses), flavour, masses, a_grid, r["low"], r["high"], dict(options), notes,
                 combination=kind, grid=grid)


# --- headers -------------------------------------------------------------------------------------------------------

def _band_words(expected: bool) -> str:
    return ("expected-sensitivity band (a projection: what the run would exclude at 95% CL if it saw only the "
            "expected background; not a measurement)" if expected else "95% CL excluded band (observed, LEP data)")


def header_lines(curve: Curve, prov: Provenance, fmt: str = "csv") -> list[str]:
    """The provenance and usage lines of a file (without the ``# ``) for a format: csv, hnlimits or hepdata."""
    versus = "m_N" if curve.kind != "a" else f"a = d_W/d_B at m_N = {curve.m_N:g} GeV"
    model = model_text(curve.model) if curve.kind != "a" else "a = d_W/d_B varies (the x column)"
    lines = [f"dipole-portal-book: {_band_words(curve.expected)} of d_gamma versus {versus}; {model}; "
             f"flavour {curve.flavour}"]
    if curve.kind == "combined":
        lines.append(f"combination ({curve.combination}): union of the bands of {', '.join(curve.analyses)} at each "
                     "mass (helpers.curves.combined_curve)")
    for a in curve.analyses:
        info = analysis_info(a)
        lines.append(f"analysis {a}: {info.line()}; rule: {ascii_text(_curve_rule(curve, a))}")
        lines.append(f"  source of {a}: {reference(a)}")
    lines += [
        f"reproduces: {ascii_text(_paper.REFERENCE)}",
        f"{_options_text(curve.options)}; CL {CL}",
    ]
    units = ("m_N in GeV" if curve.kind != "a" else "a dimensionless") + ", d_gamma in GeV^-1"
    if fmt == "csv":
        lines.append(f"units: {units}; columns: lower and upper edge of the band (empty: nothing excluded; "
                     "inf: open upwards)")
    elif fmt == "hepdata":
        lines.append(f"units: {units}; values: lower and upper edge of the band ('-': nothing excluded; "
                     "'inf': open upwards)")
    return lines + [curve.grid, _interpolation_text(curve, fmt), *curve.notes, *prov.lines()]


def _curve_rule(curve, analysis: str) -> str:
    """The rule behind a curve: the record's, or the expected CLs limit with its systematics."""
    o = getattr(curve, "options", {}) or {}
    if o.get("statistic") != "CLs":
        return _rule(analysis)
    return (f"median expected CLs limit at 95% CL (pyhf: profile likelihood, qtilde_mu, asymptotic formulas, "
            f"Asimov background-only data; helpers.statistics), background-normalisation uncertainty "
            f"{o['bkg_uncertainty']:.3g} (relative, common to all bins), luminosity uncertainty "
            f"{o['lumi_uncertainty']:.3g} on the signal, {o['n_bins']} bin(s) of equal background in E_gamma, beam "
            f"configurations as separate channels; backgrounds as in the S^2/B rule: {_rule(analysis)}")


@lru_cache(maxsize=None)
def _rule(analysis: str) -> str:
    """The statistic of a record; for a projection its S^2/B rule with the computed background."""
    return K.experiment_for(analysis).statistic


# --- writers -------------------------------------------------------------------------------------------------------

WIDTH = 86  #: header lines are wrapped to this width (continuation lines indented by two spaces)


def wrap(lines, width: int = WIDTH) -> list[str]:
    """Header lines wrapped for reading in a terminal or on the data page (never inside a word or a number)."""
    import textwrap

    out = []
    for line in lines:
        out += textwrap.wrap(line, width - 2, subsequent_indent="  ", break_long_words=False,
                             break_on_hyphens=False) or [""]
    return out


def write_csv(curve: Curve, path, prov: Provenance) -> Path:
    """One CSV file (see :mod:`helpers.curves` for the format)."""
    return K.write_curve(path, curve.x_name, curve.x, curve.low, curve.high, wrap(header_lines(curve, prov)))


def atlas_header_lines(atlas_: Atlas, prov: Provenance) -> list[str]:
    """The provenance and usage lines of a map (without the ``# ``)."""
    what = (f"the best bound of the combination {atlas_.combination} (at each point the union of the bands of "
            f"{', '.join(atlas_.analyses)}; helpers.atlas)" if atlas_.combination else f"analysis {atlas_.analysis}")
    lines = [f"dipole-portal-book: {_band_words(atlas_.expected)} of d_gamma on a grid of (m_N, a = d_W/d_B); "
             f"{what}; flavour {atlas_.flavour}"]
    for a in atlas_.analyses:
        lines.append(f"analysis {a}: {analysis_info(a).line()}; rule: {ascii_text(_rule(a))}")
        lines.append(f"  source of {a}: {reference(a)}")
    return lines + [
        f"reproduces: {ascii_text(_paper.REFERENCE)}",
        f"{_options_text(atlas_.options)}; CL {CL}",
        "units: m_N in GeV, a dimensionless, d_gamma in GeV^-1; columns: lower and upper edge of the band "
        "(empty: nothing excluded; inf: open upwards)",
        atlas_.grid, *atlas_.notes, *prov.lines()]


def write_atlas_csv(atlas_: Atlas, path, prov: Provenance) -> Path:
    """The atlas as a long CSV table: m_N_GeV, a, lower edge, upper edge."""
    lines = atlas_header_lines(atlas_, prov)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fh.writelines(f"# {line}\n" for line in wrap(lines))
        fh.write("m_N_GeV,a,d_gamma_low_GeVinv,d_gamma_high_GeVinv\n")
        for i, m in enumerate(atlas_.masses):
            for j, a in enumerate(atlas_.a):
                fh.write(f"{m:.6e},{a:.6e},{K._fmt(atlas_.low[i, j])},{K._fmt(atlas_.high[i, j])}\n")
    return path


def hnlimits_paths(path, curve: Curve) -> list[Path]:
    """The file(s) a curve takes in HNLimits form: ``path`` for a band open upwards, else ``*_bottom``/``*_top``."""
    path = Path(path)
    ex = curve.excluded
    if ex.any() and np.all(np.isfinite(curve.high[ex])):
        return [path.with_name(path.stem + "_bottom" + path.suffix), path.with_name(path.stem + "_top" + path.suffix)]
    return [path]


def write_hnlimits(curve: Curve, path, prov: Provenance, unit: str = "d") -> list[Path]:
    """The curve in the two-column format of the HNLimits dipole collection; ``unit`` 'd' (GeV^-1) or 'mu_B'."""
    if curve.kind == "a":
        raise ValueError("the HNLimits format holds curves versus m_N; write curves versus a as csv or hepdata")
    if unit not in ("d", "mu_B"):
        raise ValueError(f"unit must be 'd' or 'mu_B' (got {unit!r})")
    ex = curve.excluded
    if not ex.any():
        raise NothingToCompute("nothing is excluded anywhere on the grid: an HNLimits file would be empty "
                               "(the CSV format records the empty rows)")
    paths = hnlimits_paths(path, curve)
    m = curve.x[ex]
    runs = int(np.sum(np.diff(np.flatnonzero(ex)) > 1)) + 1
    quantity = "d_gamma [1/GeV]" if unit == "d" else r"magnetic moment [\mu_B]"
    conv = (lambda d: d) if unit == "d" else _ls.d_to_mu_B
    who = curve.combination + "_combined" if curve.kind == "combined" else curve.analyses[0]
    energies = "-".join(f"{e:g}" for e in sorted({analysis_info(a).sqrt_s for a in curve.analyses}))
    model = f"scenario {curve.model}" if isinstance(curve.model, str) else f"a = {curve.model:.6g}"
    expected = ", expected" if curve.expected else ""
    first = (f"# m4 [GeV]\t{quantity} at {CL.replace('%', '')}%CL{expected} from {who} ({energies} GeV), {model}, "
             f"nu_{curve.flavour}")
    extra = [
        f"Source: doi:{_paper.DOI} (Zhang & Liu 2023), as reproduced by dipole-portal-book; the columns are m_N [GeV] "
        "and " + ("d_gamma [GeV^-1]" if unit == "d" else "mu [mu_B]") + " (the format of the HNLimits dipole collection)",
        ("values: d_gamma in GeV^-1" if unit == "d" else
         f"values: transition magnetic moment mu in Bohr magnetons, mu = 2 d_gamma / mu_B with mu_B = e/(2 m_e) = "
         f"{_ls.MU_B_GEVINV:.5g} GeV^-1 (so mu [mu_B] = {2 / _ls.MU_B_GEVINV:.6g} x d [GeV^-1]; "
         "helpers.landscape.d_to_mu_B, the convention the book applies when it reads HNLimits files)"),
    ]
    if len(paths) == 2:
        extra.append("shape: a closed band: the _bottom file is its lower edge, the _top file its upper edge, on the "
                     "same masses (as SN1987A_muB_bottom/top.dat of the collection); excluded between them")
    else:
        extra.append("shape: an upper limit: values above the curve are excluded from its first to its last mass")
        if np.any(np.isfinite(curve.high[ex])):
            extra.append("note: the band closes at some masses (finite upper edge there); this file holds the lower "
                         "edge only: see the CSV for the upper edge")
    if runs > 1:
        extra.append(f"note: the excluded masses form {runs} separate ranges; nothing is excluded between them "
                     "(the CSV has the empty rows): do not interpolate across the gaps")
    lines = header_lines(curve, prov, "hnlimits")
    body_lines = [lines[0], *extra, *lines[1:]]
    out = []
    for p, values in zip(paths, [curve.low[ex], curve.high[ex]][:len(paths)]):
        p.parent.mkdir(parents=True, exist_ok=True)
        edge = [] if len(paths) == 1 else [f"edge: the {'lower' if p.stem.endswith('_bottom') else 'upper'} edge of the band"]
        with p.open("w") as fh:
            fh.write(first + "\n")
            fh.writelines(f"# {line}\n" for line in wrap(edge + body_lines))
            for mi, v in zip(m, conv(values)):
                fh.write(f"{mi:.6e}\t{v:.6e}\n")
        out.append(p)
    return out


def read_hnlimits(paths, unit: str = "d", kind: str | None = None) -> _ls.Curve:
    """Read HNLimits-style files back with :mod:`helpers.landscape` (one file: 'upper'; bottom and top: 'band')."""
    paths = [Path(p).resolve() for p in paths]
    if len(paths) == 2:
        paths = sorted(paths, key=lambda p: not p.stem.endswith("_top"))  # (top, bottom), as landscape wants
    c = _ls.Constraint(key="_publish_roundtrip", label="", flavours=FLAVOURS, files=tuple(str(p) for p in paths),
                       mass_unit="GeV", value_unit="d_GeVinv" if unit == "d" else "mu_B", cl=95,
                       kind=kind or ("band" if len(paths) == 2 else "upper"), in_paper=False, reference="")
    if c.kind == "upper":
        ((m, d_low),) = _ls._edges(c)
        return _ls.Curve(c, m, d_low, np.full_like(d_low, np.inf))
    (m_hi, d_hi), (m_lo, d_lo) = _ls._edges(c)
    m = np.unique(np.concatenate([m_lo, m_hi]))
    m = m[(m >= m_lo[0]) & (m <= m_lo[-1])]
    return _ls.Curve(c, m, _ls.loglog_interp(m, m_lo, d_lo), _ls.loglog_interp(m, m_hi, d_hi))


# --- HEPData -------------------------------------------------------------------------------------------------------

#: HEPData keywords shared by every table
REACTIONS = ["E+ E- --> N NU", "N --> NU GAMMA"]


def _location(curve: Curve) -> str:
    if curve.kind != "a" and not isinstance(curve.model, str):
        return f"not a figure of the publication: computed by the book for a = {curve.model:g}"
    if curve.kind == "combined":
        if tuple(curve.analyses) in (K.COMBINED_KINDS["lep"], K.COMBINED_KINDS["cepc"]):
            return "Fig. 8 of the publication (combined curves), reproduced by the book"
        return "not in the publication: the book's combination of this collider's running modes"
    a = curve.analyses[0]
    if curve.kind == "a":
        return "Figs. 4 and 5 of the publication (bounds versus a), reproduced by the book"
    if a in _exp.ANALYSES:
        return "Fig. 3 of the publication (LEP bounds), reproduced by the book"
    if a in K.CEPC_ANALYSES and not curve.cls_tag:
        return "Fig. 7 of the publication (CEPC projections), reproduced by the book"
    if curve.cls_tag:
        return "not in the publication: the book's expected CLs limit for this running mode"
    return "not in the publication: the book's projection for this running mode"


def _hep_value(v: float):
    if math.isnan(v):
        return "-"
    if math.isinf(v):
        return "inf"
    return float(v)


def _qualifiers(var, curve_like, analyses, model, flavour, options, m_N=None):
    infos = [analysis_info(a) for a in analyses]
    var.add_qualifier("Analysis", " + ".join(f"{i.label} ({i.key})" for i in infos))
    energies = sorted({i.sqrt_s for i in infos})
    if len(energies) == 1:
        var.add_qualifier("SQRT(S)", energies[0], "GeV")
    else:
        var.add_qualifier("SQRT(S)", ", ".join(f"{e:g}" for e in energies), "GeV")
    lumis = [i.luminosity for i in infos]
    var.add_qualifier("Luminosity", lumis[0] if len(set(lumis)) == 1 else
                      "; ".join(f"{i.key}: {i.luminosity}" for i in infos))
    if model is not None:
        var.add_qualifier("Model", model_text(model))
    if m_N is not None:
        var.add_qualifier("M_N", m_N, "GeV")
    var.add_qualifier("Flavour", flavour)
    var.add_qualifier("CL", CL)
    var.add_qualifier("Limit", "Expected" if curve_like.expected else "Observed")
    var.add_qualifier("Reading", _options_text(options))
    var.add_qualifier("Statistic", "; ".join(f"{a}: {ascii_text(_curve_rule(curve_like, a))}" for a in analyses))


def _table_name(curve: Curve) -> str:
    if curve.kind == "a":
        return f"{curve.analyses[0]} vs a mN{curve.m_N:g} {curve.flavour}"
    model = curve.model if isinstance(curve.model, str) else f"a={curve.model:g}"
    if curve.kind == "combined":
        return f"{curve.combination}_combined {model} {curve.flavour}"
    return f"{curve.analyses[0]} {model} {curve.flavour}" + (f" {curve.cls_tag}" if curve.cls_tag else "")


def hepdata_table(curve: Curve, prov: Provenance, images=()):
    """One ``hepdata_lib.Table`` for a curve; ``images``: (png, thumbnail) pairs to attach."""
    lib = _quietly_import("hepdata_lib")
    Table, Variable = lib.Table, lib.Variable

    t = Table(_table_name(curve))
    lines = header_lines(curve, prov, "hepdata")
    t.description = ascii_text("\n".join(lines[:-2]))
    t.location = _location(curve)
    energies = sorted({analysis_info(a).sqrt_s for a in curve.analyses})
    t.keywords = {"cmenergies": energies, "reactions": REACTIONS,
                  "phrases": ["Heavy neutral lepton", "Sterile neutrino", "Dipole portal",
                              "Transition magnetic moment", "Monophoton",
                              "Projected sensitivity" if curve.expected else "Exclusion limit"]}
    if curve.kind == "a":
        x = Variable("$a = d_{\\mathcal{W}}/d_B$", is_independent=True, is_binned=False, units="")
    else:
        x = Variable("$m_N$", is_independent=True, is_binned=False, units="GeV")
    x.values = [float(v) for v in curve.x]
    x.digits = 7
    t.add_variable(x)
    band = "expected-sensitivity band" if curve.expected else "excluded band"
    for edge, values in (("lower", curve.low), ("upper", curve.high)):
        y = Variable(f"$d_\\gamma$, {edge} edge of the {CL} CL {band}", is_independent=False, is_binned=False,
                     units="GeV$^{-1}$")
        y.values = [_hep_value(v) for v in values]
        y.digits = 7
        _qualifiers(y, curve, curve.analyses, curve.model, curve.flavour, curve.options, curve.m_N)
        t.add_variable(y)
    for png, thumb in images:
        t.add_additional_resource("Image file", str(png), copy_file=True)
        t.add_additional_resource("Thumbnail image file", str(thumb), copy_file=True)
    t._provenance_lines = lines  # written as YAML comments at the top of the table file
    return t


def atlas_table(atlas_: Atlas, prov: Provenance):
    lib = _quietly_import("hepdata_lib")
    Table, Variable = lib.Table, lib.Variable

    t = Table(f"{atlas_.analysis} atlas {atlas_.flavour}")
    lines = atlas_header_lines(atlas_, prov)
    t.description = ascii_text("\n".join(lines[:-2]))
    t.location = "the book's (m_N, a) atlas; not a figure of the publication"
    t.keywords = {"cmenergies": sorted({analysis_info(a).sqrt_s for a in atlas_.analyses}), "reactions": REACTIONS}
    mm, aa = np.meshgrid(atlas_.masses, atlas_.a, indexing="ij")
    xm = Variable("$m_N$", is_independent=True, is_binned=False, units="GeV")
    xm.values = [float(v) for v in mm.ravel()]
    xa = Variable("$a = d_{\\mathcal{W}}/d_B$", is_independent=True, is_binned=False, units="")
    xa.values = [float(v) for v in aa.ravel()]
    for v in (xm, xa):
        v.digits = 7
        t.add_variable(v)
    band = "expected-sensitivity band" if atlas_.expected else "excluded band"
    for edge, values in (("lower", atlas_.low), ("upper", atlas_.high)):
        y = Variable(f"$d_\\gamma$, {edge} edge of the {CL} CL {band}", is_independent=False, is_binned=False,
                     units="GeV$^{-1}$")
        y.values = [_hep_value(v) for v in values.ravel()]
        y.digits = 7
        _qualifiers(y, atlas_, atlas_.analyses, None, atlas_.flavour, atlas_.options)
        t.add_variable(y)
    t._provenance_lines = lines
    return t


def _thumbnail(png: Path, thumb: Path) -> Path:
    from PIL import Image

    with Image.open(png) as im:
        im = im.convert("RGB")
        im.thumbnail((240, 179))
        im.save(thumb, format="PNG", optimize=True)
    return thumb


def write_hepdata(tables, outdir, prov: Provenance, comment: str = "") -> list[Path]:
    """Write a HEPData submission (``submission.yaml`` and one YAML per table, with their files) into ``outdir``
    (replaced), then validate it offline; ValueError with the validator's messages if it is not valid."""
    Submission = _quietly_import("hepdata_lib").Submission

    outdir = Path(outdir).resolve()
    sub = Submission()
    sub.comment = ascii_text(
        (comment or "Limit curves of the dipole portal to heavy neutral leptons, e+e- -> N nu, N -> nu gamma.")
        + f" They reproduce {_paper.REFERENCE}. Computed with the dipole-portal-book (Python package helpers): "
        "a reproduction, not the authors' own numbers. d_gamma in GeV^-1 (transition magnetic moment "
        f"mu = 2 d_gamma / mu_B, mu_B = e/(2 m_e) = {_ls.MU_B_GEVINV:.5g} GeV^-1). LEP tables are observed 95% CL "
        "exclusions; projection tables (CEPC) are expected sensitivities. Interpolate linearly in "
        "(log m_N, log d_gamma) between neighbouring rows with values (each table says how its grid was made). "
        + " ".join(prov.lines()))
    sub.add_link(f"Related publication: {ascii_text(_paper.REFERENCE)}", f"https://doi.org/{_paper.DOI}")
    for t in tables:
        sub.add_table(t)
    if outdir.exists():
        shutil.rmtree(outdir)
    with tempfile.TemporaryDirectory(prefix="hepdata-") as tmp, contextlib.chdir(tmp):
        sub.create_files(str(outdir), validate=False)  # hepdata_lib also writes submission.tar.gz into the cwd
    for t in tables:
        path = outdir / f"{t.name.lower().replace(' ', '_')}.yaml"
        lines = getattr(t, "_provenance_lines", [])
        path.write_text("".join(f"# {line}\n" for line in wrap(ascii_text(x) for x in lines)) + path.read_text())
    ok, messages = validate_hepdata(outdir)
    if not ok:
        raise ValueError("the HEPData submission is not valid:\n" + "\n".join(messages))
    return sorted(outdir.iterdir())


def archive(directory, path) -> Path:
    """The submission as the ``.tar.gz`` that HEPData uploads take, byte for byte reproducible (sorted members,
    no dates, no owners)."""
    import gzip
    import tarfile

    directory, path = Path(directory), Path(path)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for f in sorted(directory.iterdir()):
            info = tar.gettarinfo(str(f), arcname=f.name)
            info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, "", "", 0o644
            with f.open("rb") as fh:
                tar.addfile(info, fh)
    return path


def _quietly_import(module: str):
    """Import a module of the HEPData tools without their DeprecationWarnings (jsonschema's RefResolver)."""
    import importlib
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return importlib.import_module(module)


def validate_hepdata(directory) -> tuple[bool, list[str]]:
    """Validate a submission directory with ``hepdata-validator`` (offline: no remote schema is used)."""
    FullSubmissionValidator = _quietly_import("hepdata_validator.full_submission_validator").FullSubmissionValidator

    v = FullSubmissionValidator(autoload_remote_schemas=False)
    ok = v.validate(directory=str(directory))
    messages = [f"{f}: {m.message}" for f, ms in v.get_messages().items() for m in ms]
    return bool(ok), messages


# --- the export ----------------------------------------------------------------------------------------------------

def hnlimits_file(curve_name: str, flavour: str, unit: str, directory: Path) -> Path:
    """``<directory>/<flavour>/<analysis>_<scenario>_d_<flavour>.dat`` (or ``_muB_``)."""
    stem = curve_name[: -len(flavour) - 1]
    tag = "d" if unit == "d" else "muB"
    return Path(directory) / flavour / f"{stem}_{tag}_{flavour}.dat"


def _clean(directory: Path, pattern: str):
    if directory.exists():
        for p in directory.glob(pattern):
            if p.is_file():
                p.unlink()


def export(directory: Path | None = None, *, formats=FORMATS, command: str | None = None, headline=None,
           progress: bool = True) -> list[Path]:
    """Write every curve of the book: versus m_N (every analysis, scenario, flavour), versus a (:data:`A_JOBS`),
    the combinations (:func:`helpers.curves.combined_kinds`), the expected CLs curves of every projection
    (:data:`helpers.curves.CLS_BKG_UNCERTAINTIES`) and the (m_N, a) maps of every combination
    (:data:`helpers.curves.ATLAS_GRID`), as CSV (``<directory>/limits``, with ``cls/`` and ``atlas/``),
    HNLimits-style files (``<directory>/hnlimits``, the S^2/B and measured curves versus m_N) and a HEPData submission
    (``<directory>/hepdata``).  ``headline``: a PNG to attach to the combined tables (default: draw the headline
    figure)."""
    from tqdm import tqdm

    root = Path(directory) if directory is not None else DATA_ROOT
    limits_dir, hnl_dir, hep_dir = root / "limits", root / "hnlimits", root / "hepdata"
    prov = provenance(command)
    jobs = ([("mass", a, s, f) for a in _exp.names() for s in SCENARIO_NAMES for f in FLAVOURS]
            + [("a", a, m, f) for a, m, f in K.A_JOBS]
            + [("combined", k, s, f) for k in K.combined_kinds() for s in SCENARIO_NAMES for f in FLAVOURS]
            + [("cls", (a, b), s, f) for a in _col.MODES for b in K.CLS_BKG_UNCERTAINTIES for s in SCENARIO_NAMES
               for f in FLAVOURS]
            + [("atlas", k, None, f) for k in K.combined_kinds() for f in FLAVOURS])
    if "csv" in formats:
        for sub in ("", "vs_a", "cls", "atlas"):
            _clean(limits_dir / sub, "*.csv")
    if "hnlimits" in formats or "hnlimits-muB" in formats:
        for f in FLAVOURS:
            _clean(hnl_dir / f, "*.dat")
    paths, curves, memos, done = [], [], {}, {}
    with tqdm(jobs, desc="export", unit="curve", file=sys.stderr, disable=not progress, delay=1.0) as bar:
        for kind, what, arg, flavour in bar:
            bar.set_postfix_str(f"{what} {arg} {flavour}")
            if kind == "mass":
                memo = memos.setdefault((what, arg, flavour), _Points(
                    lambda m, a=what, s=arg, f=flavour: K.curve_vs_mass(a, s, f, masses=m)[1:]))
                c = mass_curve(what, arg, flavour, K.MASS_GRID, _memo=memo)
                done[(what, arg, flavour)] = c
                csv_path = K.mass_file(what, arg, flavour, limits_dir)
            elif kind == "a":
                c = a_curve(what, arg, flavour, K.A_GRID)
                csv_path = K.a_file(what, arg, flavour, limits_dir)
            elif kind == "cls":
                mode, bkg = what
                c = mass_curve(mode, arg, flavour, K.MASS_GRID, cls=dict(bkg_uncertainty=bkg))
                csv_path = K.cls_file(mode, arg, flavour, bkg, limits_dir)
            elif kind == "atlas":
                c = combined_atlas(what, flavour)
                curves.append(c)
                if "csv" in formats:
                    paths.append(write_atlas_csv(c, K.atlas_file(what, flavour, limits_dir), prov))
                continue
            else:
                analyses = K.combined_kinds()[what]
                c = combined(what, arg, flavour, K.MASS_GRID,
                             constituents={a: done[(a, arg, flavour)] for a in analyses if (a, arg, flavour) in done},
                             memos={a: memos[(a, arg, flavour)] for a in analyses if (a, arg, flavour) in memos})
                csv_path = limits_dir / f"{c.name}.csv"
            curves.append(c)
            if "csv" in formats:
                paths.append(write_csv(c, csv_path, prov))
            # HNLimits: the curves of the book's figures (nothing excluded, e.g. Z invisible in scenario III: no file)
            if kind in ("mass", "combined") and c.excluded.any():
                for fmt, unit in (("hnlimits", "d"), ("hnlimits-muB", "mu_B")):
                    if fmt in formats:
                        paths += write_hnlimits(c, hnlimits_file(c.name, flavour, unit, hnl_dir), prov, unit)
    if "hepdata" in formats:
        with tempfile.TemporaryDirectory(prefix="headline-") as tmp:
            png = Path(headline) if headline else _draw_headline(Path(tmp) / "headline.png")
            if png.name != "headline.png":
                png = Path(shutil.copy(png, Path(tmp) / "headline.png"))
            thumb = _thumbnail(png, Path(tmp) / "thumb_headline.png")
            tables = [atlas_table(c, prov) if isinstance(c, Atlas) else
                      hepdata_table(c, prov, [(png, thumb)] if c.kind == "combined" else ()) for c in curves]
            paths += write_hepdata(tables, hep_dir, prov)
            paths.append(archive(hep_dir, root / "hepdata.tar.gz"))
    return paths


def _draw_headline(path: Path) -> Path:
    from . import figures

    return figures.save_headline(path)
