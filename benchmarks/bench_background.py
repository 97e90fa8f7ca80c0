"""Time the nu nu-bar gamma background of each running mode after all cuts (fresh computation, no disk cache).

Run: .venv/bin/python benchmarks/bench_background.py   (or `make bench`)
"""

import os
import time

os.environ["DIPOLE_NO_CACHE"] = "1"

from helpers import background as B  # noqa: E402
from helpers import colliders  # noqa: E402
from helpers import projection as PJ  # noqa: E402


def main():
    B.generate(91.2, (35.0, 45.6), (-0.5, 0.5), n=8 * 16)  # warm-up
    for mode in colliders.MODES:
        PJ.background_events.cache_clear()
        t0 = time.perf_counter()
        val, err = PJ.background_after(mode)
        dt = time.perf_counter() - t0
        print(f"{mode:8s}: sigma_B after all cuts = {1e3 * val:.4f} +- {1e3 * err:.4f} fb ({err / val:.2%}) in {dt:.2f} s")


if __name__ == "__main__":
    main()
