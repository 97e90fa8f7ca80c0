"""Decay chapter: two-body widths from spin sums, three-body widths, Br(N -> nu gamma), decay length."""

import math

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from helpers import amplitudes as A
from helpers import couplings as C
from helpers import decays as D
from helpers import dirac, sm

RNG_SEED = 20230522


# --- closed forms versus the printed ones -------------------------------------------------------


def test_photon_and_Z_widths_agree_with_eq8():
    der, pr = D.width_expressions(), D.printed_expressions()
    assert sp.simplify(der["nu_gamma"] - pr["nu_gamma"]) == 0
    assert sp.simplify(der["nu_Z"] - pr["nu_Z"]) == 0


def test_polarisation_sum_qq_term_vanishes():
    assert D.derive_two_body_spin_sum()["qq_term"] == 0


def test_printed_W_width_has_the_wrong_kallen_factor():
    """For a massless lepton the printed sqrt((m^2-M^2)(m^2+M^2)) should be (m^2 - M^2)."""
    der, pr = D.width_expressions(), D.printed_expressions()
    ratio = sp.simplify((pr["l_W"] / der["l_W"]).subs(D.m_l, 0))
    m, M = D.m_N, D.M_W
    assert sp.simplify(ratio**2 - (m**2 + M**2) / (m**2 - M**2)) == 0


def test_derived_W_width_lepton_mass_terms():
    """(m^2 - M^2)(2m^2 + M^2) + m_l^2 (2 m_l^2 - 4 m^2 - M^2): half the printed m_l^2 terms."""
    g = D.width_expressions()["l_W"]
    m, M, ml = D.m_N, D.M_W, D.m_l
    expected = (
        D.d_W**2 / (8 * sp.pi * m**3) * sp.sqrt(D.kallen(m**2, ml**2, M**2))
        * ((m**2 - M**2) * (2 * m**2 + M**2) + ml**2 * (2 * ml**2 - 4 * m**2 - M**2))
    )
    assert sp.simplify(g - expected) == 0


def test_Z_to_N_nu_has_d_Z_not_d_gamma():
    der, pr = D.width_expressions(), D.printed_expressions()
    assert sp.simplify(der["Z_to_N_nubar"] - pr["Z_to_N_nubar"].subs(D.d_gamma, D.d_Z)) == 0


# --- numeric spin-by-spin amplitudes (no traces) ----------------------------------------------------


def _random_frames(n, rng):
    """random boosts (|beta| < 0.9) and random decay axes"""
    cos_t = rng.uniform(-1, 1, n)
    phi = rng.uniform(0, 2 * np.pi, n)
    beta = rng.normal(size=(n, 3))
    beta *= (0.9 * rng.uniform(size=n) / np.linalg.norm(beta, axis=1))[:, None]
    return cos_t, phi, beta


@pytest.mark.parametrize(
    "m_N, m_l, M",
    [(1.0, 0.0, None), (150.0, 0.0, sm.M_Z), (120.0, sm.M_TAU, sm.M_W), (90.0, sm.M_E, sm.M_W), (30.0, 2.0, 20.0)],
)
def test_two_body_width_matches_spin_by_spin_amplitude(m_N, m_l, M):
    rng = np.random.default_rng(RNG_SEED)
    n = 16
    cos_t, phi, beta = _random_frames(n, rng)
    k, q = dirac.two_body_momenta(m_N, m_l, 0.0 if M is None else M, cos_t, phi)
    p = np.tile([m_N, 0, 0, 0], (n, 1)).astype(float)
    p, k, q = (dirac.boost(x, beta) for x in (p, k, q))
    msq = A.msq_N_to_l_V(p, k, q, m_N, m_l, M)
    # Lorentz invariance: the same at every point
    assert np.ptp(msq) < 1e-9 * msq.mean()
    pstar = math.sqrt(D.kallen(m_N**2, m_l**2, (M or 0.0) ** 2)) / (2 * m_N)
    width_amp = pstar / (8 * math.pi * m_N**2) * msq.mean() / 2
    width_closed = D._gamma2_unit()(m_N, m_l, M or 0.0)
    assert width_amp == pytest.approx(float(width_closed), rel=1e-10)


