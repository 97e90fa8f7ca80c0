"""The scorecard: every quoted result is computed, and the book's derived physics stays within stated factors of
the paper (the verdicts of the scorecard chapter), so that a regression shows."""

import math

import numpy as np
import pytest

from helpers import paper
from helpers import scorecard as SC
from helpers.reading import DERIVED, PAPER_STATED, Reading

#: the largest factor between the book (derived physics, book grids) and the paper that each quoted number may
#: reach: 1.25 where the book agrees, 2 where it is close, and for the numbers that differ the factor the
#: scorecard chapter reports, with room for Monte Carlo and grid noise, and the reason
TOLERANCE = {
    "opal_range_a_pos.low": 1.5, "delphi_range_e.high": 1.3, "delphi_range_mu.low": 1.25,
    "delphi_range_mu.high": 1.25, "lep1_over_lep2": 1.3, "min_de_lep_III": 1.25, "nomad_cross_I": 1.3,
    "nomad_cross_II": 1.3, "nomad_cross_IV": 1.3, "delphi_new_mu_III": 1.3, "lep2_beats_donut_III": 1.3,
    "l3_leads_tau_II_IV": 1.5, "l3_leads_tau_II_IV@IV": 1.5, "l3_leads_tau_I": 1.6,
    "cepc_z_vs_lep1": 1.3, "min_de_cepc_II": 1.5, "cepc_over_lep_II": 1.6, "min_de_lep_II": 1.7,
    "delphi_range_e.low": 2.0, "min_de_cepc_III": 1.7, "cepc_h_range_e.high": 1.8, "cepc_h_range_mu.low": 1.8,
    "cepc_h_range_mu.high": 1.5, "z_mode_gain_mu": 1.7, "cepc_new_mu_other@II": 1.3, "cepc_new_mu_other@IV": 1.3,
    # differ: the interference peak at a = 2 tan(theta_w) (OPAL top end), the book's background (CEPC), the
    # definitions of "new ground" on a grid (crossing masses)
    "opal_range_a_pos.high": 2.5, "cepc_z_range_a_pos.low": 2.5, "cepc_z_range_a_pos.high": 4.0,
    "cepc_h_range_e.low": 4.5, "z_mode_gain_e": 6.0, "cepc_new_mu_III": 5.0, "cepc_new_mu_other": 3.0,
    "cepc_new_tau": 30.0,
}


@pytest.fixture(scope="module")
def numbers():
    return SC.quoted_numbers()


def test_every_quoted_result_is_computed(numbers):
    assert {n.key.split(".")[0].split("@")[0] for n in numbers} == set(paper.RESULTS)


def test_every_scored_number_has_a_tolerance_and_keeps_it(numbers):
    scored = {n.key: n for n in numbers if n.scored}
    assert set(scored) == set(TOLERANCE)
    for key, n in scored.items():
        assert np.isfinite(n.ratio), key
        assert max(n.ratio, 1 / n.ratio) <= TOLERANCE[key], (key, n.ratio)


def test_model_and_external_numbers(numbers):
    by = {n.key: n for n in numbers}
    assert by["singular_a"].book == pytest.approx(-3.73, abs=0.01)  # -2 cot(theta_w), on-shell
    assert by["donut_d"].ratio == pytest.approx(1, abs=0.02)  # the digitised DONUT curve is the quoted value


def test_score_is_the_rms_of_log_ratios():
    nums = [SC.Number("a", 1.0, 10.0, "LEP", ""), SC.Number("b", 1.0, 0.1, "CEPC", ""),
            SC.Number("c", 2.0, float("nan"), "CEPC", ""), SC.Number("d", 1.0, 1e6, "model/external", "", False)]
    s = SC.score(nums)
    assert s["LEP"] == pytest.approx(1.0) and s["CEPC"] == pytest.approx(1.0)  # NaN counts as a factor 10
    assert s["all"] == pytest.approx(1.0)
    assert [SC.verdict(n) for n in nums] == ["differs", "differs", "not reproduced", "shown"]
    assert SC.verdict(SC.Number("e", 1.0, 1.2, "LEP", "")) == "agrees"
    assert SC.verdict(SC.Number("f", 1.0, 0.6, "LEP", "")) == "close"


def test_set_choice_changes_one_thing():
    r = SC.set_choice(DERIVED, "eq11", True)
    assert r.printed == ("eq11",) and r.differences() == {"printed": ("eq11",)}
    assert SC.get_choice(SC.set_choice(r, "eq11", False), "eq11") is False
    assert SC.set_choice(DERIVED, "photon_model", "paper").differences() == {"photon_model": "paper"}
    with pytest.raises(ValueError, match="dimension"):
        SC.set_choice(DERIVED, "sin2w", 0.23)


def test_double_counting_br_weakens_every_bound_with_a_photon():
    """Br <= 1, so counting it twice can only lower the rate: every monophoton bound gets weaker (or stays)."""
    base = {n.key: n.book for n in SC.quoted_numbers(DERIVED, SC.FAST)}
    twice = {n.key: n.book for n in SC.quoted_numbers(Reading(double_br=True), SC.FAST)}
    for key in ("opal_range_a_pos.low", "delphi_range_e.low", "cepc_h_range_mu.low", "min_de_cepc_III"):
        assert twice[key] >= base[key] * (1 - 1e-9), key
    assert math.isfinite(SC.evaluate(PAPER_STATED)["all"])


def test_the_cached_numbers_are_the_computed_ones(tmp_path, monkeypatch):
    """quoted_numbers is cached as a whole: what it returns is what the computation gives (every field, every
    type), and its key follows the digitised constraints it reads (a changed file is another entry)."""
    import shutil

    from helpers import landscape as LS

    cached = SC.quoted_numbers(PAPER_STATED, SC.FAST)
    fresh = SC._quoted_numbers(PAPER_STATED, SC.FAST)
    assert [n.key for n in cached] == [n.key for n in fresh]
    for c, f in zip(cached, fresh):
        assert (c.paper, c.group, c.definition, c.scored) == (f.paper, f.group, f.definition, f.scored)
        assert c.book == f.book or (math.isnan(c.book) and math.isnan(f.book))
        assert type(c.scored) is bool and type(c.key) is str
    before = LS.fingerprint()
    copy = tmp_path / "landscape"
    shutil.copytree(LS.DATA_DIR, copy)
    monkeypatch.setattr(LS, "DATA_DIR", copy)
    assert LS.fingerprint() == before
    first = sorted(copy.rglob("*.dat"))[0]
    first.write_text(first.read_text() + "\n# changed\n")
    assert LS.fingerprint() != before
