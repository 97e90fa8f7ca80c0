"""External constraints (helpers.landscape): units, sentinels, records, DONUT cross-check."""

import math

import numpy as np
import pytest

from helpers import landscape as L
from helpers import sm


# (a) the mu_B -> d convention reproduces the DONUT number quoted in the paper
def test_donut_moment_converts_to_the_paper_value():
    # DONUT, hep-ex/0102026: mu(nu_tau) < 3.9e-7 mu_B (90% CL); the paper quotes d < 5.8e-5 GeV^-1
    assert L.mu_B_to_d(3.9e-7) == pytest.approx(5.8e-5, rel=0.02)


def test_donut_file_gives_the_paper_value_below_300_MeV():
    # The DONUT file is already in GeV^-1 (no conversion applied); the flat part below the
    # 0.3 GeV wall must be the paper's 5.8e-5 GeV^-1.
    cur = L.load("donut")
    assert L.get("donut").value_unit == "d_GeVinv"
    m = np.geomspace(cur.m_GeV[0], 0.29, 50)
    d = L.loglog_interp(m, cur.m_GeV, cur.d_low)
    assert np.all(np.abs(d / 5.8e-5 - 1) < 0.05)
    # ... and, converted back, the DONUT moment 3.9e-7 mu_B (digitisation: ~1 %)
    assert L.d_to_mu_B(np.median(d)) == pytest.approx(3.9e-7, rel=0.05)
    # above the wall near 0.3 GeV nothing is excluded any more
    assert cur.m_GeV[-1] == pytest.approx(0.30, rel=0.01)
    assert not L.excluded("donut", 0.35, 1e-4)
    assert L.excluded("donut", 0.1, 1e-4) and not L.excluded("donut", 0.1, 5e-5)


# (b) mu_B = e / (2 m_e) in GeV^-1
def test_bohr_magneton_in_inverse_GeV():
    assert L.MU_B_GEVINV == pytest.approx(296.30, rel=1e-3)
    # not a typed number: it follows from alpha(0) and m_e, which are the SM inputs of helpers.sm (one home)
    assert L.MU_B_GEVINV == pytest.approx(math.sqrt(4 * math.pi * sm.ALPHA_0) / (2 * sm.M_E), rel=1e-15)
    assert (L.ALPHA_0, L.M_E_GEV, L.FLAVOURS) == (sm.ALPHA_0, sm.M_E, sm.FLAVOURS)


# (c) MeV files come back in GeV
def test_mev_files_are_converted_to_GeV():
    mev = [c.key for c in L.CURVES if c.mass_unit == "MeV"]
    assert set(mev) == {"sn1987a", "lep_magill", "minerva"}
    sn = L.load("sn1987a").m_GeV
    assert 1e-6 < sn.min() < 1e-4 and 0.2 < sn.max() < 1.0  # 10 keV ... 310 MeV
    lep = L.load("lep_magill").m_GeV
    assert 1e-3 <= lep.min() < 2e-3 and 80.0 < lep.max() < 91.1876  # up to just below M_Z
    minerva = L.load("minerva").m_GeV
    assert minerva.min() == pytest.approx(0.01) and 0.8 < minerva.max() < 0.9


def test_sn1987a_band_is_converted_from_mu_B():
    cur = L.load("sn1987a")
    assert np.all(cur.d_high >= cur.d_low)
    # the raw bottom edge at 10 keV is 5.4e-13 mu_B
    assert cur.d_low[0] == pytest.approx(L.mu_B_to_d(5.401829369983898e-13), rel=1e-12)
    assert 1e-11 < cur.d_low.min() and cur.d_high.max() < 1e-7


# (d) sentinels
def test_sentinel_rule_on_a_toy_curve():
    m = np.array([1.0, 2.0, 3.0, 3.001, 3.002])
    v = np.array([1e-6, 2e-6, 4e-4, 1e-3, 1.0])
    m2, v2 = L.strip_sentinels(m, v)
    assert list(v2) == [1e-6, 2e-6, 4e-4]
    # a round value reached smoothly is a genuine point
    m3, v3 = L.strip_sentinels(np.array([1.0, 1.05]), np.array([9.5e-6, 1e-5]))
    assert len(m3) == 2


EXPECTED_STRIPPED = {
    "Borexino_d.dat": [1e-3],
    "Xenon1T_d.dat": [1e-3, 1e-2],
    "LEPgz_d.dat": [1.0],
    "Borexino_SK_d.dat": [1e-3, 0.1],
    "e/LSND_de.dat": [1e-3, 0.1],
    "mu/CHARMII_dmu.dat": [1e-3, 1.0],
    "mu/MiniBooNE_dmu.dat": [1e-3],
    "tau/DONUT_dtau.dat": [1e-3],
}


