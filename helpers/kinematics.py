"""Kinematics of e+e- -> N nu-bar at fixed sqrt(s) (massless nu-bar); needs 0 < m_N < sqrt(s)."""

from __future__ import annotations

from .validation import below_threshold, mass, positive


def energy_N(sqrt_s, m_N):
    """Energy of N in e+e- -> N nu (massless nu): E_N = (s + m_N^2) / (2 sqrt(s)) [GeV]."""
    rs = positive(sqrt_s, "sqrt_s")
    m = mass(m_N)
    below_threshold(m, rs)
    return (rs**2 + m**2) / (2 * rs)


def momentum_N(sqrt_s, m_N):
    """|p_N| = (s - m_N^2) / (2 sqrt(s)) [GeV]."""
    rs = positive(sqrt_s, "sqrt_s")
    m = mass(m_N)
    below_threshold(m, rs)
    return (rs**2 - m**2) / (2 * rs)
