"""Standard-Model inputs: the one place where SM numbers live.

Every value carries its source.  Unless stated otherwise the source is
R. L. Workman et al. (Particle Data Group), Prog. Theor. Exp. Phys. 2022, 083C01
("PDG 2022").  Units: GeV for masses and widths, metres for lengths.

Choices (explained on the conventions page of the book):

* ``SIN2_THETA_W`` is the *on-shell* weak mixing angle, sin^2 theta_w = 1 - M_W^2/M_Z^2,
  computed from the PDG 2022 masses.  The dipole couplings d_gamma, d_Z, d_W are
  defined by the tree-level rotation (W^3, B) -> (Z, A), and the on-shell
  definition keeps that rotation consistent with the physical M_W and M_Z used in
  all kinematics.  It gives a = -2 cot(theta_w) = -3.73, the "~ -3.7" of the paper.
* ``ALPHA`` is the running electromagnetic coupling at the Z pole, alpha(M_Z)
  (MS-bar, PDG 2022), used for every e+e- process at sqrt(s) >= M_Z; the
  Thomson-limit value is kept as ``ALPHA_0`` for reference.
"""

from __future__ import annotations

import math

from scipy import constants as _const

# --- gauge bosons (PDG 2022 summary tables) -------------------------------
M_Z = 91.1876  #: Z mass [GeV], PDG 2022
GAMMA_Z = 2.4952  #: Z total width [GeV], PDG 2022
M_W = 80.377  #: W mass [GeV], PDG 2022 world average
GAMMA_W = 2.085  #: W total width [GeV], PDG 2022

# --- couplings --------------------------------------------------------------
ALPHA_0 = 1.0 / 137.035999084  #: fine-structure constant at q^2 = 0, PDG 2022 (CODATA 2018)
ALPHA_MZ_INV = 127.951  #: 1/alpha-hat(M_Z), MS-bar, PDG 2022 (Electroweak review, Eq. 10.10)
ALPHA = 1.0 / ALPHA_MZ_INV  #: alpha used in e+e- cross sections (book convention)
G_F = 1.1663788e-5  #: Fermi constant [GeV^-2], PDG 2022
SIN2_THETA_W = 1.0 - (M_W / M_Z) ** 2  #: on-shell sin^2(theta_w) = 1 - M_W^2/M_Z^2 (book convention)
THETA_W = math.asin(math.sqrt(SIN2_THETA_W))  #: weak mixing angle [rad]
#: MS-bar sin^2(theta_w) at M_Z, PDG 2022 (Electroweak model review and summary tables: s-hat^2_Z = 0.23121 +- 0.00004)
SIN2_THETA_W_MSBAR = 0.23121
#: the weak-mixing-angle schemes a reading may use (helpers.reading): the book's on-shell value, or MS-bar at M_Z
SIN2W_SCHEMES = {"on_shell": SIN2_THETA_W, "msbar": SIN2_THETA_W_MSBAR}
V_HIGGS = (math.sqrt(2.0) * G_F) ** -0.5  #: Higgs vev v = (sqrt(2) G_F)^(-1/2) = 246.22 GeV
#: alpha of the G_F scheme, sqrt(2) G_F M_W^2 sin^2(theta_w) / pi = 1/132.2 (on-shell sin^2): with it the tree-level
#: W and Z couplings reproduce G_F, i.e. the measured muon decay rate.  Used for the exchanged bosons of the
#: e+e- -> nu nu-bar gamma background (helpers.background.SCHEMES).
ALPHA_GF = math.sqrt(2.0) * G_F * M_W**2 * SIN2_THETA_W / math.pi

# --- charged leptons (PDG 2022) ------------------------------------------------
M_E = 0.51099895e-3  #: electron mass [GeV]
M_MU = 0.1056583755  #: muon mass [GeV]
M_TAU = 1.77686  #: tau mass [GeV]
LEPTON_MASS = {"e": M_E, "mu": M_MU, "tau": M_TAU}  #: charged-lepton mass by flavour
FLAVOURS = tuple(LEPTON_MASS)  #: the allowed flavour names

# --- quarks (PDG 2022; light quarks MS-bar at 2 GeV, c and b MS-bar at their own
# scale, top from direct measurements).  They enter only as thresholds in the
# off-shell W*/Z* decays of N, where a partonic description is an approximation.
M_U = 2.16e-3
M_D = 4.67e-3
M_S = 93.4e-3
M_C = 1.27
M_B = 4.18
M_T = 172.69

# --- unit conversion ---------------------------------------------------------------
#: hbar*c in GeV*m, from scipy.constants (CODATA); converts GeV^-1 to metres.
HBARC_GEV_M = _const.hbar * _const.c / (_const.e * 1e9)
#: (hbar c)^2 in pb GeV^2 (1 pb = 1e-40 m^2): converts cross sections from GeV^-2 to pb.
GEV2_TO_PB = HBARC_GEV_M**2 / 1e-40


def gauge_couplings(alpha: float = ALPHA, sin2w: float = SIN2_THETA_W) -> tuple[float, float, float, float]:
    """(e, g, sin theta_w, cos theta_w) at tree level: e = sqrt(4 pi alpha), g = e / sin theta_w."""
    e = math.sqrt(4 * math.pi * alpha)
    sw, cw = math.sqrt(sin2w), math.sqrt(1 - sin2w)
    return e, e / sw, sw, cw


def z_chiral_couplings(t3: float, charge: float, sin2w: float = SIN2_THETA_W) -> tuple[float, float]:
    """(g_L, g_R) = (T3 - Q sin^2, -Q sin^2) of a fermion to the Z, in units of g / cos theta_w."""
    return t3 - charge * sin2w, -charge * sin2w


def table() -> list[tuple[str, float, str, str]]:
    """Rows (symbol, value, unit, source) of the SM inputs, for display in the book."""
    return [
        ("M_Z", M_Z, "GeV", "PDG 2022"),
        ("Gamma_Z", GAMMA_Z, "GeV", "PDG 2022"),
        ("M_W", M_W, "GeV", "PDG 2022"),
        ("Gamma_W", GAMMA_W, "GeV", "PDG 2022"),
        ("1/alpha(M_Z)", ALPHA_MZ_INV, "", "PDG 2022, MS-bar"),
        ("1/alpha(0)", 1 / ALPHA_0, "", "PDG 2022 (CODATA 2018)"),
        ("G_F", G_F, "GeV^-2", "PDG 2022"),
        ("1/alpha_GF", 1 / ALPHA_GF, "", "sqrt(2) G_F M_W^2 sin^2/pi (G_F scheme)"),
        ("sin^2 theta_w", SIN2_THETA_W, "", "on-shell, 1 - M_W^2/M_Z^2 from PDG 2022 masses"),
        ("v", V_HIGGS, "GeV", "(sqrt(2) G_F)^(-1/2)"),
        ("m_e", M_E, "GeV", "PDG 2022"),
        ("m_mu", M_MU, "GeV", "PDG 2022"),
        ("m_tau", M_TAU, "GeV", "PDG 2022"),
        ("m_c", M_C, "GeV", "PDG 2022, MS-bar m_c(m_c)"),
        ("m_b", M_B, "GeV", "PDG 2022, MS-bar m_b(m_b)"),
        ("m_t", M_T, "GeV", "PDG 2022, direct measurements"),
        ("hbar c", HBARC_GEV_M, "GeV m", "scipy.constants (CODATA)"),
        ("(hbar c)^2", GEV2_TO_PB, "pb GeV^2", "scipy.constants (CODATA)"),
    ]
