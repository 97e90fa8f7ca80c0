"""Wall-clock timings of the book: each notebook executed on its own, then the two full builds.

The builds are the reader's ``make book`` (every notebook executed, ``execute_notebooks: force``)
and the book stage of ``make test`` (``-W``, rendered from the stored outputs with
``execute_notebooks: off``, after nbval has executed every notebook once).  The sum of the
notebook times is about what the nbval stage of ``make test`` spends executing.

Run with the project venv (``make bench`` does this for every ``benchmarks/*.py``)::

    .venv/bin/python benchmarks/time_book.py [--skip-build] [notebooks/01_model.ipynb ...]

Notebooks are executed in memory with nbclient (working directory = ``notebooks/``, as in the
book build and in nbval), and the book is built into a temporary directory that is deleted
afterwards.  Notebook code itself may still write files (e.g. the exported curves in
``data/limits/``), as it does in every build.
"""

from __future__ import annotations

import argparse
import os
import re
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


BUILDS = {
    # name: (execute_notebooks, extra jupyter-book options); as in the Makefile
    "jupyter-book build --all (make book: notebooks executed)": ("force", []),
    "jupyter-book build --all -W, stored outputs (make test-book)": ("off", ["-W", "--keep-going"]),
}


def time_book_build(execute: str = "force", options: list[str] | None = None) -> tuple[float, str]:
    with tempfile.TemporaryDirectory(prefix="dipole-book-bench-") as out:
        cmd = [str(BIN / "jupyter-book"), "build", str(ROOT), "--all", "--path-output", out, *(options or [])]
        if execute != "force":  # the Makefile's book_config: _config.yml with execute_notebooks set
            text = (ROOT / "_config.yml").read_text()
            config, n = re.subn(r"(?m)^(  execute_notebooks:).*$", rf"\g<1> {execute}", text)
            if n != 1:
                return 0.0, "FAILED (no execute_notebooks line in _config.yml)"
            path = Path(out) / f"_config.{execute}.yml"
            path.write_text(config)
            cmd += ["--config", str(path)]
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
    if len(rows) > 1:
        rows.append(("notebooks, sum (about the nbval stage)", sum(r[1] for r in rows), "-"))
    if not args.skip_build:
        for name, (execute, options) in BUILDS.items():
            elapsed, status = time_book_build(execute, options)
            rows.append((name, elapsed, status))
            print(f"  {name}: {elapsed:.1f} s {status}", file=sys.stderr)

    width = max([len(r[0]) for r in rows] + [4])
    print(f"\n{'what':<{width}}  {'wall [s]':>9}  status")
    print(f"{'-' * width}  {'-' * 9}  ------")
    for name, elapsed, status in rows:
        print(f"{name:<{width}}  {elapsed:9.1f}  {status}")
    print(f"\nPython {sys.version.split()[0]} ({sys.executable}), {os.cpu_count()} CPUs")
    return 0 if all(r[2] in ("ok", "-") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
