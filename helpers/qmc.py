"""Quasi-Monte Carlo points shared by the Monte Carlo integrations (signal acceptance, background).

:func:`sobol_replicas` draws :data:`REPLICAS` independently scrambled Sobol sequences with fixed seeds
(seed, seed + 1, ...): the results are deterministic, quasi-random points converge faster than
pseudo-random ones for these smooth integrands, and the spread of the replicas gives an honest statistical
error (the standard error of the replica means).
"""

from __future__ import annotations

import numpy as np

from .validation import count

REPLICAS = 8  #: independently scrambled Sobol sequences per sample


def sobol_replicas(n: int, dim: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(u, replica): n points in [0, 1)^dim, REPLICAS scrambled Sobol sequences of n / REPLICAS points each,
    concatenated, and the replica index (0 .. REPLICAS - 1) of every point.

    ``n`` must be REPLICAS times a power of two (Sobol points are balanced in blocks of 2^k).
    """
    n = count(n, "n")
    dim = count(dim, "dim")
    seed = count(seed, "seed", minimum=0)
    per = n // REPLICAS
    if per * REPLICAS != n or per & (per - 1):
        raise ValueError(f"n must be {REPLICAS} times a power of two (e.g. {REPLICAS * 2048}); got {n}")
    from scipy.stats import qmc as _scipy_qmc  # here, not at import: scipy.stats takes ~0.8 s to import

    u = np.concatenate([_scipy_qmc.Sobol(d=dim, scramble=True, seed=seed + r).random(per) for r in range(REPLICAS)])
    return u, np.repeat(np.arange(REPLICAS), per)
