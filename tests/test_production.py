"""Production chapter: closed forms versus spin-by-spin amplitudes, printed Eqs. (10)-(13), polarisation."""

import numpy as np
import pytest
import sympy as sp

from helpers import amplitudes as A
from helpers import couplings as C
from helpers import dirac, sm
from helpers import production as P

POINTS = [(sm.M_Z, 10.0), (91.0, 0.1), (130.0, 60.0), (205.4, 100.0), (240.0, 30.0), (360.0, 250.0)]


def _spin_amplitudes(rs, m, cos, model, flavour, phi=0.7):
    """(p1, the 16 spin amplitudes of e- e+ -> N nu-bar summed over diagrams for a model), per unit d_gamma."""
    n = len(cos)
    k1, k2 = dirac.two_body_momenta(rs, m, 0.0, cos, np.full(n, phi))
    p1 = np.tile([rs / 2, 0, 0, rs / 2], (n, 1))
    p2 = np.tile([rs / 2, 0, 0, -rs / 2], (n, 1))
    amps = A.production_amplitudes(p1, p2, k1, k2, m, alpha=sm.ALPHA, sin2w=sm.SIN2_THETA_W, M_Z=sm.M_Z,
                                   Gamma_Z=sm.GAMMA_Z, M_W=sm.M_W)
    rz, rw = C.coupling_ratios(model)
    return p1, amps["gamma"] + float(rz) * amps["Z"] + (float(rw) * amps["W"] if flavour == "e" else 0)


def _numeric_dsigma(rs, m, cos, model, flavour):
    _, M = _spin_amplitudes(rs, m, cos, model, flavour)
    msq = (np.abs(M) ** 2).sum(axis=0) / 4
    flux = (rs**2 - m**2) / rs**2 / (32 * np.pi * rs**2)
    return flux * msq * sm.GEV2_TO_PB


@pytest.mark.parametrize("rs, m", POINTS)
@pytest.mark.parametrize("model, flavour", [("I", "e"), ("II", "e"), ("III", "e"), ("IV", "e"), (-2.0, "e"), ("II", "mu")])
def test_angular_distribution_matches_amplitudes(rs, m, model, flavour):
    cos = np.linspace(-0.97, 0.97, 9)
    closed = P.dsigma_dcos(rs, m, cos, 1.0, model, flavour=flavour)
    numeric = _numeric_dsigma(rs, m, cos, model, flavour)
    assert np.allclose(closed, numeric, rtol=1e-9, atol=0)


@pytest.mark.parametrize("rs, m", POINTS)
def test_total_is_the_integral_of_the_angular_distribution(rs, m):
    x, w = np.polynomial.legendre.leggauss(80)
    for model in ("II", "IV"):
        integral = np.sum(P.dsigma_dcos(rs, m, x, 1e-5, model, flavour="e") * w)
        assert integral == pytest.approx(float(P.sigma(rs, m, 1e-5, model, flavour="e", charge="N")), rel=1e-10)


def test_eq10_photon_cross_section_agrees():
    der, pr = P.sigma_expressions(), P.printed_sigma_expressions()
    assert sp.simplify(der["gamma"] - pr["gamma"]) == 0


def test_eq11_agrees_once_the_bracket_reads_8sw4_minus_4sw2_plus_1():
    der, pr = P.sigma_expressions(), P.printed_sigma_expressions()
    bracket_printed = 8 * P.s_w**2 - 4 * P.s_w + 1
    fixed = pr["Z"] / bracket_printed * (8 * P.s_w**4 - 4 * P.s_w**2 + 1)
    assert sp.simplify(der["Z"] - fixed) == 0
    assert sp.simplify(der["Z"] - pr["Z"]) != 0


def test_eq12_interference_has_the_opposite_sign():
    """Derived: proportional to (1 - 4 s_w^2)(s - M_Z^2); printed: (1 - 4 s_w)(M_Z^2 - s)."""
    der, pr = P.sigma_expressions(), P.printed_sigma_expressions()
    fixed = pr["gammaZ"] / (-4 * P.s_w + 1) * (1 - 4 * P.s_w**2)
    assert sp.simplify(der["gammaZ"] + fixed) == 0


