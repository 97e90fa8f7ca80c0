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


# --- the weak-angle scheme --------------------------------------------------------------------------------

MSBAR = 0.23121  # PDG 2022 s-hat^2(M_Z), typed here independently of helpers.sm


def test_weak_angle_reading_passes_its_value_and_validates():
    assert DERIVED.options()["sin2w"] is None
    assert Reading(weak_angle="msbar").options()["sin2w"] == MSBAR
    with pytest.raises(ValueError, match="weak_angle"):
        Reading(weak_angle="0.23")


def test_table_one_holds_at_the_msbar_angle():
    """Table I of the paper at sin^2 = 0.23121: scenario II d_Z = d_gamma cot, d_W = sqrt(2) d_gamma / sin;
    scenario III (a = 2 tan) has d_Z = 0; the singular point is -2 cot = -3.647 (on-shell: -3.733)."""
    from helpers import couplings as C

    s, c = np.sqrt(MSBAR), np.sqrt(1 - MSBAR)
    rz, rw = C.coupling_ratios("II", sin2w=MSBAR)
    assert float(rz) == pytest.approx(c / s, rel=1e-12) and float(rw) == pytest.approx(np.sqrt(2) / s, rel=1e-12)
    rz3, rw3 = C.coupling_ratios("III", sin2w=MSBAR)
    assert abs(float(rz3)) < 1e-12 and float(rw3) == pytest.approx(np.sqrt(2) * s, rel=1e-12)
    assert C.a_pole(MSBAR) == pytest.approx(-2 * c / s, rel=1e-14)
    assert C.at_pole(-2 * c / s, sin2w=MSBAR) and not C.at_pole(-2 * c / s)
    with pytest.raises(ValueError, match="sin2w"):
        C.coupling_ratios("II", sin2w=1.2)


def test_sin2w_moves_each_production_piece_as_its_couplings_say():
    """At fixed d_gamma, d_Z, d_W: the photon piece has no weak angle; the Z piece goes as
    (g_L^2 + g_R^2)/(s_w^2 c_w^2) (g_L = -1/2 + s_w^2, g_R = s_w^2); the W piece as g^2 = e^2/s_w^2."""
    from helpers import sm

    args = (91.2, 10.0, 1e-6, 1e-6, 1e-6)
    on = P.sigma_explicit(*args)
    ms = P.sigma_explicit(*args, sin2w=MSBAR)

    def z(x):
        return ((x - 0.5) ** 2 + x**2) / (x * (1 - x))

    assert ms["gamma"] == pytest.approx(on["gamma"], rel=1e-13)
    assert ms["Z"] / on["Z"] == pytest.approx(z(MSBAR) / z(sm.SIN2_THETA_W), rel=1e-12)
    assert ms["W"] / on["W"] == pytest.approx(sm.SIN2_THETA_W / MSBAR, rel=1e-12)


def test_the_singular_point_moves_with_the_weak_angle_in_the_solver():
    """At the MS-bar singular point the solver takes the pole limit (prompt decay) only with the MS-bar angle."""
    from helpers import couplings as C

    exp = X.get("lep1_opal")
    a = np.array([C.a_pole(MSBAR)])
    assert np.isinf(L.rate_coefficients(exp, np.array([10.0]), a, sin2w=MSBAR).kappa).all()
    assert np.isfinite(L.rate_coefficients(exp, np.array([10.0]), a).kappa).all()


@pytest.mark.parametrize("sin2w", [None, MSBAR])
def test_z_gamma_invisible_at_dz_zero_gives_no_bound_not_an_error(sin2w):
    """Scenario III (a = 2 tan(theta_w)) has d_Z = 0: no N from Z decays, so Z -> gamma + invisible excludes nothing
    (and the photon acceptance of N from Z decays, an angular shape of nothing, must not turn into NaN)."""
    from helpers import couplings as C
    from helpers import signal as S

    m = np.array([1.0, 10.0, 60.0])
    low, high = L.limit_band(X.get("l3_zgamma"), m, "III", sin2w=sin2w)
    assert np.all(np.isnan(low)) and np.all(np.isnan(high))
    a = np.array([C.scenario_a_value("III", sin2w)])
    acc = S.acceptance(91.1876, m, a, pieces=("Z",), sin2w=sin2w)
    assert np.all(np.isfinite(acc.value))
