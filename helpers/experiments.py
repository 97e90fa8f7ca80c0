"""Measurements as data: one declarative record per analysis, with its reference.

Each record says what is measured (``kind``), where (sqrt(s)), with which photon selection and
efficiency, which detector length decides whether N decays "inside", the published number, and the
rule that turns it into a 95 % CL bound.  :mod:`helpers.limits` turns a record into excluded ranges
of d_gamma.  Choices the paper leaves open are fields with a stated default; the alternatives are
explored in the LEP chapter and listed on the conventions page.

Kinds:

* ``monophoton_limit``: e+e- -> gamma + invisible, a published 95 % CL upper limit on the cross
  section in a fiducial region (OPAL).  Excluded if sigma_N > ``limit``.
* ``monophoton_chi2``: a measured cross section compared with the SM expectation (DELPHI, Eq. 17):
  chi^2 = ((sigma_SM + sigma_N - sigma_exp)/delta)^2; excluded if chi^2 > ``chi2_crit``.
* ``z_gamma_invisible``: Br(Z -> gamma + invisible) from N decays inside the detector (L3, Eq. 18).
* ``z_invisible``: Gamma(Z -> invisible) from N decaying outside the detector (LEP EWWG, Eq. 20).
* ``monophoton_s2b``: a projection with background B and luminosity L: excluded if S^2/B > ``s2b_crit``
  (2.71), i.e. sigma_N > sqrt(s2b_crit * sigma_B / L) (CEPC, Sec. V).  A polarised run plan has one
  (P(e-), P(e+), L_i, B_i) per ``configurations`` entry, excluded if sum_i S_i^2/B_i > ``s2b_crit``; its
  ``background`` and ``luminosity`` are then the luminosity-weighted mean and the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from . import paper as _paper
from . import sm
from .selection import PhotonCuts

KINDS = ("monophoton_limit", "monophoton_chi2", "z_gamma_invisible", "z_invisible", "monophoton_s2b")
MONOPHOTON_KINDS = ("monophoton_limit", "monophoton_chi2", "monophoton_s2b")


@dataclass(frozen=True)
class Experiment:
    name: str  #: short key, used in file names (e.g. 'lep1_opal')
    label: str  #: for plots and tables
    kind: str  #: one of KINDS
    sqrt_s: float  #: centre-of-mass energy [GeV]
    cuts: PhotonCuts | None  #: photon selection (None: no photon required)
    efficiency: float  #: detection efficiency applied to the signal
    detector_length: float  #: [m] N decays within this distance count as "inside"
    limit: float | None  #: the published upper limit (pb, a branching ratio, or GeV); None for projections (s2b)
    reference: str  #: bib key in book/references.bib (LEP records) or the full reference (projections)
    statistic: str  #: the rule, in words
    sigma_sm: float | None = None  #: [pb] SM expectation (chi2 kinds)
    sigma_exp: float | None = None  #: [pb] measured value (chi2 kinds)
    sigma_err: float | None = None  #: [pb] its error (chi2 kinds)
    chi2_crit: float | None = None  #: excluded if chi^2 exceeds this
    z_charges: int = 2  #: Z decays counted: 2 = Z -> N nu-bar and N-bar nu (Eq. 18), 1 = one of them
    background: float | None = None  #: [pb] background after all cuts (s2b kind)
    luminosity: float | None = None  #: [pb^-1] integrated luminosity (s2b kind)
    s2b_crit: float = 2.71  #: excluded if S^2/B exceeds this (s2b kind)
    #: polarised run plans (s2b kind): one (P(e-), P(e+), luminosity [pb^-1], background [pb]) per beam-helicity
    #: configuration, combined as independent data sets: sum_i S_i^2 / B_i > s2b_crit.  None: unpolarised beams, with
    #: ``background`` and ``luminosity``.
    configurations: tuple[tuple[float, float, float, float], ...] | None = None
    notes: str = field(default="", compare=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; allowed: {', '.join(KINDS)}")
        if not 0 < self.efficiency <= 1:
            raise ValueError(f"efficiency must lie in (0, 1] (got {self.efficiency})")
        if self.detector_length <= 0 or self.sqrt_s <= 0:
            raise ValueError("detector_length and sqrt_s must be > 0")
        if self.kind == "monophoton_s2b":
            if self.limit is not None:
                raise ValueError("a monophoton_s2b projection has no published limit: its bound is S^2/B (limit=None)")
        elif self.limit is None or not self.limit > 0:
            raise ValueError(f"a {self.kind} record needs its published limit > 0 (got {self.limit!r})")
        if self.kind == "monophoton_chi2" and None in (self.sigma_sm, self.sigma_exp, self.sigma_err, self.chi2_crit):
            raise ValueError("a monophoton_chi2 experiment needs sigma_sm, sigma_exp, sigma_err and chi2_crit")
        if self.kind == "monophoton_s2b" and (not self.background or not self.luminosity):
            raise ValueError("a monophoton_s2b experiment needs a positive background [pb] and luminosity [pb^-1]")
        if self.configurations is not None:
            if self.kind != "monophoton_s2b":
                raise ValueError("beam configurations belong to a monophoton_s2b projection")
            for c in self.configurations:
                if len(c) != 4 or not (-1 <= c[0] <= 1 and -1 <= c[1] <= 1 and c[2] > 0 and c[3] > 0):
                    raise ValueError("each configuration is (P(e-), P(e+), luminosity > 0 [pb^-1], background > 0 "
                                     f"[pb]) with |P| <= 1 (got {c!r})")

    def with_(self, **changes) -> "Experiment":
        """A copy with some fields changed (to explore alternative readings)."""
        return replace(self, **changes)

    @property
    def max_signal(self) -> float:
        """The largest allowed signal in the units of the measurement (for chi2 kinds, solved from chi^2 = chi2_crit)."""
        if self.kind == "monophoton_chi2":
            return self.sigma_exp - self.sigma_sm + self.sigma_err * self.chi2_crit**0.5
        if self.kind == "monophoton_s2b":
            return (self.s2b_crit * self.background / self.luminosity) ** 0.5
        return self.limit


_P = {k: q.value for k, q in _paper.INPUTS.items()}  # every number the paper states, from its one home

EXPERIMENTS: dict[str, Experiment] = {
    "lep1_opal": Experiment(
        name="lep1_opal",
        label="LEP1 OPAL monophoton",
        kind="monophoton_limit",
        sqrt_s=sm.M_Z,
        cuts=PhotonCuts.symmetric(_P["opal_cos_max"], E_min=_P["opal_E_min"]),
        efficiency=_P["opal_efficiency"],
        detector_length=_P["lep_detector_length"],
        limit=_P["opal_limit_pb"],
        reference="opal1995",
        statistic=f"95 % CL upper limit of {_P['opal_limit_pb']:g} pb on sigma(e+e- -> gamma + X), "
                  f"E_gamma > {_P['opal_E_min']:g} GeV, |cos| < {_P['opal_cos_max']:g}",
        notes="sqrt(s) = M_Z (the data span the Z peak; the paper does not say which energy it used).",
    ),
    "lep2_delphi": Experiment(
        name="lep2_delphi",
        label="LEP2 DELPHI monophoton",
        kind="monophoton_chi2",
        sqrt_s=_P["delphi_sqrt_s"],
        cuts=PhotonCuts.polar_window_deg(*_P["delphi_theta_deg"], x_min=_P["delphi_x"][0], x_max=_P["delphi_x"][1]),
        efficiency=_P["delphi_efficiency"],
        detector_length=_P["lep_detector_length"],
        limit=_P["delphi_sigma_err"],
        reference="delphi2005",
        statistic=f"chi^2 of Eq. (17) with sigma_SM = {_P['delphi_sigma_sm']:.2f} pb, sigma_exp = "
                  f"{_P['delphi_sigma_exp']:.2f} +- {_P['delphi_sigma_err']:.2f} pb; excluded for chi^2 > 3.84",
        sigma_sm=_P["delphi_sigma_sm"],
        sigma_exp=_P["delphi_sigma_exp"],
        sigma_err=_P["delphi_sigma_err"],
        chi2_crit=3.84,  # 95 % CL for one parameter (the paper's chi^2 rule; helpers.reading can change it)
    ),
    "l3_zgamma": Experiment(
        name="l3_zgamma",
        label=r"L3 $Z\to\gamma$ + invisible",
        kind="z_gamma_invisible",
        sqrt_s=sm.M_Z,
        cuts=PhotonCuts(E_min=_P["l3_E_min"]),
        efficiency=1.0,
        detector_length=_P["lep_detector_length"],
        limit=_P["l3_br_limit"],
        reference="l31997",
        statistic=f"Br(Z -> gamma + invisible) < {_P['l3_br_limit']:.1e} at 95 % CL for E_gamma > "
                  f"{_P['l3_E_min']:g} GeV".replace("e-06", "e-6"),
    ),
    "z_invisible": Experiment(
        name="z_invisible",
        label=r"$Z$ invisible width",
        kind="z_invisible",
        sqrt_s=sm.M_Z,
        cuts=None,
        efficiency=1.0,
        detector_length=_P["lep_detector_length"],
        limit=_P["z_inv_limit_GeV"],
        reference="lepewwg2006",
        statistic=f"Gamma_NP(Z -> invisible) < {_P['z_inv_limit_GeV'] * 1e3:.1f} MeV at 95 % CL",
    ),
}

ANALYSES = tuple(EXPERIMENTS)  #: the LEP analyses (measurements)


def projections() -> tuple[str, ...]:
    """The keys of the projected running modes (:data:`helpers.colliders.MODES`)."""
    from . import colliders

    return tuple(colliders.MODES)


def names() -> tuple[str, ...]:
    """Every analysis the book can bound with: the LEP measurements, then the projections."""
    return ANALYSES + projections()


def get(name: str) -> Experiment:
    """The record of an analysis by name: a LEP measurement, or the projection of a running mode of
    :mod:`helpers.colliders` (built by :func:`helpers.projection.experiment`, with its computed background).
    ValueError lists the known names."""
    if name in EXPERIMENTS:
        return EXPERIMENTS[name]
    if name in projections():
        from . import projection

        return projection.experiment(name)
    raise ValueError(f"unknown analysis {name!r}; allowed: {', '.join(names())}")
