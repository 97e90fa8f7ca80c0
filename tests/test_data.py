"""The committed ``data/limits`` is what the code computes now.

``python -m helpers export`` is the one writer of these files; notebooks only compute and show.  These tests
recompute a sample of the files (every kind: each LEP analysis, two CEPC modes, curves versus a, the combinations)
and compare the numbers character by character, so a change of the physics that is not followed by
``make data`` fails here.  The provenance comment lines are not compared.
"""

from pathlib import Path

import pytest

from helpers import curves as K
from helpers import experiments as X
from helpers.couplings import SCENARIO_NAMES
from helpers.sm import FLAVOURS


def _body(path: Path) -> list[str]:
    return [line for line in Path(path).read_text().splitlines() if not line.startswith("#")]


@pytest.mark.parametrize("analysis, scenario, flavour", [
    ("lep1_opal", "IV", "e"), ("lep2_delphi", "II", "mu"), ("l3_zgamma", "I", "tau"), ("z_invisible", "II", "e"),
    ("cepc_z", "III", "e"), ("cepc_h", "II", "mu"),
])
def test_committed_mass_curve_is_current(analysis, scenario, flavour, tmp_path):
    x, lo, hi = K.curve_vs_mass(analysis, scenario, flavour)
    fresh = K.write_curve(tmp_path / "fresh.csv", "m_N_GeV", x, lo, hi, [])
    assert _body(fresh) == _body(K.mass_file(analysis, scenario, flavour))


@pytest.mark.parametrize("analysis, m_N, flavour", [("lep1_opal", 10.0, "e"), ("lep2_delphi", 100.0, "tau")])
def test_committed_a_curve_is_current(analysis, m_N, flavour, tmp_path):
    x, lo, hi = K.curve_vs_a(analysis, m_N, flavour)
    fresh = K.write_curve(tmp_path / "fresh.csv", "a", x, lo, hi, [])
    assert _body(fresh) == _body(K.a_file(analysis, m_N, flavour))


@pytest.mark.parametrize("scenario, flavour", [("II", "e"), ("III", "mu")])
def test_committed_lep_combination_is_current(scenario, flavour, tmp_path):
    m, lo, hi, _ = K.combined_curve("lep", scenario, flavour)
    fresh = K.write_curve(tmp_path / "fresh.csv", "m_N_GeV", m, lo, hi, [])
    assert _body(fresh) == _body(K.DATA_DIR / f"lep_combined_{scenario}_{flavour}.csv")


def test_the_committed_files_are_exactly_the_exported_set():
    expected = {K.mass_file(a, s, f) for a in X.ANALYSES + K.CEPC_ANALYSES for s in SCENARIO_NAMES for f in FLAVOURS}
    expected |= {K.a_file(a, m, f) for a, m, f in K.A_JOBS}
    expected |= {K.DATA_DIR / f"{k}_combined_{s}_{f}.csv" for k in K.COMBINED_KINDS for s in SCENARIO_NAMES
                 for f in FLAVOURS}
    found = set(K.DATA_DIR.glob("*.csv")) | set((K.DATA_DIR / "vs_a").glob("*.csv"))
    assert found == expected


def test_combined_curve_takes_the_band_reaching_highest_and_flags_gaps(monkeypatch):
    """Where the union of the bands has two pieces (e.g. a Z-invisible band below the monophoton bands, which no
    committed curve has today), the combination keeps the piece reaching the largest d_gamma and counts the pieces;
    touching or overlapping bands merge into one."""
    import numpy as np

    nan, inf = np.nan, np.inf
    bands = {  # three masses: a gap, an overlap, only one analysis excludes
        "lep1_opal": ([1e-3, 1e-3, nan], [inf, inf, nan]),
        "lep2_delphi": ([nan, nan, nan], [nan, nan, nan]),
        "l3_zgamma": ([nan, nan, 2e-4], [nan, nan, 5e-4]),
        "z_invisible": ([1e-5, 1e-4, nan], [1e-4, 2e-3, nan]),
    }
    m = np.array([0.01, 0.02, 0.03])
    monkeypatch.setattr(K, "curve_vs_mass", lambda a, s, f: (m, np.array(bands[a][0]), np.array(bands[a][1])))
    _, lo, hi, nb = K.combined_curve("lep", "II", "e")
    assert list(nb) == [2, 1, 1]
    assert lo[0] == 1e-3 and hi[0] == inf  # the upper piece of the gap
    assert lo[1] == 1e-4 and hi[1] == inf  # merged
    assert lo[2] == 2e-4 and hi[2] == 5e-4


def test_unknown_combination_raises():
    with pytest.raises(ValueError, match="allowed: lep, cepc"):
        K.combined_curve("fcc", "II", "e")