def test_Z_to_N_nu_matches_spin_by_spin_amplitude():
    rng = np.random.default_rng(RNG_SEED)
    n, m_N = 8, 30.0
    cos_t, phi, beta = _random_frames(n, rng)
    pN, knu = dirac.two_body_momenta(sm.M_Z, m_N, 0.0, cos_t, phi)
    q = np.tile([sm.M_Z, 0, 0, 0], (n, 1)).astype(float)
    q, pN, knu = (dirac.boost(x, beta) for x in (q, pN, knu))
    msq = A.msq_V_to_N_nubar(q, pN, knu, m_N, sm.M_Z)
    pstar = (sm.M_Z**2 - m_N**2) / (2 * sm.M_Z)
    width_amp = pstar / (8 * math.pi * sm.M_Z**2) * msq.mean() / 3
    assert width_amp == pytest.approx(float(D.width_Z_to_N_nu(m_N, 1.0)), rel=1e-10)


def test_photon_width_hand_value():
    # Gamma = d^2 m^3 / (4 pi): m = 1 GeV, d = 1e-6 GeV^-1 -> 1e-12/(4 pi) GeV
    assert float(D.width_nu_gamma(1.0, 1e-6)) == pytest.approx(1e-12 / (4 * math.pi), rel=1e-12)


@pytest.mark.parametrize("m_f, t3, charge, n_c", [(sm.M_MU, -0.5, -1.0, 1), (sm.M_B, -0.5, -1 / 3, 3), (0.0, 0.5, 0.0, 1)])
def test_vector_to_fermions_shape_matches_amplitude(m_f, t3, charge, n_c):
    rng = np.random.default_rng(RNG_SEED)
    mu = 12.0
    cos_t, phi, _ = _random_frames(4, rng)
    p1, p2 = dirac.two_body_momenta(mu, m_f, m_f, cos_t, phi)
    q = np.tile([mu, 0, 0, 0], (4, 1)).astype(float)
    gv, ga = t3 - 2 * charge * sm.SIN2_THETA_W, t3
    msq = A.msq_V_to_f_fbar(q, p1, m_f, p2, m_f, mu, gv, ga)
    pstar = math.sqrt(mu**2 / 4 - m_f**2)
    width_amp = n_c * pstar / (8 * math.pi * mu**2) * msq.mean() / 3
    assert width_amp == pytest.approx(float(D.z_channel_shape(mu, n_c, t3, charge, m_f)) / (12 * math.pi), rel=1e-10)


def test_W_channel_shape_matches_amplitude_with_unequal_masses():
    rng = np.random.default_rng(RNG_SEED)
    mu, m1, m2 = 10.0, sm.M_TAU, 0.0
    cos_t, phi, _ = _random_frames(4, rng)
    p1, p2 = dirac.two_body_momenta(mu, m1, m2, cos_t, phi)
    q = np.tile([mu, 0, 0, 0], (4, 1)).astype(float)
    # vertex gamma^rho (1 - gamma5): g_v = g_a = 1
    cur = A.vector_current(p1, m1, p2, m2, 1.0, 1.0)
    eps = dirac.polarizations(q, mu)
    msq = sum(np.abs(np.sum(c * dirac.lower(e), axis=-1)) ** 2 for c in cur for e in eps)
    pstar = math.sqrt(D.kallen(mu**2, m1**2, m2**2)) / (2 * mu)
    width_amp = pstar / (8 * math.pi * mu**2) * msq.mean() / 3
    assert width_amp == pytest.approx(float(D.w_channel_shape(mu, 1, m1, m2)) / (6 * math.pi), rel=1e-10)


# --- three-body decays ---------------------------------------------------------------------------------


