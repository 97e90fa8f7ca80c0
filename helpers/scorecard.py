r"""Every number the paper quotes as a result, computed by the book for any reading, and the reading finder.

:func:`quoted_numbers` evaluates each result of :data:`helpers.paper.RESULTS` as a function of the book's curves,
for a :class:`~helpers.reading.Reading` (default: the derived physics).  Each definition says which curves, which
grid, which range of a and which external constraints it uses (the ``definition`` of every :class:`Number`); where
the paper's words admit two definitions both are computed (e.g. with and without the LEP curve of Magill et al.
among the existing constraints).  A range counts as two numbers (its ends).

:func:`score` is the rms of log10(book/paper) over the numbers that have a ratio, overall and for LEP and CEPC
separately; a number the book cannot produce under a reading (no crossing, no bound) counts as a factor 10.
:func:`find_reading` searches the readings coordinate by coordinate, starting from the paper's stated method;
:func:`sensitivity` flips one choice at a time.  The finder uses a coarse grid (:data:`FAST`), the scorecard the
book's grids (:data:`FULL`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import curves as K
from . import landscape as LS
from . import limits as L
from . import paper as _paper
from . import signal as _sig
from . import sm
from . import summary as SU
from .reading import DERIVED, PAPER_STATED, Reading
from .symcache import cached_arrays
from .validation import PRINTED_EQUATIONS, convention as _canonical

MISSING_PENALTY = 1.0  #: |log10(book/paper)| charged for a number the book does not produce (a factor 10)


@dataclass(frozen=True, eq=False)
class Grid:
    """The numerical settings of an evaluation."""

    name: str
    masses: np.ndarray
    a_values: np.ndarray
    samples: int  #: Monte Carlo samples per point for the photon acceptance


FULL = Grid("full", K.MASS_GRID, K.A_GRID, _sig.DEFAULT_SAMPLES)
FAST = Grid("fast", K.round_grid(np.geomspace(1e-2, 2e2, 32)), K.round_grid(np.linspace(-10.0, 10.0, 21)), 8 * 128)


@dataclass(frozen=True)
class Number:
    """One quoted number: the paper's value, the book's, and how the book's is defined."""

    key: str  #: the helpers.paper key, with '.low'/'.high' for the ends of a range, '@...' for a variant
    paper: float
    book: float
    group: str  #: 'LEP', 'CEPC' or 'model/external' (the last is not scored)
    definition: str
    scored: bool = True  #: False: shown, not in the rms (a location, or a number no reading changes)

    @property
    def ratio(self) -> float:
        return self.book / self.paper if self.paper and np.isfinite(self.book) else float("nan")

    @property
    def log_error(self) -> float:
        """|log10(book/paper)|; :data:`MISSING_PENALTY` where the book has no value."""
        r = self.ratio
        return abs(math.log10(r)) if np.isfinite(r) and r > 0 else MISSING_PENALTY


