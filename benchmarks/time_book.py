"""Wall-clock timings of the book: each notebook executed on its own, then a full build.

Run with the project venv (``make bench`` does this for every ``benchmarks/*.py``)::

    .venv/bin/python benchmarks/time_book.py [--skip-build] [notebooks/01_model.ipynb ...]

Nothing is written into the repository: notebooks are executed in memory with
nbclient (working directory = ``notebooks/``, as in the book build), and the
book is built into a temporary directory that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CELL_TIMEOUT = 600  # same as execute.timeout in _config.yml


def time_notebook(path: Path) -> tuple[float, str]:
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name=kernel,
        resources={"metadata": {"path": str(path.parent)}},
    )
    t0 = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except Exception as exc:  # report and go on with the other notebooks
        status = f"FAILED ({type(exc).__name__})"
    return time.perf_counter() - t0, status


def time_book_build() -> tuple[float, str]:
    with tempfile.TemporaryDirectory(prefix="dipole-book-bench-") as out:
        cmd = [str(BIN / "jupyter-book"), "build", str(ROOT), "--all", "--path-output", out]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            return elapsed, f"FAILED (exit {proc.returncode})"
        return elapsed, "ok"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--skip-build", action="store_true", help="do not time the full jupyter-book build")
    args = parser.parse_args(argv)

    # Same kernel resolution as the Makefile: the venv's python3 kernelspec first.
    os.environ.setdefault("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    rows: list[tuple[str, float, str]] = []
    for path in notebooks:
        elapsed, status = time_notebook(path)
        rows.append((str(path.relative_to(ROOT)), elapsed, status))
        print(f"  {rows[-1][0]}: {elapsed:.1f} s {status}", file=sys.stderr)
    if not args.skip_build:
        elapsed, status = time_book_build()
        rows.append(("jupyter-book build --all (full book)", elapsed, status))

    width = max([len(r[0]) for r in rows] + [4])
    print(f"\n{'what':<{width}}  {'wall [s]':>9}  status")
    print(f"{'-' * width}  {'-' * 9}  ------")
    for name, elapsed, status in rows:
        print(f"{name:<{width}}  {elapsed:9.1f}  {status}")
    print(f"\nPython {sys.version.split()[0]} ({sys.executable}), {os.cpu_count()} CPUs")
    return 0 if all(r[2] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