def test_eq13_agrees_only_for_massless_N():
    der, pr = P.sigma_expressions(), P.printed_sigma_expressions()
    assert sp.simplify((der["W"] - pr["W"]).subs(P.m_N, 0)) == 0
    vals = {P.alpha: 1 / 128, P.s_w: 0.47, P.c_w: np.sqrt(1 - 0.47**2), P.M_W: 80.4, P.d_W: 1, P.s: 205.4**2}
    ratio = float((pr["W"] / der["W"]).subs(vals).subs(P.m_N, 100.0))
    assert ratio > 1.5  # the printed mass dependence overestimates sigma^W at m_N = 100 GeV


def test_s_t_interference_is_not_zero_for_the_electron_flavour():
    pieces = P.sigma(205.4, 50.0, 1e-5, "II", flavour="e", by_piece=True)
    assert abs(pieces["gammaW"]) > 0.05 * pieces["W"]
    pieces_mu = P.sigma(205.4, 50.0, 1e-5, "II", flavour="mu", by_piece=True)
    assert pieces_mu["W"] == 0 and pieces_mu["gammaW"] == 0 and pieces_mu["ZW"] == 0


def test_photon_piece_independent_of_energy_for_light_N():
    a = P.sigma(91.0, 0.1, 1e-5, "I", by_piece=True)["gamma"]
    b = P.sigma(240.0, 0.1, 1e-5, "I", by_piece=True)["gamma"]
    # alpha d^2 / 3 in natural units
    expected = 2 * sm.ALPHA * 1e-10 / 3 * sm.GEV2_TO_PB
    assert a == pytest.approx(expected, rel=1e-5) and b == pytest.approx(expected, rel=1e-5)


def test_both_charges_double_the_cross_section():
    assert float(P.sigma(240.0, 10.0, 1e-5, "IV", charge="both")) == pytest.approx(
        2 * float(P.sigma(240.0, 10.0, 1e-5, "IV", charge="N")))


def test_cross_section_vanishes_at_threshold():
    assert float(P.sigma(240.0, 240.0 - 1e-6, 1e-5, "II")) < 1e-12 * float(P.sigma(240.0, 10.0, 1e-5, "II"))


def test_scenario_III_has_no_Z_piece():
    pieces = P.sigma(sm.M_Z, 10.0, 1e-5, "III", by_piece=True)
    assert abs(pieces["Z"]) < 1e-25 and abs(pieces["gammaZ"]) < 1e-20


def test_standard_model_fermi_sign_gives_constructive_nu_e_interference():
    """e+e- -> nu_e nu_e-bar (Z and W) over nu_mu nu_mu-bar (Z only) at sqrt(s) = 0.1 GeV is
    ((g_L + 1)^2 + g_R^2)/(g_L^2 + g_R^2): the textbook effective coupling g_L -> g_L + 1."""
    rs = 0.1
    x, w = np.polynomial.legendre.leggauss(16)
    k1, k2 = dirac.two_body_momenta(rs, 0.0, 0.0, x, np.full(len(x), 0.3))
    p1 = np.tile([rs / 2, 0, 0, rs / 2], (len(x), 1))
    p2 = np.tile([rs / 2, 0, 0, -rs / 2], (len(x), 1))
    a = A.production_amplitudes(p1, p2, k1, k2, 0.0, alpha=sm.ALPHA, sin2w=sm.SIN2_THETA_W, M_Z=sm.M_Z, Gamma_Z=0.0,
                                M_W=sm.M_W, final="nu")
    with_w = np.sum((np.abs(a["Z"] + a["W"]) ** 2).sum(0) * w)
    without = np.sum((np.abs(a["Z"]) ** 2).sum(0) * w)
    gL, gR = -0.5 + sm.SIN2_THETA_W, sm.SIN2_THETA_W
    assert with_w / without == pytest.approx(((gL + 1) ** 2 + gR**2) / (gL**2 + gR**2), rel=1e-4)


