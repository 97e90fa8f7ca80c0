"""Input checks shared by all modules: bad input raises ``ValueError`` saying what is allowed."""

from __future__ import annotations

import numpy as np

from . import sm


def as_finite_array(x, name: str) -> np.ndarray:
    """Return ``x`` as a float array; raise if any entry is NaN or infinite."""
    arr = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (got {x!r}); NaN and inf are not allowed")
    return arr


def positive(x, name: str, unit: str = "GeV") -> np.ndarray:
    """A strictly positive, finite quantity (masses, energies, couplings)."""
    arr = as_finite_array(x, name)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 {unit} (got {x!r})".replace("  ", " "))
    return arr


def mass(m, name: str = "m_N") -> np.ndarray:
    """A physical mass: finite and > 0 GeV."""
    return positive(m, name, "GeV")


def coupling(d, name: str = "d_gamma") -> np.ndarray:
    """A dipole coupling magnitude: finite and > 0 GeV^-1 (signs live in the ratios d_Z/d_gamma, d_W/d_gamma)."""
    return positive(d, name, "GeV^-1")


def flavour(f: str) -> str:
    """One of 'e', 'mu', 'tau'."""
    if f not in sm.LEPTON_MASS:
        raise ValueError(f"unknown flavour {f!r}; allowed: {', '.join(sm.FLAVOURS)}")
    return f


def below_threshold(m_N, sqrt_s, name: str = "m_N") -> None:
    """Production needs m_N < sqrt(s)."""
    m = np.asarray(m_N, dtype=float)
    if np.any(m >= np.asarray(sqrt_s, dtype=float)):
        raise ValueError(f"{name} must be below sqrt(s) = {sqrt_s!r} GeV (got {m_N!r})")
