r"""Explicit Dirac matrices, symbolic (SymPy) and numeric (NumPy).

Two independent tools built on the same textbook definitions (Dirac representation,
metric diag(1, -1, -1, -1), sigma^{mu nu} = (i/2)[gamma^mu, gamma^nu]):

* ``sym_*``: 4x4 SymPy matrices for spin sums written as explicit traces; the
  decay widths and cross sections are *derived* with these.
* numeric spinors and polarisation vectors, vectorised over many phase-space
  points: used to evaluate amplitudes spin by spin, with no trace algebra, as an
  independent check of the symbolic results.

Numeric arrays: four-vectors have shape (..., 4) with upper indices; spinors (..., 4).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

METRIC = np.diag([1.0, -1.0, -1.0, -1.0])

_s0 = np.eye(2, dtype=complex)
_sx = np.array([[0, 1], [1, 0]], dtype=complex)
_sy = np.array([[0, -1j], [1j, 0]], dtype=complex)
_sz = np.array([[1, 0], [0, -1]], dtype=complex)
PAULI = np.array([_sx, _sy, _sz])


def _block(a, b, c, d):
    return np.block([[a, b], [c, d]])


_Z2 = np.zeros((2, 2), dtype=complex)
GAMMA = np.array(
    [_block(_s0, _Z2, _Z2, -_s0)] + [_block(_Z2, s, -s, _Z2) for s in PAULI]
)  #: gamma^mu, shape (4, 4, 4), upper index first
GAMMA5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
ID4 = np.eye(4, dtype=complex)
P_R = (ID4 + GAMMA5) / 2
P_L = (ID4 - GAMMA5) / 2
SIGMA = 0.5j * (np.einsum("mab,nbc->mnac", GAMMA, GAMMA) - np.einsum("nab,mbc->mnac", GAMMA, GAMMA))
#: sigma^{mu nu}, shape (4, 4, 4, 4)


def dot(p, q):
    """Minkowski product p.q = p^0 q^0 - p.q over the last axis (both with upper indices)."""
    p, q = np.asarray(p), np.asarray(q)
    return p[..., 0] * q[..., 0] - p[..., 1] * q[..., 1] - p[..., 2] * q[..., 2] - p[..., 3] * q[..., 3]


def lower(p):
    """Lower the Lorentz index of a four-vector (last axis)."""
    return np.asarray(p) * np.array([1.0, -1.0, -1.0, -1.0])


def slash(p):
    """p-slash = gamma^mu p_mu, shape (..., 4, 4)."""
    return np.einsum("...m,mab->...ab", lower(p).astype(complex), GAMMA)


def bar(spinor):
    """Dirac adjoint psi^dagger gamma^0 of spinors of shape (..., 4)."""
    return np.conj(spinor) @ GAMMA[0]


def sandwich(bar_spinor, matrices, spinor):
    """bar_psi Gamma^k psi for a family of matrices Gamma^k, point by point: bar_spinor (N, 4), spinor (N, 4),
    ``matrices`` (K, 4, 4) (the same at every point) or (N, K, 4, 4); returns (N, K).

    With K = 4 Lorentz components this is a current bar_psi Gamma^mu psi with an upper index.
    """
    matrices = np.asarray(matrices)
    if matrices.ndim == 3:  # Gamma psi first, then the product with bar_psi: faster than one 3-operand einsum
        return np.einsum("na,nka->nk", bar_spinor, np.einsum("kab,nb->nka", matrices, spinor))
    if matrices.ndim == 4:
        return np.einsum("na,nka->nk", bar_spinor, np.einsum("nkab,nb->nka", matrices, spinor))
    raise ValueError(f"matrices must have shape (K, 4, 4) or (N, K, 4, 4) (got {matrices.shape})")


def u_spinors(p, m):
    """The two positive-energy spinors u(p, s), s = 1, 2 (Dirac representation).

    Returns shape (2, ..., 4).  sum_s u ubar = pslash + m (checked in the tests).
    """
    p = np.asarray(p, dtype=float)
    E = p[..., 0]
    norm = np.sqrt(E + m)
    sp_ = np.einsum("...i,iab->...ab", p[..., 1:].astype(complex), PAULI)  # sigma . p
    out = []
    for chi in (np.array([1, 0], complex), np.array([0, 1], complex)):
        upper = norm[..., None] * chi
        low = (sp_ @ chi) / norm[..., None]
        out.append(np.concatenate([upper, low], axis=-1))
    return np.array(out)


def v_spinors(p, m):
    """The two negative-energy spinors v(p, s); sum_s v vbar = pslash - m."""
    p = np.asarray(p, dtype=float)
    E = p[..., 0]
    norm = np.sqrt(E + m)
    sp_ = np.einsum("...i,iab->...ab", p[..., 1:].astype(complex), PAULI)
    out = []
    for chi in (np.array([1, 0], complex), np.array([0, 1], complex)):
        upper = (sp_ @ chi) / norm[..., None]
        low = norm[..., None] * chi
        out.append(np.concatenate([upper, low], axis=-1))
    return np.array(out)


def polarizations(q, mass=None):
    """Real linear polarisation vectors of a vector boson with momentum q (upper index).

    Two transverse vectors for ``mass=None`` (photon); with a mass (which may be
    the off-shell sqrt(q^2)) a third, longitudinal one.  Shape (n_pol, ..., 4).
    sum eps^mu eps^nu = -g^{mu nu} + q^mu q^nu / M^2 for the massive case.
    """
    q = np.asarray(q, dtype=float)
    vec = q[..., 1:]
    pabs = np.linalg.norm(vec, axis=-1)
    at_rest = pabs == 0
    n = np.where(at_rest[..., None], np.array([0.0, 0.0, 1.0]), vec / np.where(at_rest, 1.0, pabs)[..., None])
    # a helper direction not parallel to n
    helper = np.where(np.abs(n[..., 2:3]) < 0.9, np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0]))
    e1 = np.cross(n, helper)
    e1 /= np.linalg.norm(e1, axis=-1)[..., None]
    e2 = np.cross(n, e1)
    zero = np.zeros(pabs.shape + (1,))
    pols = [np.concatenate([zero, e1], axis=-1), np.concatenate([zero, e2], axis=-1)]
    if mass is not None:
        M = np.asarray(mass, dtype=float)
        epsL = np.concatenate([(pabs / M)[..., None], (q[..., 0] / M)[..., None] * n], axis=-1)
        pols.append(epsL)
    return np.array(pols)


def boost(p, beta):
    """Lorentz-boost four-vectors p (..., 4) by velocity beta (..., 3)."""
    p = np.asarray(p, dtype=float)
    beta = np.asarray(beta, dtype=float)
    b2 = np.sum(beta**2, axis=-1)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(beta * p[..., 1:], axis=-1)
    safe_b2 = np.where(b2 > 0, b2, 1.0)
    g2 = np.where(b2 > 0, (gamma - 1.0) / safe_b2, 0.0)
    E = gamma * (p[..., 0] + bp)
    vec = p[..., 1:] + (g2 * bp + gamma * p[..., 0])[..., None] * beta
    return np.concatenate([E[..., None], vec], axis=-1)


def two_body_momenta(M, m1, m2, cos_theta, phi):
    """Momenta of a decay M -> 1 + 2 in the M rest frame, particle 1 along (theta, phi)."""
    M, m1, m2, cos_theta, phi = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (M, m1, m2, cos_theta, phi)))
    lam = (M**2 - (m1 + m2) ** 2) * (M**2 - (m1 - m2) ** 2)
    p = np.sqrt(np.maximum(lam, 0.0)) / (2 * M)
    st = np.sqrt(1 - cos_theta**2)
    n = np.stack([st * np.cos(phi), st * np.sin(phi), cos_theta], axis=-1)
    E1 = np.sqrt(p**2 + m1**2)
    E2 = np.sqrt(p**2 + m2**2)
    p1 = np.concatenate([E1[..., None], p[..., None] * n], axis=-1)
    p2 = np.concatenate([E2[..., None], -p[..., None] * n], axis=-1)
    return p1, p2


# --- the one propagator convention of the package ----------------------------------------
#
# Every numeric amplitude in helpers (helpers.amplitudes, helpers.background) builds its boson lines from
# these two functions, so that the relative sign of two diagrams can never depend on which module wrote a
# propagator.  Feynman rules: vertices i x (coupling) x gamma^mu ..., propagator of a vector boson of mass M
# (unitary gauge) -i (g^{mu nu} - q^mu q^nu / M^2) / (q^2 - M^2 + i M Gamma); photon: M = 0, no q q term.
# The sign is pinned physically by the Fermi limit of e+e- -> nu_e nu_e-bar, g_L -> g_L + 1
# (tests/test_production.py), and by the soft-photon factorisation of e+e- -> nu nu-bar gamma onto it
# (tests/test_background.py).


def propagator(q2, M: float = 0.0, Gamma: float = 0.0):
    """Scalar factor of every vector-boson propagator: -i / (q^2 - M^2 + i M Gamma)."""
    return -1j / (np.asarray(q2) - M**2 + 1j * M * Gamma)


def propagate(J, q, M: float, Gamma: float = 0.0):
    """A current J_b (upper index, shape (N, 4)) carried through a massive vector line of momentum q:
    -i (g^{ab} - q^a q^b / M^2) J_b / (q^2 - M^2 + i M Gamma), returned with an upper index (N, 4)."""
    q2 = dot(q, q)
    qJ = dot(q, J)
    return propagator(q2, M, Gamma)[:, None] * (J - q * (qJ / M**2)[:, None])


# --- symbolic -------------------------------------------------------------------------


@lru_cache(maxsize=None)
def sym_gamma() -> tuple[sp.Matrix, ...]:
    """gamma^0..gamma^3 as SymPy matrices (Dirac representation)."""
    return tuple(sp.Matrix(g.tolist()).applyfunc(sp.nsimplify) for g in GAMMA)


@lru_cache(maxsize=None)
def sym_gamma5() -> sp.Matrix:
    g = sym_gamma()
    return sp.I * g[0] * g[1] * g[2] * g[3]


def sym_metric() -> sp.Matrix:
    return sp.diag(1, -1, -1, -1)


def sym_slash(p) -> sp.Matrix:
    """p-slash for a four-vector p given with upper indices (list of 4 SymPy expressions)."""
    g = sym_gamma()
    eta = sym_metric()
    return sum((eta[m, m] * p[m] * g[m] for m in range(4)), sp.zeros(4))


@lru_cache(maxsize=None)
def sym_sigma() -> tuple[tuple[sp.Matrix, ...], ...]:
    """sigma^{mu nu} = (i/2)[gamma^mu, gamma^nu] as SymPy matrices."""
    g = sym_gamma()
    return tuple(tuple(sp.I / 2 * (g[m] * g[n] - g[n] * g[m]) for n in range(4)) for m in range(4))


def sym_bar(matrix: sp.Matrix) -> sp.Matrix:
    """Dirac conjugate gamma^0 Gamma^dagger gamma^0 of a vertex matrix."""
    g0 = sym_gamma()[0]
    return g0 * matrix.H * g0
