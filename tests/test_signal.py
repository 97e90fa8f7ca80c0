"""Signal chapter: photon kinematics and the acceptance engine, on cases with known answers."""

import numpy as np
import pytest
from scipy import integrate

from helpers import decays as D
from helpers import production as P
from helpers import signal as S
from helpers import sm

OPAL_LIKE = S.PhotonCuts.symmetric(0.7, E_min=23.0)


def test_a_cut_that_accepts_everything_has_efficiency_one():
    acc = S.acceptance(240.0, np.array([0.5, 50.0, 200.0]), "II", S.ACCEPT_ALL)
    assert np.all(acc.value == 1.0) and np.all(acc.error == 0.0)


@pytest.mark.parametrize("rs, m", [(sm.M_Z, 10.0), (sm.M_Z, 80.0), (240.0, 1.0), (240.0, 200.0)])
def test_photon_energy_endpoints_match_two_body_kinematics(rs, m):
    lo, hi = S.photon_energy_endpoints(rs, m)
    ev = S.photon_events(rs, np.array([m]), "IV", photon_model="isotropic", n=16384)
    E = ev["E"][0]
    assert E.min() >= lo * (1 - 1e-12) and E.max() <= hi * (1 + 1e-12)
    assert (E.min() - lo) < 0.01 * (hi - lo) and (hi - E.max()) < 0.01 * (hi - lo)
    # (E_N -+ p_N)/2 written out: m_N^2/(2 sqrt s)/... check against the closed form in s, m
    assert float(hi) == pytest.approx(rs / 2, rel=1e-12)
    assert float(lo) == pytest.approx(m**2 / (2 * rs), rel=1e-12)


@pytest.mark.parametrize("photon_model, expected", [("paper", 1 / 3), ("exact", 1 / 3), ("isotropic", 1 / 2)])
def test_mean_photon_energy_for_a_light_N(photon_model, expected):
    """m_N -> 0: E_gamma = E_N (1 + cos theta*)/2; with 1 - cos theta* the mean is E_N/3, isotropic E_N/2."""
    ev = S.photon_events(240.0, np.array([1e-3]), "II", photon_model=photon_model, n=32768)
    x = ev["E"][0] / 120.0
    w = ev["weight"][0]
    mean = np.sum(w * x) / np.sum(w)
    err = np.sqrt(np.sum((w * (x - mean)) ** 2)) / np.sum(w)
    assert abs(mean - expected) < 4 * err + 1e-3


def test_light_N_photon_follows_the_N_direction():
    """m_N -> 0: the photon is collinear with N, so an angular window accepts the fraction of dsigma/dcos inside it."""
    rs, m = sm.M_Z, 1e-3
    acc = S.acceptance(rs, m, "IV", S.PhotonCuts.symmetric(0.7), charge="N", n=32768)
    inside = integrate.quad(lambda c: float(P.dsigma_dcos(rs, m, c, 1e-5, "IV")), -0.7, 0.7)[0]
    total = float(P.sigma(rs, m, 1e-5, "IV", charge="N"))
    assert float(acc.value) == pytest.approx(inside / total, abs=4 * float(acc.error) + 1e-3)


def test_isotropic_decay_at_rest_fills_the_solid_angle():
    """N produced almost at rest and decaying isotropically: |cos| < 0.7 accepts 70 %."""
    acc = S.acceptance(100.0, 99.999, "I", S.PhotonCuts.symmetric(0.7), photon_model="isotropic", n=32768)
    assert float(acc.value) == pytest.approx(0.7, abs=4 * float(acc.error))


def test_exact_and_paper_prescriptions_agree_for_light_N():
    m = np.array([1e-3, 0.1])
    exact = S.acceptance(sm.M_Z, m, "I", OPAL_LIKE, photon_model="exact")
    paper = S.acceptance(sm.M_Z, m, "I", OPAL_LIKE, photon_model="paper")
    assert np.allclose(exact.value, paper.value, atol=3e-3)


def test_statistical_precision_is_below_one_percent():
    acc = S.acceptance(sm.M_Z, np.geomspace(0.01, 90, 20), "I", OPAL_LIKE)
    assert np.all(acc.error / acc.value < 0.01)


def test_results_are_deterministic():
    a = S.acceptance(205.4, np.array([50.0, 100.0]), "II", OPAL_LIKE)
    b = S.acceptance(205.4, np.array([50.0, 100.0]), "II", OPAL_LIKE)
    assert np.array_equal(a.value, b.value)


def test_charge_both_is_mirror_symmetric():
    fwd = S.acceptance(205.4, 60.0, "II", S.PhotonCuts(cos_min=0.2, cos_max=0.9))
    bwd = S.acceptance(205.4, 60.0, "II", S.PhotonCuts(cos_min=-0.9, cos_max=-0.2))
    assert float(fwd.value) == pytest.approx(float(bwd.value), abs=1e-12)


def test_decay_inside_probability_limits():
    rs, m = sm.M_Z, 1.0
    E = (rs**2 + m**2) / (2 * rs)
    ldec = float(D.decay_length(m, 1e-7, E))
    p = float(S.decay_inside_probability(rs, m, 1e-7, 1.0))
    assert p == pytest.approx(1 - np.exp(-1.0 / ldec), rel=1e-12)
    assert float(S.decay_inside_probability(rs, m, 1e-3, 1.0)) == pytest.approx(1.0)
    tiny = float(S.decay_inside_probability(rs, m, 1e-12, 1.0))
    assert tiny == pytest.approx(1.0 / float(D.decay_length(m, 1e-12, E)), rel=1e-6)


def test_signal_cross_section_is_the_product_of_its_factors():
    rs, m, dg = 205.4, 100.0, 1e-5
    cuts = S.PhotonCuts.polar_window_deg(45, 135, x_min=0.06, x_max=1.1)
    acc = S.acceptance(rs, m, "II", cuts)
    sig = S.signal_cross_section(rs, m, dg, "II", cuts, efficiency=0.65, length=1.0, acc=acc)
    expected = (P.sigma(rs, m, dg, "II") * D.br_nu_gamma(m, "II") * acc.value * 0.65
                * S.decay_inside_probability(rs, m, dg, 1.0, "II"))
    assert float(sig) == pytest.approx(float(expected), rel=1e-12)


def test_polar_window_in_degrees():
    cuts = S.PhotonCuts.polar_window_deg(45, 135)
    assert cuts.cos_min == pytest.approx(-np.sqrt(0.5)) and cuts.cos_max == pytest.approx(np.sqrt(0.5))


@pytest.mark.parametrize(
    "kwargs",
    [dict(cos_min=0.5, cos_max=0.2), dict(E_min=-1.0), dict(cos_max=1.5), dict(E_min=10.0, E_max=5.0)],
)
def test_bad_cuts_raise(kwargs):
    with pytest.raises(ValueError, match="PhotonCuts"):
        S.PhotonCuts(**kwargs)


def test_bad_engine_arguments_raise():
    with pytest.raises(ValueError, match="photon_model"):
        S.acceptance(91.0, 10.0, "I", photon_model="flat")
    with pytest.raises(ValueError, match="sqrt"):
        S.acceptance(91.0, 95.0, "I")
    with pytest.raises(ValueError, match="efficiency"):
        S.signal_cross_section(91.0, 10.0, 1e-5, "I", efficiency=1.2)
    with pytest.raises(ValueError, match="charge"):
        S.acceptance(91.0, 10.0, "I", charge="Nbar")


def test_sample_count_must_fit_the_replicas():
    with pytest.raises(ValueError, match="power of two"):
        S.acceptance(91.0, 10.0, "I", n=10000)
