"""Time the limit solver: one 200-mass curve per LEP analysis (acceptance included), after a warm-up.

Run: .venv/bin/python benchmarks/bench_limits.py   (or `make bench`)
"""

import time

from helpers import curves as K
from helpers import experiments as X
from helpers import limits as L


def main():
    for name in X.ANALYSES:
        exp = X.get(name)
        L.limit_band(exp, K.MASS_GRID[:3], "II", flavour="e")  # warm-up
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            L.limit_band(exp, K.MASS_GRID, "II", flavour="e")
            times.append(time.perf_counter() - t0)
        coeffs = L.rate_coefficients(exp, K.MASS_GRID, "II", flavour="e")
        t0 = time.perf_counter()
        L.band(coeffs)
        t_solve = time.perf_counter() - t0
        print(f"{name:12s}: 200-mass curve {min(times):.3f} s (best of 3); edge finding alone {t_solve * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
