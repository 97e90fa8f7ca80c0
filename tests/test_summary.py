"""Section VI comparisons: the small functions behind the summary chapter."""

import numpy as np

from helpers import summary as SU


def test_crossover_mass():
    m = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    ours = np.array([5.0, 4.0, 2.0, 1.0, 1.0])
    theirs = np.array([3.0, 3.0, 3.0, 3.0, np.nan])  # no external bound at the last mass
    assert SU.crossover_mass(m, ours, theirs) == 3.0
    assert np.isnan(SU.crossover_mass(m, np.full(5, 9.0), np.full(5, 1.0)))


def test_first_mass_with():
    m = np.arange(5.0)
    assert SU.first_mass_with(m, [False, True, False, True, True]) == 3.0
    assert np.isnan(SU.first_mass_with(m, [True, True, True, True, False]))
    assert SU.first_mass_with(m, [True] * 5) == 0.0


def test_new_space_against_the_landscape():
    # a huge excluded band far above everything is never new where upper-type bounds exist...
    m = np.array([1.0, 50.0])
    high = np.array([np.inf, np.inf])
    assert not SU.probes_new_space(m, np.array([5e-2, 5e-2]), high, "mu")[0]  # NOMAD/LEP region covered
    # ...and a reach far below every external bound always is
    assert np.all(SU.probes_new_space(m, np.array([1e-9, 1e-9]), high, "mu"))


# --- the Sec. VI table on the committed curves -----------------------------------------------------------------

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from helpers import landscape as LS  # noqa: E402

LIMITS = Path(__file__).resolve().parent.parent / "data" / "limits"


def _read(name: str):
    """(m, low, high) of a committed curve file, read here without the package (empty -> NaN, 'inf' -> inf)."""
    rows = [r for r in (LIMITS / name).read_text().splitlines() if r and not r.startswith("#")][1:]
    cols = list(zip(*(r.split(",") for r in rows)))
    return tuple(np.array([float(x) if x else np.nan for x in c]) for c in cols)


@pytest.fixture(scope="module")
def table():
    """section_vi_table on the committed data/limits files (kept current by tests/test_data.py): the table's logic,
    fast, and independent of the cache."""
    mp = pytest.MonkeyPatch()
    mp.setattr(SU.K, "combined_curve", lambda kind, s, f: _read(f"{kind}_combined_{s}_{f}.csv") + (None,))
    mp.setattr(SU.K, "curve_vs_mass", lambda analysis, s, f: _read(f"{analysis}_{s}_{f}.csv"))
    try:
        yield SU.section_vi_table()
    finally:
        mp.undo()


@pytest.mark.parametrize("kind", ["lep", "cepc"])
@pytest.mark.parametrize("scenario", ["I", "II", "III", "IV"])
def test_strongest_bound_is_the_minimum_of_the_combined_curve(table, kind, scenario):
    m, low, _ = _read(f"{kind}_combined_{scenario}_e.csv")
    d_min, m_at = table[("min_de", kind, scenario)]
    assert d_min == np.nanmin(low) and low[list(m).index(m_at)] == d_min
    assert np.all(~(low < d_min))  # nothing below it anywhere


def _nomad_low(m):
    """NOMAD's lower edge at m by log-log interpolation of the loaded curve (NaN outside its mass range)."""
    cur = LS.load("nomad")
    inside = (m >= cur.m_GeV[0]) & (m <= cur.m_GeV[-1])
    val = np.exp(np.interp(np.log(np.clip(m, cur.m_GeV[0], cur.m_GeV[-1])), np.log(cur.m_GeV), np.log(cur.d_low)))
    return np.where(inside, val, np.nan)


@pytest.mark.parametrize("scenario", ["I", "II", "IV"])
def test_lep_overtakes_nomad_where_the_curves_cross(table, scenario):
    """The crossover mass m*: at every grid mass from m* on, the LEP muon-flavour bound is below NOMAD's (or NOMAD has
    none); at the grid mass just below m* it is not."""
    m_star = table[("lep_beats_nomad", scenario)]
    m, low, _ = _read(f"lep_combined_{scenario}_mu.csv")
    nomad = _nomad_low(m)
    stronger = np.isnan(low) | ~(low >= np.where(np.isnan(nomad), np.inf, nomad))
    if np.isnan(m_star):
        assert not stronger[np.nonzero(np.isfinite(low))[0][-1]]
        return
    i = list(m).index(m_star)
    assert np.all(stronger[i:]) and np.isfinite(low[i])
    below = [j for j in range(i) if np.isfinite(low[j])]
    if below:
        assert not stronger[below[-1]]
        assert np.isfinite(nomad[below[-1]]) and low[below[-1]] >= nomad[below[-1]]
