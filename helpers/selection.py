"""Photon selections: one :class:`PhotonCuts` record per analysis, and the test of a photon against it.

A low-level module (it imports nothing from the physics modules): the signal engine (:mod:`helpers.signal`),
the background (:mod:`helpers.background`), the projections (:mod:`helpers.projection`) and the experiment
records (:mod:`helpers.experiments`) all take their selections from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class PhotonCuts:
    """A photon selection.  Every bound is inclusive of the accepted region; defaults accept everything.

    E_min, E_max       photon energy window [GeV]
    x_min, x_max       window in x_gamma = 2 E_gamma / sqrt(s)
    cos_min, cos_max   window in cos(theta_gamma) (theta to the e- beam); e.g. |cos| < 0.7 is (-0.7, 0.7)
    pt_min             minimum transverse momentum [GeV]
    extra              optional function f(E, cos_theta, pt, sqrt_s) -> boolean array, for any other cut
                       (e.g. a resonance veto or an angle-dependent energy threshold)
    """

    E_min: float = 0.0
    E_max: float = float("inf")
    x_min: float = 0.0
    x_max: float = float("inf")
    cos_min: float = -1.0
    cos_max: float = 1.0
    pt_min: float = 0.0
    extra: Callable | None = field(default=None, compare=False)

    def __post_init__(self):
        for name in ("E_min", "E_max", "x_min", "x_max", "pt_min", "cos_min", "cos_max"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or np.isnan(v):
                raise ValueError(f"PhotonCuts.{name} must be a number (got {v!r})")
        for name in ("E_min", "x_min", "pt_min"):
            if not 0 <= getattr(self, name) < float("inf"):
                raise ValueError(f"PhotonCuts.{name} must be finite and >= 0 (got {getattr(self, name)!r})")
        for name in ("E_max", "x_max"):
            if getattr(self, name) < 0:
                raise ValueError(f"PhotonCuts.{name} must be >= 0 (inf: no upper bound) (got {getattr(self, name)!r})")
        if not (-1.0 <= self.cos_min < self.cos_max <= 1.0):
            raise ValueError(f"PhotonCuts needs -1 <= cos_min < cos_max <= 1 (got {self.cos_min}, {self.cos_max})")
        if self.E_min > self.E_max or self.x_min > self.x_max:
            raise ValueError("PhotonCuts: a lower bound exceeds its upper bound")
        if self.extra is not None and not callable(self.extra):
            raise ValueError(f"PhotonCuts.extra must be None or a function f(E, cos_theta, pt, sqrt_s) (got {self.extra!r})")

    @classmethod
    def symmetric(cls, abs_cos_max: float, **kw) -> "PhotonCuts":
        """|cos(theta_gamma)| < abs_cos_max."""
        return cls(cos_min=-abs_cos_max, cos_max=abs_cos_max, **kw)

    @classmethod
    def polar_window_deg(cls, theta_min: float, theta_max: float, **kw) -> "PhotonCuts":
        """theta_min < theta_gamma < theta_max in degrees (e.g. DELPHI's 45-135 degrees)."""
        if not 0 <= theta_min < theta_max <= 180:
            raise ValueError(f"PhotonCuts.polar_window_deg needs 0 <= theta_min < theta_max <= 180 degrees "
                             f"(got {theta_min!r}, {theta_max!r})")
        lo, hi = np.cos(np.radians(theta_max)), np.cos(np.radians(theta_min))
        return cls(cos_min=float(lo), cos_max=float(hi), **kw)

    def passes(self, E, cos_theta, pt, sqrt_s):
        """Boolean array: which photons (energy E [GeV], cos(theta) to the e- beam, p_T [GeV]) pass at sqrt(s)."""
        x = 2 * E / sqrt_s
        ok = (E >= self.E_min) & (E <= self.E_max) & (x >= self.x_min) & (x <= self.x_max)
        ok &= (cos_theta >= self.cos_min) & (cos_theta <= self.cos_max) & (pt >= self.pt_min)
        if self.extra is not None:
            ok &= np.asarray(self.extra(E, cos_theta, pt, sqrt_s), dtype=bool)
        return ok


ACCEPT_ALL = PhotonCuts()  #: the selection that accepts every photon


@dataclass(frozen=True)
class EnergyResolution:
    """A calorimeter's photon energy resolution, sigma_E / E = stochastic / sqrt(E / GeV) (+) constant (in quadrature).

    :meth:`smear` is deterministic: the standard normal deviate of each photon comes from a generator seeded with
    ``seed`` and depends only on the photon's position in the array, so that the same events are always smeared the
    same way (a selection applied twice to the same photons agrees with itself, and results are reproducible)."""

    stochastic: float
    constant: float = 0.0
    seed: int = 2468

    def __post_init__(self):
        for name in ("stochastic", "constant"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v < 1:
                raise ValueError(f"EnergyResolution.{name} must be a number in [0, 1) (got {v!r})")

    def sigma(self, E):
        """sigma_E [GeV] at photon energy E [GeV]."""
        E = np.asarray(E, dtype=float)
        return E * np.sqrt(self.stochastic**2 / np.clip(E, 1e-12, None) + self.constant**2)

    def smear(self, E):
        """Measured energies: E + sigma_E(E) z, z standard normal (deterministic, see the class), at least 0."""
        E = np.asarray(E, dtype=float)
        z = np.random.default_rng(self.seed).standard_normal(E.shape)
        return np.clip(E + self.sigma(E) * z, 0.0, None)


@dataclass(frozen=True)
class SmearedCuts(PhotonCuts):
    """A :class:`PhotonCuts` applied to the *measured* photon: the energy smeared with ``resolution`` (p_T scaled
    with it, the direction kept) before every cut, the ``extra`` ones included (a resonance veto sees the measured
    energy)."""

    resolution: EnergyResolution | None = None

    def passes(self, E, cos_theta, pt, sqrt_s):
        if self.resolution is None:
            return super().passes(E, cos_theta, pt, sqrt_s)
        E = np.asarray(E, dtype=float)
        E_meas = self.resolution.smear(E)
        pt_meas = np.asarray(pt, dtype=float) * np.divide(E_meas, E, out=np.ones_like(E), where=E > 0)
        return super().passes(E_meas, cos_theta, pt_meas, sqrt_s)
