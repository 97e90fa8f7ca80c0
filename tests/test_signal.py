"""Signal chapter: photon kinematics and the acceptance engine, on cases with known answers."""

import math

import numpy as np
import pytest
from scipy import integrate

from helpers import couplings as Cpl
from helpers import production as P
from helpers import signal as S
from helpers import sm
from helpers.selection import ACCEPT_ALL, PhotonCuts

OPAL_LIKE = PhotonCuts.symmetric(0.7, E_min=23.0)


def test_a_cut_that_accepts_everything_has_efficiency_one():
    acc = S.acceptance(240.0, np.array([0.5, 50.0, 200.0]), "II", cuts=ACCEPT_ALL)
    assert np.all(acc.value == 1.0) and np.all(acc.error == 0.0)


@pytest.mark.parametrize("rs, m", [(sm.M_Z, 10.0), (sm.M_Z, 80.0), (240.0, 1.0), (240.0, 200.0)])
def test_photon_energy_endpoints_match_two_body_kinematics(rs, m):
    lo, hi = S.photon_energy_endpoints(rs, m)
    ev = S.photon_events(rs, np.array([m]), "IV", photon_model="isotropic", n=16384)
    E = ev["E"][0]
    assert E.min() >= lo * (1 - 1e-12) and E.max() <= hi * (1 + 1e-12)
    assert (E.min() - lo) < 0.01 * (hi - lo) and (hi - E.max()) < 0.01 * (hi - lo)
    # (E_N -+ p_N)/2 written out: the photon along N carries sqrt(s)/2, against it m_N^2/(2 sqrt s)
    assert float(hi) == pytest.approx(rs / 2, rel=1e-12)
    assert float(lo) == pytest.approx(m**2 / (2 * rs), rel=1e-12)


@pytest.mark.parametrize("photon_model, expected",
                         [("paper", 1 / 3), ("exact", 1 / 3), ("isotropic", 1 / 2), ("opposite", 2 / 3)])
def test_mean_photon_energy_for_a_light_N(photon_model, expected):
    """m_N -> 0: E_gamma = E_N (1 + cos theta*)/2; with 1 - cos theta* the mean is E_N/3, isotropic E_N/2,
    with 1 + cos theta* it is int (1+c)^2/2 dc / int (1+c) dc = 2 E_N/3."""
    ev = S.photon_events(240.0, np.array([1e-3]), "II", photon_model=photon_model, n=32768)
    x = ev["E"][0] / 120.0
    w = ev["weight"][0]
    mean = np.sum(w * x) / np.sum(w)
    err = np.sqrt(np.sum((w * (x - mean)) ** 2)) / np.sum(w)
    assert abs(mean - expected) < 4 * err + 1e-3


@pytest.mark.parametrize("rs, m, model", [(sm.M_Z, 30.0, "I"), (205.4, 100.0, "II"), (240.0, 200.0, -2.0)])
@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9])
def test_unpolarised_N_gives_a_flat_photon_spectrum(rs, m, model, fraction):
    """An isotropic two-body decay in flight gives a flat lab energy spectrum between the endpoints, whatever the
    production angle: E_gamma > E_cut accepts (E_hi - E_cut)/(E_hi - E_lo)."""
    lo, hi = (float(x) for x in S.photon_energy_endpoints(rs, m))
    cut = lo + fraction * (hi - lo)
    acc = S.acceptance(rs, m, model, cuts=PhotonCuts(E_min=cut), photon_model="isotropic", n=32768)
    assert float(acc.value) == pytest.approx(1 - fraction, abs=4 * float(acc.error) + 2e-3)


@pytest.mark.parametrize("photon_model, m", [("paper", 30.0), ("paper", 150.0), ("exact", 0.5)])
@pytest.mark.parametrize("fraction", [0.25, 0.6])
def test_helicity_plus_one_N_gives_a_falling_linear_spectrum(photon_model, m, fraction):
    """N with helicity +1 emits with 1 - cos(theta*) about its flight direction (the paper's prescription; the exact
    polarisation for a light N): E is linear in cos(theta*), so dN/dy = (1 - y)/2 with y = 2(E - E_lo)/(E_hi - E_lo) - 1
    and E > E_cut accepts (1 - y_cut)^2 / 4."""
    rs = 240.0
    lo, hi = (float(x) for x in S.photon_energy_endpoints(rs, m))
    y = 2 * fraction - 1
    acc = S.acceptance(rs, m, "II", cuts=PhotonCuts(E_min=lo + fraction * (hi - lo)), photon_model=photon_model, n=32768)
    assert float(acc.value) == pytest.approx((1 - y) ** 2 / 4, abs=4 * float(acc.error) + 2e-3)


