"""LEP chapter: experiment records, the limit solver and the exported curves."""

import math

import numpy as np
import pytest
from scipy.special import lambertw

from helpers import curves as K
from helpers import decays as D
from helpers import experiments as X
from helpers import limits as L
from helpers import production as P
from helpers import signal as S
from helpers import sm


def test_delphi_chi2_rule_gives_the_allowed_signal():
    e = X.get("lep2_delphi")
    # chi^2 = ((1.61 + s - 1.50)/0.11)^2 = 3.84  ->  s = 0.11 * 1.96 - 0.11
    assert e.max_signal == pytest.approx(0.11 * math.sqrt(3.84) - 0.11, rel=1e-12)


def test_edges_sit_on_the_bound():
    for name in ("lep1_opal", "lep2_delphi", "l3_zgamma", "z_invisible"):
        exp = X.get(name)
        m = np.array([0.01, 0.05, 1.0, 30.0])
        coeffs = L.rate_coefficients(exp, m, "II", "e")
        lo, hi = L.band(coeffs)
        for i in range(len(m)):
            for edge in (lo[i], hi[i]):
                if np.isfinite(edge):
                    single = L.RateCoefficients(coeffs.C[i], coeffs.kappa[i], coeffs.region, coeffs.bound)
                    assert float(single.rate_pointwise(edge)) == pytest.approx(exp.max_signal, rel=1e-9)


def test_monophoton_exclusion_is_open_upwards_and_rate_is_monotonic():
    exp = X.get("lep1_opal")
    coeffs = L.rate_coefficients(exp, np.array([0.1, 10.0]), "I", "e")
    R = coeffs.rate(L.D_GRID)
    assert np.all(np.diff(R, axis=1) >= 0)
    lo, hi = L.band(coeffs)
    assert np.all(np.isinf(hi)) and np.all(lo > 0)


def test_z_invisible_band_matches_lambert_w():
    """C x exp(-kappa x) = b with x = d^2 has the two roots x = -W_k(-kappa b / C)/kappa, k = 0 and -1."""
    exp = X.get("z_invisible")
    m = np.array([0.01, 0.02, 0.05])
    coeffs = L.rate_coefficients(exp, m, "II", "e")
    lo, hi = L.band(coeffs)
    z = -coeffs.kappa * exp.limit / coeffs.C
    real = z > -1 / math.e  # real roots exist: a band
    assert real[0] and not real[-1]
    x0 = -np.real(lambertw(z[real], 0)) / coeffs.kappa[real]
    x1 = -np.real(lambertw(z[real], -1)) / coeffs.kappa[real]
    assert np.allclose(lo[real], np.sqrt(x0), rtol=1e-9) and np.allclose(hi[real], np.sqrt(x1), rtol=1e-9)
    assert np.all(np.isnan(lo[~real])) and np.all(np.isnan(hi[~real]))  # no real root: nothing excluded


def test_no_exclusion_beyond_kinematic_reach_or_without_Z_coupling():
    lo, hi = L.limit_band(X.get("lep1_opal"), np.array([95.0, 150.0]), "II", "e")
    assert np.all(np.isnan(lo)) and np.all(np.isnan(hi))
    lo, hi = L.limit_band(X.get("l3_zgamma"), np.array([1.0, 10.0]), "III", "e")
    assert np.all(np.isnan(lo))


def test_opal_bound_by_hand_for_a_prompt_decay():
    """Heavy enough N decays promptly: d_low = sqrt(0.15 pb / (sigma(d=1) Br acc eps))."""
    exp = X.get("lep1_opal")
    m = 30.0
    acc = S.acceptance(exp.sqrt_s, m, "IV", exp.cuts, "e")
    per_d2 = float(P.sigma(exp.sqrt_s, m, 1.0, "IV", "e")) * float(D.br_nu_gamma(m, "IV")) * float(acc.value) * 0.657
    lo, _ = L.limit_band(exp, m, "IV", "e")
    assert float(lo[0]) == pytest.approx(math.sqrt(0.15 / per_d2), rel=1e-6)


def test_l3_counts_both_charge_states_and_the_printed_width_changes_it():
    exp = X.get("l3_zgamma")
    both = L.rate_coefficients(exp, 10.0, "I", "e").C
    one = L.rate_coefficients(exp.with_(z_charges=1), 10.0, "I", "e").C
    assert float(both[0]) == pytest.approx(2 * float(one[0]))
    printed = L.rate_coefficients(exp, 10.0, "I", "e", convention="as_printed").C
    rz = -math.tan(sm.THETA_W)
    # Eq. (19) with d_gamma instead of d_Z: the printed rate is larger by 1/r_Z^2 (apart from Br, equal here)
    assert float(printed[0] / both[0]) == pytest.approx(1 / rz**2, rel=2e-2)


def test_vectorised_over_a():
    a = np.array([-2.0, 0.0, 5.0])
    lo_vec, _ = L.limit_band(X.get("lep1_opal"), 10.0, a, "e")
    lo_each = [float(L.limit_band(X.get("lep1_opal"), 10.0, float(x), "e")[0][0]) for x in a]
    assert np.allclose(lo_vec, lo_each, rtol=1e-12)


def test_unknown_experiment_raises():
    with pytest.raises(ValueError, match="lep1_opal"):
        X.get("lep3")


def test_bad_record_raises():
    with pytest.raises(ValueError, match="kind"):
        X.get("lep1_opal").with_(kind="bogus")
    with pytest.raises(ValueError, match="efficiency"):
        X.get("lep1_opal").with_(efficiency=1.5)
