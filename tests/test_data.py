"""The committed ``data/`` is what the code computes now.

``python -m helpers export`` (``make data``) is the one writer of these files; notebooks only compute and show.  The
exported grids are refined where the curves are steep, and every grid value is written exactly (7 significant
digits, the grid itself), so these tests read a file's own grid, recompute the curve at exactly those points and
compare the numbers character by character: a change of the physics that is not followed by ``make data`` fails
here.  A sample covers every kind (each LEP analysis, two CEPC modes, curves versus a, both combinations); the
``#`` provenance lines are not compared.
"""

from pathlib import Path

import numpy as np
import pytest

from helpers import colliders as C
from helpers import curves as K
from helpers import experiments as X
from helpers import projection as PJ
from helpers import publish as P
from helpers.couplings import SCENARIO_NAMES
from helpers.sm import FLAVOURS


def _body(path: Path) -> list[str]:
    return [line for line in Path(path).read_text().splitlines() if not line.startswith("#")]


def _fresh(tmp_path, x_name, x, lo, hi) -> list[str]:
    return _body(K.write_curve(tmp_path / "fresh.csv", x_name, x, lo, hi, []))


@pytest.mark.parametrize("analysis, scenario, flavour", [
    ("lep1_opal", "I", "e"), ("lep2_delphi", "II", "mu"), ("l3_zgamma", "I", "tau"), ("z_invisible", "II", "e"),
    ("cepc_z", "III", "e"), ("cepc_h", "II", "mu"),
])
def test_committed_mass_curve_is_current(analysis, scenario, flavour, tmp_path):
    path = K.mass_file(analysis, scenario, flavour)
    grid = K.read_curve(path)[0]
    x, lo, hi = K.curve_vs_mass(analysis, scenario, flavour, masses=grid)
    assert _fresh(tmp_path, "m_N_GeV", x, lo, hi) == _body(path)


@pytest.mark.parametrize("analysis, m_N, flavour", [("lep1_opal", 10.0, "e"), ("lep2_delphi", 100.0, "tau")])
def test_committed_a_curve_is_current(analysis, m_N, flavour, tmp_path):
    path = K.a_file(analysis, m_N, flavour)
    x, lo, hi = K.curve_vs_a(analysis, m_N, flavour, a_grid=K.read_curve(path)[0])
    assert _fresh(tmp_path, "a", x, lo, hi) == _body(path)


@pytest.mark.parametrize("kind, scenario, flavour", [("lep", "II", "e"), ("lep", "III", "mu"), ("cepc", "I", "tau")])
def test_committed_combination_is_current(kind, scenario, flavour, tmp_path):
    path = K.DATA_DIR / f"{kind}_combined_{scenario}_{flavour}.csv"
    m, lo, hi, _ = K.combined_curve(kind, scenario, flavour, masses=K.read_curve(path)[0])
    assert _fresh(tmp_path, "m_N_GeV", m, lo, hi) == _body(path)


@pytest.mark.parametrize("mode, scenario, flavour, bkg", [("ilc_250", "II", "e", 0.01), ("fccee_z", "III", "mu", 0.0)])
def test_committed_cls_curve_is_current(mode, scenario, flavour, bkg, tmp_path):
    path = K.cls_file(mode, scenario, flavour, bkg)
    x, lo, hi = PJ.cls_curve(mode, scenario, flavour, K.read_curve(path)[0], bkg_uncertainty=bkg)
    assert _fresh(tmp_path, "m_N_GeV", x, lo, hi) == _body(path)


@pytest.mark.parametrize("kind, flavour", [("lep", "e"), ("clic", "tau")])
def test_committed_atlas_is_current(kind, flavour, tmp_path):
    path = K.atlas_file(kind, flavour)
    fresh = P.write_atlas_csv(P.combined_atlas(kind, flavour), tmp_path / "fresh.csv", P.provenance("test"))
    assert _body(fresh) == _body(path)


def _prompt_rows(path, lo_mass=20.0, hi_mass=60.0):
    m, lo, _ = K.read_curve(path)
    sel = (m > lo_mass) & (m < hi_mass) & np.isfinite(lo)
    return m[sel], lo[sel]


@pytest.mark.parametrize("mode", ["fccee_z", "cepc_h"])
def test_exported_cls_curves_scale_as_the_statistics_predicts(mode):
    """Independent of the pyhf fits: where N decays promptly the rate is d_gamma^2 times a function of m_N, so the
    bound scales as the square root of the excluded number of signal events.  One bin, large B: the S^2/B rule
    excludes sqrt(2.71 B), the median expected CLs limit at 95 % CL 1.960 sqrt(B) (ratio of the bounds
    sqrt(1.960/1.646) = 1.091), and a background-normalisation uncertainty delta adds (delta B)^2 to the variance,
    multiplying the bound by (1 + delta^2 B)^(1/4): 2.0 at the FCC-ee Z pole (B = 1.5e5 events)."""
    m = C.get(mode)
    B = PJ.background_in(m, PJ.experiment(m).cuts) * m.luminosity_pb
    ms2b, s2b = _prompt_rows(K.mass_file(mode, "II", "e"))
    m0, cls0 = _prompt_rows(K.cls_file(mode, "II", "e", 0.0))
    m1, cls1 = _prompt_rows(K.cls_file(mode, "II", "e", 0.01))
    assert len(m0) > 10
    ref = np.interp(np.log(m0), np.log(ms2b), np.log(s2b))
    assert np.allclose(np.log(cls0) - ref, 0.5 * np.log(1.95996 / np.sqrt(2.71)), atol=0.01)
    ratio = np.exp(np.interp(np.log(m1), np.log(m0), np.log(cls0)) - np.log(cls1))
    assert np.allclose(1 / ratio, (1 + 0.01**2 * B) ** 0.25, rtol=0.03)