def test_light_N_photon_follows_the_N_direction():
    """m_N -> 0: the photon is collinear with N, so an angular window accepts the fraction of dsigma/dcos inside it."""
    rs, m = sm.M_Z, 1e-3
    acc = S.acceptance(rs, m, "IV", cuts=PhotonCuts.symmetric(0.7), charge="N", n=32768)
    inside = integrate.quad(lambda c: float(P.dsigma_dcos(rs, m, c, 1e-5, "IV")), -0.7, 0.7)[0]
    total = float(P.sigma(rs, m, 1e-5, "IV", charge="N"))
    assert float(acc.value) == pytest.approx(inside / total, abs=4 * float(acc.error) + 1e-3)


def test_light_N_and_its_conjugate_fill_mirror_windows():
    """The N-bar nu events are the CP mirror of N nu-bar: for a light N (photon along N), a forward window sees N
    with the weight of dsigma/dcos over the window and N-bar with the weight over the mirror window; 'both'
    counts half of each.  The integrals of dsigma/dcos are independent of the event generator."""
    rs, m = 205.4, 1e-3
    window = PhotonCuts(cos_min=0.2, cos_max=0.9)
    acc = S.acceptance(rs, m, "II", cuts=window, charge="both", n=32768)
    total = float(P.sigma(rs, m, 1e-5, "II", charge="N"))
    fwd = integrate.quad(lambda c: float(P.dsigma_dcos(rs, m, c, 1e-5, "II")), 0.2, 0.9)[0] / total
    bwd = integrate.quad(lambda c: float(P.dsigma_dcos(rs, m, c, 1e-5, "II")), -0.9, -0.2)[0] / total
    assert abs(fwd - bwd) > 0.05  # N alone is produced asymmetrically (the W and Z diagrams)
    assert float(acc.value) == pytest.approx(0.5 * (fwd + bwd), abs=4 * float(acc.error) + 1e-3)


def test_isotropic_decay_at_rest_fills_the_solid_angle():
    """N produced almost at rest and decaying isotropically: |cos| < 0.7 accepts 70 %."""
    acc = S.acceptance(100.0, 99.999, "I", cuts=PhotonCuts.symmetric(0.7), photon_model="isotropic", n=32768)
    assert float(acc.value) == pytest.approx(0.7, abs=4 * float(acc.error))


def test_exact_and_paper_prescriptions_agree_for_light_N():
    m = np.array([1e-3, 0.1])
    exact = S.acceptance(sm.M_Z, m, "I", cuts=OPAL_LIKE, photon_model="exact")
    paper = S.acceptance(sm.M_Z, m, "I", cuts=OPAL_LIKE, photon_model="paper")
    assert np.allclose(exact.value, paper.value, atol=3e-3)


def test_statistical_precision_is_below_one_percent():
    acc = S.acceptance(sm.M_Z, np.geomspace(0.01, 90, 20), "I", cuts=OPAL_LIKE)
    assert np.all(acc.error / acc.value < 0.01)


def test_results_are_deterministic():
    a = S.acceptance(205.4, np.array([50.0, 100.0]), "II", cuts=OPAL_LIKE)
    b = S.acceptance(205.4, np.array([50.0, 100.0]), "II", cuts=OPAL_LIKE)
    assert np.array_equal(a.value, b.value)


def _decay_length_eq15(rs, m, d):
    """l = beta gamma c tau with Gamma = d^2 m^3/(4 pi) (Eq. 15), |p_N| = (s - m^2)/(2 sqrt s), by hand."""
    p = (rs**2 - m**2) / (2 * rs)
    return 4 * math.pi * p * sm.HBARC_GEV_M / (d**2 * m**4)


def test_decay_inside_probability_limits():
    rs, m = sm.M_Z, 1.0
    ldec = _decay_length_eq15(rs, m, 1e-7)
    assert float(S.decay_inside_probability(rs, m, 1e-7, length=1.0)) == pytest.approx(1 - math.exp(-1.0 / ldec), rel=1e-12)
    assert float(S.decay_inside_probability(rs, m, 1e-3, length=1.0)) == pytest.approx(1.0)
    # long-lived: the probability is L / l_dec
    tiny = float(S.decay_inside_probability(rs, m, 1e-12, length=1.0))
    assert tiny == pytest.approx(1.0 / _decay_length_eq15(rs, m, 1e-12), rel=1e-6)


