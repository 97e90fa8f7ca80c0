"""Colliders and running modes as data: one :class:`RunningMode` record per mode, found through a registry.

A record holds everything a monophoton projection needs: sqrt(s), integrated luminosity, beam polarisations with their
shares of the luminosity, the photon acceptance and the cuts of the selection, the radius within which N must decay
and the photon efficiency, the statistical rule, and the source of each number (:attr:`RunningMode.sources`).
:mod:`helpers.projection` turns a record into a cut flow, a background and an
:class:`~helpers.experiments.Experiment`; :func:`helpers.experiments.get` finds a mode by its key (e.g. ``"cepc_z"``)
next to the LEP analyses.  Adding a collider is adding records to :data:`MODES`; no code dispatches on names.

The CEPC modes are those of the paper (Sec. V of Zhang & Liu, PRD 107, 095031 (2023), from the CEPC Snowmass report,
arXiv:2205.08553), kept as they are so that Fig. 7 stays a reproduction.  FCC-ee (2025 feasibility study), ILC
250 GeV (the H20 plan, polarised) and CLIC 380 GeV (polarised e-) follow, with the paper's selection carried over;
every number has its source in :attr:`RunningMode.sources`, and a number whose table could not be read here says so.
The CEPC baseline of the accelerator TDR era (30 MW, two interaction points, the "10-2-1" years plan) follows as
``cepc_tdr_*``: its luminosities are computed from the per-IP peak luminosities of the IHEP CEPC page, since the TDR's
run-plan table (arXiv:2312.14363) could not be read here; the paper's 20/100/6/1 ab^-1 correspond to the upgraded
(50 MW) scenario.
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
    #: photon energy resolution of the reference detector's ECAL, (stochastic, constant): sigma_E/E = a/sqrt(E) (+) b;
    #: used only where a resolution is asked for (the paper's selection acts on the true energy)
    photon_resolution: tuple[float, float] = (0.17, 0.01)
    #: relative energy spread of each beam (sigma_E / E); matters on the Z peak; 0: not given
    beam_energy_spread: float = 0.0
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
    "photon_resolution": "typical of the silicon-tungsten ECAL of the CEPC CDR baseline detector, 17 %/sqrt(E) (+) 1 % "
                         "(a design value; the table itself could not be read here: unconfirmed)",
}
_CEPC_REF = ("H. Cheng et al. (CEPC Physics Study Group), The physics potential of the CEPC, arXiv:2205.08553 (2022), "
             "as used in Y. Zhang, W. Liu, Phys. Rev. D 107, 095031 (2023), Sec. V")


SECONDS_PER_YEAR_CEPC = 1.3e7  #: physics seconds per year in the CEPC run plans (see the TDR records' sources)
_IHEP_PAGE = "http://cepc.ihep.ac.cn/intro.html (read 2026)"
_CEPC_TDR_REF = ("CEPC Study Group, CEPC Technical Design Report -- Accelerator, arXiv:2312.14363 (2023), the 30 MW "
                 "baseline with two IPs and the '10-2-1' plan as summarised on " + _IHEP_PAGE)


def _cepc_tdr_luminosity(peak_1e34: float, years: float) -> float:
    """Integrated luminosity [ab^-1] of a CEPC baseline mode: peak luminosity per IP [1e34 cm^-2 s^-1] x 2 IPs x
    years x :data:`SECONDS_PER_YEAR_CEPC` (1 ab^-1 = 1e42 cm^-2)."""
    return round(peak_1e34 * 1e34 * 2 * years * SECONDS_PER_YEAR_CEPC / 1e42, 1)


def _cepc_selection(index: int) -> dict:
    """The paper's CEPC selection and rule (helpers.paper) for its mode number ``index`` (Z, WW, H, tt-bar)."""
    P = paper.INPUTS
    return dict(pt_min=P["cepc_pt_min"].value[index], cos_max=P["cepc_cos_max"].value, E_min=P["cepc_E_min"].value,
                cos_theta_b=P["cepc_cos_theta_b"].value, z_veto_widths=P["cepc_veto_widths"].value,
                s2b_crit=P["cepc_s2b"].value)


def _cepc_tdr(short: str, sqrt_s: float, index: int, peak: float, years: float) -> RunningMode:
    """A mode of the CEPC TDR-era baseline: the paper's selection at the same energy, the luminosity of the baseline
    plan, the CEPCSW reference detector's ECAL radius."""
    lumi = _cepc_tdr_luminosity(peak, years)
    sources = {
        **_CEPC_PAPER_SOURCES,
        "luminosity_ab": (f"{peak:g}e34 cm^-2 s^-1 per IP for {years:g} year(s) ({_IHEP_PAGE}: the '10-2-1' plan), two "
                          f"IPs, {SECONDS_PER_YEAR_CEPC:.1e} s of physics a year (the book's assumption: with it the "
                          "page's 2.6 million Higgs bosons and 2.5 trillion Z bosons follow from 13 and 60 ab^-1; "
                          "its 130 million W bosons do not follow from 4.2 ab^-1); the TDR's run-plan "
                          "table itself (arXiv:2312.14363) could not be read here: unconfirmed"),
        "detector_radius": "the CEPCSW reference detector (TDR_o1): ECAL barrel inner radius 1.86 m (key4hep/k4geo "
                           "CEPC geometry gives 1.84-1.86 m)",
        "sqrt_s": "the CEPC modes of the paper (Z: 91.2 GeV, the book's reading)",
    }
    return RunningMode(key="cepc_tdr_" + short.lower(), collider="CEPC (TDR baseline)", short=short,
                       label=f"CEPC TDR {short} mode", sqrt_s=sqrt_s, luminosity_ab=lumi, detector_radius=1.86,
                       reference=_CEPC_TDR_REF, sources=sources, **_cepc_selection(index))


