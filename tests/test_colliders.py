"""The run plans of the proposed colliders as data, and the projection of polarised run plans."""

import math

import numpy as np
import pytest

from helpers import colliders as COL
from helpers import experiments as X
from helpers import limits as L
from helpers import projection as PJ


def test_every_proposed_mode_names_its_sources():
    for key, m in COL.MODES.items():
        if m.collider == "CEPC (paper)":
            continue
        for field in ("sqrt_s", "luminosity_ab", "polarisations", "detector_radius", "pt_min"):
            assert m.sources.get(field), f"{key}: no source for {field}"
        assert m.reference


def test_pt_cut_is_the_papers_fraction_of_sqrt_s():
    """The paper's CEPC cuts (35, 65, 100, 160 GeV at 91.2, 160, 240, 360 GeV) carry over as a fraction of sqrt(s)."""
    assert COL.MODES["fccee_z"].pt_min == 35.0 and COL.MODES["fccee_zh"].pt_min == 100.0
    assert COL.MODES["fccee_tt"].pt_min == pytest.approx(160 / 360 * 365, abs=0.05)
    assert COL.MODES["ilc_250"].pt_min == pytest.approx(100 / 240 * 250, abs=0.05)


def test_ilc_h20_shares_and_clic_split():
    ilc = COL.MODES["ilc_250"].polarisations
    assert sum(s for *_, s in ilc) == pytest.approx(1.0) and {(p, q) for p, q, _ in ilc} == {
        (-0.8, 0.3), (0.8, -0.3), (-0.8, -0.3), (0.8, 0.3)}
    assert COL.MODES["clic_380"].polarisations == ((-0.8, 0.0, 0.5), (0.8, 0.0, 0.5))


def test_identical_configurations_combine_to_the_unpolarised_rule():
    """sum_i S_i^2/B_i over two halves of one unpolarised data set is S^2/B of the whole."""
    e = X.get("cepc_h")
    half = e.with_(configurations=((0.0, 0.0, e.luminosity / 2, e.background), (0.0, 0.0, e.luminosity / 2,
                                                                                  e.background)))
    m = np.array([5.0, 50.0, 150.0])
    a, b = L.rate_coefficients(e, m, "IV"), L.rate_coefficients(half, m, "IV")
    assert np.allclose(a.C, b.C, rtol=1e-12) and a.bound == b.bound


def test_a_configuration_with_four_times_the_background_counts_a_quarter():
    """S^2/B is additive: a second data set of the same size with 4x the background adds a quarter of the first's
    S^2/B, so C_eff^2 = C^2 (1/2)(1 + 1/4) relative to the luminosity-weighted mean background (2.5 B)."""
    e = X.get("cepc_h")
    B, Lum = e.background, e.luminosity
    two = e.with_(background=2.5 * B, configurations=((0.0, 0.0, Lum / 2, B), (0.0, 0.0, Lum / 2, 4 * B)))
    m = np.array([20.0])
    c1 = L.rate_coefficients(e, m, "II")
    c2 = L.rate_coefficients(two, m, "II")
    # excluded where x^2 sum_i L_i C^2 / B_i > crit: sum = (L/2)(C^2/B)(1 + 1/4)
    x1 = c1.bound / c1.C[0]
    x2 = c2.bound / c2.C[0]
    assert (x2 / x1) ** 2 == pytest.approx(1 / ((1 + 0.25) / 2), rel=1e-12)


def test_polarised_projection_refuses_single_options():
    e = X.get("ilc_250")
    assert e.configurations is not None and len(e.configurations) == 4
    with pytest.raises(ValueError, match="beam configurations"):
        L.rate_coefficients(e, np.array([10.0]), "II", beams=(-0.8, 0.3))
    with pytest.raises(ValueError, match="polarised"):
        PJ.experiment("ilc_250", background=1e-3)


def test_polarised_backgrounds_follow_the_helicity_weights():
    """The ILC background of each configuration is the helicity-weighted sum of the same events: (-80 %, +30 %)
    beams enhance the nu_e W exchange, (+80 %, -30 %) suppress it."""
    lr = PJ.background_after("ilc_250", polarisation=(-1.0, 1.0))[0]
    rl = PJ.background_after("ilc_250", polarisation=(1.0, -1.0))[0]
    for pm, pp, _, bkg in X.get("ilc_250").configurations:
        w_lr, w_rl = (1 - pm) * (1 + pp) / 4, (1 + pm) * (1 - pp) / 4
        assert bkg == pytest.approx(w_lr * lr + w_rl * rl, rel=1e-10)
    # the Z alone would give LR/RL = (g_L/g_R)^2 = 1.54; the nu_e W exchange (LR only, interfering constructively,
    # the Fermi limit g_L -> g_L + 1) raises it
    from helpers import sm

    gL, gR = sm.z_chiral_couplings(-0.5, -1.0, sm.SIN2_THETA_W)
    assert math.isfinite(lr) and lr / rl > 1.2 * (gL / gR) ** 2


