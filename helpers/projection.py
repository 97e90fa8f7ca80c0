"""Monophoton projections at a future e+e- collider: the selection of Sec. V, the nu nu-bar gamma background after it,
and the projected bound, for any :class:`~helpers.colliders.RunningMode`.

Selection (Sec. V of the paper; every number from the mode's record):

1. preselection: |cos theta_gamma| < ``cos_max``, E_gamma > ``E_min``;
2. Z-resonance veto: E_gamma outside E_gamma^Z +- ``z_veto_widths`` Gamma_gamma^Z;
3. Eq. (21): E_gamma > sqrt(s) / (1 + sin theta_gamma / sin theta_b), cos theta_b = ``cos_theta_b`` (removes radiative
   Bhabha and gamma gamma gamma whose other particles escape along the beam pipe; taken to remove them completely);
4. p_T^gamma > ``pt_min``.

The bound: S^2/B = ``s2b_crit`` with S and B the signal and background event counts after all cuts; N must decay within
``detector_radius`` and a photon is detected with ``photon_efficiency``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import background as _bkg
from . import colliders as _col
from .experiments import Experiment
from .selection import EnergyResolution, PhotonCuts, SmearedCuts

STAGES = ("preselection", "z_veto", "basic", "advanced")  #: the stages of the cut flow, in order


def eq21_threshold(rs, cos_theta, cos_theta_b: float):
    """E_gamma^m(theta) = sqrt(s) / (1 + sin(theta)/sin(theta_b)) (Eq. 21)."""
    sin_t = np.sqrt(np.clip(1 - np.asarray(cos_theta) ** 2, 0, None))
    sin_b = np.sqrt(1 - cos_theta_b**2)
    return rs / (1 + sin_t / sin_b)


def veto_window(mode) -> tuple[float, float]:
    """(E_low, E_high) of the Z-return veto of a mode [GeV]."""
    m = _col.get(mode)
    EZ, GZ = _bkg.z_return_energy(m.sqrt_s)
    return EZ - m.z_veto_widths * GZ, EZ + m.z_veto_widths * GZ


@dataclass(frozen=True)
class Vetoes:
    """The Z-return veto and the Eq. (21) threshold, as the ``extra`` cut of a :class:`~helpers.selection.PhotonCuts`
    (a record, so that it enters cache keys by value).  ``None`` switches a cut off."""

    z_veto_widths: float | None = None
    cos_theta_b: float | None = None

    def __call__(self, E, cos, pt, rs):
        ok = np.ones(np.shape(E), dtype=bool)
        if self.z_veto_widths is not None:
            EZ, GZ = _bkg.z_return_energy(rs)
            ok &= (E <= EZ - self.z_veto_widths * GZ) | (E >= EZ + self.z_veto_widths * GZ)
        if self.cos_theta_b is not None:
            ok &= E > eq21_threshold(rs, cos, self.cos_theta_b)
        return ok


def cuts(mode, stage: str = "advanced", resolution: EnergyResolution | None = None) -> PhotonCuts:
    """The selection of a mode at a stage: 'preselection', 'z_veto', 'basic' (with Eq. 21) or 'advanced' (with p_T).
    ``resolution``: applied to the measured photon energy (a :class:`~helpers.selection.SmearedCuts`); None: the
    true energy, as the paper."""
    m = _col.get(mode)
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; allowed: {', '.join(STAGES)}")
    if resolution is not None and not isinstance(resolution, EnergyResolution):
        raise TypeError(f"resolution must be a helpers.selection.EnergyResolution or None (got {resolution!r})")
    make = PhotonCuts if resolution is None else (lambda **kw: SmearedCuts(**kw, resolution=resolution))
    pre = dict(cos_min=-m.cos_max, cos_max=m.cos_max, E_min=m.E_min)
    if stage == "preselection":
        return make(**pre)
    if stage == "z_veto":
        return make(**pre, extra=Vetoes(z_veto_widths=m.z_veto_widths))
    vetoes = Vetoes(z_veto_widths=m.z_veto_widths, cos_theta_b=m.cos_theta_b)
    if stage == "basic":
        return make(**pre, extra=vetoes)
    return make(**pre, pt_min=m.pt_min, extra=vetoes)


@lru_cache(maxsize=None)
def background_events(mode, region: str = "advanced", n: int = 8 * 2048, seed: int = 11,
                      scheme: str = _bkg.DEFAULT_SCHEME, flavours: tuple[str, ...] = ("e", "mu", "tau"),
                      polarisation: tuple[float, float] = (0.0, 0.0), margin: float = 0.0) -> _bkg.Events:
    """Weighted nu nu-bar gamma events for a mode, generated in the region needed: 'preselection' (for the
    cut flow) or 'advanced' (E_gamma > p_T cut and |cos| < sqrt(1 - (p_T,min / E_max)^2): the only region
    that can pass the p_T cut, sampled densely for a precise background after all cuts).  ``scheme``: the
    electroweak scheme of the background (:data:`helpers.background.SCHEMES`); ``flavours``: the neutrino flavours
    summed (all three for the background; one, e.g. ``("e",)``, to see a channel's share); ``polarisation``:
    (P(e-), P(e+)) of the beams; ``margin`` [GeV]: the 'advanced' region starts this much below the p_T cut (for a
    smeared energy, photons below the cut can migrate above it)."""
    m = _col.get(mode)
    rs = m.sqrt_s
    sc = _bkg.get_scheme(scheme)
    if region not in ("preselection", "advanced"):
        raise ValueError(f"unknown region {region!r}; allowed: preselection, advanced")
    if region == "preselection":
        E_range, c_max = (m.E_min, rs / 2), m.cos_max
    else:
        pt_lo = max(m.pt_min - float(margin), m.E_min)
        c_max = min(m.cos_max, float(np.sqrt(1 - (pt_lo / (rs / 2)) ** 2)))
        E_range = (max(m.E_min, pt_lo), rs / 2)
    # several seconds per sample: cached on disk by helpers.background.generate, keyed by every input
    return _bkg.generate(rs, E_range, (-c_max, c_max), n=n, seed=seed, scheme=sc, flavours=tuple(flavours),
                         polarisation=tuple(polarisation))


def background_after(mode, stage: str = "advanced", scheme: str = _bkg.DEFAULT_SCHEME,
                     flavours: tuple[str, ...] = ("e", "mu", "tau"), n: int = 8 * 2048,
                     seed: int = 11, polarisation: tuple[float, float] = (0.0, 0.0),
                     resolution: EnergyResolution | None = None) -> tuple[float, float]:
    """Background cross section [pb] and its statistical error after a stage of the selection, for beams of
    polarisation (P(e-), P(e+)); ``resolution``: the photon energy measured with it (the sample then reaches
    5 sigma_E below the p_T cut)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; allowed: {', '.join(STAGES)}")
    m = _col.get(mode)
    region = "advanced" if stage == "advanced" else "preselection"
    margin = 0.0 if resolution is None or region != "advanced" else 5 * float(resolution.sigma(m.pt_min))
    ev = background_events(m.key, region, n=n, seed=seed, scheme=scheme, flavours=tuple(flavours),
                           polarisation=tuple(float(p) for p in polarisation), margin=margin)
    mask = cuts(m, stage, resolution).passes(ev.E, ev.cos, ev.pt, m.sqrt_s)
    return ev.sigma(mask)


def experiment(mode, detector_radius: float | None = None, efficiency: float | None = None,
               background: float | None = None, resolution: EnergyResolution | None = None) -> Experiment:
    """The projection of a mode as an Experiment record (kind 'monophoton_s2b'); ``detector_radius``,
    ``efficiency`` and ``background`` [pb] override the record's choices and the computed background (unpolarised
    modes only).  A mode with polarised beams gets one configuration per entry of its run plan, each with the
    background computed for its beams.  ``resolution``: the photon energy of signal and background measured with it
    (:class:`~helpers.selection.EnergyResolution`; default None, the true energy, as the paper)."""
    m = _col.get(mode)
    configurations = None
    if m.polarisations != ((0.0, 0.0, 1.0),):
        if background is not None:
            raise ValueError(f"{m.key} has polarised beams: its backgrounds are computed per configuration")
        configurations = tuple((pm, pp, share * m.luminosity_pb,
                                background_after(m, polarisation=(pm, pp), resolution=resolution)[0])
                               for pm, pp, share in m.polarisations)
        bkg = sum(c[2] * c[3] for c in configurations) / m.luminosity_pb
    else:
        bkg = background if background is not None else background_after(m, resolution=resolution)[0]
    pol = "" if configurations is None else ", beams " + "; ".join(
        f"({pm:+.0%}, {pp:+.0%}) {share:.0%}" for pm, pp, share in m.polarisations)
    return Experiment(
        name=m.key,
        label=m.label,
        kind="monophoton_s2b",
        sqrt_s=m.sqrt_s,
        cuts=cuts(m, resolution=resolution),
        efficiency=m.photon_efficiency if efficiency is None else efficiency,
        detector_length=m.detector_radius if detector_radius is None else detector_radius,
        limit=None,
        reference=m.reference,
        statistic=f"S^2/B = {m.s2b_crit:g} with {m.luminosity_ab:g} ab^-1, B = {bkg:.4g} pb after the advanced cuts"
                  + ("" if configurations is None else f" (luminosity-weighted mean; the sum of S^2/B over the beam "
                                                          f"configurations{pol})"),
        background=bkg,
        luminosity=m.luminosity_pb,
        s2b_crit=m.s2b_crit,
        configurations=configurations,
    )


# --- statistics a collaboration would accept: expected CLs limits with systematics -------------------------------


def energy_bins(mode, n_bins: int = 1) -> list[tuple[float, float]]:
    """``n_bins`` bins in E_gamma over what the advanced selection accepts (max(E_min, p_T,min) to sqrt(s)/2 [GeV]),
    each holding the same share of the (unpolarised) background after the advanced selection: no bin is empty, and
    the signal's harder spectrum shows up as a rising S/B across the bins."""
    m = _col.get(mode)
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer (got {n_bins!r})")
    lo, hi = max(m.E_min, m.pt_min), m.sqrt_s / 2
    if n_bins == 1:
        return [(lo, hi)]
    ev = background_events(m.key, "advanced")
    w = ev.weight * cuts(m).passes(ev.E, ev.cos, ev.pt, m.sqrt_s)
    order = np.argsort(ev.E)
    cdf = np.cumsum(w[order]) / np.sum(w)
    inner = np.interp(np.arange(1, n_bins) / n_bins, cdf, ev.E[order])
    edges = np.concatenate([[lo], inner, [hi]])
    return [(float(a), float(b)) for a, b in zip(edges[:-1], edges[1:])]


def _with_energy_window(c: PhotonCuts, lo: float, hi: float) -> PhotonCuts:
    from dataclasses import replace

    return replace(c, E_min=max(c.E_min, lo), E_max=min(c.E_max, hi))


def background_in(mode, selection: PhotonCuts, polarisation: tuple[float, float] = (0.0, 0.0)) -> float:
    """Background cross section [pb] of a mode passing ``selection`` (a subset of its advanced selection, e.g. an
    energy bin), for beams of polarisation (P(e-), P(e+))."""
    m = _col.get(mode)
    ev = background_events(m.key, "advanced", polarisation=tuple(float(p) for p in polarisation))
    return float(np.sum(ev.weight * selection.passes(ev.E, ev.cos, ev.pt, m.sqrt_s)))


def _configurations(mode):
    m = _col.get(mode)
    return tuple((pm, pp, share * m.luminosity_pb) for pm, pp, share in m.polarisations)


def cls_coefficients(mode, m_N, model, *, flavour: str = "e", bkg_uncertainty: float = 0.0,
                     lumi_uncertainty: float = 0.0, n_bins: int = 1, **options):
    r"""The projected bound of a mode from the median expected CLs limit (:mod:`helpers.statistics`, pyhf) instead of
    S^2/B, as :class:`helpers.limits.RateCoefficients` for :func:`helpers.limits.band`.

    The likelihood has one bin per (beam configuration, photon-energy bin) of the run plan (:func:`energy_bins`; the
    configurations are independent data sets), the background normalisation uncertainty ``bkg_uncertainty`` common
    to all of them and the luminosity uncertainty ``lumi_uncertainty`` on the signal.  For each mass the signal in bin
    k is L_k C_k x with x = d_gamma^2 P_decay(d_gamma) (the part of the rate that depends on d_gamma, the same in every
    bin); the limit on the signal strength gives the excluded x_95 per mass, and the band is x >= x_95.  ``options``
    go to :func:`helpers.limits.rate_coefficients` (not ``beams`` and ``acc``: the run plan sets the beams).
    """
    from . import limits as _lim
    from . import statistics as _st

    m = _col.get(mode)
    exp = experiment(m)
    base = exp.with_(configurations=None)
    masses = np.atleast_1d(np.asarray(m_N, dtype=float))
    signal, bkg = [], []
    coeff = None
    for pm, pp, lum in _configurations(m):
        for lo, hi in energy_bins(m, n_bins):
            sel = _with_energy_window(exp.cuts, lo, hi)
            coeff = _lim.rate_coefficients(base.with_(cuts=sel), masses, model, flavour=flavour, beams=(pm, pp),
                                           **options)
            signal.append(lum * coeff.C)
            bkg.append(lum * background_in(m, sel, (pm, pp)))
    S = np.array(signal).T  # (masses, bins): events at x = 1
    B = np.array(bkg)
    if np.any(B <= 0):
        raise ValueError(f"{m.key}: a bin without background events in the sample; use fewer energy bins")
    kw = dict(bkg_uncertainty=bkg_uncertainty, lumi_uncertainty=lumi_uncertainty)
    x95 = np.full(len(masses), np.inf)
    shapes = S / np.where(S.sum(axis=1, keepdims=True) > 0, S.sum(axis=1, keepdims=True), 1.0)
    if S.shape[1] == 1:  # one bin: the excluded number of events is the same at every mass
        n95 = _st.excluded_signal([1.0], B, **kw)
        ok = S[:, 0] > 0
        x95[ok] = n95 / S[ok, 0]
    else:
        for i in np.nonzero(S.sum(axis=1) > 0)[0]:
            x95[i] = _st.excluded_signal(shapes[i], B, **kw) / S[i].sum()
    C = np.where(np.isfinite(x95), 1.0 / x95, 0.0)
    return _lim.RateCoefficients(C=C, kappa=coeff.kappa, region=coeff.region, bound=1.0)


def cls_curve(mode, scenario, flavour: str, masses, *, bkg_uncertainty: float = 0.0, lumi_uncertainty: float = 0.0,
              n_bins: int = 1, **options):
    """(m_N, d_low, d_high) of a mode from the expected CLs limit (:func:`cls_coefficients`); cached on disk, keyed by
    the mode record, its computed backgrounds, the masses, the statistics options and the code."""
    from . import curves as _K
    from . import limits as _lim
    from .symcache import cached_arrays

    m = _col.get(mode)
    masses = np.asarray(masses, dtype=float)

    def build():
        low, high = _lim.band(cls_coefficients(m, masses, scenario, flavour=flavour, bkg_uncertainty=bkg_uncertainty,
                                               lumi_uncertainty=lumi_uncertainty, n_bins=n_bins, **options))
        return {"low": np.asarray(low, dtype=float), "high": np.asarray(high, dtype=float)}

    key = ("cls", _K._stable(m), _K._stable(experiment(m)), _K._stable(scenario), flavour, _K._stable(masses),
           float(bkg_uncertainty), float(lumi_uncertainty), int(n_bins), _K._stable(options))
    data = cached_arrays("projection.cls_curve", key, build)
    return masses, data["low"], data["high"]
