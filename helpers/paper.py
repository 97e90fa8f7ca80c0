"""The paper's numbers, in one home: every input it states and every result it quotes.

Y. Zhang and W. Liu, "Probing active-sterile neutrino transition magnetic moments at LEP and CEPC",
Phys. Rev. D 107, 095031 (2023), doi:10.1103/PhysRevD.107.095031.

Each :class:`Quoted` entry holds the number (or range) as printed, its unit, where it is printed (section and a short
locator in our words -- the paper's sentences are not copied), and whether it is an input of the method or a result.
Notebooks, tests and the scorecard import these; nothing retypes them.  Ranges are (low, high); a "mass above which"
statement is a single mass; an "orders of magnitude" statement is the factor it names (1 order = 10).
"""

from __future__ import annotations

from dataclasses import dataclass

DOI = "10.1103/PhysRevD.107.095031"
REFERENCE = ("Y. Zhang and W. Liu, Probing active-sterile neutrino transition magnetic moments at LEP and CEPC, "
             "Phys. Rev. D 107, 095031 (2023), doi:10.1103/PhysRevD.107.095031")


@dataclass(frozen=True)
class Quoted:
    key: str  #: short name, used by the scorecard
    value: float | tuple[float, float]  #: as printed: a number, or a range (low, high)
    unit: str  #: "GeV^-1", "GeV", "pb", "", ...
    where: str  #: section (and figure) in which it is printed
    what: str  #: what it states, in our words
    kind: str  #: "input" (a number the method uses) or "result" (a number the method produces)
    approx: bool = False  #: printed with "about", "~" or "≲"

    def __post_init__(self):
        if self.kind not in ("input", "result"):
            raise ValueError(f"{self.key}: kind must be 'input' or 'result'")


def _q(*args, **kw) -> Quoted:
    return Quoted(*args, **kw)


INPUTS = {q.key: q for q in (
    _q("opal_limit_pb", 0.15, "pb", "Sec. IV A", "OPAL 95 % CL limit on sigma(gamma + invisible), E > 23 GeV, |cos| < 0.7",
       "input"),
    _q("opal_E_min", 23.0, "GeV", "Sec. IV A", "OPAL photon energy threshold used", "input"),
    _q("opal_cos_max", 0.7, "", "Sec. IV A", "OPAL angular acceptance |cos theta|", "input"),
    _q("opal_efficiency", 0.657, "", "Sec. IV A", "OPAL overall photon detection efficiency", "input"),
    _q("delphi_sqrt_s", 205.4, "GeV", "Sec. IV B", "DELPHI average centre-of-mass energy (200-209 GeV)", "input"),
    _q("delphi_theta_deg", (45.0, 135.0), "deg", "Sec. IV B", "DELPHI photon polar-angle window", "input"),
    _q("delphi_x", (0.06, 1.1), "", "Sec. IV B", "DELPHI window in x = 2E/sqrt(s)", "input"),
    _q("delphi_sigma_sm", 1.61, "pb", "Sec. IV B, Eq. (17)", "DELPHI SM expectation in its selection", "input"),
    _q("delphi_sigma_exp", 1.50, "pb", "Sec. IV B, Eq. (17)", "DELPHI measured cross section", "input"),
    _q("delphi_sigma_err", 0.11, "pb", "Sec. IV B, Eq. (17)", "DELPHI error on the measurement", "input"),
    _q("delphi_efficiency", 0.65, "", "Sec. IV B", "DELPHI overall photon detection efficiency", "input"),
    _q("l3_br_limit", 3.2e-6, "", "Sec. IV C", "L3 95 % CL limit on Br(Z -> gamma + invisible), E > 15 GeV", "input"),
    _q("l3_E_min", 15.0, "GeV", "Sec. IV C", "L3 photon energy threshold used", "input"),
    _q("z_inv_limit_GeV", 2.0e-3, "GeV", "Sec. IV C", "95 % CL limit on a new-physics Z invisible width (2.0 MeV)",
       "input"),
    _q("lep_detector_length", 1.0, "m", "Sec. IV C", "detector length l_D for the decay probability at LEP", "input"),
    _q("cepc_lumi_z", 100.0, "ab^-1", "Sec. V", "CEPC Z-mode luminosity", "input"),
    _q("cepc_lumi_ww", 6.0, "ab^-1", "Sec. V", "CEPC WW-mode luminosity", "input", approx=True),
    _q("cepc_lumi_h", 20.0, "ab^-1", "Sec. V", "CEPC H-mode luminosity", "input"),
    _q("cepc_lumi_tt", 1.0, "ab^-1", "Sec. V", "CEPC tt-mode luminosity", "input", approx=True),
    _q("cepc_sqrt_s", (160.0, 240.0, 360.0), "GeV", "Sec. V",
       "CEPC energies of the WW, H, tt modes; the Z mode runs 'on the Z pole' (no number: the book uses 91.2 GeV)",
       "input"),
    _q("cepc_cos_max", 0.99, "", "Sec. V", "CEPC preselection |cos theta|", "input"),
    _q("cepc_E_min", 0.1, "GeV", "Sec. V", "CEPC preselection photon energy", "input"),
    _q("cepc_veto_widths", 5.0, "", "Sec. V", "Z-resonance veto half-width in units of Gamma_gamma^Z", "input"),
    _q("cepc_cos_theta_b", 0.99, "", "Sec. V, Eq. (21)", "subdetector boundary of Eq. (21)", "input"),
    _q("cepc_pt_min", (35.0, 65.0, 100.0, 160.0), "GeV", "Sec. V", "p_T cuts of the Z, WW, H, tt modes", "input"),
    _q("cepc_s2b", 2.71, "", "Sec. V", "the S^2/B criterion for 95 % CL", "input"),
)}