def _cepc(short: str, label: str, sqrt_s: float, index: int) -> RunningMode:
    """A CEPC mode of the paper; every number but the Z-pole energy from :mod:`helpers.paper`."""
    name = {"tt̄": "tt"}.get(short, short.lower())
    P = paper.INPUTS
    return RunningMode(key="cepc_" + name, collider="CEPC (paper)", short=short, label=label, sqrt_s=sqrt_s,
                       luminosity_ab=P[f"cepc_lumi_{name}"].value, reference=_CEPC_REF, sources=_CEPC_PAPER_SOURCES,
                       **_cepc_selection(index))


# --- proposed colliders beyond the paper ---------------------------------------------------------------------------
#
# The selection is the paper's Sec. V selection, carried over: the same preselection (|cos| < 0.99, E > 0.1 GeV), the
# Z-return veto, Eq. (21) with cos(theta_b) = 0.99 (theta_b = 141 mrad: every detector below has forward calorimeters
# (LumiCal) down to 30-50 mrad, so the veto of radiative Bhabha and gamma gamma gamma events with particles lost
# beyond theta_b is within their coverage), and a p_T cut that is the same fraction of sqrt(s) as the paper's CEPC
# cut at the nearest energy (35/91.2, 65/160, 100/240, 160/360).  The decay radius is the ECAL barrel inner radius of
# the machine's reference detector, from its public simulation geometry (key4hep/k4geo, commit 3fb6e43).

_K4GEO = "key4hep/k4geo (commit 3fb6e43) compact geometry, "
_UNREAD = " (the run-plan table itself could not be read here: the number is as commonly quoted; unconfirmed)"


def _pt_cut(sqrt_s: float) -> float:
    """The paper's p_T cut scaled to sqrt(s): the CEPC mode nearest in energy sets the fraction p_T,min/sqrt(s)."""
    rs_cepc = (91.2,) + tuple(paper.INPUTS["cepc_sqrt_s"].value)
    pts = paper.INPUTS["cepc_pt_min"].value
    i = min(range(len(rs_cepc)), key=lambda j: abs(rs_cepc[j] - sqrt_s))
    return round(pts[i] / rs_cepc[i] * sqrt_s, 1)


def _proposed(key, collider, short, label, sqrt_s, lumi, *, radius, polarisations=((0.0, 0.0, 1.0),), reference,
              sources, resolution=(0.15, 0.01), spread=0.0) -> RunningMode:
    base = {
        "pt_min": "the paper's p_T cut scaled to sqrt(s) (same fraction of sqrt(s) as its CEPC mode nearest in energy)",
        "cos_max": "the paper's preselection, carried over", "E_min": "the paper's preselection, carried over",
        "cos_theta_b": "Zhang & Liu 2023, Eq. (21), carried over (within the LumiCal coverage of the detector)",
        "z_veto_widths": "the paper's Z-return veto, carried over",
        "photon_efficiency": "this book's choice, as for CEPC",
        "s2b_crit": "the paper's rule, kept for comparison (helpers.statistics gives CLs limits)",
    }
    return RunningMode(key=key, collider=collider, short=short, label=label, sqrt_s=sqrt_s, luminosity_ab=lumi,
                       pt_min=_pt_cut(sqrt_s), detector_radius=radius, polarisations=polarisations,
                       photon_resolution=resolution, beam_energy_spread=spread, reference=reference,
                       sources={**base, **sources})


_FCC_REF = ("M. Benedikt et al. (FCC collaboration), Future Circular Collider Feasibility Study Report, Vol. 1 and 2, "
            "CERN-FCC-PHYS-2025-0002, arXiv:2505.00272, 2505.00274 (2025): run plan with four experiments")
_FCC_DET = _K4GEO + "FCCee/CLD/compact/CLD_o2_v07: ECalBarrel_inner_radius = 2.15 m (CLD; IDEA's calorimeter starts at 2.5 m)"
_ILC_REF = ("ILC International Development Team, The International Linear Collider: report to Snowmass 2021, "
            "arXiv:2203.07622; the H20 staged running scenario (P. Bambade et al., arXiv:1903.01629; "
            "T. Barklow et al., ILC operating scenarios, arXiv:1506.07830)")
_CLIC_REF = ("P. N. Burrows et al. (CLIC and CLICdp), The Compact Linear Collider (CLIC) -- 2018 Summary Report, "
             "CERN-2018-005-M, arXiv:1812.06018; updated staging baseline")