@pytest.mark.parametrize("c", L.CURVES, ids=lambda c: c.key)
def test_no_sentinel_survives(c):
    for f in c.files:
        m, v = L.read_raw(f)
        m2, v2 = L.strip_sentinels(m, v)
        assert list(v[len(v2):]) == EXPECTED_STRIPPED.get(f, [])
        assert L.strip_sentinels(m2, v2)[0].size == m2.size  # idempotent
    cur = L.load(c.key)
    sentinels_d = [1e-3, 1e-2, 0.1, 1.0]
    if c.value_unit == "d_GeVinv":
        assert not np.isin(cur.d_low, sentinels_d).any()
        assert not np.isin(cur.d_high, sentinels_d).any()


def test_minerva_round_endpoint_is_kept():
    m, v = L.read_raw("mu/MINERvA_RHC_nominal_d_tauN_0.dat")
    assert v[-1] == 1e-5 and L.load("minerva").d_low[-1] == 1e-5


# (e) every record's files exist and load
@pytest.mark.parametrize("c", L.CURVES, ids=lambda c: c.key)
def test_records_are_consistent_and_load(c):
    assert c.kind in L.KINDS and c.value_unit in L.VALUE_UNITS and c.mass_unit in L.MASS_UNITS
    assert c.cl in (90, 95) and f"{c.cl}% CL" in c.label
    assert set(c.flavours) <= set(L.FLAVOURS) and c.flavours
    assert len(c.files) == 1 if c.kind == "upper" else len(c.files) in (1, 2)
    for f in c.files:
        assert (L.DATA_DIR / f).is_file()
    cur = L.load(c.key)
    assert cur.key == c.key and cur.record is c
    assert cur.m_GeV.shape == cur.d_low.shape == cur.d_high.shape and cur.m_GeV.size >= 2
    assert np.all(np.diff(cur.m_GeV) >= 0)
    assert np.all(np.isfinite(cur.d_low)) and np.all(cur.d_low > 0)
    assert np.all(cur.d_high >= cur.d_low)
    assert np.all(np.isinf(cur.d_high)) == (c.kind == "upper")
    assert 1e-12 < cur.d_low.min() and cur.d_low.max() < 1.0
    assert not cur.m_GeV.flags.writeable  # the cache cannot be corrupted


def test_cl_and_units_follow_the_file_headers():
    for c in L.CURVES:
        for f in c.files:
            header = (L.DATA_DIR / f).read_text().splitlines()[0]
            assert f"{c.cl}%CL" in header.replace(" ", "")
            assert f"[{c.mass_unit}]" in header or f"({c.mass_unit})" in header
            value_tags = ("mu_B",) if c.value_unit == "mu_B" else ("1/GeV", "GeV^-1")
            assert any(t in header for t in value_tags)


def test_paper_curves_per_flavour():
    universal = {"borexino", "xenon1t", "sn1987a", "lep_magill"}
    expected = {"e": universal | {"lsnd"}, "mu": universal | {"charm2", "miniboone", "nomad"},
                "tau": universal | {"donut"}}
    for fl, keys in expected.items():
        assert {c.key for c in L.for_flavour(fl, in_paper_only=True)} == keys
    assert {c.key for c in L.for_flavour("mu")} == expected["mu"] | {"borexino_sk", "minerva", "sk_atm_mu"}
    assert len(L.keys()) == len(set(L.keys())) == 14


def test_bands():
    assert L.excluded("sn1987a", 0.05, 1e-9) and not L.excluded("sn1987a", 0.05, 1e-6)
    assert not L.excluded("sn1987a", 0.05, 1e-12) and not L.excluded("sn1987a", 0.5, 1e-9)
    assert L.excluded("nomad", 1.0, 1e-5) and not L.excluded("nomad", 1.0, 1e-4)
    # Super-K atmospheric: the nose of the e and mu outlines
    assert L.excluded("sk_atm_mu", 0.08, 2e-6) and not L.excluded("sk_atm_mu", 0.08, 6e-6)
    assert L.excluded("sk_atm_e", 0.02, 2e-6)
    got = L.excluded("sk_atm_tau", np.array([0.02, 0.02, 0.02]), np.array([3e-7, 2e-6, 2e-5]))
    assert list(got) == [False, True, False]


# (f) bad input
def test_bad_key_and_flavour_raise():
    with pytest.raises(ValueError, match="borexino"):
        L.load("borexin")
    with pytest.raises(ValueError, match="allowed"):
        L.get("nope")
    with pytest.raises(ValueError, match="mu"):
        L.for_flavour("muon")
    with pytest.raises(ValueError):
        L.excluded("lep", 1.0, 1e-4)


# (g) round trip
def test_round_trip():
    x = np.geomspace(1e-14, 1e-4, 11)
    assert np.allclose(L.d_to_mu_B(L.mu_B_to_d(x)), x, rtol=1e-14, atol=0)
    assert L.mu_B_to_d(L.d_to_mu_B(5.8e-5)) == pytest.approx(5.8e-5, rel=1e-14)
