"""Time the acceptance engine on 200-mass scans (one experiment each), after a warm-up call.

Run: .venv/bin/python benchmarks/bench_acceptance.py   (or `make bench`)
"""

import time

import numpy as np

from helpers import selection as SEL, signal as S
from helpers import sm

SCANS = {
    "OPAL-like, sqrt(s) = M_Z, scenario I, E > 23 GeV, |cos| < 0.7": (sm.M_Z, "I", "e", SEL.PhotonCuts.symmetric(0.7, E_min=23.0),
                                                                       np.geomspace(0.01, 91.0, 200)),
    "DELPHI-like, sqrt(s) = 205.4 GeV, scenario II (e), 45-135 deg, 0.06 < x < 1.1": (
        205.4, "II", "e", SEL.PhotonCuts.polar_window_deg(45, 135, x_min=0.06, x_max=1.1), np.geomspace(0.01, 205.0, 200)),
}


def main():
    for name, (rs, model, flavour, cuts, masses) in SCANS.items():
        S.acceptance(rs, masses[:2], model, cuts=cuts, flavour=flavour)  # warm-up: derivations, lambdify
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            acc = S.acceptance(rs, masses, model, cuts=cuts, flavour=flavour)
            times.append(time.perf_counter() - t0)
        print(f"{name}\n  200 masses x {S.DEFAULT_SAMPLES} events: best of 3 = {min(times):.3f} s; "
              f"max relative stat. error = {np.max(acc.error / np.maximum(acc.value, 1e-300)):.2%}")


if __name__ == "__main__":
    main()
