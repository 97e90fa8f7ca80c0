"""CEPC: running modes, the monophoton selection of Sec. V, the cut flow and the projected bounds.

Modes (Sec. V of the paper, from the CEPC Snowmass report): Z (91.2 GeV, 100 ab^-1), WW (160 GeV, 6 ab^-1),
H (240 GeV, 20 ab^-1), ttbar (360 GeV, 1 ab^-1).  Selection:

1. preselection: |cos theta_gamma| < 0.99, E_gamma > 0.1 GeV;
2. Z-resonance veto: E_gamma outside E_gamma^Z +- 5 Gamma_gamma^Z;
3. Eq. (21): E_gamma > sqrt(s) / (1 + sin theta_gamma / sin theta_b), cos theta_b = 0.99 (removes radiative Bhabha
   and gamma gamma gamma whose other particles escape along the beam pipe; taken to remove them completely);
4. p_T^gamma > 35, 65, 100, 160 GeV in the Z, WW, H, ttbar modes.

The bound: S^2/B = 2.71 with S and B the signal and background event counts after all cuts.
Detector choices (not given in the paper; see the conventions page): N must decay within
``DETECTOR_LENGTH`` of the interaction point, and a photon is detected with ``PHOTON_EFFICIENCY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import background as _bkg
from .experiments import Experiment
from .signal import PhotonCuts
from .symcache import cached_arrays

DETECTOR_LENGTH = 1.8  #: [m] inner radius of the CEPC CDR baseline electromagnetic calorimeter (about 1.8 m)
PHOTON_EFFICIENCY = 0.99  #: photon reconstruction efficiency assumed for E_gamma of tens of GeV
COS_THETA_B = 0.99
PB_PER_INV_AB = 1e6  #: 1 ab^-1 = 1e6 pb^-1


@dataclass(frozen=True)
class Mode:
    name: str
    label: str
    sqrt_s: float
    luminosity_ab: float
    pt_min: float


MODES = {
    "z": Mode("z", "Z mode", 91.2, 100.0, 35.0),
    "ww": Mode("ww", "WW mode", 160.0, 6.0, 65.0),
    "h": Mode("h", "H mode", 240.0, 20.0, 100.0),
    "tt": Mode("tt", r"$t\bar t$ mode", 360.0, 1.0, 160.0),
}


def get_mode(name: str) -> Mode:
    if name not in MODES:
        raise ValueError(f"unknown CEPC mode {name!r}; allowed: {', '.join(MODES)}")
    return MODES[name]


def _veto_window(rs: float):
    EZ, GZ = _bkg.z_return_energy(rs)
    return EZ - 5 * GZ, EZ + 5 * GZ


def eq21_threshold(rs, cos_theta, cos_theta_b: float = COS_THETA_B):
    """E_gamma^m(theta) = sqrt(s) / (1 + sin(theta)/sin(theta_b)) (Eq. 21)."""
    sin_t = np.sqrt(np.clip(1 - np.asarray(cos_theta) ** 2, 0, None))
    sin_b = np.sqrt(1 - cos_theta_b**2)
    return rs / (1 + sin_t / sin_b)


def _z_veto(E, cos, pt, rs):
    lo, hi = _veto_window(rs)
    return (E <= lo) | (E >= hi)


def _eq21(E, cos, pt, rs):
    return E > eq21_threshold(rs, cos)


def _basic(E, cos, pt, rs):
    return _z_veto(E, cos, pt, rs) & _eq21(E, cos, pt, rs)


def cuts(mode: str, stage: str = "advanced") -> PhotonCuts:
    """The selection of a mode at a stage: 'preselection', 'z_veto', 'basic' (with Eq. 21) or 'advanced' (with p_T)."""
    m = get_mode(mode)
    pre = dict(cos_min=-0.99, cos_max=0.99, E_min=0.1)
    if stage == "preselection":
        return PhotonCuts(**pre)
    if stage == "z_veto":
        return PhotonCuts(**pre, extra=_z_veto)
    if stage == "basic":
        return PhotonCuts(**pre, extra=_basic)
    if stage == "advanced":
        return PhotonCuts(**pre, pt_min=m.pt_min, extra=_basic)
    raise ValueError(f"unknown stage {stage!r}; allowed: preselection, z_veto, basic, advanced")


STAGES = ("preselection", "z_veto", "basic", "advanced")


@lru_cache(maxsize=None)
def background_events(mode: str, region: str = "advanced", n: int = 8 * 2048, seed: int = 11,
                      scheme: str = _bkg.DEFAULT_SCHEME, flavours: tuple[str, ...] = ("e", "mu", "tau")) -> _bkg.Events:
    """Weighted nu nu-bar gamma events for a mode, generated in the region needed: 'preselection' (for the
    cut flow) or 'advanced' (E_gamma > p_T cut and |cos| < sqrt(1 - (p_T,min / E_max)^2): the only region
    that can pass the p_T cut, sampled densely for a precise background after all cuts).  ``scheme``: the
    electroweak scheme of the background (:data:`helpers.background.SCHEMES`); ``flavours``: the neutrino flavours
    summed (all three for the background; one, e.g. ``("e",)``, to see a channel's share)."""
    m = get_mode(mode)
    rs = m.sqrt_s
    sc = _bkg.get_scheme(scheme)
    if region not in ("preselection", "advanced"):
        raise ValueError(f"unknown region {region!r}; allowed: preselection, advanced")

    def build():
        if region == "preselection":
            ev = _bkg.generate(rs, (0.1, rs / 2), (-0.99, 0.99), n=n, seed=seed, scheme=sc, flavours=flavours)
        else:
            c_max = min(0.99, float(np.sqrt(1 - (m.pt_min / (rs / 2)) ** 2)))
            ev = _bkg.generate(rs, (max(0.1, m.pt_min), rs / 2), (-c_max, c_max), n=n, seed=seed, scheme=sc,
                                flavours=flavours)
        return {"E": ev.E, "cos": ev.cos, "pt": ev.pt, "weight": ev.weight, "replica": ev.replica}

    # several seconds per sample: cached on disk, keyed by every input (the scheme with its numbers, the WW gamma
    # phase) and the code fingerprint
    key = (mode, region, n, seed, rs, m.pt_min, sc.name, sc.alpha, sc.sin2w, sc.alpha_photon, str(_bkg.WWA_PHASE),
           tuple(flavours))
    data = cached_arrays("cepc.background_events", key, build)
    return _bkg.Events(**data)


def background_after(mode: str, stage: str = "advanced", scheme: str = _bkg.DEFAULT_SCHEME,
                     flavours: tuple[str, ...] = ("e", "mu", "tau"), n: int = 8 * 2048, seed: int = 11) -> tuple[float, float]:
    """Background cross section [pb] and its statistical error after a stage of the selection."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; allowed: {', '.join(STAGES)}")
    region = "advanced" if stage == "advanced" else "preselection"
    ev = background_events(mode, region, n=n, seed=seed, scheme=scheme, flavours=tuple(flavours))
    c = cuts(mode, stage)
    mask = c.passes(ev.E, ev.cos, ev.pt, get_mode(mode).sqrt_s)
    return ev.sigma(mask)


def experiment(mode: str, detector_length: float = DETECTOR_LENGTH, efficiency: float = PHOTON_EFFICIENCY,
               background: float | None = None) -> Experiment:
    """The CEPC projection of a mode as an Experiment record (kind 'monophoton_s2b')."""
    m = get_mode(mode)
    bkg = background if background is not None else background_after(mode)[0]
    return Experiment(
        name=f"cepc_{mode}",
        label=f"CEPC {m.label}",
        kind="monophoton_s2b",
        sqrt_s=m.sqrt_s,
        cuts=cuts(mode),
        efficiency=efficiency,
        detector_length=detector_length,
        limit=1.0,  # unused for s2b: the bound is sqrt(2.71 B / L)
        reference="cepc2022",
        statistic=f"S^2/B = 2.71 with {m.luminosity_ab:g} ab^-1, B = {bkg:.4g} pb after the advanced cuts",
        background=bkg,
        luminosity=m.luminosity_ab * PB_PER_INV_AB,
    )
