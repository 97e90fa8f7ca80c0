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


def _eq6_by_hand(a):
    """Eq. (6) typed from the paper: d_Z/d_gamma = (a c - 2 s)/(2 c + a s), d_W/d_gamma = sqrt2 a/(2 c + a s)."""
    c, s = math.cos(sm.THETA_W), math.sin(sm.THETA_W)
    return (a * c - 2 * s) / (2 * c + a * s), math.sqrt(2) * a / (2 * c + a * s)


def test_ratios_along_a_are_eq6_and_pass_through_the_scenarios():
    """Evaluated on an array of a, every entry is Eq. (6) at that a; a = 0 is scenario I (no W coupling),
    a = 2 tan(theta_w) is scenario III (no Z coupling), a = -2 tan(theta_w) scenario IV (d_Z = -tan 2 theta_w)."""
    t = math.tan(sm.THETA_W)
    a = np.array([-10.0, -2 * t, -1.0, 0.0, 0.5, 2 * t, 7.0])
    rz, rw = C.coupling_ratios(a)
    for i, ai in enumerate(a):
        ez, ew = _eq6_by_hand(ai)
        assert rz[i] == pytest.approx(ez, rel=1e-12, abs=1e-15) and rw[i] == pytest.approx(ew, rel=1e-12, abs=1e-15)
    assert rw[3] == 0 and abs(rz[5]) < 1e-15
    assert rz[1] == pytest.approx(-math.tan(2 * sm.THETA_W), rel=1e-12)


MODEL_RULE = r"model must be a scenario name \(I, II, III, IV\) or a real number a = d_W/d_B"


@pytest.mark.parametrize("bad", [None, True, np.bool_(False), 1 + 2j, "V", "i", "scenario I", [1, "x"], object(),
                                 float("nan"), [0.5, float("nan")]])
def test_a_model_that_is_neither_a_scenario_nor_a_real_number_raises(bad):
    with pytest.raises(ValueError, match=MODEL_RULE):
        C.resolve_model(bad)


def test_the_model_rule_holds_in_every_function_built_on_it():
    from helpers import decays as D
    from helpers import production as P

    for call in (lambda: C.coupling_ratios(None), lambda: C.couplings(1e-6, None), lambda: D.br_nu_gamma(10.0, None),
                 lambda: D.total_width(10.0, 1e-6, None), lambda: P.sigma(91.0, 10.0, 1e-6, None),
                 lambda: P.polarisation(91.0, 10.0, 0.3, None)):
        with pytest.raises(ValueError, match=MODEL_RULE):
            call()


def test_plus_and_minus_infinity_are_scenario_II():
    assert np.array_equal(C.coupling_ratios(np.inf), C.coupling_ratios("II"))
    assert np.array_equal(C.coupling_ratios(-np.inf), C.coupling_ratios("II"))


# --- the singular point -----------------------------------------------------------------------------------


def test_the_pole_constant_is_the_derived_singular_point():
    assert C.A_POLE == pytest.approx(float(C.singular_points()["pole"].subs(C.theta_w, sm.THETA_W)), rel=1e-15)


def test_every_double_precision_evaluation_of_the_pole_is_the_pole():
    a = -2 / np.tan(sm.THETA_W)
    near = [a, np.nextafter(a, 0), np.nextafter(a, -10), -2 * math.cos(sm.THETA_W) / math.sin(sm.THETA_W)]
    assert all(bool(C.at_pole(x)) for x in near)
    assert not np.any(C.at_pole(np.array([a * (1 + 1e-9), a * (1 - 1e-9), 0.0, np.inf])))
    assert not any(bool(C.at_pole(s)) for s in C.SCENARIO_NAMES)


def test_ratios_have_no_value_at_the_pole():
    """d_gamma = 0 there: d_Z/d_gamma and d_W/d_gamma diverge with opposite signs on the two sides."""
    with pytest.raises(ValueError, match="singular point"):
        C.coupling_ratios(C.A_POLE)
    with pytest.raises(ValueError, match="singular point"):
        C.couplings(1e-6, np.array([0.0, C.A_POLE]))
    lo, hi = C.coupling_ratios(C.A_POLE - 1e-6), C.coupling_ratios(C.A_POLE + 1e-6)
    assert lo[0] * hi[0] < 0 and lo[1] * hi[1] < 0


def test_the_direction_of_the_couplings_at_the_pole():
    """lim (d_Z, d_W)/d_gamma x (2 cos + a sin) at the pole = (a cos - 2 sin, sqrt2 a) = (-2/sin, -2 sqrt2 cot)."""
    c, s = math.cos(sm.THETA_W), math.sin(sm.THETA_W)
    nz, nw = C._pole_direction()
    assert nz == pytest.approx(-2 / s, rel=1e-12) and nw == pytest.approx(-2 * math.sqrt(2) * c / s, rel=1e-12)
    rz, rw = C.coupling_ratios(C.A_POLE + 1e-7)  # the ratios just off the pole point along it
    assert rz / rw == pytest.approx(nz / nw, rel=1e-6)


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