@pytest.mark.parametrize("model", ["I", "II", -2.0])
def test_polarisation_matches_density_matrix(model):
    rs, m = 205.4, 100.0
    cos = np.array([-0.8, -0.3, 0.2, 0.7])
    n = len(cos)
    k1, k2 = dirac.two_body_momenta(rs, m, 0.0, cos, np.zeros(n))
    p1 = np.tile([rs / 2, 0, 0, rs / 2], (n, 1))
    p2 = np.tile([rs / 2, 0, 0, -rs / 2], (n, 1))
    a = A.production_amplitudes(p1, p2, k1, k2, m, alpha=sm.ALPHA, sin2w=sm.SIN2_THETA_W, M_Z=sm.M_Z,
                                Gamma_Z=sm.GAMMA_Z, M_W=sm.M_W)
    rz, rw = C.coupling_ratios(model)
    M = (a["gamma"] + float(rz) * a["Z"] + float(rw) * a["W"]).reshape(2, 2, 2, 2, n)
    rho = np.einsum("abxcn,abycn->nxy", M, M.conj())  # N spin density matrix, canonical basis
    pauli = dirac.PAULI
    pvec = np.real(np.einsum("nxy,kyx->nk", rho, pauli)) / np.real(np.einsum("nxx->n", rho))[:, None]
    sn = np.sqrt(1 - cos**2)
    axes = [np.stack([sn, 0 * sn, cos], 1), np.stack([cos, 0 * cos, -sn], 1), np.stack([0 * cos, 1 + 0 * cos, 0 * cos], 1)]
    closed = P.polarisation(rs, m, cos, model, flavour="e")
    for axis, pc in zip(axes, closed):
        assert np.allclose((pvec * axis).sum(1), pc, atol=1e-10)


def test_light_N_is_produced_with_positive_helicity():
    PL, PT, PN = P.polarisation(240.0, 1e-3, np.linspace(-0.9, 0.9, 7), "II", flavour="e")
    assert np.allclose(PL, 1.0, atol=1e-6) and np.allclose(PT, 0.0, atol=1e-4)
    PL, PT, PN = P.polarisation(240.0, 150.0, np.linspace(-0.9, 0.9, 7), "IV", flavour="e")
    assert np.all(PL**2 + PT**2 + PN**2 <= 1 + 1e-12)


def test_photon_is_emitted_against_the_N_spin():
    expr = P.decay_asymmetry_expression()
    ct = [sym for sym in expr.free_symbols if sym.name == r"\cos\theta^*"][0]
    assert sp.simplify(expr / expr.subs(ct, 0) - (1 - ct)) == 0


def test_as_printed_totals_follow_printed_equations():
    rs, m = 205.4, 100.0
    pieces = P.sigma(rs, m, 1e-5, "II", flavour="e", charge="N", convention="as_printed", by_piece=True)
    assert pieces["gammaW"] == 0 and pieces["ZW"] == 0
    x, w = np.polynomial.legendre.leggauss(40)
    ang = P.dsigma_dcos(rs, m, x, 1e-5, "II", flavour="e", convention="as_printed", by_piece=True)
    for k in ("gamma", "Z", "gammaZ", "W"):
        assert np.sum(ang[k] * w) == pytest.approx(float(pieces[k]), rel=1e-9, abs=1e-30)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(sqrt_s=91.0, m_N=91.0), "sqrt"),
        (dict(sqrt_s=91.0, m_N=-1.0), "m_N"),
        (dict(sqrt_s=91.0, m_N=10.0, d_gamma=-1e-5), "d_gamma"),
        (dict(sqrt_s=91.0, m_N=10.0, flavour="nu"), "flavour"),
        (dict(sqrt_s=91.0, m_N=10.0, convention="paper"), "convention"),
        (dict(sqrt_s=91.0, m_N=10.0, charge="Nbar"), "charge"),
        (dict(sqrt_s=91.0, m_N=10.0, model="V"), "scenario"),
    ],
)
def test_bad_input_raises(kwargs, match):
    args = dict(sqrt_s=91.0, m_N=10.0, d_gamma=1e-5, model="I")
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        P.sigma(**args)


@pytest.mark.parametrize("bad", [1.5, -1.0001, float("nan"), float("inf"), [0.2, 2.0]])
def test_cos_theta_out_of_range_raises(bad):
    with pytest.raises(ValueError, match=r"cos_theta"):
        P.dsigma_dcos(91.0, 10.0, bad, 1e-5, "I")
    with pytest.raises(ValueError, match=r"cos_theta"):
        P.polarisation(91.0, 10.0, bad, "I")


@pytest.mark.parametrize("rs, m", [(float("nan"), 10.0), (float("inf"), 10.0), (91.0, float("nan")), (91.0, 91.0),
                                   (91.0, 120.0)])