def test_signal_cross_section_of_a_pure_photon_dipole_is_eq10():
    """Scenario III has no Z coupling and the muon flavour no W diagram: production is the photon diagram alone,
    sigma = 2 alpha d^2 (s - m^2)^2 (s + 2 m^2)/(3 s^3) for both charge states (Eq. 10), Br = 1 for a light N,
    acceptance 1 without cuts; so the signal is eps sigma, and with a decay volume eps sigma (1 - exp(-L/l))."""
    rs, m, d = 2.0, 1.0, 1e-3
    s = rs**2
    eq10 = 2 * sm.ALPHA * d**2 * (s - m**2) ** 2 * (s + 2 * m**2) / (3 * s**3) * sm.GEV2_TO_PB
    prompt = S.signal_cross_section(rs, m, d, "III", cuts=ACCEPT_ALL, flavour="mu", efficiency=0.5, length=None)
    assert float(prompt) == pytest.approx(0.5 * eq10, rel=1e-9)
    d_slow = 3e-9  # decay length ~ 200 m
    p_in = 1 - math.exp(-1.0 / _decay_length_eq15(rs, m, d_slow))
    slow = S.signal_cross_section(rs, m, d_slow, "III", cuts=ACCEPT_ALL, flavour="mu", efficiency=0.5, length=1.0)
    assert float(slow) == pytest.approx(0.5 * eq10 * (d_slow / d) ** 2 * p_in, rel=1e-9)
    # scenario I adds the Z diagram, whose interference at sqrt(s) = 2 GeV is ~ s/M_Z^2 small
    with_z = S.signal_cross_section(rs, m, d, "I", cuts=ACCEPT_ALL, flavour="mu", efficiency=0.5, length=None)
    assert float(with_z) == pytest.approx(0.5 * eq10, rel=5 * s / sm.M_Z**2)


def test_signal_is_continuous_through_the_singular_point():
    """At a = -2 cot(theta_w) sigma ~ (d_Z/d_gamma)^2 and Br ~ (d_gamma/d_Z)^2: the signal is their finite limit."""
    rs, m, d = 205.4, 100.0, 1e-5
    cuts = PhotonCuts.polar_window_deg(45, 135, x_min=0.06, x_max=1.1)
    at = float(S.signal_cross_section(rs, m, d, Cpl.A_POLE, cuts=cuts))
    near = [float(S.signal_cross_section(rs, m, d, Cpl.A_POLE + e, cuts=cuts)) for e in (-1e-7, 1e-7)]
    assert 0 < at < np.inf
    assert near[0] == pytest.approx(at, rel=1e-4) and near[1] == pytest.approx(at, rel=1e-4)
    acc = S.acceptance(rs, m, np.array([Cpl.A_POLE, Cpl.A_POLE + 1e-7]), cuts=cuts)
    assert acc.value[0] == pytest.approx(acc.value[1], abs=1e-5)


def test_polar_window_in_degrees():
    cuts = PhotonCuts.polar_window_deg(45, 135)
    assert cuts.cos_min == pytest.approx(-np.sqrt(0.5)) and cuts.cos_max == pytest.approx(np.sqrt(0.5))


@pytest.mark.parametrize(
    "kwargs",
    [dict(cos_min=0.5, cos_max=0.2), dict(E_min=-1.0), dict(cos_max=1.5), dict(E_min=10.0, E_max=5.0),
     dict(E_min=float("nan")), dict(pt_min=float("inf")), dict(cos_min=float("nan")), dict(extra=3.0)],
)
def test_bad_cuts_raise(kwargs):
    with pytest.raises(ValueError, match="PhotonCuts"):
        PhotonCuts(**kwargs)


def test_bad_engine_arguments_raise():
    with pytest.raises(ValueError, match="photon_model"):
        S.acceptance(91.0, 10.0, "I", photon_model="flat")
    with pytest.raises(ValueError, match="sqrt"):
        S.acceptance(91.0, 95.0, "I")
    with pytest.raises(ValueError, match="sqrt"):
        S.photon_events(91.0, 91.0, "I")
    with pytest.raises(ValueError, match="efficiency"):
        S.signal_cross_section(91.0, 10.0, 1e-5, "I", efficiency=1.2)
    with pytest.raises(ValueError, match="charge"):
        S.acceptance(91.0, 10.0, "I", charge="Nbar")
    with pytest.raises(ValueError, match="chunk"):
        S.acceptance(91.0, 10.0, "I", chunk=0)
    with pytest.raises(ValueError, match="sqrt_s"):
        S.acceptance(float("nan"), 10.0, "I")
    with pytest.raises(ValueError, match="m_N"):
        S.acceptance(91.0, float("inf"), "I")
    with pytest.raises(TypeError, match="PhotonCuts"):
        S.acceptance(91.0, 10.0, "I", cuts=(0.7, 23.0))


def test_sample_count_must_fit_the_replicas():
    with pytest.raises(ValueError, match="power of two"):
        S.acceptance(91.0, 10.0, "I", n=10000)
    with pytest.raises(ValueError, match="integer"):
        S.acceptance(91.0, 10.0, "I", n=16384.0)