class Book:
    """The book's curves under one reading on one grid, memoised (and cached on disk)."""

    def __init__(self, reading: Reading = DERIVED, grid: Grid = FULL):
        if not isinstance(reading, Reading):
            raise TypeError(f"reading must be a helpers.reading.Reading (got {type(reading).__name__})")
        self.reading, self.grid = reading, grid
        self._memo = {}

    def band(self, analysis: str, model, flavour: str, masses):
        """(d_low, d_high) of one analysis for masses and a model (a scenario, or an array of a)."""
        masses = np.asarray(masses, dtype=float)
        memo_key = (analysis, K._stable(model), flavour, K._stable(masses))
        if memo_key in self._memo:
            return self._memo[memo_key]
        exp = self.reading.experiment(K.experiment_for(analysis))
        opts = self.reading.options()

        def build():
            acc = None if exp.kind == "z_invisible" else _acceptance(exp, masses, model, flavour, opts,
                                                                      self.grid.samples)
            low, high = L.limit_band(exp, masses, model, flavour=flavour, acc=acc, **opts)
            return {"low": np.asarray(low, dtype=float), "high": np.asarray(high, dtype=float)}

        key = (K._stable(exp), K._stable(model), flavour, K._stable(masses), K._stable(opts), self.grid.samples)
        data = cached_arrays("scorecard.band", key, build)
        self._memo[memo_key] = (data["low"], data["high"])
        return self._memo[memo_key]

    @property
    def _is_book(self) -> bool:
        """The derived physics on the book's grids: the book's own (cached) curves."""
        return self.reading == DERIVED and self.grid == FULL

    def mass(self, analysis: str, scenario: str, flavour: str):
        if self._is_book:
            return K.curve_vs_mass(analysis, scenario, flavour)
        m = self.grid.masses
        return (m,) + self.band(analysis, scenario, flavour, m)

    def vs_a(self, analysis: str, m_N: float, flavour: str):
        if self._is_book:
            return K.curve_vs_a(analysis, m_N, flavour)
        a = self.grid.a_values
        low, high = self.band(analysis, a, flavour, np.full(a.shape, float(m_N)))
        return a, low, high

    def combined(self, kind: str, scenario: str, flavour: str):
        bands = [self.mass(a, scenario, flavour)[1:] for a in K.combined_kinds()[kind]]
        low, high, _ = K.combine_bands(bands)
        return self.grid.masses, low, high


_ACCEPTANCES: dict = {}  #: photon acceptances by what decides them, shared by the readings of one process


def _acceptance(exp, masses, model, flavour, opts, samples):
    """The photon acceptance of a record for a reading's options.  It depends only on the selection, the photon
    distribution, the production pieces and charge states (not on efficiencies, thresholds, widths or Eq. 19), so
    readings that differ elsewhere share it."""
    z_only = exp.kind == "z_gamma_invisible"
    pieces = ("Z",) if z_only else opts["pieces"]
    charge = "both" if z_only else opts["charge"]
    conv = _canonical(tuple(e for e in (() if opts["convention"] == "derived" else PRINTED_EQUATIONS
                                        if opts["convention"] == "as_printed" else opts["convention"])
                            if e in ("eq11", "eq12", "eq13", "no_st")))
    key = (exp.kind, exp.sqrt_s, K._stable(exp.cuts), K._stable(model), flavour, K._stable(masses),
           opts["photon_model"], K._stable(pieces), K._stable(conv), charge, samples, opts["sin2w"])
    if key not in _ACCEPTANCES:
        _ACCEPTANCES[key] = L.acceptance_for(exp, masses, model, flavour=flavour, convention=conv,
                                             photon_model=opts["photon_model"], pieces=pieces, charge=charge,
                                             n=samples, sin2w=opts["sin2w"])
    return _ACCEPTANCES[key]


# --- the definitions ------------------------------------------------------------------------------------------


def _range(values, mask):
    v = np.asarray(values)[mask]
    v = v[np.isfinite(v)]
    return (float(v.min()), float(v.max())) if v.size else (float("nan"), float("nan"))


def _median(values):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else float("nan")


def _min(values):
    v = np.asarray(values, dtype=float)
    return float(np.nanmin(v)) if np.any(np.isfinite(v)) else float("nan")


def _existing(flavour: str, magill: bool) -> list[str]:
    """The existing constraints of Fig. 8 for a flavour; ``magill``: with the LEP curve of Magill et al."""
    return [c.key for c in LS.for_flavour(flavour, True) if magill or c.key != "lep_magill"]


def _first_new(b: Book, m, low, high, flavour, magill: bool = False):
    """Smallest mass above which the band excludes, at every mass, some d_gamma no existing constraint excludes."""
    return SU.first_mass_with(m, SU.probes_new_space(m, low, high, flavour, keys=_existing(flavour, magill)))


