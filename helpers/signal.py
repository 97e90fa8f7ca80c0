r"""From produced N to a detected photon: photon kinematics, acceptance engine, decay-volume probability.

The chain e+e- -> N nu-bar (+ c.c.), N -> nu gamma is treated in the narrow-width approximation with
the full spin correlation: N is produced with the derived angular distribution and polarisation
vector P (helicity, in-plane and normal components, :func:`helpers.production.polarisation`), and in
its rest frame the photon follows dGamma/dOmega* ∝ 1 - P.n* (asymmetry -1, derived in
:func:`helpers.production.decay_asymmetry_expression`).  The conjugate N-bar nu events are the CP
mirror image (cos(theta) -> -cos(theta) for every momentum), so ``charge='both'`` averages the cut
decision over an event and its mirror.

Photon models (``photon_model``):
* 'exact' -- the polarisation vector above (default);
* 'paper' -- the prescription of the paper: 1 - cos(theta*) relative to the N flight direction
  (a fully helicity-+1 N);
* 'isotropic' -- an unpolarised N.

Quasi-Monte Carlo with fixed seeds (:func:`helpers.qmc.sobol_replicas`: 8 independently scrambled Sobol
sequences): cos(theta_N) is drawn from dsigma/dcos by inverse CDF on a fine grid (so weights stay O(1)), the
photon direction uniformly in the N rest frame with weight 1 - P.n*.  The statistical error, from the spread
of the 8 replicas, is returned with every acceptance.  All functions are vectorised over m_N.

Photon selections are :class:`helpers.selection.PhotonCuts` records.  Every function needs m_N < sqrt(s)
(ValueError otherwise: no N is produced at or above threshold).  At the singular point a = -2 cot(theta_w)
the photon kinematics and the acceptance are their (finite) limits, N produced through Z and W alone; the
signal cross section is its limit too (sigma grows as (d_Z/d_gamma)^2 while Br(N -> nu gamma) falls as the
inverse), and N decays promptly (decay probability 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import couplings as _cpl
from . import decays as _dec
from . import kinematics as _kin
from . import production as _prod
from .qmc import REPLICAS, sobol_replicas
from .selection import ACCEPT_ALL, PhotonCuts  # the engine's selections (importers: use helpers.selection)
from .symcache import cached_arrays, stable_key
from .validation import below_threshold, charge as _check_charge, choice, count, coupling
from .validation import flavour as _check_flavour, fraction, mass as _check_mass, positive

#: photon distribution in the N rest frame: the exact spin correlation, the paper's 1 - cos(theta*) about the N
#: direction of flight, isotropic, or 1 + cos(theta*) (the paper's with the sign flipped)
PHOTON_MODELS = ("exact", "paper", "isotropic", "opposite")
DEFAULT_SAMPLES = 16384  # 8 replicas of 2048 Sobol points
DEFAULT_SEED = 20230522
_GRID = 513  # grid in cos(theta_N) for the inverse CDF


@dataclass
class Acceptance:
    """Acceptance of the photon cuts and its Monte Carlo (statistical) error, per mass."""

    value: np.ndarray
    error: np.ndarray


def _check_model(photon_model: str) -> str:
    return choice(photon_model, PHOTON_MODELS, "photon_model")


def _check_cuts(cuts) -> PhotonCuts:
    if not isinstance(cuts, PhotonCuts):
        raise TypeError(f"cuts must be a helpers.selection.PhotonCuts (got {type(cuts).__name__})")
    return cuts


def photon_energy_endpoints(sqrt_s, m_N):
    """Closed-form lab photon energy range for N -> nu gamma at fixed sqrt(s): ((E_N - p_N)/2, (E_N + p_N)/2)."""
    rs = positive(sqrt_s, "sqrt_s")
    m = _check_mass(m_N)
    below_threshold(m, rs)
    E, p = _kin.energy_N(rs, m), _kin.momentum_N(rs, m)
    return (E - p) / 2, (E + p) / 2


def _grid():
    """cos(theta_N) grid, denser towards the beam axis where distributions vary fastest."""
    x = np.linspace(-1.0, 1.0, _GRID)
    return np.sin(0.5 * np.pi * x)


def _sample_index(rs, m, model, flavour, convention, u, pieces=None, sin2w=None, beams=(0.0, 0.0)):
    """Inverse-CDF sampling of cos(theta_N) from dsigma/dcos, one row per mass.

    Returns the fractional grid index of every sample (so that other smooth functions of cos(theta_N),
    the polarisation, can be interpolated at the same points without another search).
    """
    grid = _grid()
    dens = _prod._angular_density(rs, m[:, None], grid[None, :], model, flavour=flavour, convention=convention,
                                  pieces=pieces, sin2w=sin2w, beams=beams)
    dens = np.clip(dens, 0.0, None)
    cdf = np.concatenate([np.zeros((len(m), 1)), np.cumsum(0.5 * (dens[:, 1:] + dens[:, :-1]) * np.diff(grid), axis=1)], axis=1)
    total = cdf[:, -1:]
    # nothing produced through the selected pieces (e.g. N from Z decays at d_Z = 0, a = 2 tan(theta_w)): the angular
    # shape is undefined and every rate built on it is zero; sample a flat cos(theta_N) instead of dividing 0 by 0
    cdf = np.where(total > 0, cdf / np.where(total > 0, total, 1.0), (grid[None, :] + 1) / 2)
    index = np.arange(grid.size, dtype=float)
    return np.array([np.interp(u, cdf[i], index) for i in range(len(m))])


def _at(values, frac_index):
    """Linear interpolation of grid values (rows) at fractional indices (rows)."""
    return _at_many([values], frac_index)[0]


def _at_many(values_list, frac_index):
    """:func:`_at` for several grid functions at the same fractional indices (the index arithmetic done once)."""
    rows = frac_index.shape[0]
    j = np.clip(np.floor(frac_index).astype(int), 0, _GRID - 2)
    f = frac_index - j
    flat = (j + _GRID * np.arange(rows)[:, None]).ravel()
    out = []
    for values in values_list:
        v = np.ascontiguousarray(np.broadcast_to(values, (rows, _GRID))).ravel()
        out.append((v[flat] * (1 - f.ravel()) + v[flat + 1] * f.ravel()).reshape(f.shape))
    return out


def photon_events(sqrt_s, m_N, model, *, flavour: str = "e", photon_model: str = "exact", n: int = DEFAULT_SAMPLES,
                  seed: int = DEFAULT_SEED, convention: str = "derived", pieces=None, sin2w=None,
                  beams=(0.0, 0.0)):
    """Lab-frame photons of e+e- -> N nu-bar, N -> nu gamma (N only; mirror cos for N-bar).

    Returns a dict of arrays with shape (len(m_N), n): 'E' [GeV], 'cos' (to the e- beam), 'pt' [GeV],
    'weight' (normalised to mean 1 per mass), and 'cos_N'.  ``model`` may be a scenario name or an array
    of a with one entry per mass; ``pieces`` restricts the production diagrams (e.g. ("Z",) for Z decays);
    ``sin2w``: sin^2(theta_w) (None: on-shell); ``beams``: (P(e-), P(e+)) (the N-bar of the same beams is the CP
    image: mirror cos).
    ``n`` must be 8 times a power of two (:func:`helpers.qmc.sobol_replicas`).
    """
    rs = float(positive(sqrt_s, "sqrt_s"))
    m = np.atleast_1d(_check_mass(m_N)).astype(float)
    below_threshold(m, rs)
    _check_flavour(flavour)
    _check_model(photon_model)
    u_prod, u_cos, u_phi = sobol_replicas(n, 3, seed)[0].T
    if not isinstance(model, str):
        model = np.broadcast_to(_cpl.resolve_model(model), m.shape)[:, None]
    idx = _sample_index(rs, m, model, flavour, convention, u_prod, pieces, sin2w, beams)
    cN = _at(_grid()[None, :], idx)
    sN = np.sqrt(np.clip(1 - cN**2, 0, None))
    cst = 2 * u_cos - 1  # photon direction in the N rest frame, relative to the helicity frame
    sst = np.sqrt(1 - cst**2)
    phi = 2 * np.pi * u_phi
    nx, ny, nz = sst * np.cos(phi), sst * np.sin(phi), cst  # components along (e_theta, e_normal, k_hat)
    if photon_model == "exact":
        pol = _prod.polarisation(rs, m[:, None], _grid()[None, :], model, flavour=flavour, pieces=pieces,
                                 sin2w=sin2w, beams=beams)
        PL, PT, PN = _at_many(pol, idx)
        weight = 1.0 - (PL * nz + PT * nx + PN * ny)
    elif photon_model == "paper":
        weight = np.broadcast_to(1.0 - nz, cN.shape).copy()
    elif photon_model == "opposite":
        weight = np.broadcast_to(1.0 + nz, cN.shape).copy()
    else:
        weight = np.ones_like(cN)
    E_N = _kin.energy_N(rs, m)[:, None]
    p_N = _kin.momentum_N(rs, m)[:, None]
    gamma, beta = E_N / m[:, None], p_N / E_N
    e_star = m[:, None] / 2
    E = gamma * e_star * (1 + beta * nz)
    p_par = gamma * e_star * (nz + beta)
    p_x_loc, p_y_loc = e_star * nx, e_star * ny
    # lab: k_hat = (sN, 0, cN), e_theta = (cN, 0, -sN), e_normal = (0, 1, 0)
    px = p_par * sN + p_x_loc * cN
    py = p_y_loc
    pz = p_par * cN - p_x_loc * sN
    weight = weight / weight.mean(axis=1, keepdims=True)
    return {"E": E, "cos": pz / E, "pt": np.hypot(px, py), "weight": weight, "cos_N": cN}


def acceptance(sqrt_s, m_N, model, *, cuts: PhotonCuts = ACCEPT_ALL, flavour: str = "e", photon_model: str = "exact",
               charge: str = "both", n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, convention: str = "derived",
               chunk: int = 25, pieces=None, sin2w=None, beams=(0.0, 0.0)) -> Acceptance:
    """Fraction of N -> nu gamma photons that pass ``cuts`` (production angle and spin correlation included).

    Vectorised over m_N and over a (``model`` may be an array of a broadcastable with m_N), in chunks
    of ``chunk`` points.  Does not include Br(N -> nu gamma), the detection efficiency, or the
    decay-volume probability (see :func:`signal_cross_section`).
    """
    rs = float(positive(sqrt_s, "sqrt_s"))
    _check_cuts(cuts)
    chunk = count(chunk, "chunk")
    if isinstance(model, str):
        m_all = np.atleast_1d(_check_mass(m_N)).astype(float)
        a_all = None
        shape = np.shape(m_N)
    else:
        m_b, a_b = np.broadcast_arrays(np.asarray(_check_mass(m_N), dtype=float), _cpl.resolve_model(model))
        shape = m_b.shape
        m_all, a_all = np.atleast_1d(m_b).ravel(), np.atleast_1d(a_b).ravel()
    below_threshold(m_all, rs)
    _check_charge(charge)

    def build():
        val = np.empty_like(m_all)
        err = np.empty_like(m_all)
        for start in range(0, len(m_all), chunk):
            m = m_all[start:start + chunk]
            mod = model if a_all is None else a_all[start:start + chunk]
            ev = photon_events(rs, m, mod, flavour=flavour, photon_model=photon_model, n=n, seed=seed,
                               convention=convention, pieces=pieces, sin2w=sin2w, beams=beams)
            ok = cuts.passes(ev["E"], ev["cos"], ev["pt"], rs).astype(float)
            if charge == "both":
                ok = 0.5 * (ok + cuts.passes(ev["E"], -ev["cos"], ev["pt"], rs))
            w = ev["weight"]
            k = len(m)
            wr = w.reshape(k, REPLICAS, -1)
            okr = ok.reshape(k, REPLICAS, -1)
            per_replica = np.sum(wr * okr, axis=2) / np.sum(wr, axis=2)
            eff = np.sum(w * ok, axis=1) / np.sum(w, axis=1)
            var = np.var(per_replica, axis=1, ddof=1) / REPLICAS
            val[start:start + chunk] = eff
            err[start:start + chunk] = np.sqrt(var)
        return {"value": val, "error": err}

    # Cached on disk (a re-run of a chapter reads what it computed before): keyed by every argument that decides
    # the photons and the cuts (helpers.symcache.stable_key; a cut function defined in a notebook by its code).
    key = (rs, stable_key(m_all), model if a_all is None else stable_key(a_all), stable_key(cuts), flavour,
           photon_model, charge, int(n), int(seed), convention, int(chunk), stable_key(pieces), stable_key(sin2w),
           stable_key(tuple(beams)))
    data = cached_arrays("signal.acceptance", key, build)
    return Acceptance(data["value"].reshape(shape), data["error"].reshape(shape))


def decay_inside_probability(sqrt_s, m_N, d_gamma, model=None, *, length, flavour: str = "e",
                             three_body: str = "below_threshold", convention: str = "derived", sin2w=None):
    r"""Probability that N decays (to anything) within ``length`` metres of the interaction point,
    1 - exp(-L / l_dec), with l_dec the lab decay length at E_N = (s + m_N^2)/(2 sqrt s).

    ``model=None`` uses the photon width alone (Eq. 15); otherwise the total width (1 at the singular point
    a = -2 cot(theta_w), where the decay length is 0).  Multiply by Br(N -> nu gamma) for a photon inside
    (Eq. 14 of the paper).
    """
    rs = positive(sqrt_s, "sqrt_s")
    m = _check_mass(m_N)
    below_threshold(m, rs)
    L = positive(length, "length", "m")
    E = _kin.energy_N(rs, m)
    ldec = _dec.decay_length(m, d_gamma, model, E_N=E, flavour=flavour, three_body=three_body, convention=convention,
                             sin2w=sin2w)
    with np.errstate(divide="ignore"):  # l_dec = 0 at the singular point: probability 1
        return -np.expm1(-L / ldec)


def _sigma_br_at_pole(sqrt_s, m_N, *, flavour: str, three_body: str, convention: str, charge: str = "both",
                      pieces=None, sin2w=None, beams=(0.0, 0.0)) -> np.ndarray:
    """lim_{a -> -2 cot(theta_w)} sigma(e+e- -> N nu; d_gamma = 1 GeV^-1) Br(N -> nu gamma) [pb].

    With d_gamma : d_Z : d_W = eps : n_Z : n_W (eps -> 0 at the pole), sigma = S(eps)/eps^2 and
    Br = eps^2 Gamma_gamma / (eps^2 Gamma_gamma + n_Z^2 Gamma_Z + n_W^2 Gamma_W), so the product tends to
    S(0) Gamma_gamma / (n_Z^2 Gamma_Z + n_W^2 Gamma_W): finite (+inf if no other channel is open).
    """
    rs = positive(sqrt_s, "sqrt_s")
    m = _check_mass(m_N)
    below_threshold(m, rs)
    mult = 2.0 if _check_charge(charge) == "both" else 1.0
    prod, _ = _prod._coupling_products(_cpl.a_pole(sin2w), flavour, sin2w)
    sig_dir = sum(_prod._sigma_pieces(rs, m, 1.0, prod, convention, mult, _prod._check_pieces(pieces),
                                      _prod._sw(sin2w), _prod._beam_mix(beams, convention)).values())
    g_gamma = _dec.width_nu_gamma(m, 1.0)
    den = _dec._width_at_pole(m, flavour, three_body, convention, sin2w)
    return np.where(den > 0, sig_dir * g_gamma / np.where(den > 0, den, 1.0), np.inf)


def signal_cross_section(sqrt_s, m_N, d_gamma, model, *, cuts: PhotonCuts = ACCEPT_ALL, flavour: str = "e",
                         efficiency: float = 1.0, length: float | None = 1.0, photon_model: str = "exact",
                         charge: str = "both", n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED,
                         three_body: str = "below_threshold", convention: str = "derived",
                         acc: Acceptance | None = None, sin2w=None, beams=(0.0, 0.0)):
    r"""Monophoton cross section from N [pb]: sigma(e+e- -> N nu) Br(N -> nu gamma) eps_cuts eps_det P_inside.

    ``length=None`` assumes every N decays inside.  Br counted once (the paper's Eq. 16 with its
    Eq. 14 would count it twice).  ``acc`` may pass a precomputed acceptance (it does not depend on d_gamma).
    At the singular point a = -2 cot(theta_w) the value is the limit a -> -2 cot(theta_w) (finite).
    """
    dg = coupling(d_gamma, "d_gamma")
    eff = fraction(efficiency, "efficiency")
    if acc is not None and not isinstance(acc, Acceptance):
        raise TypeError(f"acc must be an Acceptance (from helpers.signal.acceptance) or None (got {type(acc).__name__})")
    pole = _cpl.at_pole(model, sin2w)
    regular = model if not np.any(pole) else np.where(pole, 0.0, _cpl.resolve_model(model))
    sig = _prod.sigma(sqrt_s, m_N, dg, regular, flavour=flavour, charge=charge, convention=convention, sin2w=sin2w,
                      beams=beams)
    br = _dec.br_nu_gamma(m_N, regular, flavour=flavour, three_body=three_body, convention=convention, sin2w=sin2w)
    if acc is None:
        acc = acceptance(sqrt_s, m_N, model, cuts=cuts, flavour=flavour, photon_model=photon_model, charge=charge, n=n,
                         seed=seed, convention=convention, sin2w=sin2w, beams=beams)
    opts = dict(flavour=flavour, three_body=three_body, convention=convention, sin2w=sin2w)
    inside = 1.0 if length is None else decay_inside_probability(sqrt_s, m_N, dg, regular, length=length, **opts)
    out = sig * br * acc.value * eff * inside
    if np.any(pole):  # the limit: prompt decay, sigma Br finite
        at_pole = dg**2 * _sigma_br_at_pole(sqrt_s, m_N, **opts, charge=charge, beams=beams) * acc.value * eff
        out = np.where(pole, at_pole, out)
    return out
