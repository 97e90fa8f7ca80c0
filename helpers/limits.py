r"""The limit solver: excluded ranges of d_gamma for an experiment record, a model, a flavour and m_N.

For fixed m_N and model every rate has the form R(d) = C d^2 P(kappa d^2), with kappa d^2 = L / l_dec:

* photon from N decaying inside the detector (monophoton, Z -> gamma + inv): P = 1 - exp(-kappa d^2),
  R increases monotonically with d -> one lower edge, the band is open upwards;
* N decaying outside (Z -> invisible): P = exp(-kappa d^2), R rises and falls -> a closed band, or none.

:func:`excluded_intervals` does not rely on either shape: it evaluates R on a logarithmic grid of d
(40 points per decade from 1e-12 to 1e2 GeV^-1), brackets every crossing of the bound and refines it
with Brent's method in log d.  A band still open at the top of the grid is reported as ``inf``.
Masses at or above the kinematic reach give no exclusion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import couplings as _cpl
from . import decays as _dec
from . import kinematics as _kin
from . import production as _prod
from . import signal as _sig
from . import sm
from .experiments import Experiment
from .validation import flavour as _check_flavour, mass as _check_mass

D_GRID = np.logspace(-12, 2, 14 * 40 + 1)  #: the d_gamma grid used to bracket the edges [GeV^-1]


@dataclass
class RateCoefficients:
    """R(d) = C d^2 P(kappa d^2) per mass; ``region`` is 'inside', 'outside' or 'any' (no decay requirement)."""

    C: np.ndarray
    kappa: np.ndarray
    region: str
    bound: float

    def rate(self, d):
        """R on a grid of d: shape (masses, len(d)) for array coefficients."""
        C, k = (np.asarray(x)[..., None] if np.ndim(x) else x for x in (self.C, self.kappa))
        return self._rate(C, k, np.asarray(d, dtype=float))

    def rate_pointwise(self, d):
        """R with one d per mass (element by element)."""
        return self._rate(np.asarray(self.C), np.asarray(self.kappa), np.asarray(d, dtype=float))

    def _rate(self, C, k, d):
        x = d**2
        if self.region == "inside":
            prob = -np.expm1(-k * x)
        elif self.region == "outside":
            prob = np.exp(-k * x)
        else:
            prob = 1.0
        return C * x * prob


def _resolve(model):
    return model if isinstance(model, str) else _cpl.resolve_model(model)


def _acc_values(acc, ok, reach, mm, mod, exp, flavour, photon_model, convention, pieces):
    """Acceptance values at the reachable masses: from a precomputed Acceptance over all masses, or computed."""
    if acc is None:
        return np.asarray(_sig.acceptance(reach, mm, mod, exp.cuts, flavour, photon_model, "both",
                                          convention=convention, pieces=pieces).value)
    vals = np.broadcast_to(np.atleast_1d(np.asarray(acc.value, dtype=float)), ok.shape)
    return vals[ok]


def rate_coefficients(exp: Experiment, mN, model, flavour: str = "e", *, convention: str = "derived",
                      photon_model: str = "exact", three_body: str = "below_threshold", double_br: bool = False,
                      require_decay_inside: bool = True, acc: _sig.Acceptance | None = None,
                      pieces=None) -> RateCoefficients:
    """The coefficients C (rate at d_gamma = 1 GeV^-1 before the decay-probability factor) and kappa (L/l_dec at
    d_gamma = 1) of an experiment, per mass.  ``model`` is a scenario name or a value / array of a (broadcast
    with m_N).  Options select the alternative readings of the paper:

    convention          'derived' (default) or 'as_printed' (printed cross sections and widths)
    photon_model        'exact' (default), 'paper' or 'isotropic'
    double_br           multiply by Br(N -> nu gamma) twice, as Eqs. (14) and (16) printed together do
    require_decay_inside  False: every N decay counts, whatever the decay length (monophoton kinds)
    pieces              production pieces for the monophoton kinds (e.g. production.NO_ST_INTERFERENCE)
    """
    _check_flavour(flavour)
    m = np.atleast_1d(_check_mass(mN)).astype(float)
    if not isinstance(model, str):
        m, a = np.broadcast_arrays(m, np.atleast_1d(_cpl.resolve_model(model)))
        m = m.astype(float)
        model_b = a
    else:
        model_b = model
    reach = exp.sqrt_s
    ok = m < reach
    C = np.zeros_like(m)
    kappa = np.zeros_like(m)
    if np.any(ok):
        mm = m[ok]
        mod = model_b if isinstance(model_b, str) else model_b[ok]
        p = _kin.momentum_N(reach, mm)
        width1 = _dec.total_width(mm, mod, 1.0, flavour, three_body, convention)  # at d_gamma = 1
        kappa[ok] = exp.detector_length * mm * width1 / (sm.HBARC_GEV_M * p)
        br = _dec.br_nu_gamma(mm, mod, flavour, three_body, convention)
        if double_br:
            br = br**2
        if exp.kind in ("monophoton_limit", "monophoton_chi2", "monophoton_s2b"):
            acc_v = _acc_values(acc, ok, reach, mm, mod, exp, flavour, photon_model, convention, pieces)
            sig = _prod.sigma(reach, mm, 1.0, mod, flavour, "both", convention, pieces=pieces)
            C[ok] = sig * br * acc_v * exp.efficiency
        else:
            rz, _ = _cpl.coupling_ratios(mod)
            if convention == "derived":
                gam = _dec.width_Z_to_N_nu(mm, rz)  # d_gamma = 1, d_Z = r_Z
            else:
                gam = _dec.width_Z_to_N_nu(mm, 1.0, convention="as_printed")  # Eq. (19): d_gamma in place of d_Z
            gam = exp.z_charges * gam
            if exp.kind == "z_gamma_invisible":
                acc_v = _acc_values(acc, ok, reach, mm, mod, exp, flavour, photon_model, convention, ("Z",))
                C[ok] = gam * br * acc_v * exp.efficiency / sm.GAMMA_Z
            else:
                C[ok] = gam
    if exp.kind == "z_invisible":
        region = "outside"
    else:
        region = "inside" if require_decay_inside else "any"
    return RateCoefficients(C=C, kappa=kappa, region=region, bound=exp.max_signal)


def excluded_intervals(coeffs: RateCoefficients) -> list[list[tuple[float, float]]]:
    """Every excluded interval (d_low, d_high) in GeV^-1 for each mass; an empty list where nothing is excluded.

    Crossings of the bound are bracketed between neighbouring grid points and refined by bisection in
    log10(d), all masses at once (60 halvings of a 1/40-decade bracket: far below any physical precision).
    """
    C = np.atleast_1d(np.asarray(coeffs.C, dtype=float))
    k = np.atleast_1d(np.asarray(coeffs.kappa, dtype=float))
    R = np.atleast_2d(coeffs.rate(D_GRID))
    f = R - coeffs.bound
    if np.any((f[:, 0] > 0) & (C > 0)):
        raise RuntimeError("the bound is exceeded at d_gamma = 1e-12 GeV^-1: the rate model is not physical")
    logd = np.log10(D_GRID)
    rows, cols = np.nonzero(np.sign(f[:, 1:]) != np.sign(f[:, :-1]))
    lo, hi = logd[cols].copy(), logd[cols + 1].copy()
    sign_lo = np.sign(f[rows, cols])
    sub = RateCoefficients(C=C[rows], kappa=k[rows], region=coeffs.region, bound=coeffs.bound)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        fm = sub.rate_pointwise(10.0**mid) - coeffs.bound
        same = np.sign(fm) == sign_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    roots = 10.0 ** (0.5 * (lo + hi))
    out = []
    for i in range(f.shape[0]):
        edges = list(roots[rows == i])
        if C[i] > 0 and f[i, -1] > 0:
            edges.append(math.inf)
        if len(edges) % 2:
            raise RuntimeError(f"odd number of edges {edges} at mass index {i}: the excluded region could not be bracketed")
        out.append([(edges[j], edges[j + 1]) for j in range(0, len(edges), 2)])
    return out


def band(coeffs: RateCoefficients) -> tuple[np.ndarray, np.ndarray]:
    """(d_low, d_high) per mass for a single excluded band: NaN where nothing is excluded, inf where open upwards.
    Raises if a mass has more than one disjoint band (it cannot be written as one row)."""
    lows, highs = [], []
    for intervals in excluded_intervals(coeffs):
        if not intervals:
            lows.append(np.nan)
            highs.append(np.nan)
        elif len(intervals) == 1:
            lows.append(intervals[0][0])
            highs.append(intervals[0][1])
        else:
            raise RuntimeError(f"more than one excluded band: {intervals}")
    return np.array(lows), np.array(highs)


def acceptance_for(exp: Experiment, mN, model, flavour: str = "e", *, convention: str = "derived",
                   photon_model: str = "exact", pieces=None, **_ignored) -> _sig.Acceptance | None:
    """The photon acceptance an experiment needs (None for the Z-invisible width), for reuse across flavours."""
    if exp.kind == "z_invisible":
        return None
    m = np.atleast_1d(_check_mass(mN)).astype(float)
    m_ok = np.where(m < exp.sqrt_s, m, 0.5 * exp.sqrt_s)  # masses beyond reach: placeholder, never used
    pieces = ("Z",) if exp.kind == "z_gamma_invisible" else pieces
    acc = _sig.acceptance(exp.sqrt_s, m_ok, model, exp.cuts, flavour, photon_model, "both", convention=convention,
                          pieces=pieces)
    return acc


def limit_band(exp: Experiment, mN, model, flavour: str = "e", **options):
    """Convenience: (d_low, d_high) arrays of the excluded band for masses m_N (see :func:`rate_coefficients`)."""
    return band(rate_coefficients(exp, mN, model, flavour, **options))


def signal_rate(exp: Experiment, mN, d_gamma, model, flavour: str = "e", **options):
    """The experiment's signal in the units of its bound (pb, a branching ratio, or GeV) at d_gamma."""
    return rate_coefficients(exp, mN, model, flavour, **options).rate(np.asarray(d_gamma, dtype=float))
