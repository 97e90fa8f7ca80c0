"""Section VI of the paper, computed: comparisons of the LEP and CEPC curves with the external landscape.

Two kinds of comparison:

* :func:`crossover_mass` -- the mass above which one bound (its lower edge) is stronger than another;
* :func:`probes_new_space` -- whether a bound excludes any d_gamma that no external constraint excludes
  already (the union of every external excluded band at that mass, checked on a fine grid of d_gamma
  up to :data:`D_TOP`).  This is what "explores previously unconstrained parameter space" means.
"""

from __future__ import annotations

import numpy as np

from . import curves as K
from . import landscape as LS
from .couplings import SCENARIO_NAMES

D_TOP = 1e-1  #: GeV^-1, the top of Fig. 8: larger couplings are not considered
_D_GRID = np.logspace(-10, np.log10(D_TOP), 801)


def external_edges(key: str, m):
    """(d_low, d_high) of an external constraint at masses m [GeV]; NaN outside its mass range."""
    cur = LS.load(key)
    m = np.asarray(m, dtype=float)
    inside = (m >= cur.m_GeV[0]) & (m <= cur.m_GeV[-1])
    mm = np.clip(m, cur.m_GeV[0], cur.m_GeV[-1])
    lo = np.where(inside, LS.loglog_interp(mm, cur.m_GeV, cur.d_low), np.nan)
    if cur.kind == "upper":
        hi = np.where(inside, np.inf, np.nan)
    else:
        hi = np.where(inside, LS.loglog_interp(mm, cur.m_GeV, cur.d_high), np.nan)
    return lo, hi


def external_keys(flavour: str, in_paper_only: bool = True) -> list[str]:
    return [c.key for c in LS.for_flavour(flavour, in_paper_only)]


def excluded_externally(m, flavour: str, in_paper_only: bool = True, keys=None) -> np.ndarray:
    """Boolean (len(m), len(D grid)): True where some external constraint excludes (m, d)."""
    m = np.atleast_1d(np.asarray(m, dtype=float))
    out = np.zeros((len(m), len(_D_GRID)), dtype=bool)
    for key in keys or external_keys(flavour, in_paper_only):
        lo, hi = external_edges(key, m)
        ok = np.isfinite(lo)
        out |= ok[:, None] & (_D_GRID[None, :] >= np.where(ok, lo, np.inf)[:, None]) & (
            _D_GRID[None, :] <= np.where(ok, hi, -np.inf)[:, None])
    return out


def probes_new_space(m, low, high, flavour: str, in_paper_only: bool = True, keys=None) -> np.ndarray:
    """True at masses where the band [low, high] (capped at D_TOP) contains a d_gamma that no external
    constraint excludes."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    ext = excluded_externally(m, flavour, in_paper_only, keys)
    ours = (np.isfinite(low)[:, None] & (_D_GRID[None, :] >= np.nan_to_num(low, nan=np.inf)[:, None])
            & (_D_GRID[None, :] <= np.nan_to_num(high, nan=-np.inf)[:, None]))
    return np.any(ours & ~ext, axis=1)


def crossover_mass(m, ours_low, theirs_low) -> float:
    """Smallest mass m* such that ours < theirs at every grid mass >= m* where ours excludes something
    (where theirs is undefined it counts as no bound).  NaN if ours is never stronger at the upper end."""
    m = np.asarray(m, dtype=float)
    ours = np.asarray(ours_low, dtype=float)
    theirs = np.where(np.isfinite(theirs_low), theirs_low, np.inf)
    defined = np.isfinite(ours)
    better = ~defined | (ours < theirs)
    if not np.any(defined) or not better[np.nonzero(defined)[0][-1]]:
        return float("nan")
    idx = np.nonzero(~better)[0]
    first = idx[-1] + 1 if len(idx) else np.nonzero(defined)[0][0]
    first = max(first, np.nonzero(defined)[0][0])
    return float(m[first])


def first_mass_with(m, flags) -> float:
    """Smallest mass above which ``flags`` is True at every grid mass (NaN if never)."""
    flags = np.asarray(flags, dtype=bool)
    if not flags[-1] and not np.any(flags):
        return float("nan")
    idx = np.nonzero(~flags)[0]
    if len(idx) == 0:
        return float(m[0])
    if idx[-1] == len(flags) - 1:
        return float("nan")
    return float(m[idx[-1] + 1])


def combined(kind: str, scenario: str, flavour: str):
    """(m, low, high) of the LEP or CEPC combined curve (:func:`helpers.curves.combined_curve`)."""
    return K.combined_curve(kind, scenario, flavour)[:3]


def section_vi_table() -> dict:
    """Every claim of Sec. VI, computed (see the summary chapter for the definitions)."""
    out = {}
    for scen in SCENARIO_NAMES:
        for kind in ("lep", "cepc"):
            m, lo, _ = combined(kind, scen, "e")
            i = int(np.nanargmin(lo))
            out[("min_de", kind, scen)] = (float(lo[i]), float(m[i]))
    for scen in ("I", "II", "IV"):
        m, lo, _ = combined("lep", scen, "mu")
        nomad_lo, _ = external_edges("nomad", m)
        out[("lep_beats_nomad", scen)] = crossover_mass(m, lo, nomad_lo)
    for flavour in ("mu", "tau"):
        for scen in SCENARIO_NAMES:
            m, lo, hi = combined("cepc", scen, flavour)
            out[("cepc_new", flavour, scen)] = first_mass_with(m, probes_new_space(m, lo, hi, flavour))
    for scen in SCENARIO_NAMES:
        m, lo, hi = K.curve_vs_mass("l3_zgamma", scen, "tau")
        if np.any(np.isfinite(lo)):
            out[("l3_leads_tau", scen)] = first_mass_with(m[np.isfinite(lo)],
                                                          probes_new_space(m, lo, hi, "tau")[np.isfinite(lo)])
        else:
            out[("l3_leads_tau", scen)] = float("nan")
    xe = LS.load("xenon1t")
    for scen in ("I", "II", "IV"):
        m, lo, hi = K.curve_vs_mass("z_invisible", scen, "e")
        in_xe = (m >= xe.m_GeV[0]) & (m <= xe.m_GeV[-1])
        new_xe = probes_new_space(m, lo, hi, "e", keys=["xenon1t"])
        out[("zinv_new_vs_xenon_in_its_range", scen)] = bool(np.any(new_xe & in_xe))
        out[("zinv_new_vs_all", scen)] = bool(np.any(probes_new_space(m, lo, hi, "e")))
    return out
