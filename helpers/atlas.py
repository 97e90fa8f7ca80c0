r"""The atlas: the best bound on d_gamma over the whole (m_N, a) plane, for LEP combined and for each collider.

For every point of a grid in m_N and a = d_calW/d_B the bound is the lower edge of the excluded band of the
combination (the union of its analyses' bands, the band reaching the largest d_gamma where the union has a gap, as in
:func:`helpers.curves.combine_bands`).  The a axis uses the scale asinh(a) (:func:`a_axis`): linear near a = 0,
logarithmic for |a| >> 1, so that a in [-10, 10] shows the singular point a = -2 cot(theta_w) = -3.73 and the zero of
d_Z at a = 2 tan(theta_w) = 1.07 with equal resolution.

Vectorised: the rates of :func:`helpers.limits.rate_coefficients` take arrays of (m_N, a) directly; only the photon
acceptance, a Monte Carlo integral, is computed on a coarser grid (``acc_grid`` masses x a values, uniform in
log m_N and asinh(a)) and interpolated bilinearly in (log m_N, asinh a): it varies smoothly in both (it depends on a
only through the production angle and the N polarisation).  The limit solver runs on chunks of points.
Precision: with 8192 quasi-random photons per point of a 28 x 21 acceptance grid the map reproduces the book's curves
(16384 photons per mass, no interpolation) to 1 % at LEP and 1.5-3 % for the projections (3 % where the bound
changes fast with m_N near the kinematic end), whose p_T cut keeps below 1 % of the photons (tests/test_atlas.py).
"""

from __future__ import annotations

import numpy as np

from . import curves as _K
from . import limits as _L
from . import signal as _sig
from .symcache import cached_arrays

A_MAX = 10.0  #: the a axis spans [-A_MAX, A_MAX]
ACC_GRID = (28, 21)  #: the coarse (m_N, a) grid on which the photon acceptance is computed and then interpolated
ACC_SAMPLES = 8 * 1024  #: quasi-random photons per point of that grid


def a_axis(n: int) -> np.ndarray:
    """``n`` values of a in [-A_MAX, A_MAX], uniform in asinh(a)."""
    return np.sinh(np.linspace(-np.arcsinh(A_MAX), np.arcsinh(A_MAX), int(n)))


def mass_axis(n: int, m_min: float = 0.1, m_max: float = 360.0) -> np.ndarray:
    """``n`` masses uniform in log m_N [GeV]."""
    return np.geomspace(m_min, m_max, int(n))


def _interp_acceptance(exp, masses, a_values, flavour, acc_grid, samples, options):
    """Acceptance at every (m, a) of the full grid, interpolated from a coarse grid (see the module docstring).
    For a polarised run plan, a tuple with one per beam configuration."""
    nm, na = acc_grid
    reach = exp.sqrt_s
    m_lo, m_hi = masses.min(), min(masses.max(), 0.999 * reach)
    # an axis with a single value needs no interpolation: a two-point axis around it keeps the formula below valid
    mc = np.geomspace(m_lo, m_hi, nm) if m_hi > m_lo else np.array([m_lo, m_lo * 1.001])
    a_lo, a_hi = np.arcsinh(a_values.min()), np.arcsinh(a_values.max())
    ac = np.sinh(np.linspace(a_lo, a_hi, na)) if a_hi > a_lo else np.sinh(np.array([a_lo, a_lo + 1e-3]))
    nm, na = len(mc), len(ac)
    Mc, Ac = np.meshgrid(mc, ac, indexing="ij")
    acc = _L.acceptance_for(exp, Mc.ravel(), Ac.ravel(), flavour=flavour, n=samples, **options)
    accs = acc if isinstance(acc, tuple) else (acc,)
    x, y = np.log(mc), np.arcsinh(ac)
    M, A = np.meshgrid(masses, a_values, indexing="ij")
    xi = np.clip(np.log(np.minimum(M, m_hi)), x[0], x[-1]).ravel()
    yi = np.clip(np.arcsinh(A), y[0], y[-1]).ravel()
    out = []
    for a_ in accs:
        v = np.asarray(a_.value, dtype=float).reshape(nm, na)
        i = np.clip(np.searchsorted(x, xi) - 1, 0, nm - 2)
        j = np.clip(np.searchsorted(y, yi) - 1, 0, na - 2)
        tx = (xi - x[i]) / (x[i + 1] - x[i])
        ty = (yi - y[j]) / (y[j + 1] - y[j])
        val = ((1 - tx) * (1 - ty) * v[i, j] + tx * (1 - ty) * v[i + 1, j] + (1 - tx) * ty * v[i, j + 1]
               + tx * ty * v[i + 1, j + 1])
        out.append(_sig.Acceptance(val, np.zeros_like(val)))
    return tuple(out) if isinstance(acc, tuple) else out[0]


