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


# --- the signal: e+e- -> N nu-bar with polarised beams --------------------------------------------------------

from helpers import amplitudes as A  # noqa: E402
from helpers import couplings as C  # noqa: E402
from helpers import production as P  # noqa: E402
from helpers import signal as S  # noqa: E402


def _helicity_dsigma(rs, m, cos, model, flavour, hel):
    """d sigma/d cos for fully polarised beams of helicities ``hel`` (e-, e+), from the spin-by-spin amplitudes of
    helpers.amplitudes (no traces): e- index 0 is R, e+ index 0 is R (test_spinor_helicities_are_the_chiralities)."""
    n = len(cos)
    k1, k2 = D.two_body_momenta(rs, m, 0.0, cos, np.full(n, 0.4))
    p1, p2 = np.tile([rs / 2, 0, 0, rs / 2], (n, 1)), np.tile([rs / 2, 0, 0, -rs / 2], (n, 1))
    a = A.production_amplitudes(p1, p2, k1, k2, m, alpha=sm.ALPHA, sin2w=sm.SIN2_THETA_W, M_Z=sm.M_Z,
                                Gamma_Z=sm.GAMMA_Z, M_W=sm.M_W)
    rz, rw = C.coupling_ratios(model)
    M = (a["gamma"] + float(rz) * a["Z"] + (float(rw) * a["W"] if flavour == "e" else 0)).reshape(2, 2, 4, n)
    se, sp_ = {"L": 1, "R": 0}[hel[0]], {"L": 1, "R": 0}[hel[1]]
    msq = (np.abs(M[se, sp_]) ** 2).sum(axis=0)  # fully polarised: no 1/4
    return (rs**2 - m**2) / rs**2 / (32 * np.pi * rs**2) * msq * sm.GEV2_TO_PB


@pytest.mark.parametrize("rs, m, model, flavour", [(91.2, 10.0, "II", "e"), (240.0, 100.0, "IV", "e"),
                                                    (205.4, 50.0, -2.0, "e"), (160.0, 30.0, "I", "mu")])
def test_polarised_signal_matches_the_helicity_amplitudes(rs, m, model, flavour):
    """The traces with beam projectors against the amplitudes spin by spin, for pure e-_L e+_R and e-_R e+_L."""
    cos = np.linspace(-0.95, 0.95, 7)
    for beams_, hel in (((-1.0, 1.0), "LR"), ((1.0, -1.0), "RL")):
        closed = P.dsigma_dcos(rs, m, cos, 1.0, model, flavour=flavour, beams=beams_)
        assert np.allclose(closed, _helicity_dsigma(rs, m, cos, model, flavour, hel), rtol=1e-9, atol=0)
    assert np.allclose(P.dsigma_dcos(rs, m, cos, 1.0, model, flavour=flavour, beams=(1.0, 1.0)), 0.0, atol=1e-30)


def test_signal_beam_limits_and_the_physics_of_each_piece():
    """Unpolarised beams are the default; sigma is linear in the helicity weights; W exchange needs e-_L; the photon
    piece has equal totals for LR and RL (parity: only a forward-backward asymmetry differs); the Z piece's totals
    are in the ratio g_R^2 : g_L^2."""
    rs, m = 240.0, 60.0
    unpol = P.sigma(rs, m, 1e-6, "II", by_piece=True)
    same = P.sigma(rs, m, 1e-6, "II", by_piece=True, beams=(0.0, 0.0))
    lr = P.sigma(rs, m, 1e-6, "II", by_piece=True, beams=(-1.0, 1.0))
    rl = P.sigma(rs, m, 1e-6, "II", by_piece=True, beams=(1.0, -1.0))
    gL, gR = sm.z_chiral_couplings(-0.5, -1.0, sm.SIN2_THETA_W)
    for k in P.PIECES:
        assert same[k] == unpol[k]
        assert unpol[k] == pytest.approx((lr[k] + rl[k]) / 4, rel=1e-12, abs=1e-30)
    assert rl["W"] == 0 and rl["gammaW"] == 0 and rl["ZW"] == 0
    assert rl["gamma"] == pytest.approx(lr["gamma"], rel=1e-12)
    assert rl["Z"] / lr["Z"] == pytest.approx((gR / gL) ** 2, rel=1e-12)
    ilc = P.sigma(rs, m, 1e-6, "II", beams=(-0.8, 0.3))
    assert ilc == pytest.approx(0.585 * sum(lr.values()) + 0.035 * sum(rl.values()), rel=1e-12)
    with pytest.raises(ValueError, match="unpolarised"):
        P.sigma(rs, m, 1e-6, "II", beams=(-0.8, 0.3), convention="as_printed")
    with pytest.raises(ValueError, match="polarisation"):
        P.sigma(rs, m, 1e-6, "II", beams=(-1.5, 0.0))


def test_where_d_B_is_zero_right_handed_electrons_make_almost_no_signal():
    """Scenario II (d_B = 0): the dipole couples through the SU(2) field only, so N comes from W^3 (and W) exchange,
    which couples to e-_L alone; e-_R e+_L produces N only through the hypercharge parts of the photon and the Z,
    which cancel for d_B = 0 up to the Z width and mass splitting: the RL cross section at high energy is a tiny
    fraction of LR."""
    lr = P.sigma(1000.0, 10.0, 1e-6, "II", beams=(-1.0, 1.0), flavour="mu")
    rl = P.sigma(1000.0, 10.0, 1e-6, "II", beams=(1.0, -1.0), flavour="mu")
    assert rl / lr < 0.01
    # with d_calW = 0 (scenario I, B only) it is the other way round: the hypercharge of e_R is twice that of e_L
    lr1 = P.sigma(1000.0, 10.0, 1e-6, "I", beams=(-1.0, 1.0), flavour="mu")
    rl1 = P.sigma(1000.0, 10.0, 1e-6, "I", beams=(1.0, -1.0), flavour="mu")
    assert rl1 / lr1 == pytest.approx(4.0, rel=0.02)


def test_polarised_acceptance_is_finite_and_reduces_to_the_unpolarised():
    m = np.array([5.0, 50.0])
    cuts = S.PhotonCuts(E_min=5.0, cos_min=-0.9, cos_max=0.9)
    a0 = S.acceptance(240.0, m, "IV", cuts=cuts)
    a00 = S.acceptance(240.0, m, "IV", cuts=cuts, beams=(0.0, 0.0))
    assert np.array_equal(a0.value, a00.value)
    for b in ((-0.8, 0.3), (0.8, -0.3)):
        a = S.acceptance(240.0, m, "IV", cuts=cuts, beams=b)
        assert np.all((a.value > 0) & (a.value <= 1))
