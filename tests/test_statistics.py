"""Expected CLs limits (helpers.statistics) against what the statistics says independently of the code: the asymptotic
CLs median 1.960 sqrt(B), the Asimov Poisson formula, errors added in quadrature, additive bins, and the paper's
S^2/B rule."""

import functools
import math

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import norm

from helpers import statistics as ST

Z95 = norm.ppf(0.975)  # 1.960: CLs median expected limit at 95 % CL, sqrt(q_A) = Phi^-1(1 - 0.05/2)
Z90_ONE_SIDED = norm.ppf(0.95)  # 1.645 = sqrt(2.71)


@functools.cache
def excluded(signal: tuple, background: tuple, bkg: float = 0.0, lumi: float = 0.0, cl: float = 0.95) -> float:
    """excluded_signal, computed once per input (several tests share the same limits)."""
    return ST.excluded_signal(list(signal), list(background), bkg_uncertainty=bkg, lumi_uncertainty=lumi, cl=cl)


def test_large_background_is_1p96_sqrt_b():
    """B = 1e6, no systematics: S_up = Phi^-1(0.975) sqrt(B), and 1.960/1.645 times the paper's S^2/B = 2.71 rule."""
    B = 1e6
    S = excluded((1.0,), (B,))
    assert S / math.sqrt(B) == pytest.approx(Z95, rel=0.01)
    assert S / ST.s2b_signal(B) == pytest.approx(1.96 / 1.645, rel=0.01)


def test_paper_rule_is_the_cls_limit_at_90_percent():
    """sqrt(2.71) = Phi^-1(0.95) = Phi^-1(1 - 0.10/2): the paper's rule is numerically the 90 % CL CLs median limit."""
    assert math.sqrt(2.71) == pytest.approx(Z90_ONE_SIDED, rel=2e-3)
    assert excluded((1.0,), (1e6,), cl=0.90) == pytest.approx(ST.s2b_signal(1e6), rel=0.01)


@pytest.mark.parametrize("B", [0.1, 1.0, 10.0, 1e3, 1e7])
def test_single_bin_matches_the_asimov_poisson_formula(B):
    """One bin, Asimov data n = B: qtilde_A(S) = 2 [S - B ln(1 + S/B)] (the Poisson likelihood ratio written out), and
    the median expected limit solves qtilde_A = 1.960^2, from a tenth of an event to 1e7 events."""
    exact = brentq(lambda S: 2 * (S - B * math.log1p(S / B)) - Z95**2, 1e-6, 1e9, rtol=1e-12)
    assert excluded((1.0,), (B,)) == pytest.approx(exact, rel=1e-5)


def test_stat_only_limit_grows_as_sqrt_b():
    assert excluded((1.0,), (1e6,)) / excluded((1.0,), (1e4,)) == pytest.approx(10.0, rel=0.01)


def test_limit_is_independent_of_the_signal_normalisation():
    """mu_up scales inversely with the signal, mu_up * sum(signal) does not (signals from 1e-6 to 1e9 events)."""
    shape = np.array([1.0, 3.0, 0.5])
    bkg = [1e2, 1e4, 10.0]
    ref = ST.excluded_signal(shape, bkg, bkg_uncertainty=0.02)
    for norm_ in (1e-6, 1e9):
        mu = ST.expected_upper_limit(norm_ * shape, bkg, bkg_uncertainty=0.02)
        assert isinstance(mu, float)
        assert mu * norm_ * shape.sum() == pytest.approx(ref, rel=1e-5)


def test_background_systematic_adds_in_quadrature():
    """B = 1e6: delta = 1 % (delta B = 10 sqrt(B)) gives 1.960 sqrt(B + (delta B)^2), ~10 x the stat-only limit;
    delta = 0.1 % (delta B = sqrt(B)) gives sqrt(2) x the stat-only limit, the same estimate."""
    B = 1e6
    stat = excluded((1.0,), (B,))
    for delta in (0.01, 0.001):
        estimate = Z95 * math.sqrt(B + (delta * B) ** 2)
        assert excluded((1.0,), (B,), bkg=delta) == pytest.approx(estimate, rel=0.05 if delta == 0.01 else 0.01)
    assert excluded((1.0,), (B,), bkg=0.01) / stat == pytest.approx(10.0, rel=0.05)
    assert stat < excluded((1.0,), (B,), bkg=0.001) < excluded((1.0,), (B,), bkg=0.01)
    assert excluded((1.0,), (B,), bkg=0.001) / stat == pytest.approx(math.sqrt(2), rel=0.01)


def test_limit_grows_monotonically_with_the_background_systematic():
    limits = [excluded((1.0,), (1e6,), bkg=d) for d in (0.0, 0.001, 0.003, 0.01)]
    assert all(a < b for a, b in zip(limits, limits[1:]))


def test_background_systematic_is_correlated_across_bins():
    """A fully correlated normalisation cannot be constrained by splitting the same background into bins: two equal
    halves give the one-bin limit with the same delta."""
    one = excluded((1.0,), (1e6,), bkg=0.01)
    assert excluded((0.5, 0.5), (5e5, 5e5), bkg=0.01) == pytest.approx(one, rel=1e-3)