def quoted_numbers(reading: Reading = DERIVED, grid: Grid = FULL) -> list[Number]:
    """Every quoted result of the paper, computed under ``reading`` on ``grid``; cached on disk as a whole (key: the
    reading, the grid, the digitised external constraints and the code), so that a chapter that evaluates many
    readings re-runs in seconds."""
    from dataclasses import fields

    names = [f.name for f in fields(Number)]

    def build():
        nums = _quoted_numbers(reading, grid)
        return {k: np.array([getattr(n, k) for n in nums]) for k in names}

    data = cached_arrays("scorecard.quoted_numbers", (K._stable(reading), K._stable(grid), LS.fingerprint()), build)
    kinds = {"key": str, "paper": float, "book": float, "group": str, "definition": str, "scored": bool}
    return [Number(**{k: kinds[k](data[k][i]) for k in names}) for i in range(len(data["key"]))]


def _quoted_numbers(reading: Reading, grid: Grid) -> list[Number]:
    b = Book(reading, grid)
    P = _paper.RESULTS
    out: list[Number] = []

    def add(key, book, group, definition, paper_value=None, scored=True, suffix=""):
        if key not in P:
            raise KeyError(f"{key} is not a quoted result of helpers.paper")
        paper_value = P[key].value if paper_value is None else paper_value
        out.append(Number(key + suffix, float(paper_value), float(book), group, definition, scored))

    def add_range(key, lo_hi, group, definition):
        (plo, phi), (blo, bhi) = P[key].value, lo_hi
        add(key, blo, group, "smallest " + definition, plo, suffix=".low")
        add(key, bhi, group, "largest " + definition, phi, suffix=".high")

    # --- model (only the weak-angle scheme changes these; unscored: the paper gives one digit) ---
    th = math.asin(math.sqrt(sm.SIN2W_SCHEMES[reading.weak_angle]))
    add("singular_a", -2 / math.tan(th), "model/external", f"a = -2 cot(theta_w), {reading.weak_angle} angle",
        scored=False)
    add("dZ_zero_a", 2 * math.tan(th), "model/external", f"a = 2 tan(theta_w), {reading.weak_angle} angle",
        scored=False)

    # --- LEP: bounds versus a ---
    a, lo, _ = b.vs_a("lep1_opal", 10.0, "e")
    add_range("opal_range_a_pos", _range(lo, a > 0), "LEP", "OPAL lower edge, m_N = 10 GeV, electron, 0 < a <= 10")
    a, lo_e, _ = b.vs_a("lep2_delphi", 100.0, "e")
    add_range("delphi_range_e", _range(lo_e, np.abs(a) <= 10), "LEP", "DELPHI lower edge, m_N = 100 GeV, e, |a| <= 10")
    add("delphi_e_max_at_a", float(a[np.nanargmax(lo_e)]) if np.any(np.isfinite(lo_e)) else float("nan"), "LEP",
        "a at which the DELPHI bound on d_gamma^e (m_N = 100 GeV) is weakest (a location: shown, not scored)",
        scored=False)
    a, lo, _ = b.vs_a("lep2_delphi", 100.0, "mu")
    add_range("delphi_range_mu", _range(lo, np.abs(a) <= 10), "LEP", "DELPHI lower edge, m_N = 100 GeV, mu, |a| <= 10")
    # --- LEP: versus mass ---
    m = grid.masses
    sel = (m > 0.1) & (m < 80)
    ratios = []
    for scen in ("I", "II", "IV"):
        lep1 = np.fmin(b.mass("l3_zgamma", scen, "e")[1], b.mass("lep1_opal", scen, "e")[1])
        ratios.append(_median((b.mass("lep2_delphi", scen, "e")[1] / lep1)[sel]))
    add("lep1_over_lep2", float(np.mean(ratios)), "LEP",
        "DELPHI / best LEP1 (L3, OPAL) bound on d_gamma^e, median over 0.1 < m_N < 80 GeV, mean of I, II, IV")
    for scen in ("III", "II"):
        add(f"min_de_lep_{scen}", _min(b.combined("lep", scen, "e")[1]), "LEP",
            f"smallest LEP combined bound on d_gamma^e, scenario {scen}")
    for scen in ("I", "II", "IV"):
        mm, lo, _ = b.combined("lep", scen, "mu")
        add(f"nomad_cross_{scen}", SU.crossover_mass(mm, lo, SU.external_edges("nomad", mm)[0]), "LEP",
            f"mass above which the LEP combined bound on d_gamma^mu is below NOMAD's, scenario {scen}")
    # "new ground": the existing constraints are the curves of Fig. 8 except the LEP curve of Magill et al. (LEP is
    # what the paper recomputes); with that curve counted too is the second reading of the words (shown, unscored)
    new = "excludes, at every larger mass, some d_gamma that no existing constraint of Fig. 8 (but Magill's LEP) does"
    for flavour, key in (("mu", "delphi_new_mu_III"), ("tau", "lep2_beats_donut_III")):
        mm, lo, hi = b.mass("lep2_delphi", "III", flavour)
        add(key, _first_new(b, mm, lo, hi, flavour), "LEP", f"mass above which DELPHI {new}, {flavour}, scenario III")
        add(key, _first_new(b, mm, lo, hi, flavour, magill=True), "LEP",
            "the same with Magill's LEP curve counted as existing", suffix="@with_magill", scored=False)
    for scen, key in (("I", "l3_leads_tau_I"), ("II", "l3_leads_tau_II_IV"), ("IV", "l3_leads_tau_II_IV")):
        mm, lo, hi = b.mass("l3_zgamma", scen, "tau")
        ok = np.isfinite(lo)
        for magill in (False, True):
            flags = SU.probes_new_space(mm, lo, hi, "tau", keys=_existing("tau", magill))
            val = SU.first_mass_with(mm[ok], flags[ok]) if np.any(ok) else float("nan")
            add(key, val, "LEP", f"mass above which L3 (Z -> gamma + inv) {new}, tau, scenario {scen}"
                if not magill else "the same with Magill's LEP curve counted as existing",
                suffix=("" if scen != "IV" else "@IV") + ("@with_magill" if magill else ""), scored=not magill)

    # --- CEPC: versus a ---
    a, lo_cz, _ = b.vs_a("cepc_z", 10.0, "e")
    add_range("cepc_z_range_a_pos", _range(lo_cz, a > 0), "CEPC", "CEPC Z-mode lower edge, m_N = 10 GeV, e, 0 < a <= 10")
    _, lo_op, _ = b.vs_a("lep1_opal", 10.0, "e")
    add("cepc_z_vs_lep1", _median((lo_op / lo_cz)[a > 0]), "CEPC",
        "OPAL / CEPC Z-mode bound, m_N = 10 GeV, e, median over 0 < a <= 10")
    for flavour in ("e", "mu"):
        a, lo, _ = b.vs_a("cepc_h", 100.0, flavour)
        add_range(f"cepc_h_range_{flavour}", _range(lo, np.abs(a) <= 10), "CEPC",
                  f"CEPC H-mode lower edge, m_N = 100 GeV, {flavour}, |a| <= 10")
    # --- CEPC: versus mass ---
    sel = (m >= 1) & (m <= 50)
    for flavour, scens, key in (("e", ("I", "II", "IV"), "z_mode_gain_e"), ("mu", ("II", "IV"), "z_mode_gain_mu")):
        gains = []
        for scen in scens:
            z = b.mass("cepc_z", scen, flavour)[1]
            others = np.fmin.reduce([b.mass(k, scen, flavour)[1] for k in ("cepc_ww", "cepc_h", "cepc_tt")])
            gains.append(_median((others / z)[sel]))
        add(key, float(np.mean(gains)), "CEPC",
            f"best other CEPC mode / Z mode on d_gamma^{flavour}, median over 1-50 GeV, mean of {', '.join(scens)}")
    for scen in ("III", "II"):
        add(f"min_de_cepc_{scen}", _min(b.combined("cepc", scen, "e")[1]), "CEPC",
            f"smallest CEPC combined bound on d_gamma^e, scenario {scen}")
    add("cepc_over_lep_II", _min(b.combined("lep", "II", "e")[1]) / _min(b.combined("cepc", "II", "e")[1]), "CEPC",
        "smallest LEP / smallest CEPC bound on d_gamma^e, scenario II")
    for scen in ("III", "I", "II", "IV"):
        mm, lo, hi = b.combined("cepc", scen, "mu")
        key = "cepc_new_mu_III" if scen == "III" else "cepc_new_mu_other"
        add(key, _first_new(b, mm, lo, hi, "mu"), "CEPC", f"mass above which CEPC {new}, mu, scenario {scen}",
            suffix="" if scen in ("III", "I") else f"@{scen}")
    vals, vals_m = [], []
    for scen in ("I", "II", "III", "IV"):
        mm, lo, hi = b.combined("cepc", scen, "tau")
        vals.append(_first_new(b, mm, lo, hi, "tau"))
        vals_m.append(_first_new(b, mm, lo, hi, "tau", magill=True))
    add("cepc_new_tau", _median(vals), "CEPC", f"mass above which CEPC {new}, tau, median of the four scenarios")
    add("cepc_new_tau", _median(vals_m), "CEPC", "the same with Magill's LEP curve counted as existing",
        suffix="@with_magill", scored=False)

    # --- external numbers the paper quotes (read from the digitised curves; no reading changes them) ---
    donut = LS.load("donut")
    add("donut_d", float(np.nanmin(donut.d_low)), "model/external", "DONUT curve as digitised: its smallest d",
        scored=False)
    lsnd = LS.load("lsnd")
    add("lsnd_reach", float(lsnd.m_GeV[-1]), "model/external", "LSND curve as digitised: its largest mass",
        scored=False)
    return out


