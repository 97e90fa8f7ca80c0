"""Model chapter: the broken-phase couplings, Table I, the singular point, SM inputs."""

import math

import numpy as np
import pytest
import sympy as sp

from helpers import couplings as C
from helpers import sm


def test_eq4_printed_equals_derivation():
    derived, printed = C.derive_broken_phase(), C.printed_eq4()
    for key in ("d_gamma", "d_Z", "d_W"):
        assert sp.simplify(derived[key] - printed[key]) == 0, key


def test_eq6_printed_equals_derivation():
    derived, printed = C.derive_ratios(), C.printed_eq6()
    for key in ("d_Z", "d_W"):
        assert sp.simplify(derived[key] - printed[key]) == 0, key


@pytest.mark.parametrize("name", C.SCENARIO_NAMES)
def test_table_I_row_reduces_to_zero(name):
    res = C.table_I_residuals()[name]
    assert res["d_Z"] == 0 and res["d_W"] == 0


def test_scenario_III_has_no_Z_coupling():
    rz, rw = C.coupling_ratios("III")
    assert abs(rz) < 1e-14
    s = math.sqrt(sm.SIN2_THETA_W)
    assert rw == pytest.approx(math.sqrt(2) * s, rel=1e-12)


def test_scenario_I_has_no_W_coupling_and_dZ_is_minus_tan():
    rz, rw = C.coupling_ratios("I")
    s2 = sm.SIN2_THETA_W
    assert rw == 0
    assert rz == pytest.approx(-math.sqrt(s2 / (1 - s2)), rel=1e-12)


def test_scenario_II_is_the_large_a_limit():
    rz_inf, rw_inf = C.coupling_ratios("II")
    rz_big, rw_big = C.coupling_ratios(1e9)
    assert rz_big == pytest.approx(rz_inf, rel=1e-8)
    assert rw_big == pytest.approx(rw_inf, rel=1e-8)
    # and a -> -infinity gives the same couplings (d_B -> 0 from either side)
    assert np.allclose(C.coupling_ratios(-np.inf), C.coupling_ratios(np.inf))


def test_singular_point_and_zero_of_dZ():
    pts = C.singular_points()
    th = C.theta_w
    assert sp.simplify(pts["pole"] + 2 * sp.cot(th)) == 0
    assert sp.simplify(pts["d_Z_zero"] - 2 * sp.tan(th)) == 0
    a_pole = float(pts["pole"].subs(th, sm.THETA_W))
    # the paper quotes a = -2 cot(theta_w) ~ -3.7 and 2 tan(theta_w) ~ 1.1
    assert a_pole == pytest.approx(-3.7, abs=0.05)
    assert float(pts["d_Z_zero"].subs(th, sm.THETA_W)) == pytest.approx(1.1, abs=0.05)
    # numerically the ratios blow up on either side of the pole with opposite signs
    rz, _ = C.coupling_ratios(np.array([a_pole - 1e-6, a_pole + 1e-6]))
    assert rz[0] * rz[1] < 0 and min(abs(rz)) > 1e5


def test_couplings_scale_linearly_with_d_gamma():
    dg, dz, dw = C.couplings(2e-6, "IV")
    rz, rw = C.coupling_ratios("IV")
    assert dg == 2e-6 and dz == pytest.approx(2e-6 * rz) and dw == pytest.approx(2e-6 * rw)


def test_vectorised_over_a():
    a = np.linspace(-10, 10, 7)
    rz, rw = C.coupling_ratios(a)
    assert rz.shape == a.shape and rw.shape == a.shape


@pytest.mark.parametrize("bad", ["V", "i", "scenario I", None, [1, "x"]])
def test_unknown_model_raises(bad):
    with pytest.raises(ValueError, match="scenario"):
        C.coupling_ratios(bad)


def test_nan_a_raises():
    with pytest.raises(ValueError, match="NaN"):
        C.coupling_ratios(float("nan"))


@pytest.mark.parametrize("bad", [0.0, -1e-6, float("nan"), float("inf")])
def test_bad_d_gamma_raises(bad):
    with pytest.raises(ValueError, match="d_gamma"):
        C.couplings(bad, "I")


def test_sm_inputs():
    # on-shell definition
    assert sm.SIN2_THETA_W == pytest.approx(1 - (80.377 / 91.1876) ** 2, rel=1e-12)
    # hbar c = 197.3269804 MeV fm (CODATA 2018) = 1.973269804e-16 GeV m
    assert sm.HBARC_GEV_M == pytest.approx(1.973269804e-16, rel=1e-9)
    # the vev from G_F: 246.22 GeV
    assert sm.V_HIGGS == pytest.approx(246.22, abs=0.01)
    assert 1 / sm.ALPHA == pytest.approx(127.95, abs=0.01)
    assert all(len(row) == 4 and row[3] for row in sm.table())
