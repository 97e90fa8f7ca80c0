r"""A reading of the paper: every choice that decides a bound, in one frozen record.

The paper's method leaves some choices open, and some of its printed formulas are wrong (the errata page).  A
:class:`Reading` fixes every such choice at once.  :data:`DERIVED` is the book's physics (the default of every
function); :data:`PAPER_STATED` is what the paper says it does, with its formulas as printed.  The reading finder
(:mod:`helpers.scorecard`) scores readings against the numbers the paper quotes; it explains the paper and never
changes the book's default.

A reading acts in two places:

* :meth:`Reading.options` -- the keyword options of :func:`helpers.limits.rate_coefficients` (and of the curve
  functions): which printed equations, the photon distribution, Br counted once or twice, the charge states
  produced, the three-body treatment, the decay-volume requirement;
* :meth:`Reading.experiment` -- the experiment record as this reading sees it: Z decays counted once or twice,
  DELPHI's chi^2 threshold, the detection efficiencies, the decay volume, the CEPC background scheme.

Every field is validated (ValueError saying what is allowed); :meth:`Reading.describe` gives the fields that differ
from :data:`DERIVED`, for tables and file headers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from . import background as _bkg
from . import production as _prod
from . import signal as _sig
from . import sm
from .decays import THREE_BODY_MODES
from .experiments import Experiment
from .validation import CHARGES, PRINTED_EQUATIONS, choice, convention as _canonical

#: what each printed equation is, in words (the errata page has the evidence)
EQUATION_LABELS = {
    "eq8": "Eq. (8) Γ(N→ℓW) as printed",
    "eq11": "Eq. (11) σ^Z as printed",
    "eq12": "Eq. (12) σ^γZ as printed",
    "eq13": "Eq. (13) σ^W as printed",
    "eq19": "Eq. (19) Γ(Z→Nν̄) with d_γ",
    "no_st": "no s–t interference",
}
EFFICIENCIES = ("stated", "none")  #: the stated detection efficiencies, or none (1)
#: the fine-structure constant of the production cross sections: alpha(M_Z) (the book's), alpha(0), or the G_F scheme
ALPHAS = {"mz": sm.ALPHA, "0": sm.ALPHA_0, "gf": sm.ALPHA_GF}


@dataclass(frozen=True)
class Reading:
    """Every choice behind a bound.  Defaults: the book's derived physics."""

    name: str = "derived physics"
    #: printed equations used instead of the derived ones (a subset of helpers.validation.PRINTED_EQUATIONS)
    printed: tuple[str, ...] = ()
    #: photon distribution in the N rest frame: 'exact' (spin correlation), 'paper' (1 - cos), 'isotropic',
    #: 'opposite' (1 + cos)
    photon_model: str = "exact"
    #: Br(N -> nu gamma) counted twice, as Eqs. (14) and (16) printed together do
    double_br: bool = False
    #: charge states produced in e+e- -> N nu: 'both' (N nu-bar + N-bar nu) or 'N'
    charge: str = "both"
    #: Z decays counted in Eqs. (18)-(20): 2 (Z -> N nu-bar + N-bar nu) or 1
    z_charges: int = 2
    #: DELPHI: excluded where chi^2 of Eq. (17) exceeds this (3.84: 95 % CL, one parameter; 2.71: 90 %)
    delphi_chi2: float = 3.84
    #: detection efficiencies: 'stated' (OPAL 65.7 %, DELPHI 65 %, CEPC's) or 'none'
    efficiency: str = "stated"
    #: decay volume at LEP [m] (the paper's l_D = 1 m) and at CEPC [m] (None: the record's)
    lep_length: float = 1.0
    cepc_length: float | None = None
    #: electroweak scheme of the CEPC background (helpers.background.SCHEMES)
    background_scheme: str = _bkg.DEFAULT_SCHEME
    #: the fine-structure constant of the production cross sections (a key of ALPHAS)
    alpha: str = "mz"
    #: the weak-mixing-angle scheme of the coupling rotation (Eq. 6), the Z couplings and the scenario values of a:
    #: a key of helpers.sm.SIN2W_SCHEMES ('on_shell': 1 - M_W^2/M_Z^2, the book's; 'msbar': s-hat^2(M_Z))
    weak_angle: str = "on_shell"
    #: three-body decays below the Z and W thresholds (helpers.decays.THREE_BODY_MODES)
    three_body: str = "below_threshold"
    #: photons count only from N decaying inside the decay volume
    require_decay_inside: bool = True

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("a reading needs a name (a non-empty string)")
        if isinstance(self.printed, str) or not all(isinstance(p, str) for p in self.printed):
            raise ValueError(f"printed must be a tuple of names from {', '.join(PRINTED_EQUATIONS)} "
                             f"(got {self.printed!r})")
        bad = [p for p in self.printed if p not in PRINTED_EQUATIONS]
        if bad:
            raise ValueError(f"unknown printed equations {bad}; allowed: {', '.join(PRINTED_EQUATIONS)}")
        object.__setattr__(self, "printed", tuple(p for p in PRINTED_EQUATIONS if p in self.printed))
        choice(self.photon_model, _sig.PHOTON_MODELS, "photon_model")
        choice(self.charge, CHARGES, "charge")
        choice(self.efficiency, EFFICIENCIES, "efficiency")
        choice(self.background_scheme, tuple(_bkg.SCHEMES), "background scheme")
        choice(self.three_body, THREE_BODY_MODES, "three_body mode")
        choice(self.alpha, tuple(ALPHAS), "alpha")
        choice(self.weak_angle, tuple(sm.SIN2W_SCHEMES), "weak_angle (sin^2 theta_w scheme)")
        for flag in ("double_br", "require_decay_inside"):
            if not isinstance(getattr(self, flag), bool):
                raise ValueError(f"{flag} must be True or False (got {getattr(self, flag)!r})")
        if self.z_charges not in (1, 2):
            raise ValueError(f"z_charges must be 1 or 2 (got {self.z_charges!r})")
        for name, value in (("delphi_chi2", self.delphi_chi2), ("lep_length", self.lep_length)):
            if not (isinstance(value, (int, float)) and 0 < value < float("inf")):
                raise ValueError(f"{name} must be a positive finite number (got {value!r})")
        if self.cepc_length is not None and not (isinstance(self.cepc_length, (int, float))
                                                 and 0 < self.cepc_length < float("inf")):
            raise ValueError(f"cepc_length must be None or a positive finite number (got {self.cepc_length!r})")

    # --- what a reading does ---------------------------------------------------------------------------

    @property
    def convention(self):
        """The ``convention`` argument of the physics functions (canonical form)."""
        return _canonical(self.printed)

    def options(self) -> dict:
        """Keyword options of :func:`helpers.limits.rate_coefficients` for this reading."""
        pieces = _prod.NO_ST_INTERFERENCE if "no_st" in self.printed else None
        return dict(convention=self.convention, photon_model=self.photon_model, three_body=self.three_body,
                    double_br=self.double_br, require_decay_inside=self.require_decay_inside, pieces=pieces,
                    charge=self.charge, alpha=None if self.alpha == "mz" else ALPHAS[self.alpha],
                    sin2w=self.sin2w)

    @property
    def sin2w(self) -> float | None:
        """sin^2(theta_w) of this reading (None: the book's on-shell value, the default of every function)."""
        return None if self.weak_angle == "on_shell" else sm.SIN2W_SCHEMES[self.weak_angle]

    def experiment(self, exp: Experiment) -> Experiment:
        """The record ``exp`` as this reading sees it."""
        if not isinstance(exp, Experiment):
            raise TypeError(f"exp must be a helpers.experiments.Experiment record (got {type(exp).__name__})")
        changes = {}
        if exp.kind in ("z_gamma_invisible", "z_invisible"):
            changes["z_charges"] = self.z_charges
        if exp.kind == "monophoton_chi2":
            changes["chi2_crit"] = float(self.delphi_chi2)
        if self.efficiency == "none":
            changes["efficiency"] = 1.0
        if exp.kind == "monophoton_s2b":
            from . import projection as _pj

            bkg = _pj.background_after(exp.name, scheme=self.background_scheme)[0]
            return _pj.experiment(exp.name, detector_radius=self.cepc_length,
                                  efficiency=1.0 if self.efficiency == "none" else None, background=bkg)
        changes["detector_length"] = float(self.lep_length)
        return exp.with_(**changes)

    # --- describing a reading ------------------------------------------------------------------------------

    def with_(self, **changes) -> "Reading":
        return replace(self, **changes)

    def differences(self, other: "Reading | None" = None) -> dict:
        """The fields (other than the name) in which this reading differs from ``other`` (default
        :data:`DERIVED`), with this reading's values."""
        other = DERIVED if other is None else other
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "name" and getattr(self, f.name) != getattr(other, f.name)}

    def describe(self, other: "Reading | None" = None) -> str:
        """One line: how this reading differs from ``other`` (default :data:`DERIVED`)."""
        diff = self.differences(other)
        if not diff:
            return "as " + (other or DERIVED).name
        parts = []
        for key, value in diff.items():
            if key == "printed":
                parts.append(", ".join(EQUATION_LABELS[p] for p in value) if value else "no printed equation")
            else:
                parts.append(f"{key} = {value}")
        return "; ".join(parts)

    def header(self) -> list[str]:
        """Lines for an exported file's header: the name and every field."""
        return [f"reading: {self.name}"] + [f"reading.{f.name}: {getattr(self, f.name)!r}" for f in fields(self)
                                            if f.name != "name"]


DERIVED = Reading()  #: the book's physics

#: the paper's stated method with its formulas as printed: Eqs. (8), (11)-(13), (19) as printed, no s-t
#: interference (Sec. III), the 1 - cos(theta) photon distribution (Sec. III), Br counted in both Eq. (14) and
#: Eq. (16), both charge states in production and in Z decays (Eq. 18), chi^2 > 3.84, the stated
#: efficiencies, l_D = 1 m.
PAPER_STATED = Reading(name="the paper's stated method", printed=PRINTED_EQUATIONS, photon_model="paper",
                       double_br=True)