# --- scoring and the finder --------------------------------------------------------------------------------------


def score(numbers: list[Number]) -> dict[str, float]:
    """rms of log10(book/paper) over the scored numbers: overall, LEP and CEPC."""
    out = {}
    for group in ("all", "LEP", "CEPC"):
        errs = [n.log_error for n in numbers if n.scored and (group == "all" or n.group == group)]
        out[group] = float(np.sqrt(np.mean(np.square(errs)))) if errs else float("nan")
    return out


#: the dimensions the finder explores: field -> the values it tries
DIMENSIONS = {
    "eq8": (False, True), "eq11": (False, True), "eq12": (False, True), "eq13": (False, True),
    "eq19": (False, True), "no_st": (False, True),
    "photon_model": _sig.PHOTON_MODELS,
    "double_br": (False, True),
    "charge": ("both", "N"),
    "z_charges": (2, 1),
    "delphi_chi2": (3.84, 2.71),
    "efficiency": ("stated", "none"),
    "background_scheme": ("gf", "alpha_mz", "alpha_0"),
    "alpha": ("mz", "0", "gf"),
    "weak_angle": ("on_shell", "msbar"),
    "lep_length": (1.0, 0.5, 2.0),  # the paper states l_D = 1 m
    "cepc_length": (None, 1.0, 3.0),  # None: the record's 1.8 m (the paper gives none)
}


