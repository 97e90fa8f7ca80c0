r"""Longitudinally polarised beams: the weights of the four beam-helicity combinations.

A beam of e- with longitudinal polarisation P(e-) (P = +1: every electron right-handed, -1: left-handed) contains
right-handed electrons with probability (1 + P)/2 and left-handed ones with (1 - P)/2; the same for the e+ beam.
A cross section with polarised beams is therefore

    sigma(P-, P+) = sum_h w_h(P-, P+) sigma_h / 4,   w_LR = (1 - P-)(1 + P+),  w_RL = (1 + P-)(1 - P+),
                                                       w_LL = (1 - P-)(1 - P+),  w_RR = (1 + P-)(1 + P+),

with sigma_h the cross section of fully polarised beams of helicities h = (e-, e+) ("LR": e-_L e+_R).  The weights
w_h/4 (:func:`weights`) are the probabilities of the four combinations and add up to 1; unpolarised beams give the
average (sigma_LR + sigma_RL + sigma_LL + sigma_RR)/4.  The book's unpolarised formulas are sums of pieces
sigma_h/4 (each (1/4) sum|M_h|^2, the spin average restricted to one combination); :func:`combine` weights them.
Vector and axial couplings of massless electrons (the photon, Z and W vertices, and the dipole vertex, which sits on
the N line or, for the W, couples the left-handed lepton doublet) connect only e-_L e+_R and e-_R e+_L: LL and RR
vanish for every process in this book.

A run plan (:class:`helpers.colliders.RunningMode`) lists the polarisation configurations and their shares of the
luminosity.
"""

from __future__ import annotations

import math

HELICITIES = ("LR", "RL", "LL", "RR")  #: (e-, e+) helicity combinations


def check(P_minus, P_plus) -> tuple[float, float]:
    """(P(e-), P(e+)) as floats; ValueError unless both are finite numbers in [-1, 1]."""
    out = []
    for name, p in (("P(e-)", P_minus), ("P(e+)", P_plus)):
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not math.isfinite(p) or not -1 <= p <= 1:
            raise ValueError(f"beam polarisation {name} must be a number in [-1, 1] (got {p!r})")
        out.append(float(p))
    return out[0], out[1]


def weights(P_minus: float = 0.0, P_plus: float = 0.0) -> dict[str, float]:
    """Fraction of the e+e- collisions in each helicity combination, w_h/4 (adds up to 1): the probability that
    the colliding e- and e+ have the helicities h."""
    pm, pp = check(P_minus, P_plus)
    return {"LR": (1 - pm) * (1 + pp) / 4, "RL": (1 + pm) * (1 - pp) / 4,
            "LL": (1 - pm) * (1 - pp) / 4, "RR": (1 + pm) * (1 + pp) / 4}


def combine(pieces: dict, P_minus: float = 0.0, P_plus: float = 0.0):
    """sigma(P-, P+) from pieces normalised like an unpolarised average (each piece (1/4) sum over its helicity
    combination): sum_h 4 w_h/4 piece_h.  Missing helicity combinations count as zero."""
    w = weights(P_minus, P_plus)
    return sum(4 * w[h] * pieces[h] for h in HELICITIES if h in pieces)