@pytest.mark.parametrize("boson, m_l", [("Z", 0.0), ("W", sm.M_TAU)])
@pytest.mark.parametrize("m_N", [3.0, 40.0, 85.0, 150.0])
def test_offshell_quadrature_against_adaptive_integration(boson, m_l, m_N):
    M = {"Z": sm.M_Z, "W": sm.M_W}[boson]
    f = lambda q2: float(D._gamma2_unit()(m_N, m_l, math.sqrt(q2))) * float(D.offshell_density(q2, boson))
    upper = (m_N - m_l) ** 2
    pts = [p for p in (M**2, 4 * sm.M_B**2, 4 * sm.M_C**2, 4 * sm.M_TAU**2) if p < upper]
    ref, err = integrate.quad(f, 0.0, upper, points=pts or None, limit=400, epsrel=1e-9)
    assert float(D.width_offshell(m_N, boson, m_lepton=m_l)) == pytest.approx(ref, rel=2e-3)


def test_offshell_tends_to_on_shell_above_threshold():
    """Narrow-width limit: the Breit-Wigner integral approaches Gamma(N -> nu Z) within O(Gamma_Z/M_Z)."""
    m = np.array([150.0, 200.0, 300.0])
    ratio = D.width_offshell(m, "Z") / D._gamma2_unit()(m, 0.0, sm.M_Z)
    assert np.all(np.abs(ratio - 1) < 0.04)


@pytest.mark.parametrize("m_N", [20.0, 88.0])
def test_three_body_factorisation_against_full_amplitude(m_N):
    """Full N -> nu mu+ mu- amplitude with the Z propagator, integrated by Monte Carlo, versus the
    Breit-Wigner-integrated two-body width (the factorisation of helpers.decays)."""
    m_f, t3, charge = sm.M_MU, -0.5, -1.0
    mc, err = A.width_N_to_nu_f_fbar_mc(m_N, m_f, t3, charge, n=40000, seed=RNG_SEED)
    ref = D.width_offshell_single_channel(m_N, t3, charge, m_f)
    assert err / mc < 0.01
    assert mc == pytest.approx(ref, abs=4 * err)


def test_offshell_option_is_the_on_shell_width_above_threshold_within_the_breit_wigner_tail():
    """three_body='offshell' in partial_widths: far above threshold the Breit-Wigner integral is the on-shell
    two-body width (sum of Br(V -> f fbar) = 1) up to the tails, O(Gamma_V/M_V) -- a few per cent."""
    m = np.array([150.0, 200.0, 300.0])
    off = D.partial_widths(m, 1e-6, "II", flavour="tau", three_body="offshell")
    on = D.partial_widths(m, 1e-6, "II", flavour="tau", three_body="none")
    for ch in ("nu Z", "l W"):
        assert np.all(np.abs(off[ch] / on[ch] - 1) < 0.04)
    assert np.array_equal(off["nu gamma"], on["nu gamma"])


def test_offshell_option_opens_the_weak_channels_below_threshold():
    """Below M_Z (M_W) the two-body channels are closed (width 0) but N -> nu Z* -> nu f fbar (l W* -> l f fbar')
    are not: nonzero, growing steeply with m_N (~ m_N^7 far below the pole: m_N^3 from the dipole two-body width,
    m_N^4 from the phase space of the virtual boson, q^2 dq^2 / M^4), and equal to the default rule, which uses
    the same integral below threshold."""
    m = np.array([1.0, 2.0, 50.0])
    off = D.partial_widths(m, 1e-6, "II", flavour="e", three_body="offshell")
    none = D.partial_widths(m, 1e-6, "II", flavour="e", three_body="none")
    default = D.partial_widths(m, 1e-6, "II", flavour="e")
    for ch in ("nu Z", "l W"):
        assert np.all(none[ch] == 0) and np.all(off[ch] > 0)
        assert np.array_equal(off[ch], default[ch])
        assert off[ch][1] / off[ch][0] == pytest.approx(2.0**7, rel=0.1)


def test_offshell_option_is_smooth_through_threshold_where_the_paper_rule_jumps():
    """Just above M_Z the on-shell width starts from zero ((m^2 - M_Z^2)^2), while the Breit-Wigner integral is
    continuous: the default rule (Eq. 9 of the paper) jumps at threshold, 'offshell' does not."""
    m = sm.M_Z * np.array([1 - 1e-4, 1 + 1e-4])
    off = D.partial_widths(m, 1e-6, "I", three_body="offshell")["nu Z"]
    paper = D.partial_widths(m, 1e-6, "I")["nu Z"]
    assert off[1] / off[0] == pytest.approx(1.0, abs=0.01)
    assert paper[1] < 1e-3 * paper[0]