def test_the_grids_contain_the_book_grid_and_are_refined():
    """Every exported mass grid holds the 200 points of MASS_GRID (the notebooks' grid) plus refinement; the OPAL
    scenario I curve gets points between 85.8 and 90.2 GeV, where it rises steeply towards sqrt(s) = M_Z."""
    m = K.read_curve(K.mass_file("lep1_opal", "I", "e"))[0]
    assert set(K.MASS_GRID) <= set(m) and len(m) > len(K.MASS_GRID)
    assert np.sum((m > 85.8) & (m < 90.2)) >= 3
    a = K.read_curve(K.a_file("lep1_opal", 10.0, "e"))[0]
    assert set(K.A_GRID) <= set(a)


def test_the_committed_files_are_exactly_the_exported_set():
    curves = [(a, s, f) for a in X.names() for s in SCENARIO_NAMES for f in FLAVOURS]
    combos = [(k, s, f) for k in K.combined_kinds() for s in SCENARIO_NAMES for f in FLAVOURS]
    expected = {K.mass_file(a, s, f) for a, s, f in curves}
    expected |= {K.a_file(a, m, f) for a, m, f in K.A_JOBS}
    expected |= {K.DATA_DIR / f"{k}_combined_{s}_{f}.csv" for k, s, f in combos}
    cls = [(mode, s, f, b) for mode in C.MODES for b in K.CLS_BKG_UNCERTAINTIES for s in SCENARIO_NAMES
           for f in FLAVOURS]
    expected |= {K.cls_file(*job) for job in cls}
    maps = [(k, f) for k in K.combined_kinds() for f in FLAVOURS]
    expected |= {K.atlas_file(k, f) for k, f in maps}
    found = {p for sub in ("", "vs_a", "cls", "atlas") for p in (K.DATA_DIR / sub).glob("*.csv")}
    assert found == expected

    hnl = P.DATA_ROOT / "hnlimits"
    stems = [f"{a}_{s}_{f}" for a, s, f in curves] + [f"{k}_combined_{s}_{f}" for k, s, f in combos]
    expected_dat = set()
    for stem in stems:
        f = stem.rsplit("_", 1)[1]
        _, lo, hi = K.read_curve(K.DATA_DIR / f"{stem}.csv")
        if not np.isfinite(lo).any():
            continue  # nothing excluded (the Z invisible width in scenario III): no HNLimits file
        closed = np.all(np.isfinite(hi[np.isfinite(lo)]))  # a closed band: a bottom/top pair
        for unit in ("d", "mu_B"):
            path = P.hnlimits_file(stem, f, unit, hnl)
            expected_dat |= ({path.with_name(path.stem + s + ".dat") for s in ("_bottom", "_top")} if closed
                             else {path})
    assert set(hnl.glob("*/*.dat")) == expected_dat
    assert not list(hnl.glob("*.dat"))

    tables = {p.name for p in (P.DATA_ROOT / "hepdata").glob("*.yaml")} - {"submission.yaml"}
    assert len(tables) == len(curves) + len(K.A_JOBS) + len(combos) + len(cls) + len(maps)


def test_combined_curve_takes_the_band_reaching_highest_and_flags_gaps(monkeypatch):
    """Where the union of the bands has two pieces (e.g. a Z-invisible band below the monophoton bands, which no
    committed curve has today), the combination keeps the piece reaching the largest d_gamma and counts the pieces;
    touching or overlapping bands merge into one."""
    nan, inf = np.nan, np.inf
    bands = {  # three masses: a gap, an overlap, only one analysis excludes
        "lep1_opal": ([1e-3, 1e-3, nan], [inf, inf, nan]),
        "lep2_delphi": ([nan, nan, nan], [nan, nan, nan]),
        "l3_zgamma": ([nan, nan, 2e-4], [nan, nan, 5e-4]),
        "z_invisible": ([1e-5, 1e-4, nan], [1e-4, 2e-3, nan]),
    }
    m = np.array([0.01, 0.02, 0.03])
    monkeypatch.setattr(K, "curve_vs_mass", lambda a, s, f, **kw: (m, np.array(bands[a][0]), np.array(bands[a][1])))
    _, lo, hi, nb = K.combined_curve("lep", "II", "e")
    assert list(nb) == [2, 1, 1]
    assert lo[0] == 1e-3 and hi[0] == inf  # the upper piece of the gap
    assert lo[1] == 1e-4 and hi[1] == inf  # merged
    assert lo[2] == 2e-4 and hi[2] == 5e-4


def test_unknown_combination_raises():
    with pytest.raises(ValueError, match="allowed: lep, cepc"):
        K.combined_curve("fcc", "II", "e")


def test_every_collider_is_a_combination():
    kinds = K.combined_kinds()
    assert kinds["lep"] == K.LEP_ANALYSES and kinds["cepc"] == K.CEPC_ANALYSES
    assert set(sum(kinds.values(), ())) == set(X.names())
