"""Initial-state radiation: the radiator, its quadrature, the boost, and the Z-peak limit."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from helpers import isr
from helpers import production as P
from helpers import sm
from helpers.selection import PhotonCuts


@pytest.mark.parametrize("rs", [91.2, 240.0, 365.0])
def test_radiator_is_normalised_and_the_nodes_integrate_it(rs):
    """int_0^1 F = 1 (the O(beta) soft-virtual and hard terms cancel in the total); the nodes carry that weight."""
    assert quad(lambda x: isr.radiator(x, rs), 0, 1, points=[1e-9, 1e-6, 1e-3], limit=200)[0] == pytest.approx(1, abs=1e-9)
    x, w = isr.nodes(rs)
    assert w.sum() == pytest.approx(1.0, abs=1e-12) and np.all((x > 0) & (x < 1))
    assert isr.beta(rs) == pytest.approx(2 * sm.ALPHA_0 / math.pi * (math.log(rs**2 / sm.M_E**2) - 1), rel=1e-14)


@pytest.mark.parametrize("rs, pt", [(91.2, 35.0), (240.0, 100.0)])
def test_quadrature_matches_adaptive_integration(rs, pt):
    """sum_k w_k sigma(s'_k) against scipy's adaptive quadrature of F(x) sigma(s (1 - x)) up to x_max."""
    x_max = 1 - (2 * pt / rs) ** 2

    def sig(x):
        return float(P.sigma(rs * math.sqrt(1 - x), 1.0, 1e-6, "II"))

    ref = quad(lambda x: isr.radiator(x, rs) * sig(x), 0, x_max, points=[1e-12, 1e-8, 1e-4, 1e-2, 0.027], limit=500)[0]
    x, w = isr.nodes(rs, x_max=x_max)
    assert sum(wk * sig(xk) for xk, wk in zip(x, w)) == pytest.approx(ref, rel=1e-3)


def test_z_peak_is_lowered_as_the_leading_log_formula_says():
    """On the Z peak the radiator gives sigma_ISR / sigma_Born = (1 + 3 beta/4) (Gamma/M)^beta (pi beta/2)/sin(pi beta/2)
    up to the O(beta Gamma/M) hard term (a narrow Breit-Wigner integrated against beta x^(beta-1)): the textbook ~ -26 %
    of the Z line shape."""
    rs = sm.M_Z
    b = isr.beta(rs)
    x, w = isr.nodes(rs, x_max=0.4)
    born = float(P.sigma(rs, 1.0, 1e-6, "II", pieces=("Z",)))
    with_isr = sum(wk * float(P.sigma(rs * math.sqrt(1 - xk), 1.0, 1e-6, "II", pieces=("Z",))) for xk, wk in zip(x, w))
    formula = (1 + 0.75 * b) * (sm.GAMMA_Z / sm.M_Z) ** b * (math.pi * b / 2) / math.sin(math.pi * b / 2)
    assert with_isr / born == pytest.approx(formula, rel=0.02)
    assert 0.70 < with_isr / born < 0.76


def test_boost_is_a_doppler_shift_and_keeps_p_T():
    """A photon along the boost gains the Doppler factor sqrt((1 + beta)/(1 - beta)); p_T is invariant; no boost is
    the laboratory selection itself."""
    lab = PhotonCuts(E_min=50.0)
    b = 0.2
    doppler = math.sqrt((1 + b) / (1 - b))
    E = np.array([50.0 / doppler * 1.001, 50.0 / doppler * 0.999])
    c = np.array([1.0, 1.0])
    # forward photons: pass only in the +z boost (half of the two directions) and only if E doppler > 50
    got = isr.BoostedCuts(lab=lab, beta_z=b, sqrt_s_lab=240.0).passes(E, c, np.zeros(2), 200.0)
    assert np.array_equal(got, [0.5, 0.0])
    pt_only = PhotonCuts(pt_min=30.0)
    pts = np.array([29.0, 31.0])
    got = isr.BoostedCuts(lab=pt_only, beta_z=0.3, sqrt_s_lab=240.0).passes(np.array([60.0, 60.0]), np.array([0.3, -0.5]),
                                                                        pts, 200.0)
    assert np.array_equal(got, [0.0, 1.0])
    E = np.linspace(1, 120, 50)
    c = np.linspace(-0.9, 0.9, 50)
    assert np.array_equal(isr.BoostedCuts(lab=lab, beta_z=0.0, sqrt_s_lab=240.0).passes(E, c, E, 240.0),
                          lab.passes(E, c, E, 240.0).astype(float))


def test_beam_energy_spread_lowers_the_z_peak_by_4_sigma2_over_gamma2():
    """A Gaussian sqrt(s) of width sigma << Gamma_Z averaged over the Breit-Wigner 1/(4 delta^2 + Gamma^2) lowers the
    peak cross section by 4 sigma^2 / Gamma^2 (0.47 % for the FCC-ee Z pole, 0.132 % per beam)."""
    from helpers import colliders as CO
    from helpers import reach as R

    m = CO.MODES["fccee_z"]
    nodes = R.energy_nodes(m, "beam energy spread")
    assert sum(w for w, _, _ in nodes) == pytest.approx(1.0, abs=1e-12)
    born = float(P.sigma(sm.M_Z, 10.0, 1e-6, "II", pieces=("Z",)))
    smeared = sum(w * float(P.sigma(rs * sm.M_Z / m.sqrt_s, 10.0, 1e-6, "II", pieces=("Z",))) for w, rs, _ in nodes)
    sigma = m.sqrt_s * m.beam_energy_spread / math.sqrt(2)
    assert 1 - smeared / born == pytest.approx(4 * sigma**2 / sm.GAMMA_Z**2, rel=0.1)


def test_isr_moves_the_z_return_out_of_the_laboratory_veto_at_clic():
    """At 380 GeV the ISR background after cuts is larger than without radiation: the boost moves the Z-return photons
    (partonic energy within 5 Gamma_gamma^Z of (s' - M_Z^2)/(2 sqrt s')) out of the narrow laboratory veto window. They
    must account for at least the whole increase (the rest of the background falls: less energy above the p_T cut)."""
    from helpers import background as B
    from helpers import colliders as CO
    from helpers import projection as PJ
    from helpers import reach as R

    m = CO.MODES["clic_380"]
    total = near = 0.0
    for w, rs, bz in R.energy_nodes(m, "isr"):
        c = math.sqrt(1 - (m.pt_min / (rs / 2)) ** 2)
        ev = B.generate(rs, (m.pt_min, rs / 2), (-c, c), n=8 * 512)
        passed = isr.BoostedCuts(lab=PJ.cuts(m), beta_z=bz, sqrt_s_lab=m.sqrt_s).passes(ev.E, ev.cos, ev.pt, rs)
        EZ, GZ = B.z_return_energy(rs)
        total += w * float(np.sum(ev.weight * passed))
        near += w * float(np.sum(ev.weight * passed * (np.abs(ev.E - EZ) < 5 * GZ)))
    assert total == pytest.approx(R.convolved_background(m, "isr"), rel=1e-9)
    nominal = PJ.background_after(m)[0]
    assert total > 1.5 * nominal and near > total - nominal