# --- branching ratio ------------------------------------------------------------------------------------


def test_large_mass_limit_of_br():
    a, th = C.a, C.theta_w
    derived = D.br_large_mass_limit_expr()
    expected = (2 * sp.cos(th) + a * sp.sin(th)) ** 2 / (4 + 3 * a**2)
    assert sp.simplify(derived - expected) == 0
    # the text of Sec. II prints the reciprocal
    assert sp.simplify(D.br_large_mass_limit_expr(printed=True) * derived - 1) == 0
    # numerically, at m_N = 20 TeV with two-body widths only
    for model in (0.0, 1.0, -2.0, 5.0):
        val = float(expected.subs({a: model, th: sm.THETA_W}))
        assert float(D.br_nu_gamma(2e4, model, three_body="none")) == pytest.approx(val, rel=2e-3)


def test_large_mass_limit_maximum_at_two_thirds_tan():
    a, th = C.a, C.theta_w
    f = D.br_large_mass_limit_expr()
    crit = sp.solve(sp.diff(f, a), a)
    assert any(sp.simplify(c - sp.Rational(2, 3) * sp.tan(th)) == 0 for c in crit)
    # scenario II limit: sin^2(theta_w)/3
    assert sp.simplify(sp.limit(f, a, sp.oo) - sp.sin(th) ** 2 / 3) == 0


def test_br_vanishes_at_the_singular_point():
    a_pole = -2 / math.tan(sm.THETA_W)
    assert float(D.br_nu_gamma(10.0, a_pole)) < 1e-20
    # and the valley: Br drops sharply near the pole for m_N = 50 GeV
    assert float(D.br_nu_gamma(50.0, a_pole + 0.01)) < 0.05
    assert float(D.br_nu_gamma(50.0, 0.0)) > 0.99


def test_br_is_one_for_light_N_in_every_scenario():
    for s in C.SCENARIO_NAMES:
        assert float(D.br_nu_gamma(1.0, s)) == pytest.approx(1.0, abs=1e-5)


def test_br_decreases_with_mass_above_MW():
    m = np.linspace(85, 300, 50)
    for s in ("II", "III", "IV"):
        br = D.br_nu_gamma(m, s)
        assert np.all(np.diff(br) < 0)


def test_scenario_I_has_no_W_channel():
    m = np.array([100.0, 200.0])
    pw = D.partial_widths(m, 1e-6, "I")
    assert np.all(pw["l W"] == 0)


def test_three_body_matters_near_the_singular_point_only():
    a_pole = -2 / math.tan(sm.THETA_W)
    near = D.br_nu_gamma(60.0, a_pole + 0.05) / D.br_nu_gamma(60.0, a_pole + 0.05, three_body="none")
    far = D.br_nu_gamma(60.0, "I") / D.br_nu_gamma(60.0, "I", three_body="none")
    assert near < 0.5
    assert far > 0.999


def test_thresholds():
    assert float(D.width_nu_Z(sm.M_Z, 1.0)) == 0.0
    assert float(D.width_nu_Z(sm.M_Z - 1e-3, 1.0)) == 0.0
    assert 0 < float(D.width_nu_Z(sm.M_Z + 1e-3, 1.0)) < 1e-8 * float(D.width_nu_Z(150.0, 1.0))
    assert float(D.width_l_W(sm.M_W + sm.M_TAU - 1e-6, 1.0, flavour="tau")) == 0.0
    assert float(D.width_l_W(sm.M_W + sm.M_TAU + 1e-3, 1.0, flavour="tau")) > 0
    assert float(D.width_Z_to_N_nu(sm.M_Z, 1.0)) == 0.0