def test_identical_bins_add_up_to_one_bin():
    """No systematics: log-likelihoods add, and two bins with half the signal and half the background each are the
    single bin (the Asimov qtilde is linear in a common scale of s and b)."""
    assert excluded((0.5, 0.5), (5e5, 5e5)) == pytest.approx(excluded((1.0,), (1e6,)), rel=0.01)


def test_signal_in_a_quiet_bin_gives_a_stronger_limit():
    """Backgrounds 1e4 and 1e2: a signal all in the quiet bin is the one-bin limit at B = 1e2 (the other bin adds
    nothing); the same signal shaped like the background is the one-bin limit at B = 1.01e4, 10 x weaker."""
    bkg = (1e4, 1e2)
    concentrated = excluded((0.0, 1.0), bkg)
    spread = excluded(tuple(np.array(bkg) / sum(bkg)), bkg)
    assert concentrated == pytest.approx(excluded((1.0,), (1e2,)), rel=1e-4)
    assert spread == pytest.approx(excluded((1.0,), (sum(bkg),)), rel=1e-3)
    assert concentrated < spread / 5


def test_luminosity_uncertainty_loosens_the_limit():
    """Profiling a linear signal factor 1 + delta_L alpha (alpha ~ N(0, 1)) gives, for large B,
    S_up = 1.960 sqrt(B) / sqrt(1 - 1.960^2 delta_L^2); the effect grows with delta_L and vanishes with it."""
    B = 1e4
    stat = excluded((1.0,), (B,))
    limits = [excluded((1.0,), (B,), lumi=d) for d in (1e-3, 0.05, 0.1, 0.2, 0.5)]
    assert all(a < b for a, b in zip([stat] + limits, limits))
    assert limits[0] == pytest.approx(stat, rel=1e-5)
    for d, S in zip((0.05, 0.1), limits[1:3]):
        assert S / stat == pytest.approx(1 / math.sqrt(1 - Z95**2 * d**2), rel=2e-3)


def test_s2b_signal():
    assert ST.s2b_signal(100.0) == pytest.approx(math.sqrt(271.0))
    assert ST.s2b_signal(100.0, s2b_crit=3.84) == pytest.approx(math.sqrt(384.0))
    # several bins: sum_i (S f_i)^2 / B_i = 2.71
    S = ST.s2b_signal([100.0, 400.0], signal=[1.0, 3.0])
    assert (S / 4) ** 2 / 100 + (3 * S / 4) ** 2 / 400 == pytest.approx(2.71)
    # without a shape the signal follows the background: the single bin with the summed background
    assert ST.s2b_signal([100.0, 400.0]) == pytest.approx(ST.s2b_signal(500.0))
    assert ST.s2b_signal([100.0, 400.0], signal=[1.0, 4.0]) == pytest.approx(ST.s2b_signal(500.0))


@pytest.mark.parametrize("signal, background, match", [
    ([1.0, 2.0], [10.0], "same number of bins"),
    ([[1.0]], [10.0], "same number of bins"),
    ([], [], "background must be"),
    ([[1.0, 2.0]], [[10.0, 10.0]], "background must be"),
    ([-1.0, 2.0], [10.0, 10.0], "signal counts must be >= 0"),
    ([0.0, 0.0], [10.0, 10.0], "positive sum"),
    ([1.0], [0.0], "background counts must be > 0"),
    ([1.0], [-5.0], "background counts must be > 0"),
    ([float("nan")], [10.0], "finite"),
    ([1.0], [float("inf")], "finite"),
    ("1", [10.0], "finite real number"),
])
def test_bad_counts_raise(signal, background, match):
    with pytest.raises(ValueError, match=match):
        ST.expected_upper_limit(signal, background)
    with pytest.raises(ValueError, match=match):
        ST.excluded_signal(signal, background)


@pytest.mark.parametrize("kw, match", [
    ({"bkg_uncertainty": -0.1}, r"bkg_uncertainty must be a number in \[0, 1\)"),
    ({"bkg_uncertainty": 1.0}, "bkg_uncertainty"),
    ({"bkg_uncertainty": float("nan")}, "bkg_uncertainty"),
    ({"bkg_uncertainty": True}, "bkg_uncertainty"),
    ({"lumi_uncertainty": 1.5}, r"lumi_uncertainty must be a number in \[0, 1\)"),
    ({"lumi_uncertainty": "0.1"}, "lumi_uncertainty"),
    ({"cl": 0.0}, r"cl must be a number in \(0, 1\)"),
    ({"cl": 1.0}, "cl"),
    ({"cl": 95}, "cl"),
])
def test_bad_options_raise(kw, match):
    with pytest.raises(ValueError, match=match):
        ST.expected_upper_limit([1.0], [10.0], **kw)


@pytest.mark.parametrize("kw, match", [
    ({"background": 0.0}, "background counts must be > 0"),
    ({"background": [1.0, 2.0], "signal": [1.0]}, "same number of bins"),
    ({"background": 10.0, "s2b_crit": 0.0}, r"s2b_crit must be a number in \(0, inf\)"),
    ({"background": 10.0, "s2b_crit": float("inf")}, "s2b_crit"),
])
def test_bad_s2b_inputs_raise(kw, match):
    with pytest.raises(ValueError, match=match):
        ST.s2b_signal(**kw)
