r"""The limit solver: excluded ranges of d_gamma for an experiment record, a model, a flavour and m_N.

For fixed m_N and model every rate has the form R(d) = C d^2 P(kappa d^2), with kappa d^2 = L / l_dec:

* photon from N decaying inside the detector (monophoton, Z -> gamma + inv): P = 1 - exp(-kappa d^2),
  R increases monotonically with d -> one lower edge, the band is open upwards;
* N decaying outside (Z -> invisible): P = exp(-kappa d^2), R rises and falls -> a closed band, or none.

:func:`excluded_intervals` does not rely on either shape: it evaluates R on a logarithmic grid of d
(40 points per decade from 1e-12 to 1e2 GeV^-1), brackets every crossing of the bound and refines it
with bisection in log d.  A band still open at the top of the grid is reported as ``inf``; a band
reaching below the grid has its lower edge found below it (down to 1e-150 GeV^-1; 0 if even that is
excluded).

Masses at or above the kinematic reach (m_N >= sqrt(s)) give no exclusion (NaN edges): nothing is
produced there, which is a result, not an error.  At the singular point a = -2 cot(theta_w) every rate is
its limit a -> -2 cot(theta_w): N decays promptly (kappa = inf); the photon rates (monophoton kinds and
Z -> gamma + invisible) stay finite, because the production through Z and W grows as (d_Z/d_gamma)^2 while
Br(N -> nu gamma) falls as the inverse; the Z-invisible rate vanishes (no N leaves the detector).  The
bounds on d_gamma are therefore continuous through the singular point (except the Z-invisible one, whose
band shrinks to d_gamma -> 0 and is absent there).
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
from .validation import charge as _check_charge, choice, convention as _check_convention, flavour as _check_flavour
from .validation import mass as _check_mass, positive, printed as _printed, sin2w as _check_sin2w

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


def _acc_values(acc, ok, reach, mm, mod, exp, flavour, photon_model, convention, pieces, charge="both", sin2w=None,
                beams=(0.0, 0.0)):
    """Acceptance values at the reachable masses: from a precomputed Acceptance over all masses, or computed."""
    if acc is None:
        return np.asarray(_sig.acceptance(reach, mm, mod, cuts=exp.cuts, flavour=flavour, photon_model=photon_model,
                                          charge=charge, convention=convention, pieces=pieces, sin2w=sin2w,
                                          beams=beams).value)
    vals = np.broadcast_to(np.atleast_1d(np.asarray(acc.value, dtype=float)), ok.shape)
    return vals[ok]


def _check_options(exp, convention, photon_model, three_body, double_br, require_decay_inside, acc, pieces):
    """Every option is checked up front, also when no mass is within reach (so that no option is ever ignored)."""
    if not isinstance(exp, Experiment):
        raise TypeError(f"exp must be a helpers.experiments.Experiment record (got {type(exp).__name__})")
    choice(photon_model, _sig.PHOTON_MODELS, "photon_model")
    choice(three_body, _dec.THREE_BODY_MODES, "three_body mode")
    for name, flag in (("double_br", double_br), ("require_decay_inside", require_decay_inside)):
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False (got {flag!r})")
    accs = acc if isinstance(acc, tuple) and getattr(exp, "configurations", None) else (acc,)
    if any(a is not None and not isinstance(a, _sig.Acceptance) for a in accs):
        raise TypeError("acc must be an Acceptance (from helpers.signal.acceptance), a tuple of them (one per beam "
                        f"configuration of a polarised run plan) or None (got {type(acc).__name__})")
    if pieces is not None:
        _prod._check_pieces(pieces)


def rate_coefficients(exp: Experiment, m_N, model, *, flavour: str = "e", convention: str = "derived",
                      photon_model: str = "exact", three_body: str = "below_threshold", double_br: bool = False,
                      require_decay_inside: bool = True, acc: _sig.Acceptance | None = None,
                      pieces=None, charge: str = "both", alpha: float | None = None,
                      sin2w: float | None = None, beams: tuple[float, float] = (0.0, 0.0)) -> RateCoefficients:
    """The coefficients C (rate at d_gamma = 1 GeV^-1 before the decay-probability factor) and kappa (L/l_dec at
    d_gamma = 1) of an experiment, per mass.  ``model`` is a scenario name or a value / array of a (broadcast
    with m_N).  Options select the alternative readings of the paper:

    convention          'derived' (default), 'as_printed' (printed cross sections and widths), or a tuple of
                        the printed equations to use (see :func:`helpers.validation.convention`)
    photon_model        'exact' (default), 'paper' or 'isotropic'
    three_body          'below_threshold' (default), 'offshell' or 'none' (see :func:`helpers.decays.partial_widths`)
    double_br           multiply by Br(N -> nu gamma) twice, as Eqs. (14) and (16) printed together do
    require_decay_inside  False: every N decay counts, whatever the decay length (monophoton kinds)
    pieces              production pieces for the monophoton kinds (e.g. production.NO_ST_INTERFERENCE)
    charge              'both' (default: N nu-bar + N-bar nu produced) or 'N' (one charge state) in
                        e+e- -> N nu (Z decays count :attr:`Experiment.z_charges`)
    alpha               the fine-structure constant of the production cross sections (default None: sm.ALPHA,
                        alpha(M_Z)); every piece is proportional to it at fixed sin^2(theta_w)
    sin2w               sin^2(theta_w) of the coupling rotation (Eq. 6), of the Z couplings and of the scenario values
                        of a (default None: the on-shell value sm.SIN2_THETA_W; sm.SIN2W_SCHEMES lists the others)
    beams               (P(e-), P(e+)) of the monophoton production (default unpolarised; :mod:`helpers.beams`); Z
                        decays do not depend on it

    Masses at or above sqrt(s) get C = kappa = 0 (no exclusion).  At the singular point a = -2 cot(theta_w):
    kappa = inf and C is the limit a -> -2 cot(theta_w) (0 for the Z-invisible width and with ``double_br``;
    see the module docstring).
    """
    _check_flavour(flavour)
    convention = _check_convention(convention)
    _check_charge(charge)
    alpha_scale = 1.0 if alpha is None else float(positive(alpha, "alpha")) / sm.ALPHA
    sin2w = None if sin2w is None else _check_sin2w(sin2w)
    _check_options(exp, convention, photon_model, three_body, double_br, require_decay_inside, acc, pieces)
    m = np.atleast_1d(_check_mass(m_N)).astype(float)
    if not isinstance(model, str):
        m, a = np.broadcast_arrays(m, np.atleast_1d(_cpl.resolve_model(model)))
        m = m.astype(float)
        model_b = a
        pole = _cpl.at_pole(a, sin2w)
    else:
        model_b = model
        pole = np.zeros(m.shape, dtype=bool)
    reach = exp.sqrt_s
    ok = m < reach
    C = np.zeros_like(m)
    kappa = np.zeros_like(m)
    if np.any(ok):
        mm = m[ok]
        mod = model_b if isinstance(model_b, str) else model_b[ok]
        at_pole = pole[ok]
        regular = np.where(at_pole, 0.0, mod) if np.any(at_pole) else mod  # the pole entries are set below
        p = _kin.momentum_N(reach, mm)
        opts = dict(flavour=flavour, three_body=three_body, convention=convention, sin2w=sin2w)
        width1 = _dec.total_width(mm, 1.0, regular, **opts)  # at d_gamma = 1
        kappa[ok] = exp.detector_length * mm * width1 / (sm.HBARC_GEV_M * p)
        br = _dec.br_nu_gamma(mm, regular, **opts)
        if double_br:
            br = br**2
        if exp.kind in ("monophoton_limit", "monophoton_chi2", "monophoton_s2b"):

            def monophoton(acc_in, beams_in):
                acc_v = _acc_values(acc_in, ok, reach, mm, mod, exp, flavour, photon_model, convention, pieces, charge,
                                    sin2w, beams_in)
                sig = _prod.sigma(reach, mm, 1.0, regular, flavour=flavour, charge=charge, convention=convention,
                                  pieces=pieces, sin2w=sin2w, beams=beams_in)
                out = alpha_scale * sig * br * acc_v * exp.efficiency
                if np.any(at_pole):
                    lim = 0.0 if double_br else _sig._sigma_br_at_pole(reach, mm, **opts, charge=charge,
                                                                       pieces=pieces, beams=beams_in)
                    out = np.where(at_pole, alpha_scale * lim * acc_v * exp.efficiency, out)
                return out

            if exp.configurations is None:
                C[ok] = monophoton(acc, beams)
            else:  # a polarised run plan: sum_i S_i^2/B_i, written as one rate against exp.max_signal
                if tuple(beams) != (0.0, 0.0):
                    raise ValueError(f"{exp.name} has its own beam configurations: do not pass beams")
                accs = (None,) * len(exp.configurations) if acc is None else tuple(acc)
                if len(accs) != len(exp.configurations):
                    raise ValueError(f"{exp.name}: acc must be one Acceptance per beam configuration "
                                     f"({len(exp.configurations)}), in the order of exp.configurations")
                C[ok] = combine_configurations(
                    [monophoton(a_i, (pm, pp)) for (pm, pp, _, _), a_i in zip(exp.configurations, accs)],
                    [c[2] for c in exp.configurations], [c[3] for c in exp.configurations],
                    exp.luminosity, exp.background)
        else:
            _, rz, _, _ = _cpl._homogeneous(regular, sin2w)
            if not _printed(convention, "eq19"):
                gam = _dec.width_Z_to_N_nu(mm, rz)  # d_gamma = 1, d_Z = r_Z
            else:
                gam = _dec.width_Z_to_N_nu(mm, 1.0)  # Eq. (19) as printed: d_gamma (= 1) in place of d_Z
            gam = exp.z_charges * gam
            if exp.kind == "z_gamma_invisible":
                acc_v = _acc_values(acc, ok, reach, mm, mod, exp, flavour, photon_model, convention, ("Z",),
                                    sin2w=sin2w)
                C[ok] = gam * br * acc_v * exp.efficiency / sm.GAMMA_Z
                if np.any(at_pole):
                    lim = _z_gamma_br_at_pole(mm, flavour=flavour, three_body=three_body, convention=convention,
                                              sin2w=sin2w) \
                        if not _printed(convention, "eq19") and not double_br else 0.0
                    C[ok] = np.where(at_pole, exp.z_charges * lim * acc_v * exp.efficiency / sm.GAMMA_Z, C[ok])
            else:
                C[ok] = np.where(at_pole, 0.0, gam)  # Z -> invisible: no N leaves the detector at the pole
        kappa[ok] = np.where(at_pole, np.inf, kappa[ok])
    if exp.kind == "z_invisible":
        region = "outside"
    else:
        region = "inside" if require_decay_inside else "any"
    return RateCoefficients(C=C, kappa=kappa, region=region, bound=exp.max_signal)


def combine_configurations(rates, luminosities, backgrounds, luminosity: float, background: float):
    """One signal-rate coefficient for independent data sets i (the beam configurations of a polarised run plan):
    excluded where sum_i S_i^2/B_i > crit with S_i = L_i C_i x, B_i = L_i b_i, written as C_eff x against the rule
    of one data set with ``luminosity`` L and ``background`` b: C_eff = sqrt(sum_i (L_i/L) (b/b_i) C_i^2)."""
    return np.sqrt(sum((lum / luminosity) * (background / b) * np.asarray(c, dtype=float) ** 2
                       for c, lum, b in zip(rates, luminosities, backgrounds)))


def _z_gamma_br_at_pole(m_N, *, flavour: str, three_body: str, convention="derived", sin2w=None):
    """lim_{a -> -2 cot(theta_w)} Gamma(Z -> N nu-bar; d_gamma = 1) Br(N -> nu gamma) [GeV], one charge state:
    Gamma(Z -> N nu-bar) grows as (d_Z/d_gamma)^2, Br falls as the inverse (see
    :func:`helpers.signal._sigma_br_at_pole`)."""
    nz, _ = _cpl._pole_direction(sin2w)
    g_gamma = _dec.width_nu_gamma(m_N, 1.0)
    den = _dec._width_at_pole(m_N, flavour, three_body, convention, sin2w)
    G = _dec.width_Z_to_N_nu(m_N, nz)
    return np.where(den > 0, G * g_gamma / np.where(den > 0, den, 1.0), np.inf)


def excluded_intervals(coeffs: RateCoefficients) -> list[list[tuple[float, float]]]:
    """Every excluded interval (d_low, d_high) in GeV^-1 for each mass; an empty list where nothing is excluded.

    Crossings of the bound are bracketed between neighbouring grid points and refined by bisection in
    log10(d), all masses at once (60 halvings of a 1/40-decade bracket: far below any physical precision).
    Where the bound is exceeded already at the bottom of the grid (only close to the singular point
    a = -2 cot(theta_w), where the production grows without limit), the lower edge is found below the grid:
    every rate rises monotonically at small d, so it is the one crossing between 1e-150 GeV^-1 and the grid
    (0 if the rate exceeds the bound even at 1e-150, e.g. C = inf).
    """
    C = np.atleast_1d(np.asarray(coeffs.C, dtype=float))
    k = np.atleast_1d(np.asarray(coeffs.kappa, dtype=float))
    R = np.atleast_2d(coeffs.rate(D_GRID))
    f = R - coeffs.bound
    below = _edges_below_grid(C, k, coeffs, (f[:, 0] > 0) & (C > 0))
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
        if i in below:
            edges.insert(0, below[i])
        if C[i] > 0 and f[i, -1] > 0:
            edges.append(math.inf)
        if len(edges) % 2:
            raise RuntimeError(f"odd number of edges {edges} at mass index {i}: the excluded region could not be bracketed")
        out.append([(edges[j], edges[j + 1]) for j in range(0, len(edges), 2)])
    return out


def _edges_below_grid(C, k, coeffs: RateCoefficients, rows) -> dict[int, float]:
    """The lower edge of the excluded band below the grid, for the masses (``rows``) where the bound is exceeded
    at its bottom: bisection in log10(d) between -150 and log10(D_GRID[0])."""
    out = {}
    idx = np.nonzero(rows)[0]
    if not len(idx):
        return out
    sub = RateCoefficients(C=C[idx], kappa=k[idx], region=coeffs.region, bound=coeffs.bound)
    lo, hi = np.full(len(idx), -150.0), np.full(len(idx), math.log10(D_GRID[0]))
    with np.errstate(invalid="ignore", over="ignore"):
        open_below = ~(sub.rate_pointwise(10.0**lo) < coeffs.bound)  # exceeded even at 1e-150 (or C = inf)
        for _ in range(64):
            mid = 0.5 * (lo + hi)
            above = sub.rate_pointwise(10.0**mid) > coeffs.bound
            lo, hi = np.where(above, lo, mid), np.where(above, mid, hi)
    for j, i in enumerate(idx):
        out[int(i)] = 0.0 if open_below[j] else float(10.0 ** (0.5 * (lo[j] + hi[j])))
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


def acceptance_for(exp: Experiment, m_N, model, *, flavour: str = "e", convention: str = "derived",
                   photon_model: str = "exact", pieces=None, charge: str = "both",
                   n: int = _sig.DEFAULT_SAMPLES, sin2w: float | None = None,
                   beams: tuple[float, float] = (0.0, 0.0)) -> _sig.Acceptance | tuple | None:
    """The photon acceptance an experiment needs (None for the Z-invisible width), for reuse across flavours
    (pass it to :func:`rate_coefficients` as ``acc``).  Masses beyond the reach get a placeholder value that
    :func:`rate_coefficients` never uses.  For Z -> gamma + invisible, N comes from Z decays (the Z piece, both
    charge states), whatever ``pieces`` and ``charge`` say, as in :func:`rate_coefficients`; ``n``: Monte Carlo
    samples per mass."""
    if not isinstance(exp, Experiment):
        raise TypeError(f"exp must be a helpers.experiments.Experiment record (got {type(exp).__name__})")
    if exp.kind == "z_invisible":
        return None
    m = np.atleast_1d(_check_mass(m_N)).astype(float)
    m_ok = np.where(m < exp.sqrt_s, m, 0.5 * exp.sqrt_s)  # masses beyond reach: placeholder, never used
    if exp.kind == "z_gamma_invisible":
        pieces, charge, beams = ("Z",), "both", (0.0, 0.0)
    if exp.configurations is not None:  # one acceptance per beam configuration of a polarised run plan
        return tuple(acceptance_for(exp.with_(configurations=None), m_N, model, flavour=flavour, convention=convention,
                                    photon_model=photon_model, pieces=pieces, charge=charge, n=n, sin2w=sin2w,
                                    beams=(pm, pp)) for pm, pp, _, _ in exp.configurations)
    return _sig.acceptance(exp.sqrt_s, m_ok, model, cuts=exp.cuts, flavour=flavour, photon_model=photon_model,
                           charge=charge, convention=_check_convention(convention), pieces=pieces, n=n,
                           sin2w=sin2w, beams=beams)


def limit_band(exp: Experiment, m_N, model, *, flavour: str = "e", **options):
    """Convenience: (d_low, d_high) arrays of the excluded band for masses m_N (see :func:`rate_coefficients`)."""
    return band(rate_coefficients(exp, m_N, model, flavour=flavour, **options))


def signal_rate(exp: Experiment, m_N, d_gamma, model, *, flavour: str = "e", **options):
    """The experiment's signal in the units of its bound (pb, a branching ratio, or GeV) at d_gamma."""
    return rate_coefficients(exp, m_N, model, flavour=flavour, **options).rate(np.asarray(d_gamma, dtype=float))
