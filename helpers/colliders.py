"""Colliders and running modes as data: one :class:`RunningMode` record per mode, found through a registry.

A record holds everything a monophoton projection needs: sqrt(s), integrated luminosity, beam polarisations with their
shares of the luminosity, the photon acceptance and the cuts of the selection, the radius within which N must decay
and the photon efficiency, the statistical rule, and the source of each number (:attr:`RunningMode.sources`).
:mod:`helpers.projection` turns a record into a cut flow, a background and an
:class:`~helpers.experiments.Experiment`; :func:`helpers.experiments.get` finds a mode by its key (e.g. ``"cepc_z"``)
next to the LEP analyses.  Adding a collider is adding records to :data:`MODES`; no code dispatches on names.

The CEPC modes are those of the paper (Sec. V of Zhang & Liu, PRD 107, 095031 (2023), from the CEPC Snowmass report,
arXiv:2205.08553), kept as they are so that Fig. 7 stays a reproduction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import paper

PB_PER_INV_AB = 1e6  #: 1 ab^-1 = 1e6 pb^-1


@dataclass(frozen=True)
class RunningMode:
    """One running mode of one collider (all energies in GeV, lengths in metres)."""

    key: str  #: analysis key, unique across the registry and the LEP records (e.g. "cepc_z")
    collider: str  #: the machine, e.g. "CEPC (paper)"
    short: str  #: the mode's short name, e.g. "Z", "WW", "H", "tt̄"
    label: str  #: for plots and tables (may contain mathtext)
    sqrt_s: float  #: centre-of-mass energy
    luminosity_ab: float  #: integrated luminosity of the whole mode [ab^-1]
    pt_min: float  #: the p_T cut of the advanced selection
    cos_max: float = 0.99  #: photon acceptance |cos theta_gamma| < cos_max (preselection)
    E_min: float = 0.1  #: photon energy threshold (preselection)
    cos_theta_b: float = 0.99  #: the subdetector boundary of Eq. (21)
    z_veto_widths: float = 5.0  #: Z-return veto: E_gamma outside E_Z +- this many Gamma_gamma^Z
    detector_radius: float = 1.8  #: N must decay within this distance to give a detected photon
    photon_efficiency: float = 0.99  #: photon reconstruction efficiency
    #: (P(e-), P(e+), share of the luminosity) per beam-helicity configuration; unpolarised: ((0, 0, 1),)
    polarisations: tuple[tuple[float, float, float], ...] = ((0.0, 0.0, 1.0),)
    s2b_crit: float = 2.71  #: the paper's rule: excluded if S^2/B > s2b_crit
    reference: str = ""  #: full reference of the run plan
    sources: dict = field(default_factory=dict, compare=False)  #: field -> where its value comes from

    def __post_init__(self):
        for name in ("sqrt_s", "luminosity_ab", "pt_min", "E_min", "detector_radius"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ValueError(f"{self.key}: {name} must be a finite positive number, got {v!r}")
        for name in ("cos_max", "cos_theta_b"):
            if not 0 < getattr(self, name) < 1:
                raise ValueError(f"{self.key}: {name} must lie in (0, 1)")
        if not 0 < self.photon_efficiency <= 1:
            raise ValueError(f"{self.key}: photon_efficiency must lie in (0, 1]")
        if self.pt_min >= self.sqrt_s / 2:
            raise ValueError(f"{self.key}: pt_min must be below sqrt(s)/2 = {self.sqrt_s / 2:g} GeV")
        shares = [p[2] for p in self.polarisations]
        if any(not -1 <= p[0] <= 1 or not -1 <= p[1] <= 1 for p in self.polarisations) or \
                any(s <= 0 for s in shares) or abs(sum(shares) - 1) > 1e-9:
            raise ValueError(f"{self.key}: polarisations need |P| <= 1 and positive shares adding up to 1")

    @property
    def luminosity_pb(self) -> float:
        """Integrated luminosity [pb^-1]."""
        return self.luminosity_ab * PB_PER_INV_AB


_CEPC_PAPER_SOURCES = {
    "sqrt_s": "Zhang & Liu 2023, Sec. V (CEPC Snowmass report, arXiv:2205.08553); the Z mode 'on the Z pole': 91.2 GeV "
              "is the book's reading",
    "luminosity_ab": "Zhang & Liu 2023, Sec. V and Fig. 7 caption",
    "pt_min": "Zhang & Liu 2023, Sec. V, the 'advanced cut'",
    "cos_max": "Zhang & Liu 2023, Sec. V preselection (from the CEPC CDR)",
    "E_min": "Zhang & Liu 2023, Sec. V preselection (from the CEPC CDR)",
    "cos_theta_b": "Zhang & Liu 2023, Eq. (21)",
    "z_veto_widths": "Zhang & Liu 2023, Sec. V, the Z-resonance veto",
    "detector_radius": "this book's choice (the paper gives none): about the ECAL inner radius of the CEPC CDR "
                       "baseline detector, 1.8 m; the CEPCSW reference geometry has 1.86 m",
    "photon_efficiency": "this book's choice (the paper gives none)",
    "polarisations": "CEPC has unpolarised beams",
    "s2b_crit": "Zhang & Liu 2023, Sec. V",
}
_CEPC_REF = ("H. Cheng et al. (CEPC Physics Study Group), The physics potential of the CEPC, arXiv:2205.08553 (2022), "
             "as used in Y. Zhang, W. Liu, Phys. Rev. D 107, 095031 (2023), Sec. V")


def _cepc(short: str, label: str, sqrt_s: float, index: int) -> RunningMode:
    """A CEPC mode of the paper; every number but the Z-pole energy from :mod:`helpers.paper`."""
    name = {"tt̄": "tt"}.get(short, short.lower())
    P = paper.INPUTS
    return RunningMode(key="cepc_" + name, collider="CEPC (paper)", short=short, label=label, sqrt_s=sqrt_s,
                       luminosity_ab=P[f"cepc_lumi_{name}"].value, pt_min=P["cepc_pt_min"].value[index],
                       cos_max=P["cepc_cos_max"].value, E_min=P["cepc_E_min"].value,
                       cos_theta_b=P["cepc_cos_theta_b"].value, z_veto_widths=P["cepc_veto_widths"].value,
                       s2b_crit=P["cepc_s2b"].value, reference=_CEPC_REF, sources=_CEPC_PAPER_SOURCES)


#: every running mode the book projects, by key
MODES: dict[str, RunningMode] = {m.key: m for m in (
    _cepc("Z", "CEPC Z mode", 91.2, 0),  # 'on the Z pole' in the paper: 91.2 GeV is the book's reading
    _cepc("WW", "CEPC WW mode", paper.INPUTS["cepc_sqrt_s"].value[0], 1),
    _cepc("H", "CEPC H mode", paper.INPUTS["cepc_sqrt_s"].value[1], 2),
    _cepc("tt̄", r"CEPC $t\bar t$ mode", paper.INPUTS["cepc_sqrt_s"].value[2], 3),
)}

COLLIDERS = tuple(dict.fromkeys(m.collider for m in MODES.values()))  #: the machines, in registry order


def get(key: str | RunningMode) -> RunningMode:
    """A running mode by key (or the record itself); ValueError lists the known keys."""
    if isinstance(key, RunningMode):
        return key
    if key not in MODES:
        raise ValueError(f"unknown running mode {key!r}; allowed: {', '.join(MODES)}")
    return MODES[key]


def modes(collider: str) -> dict[str, RunningMode]:
    """The running modes of one collider, by key, in registry order."""
    if collider not in COLLIDERS:
        raise ValueError(f"unknown collider {collider!r}; allowed: {', '.join(COLLIDERS)}")
    return {k: m for k, m in MODES.items() if m.collider == collider}
