"""The Reading record: every choice in one place, validated, and acting where it says."""

import numpy as np
import pytest

from helpers import experiments as X
from helpers import limits as L
from helpers import production as P
from helpers.reading import DERIVED, PAPER_STATED, Reading
from helpers.validation import PRINTED_EQUATIONS, convention


def test_the_derived_reading_is_every_default_of_the_solver():
    """DERIVED must reproduce rate_coefficients' defaults exactly (the book's curves)."""
    exp = X.get("lep1_opal")
    m = np.array([5.0, 40.0])
    plain = L.rate_coefficients(exp, m, "II", flavour="e")
    via = L.rate_coefficients(DERIVED.experiment(exp), m, "II", flavour="e", **DERIVED.options())
    assert np.array_equal(plain.C, via.C) and np.array_equal(plain.kappa, via.kappa)


def test_the_paper_reading_is_the_printed_convention():
    """PAPER_STATED's options reproduce the old flags convention='as_printed', photon_model='paper',
    double_br=True, pieces without the s-t interference."""
    opts = PAPER_STATED.options()
    assert opts["convention"] == "as_printed" and opts["photon_model"] == "paper" and opts["double_br"]
    assert tuple(opts["pieces"]) == P.NO_ST_INTERFERENCE


@pytest.mark.parametrize("bad, match", [
    (dict(printed=("eq9",)), "printed equations"),
    (dict(printed="eq8"), "tuple"),
    (dict(photon_model="flat"), "photon_model"),
    (dict(charge="Nbar"), "charge"),
    (dict(z_charges=3), "z_charges"),
    (dict(delphi_chi2=float("nan")), "delphi_chi2"),
    (dict(efficiency="half"), "efficiency"),
    (dict(background_scheme="msbar"), "scheme"),
    (dict(double_br="yes"), "double_br"),
    (dict(cepc_length=-1.0), "cepc_length"),
    (dict(name=""), "name"),
])
def test_bad_choices_raise(bad, match):
    with pytest.raises(ValueError, match=match):
        Reading(**bad)


def test_printed_equations_are_kept_in_canonical_order():
    r = Reading(printed=("eq19", "eq8"))
    assert r.printed == ("eq8", "eq19") and r.convention == ("eq8", "eq19")
    assert Reading(printed=PRINTED_EQUATIONS).convention == "as_printed" and DERIVED.convention == "derived"


def test_one_printed_equation_changes_only_its_piece():
    """convention=('eq11',) replaces sigma^Z by Eq. (11) as printed and leaves every other piece derived."""
    args = (205.4, 50.0, 1e-5, 1.0)
    derived = P.sigma(*args, by_piece=True)
    printed = P.sigma(*args, by_piece=True, convention="as_printed")
    only11 = P.sigma(*args, by_piece=True, convention=("eq11",))
    assert only11["Z"] == pytest.approx(printed["Z"], rel=1e-12)
    for k in ("gamma", "gammaZ", "W", "gammaW", "ZW"):
        assert only11[k] == pytest.approx(derived[k], rel=1e-12)
    assert not np.isclose(only11["Z"], derived["Z"], rtol=1e-3)


def test_no_st_alone_drops_the_interference_pieces_only():
    args = (205.4, 50.0, 1e-5, 1.0)
    derived = P.sigma(*args, by_piece=True)
    no_st = P.sigma(*args, by_piece=True, convention=("no_st",))
    assert no_st["gammaW"] == 0 and no_st["ZW"] == 0 and no_st["W"] == pytest.approx(derived["W"], rel=1e-12)


def test_convention_validation():
    assert convention(["eq13", "eq11"]) == ("eq11", "eq13")
    assert convention(()) == "derived"
    with pytest.raises(ValueError, match="printed equations"):
        convention(("eq10",))
    with pytest.raises(ValueError, match="convention"):
        convention(3)


def test_reading_changes_the_experiment_where_it_says():
    r = Reading(z_charges=1, delphi_chi2=2.71, efficiency="none", lep_length=2.0)
    delphi = r.experiment(X.get("lep2_delphi"))
    assert delphi.chi2_crit == 2.71 and delphi.efficiency == 1.0 and delphi.detector_length == 2.0
    assert r.experiment(X.get("l3_zgamma")).z_charges == 1
    # a smaller chi^2 threshold allows less signal: DELPHI's bound gets stronger
    assert delphi.max_signal < X.get("lep2_delphi").max_signal


def test_one_charge_state_halves_the_monophoton_rate():
    exp = X.get("lep1_opal")
    both = L.rate_coefficients(exp, 30.0, "III", flavour="mu")
    one = L.rate_coefficients(exp, 30.0, "III", flavour="mu", charge="N")
    assert one.C[0] == pytest.approx(both.C[0] / 2, rel=0.02)  # acceptance of N alone vs N + N-bar: same for mu


def test_describe_and_header():
    assert DERIVED.describe() == "as derived physics"
    assert "Eq. (11)" in PAPER_STATED.describe() and "double_br = True" in PAPER_STATED.describe()
    assert PAPER_STATED.header()[0] == "reading: the paper's stated method"


def test_curves_take_a_reading_and_refuse_it_with_single_options():
    from helpers import curves as K

    m = np.array([5.0, 30.0])
    _, lo, _ = K.curve_vs_mass("lep1_opal", "II", "e", masses=m, reading=PAPER_STATED)
    ref, _ = L.limit_band(PAPER_STATED.experiment(X.get("lep1_opal")), m, "II", flavour="e",
                          **PAPER_STATED.options())
    assert np.array_equal(lo, ref)
    with pytest.raises(ValueError, match="either a reading"):
        K.curve_vs_mass("lep1_opal", "II", "e", masses=m, reading=PAPER_STATED, photon_model="exact")


def test_alpha_scales_the_production_and_nothing_else():
    """Every production piece is proportional to alpha at fixed sin^2(theta_w); Z decays do not involve it."""
    from helpers import sm

    m = np.array([5.0, 60.0])
    opal = X.get("lep1_opal")
    base = L.rate_coefficients(opal, m, "IV", flavour="e")
    low = L.rate_coefficients(opal, m, "IV", flavour="e", alpha=sm.ALPHA_0)
    assert np.allclose(low.C / base.C, sm.ALPHA_0 / sm.ALPHA, rtol=1e-12)
    assert np.array_equal(low.kappa, base.kappa)
    l3 = X.get("l3_zgamma")
    assert np.array_equal(L.rate_coefficients(l3, m, "IV", flavour="e", alpha=sm.ALPHA_0).C,
                          L.rate_coefficients(l3, m, "IV", flavour="e").C)
    assert Reading(alpha="0").options()["alpha"] == sm.ALPHA_0 and DERIVED.options()["alpha"] is None
    with pytest.raises(ValueError, match="alpha"):
        Reading(alpha="1/137")