def set_choice(reading: Reading, dim: str, value) -> Reading:
    """``reading`` with one dimension of :data:`DIMENSIONS` set to ``value`` (printed equations one by one)."""
    if dim not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dim!r}; allowed: {', '.join(DIMENSIONS)}")
    if dim.startswith("eq") or dim == "no_st":
        printed = set(reading.printed)
        printed.add(dim) if value else printed.discard(dim)
        return reading.with_(printed=tuple(printed))
    return reading.with_(**{dim: value})


def get_choice(reading: Reading, dim: str):
    if dim.startswith("eq") or dim == "no_st":
        return dim in reading.printed
    return getattr(reading, dim)


def evaluate(reading: Reading, grid: Grid = FAST) -> dict[str, float]:
    return score(quoted_numbers(reading, grid))


def find_reading(start: Reading = PAPER_STATED, grid: Grid = FAST, passes: int = 2, progress=None):
    """Coordinate-wise search: from ``start``, try every value of every dimension, keep the best (overall rms),
    repeat until a pass changes nothing (at most ``passes``).  Returns (best reading, its scores, the history: a
    list of (reading, scores) of every reading evaluated)."""
    history = []

    def run(r):
        s = evaluate(r, grid)
        history.append((r, s))
        if progress:
            progress(r, s)
        return s

    best, best_s = start, run(start)
    for _ in range(passes):
        changed = False
        for dim, values in DIMENSIONS.items():
            for v in values:
                if v == get_choice(best, dim):
                    continue
                cand = set_choice(best, dim, v).with_(name="best reading")
                s = run(cand)
                if s["all"] < best_s["all"] - 1e-9:
                    best, best_s, changed = cand, s, True
        if not changed:
            break
    return best.with_(name="best reading"), best_s, history