RESULTS = {q.key: q for q in (
    _q("singular_a", -3.7, "", "Sec. IV D (Fig. 4)", "singular point a = -2 cot(theta_w)", "result", approx=True),
    _q("dZ_zero_a", 1.1, "", "Sec. IV D (Fig. 4)", "d_Z = 0 at a = 2 tan(theta_w)", "result", approx=True),
    _q("opal_range_a_pos", (2.0e-5, 4.5e-4), "GeV^-1", "Sec. IV D (Fig. 4 left)",
       "OPAL bound on d_gamma, m_N = 10 GeV, over a > 0", "result"),
    _q("delphi_range_e", (7.1e-5, 3.5e-4), "GeV^-1", "Sec. IV D (Fig. 5 left)",
       "DELPHI bound on d_gamma^e, m_N = 100 GeV, |a| <= 10", "result"),
    _q("delphi_range_mu", (2.5e-4, 4.1e-4), "GeV^-1", "Sec. IV D (Fig. 5 left)",
       "DELPHI bound on d_gamma^(mu,tau), m_N = 100 GeV, |a| <= 10", "result"),
    _q("delphi_e_max_at_a", 0.0, "", "Sec. IV D (Fig. 5 left)",
       "the DELPHI bound on d_gamma^e is weakest at a = 0 (d_W = 0)", "result"),
    _q("lep1_over_lep2", 10.0, "", "Sec. IV D", "LEP1 better than LEP2 by about an order for m_N below ~90 GeV (I, II, IV)",
       "result", approx=True),
    _q("cepc_z_range_a_pos", (1.5e-7, 3.3e-6), "GeV^-1", "Sec. V (Fig. 4 left)",
       "CEPC Z-mode bound on d_gamma, m_N = 10 GeV, over a > 0", "result"),
    _q("cepc_z_vs_lep1", 100.0, "", "Sec. V (Fig. 4 left)", "CEPC Z mode about 2 orders below LEP1 (m_N = 10 GeV, a > 0)",
       "result", approx=True),
    _q("cepc_h_range_e", (2.5e-6, 1.3e-5), "GeV^-1", "Sec. V (Fig. 5 right)",
       "CEPC H-mode bound on d_gamma^e, m_N = 100 GeV, |a| <= 10", "result"),
    _q("cepc_h_range_mu", (9.9e-6, 1.6e-5), "GeV^-1", "Sec. V (Fig. 5 right)",
       "CEPC H-mode bound on d_gamma^(mu,tau), m_N = 100 GeV, |a| <= 10", "result"),
    _q("z_mode_gain_e", 10.0, "", "Sec. V (Fig. 7)",
       "Z mode beats the other modes by more than an order on d_gamma^e for m_N ~ 1-50 GeV (I, II, IV)", "result",
       approx=True),
    _q("z_mode_gain_mu", 100.0, "", "Sec. V (Fig. 7)",
       "Z mode about 2 orders better than the other modes on d_gamma^(mu,tau) (II, IV)", "result", approx=True),
    _q("min_de_lep_III", 3.3e-4, "GeV^-1", "Sec. VI", "smallest d_gamma^e at LEP, scenario III", "result", approx=True),
    _q("min_de_cepc_III", 3.6e-6, "GeV^-1", "Sec. VI", "smallest d_gamma^e at CEPC, scenario III", "result", approx=True),
    _q("min_de_cepc_II", 9.5e-8, "GeV^-1", "Sec. VI", "smallest d_gamma^e at CEPC, scenario II", "result", approx=True),
    _q("min_de_lep_II", 1.3e-5, "GeV^-1", "Sec. VI", "smallest d_gamma^e at LEP, scenario II (from Br(Z -> gamma inv))",
       "result", approx=True),
    _q("cepc_over_lep_II", 100.0, "", "Sec. VI", "CEPC more than 2 orders stronger than LEP on d_gamma^e, scenario II",
       "result", approx=True),
    _q("nomad_cross_I", 5.0, "GeV", "Sec. VI", "LEP ahead of NOMAD on d_gamma^mu above this mass, scenario I", "result"),
    _q("nomad_cross_II", 3.6, "GeV", "Sec. VI", "the same, scenario II", "result"),
    _q("nomad_cross_IV", 3.9, "GeV", "Sec. VI", "the same, scenario IV", "result"),
    _q("cepc_new_mu_III", 3.5, "GeV", "Sec. VI", "CEPC explores new d_gamma^mu above this mass, scenario III", "result",
       approx=True),
    _q("cepc_new_mu_other", 0.4, "GeV", "Sec. VI", "the same, scenarios I, II, IV", "result", approx=True),
    _q("delphi_new_mu_III", 1.0, "GeV", "Sec. VI", "LEP2 touches unexplored d_gamma^mu above this mass, scenario III",
       "result", approx=True),
    _q("donut_d", 5.8e-5, "GeV^-1", "Sec. VI", "DONUT 90 % CL limit on d_gamma^tau for m_N < 0.3 GeV", "result"),
    _q("lep2_beats_donut_III", 0.3, "GeV", "Sec. VI", "LEP2 complements DONUT on d_gamma^tau above this mass, scenario III",
       "result"),
    _q("l3_leads_tau_I", 0.05, "GeV", "Sec. VI", "L3 Z -> gamma inv leads on d_gamma^tau above this mass, scenario I",
       "result", approx=True),
    _q("l3_leads_tau_II_IV", 0.03, "GeV", "Sec. VI", "the same, scenarios II and IV", "result", approx=True),
    _q("cepc_new_tau", 0.2, "GeV", "Sec. VI", "CEPC fills the unconstrained d_gamma^tau void above this mass", "result",
       approx=True),
    _q("lsnd_reach", 0.07, "GeV", "Sec. VI", "LSND constrains d_gamma^e below this mass", "result", approx=True),
)}

ALL = {**INPUTS, **RESULTS}


def get(key: str) -> Quoted:
    """A quoted number by key; ValueError lists the known keys."""
    if key not in ALL:
        raise ValueError(f"unknown quoted number {key!r}; allowed: {', '.join(ALL)}")
    return ALL[key]
