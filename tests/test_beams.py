"""Polarised beams: the helicity weights, and the background's helicity structure pinned by physical limits."""

import math

import numpy as np
import pytest

from helpers import background as B
from helpers import beams
from helpers import dirac as D
from helpers import sm


def test_weights_limits():
    """Unpolarised: each combination 1/4; pure helicities: one combination with probability 1; always a sum of 1."""
    assert beams.weights() == {h: 0.25 for h in beams.HELICITIES}
    assert beams.weights(-1, 1) == {"LR": 1.0, "RL": 0.0, "LL": 0.0, "RR": 0.0}
    assert beams.weights(1, -1)["RL"] == 1.0 and beams.weights(1, 1)["RR"] == 1.0
    w = beams.weights(-0.8, 0.3)
    assert sum(w.values()) == pytest.approx(1.0, abs=1e-15)
    # the textbook e-_L e+_R fraction of the ILC (-80 %, +30 %) beams: (1.8)(1.3)/4
    assert w["LR"] == pytest.approx(0.585, abs=1e-15)


def test_combine_averages_and_selects():
    pieces = {"LR": 3.0, "RL": 1.0}
    assert beams.combine(pieces) == pytest.approx(4.0)  # the pieces of an unpolarised average add up
    assert beams.combine(pieces, -1, 1) == pytest.approx(12.0)  # fully polarised: 4 x its quarter
    assert beams.combine(pieces, 1, 1) == 0.0


@pytest.mark.parametrize("bad", [(1.2, 0.0), (0.0, float("nan")), (True, 0.0), ("L", 0.0)])
def test_bad_polarisation_raises(bad):
    with pytest.raises(ValueError, match="polarisation"):
        beams.weights(*bad)


def test_spinor_helicities_are_the_chiralities():
    """Massless spinors: a right-handed e- is right-chiral (gamma5 u = u); a right-handed e+ is described by a
    left-chiral v spinor (gamma5 v = -v).  The tables of the background must say the same."""
    rs = 91.2
    g5 = 1j * D.GAMMA[0] @ D.GAMMA[1] @ D.GAMMA[2] @ D.GAMMA[3]
    u = D.u_spinors(np.array([[rs / 2, 0, 0, rs / 2]]), 0.0)
    v = D.v_spinors(np.array([[rs / 2, 0, 0, -rs / 2]]), 0.0)
    for i in range(2):
        chir_u = +1 if np.allclose(g5 @ u[i][0], u[i][0]) else -1
        chir_v = +1 if np.allclose(g5 @ v[i][0], v[i][0]) else -1
        assert B._E_MINUS_HELICITY[i] == ("R" if chir_u == 1 else "L")
        assert B._EPLUS_HELICITY[i] == ("R" if chir_v == -1 else "L")


def _events_on_the_nu_sphere(rs, E, c, nodes=24):
    """One photon (E, cos c) and nu directions on a Gauss-Legendre x uniform-phi grid in the nu nu-bar rest frame."""
    x, w = np.polynomial.legendre.leggauss(nodes)
    ct, ph = np.meshgrid(x, 2 * np.pi * (np.arange(nodes) + 0.5) / nodes, indexing="ij")
    wt = np.repeat(w[:, None], nodes, 1).ravel()
    n = wt.size
    sn = math.sqrt(1 - c * c)
    k = np.tile([E, E * sn, 0, E * c], (n, 1))
    Q = np.array([rs, 0, 0, 0]) - k
    mQ = np.sqrt(Q[:, 0] ** 2 - (Q[:, 1:] ** 2).sum(1))
    kn, kb = D.two_body_momenta(mQ, 0.0, 0.0, ct.ravel(), ph.ravel())
    beta = Q[:, 1:] / Q[:, :1]
    p1, p2 = np.tile([rs / 2, 0, 0, rs / 2], (n, 1)), np.tile([rs / 2, 0, 0, -rs / 2], (n, 1))
    return wt, B.msq_helicities(p1, p2, D.boost(kn, beta), D.boost(kb, beta), k)


@pytest.mark.parametrize("rs, E, c", [(240.0, 50.0, 0.3), (91.2, 5.0, -0.7), (365.0, 120.0, 0.9)])
def test_z_exchange_ratio_of_helicities_is_gR2_over_gL2(rs, E, c):
    """nu_mu nu_mu-bar gamma goes through the Z alone; photon emission off a massless electron conserves its
    helicity, and integrated over the neutrino directions the lepton tensor is symmetric, so
    sigma(e-_R e+_L) / sigma(e-_L e+_R) = (g_R / g_L)^2 at every photon energy and angle: a pin of the helicity
    labels (exchanging them would give the inverse, 1.54 instead of 0.65)."""
    wt, h = _events_on_the_nu_sphere(rs, E, c)
    gL, gR = sm.z_chiral_couplings(-0.5, -1.0, sm.SIN2_THETA_W)
    ratio = np.sum(wt * h[("x", "RL")]) / np.sum(wt * h[("x", "LR")])
    assert ratio == pytest.approx((gR / gL) ** 2, rel=1e-10)


def test_w_exchange_needs_a_left_handed_electron_and_right_handed_positron():
    """The W couples to left-handed leptons only: nu_e and nu_mu differ only in e-_L e+_R; like-helicity beams
    (LL, RR) give nothing for massless electrons."""
    wt, h = _events_on_the_nu_sphere(240.0, 40.0, 0.2, nodes=8)
    assert np.array_equal(h[("e", "RL")], h[("x", "RL")])
    assert np.sum(h[("e", "LR")]) > 3 * np.sum(h[("x", "LR")])
    scale = np.max(h[("e", "LR")])
    for cls in ("e", "x"):
        for hh in ("LL", "RR"):
            assert np.max(h[(cls, hh)]) < 1e-25 * scale


def test_polarised_sample_is_the_weighted_sum_and_unpolarised_is_the_default():
    args = (240.0, (10.0, 119.0), (-0.9, 0.9))
    unpol = B.generate(*args, n=8 * 64)
    assert np.array_equal(B.generate(*args, n=8 * 64, polarisation=(0.0, 0.0)).weight, unpol.weight)
    lr = B.generate(*args, n=8 * 64, polarisation=(-1.0, 1.0)).sigma()[0]
    rl = B.generate(*args, n=8 * 64, polarisation=(1.0, -1.0)).sigma()[0]
    assert unpol.sigma()[0] == pytest.approx((lr + rl) / 4, rel=1e-12)
    ilc = B.generate(*args, n=8 * 64, polarisation=(-0.8, 0.3)).sigma()[0]
    assert ilc == pytest.approx(0.585 * lr + 0.035 * rl, rel=1e-12)
    # the nu_e W exchange makes e-_L e+_R dominant: -80 % / +30 % beams raise the background
    assert ilc > 1.8 * unpol.sigma()[0]