def band_map(analysis: str, flavour: str, masses, a_values, *, acc_grid=ACC_GRID, samples: int = ACC_SAMPLES,
             chunk: int = 4000, **options):
    """(low, high), each of shape (len(masses), len(a_values)): the excluded band of one analysis at every grid
    point (NaN where nothing is excluded).  ``options`` go to :func:`helpers.limits.rate_coefficients`."""
    exp = _K.experiment_for(analysis)
    masses, a_values = np.asarray(masses, dtype=float), np.asarray(a_values, dtype=float)
    M, A = np.meshgrid(masses, a_values, indexing="ij")
    ok = (M < exp.sqrt_s).ravel()
    low = np.full(M.size, np.nan)
    high = np.full(M.size, np.nan)
    if not ok.any():
        return low.reshape(M.shape), high.reshape(M.shape)
    acc = None
    if exp.kind != "z_invisible":
        acc = _interp_acceptance(exp, masses, a_values, flavour, acc_grid, samples, options)
    idx = np.nonzero(ok)[0]
    for start in range(0, len(idx), chunk):
        sel = idx[start:start + chunk]
        a_sel = None if acc is None else (tuple(_sub(a, sel) for a in acc) if isinstance(acc, tuple)
                                          else _sub(acc, sel))
        coeff = _L.rate_coefficients(exp, M.ravel()[sel], A.ravel()[sel], flavour=flavour, acc=a_sel, **options)
        lo, hi = _L.band(coeff) if exp.kind != "z_invisible" else _first_band(coeff)
        low[sel], high[sel] = lo, hi
    return low.reshape(M.shape), high.reshape(M.shape)


def _sub(acc, sel):
    return _sig.Acceptance(np.asarray(acc.value)[sel], np.asarray(acc.error)[sel])


def _first_band(coeff):
    """(low, high) of the Z-invisible band (one closed band, or none)."""
    lows, highs = [], []
    for intervals in _L.excluded_intervals(coeff):
        lows.append(intervals[0][0] if intervals else np.nan)
        highs.append(intervals[0][1] if intervals else np.nan)
    return np.array(lows), np.array(highs)


def atlas(kind: str, flavour: str, masses, a_values, **kw) -> dict:
    """The best bound of a combination (``'lep'``, ``'cepc'`` or a collider of :func:`helpers.curves.combined_kinds`)
    over the grid: {'low', 'high', 'n_bands', 'masses', 'a'}; cached on disk (key: the analyses' records, the grid,
    the options and the code)."""
    kinds = _K.combined_kinds()
    if kind not in kinds:
        raise ValueError(f"unknown combination {kind!r}; allowed: {', '.join(kinds)}")
    masses, a_values = np.asarray(masses, dtype=float), np.asarray(a_values, dtype=float)

    def build():
        bands = [band_map(a, flavour, masses, a_values, **kw) for a in kinds[kind]]
        shape = bands[0][0].shape
        low, high, nb = _K.combine_bands([(lo.ravel(), hi.ravel()) for lo, hi in bands])
        return {"low": low.reshape(shape), "high": high.reshape(shape), "n_bands": nb.reshape(shape)}

    key = ("atlas", kind, tuple(_K._stable(_K.experiment_for(a)) for a in kinds[kind]), flavour,
           _K._stable(masses), _K._stable(a_values), _K._stable(kw))
    data = cached_arrays("atlas.atlas", key, build)
    return {**data, "masses": masses, "a": a_values}
