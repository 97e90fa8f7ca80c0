r"""Expected 95 % CL upper limits for a counting experiment in one or a few bins (pyhf), and the paper's S^2/B rule.

A collider projection has no data yet; its sensitivity is the *median expected* upper limit, the limit that half of
the background-only experiments would beat.  :func:`expected_upper_limit` computes it as LEP and LHC analyses quote
limits, with the CLs method in a HistFactory model built with pyhf:

* the model: in bin i, n_i ~ Poisson(mu s_i + b_i), the signal strength mu >= 0 the parameter of interest, and
  optionally Gaussian-constrained nuisance parameters for the background normalisation and the luminosity (below);
* the test statistic: qtilde_mu = -2 ln[L(mu, theta_hat_hat) / L(mu_hat, theta_hat)] with 0 <= mu_hat <= mu, the
  profile likelihood ratio for upper limits (zero when the data prefer more signal than mu);
* CLs = CL_{s+b} / CL_b, and mu is excluded when CLs < 1 - cl.  Dividing by CL_b keeps a downward fluctuation of the
  background from excluding a signal the experiment is not sensitive to;
* the distributions of qtilde_mu from the asymptotic formulas (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554),
  evaluated on the Asimov background-only data set (every bin at its expected b_i, every auxiliary measurement at its
  nominal value).  On that data set the observed qtilde_mu is its median under the background-only hypothesis, so
  CLs = [1 - Phi(sqrt(q_A))] / (1/2) and the median expected limit solves sqrt(q_A) = Phi^-1(1 - (1 - cl)/2),
  1.960 at 95 % CL.

One bin without systematics: on Asimov data n = B, q_A(S) = 2 [S - B ln(1 + S/B)], so the excluded signal is
S_up = 1.960 sqrt(B) for large B (q_A -> S^2/B; 1.961 sqrt(B) at B = 1e6), 2.00 sqrt(B) at B = 1e3, and tends to
1.960^2/2 = 1.92 events for B -> 0 (where the asymptotic formulas are only indicative: exact Poisson CLs gives 3.0
events at B = 0).

The paper's projection rule (:func:`s2b_signal`), excluded if S^2/B > 2.71, is S = sqrt(2.71 B) = 1.645 sqrt(B), with
1.645 = Phi^-1(0.95) the one-sided 95 % Gaussian quantile: the median expected limit of a CL_{s+b} test, without the
CLs division by CL_b = 1/2 (numerically also the CLs median expected limit at 90 % CL).  The CLs 95 % CL limit is
1.960 sqrt(B), so for large B the paper's rule is optimistic by 1.960/1.645 = 1.19 in the signal: it excludes signals
16 % smaller than CLs does, and a dipole coupling (sigma ~ d^2) about 9 % smaller.

Systematic uncertainties (zero means the modifier is absent):

* ``bkg_uncertainty`` delta: the background normalisation, one nuisance parameter for all bins (fully correlated), a
  ``normsys`` modifier with hi = 1 + delta, lo = 1 - delta.  For large B the limit follows the Gaussian estimate
  S_up = 1.960 sqrt(B + (delta B)^2), statistical and systematic errors of the background in quadrature.  Computed
  with this module at B = 1e6: delta = 0.1 % (delta B = sqrt(B)) gives the estimate to 0.01 % (1.41 x the
  stat-only limit), delta = 1 % 0.5 % below it (10.0 x the stat-only limit), delta = 5 % 2.4 % below (normsys is
  log-normal-like: lowering the background by two of its sigmas costs a little more than a Gaussian would); B = 1e7
  gives the same.  At B = 1e3 the Poisson term puts the limit 2 % above the estimate (the stat-only limit is already
  2.00 sqrt(B)): +0.05 % over stat-only for delta = 0.1 %, +4.6 % for 1 %.  Once delta B >> sqrt(B) the limit is
  ~1.96 delta B and more luminosity no longer helps.  For delta >~ 30 % the log-normal shape matters: at delta = 50 %
  the limit is 0.7 x the Gaussian estimate.
* ``lumi_uncertainty`` delta_L: the luminosity uncertainty of the signal yield, a ``normsys`` on the signal sample
  only (the background's normalisation has its own uncertainty, which absorbs a common luminosity factor).  Profiling
  a linear signal factor gives S_up = 1.960 sqrt(B) / sqrt(1 - 1.960^2 delta_L^2): +0.5 % at delta_L = 5 %, +2.0 %
  at 10 %, as computed (B = 1e3 to 1e6); +9 % at 20 % (estimate +8.7 %).  Only a large delta_L matters: at 50 % the
  limit is 1.85 x the stat-only one.

The limit is the root of the median expected CLs in mu, from pyhf's hypotest (numpy backend, set at each call;
scipy's SLSQP with a wider finite-difference step) and scipy's brentq; it agrees with a gradient-free profile
likelihood to < 1e-6 from B = 0.1 to 1e7 events with and without systematics.  A limit takes 0.03 s without
systematics and 0.1-0.3 s with them (up to 1.5 s at delta = 50 % and B >= 1e6).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pyhf
from scipy.optimize import brentq
from scipy.stats import norm

from .validation import as_finite_array

#: scipy's SLSQP (pyhf's default minimiser) with a finite-difference step of 1e-5 instead of 1.5e-8: -2 ln L is a
#: difference of terms ~B ln B, with a rounding noise of 3e-8 at B = 1e7 (measured), which the default step turns
#: into gradient noise ~3, more than the whole gradient along a luminosity pull (0.4 at delta_L = 5 %): the pull
#: stayed near 0 and the limit came out 3 % too tight at B = 1e7, delta_L = 20 %.  The larger step shifts the steepest
#: fits (a background pull with delta^2 B ~ 1e6) by ~1e-4 in qtilde; limits agree with a gradient-free profile
#: likelihood to < 1e-6 from B = 1e3 to 1e7.
_OPTIMIZER = pyhf.optimize.scipy_optimizer(solver_options={"eps": 1e-5})


def _background(background) -> np.ndarray:
    """Background counts per bin as a 1-D float array (a number is one bin); ValueError unless all are > 0."""
    b = np.atleast_1d(as_finite_array(background, "background"))
    if b.ndim != 1 or b.size == 0:
        raise ValueError(f"background must be a number or a 1-D array of expected counts per bin (got shape {b.shape})")
    if np.any(b <= 0):
        raise ValueError(f"background counts must be > 0 in every bin (got {background!r})")
    return b


def _counts(signal, background) -> tuple[np.ndarray, np.ndarray]:
    """Signal and background counts per bin as two 1-D float arrays of the same length; ValueError otherwise."""
    b = _background(background)
    s = np.atleast_1d(as_finite_array(signal, "signal"))
    if s.shape != b.shape:
        raise ValueError(f"signal and background must have the same number of bins (got shapes {s.shape} and "
                         f"{b.shape})")
    if np.any(s < 0) or not s.sum() > 0:
        raise ValueError(f"signal counts must be >= 0 in every bin with a positive sum (got {signal!r})")
    return s, b


def _number(x, name: str, low: float, high: float, closed_low: bool) -> float:
    """One finite real number in [low, high) (closed_low) or (low, high); ValueError saying so otherwise."""
    interval = f"[{low:g}, {high:g})" if closed_low else f"({low:g}, {high:g})"
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)) \
            or not math.isfinite(x) or not (low <= x if closed_low else low < x) or not x < high:
        raise ValueError(f"{name} must be a number in {interval} (got {x!r})")
    return float(x)


def _model(signal, background, bkg_uncertainty: float, lumi_uncertainty: float) -> pyhf.Model:
    """The HistFactory model: one channel, a signal sample scaled by mu and a background sample."""
    signal_modifiers = [{"name": "mu", "type": "normfactor", "data": None}]
    if lumi_uncertainty > 0:
        # normsys rather than pyhf's `lumi` modifier: `lumi` is a Gaussian-constrained linear factor, which reaches
        # a zero signal at the finite cost 1/delta_L^2 (above delta_L = 1/1.96 no mu would ever be excluded); normsys
        # extrapolates exponentially (code4), so the signal stays positive for any pull.  For small delta_L the two
        # agree (checked at B = 10: +7.8 % and +7.3 % at delta_L = 20 %).
        signal_modifiers.append({"name": "lumi", "type": "normsys",
                                 "data": {"hi": 1 + lumi_uncertainty, "lo": 1 - lumi_uncertainty}})
    background_modifiers = []
    if bkg_uncertainty > 0:
        # normsys, as pyhf recommends for a normalisation uncertainty: one multiplicative factor for all bins
        # (fully correlated), interpolated polynomially within +-1 sigma and exponentially outside, so the
        # background stays positive.  histosys is meant for shape variations; it is additive per bin and
        # extrapolates linearly, so a large pull could make a bin negative.
        background_modifiers.append({"name": "bkg_norm", "type": "normsys",
                                     "data": {"hi": 1 + bkg_uncertainty, "lo": 1 - bkg_uncertainty}})
    spec = {
        "channels": [{"name": "signal_region", "samples": [
            {"name": "signal", "data": signal.tolist(), "modifiers": signal_modifiers},
            {"name": "background", "data": background.tolist(), "modifiers": background_modifiers},
        ]}],
    }
    # validate=False: the spec has the fixed form built here, and pyhf 0.7.6's schema check warns at every call about
    # an API deprecated in jsonschema 4.18
    return pyhf.Model(spec, poi_name="mu", validate=False)


def _first_guess(signal, background, bkg_uncertainty: float, z: float) -> float:
    """A first guess of the excluded total signal [events], used to make the signal strength at the limit O(1).

    Gaussian part: z / sqrt(f^T V^-1 f) with f = signal / sum(signal) and V = diag(b) + delta^2 b b^T the background
    covariance (V^-1 by Sherman-Morrison); plus z^2/2, the limit for B -> 0 of a single bin.  It is within ~15 % of
    the one-bin answer at any B without systematics; the root finder only needs the right order of magnitude.
    """
    f = signal / signal.sum()
    information = np.sum(f**2 / background) - bkg_uncertainty**2 / (1 + bkg_uncertainty**2 * background.sum())
    return z / math.sqrt(information) + z**2 / 2


def expected_upper_limit(signal, background, *, bkg_uncertainty: float = 0.0, lumi_uncertainty: float = 0.0,
                         cl: float = 0.95) -> float:
    """Median expected CLs upper limit on the signal strength mu (the signal is mu * ``signal``) at confidence level
    ``cl``, for background-only Asimov data.

    ``signal`` and ``background`` are expected event counts per bin (arrays of the same length >= 1, or numbers for
    one bin): signal >= 0 with a positive sum, background > 0.  ``bkg_uncertainty``: relative uncertainty of the
    background normalisation, fully correlated across bins; ``lumi_uncertainty``: relative uncertainty of the signal
    yield from the luminosity; both in [0, 1), 0 = none.  Test statistic qtilde_mu, asymptotic calculator (see the
    module docstring).

    The signal is rescaled internally so that the limit on mu is O(1) (the fits and the root finder then work the
    same from B ~ 0.1 to B ~ 1e7 and for any signal normalisation); the result is scaled back.
    """
    s, b = _counts(signal, background)
    bkg_uncertainty = _number(bkg_uncertainty, "bkg_uncertainty", 0, 1, True)
    lumi_uncertainty = _number(lumi_uncertainty, "lumi_uncertainty", 0, 1, True)
    cl = _number(cl, "cl", 0, 1, False)
    pyhf.set_backend("numpy", _OPTIMIZER)
    scale = _first_guess(s, b, bkg_uncertainty, norm.ppf(1 - (1 - cl) / 2)) / s.sum()
    model = _model(s * scale, b, bkg_uncertainty, lumi_uncertainty)
    pars = model.config.suggested_init()
    pars[model.config.poi_index] = 0.0
    asimov = model.expected_data(pars)  # background-only main data + nominal auxiliary data
    # Fit ranges: mu in [0, inf) (qtilde needs the lower end 0; the only fits that float mu end at mu = 0, the
    # best fit of background-only Asimov data, where every fit also starts: init_pars).  Nuisance parameters
    # unbounded: scipy's SLSQP with bounds can stop at its starting point and report success when the gradient there
    # is large (seen from ~1e6, at B = 1e7 with delta = 10 % and at B = 1e6 with delta = 50 %, limits off by up to a
    # factor 3); normsys extrapolates exponentially, so every yield stays positive for any pull.
    bounds = [[0.0, math.inf] if i == model.config.poi_index else [-math.inf, math.inf]
              for i in range(len(pars))]

    @functools.cache  # the bracket search and brentq evaluate the bracket ends again
    def cls_minus_level(mu):
        """Median expected CLs at signal strength mu (the observed CLs of Asimov data) minus 1 - cl."""
        _, cls_median = pyhf.infer.hypotest(mu, asimov, model, init_pars=pars, par_bounds=bounds,
                                            test_stat="qtilde", calctype="asymptotics", return_expected=True)
        return float(cls_median) - (1 - cl)

    # One root of the median CLs, bracketed around the first guess mu = 1.  Not pyhf's own upper_limit /
    # toms748_scan: they solve for the observed limit and all five expected bands (~4x the fits), and on Asimov
    # data, where the observed and median roots coincide, their bracket for the median is built from points a few
    # 1e-7 apart whose CLs differ by fit noise; it came out reversed and toms748 raised (B = 1e6, delta = 1 %).
    low, high = 0.5, 2.0
    while cls_minus_level(high) > 0:
        low, high = high, 2 * high
    while cls_minus_level(low) < 0:
        low, high = low / 2, low
    return brentq(cls_minus_level, low, high, rtol=1e-6) * scale


def excluded_signal(signal, background, **kw) -> float:
    """Total signal (events, summed over bins) excluded at the median expected limit: mu_up * sum(signal).  Keyword
    arguments as for :func:`expected_upper_limit`.  Independent of the normalisation of ``signal``; depends on its
    shape over the bins."""
    mu_up = expected_upper_limit(signal, background, **kw)
    return mu_up * float(np.sum(signal))


def s2b_signal(background, s2b_crit: float = 2.71, *, signal=None) -> float:
    """Total signal (events) that the paper's rule just excludes: sum_i S_i^2 / B_i = ``s2b_crit``.

    One bin: S = sqrt(s2b_crit * B) (= 1.645 sqrt(B) for 2.71; no systematics, no CLs, see the module docstring).
    Several bins: the bins count as independent measurements (as for the polarised run plans of
    :mod:`helpers.experiments`), S_i = S f_i with the signal shape f = ``signal`` / sum(``signal``), so
    S = sqrt(s2b_crit / sum_i f_i^2 / B_i).  Without ``signal`` the signal is taken to be shaped like the background,
    which gives the one-bin answer for the summed background (no shape information).
    """
    s2b_crit = _number(s2b_crit, "s2b_crit", 0, math.inf, False)
    if signal is None:
        return math.sqrt(s2b_crit * _background(background).sum())
    s, b = _counts(signal, background)
    f = s / s.sum()
    return math.sqrt(s2b_crit / np.sum(f**2 / b))
