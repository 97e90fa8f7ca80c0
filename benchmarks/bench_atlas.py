"""Time the atlas: the best bound over a 200 x 200 (m_N, a) grid, per combination, uncached, one process per
combination on the machine's cores (the book's chapter asks for under a minute on 2 cores).

Run: .venv/bin/python benchmarks/bench_atlas.py   (or `make bench`)
"""

import os
import time
from concurrent.futures import ProcessPoolExecutor

os.environ.setdefault("DIPOLE_NO_CACHE", "")  # the derivations may come from the cache; the maps are built afresh

from helpers import atlas as AT  # noqa: E402


def one(kind):
    m, a = AT.mass_axis(200), AT.a_axis(200)
    t0 = time.perf_counter()
    AT.atlas.__wrapped__(kind, "e", m, a) if hasattr(AT.atlas, "__wrapped__") else _uncached(kind, m, a)
    return kind, time.perf_counter() - t0


def _uncached(kind, m, a):
    from helpers import curves as K

    bands = [AT.band_map(x, "e", m, a) for x in K.combined_kinds()[kind]]
    return K.combine_bands([(lo.ravel(), hi.ravel()) for lo, hi in bands])


def main():
    kinds = ("lep", "cepc", "fcc_ee", "ilc", "clic")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        for kind, dt in pool.map(one, kinds):
            print(f"{kind:7s}: 200 x 200 map {dt:5.1f} s")
    print(f"all {len(kinds)} maps on {os.cpu_count()} cores: {time.perf_counter() - t0:.1f} s wall")


if __name__ == "__main__":
    main()
