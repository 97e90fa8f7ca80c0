"""Execute the book's notebooks side by side into the jupyter-cache that ``jupyter-book build`` reads.

``make book`` runs this, then builds the book with ``execute_notebooks: cache``: the build takes every
notebook's outputs from the cache instead of executing the notebooks one after another.  The cache is
emptied first, so every notebook is executed afresh on every ``make book`` (jupyter-cache keys a notebook
by its code cells only; an edit to ``helpers/`` would otherwise be missed).  Notebooks run in their own
folder, as in the book build and in nbval; the longest (largest file) start first, one per worker.

    python tools/execute_notebooks.py --cache _build/.jupyter_cache notebooks/*.ipynb

Exits 1, printing the traceback, if a notebook fails; the book build would stop there anyway.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def _run(data):
    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc

    start = time.perf_counter()
    status, uri = ExecutionWorkerLocalMProc()(data)
    return status, uri, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    from jupyter_cache import get_cache
    from jupyter_cache.executors.basic import ProcessData

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", required=True, help="the jupyter-cache folder (the book build's)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks at a time (default: CPUs)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (as execute.timeout)")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)

    cache = get_cache(args.cache)
    cache.clear_cache()
    order = sorted(args.notebooks, key=lambda p: p.stat().st_size, reverse=True)
    records = [cache.add_nb_to_project(str(p.resolve())) for p in order]
    jobs = [ProcessData(r.pk, r.uri, cache, args.timeout, False) for r in records]
    start = time.perf_counter()
    failed = []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for status, uri, seconds in pool.map(_run, jobs, chunksize=1):
            name = Path(uri).name
            print(f"  {name:28s} {seconds:6.1f} s  {'ok' if status == 0 else 'FAILED'}", flush=True)
            if status != 0:
                failed.append(uri)
    print(f"executed {len(jobs)} notebooks on {args.jobs} workers in {time.perf_counter() - start:.1f} s")
    for uri in failed:
        record = cache.get_project_record(uri)
        print(f"\n{uri} failed:\n{record.traceback or '(no traceback recorded)'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
