"""Time the expected CLs limit (pyhf): a single-bin and an 8-bin limit, without and with systematics, after a warm-up.

Run: .venv/bin/python benchmarks/bench_statistics.py   (or `make bench`)
"""

import time

import numpy as np

from helpers import statistics as ST

CASES = {
    "1 bin, B = 1e6": ([1.0], [1e6]),
    "8 bins, B = 1e6 ... 1e2, signal 1 ... 100": (np.geomspace(1.0, 100.0, 8), np.geomspace(1e6, 1e2, 8)),
}
SYSTEMATICS = {"no systematics": {}, "bkg 1 %, lumi 2 %": {"bkg_uncertainty": 0.01, "lumi_uncertainty": 0.02}}


def main():
    ST.excluded_signal([1.0], [100.0])  # warm-up: pyhf backend and imports
    for name, (signal, background) in CASES.items():
        for label, kw in SYSTEMATICS.items():
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                S = ST.excluded_signal(signal, background, **kw)
                times.append(time.perf_counter() - t0)
            print(f"{name:42s} {label:18s}: excluded S = {S:9.1f} events; best of 3 = {min(times) * 1e3:6.1f} ms")


if __name__ == "__main__":
    main()