def sensitivity(base: Reading = DERIVED, grid: Grid = FAST) -> list[tuple[str, object, dict, dict]]:
    """One choice at a time away from ``base``: (dimension, value, scores, {key: book/base ratio}) for every
    alternative value; the ratios say which quoted numbers a choice moves and by how much."""
    ref = {n.key: n.book for n in quoted_numbers(base, grid)}
    out = []
    for dim, values in DIMENSIONS.items():
        for v in values:
            if v == get_choice(base, dim):
                continue
            nums = quoted_numbers(set_choice(base, dim, v), grid)
            moved = {n.key: n.book / ref[n.key] for n in nums
                     if n.scored and np.isfinite(n.book) and np.isfinite(ref[n.key]) and ref[n.key] != 0}
            out.append((dim, v, score(nums), moved))
    return out


AGREES, CLOSE = 1.25, 2.0  #: verdict thresholds on book/paper (or its inverse)


def verdict(n: Number) -> str:
    """'agrees' (within 25 %), 'close' (within a factor 2), 'differs', 'not reproduced' (no value), or
    'shown' (not scored)."""
    if not n.scored:
        return "shown"
    r = n.ratio
    if not (np.isfinite(r) and r > 0):
        return "not reproduced"
    f = max(r, 1 / r)
    return "agrees" if f <= AGREES else "close" if f <= CLOSE else "differs"


def reasons(numbers: list[Number], sens) -> dict[str, str]:
    """For each scored number that does not agree: the single choice (from :func:`sensitivity`) that brings it
    closest to the paper, with the ratio it would then have; '' if no single choice helps by more than 10 %."""
    out = {}
    for n in numbers:
        if not n.scored or verdict(n) == "agrees" or not np.isfinite(n.ratio):
            continue
        best, best_gain = "", math.log10(1.1)
        for dim, value, _, moved in sens:
            f = moved.get(n.key)
            if f is None or not np.isfinite(f) or f <= 0:
                continue
            gain = abs(math.log10(n.ratio)) - abs(math.log10(n.ratio * f))
            if gain > best_gain:
                best, best_gain = f"{dim}={value} → {n.ratio * f:.2f}", gain
        out[n.key] = best
    return out


#: the headline bounds of the introduction's key-numbers table
KEY_NUMBERS = ("opal_range_a_pos.low", "delphi_range_e.low", "min_de_lep_II", "min_de_lep_III",
               "cepc_z_range_a_pos.low", "cepc_h_range_e.low", "min_de_cepc_II", "min_de_cepc_III")