def test_at_the_singular_point_br_is_zero_and_the_weak_widths_infinite():
    """d_Z, d_W are infinite at fixed d_gamma there: Br(N -> nu gamma) = 0 (its limit from both sides), the open weak
    channels are +inf, a closed one 0 (three_body='none' below threshold), the photon width d^2 m^3/(4 pi)."""
    a = C.A_POLE
    assert np.all(D.br_nu_gamma(np.array([0.1, 10.0, 150.0]), a) == 0)
    assert float(D.br_nu_gamma(10.0, a + 1e-6)) < 1e-6 and float(D.br_nu_gamma(10.0, a - 1e-6)) < 1e-6  # ~ eps^2
    pw = D.partial_widths(np.array([10.0, 150.0]), 1e-6, a, three_body="none")
    assert np.all(pw["nu gamma"] == pytest.approx(1e-12 * np.array([10.0, 150.0]) ** 3 / (4 * math.pi)))
    assert list(pw["nu Z"]) == [0.0, np.inf] and list(pw["l W"]) == [0.0, np.inf]
    assert math.isinf(float(D.total_width(10.0, 1e-6, a)))
    assert float(D.decay_length(10.0, 1e-6, a, E_N=40.0)) == 0.0


# --- decay length ----------------------------------------------------------------------------------------


def test_decay_length_eq15_hand_value():
    # l = 4 pi sqrt(E^2 - m^2) / (d^2 m^4) * hbar c, m = 1 GeV, d = 1e-6, E = 10 GeV, hbar c = 197.3269804 MeV fm
    expected = 4 * math.pi * math.sqrt(99.0) / 1e-12 * 1.973269804e-16
    assert float(D.decay_length(1.0, 1e-6, E_N=10.0)) == pytest.approx(expected, rel=1e-9)


def test_decay_length_with_total_width_is_shorter_by_br():
    m, d, E = np.array([100.0, 150.0]), 1e-6, np.array([120.0, 160.0])
    l_gamma = D.decay_length(m, d, E_N=E)
    l_tot = D.decay_length(m, d, "II", E_N=E)
    assert np.allclose(l_tot / l_gamma, D.br_nu_gamma(m, "II"), rtol=1e-12)


def test_decay_length_scales_as_inverse_d_squared():
    assert float(D.decay_length(5.0, 1e-6, E_N=40.0) / D.decay_length(5.0, 2e-6, E_N=40.0)) == pytest.approx(4.0)


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_mass_raises(bad):
    with pytest.raises(ValueError, match="m_N"):
        D.br_nu_gamma(bad, "I")


def test_bad_names_raise():
    with pytest.raises(ValueError, match="flavour"):
        D.br_nu_gamma(10.0, "I", flavour="nu")
    with pytest.raises(ValueError, match="scenario"):
        D.br_nu_gamma(10.0, "V")
    with pytest.raises(ValueError, match="three_body"):
        D.br_nu_gamma(10.0, "I", three_body="full")
    with pytest.raises(ValueError, match="convention"):
        D.width_l_W(100.0, 1e-6, convention="paper")
    with pytest.raises(ValueError, match="boson"):
        D.width_offshell(50.0, "H")
    with pytest.raises(ValueError, match="nodes"):
        D.width_offshell(50.0, "Z", nodes=0)
    with pytest.raises(ValueError, match="m_lepton"):
        D.width_offshell(50.0, "W", m_lepton=-1.0)
    with pytest.raises(ValueError, match="d_Z"):
        D.width_nu_Z(150.0, float("nan"))
    with pytest.raises(ValueError, match="d_gamma"):
        D.partial_widths(10.0, float("inf"), "I")


def test_the_Z_width_takes_no_ignored_convention():
    """Eq. (19) as printed differs from the derived one only by the name of the coupling: there is nothing for a
    convention switch to do, so there is none (the printed reading passes d_gamma as the coupling)."""
    with pytest.raises(TypeError):
        D.width_Z_to_N_nu(30.0, 1.0, convention="as_printed")


def test_energy_below_mass_raises():
    with pytest.raises(ValueError, match="E_N"):
        D.decay_length(10.0, 1e-6, E_N=9.0)