def _fcc(short, label, sqrt_s, lumi, note, spread=0.0):
    return _proposed("fccee_" + {"tt̄": "tt"}.get(short, short.lower()), "FCC-ee", short, label, sqrt_s, lumi,
                     radius=2.15, reference=_FCC_REF, spread=spread,
                     sources={"sqrt_s": "FCC FSR 2025 run plan" + note, "luminosity_ab": "FCC FSR 2025 run plan, "
                              "summed over four experiments" + _UNREAD, "detector_radius": _FCC_DET,
                              "polarisations": "FCC-ee has unpolarised beams (transverse polarisation only for "
                              "energy calibration)",
                              "beam_energy_spread": "FCC FSR 2025 parameter table: 0.132 % at the Z pole with "
                                                    "beamstrahlung" + _UNREAD + "; not given for the other modes",
                              "photon_resolution": "CLD silicon-tungsten ECAL design, 15 %/sqrt(E) (+) 1 % (CLD concept "
                                                   "paper, arXiv:1911.12230" + _UNREAD + ")"})


#: every running mode the book projects, by key
MODES: dict[str, RunningMode] = {m.key: m for m in (
    _cepc("Z", "CEPC Z mode", 91.2, 0),  # 'on the Z pole' in the paper: 91.2 GeV is the book's reading
    _cepc("WW", "CEPC WW mode", paper.INPUTS["cepc_sqrt_s"].value[0], 1),
    _cepc("H", "CEPC H mode", paper.INPUTS["cepc_sqrt_s"].value[1], 2),
    _cepc("tt̄", r"CEPC $t\bar t$ mode", paper.INPUTS["cepc_sqrt_s"].value[2], 3),
    # the TDR-era baseline (no tt-bar run in its '10-2-1' plan: an upgrade)
    _cepc_tdr("Z", 91.2, 0, 116.0, 2),
    _cepc_tdr("WW", paper.INPUTS["cepc_sqrt_s"].value[0], 1, 16.0, 1),
    _cepc_tdr("H", paper.INPUTS["cepc_sqrt_s"].value[1], 2, 5.0, 10),
    _fcc("Z", "FCC-ee Z pole", 91.2, 205.0, "", spread=0.00132),
    _fcc("WW", "FCC-ee WW threshold", 160.0, 19.2, " (runs at 157.5 and 163 GeV; 160 GeV is the book's average)"),
    _fcc("ZH", "FCC-ee ZH (240 GeV)", 240.0, 10.8, ""),
    _fcc("tt̄", r"FCC-ee $t\bar t$ (365 GeV)", 365.0, 2.65,
         " (the 0.41 ab^-1 of the 340-350 GeV threshold scan are not included)"),
    _proposed("ilc_250", "ILC", "250", "ILC 250 GeV (H20)", 250.0, 2.0, radius=1.8048,
              polarisations=((-0.8, 0.3, 0.45), (0.8, -0.3, 0.45), (-0.8, -0.3, 0.05), (0.8, 0.3, 0.05)),
              reference=_ILC_REF,
              sources={"sqrt_s": "ILC 250 GeV stage (arXiv:1711.00568, 2203.07622)",
                       "luminosity_ab": "2 ab^-1 at 250 GeV (arXiv:1801.02840, read)",
                       "polarisations": "H20-staged: P(e-) = -+80 %, P(e+) = +-30 %; shares 45/45/5/5 % for "
                                        "(-,+), (+,-), (-,-), (+,+) (arXiv:1903.01629, 2203.07622)" + _UNREAD,
                       "detector_radius": _K4GEO + "ILD/compact/ILD_common_v02: TPC outer radius 1.7698 m + "
                                                   "ECAL-TPC gap 0.035 m (ILD large)",
                       "photon_resolution": "ILD silicon-tungsten ECAL, 17 %/sqrt(E) (+) 1 % (ILD design, "
                                            "arXiv:2003.01116" + _UNREAD + ")"},
              resolution=(0.17, 0.01)),
    _proposed("clic_380", "CLIC", "380", "CLIC 380 GeV", 380.0, 1.0, radius=1.5,
              polarisations=((-0.8, 0.0, 0.5), (0.8, 0.0, 0.5)), reference=_CLIC_REF,
              sources={"sqrt_s": "CLIC first stage, 380 GeV (arXiv:1812.06018, read)",
                       "luminosity_ab": "1.0 ab^-1 at the first stage (arXiv:1812.06018)" + _UNREAD,
                       "polarisations": "P(e-) = -80 % and +80 % in equal shares at 380 GeV, unpolarised e+ "
                                        "(arXiv:1812.06018)" + _UNREAD,
                       "detector_radius": _K4GEO + "CLIC/compact/CLIC_o3_v14: ECalBarrel_inner_radius = 1.5 m "
                                                   "(CLICdet)",
                       "photon_resolution": "CLICdet silicon-tungsten ECAL, 15 %/sqrt(E) (+) 1 % (CLICdet note, "
                                            "arXiv:1812.07337" + _UNREAD + ")"}),
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
