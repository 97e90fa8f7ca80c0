"""LEP chapter: experiment records and the limit solver, against hand solutions."""

import math

import numpy as np
import pytest
from scipy.special import lambertw

from helpers import couplings as Cpl
from helpers import experiments as X
from helpers import limits as L
from helpers import sm
from helpers.selection import PhotonCuts


def test_delphi_chi2_rule_gives_the_allowed_signal():
    e = X.get("lep2_delphi")
    # chi^2 = ((1.61 + s - 1.50)/0.11)^2 = 3.84  ->  s = 0.11 * 1.96 - 0.11
    assert e.max_signal == pytest.approx(0.11 * math.sqrt(3.84) - 0.11, rel=1e-12)


# --- the solver on rates with hand solutions ------------------------------------------------------------


def _coeffs(C, kappa, region, bound):
    return L.RateCoefficients(C=np.atleast_1d(np.asarray(C, dtype=float)),
                              kappa=np.atleast_1d(np.asarray(kappa, dtype=float)), region=region, bound=bound)


def test_rate_without_decay_factor_has_the_edge_sqrt_b_over_C():
    """R = C d^2 (region 'any'): one edge at d = sqrt(b/C), open upwards; also below the d grid (C huge)."""
    C = np.array([1e6, 1e12, 1e30])
    lo, hi = L.band(_coeffs(C, np.zeros(3), "any", 2.5))
    assert np.allclose(lo, np.sqrt(2.5 / C), rtol=1e-12) and np.all(np.isinf(hi))
    assert lo[2] < L.D_GRID[0]


def test_decay_inside_has_the_prompt_and_the_long_lived_limits():
    """R = C d^2 (1 - exp(-kappa d^2)): prompt (kappa d^2 >> 1) the edge is sqrt(b/C); long-lived (kappa d^2 << 1)
    R = C kappa d^4 and the edge is (b/(C kappa))^(1/4)."""
    b = 0.15
    C, kappa = 1e6, np.array([1e20, 1e-2])
    lo, _ = L.band(_coeffs([C, C], kappa, "inside", b))
    assert lo[0] == pytest.approx(math.sqrt(b / C), rel=1e-9)
    assert lo[1] == pytest.approx((b / (C * kappa[1])) ** 0.25, rel=1e-4)  # kappa d^2 ~ 4e-5 at the edge


def test_z_invisible_band_matches_lambert_w():
    """C x exp(-kappa x) = b with x = d^2 has the two roots x = -W_k(-kappa b / C)/kappa, k = 0 and -1."""
    exp = X.get("z_invisible")
    m = np.array([0.01, 0.02, 0.05])
    coeffs = L.rate_coefficients(exp, m, "II", flavour="e")
    lo, hi = L.band(coeffs)
    z = -coeffs.kappa * exp.limit / coeffs.C
    real = z > -1 / math.e  # real roots exist: a band
    assert real[0] and not real[-1]
    x0 = -np.real(lambertw(z[real], 0)) / coeffs.kappa[real]
    x1 = -np.real(lambertw(z[real], -1)) / coeffs.kappa[real]
    assert np.allclose(lo[real], np.sqrt(x0), rtol=1e-9) and np.allclose(hi[real], np.sqrt(x1), rtol=1e-9)
    assert np.all(np.isnan(lo[~real])) and np.all(np.isnan(hi[~real]))  # no real root: nothing excluded


def test_monophoton_exclusion_is_open_upwards_and_rate_is_monotonic():
    exp = X.get("lep1_opal")
    coeffs = L.rate_coefficients(exp, np.array([0.1, 10.0]), "I", flavour="e")
    R = coeffs.rate(L.D_GRID)
    assert np.all(np.diff(R, axis=1) >= 0)
    lo, hi = L.band(coeffs)
    assert np.all(np.isinf(hi)) and np.all(lo > 0)


def test_no_exclusion_beyond_kinematic_reach_or_without_Z_coupling():
    lo, hi = L.limit_band(X.get("lep1_opal"), np.array([95.0, 150.0]), "II", flavour="e")
    assert np.all(np.isnan(lo)) and np.all(np.isnan(hi))
    lo, hi = L.limit_band(X.get("l3_zgamma"), np.array([1.0, 10.0]), "III", flavour="e")
    assert np.all(np.isnan(lo))


def test_monophoton_bound_by_hand_for_a_pure_photon_dipole():
    """A record without cuts at sqrt(s) = 2 GeV, scenario III (no Z coupling), muon flavour (no W diagram): the
    rate is eps sigma_Eq10(d) (acceptance 1, Br = 1 for a light N, prompt decay), so the bound solves
    eps 2 alpha d^2 (s - m^2)^2 (s + 2 m^2)/(3 s^3) = limit."""
    rs, m, limit, eff = 2.0, 1.0, 1e-3, 0.5
    exp = X.get("lep1_opal").with_(sqrt_s=rs, cuts=PhotonCuts(), limit=limit, efficiency=eff)
    s = rs**2
    per_d2 = eff * 2 * sm.ALPHA * (s - m**2) ** 2 * (s + 2 * m**2) / (3 * s**3) * sm.GEV2_TO_PB
    lo, hi = L.limit_band(exp, m, "III", flavour="mu")
    d = math.sqrt(limit / per_d2)
    assert float(lo[0]) == pytest.approx(d, rel=1e-7) and math.isinf(hi[0])
    assert sm.HBARC_GEV_M / (d**2 * m**3 / (4 * math.pi)) < 1e-3  # c tau << 1 m: prompt indeed


