"""The atlas over (m_N, a): the vectorised map against the book's curves, and its axes."""

import numpy as np
import pytest

from helpers import atlas as AT
from helpers import couplings as C
from helpers import curves as K


def test_a_axis_is_symmetric_and_resolves_the_special_points():
    a = AT.a_axis(200)
    assert a[0] == pytest.approx(-10) and a[-1] == pytest.approx(10) and np.allclose(a, -a[::-1])
    for special in (C.A_POLE, C.scenario_a_value("III")):
        assert np.min(np.abs(a - special)) < 0.07  # a grid point within 0.07 of each


@pytest.mark.parametrize("analysis, scenario", [("lep1_opal", "I"), ("l3_zgamma", "IV"), ("cepc_h", "IV"),
                                                ("ilc_250", "I")])
def test_map_agrees_with_the_curves_at_the_scenario_values(analysis, scenario):
    """On the line a = a(scenario) the map (acceptance interpolated from a 28 x 21 grid, 8192 photons per point) gives
    the book's curve (16384 photons per mass) to the precision of the acceptance: 1 % at LEP, up to 3 % for the
    projections, whose p_T cut keeps below 1 % of the photons (the precision stated in helpers.atlas)."""
    m = np.geomspace(0.5, 0.9 * K.experiment_for(analysis).sqrt_s, 9)
    a = np.array([C.scenario_a_value(scenario)])
    low, _ = AT.band_map(analysis, "e", m, a)
    _, ref, _ = K.curve_vs_mass(analysis, scenario, "e", masses=m)
    ok = np.isfinite(ref)
    assert np.array_equal(np.isfinite(low[:, 0]), ok)
    assert np.allclose(low[ok, 0], ref[ok], rtol=0.03)


def test_the_combination_is_the_union_of_its_analyses():
    m, a = AT.mass_axis(12, 1.0, 80.0), AT.a_axis(7)
    r = AT.atlas("lep", "e", m, a)
    parts = [AT.band_map(x, "e", m, a)[0] for x in K.combined_kinds()["lep"]]
    best = np.nanmin(np.array(parts), axis=0)
    assert np.all(r["low"][np.isfinite(best)] <= best[np.isfinite(best)] * (1 + 1e-12))
    with pytest.raises(ValueError, match="unknown combination"):
        AT.atlas("lhc", "e", m, a)