def test_no_N_without_a_finite_energy_above_threshold(rs, m):
    """Production needs finite sqrt(s) > m_N: at or above threshold there is no N, so no cross section, angular
    distribution or polarisation (ValueError, not a silent zero)."""
    for call in (lambda: P.sigma(rs, m, 1e-5, "I"), lambda: P.dsigma_dcos(rs, m, 0.3, 1e-5, "I"),
                 lambda: P.polarisation(rs, m, 0.3, "I")):
        with pytest.raises(ValueError, match="sqrt_s|m_N"):
            call()


def test_pieces_must_be_a_sequence_of_names():
    with pytest.raises(ValueError, match="pieces"):
        P.sigma(91.0, 10.0, 1e-5, "I", pieces="ZW")
    with pytest.raises(ValueError, match="pieces"):
        P.sigma(91.0, 10.0, 1e-5, "I", pieces=("Z", "H"))


def test_at_the_singular_point_the_cross_section_is_infinite_and_the_polarisation_its_limit():
    """d_Z and d_W are infinite there at fixed d_gamma: sigma = +inf (the Z and W pieces grow as their squares); the
    pieces one by one have no limit (the interference changes sign); the N polarisation is a ratio and has one."""
    a = C.A_POLE
    assert np.isinf(float(P.sigma(205.4, 100.0, 1e-5, a)))
    assert np.all(np.isinf(P.dsigma_dcos(205.4, 100.0, np.array([-0.5, 0.5]), 1e-5, a)))
    with pytest.raises(ValueError, match="singular point"):
        P.sigma(205.4, 100.0, 1e-5, a, by_piece=True)
    cos = np.array([-0.8, 0.0, 0.6])
    at = np.array(P.polarisation(205.4, 100.0, cos, a))
    for eps in (-1e-7, 1e-7):
        assert np.allclose(np.array(P.polarisation(205.4, 100.0, cos, a + eps)), at, atol=1e-5)


def _chiral_rates(rs, m, model, flavour="mu"):
    """Spin-summed |M|^2 of e- e+ -> N nu-bar for right- and left-handed electrons (massless e: each spin state of
    the e- is one chirality), s-channel gamma + Z (+ W for the electron flavour)."""
    p1, M = _spin_amplitudes(rs, m, np.linspace(-0.9, 0.9, 8), model, flavour, phi=0.3)
    ue = dirac.u_spinors(p1, 0.0)
    right = [bool(np.allclose(dirac.P_R @ ue[se][0], ue[se][0])) for se in range(2)]
    idx = np.arange(16).reshape(2, 2, 2, 2)  # (e-, e+, N, nu-bar) spins, the order of production_amplitudes
    rate = {h: float(sum((np.abs(M[idx[se].ravel()]) ** 2).sum() for se in range(2) if right[se] == (h == "R")))
            for h in ("R", "L")}
    return rate["R"], rate["L"]


def test_pure_W3_dipole_is_blind_to_right_handed_electrons_at_high_energy():
    """d_B = 0 (a -> infinity): N couples to W^3 only, and e_R carries no weak isospin, so the photon and Z
    diagrams must cancel for e_R- as s >> M_Z^2 (the remainder falls like M_Z^2/s).  This pins the sign of the
    Z diagram relative to the photon diagram (the sign of d_Z/d_gamma and of the Z-electron coupling together);
    with d_Z -> -d_Z the two diagrams add instead."""
    R, L = _chiral_rates(3000.0, 10.0, 1e12)
    assert R / L < 1e-5
    R10, L10 = _chiral_rates(10 * 3000.0, 10.0, 1e12)
    assert R10 / L10 < 0.02 * R / L  # falls like (M_Z^2/s)^2


def test_pure_B_dipole_sees_the_hypercharges_at_high_energy():
    """d_W = 0 (a = 0): N couples to B only, so at s >> M_Z^2 the rates of e_R- and e_L- are in the ratio of the
    squared hypercharges, (Y_eR / Y_L)^2 = (-1 / -1/2)^2 = 4 (independent of the sign of d_Z only if it is right)."""
    R, L = _chiral_rates(5000.0, 10.0, 0.0)
    assert R / L == pytest.approx(4.0, rel=1e-3)