def test_l3_counts_both_charge_states_and_the_printed_width_changes_it():
    exp = X.get("l3_zgamma")
    both = L.rate_coefficients(exp, 10.0, "I", flavour="e").C
    one = L.rate_coefficients(exp.with_(z_charges=1), 10.0, "I", flavour="e").C
    assert float(both[0]) == pytest.approx(2 * float(one[0]))
    printed = L.rate_coefficients(exp, 10.0, "I", flavour="e", convention="as_printed").C
    rz = -math.tan(sm.THETA_W)
    # Eq. (19) with d_gamma instead of d_Z: the printed rate is larger by 1/r_Z^2 (apart from Br, equal here)
    assert float(printed[0] / both[0]) == pytest.approx(1 / rz**2, rel=2e-2)


def test_vectorised_over_a():
    a = np.array([-2.0, 0.0, 5.0])
    lo_vec, _ = L.limit_band(X.get("lep1_opal"), 10.0, a, flavour="e")
    lo_each = [float(L.limit_band(X.get("lep1_opal"), 10.0, float(x), flavour="e")[0][0]) for x in a]
    assert np.allclose(lo_vec, lo_each, rtol=1e-12)


# --- options ------------------------------------------------------------------------------------------------


def test_offshell_decays_shorten_the_decay_length_below_threshold_only():
    """three_body='offshell' adds N -> nu Z* and N -> l W* at every mass: below the W threshold N decays faster
    than with two-body widths alone (kappa larger), exactly as with the default below-threshold rule; far above
    both thresholds it agrees with the on-shell widths within the Breit-Wigner tail (a few per cent)."""
    exp = X.get("lep2_delphi")
    a = Cpl.A_POLE + 0.05  # near the pole, where the weak channels matter
    m = np.array([40.0, 60.0, 180.0])
    k = {tb: L.rate_coefficients(exp, m, a, flavour="e", three_body=tb).kappa for tb in ("none", "offshell", "below_threshold")}
    assert np.all(k["offshell"][:2] > 1.1 * k["none"][:2])
    assert np.allclose(k["offshell"][:2], k["below_threshold"][:2], rtol=1e-12)
    assert k["offshell"][2] == pytest.approx(k["none"][2], rel=0.04)


def test_acceptance_for_rejects_options_it_does_not_use():
    exp = X.get("lep1_opal")
    with pytest.raises(TypeError):
        L.acceptance_for(exp, 10.0, "I", flavour="e", three_bdy="offshell")
    with pytest.raises(TypeError):
        L.acceptance_for(exp, 10.0, "I", flavour="e", photon_modle="paper")
    assert L.acceptance_for(X.get("z_invisible"), 10.0, "I") is None


def test_options_are_checked_even_when_no_mass_is_within_reach():
    exp = X.get("lep1_opal")
    for bad in (dict(convention="paper"), dict(photon_model="flat"), dict(three_body="full"), dict(double_br="yes"),
                dict(pieces=("gamma", "H"))):
        with pytest.raises(ValueError):
            L.rate_coefficients(exp, 150.0, "I", flavour="e", **bad)
    with pytest.raises(TypeError):
        L.rate_coefficients(exp, 150.0, "I", flavour="e", photon_modle="paper")
    with pytest.raises(TypeError, match="Experiment"):
        L.rate_coefficients("lep1_opal", 10.0, "I", flavour="e")


# --- the singular point a = -2 cot(theta_w) -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["lep1_opal", "lep2_delphi", "l3_zgamma"])
def test_photon_bounds_are_continuous_through_the_singular_point(name):
    """sigma x Br has a finite limit (sigma ~ (d_Z/d_gamma)^2, Br ~ its inverse): the bound at the pole is the
    limit of the bounds on either side."""
    m = np.array([10.0, 60.0])
    at = L.limit_band(X.get(name), m, Cpl.A_POLE, flavour="e")[0]
    for eps in (-1e-6, 1e-6):
        near = L.limit_band(X.get(name), m, Cpl.A_POLE + eps, flavour="e")[0]
        assert np.allclose(near, at, rtol=1e-4)
    assert np.all(np.isfinite(at))


def test_z_invisible_has_no_bound_at_the_singular_point():
    """N decays promptly there (its width at fixed d_gamma is infinite): nothing leaves the detector."""
    coeffs = L.rate_coefficients(X.get("z_invisible"), np.array([0.01, 1.0]), Cpl.A_POLE, flavour="e")
    assert np.all(coeffs.C == 0) and np.all(np.isinf(coeffs.kappa))
    lo, hi = L.band(coeffs)
    assert np.all(np.isnan(lo)) and np.all(np.isnan(hi))


def test_double_counted_br_vanishes_at_the_singular_point():
    lo, _ = L.limit_band(X.get("lep1_opal"), 10.0, Cpl.A_POLE, flavour="e", double_br=True)
    assert np.isnan(lo[0])


def test_unknown_experiment_raises():
    with pytest.raises(ValueError, match="lep1_opal"):
        X.get("lep3")


def test_bad_record_raises():
    with pytest.raises(ValueError, match="kind"):
        X.get("lep1_opal").with_(kind="bogus")
    with pytest.raises(ValueError, match="efficiency"):
        X.get("lep1_opal").with_(efficiency=1.5)
