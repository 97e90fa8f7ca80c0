r"""Initial-state radiation in the leading-logarithmic approximation: the radiator, the quadrature over the energy
fraction radiated, and the boost of the event it leaves behind.

The e+e- pair radiates collinear photons before it annihilates; the annihilation then happens at s' = (1 - x) s with
probability density given by the Kuraev-Fadin radiator (E. A. Kuraev, V. S. Fadin, Sov. J. Nucl. Phys. 41 (1985)
466), to leading logarithmic accuracy with the O(beta) hard term:

    F(x) = beta x^(beta - 1) (1 + 3 beta / 4) - beta (1 - x / 2),   beta = (2 alpha / pi) (ln(s / m_e^2) - 1),

normalised, int_0^1 F(x) dx = 1 (the soft and virtual corrections of O(beta) cancel in the total; tests).  An
observable computed at s' is weighted with F: O_ISR(s) = int_0^1 F(x) O(s (1 - x)) dx.  The radiation is taken to come
from one beam, along +z or -z with equal probability, so the annihilating system moves with velocity
beta_z = x / (2 - x) along the beam; the photon's transverse momentum is unchanged, its energy and angle are those
of the boost (:class:`BoostedCuts` applies the laboratory selection to photons generated in the annihilation frame).

Quadrature (:func:`nodes`): the integrable singularity x^(beta-1) is removed by u = x^beta (Gauss-Legendre in u), the
hard term by Gauss-Legendre in x, both up to x_max = 1 - (2 p_T,min / sqrt(s))^2, beyond which no photon passes the
selection's p_T cut (p_T <= sqrt(s')/2): the radiative return to the Z peak lies there above the Z pole, and the
observable is smooth on [0, x_max].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import sm
from .selection import PhotonCuts


def beta(sqrt_s: float) -> float:
    """The leading-log collinear factor beta = (2 alpha/pi)(ln(s/m_e^2) - 1), with alpha(0) (real radiation)."""
    s = float(sqrt_s) ** 2
    return 2 * sm.ALPHA_0 / math.pi * (math.log(s / sm.M_E**2) - 1)


def radiator(x, sqrt_s: float):
    """F(x): the probability density of radiating the fraction x of s (see the module docstring)."""
    b = beta(sqrt_s)
    x = np.asarray(x, dtype=float)
    return b * x ** (b - 1) * (1 + 0.75 * b) - b * (1 - x / 2)


def nodes(sqrt_s: float, n_soft: int = 12, n_hard: int = 8, x_max: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(x_k, w_k) with sum_k w_k O(x_k) ~ int_0^x_max F(x) O(x) dx: the soft part beta x^(beta-1) (1 + 3 beta/4) in
    u = x^beta, the hard part -beta (1 - x/2) in x, each by Gauss-Legendre on its range.  ``x_max`` < 1 stops where the
    observable vanishes (no photon above the p_T cut below sqrt(s') = 2 p_T,min), so that the integrand is smooth; with
    x_max = 1, sum_k w_k = 1 exactly (the radiator's normalisation)."""
    b = beta(sqrt_s)
    x_max = float(x_max)
    if not 0 < x_max <= 1:
        raise ValueError(f"x_max must lie in (0, 1] (got {x_max!r})")
    u, wu = np.polynomial.legendre.leggauss(int(n_soft))
    u_max = x_max**b
    u, wu = 0.5 * u_max * (u + 1), 0.5 * u_max * wu  # on [0, x_max^beta]
    x_soft, w_soft = u ** (1 / b), wu * (1 + 0.75 * b)  # int_0^x_max b x^(b-1) g(x) dx = int_0^(x_max^b) g(u^(1/b)) du
    xh, wh = np.polynomial.legendre.leggauss(int(n_hard))
    xh, wh = 0.5 * x_max * (xh + 1), 0.5 * x_max * wh
    w_hard = -b * (1 - xh / 2) * wh
    return np.concatenate([x_soft, xh]), np.concatenate([w_soft, w_hard])


def boost_velocity(x) -> np.ndarray:
    """|beta_z| = x / (2 - x) of the annihilating system after one beam radiated the fraction x of s (collinear)."""
    x = np.asarray(x, dtype=float)
    return x / (2 - x)


@dataclass(frozen=True)
class BoostedCuts(PhotonCuts):
    """The laboratory selection ``lab`` (at the nominal ``sqrt_s_lab``) applied to photons given in the frame of an
    annihilating system that moves along the beam with speed ``beta_z``: the fraction of the two directions (+z, -z,
    equally likely) in which the photon passes (0, 1/2 or 1 per photon).  p_T is invariant; E and cos(theta) are
    boosted.  ``passes`` ignores its ``sqrt_s`` argument (the annihilation energy) and hands ``sqrt_s_lab`` to ``lab``,
    whose vetoes refer to the nominal energy."""

    lab: PhotonCuts | None = None
    beta_z: float = 0.0
    sqrt_s_lab: float = 0.0

    def passes(self, E, cos_theta, pt, sqrt_s):
        if self.lab is None:
            raise ValueError("BoostedCuts needs the laboratory selection (lab=...)")
        E = np.asarray(E, dtype=float)
        c = np.asarray(cos_theta, dtype=float)
        b = float(self.beta_z)
        g = 1 / math.sqrt(1 - b * b)
        out = np.zeros(np.broadcast(E, c).shape)
        for sign in (1.0, -1.0):
            E_lab = g * E * (1 + sign * b * c)
            c_lab = (c + sign * b) / (1 + sign * b * c)
            out = out + 0.5 * self.lab.passes(E_lab, c_lab, pt, self.sqrt_s_lab)
        return out