def test_cls_without_systematics_is_the_s2b_rule_times_1_96_over_1_645():
    """One bin, no systematics, large background (the CEPC H mode: ~6e4 events): the CLs median expected limit
    excludes sqrt(B) * Phi^-1(0.975) = 1.960 sqrt(B) signal events, the paper's rule sqrt(2.71 B) = 1.645 sqrt(B), so
    the excluded x = d^2 P_decay differs by 1.960/1.645 = 1.1915 at every mass (asymptotic formulas, B >> 1)."""
    from scipy.optimize import brentq

    m = np.array([5.0, 50.0, 150.0])
    e = X.get("cepc_h")
    s2b = L.rate_coefficients(e, m, "II")
    cls = PJ.cls_coefficients("cepc_h", m, "II")
    x_s2b, x_cls = s2b.bound / s2b.C, cls.bound / cls.C
    B = e.background * e.luminosity
    # the Asimov median expected limit of one Poisson bin: 2 [S - B ln(1 + S/B)] = Phi^-1(0.975)^2 (1.0027 x 1.96 sqrt(B)
    # here: the first correction, S/(3B), of a finite count)
    S = brentq(lambda x: 2 * (x - B * math.log1p(x / B)) - 1.959964**2, 1.0, 10 * math.sqrt(B))
    assert np.allclose(x_cls / x_s2b, S / math.sqrt(2.71 * B), rtol=1e-4)
    assert S / math.sqrt(2.71 * B) == pytest.approx(1.959964 / math.sqrt(2.71), rel=4e-3)
    assert np.array_equal(s2b.kappa, cls.kappa)


def test_background_systematic_weakens_the_z_pole_most():
    """At the Z pole the background after cuts is ~1.5e5 events at FCC-ee: a 1 % normalisation uncertainty is
    delta B ~ 1.5e3 >> sqrt(B) ~ 390, so the excluded signal grows ~4x; at 240 GeV (B ~ 3e4, sqrt(B) ~ 180 vs
    delta B ~ 300) it grows less."""
    m = np.array([20.0])
    ratio = {}
    for mode in ("fccee_z", "fccee_zh"):
        a = PJ.cls_coefficients(mode, m, "II")
        b = PJ.cls_coefficients(mode, m, "II", bkg_uncertainty=0.01)
        ratio[mode] = float((b.bound / b.C)[0] / (a.bound / a.C)[0])
    e = X.get("fccee_z")
    B = e.background * e.luminosity
    assert ratio["fccee_z"] == pytest.approx(math.sqrt(B + (0.01 * B) ** 2) / math.sqrt(B), rel=0.03)
    assert 1 < ratio["fccee_zh"] < ratio["fccee_z"]


def test_energy_bins_share_the_background_equally():
    bins = PJ.energy_bins("cepc_h", 4)
    assert bins[0][0] == 100.0 and bins[-1][1] == 120.0 and len(bins) == 4
    sel = PJ.cuts("cepc_h")
    parts = [PJ.background_in("cepc_h", PJ._with_energy_window(sel, lo, hi)) for lo, hi in bins]
    total = PJ.background_after("cepc_h")[0]
    assert sum(parts) == pytest.approx(total, rel=1e-9)
    assert np.allclose(parts, total / 4, rtol=0.02)


# --- the photon energy resolution --------------------------------------------------------------------------------

from helpers.selection import EnergyResolution, PhotonCuts, SmearedCuts  # noqa: E402


def test_resolution_formula_and_determinism():
    r = EnergyResolution(0.15, 0.01)
    assert float(r.sigma(100.0)) == pytest.approx(100 * math.hypot(0.15 / 10, 0.01), rel=1e-12)
    E = np.full(200_000, 100.0)
    a, b = r.smear(E), r.smear(E)
    assert np.array_equal(a, b)  # the same photons are smeared the same way
    assert abs(a.mean() - 100.0) < 5 * r.sigma(100.0) / math.sqrt(E.size)
    assert np.std(a) == pytest.approx(float(r.sigma(100.0)), rel=0.01)
    with pytest.raises(ValueError, match="stochastic"):
        EnergyResolution(1.5)


def test_no_resolution_is_the_true_energy():
    E = np.linspace(1, 120, 1000)
    c, pt = np.zeros_like(E), E.copy()
    plain = PhotonCuts(E_min=50.0, pt_min=60.0)
    assert np.array_equal(SmearedCuts(E_min=50.0, pt_min=60.0).passes(E, c, pt, 240.0), plain.passes(E, c, pt, 240.0))
    tiny = SmearedCuts(E_min=50.0, pt_min=60.0, resolution=EnergyResolution(1e-9))
    assert np.array_equal(tiny.passes(E, c, pt, 240.0), plain.passes(E, c, pt, 240.0))


def test_resolution_leaks_the_z_return_through_the_veto():
    """The Z-return veto is E_gamma^Z +- 5 Gamma_gamma^Z, with Gamma_gamma^Z = M_Z Gamma_Z / sqrt(s) = 0.95 GeV at
    240 GeV; the ECAL resolution there is ~1.8 GeV, so Z-return photons are measured outside the window and pass.
    The extra background must come from photons whose true energy lies inside the veto window."""
    m = PJ._col.get("cepc_h")
    res = EnergyResolution(*m.photon_resolution)
    nominal = PJ.background_after(m)[0]
    smeared = PJ.background_after(m, resolution=res)[0]
    assert smeared > 1.5 * nominal
    margin = 5 * float(res.sigma(m.pt_min))
    ev = PJ.background_events(m.key, "advanced", margin=margin)
    lo, hi = PJ.veto_window(m)
    inside = (ev.E > lo) & (ev.E < hi)
    passed = PJ.cuts(m, resolution=res).passes(ev.E, ev.cos, ev.pt, m.sqrt_s)
    leaked = float(np.sum(ev.weight * (passed & inside)))
    assert leaked > 0.8 * (smeared - nominal)
