"""A disk cache for SymPy derivations and numpy arrays that never serves a stale or foreign result.

Deriving the production spin sums takes several seconds and generating the CEPC background samples
longer; every notebook and test session would pay it again.  :func:`symcached` (SymPy expressions, or
dicts of them) and :func:`cached_arrays` (dicts of numpy arrays) store results on disk.

**Key.**  An entry's file name holds a SHA-256 over everything that decides its content:

* the function name and its arguments (``repr``);
* the code: :func:`code_fingerprint`, the SHA-256 of every ``helpers/*.py`` source file, so any
  code change invalidates every entry;
* the libraries and the interpreter: :func:`library_versions`, the versions of numpy, scipy and
  sympy (scipy's Sobol scrambling, numpy's random streams and SymPy's canonical forms may change
  between versions) and the Python minor version;
* the cache format.

A stale entry is therefore never read: its key no longer matches (``tests/test_symcache.py``).

**Location.**  ``$DIPOLE_CACHE_DIR`` if set, else the user's cache directory from
``platformdirs.user_cache_dir("dipole-portal-book")`` (``~/.cache/dipole-portal-book`` on Linux,
honouring ``$XDG_CACHE_HOME``); never a path inside the source tree or the installed package, so a
non-editable install works and the working tree stays clean.  ``DIPOLE_NO_CACHE=1`` switches the
cache off.  :func:`clear_cache` (``python -m helpers.symcache --clear``, run by ``make clean``)
deletes the entries, and only files named like entries.

**Reading without eval.**  A SymPy entry is a JSON file holding ``sympy.srepr`` text.  That text is
not given to ``eval`` (nor to ``sympify``/``parse_expr``, which eval too): :func:`_load_expr` parses
it with :func:`ast.parse` and interprets the tree itself, allowing only

* names of SymPy classes (subclasses of ``sympy.Basic``) and SymPy singletons (``pi``, ``I``,
  ``true``, ...), called with positional and keyword arguments;
* literal ints, floats, bools and ``None`` (and their negation), tuples and lists of allowed nodes;
* around the expressions only (never as an argument of a constructor, which would ``sympify`` the
  keys): dicts with literal string keys, as in a derivation returning a dict of dicts;
* a string only as the first argument of ``Symbol``, ``Dummy``, ``Wild``, ``Float`` or
  ``Function``, whose constructors take it as a name or a number and never parse it as code (other
  constructors would ``sympify`` a string, which evals it);
* keyword values that are literal bools, ints or ``None`` (assumptions such as ``positive=True``,
  ``precision``, ``dummy_index``): symbol assumptions survive the round trip.

No attribute access, subscript, lambda, comprehension, import or call of anything else can be
expressed, so a cache file, whoever wrote it, can at worst describe a wrong (or very large) SymPy
expression, never run code; anything else is refused and the entry is derived again.  Pickle was
the alternative; it was not chosen because unpickling runs whatever callables the file names, so
its safety would rest on nobody else being able to write the cache directory, while srepr text
read this way is safe by construction and stays human-readable.  A result whose srepr this reader
cannot rebuild is not stored (with a warning).  Array entries are ``.npz`` files written and read
with ``allow_pickle=False``: object arrays are refused.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import hashlib
import json
import os
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

APP_NAME = "dipole-portal-book"
_PKG = Path(__file__).resolve().parent
_FORMAT = 2  # bump when the on-disk format changes
# Names of the files this module writes (and the only ones clear_cache deletes).
_ENTRY_RE = re.compile(r"^[\w.]+-[0-9a-f]{24}\.(json|npz)$")
_TMP_RE = re.compile(r"^[\w.]+-[0-9a-f]{24}\.(json|npz)\.[\w]+\.tmp$")
_LOCK_RE = re.compile(r"^[\w.]+-[0-9a-f]{24}\.(json|npz)\.lock$")


# ---------------------------------------------------------------------------------------- location

def cache_dir() -> Path:
    """The cache directory: ``$DIPOLE_CACHE_DIR``, else ``platformdirs.user_cache_dir("dipole-portal-book")``."""
    env = os.environ.get("DIPOLE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def _disabled() -> bool:
    return os.environ.get("DIPOLE_NO_CACHE", "") not in ("", "0")


# --------------------------------------------------------------------------------------------- key

def code_fingerprint() -> str:
    """SHA-256 over the names and contents of the ``helpers`` package's source files."""
    h = hashlib.sha256()
    for path in sorted(_PKG.glob("*.py")):
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    """The versions that decide a cached result besides our code: numpy, scipy, sympy, Python (minor)."""
    import importlib

    versions = {name: importlib.import_module(name).__version__ for name in ("numpy", "scipy", "sympy")}
    versions["python"] = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return versions


def _key(name: str, args: tuple) -> str:
    parts = [f"format={_FORMAT}", name, repr(args), code_fingerprint(),
             json.dumps(library_versions(), sort_keys=True)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def _atomic_write(path: Path, write) -> None:
    """Write via a unique temporary file in the same directory, then rename (safe with parallel writers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with open(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _one_builder(path: Path):
    """Held while an entry is built: a process that wants the same entry waits for the first one and then reads
    its result instead of deriving it a second time (the stages of ``make test`` run in parallel and start with
    an empty cache on a fresh machine).  An exclusive ``flock`` on ``<entry>.lock``, released by the kernel if the
    builder dies; without a usable lock (read-only cache, no fcntl) the entry is simply built.

    ``$DIPOLE_CACHE_LOG``, if set, is a file to which every build appends a line ``seconds<TAB>entry`` (for
    ``benchmarks/``: where a cold run spends its time)."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path.with_name(path.name + ".lock"), "a")
    except (ImportError, OSError):
        fh = None
    try:
        if fh is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        start = time.perf_counter()
        yield
        log = os.environ.get("DIPOLE_CACHE_LOG")
        if log:
            with open(log, "a") as out:
                out.write(f"{time.perf_counter() - start:.3f}\t{path.name}\n")
    finally:
        if fh is not None:
            fh.close()  # releases the lock


def _read_or_build(path: Path, read, build):
    """``read()`` if it finds the entry (not None), else ``build()`` (which stores it) under :func:`_one_builder`,
    reading once more after the wait: another process may have built it meanwhile."""
    found = read()
    if found is not None:
        return found
    with _one_builder(path):
        found = read()
        return found if found is not None else build()


# ------------------------------------------------------------------------------ SymPy (de)serialising

@functools.lru_cache(maxsize=1)
def _sympy_names() -> dict:
    import sympy as sp
    from sympy.functions.elementary.piecewise import ExprCondPair

    names = {"ExprCondPair": ExprCondPair}
    for k in dir(sp):
        v = getattr(sp, k)
        if (isinstance(v, type) and issubclass(v, sp.Basic)) or isinstance(v, sp.Basic):
            names[k] = v
    return names


_STRING_FIRST_ARG = frozenset({"Symbol", "Dummy", "Wild", "Float", "Function"})


class UnsafeCacheEntry(ValueError):
    """A cache file holds something other than plain srepr text of SymPy objects."""


def _load_expr(text: str):
    """Rebuild a SymPy object from ``sympy.srepr`` text without eval (see the module docstring)."""
    from sympy.core.function import UndefinedFunction

    names = _sympy_names()
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise UnsafeCacheEntry(f"not srepr text: {exc}") from None

    def literal(node):
        if isinstance(node, ast.Constant) and (node.value is None or type(node.value) in (bool, int, float)):
            return node.value
        if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)
                and type(node.operand.value) in (int, float)):
            return -node.operand.value
        raise UnsafeCacheEntry(f"not allowed: {ast.dump(node)[:80]}")

    def build(node):
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise UnsafeCacheEntry(f"unknown name {node.id!r}")
            return names[node.id]
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [build(e) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                func = build(node.func)
                if not isinstance(func, type):
                    raise UnsafeCacheEntry(f"{node.func.id} is not a class")
                fname = node.func.id
            elif isinstance(node.func, ast.Call):  # Function('f')(x): an undefined function applied
                func = build(node.func)
                if not isinstance(func, UndefinedFunction):
                    raise UnsafeCacheEntry("only an undefined function may be called")
                fname = None
            else:
                raise UnsafeCacheEntry(f"not allowed: {ast.dump(node.func)[:80]}")
            args = []
            for i, a in enumerate(node.args):
                if isinstance(a, ast.Constant) and isinstance(a.value, str):
                    if not (i == 0 and fname in _STRING_FIRST_ARG):
                        raise UnsafeCacheEntry(f"a string argument to {fname}")
                    if fname == "Function" and len(node.args) != 1:
                        raise UnsafeCacheEntry("Function takes one name")
                    args.append(a.value)
                else:
                    args.append(build(a))
            kwargs = {}
            for kw in node.keywords:
                if kw.arg is None:
                    raise UnsafeCacheEntry("**kwargs not allowed")
                kwargs[kw.arg] = literal(kw.value)
            return func(*args, **kwargs)
        return literal(node)

    def container(node):
        """The outside of a result: dicts (str keys), tuples and lists of results, or one expression.
        Never passed to a SymPy constructor, which would sympify a dict's keys (and eval str keys)."""
        if isinstance(node, ast.Dict):
            if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
                raise UnsafeCacheEntry("dict keys must be strings")
            return {k.value: container(v) for k, v in zip(node.keys, node.values)}
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [container(e) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        return build(node)

    try:
        return container(tree.body)
    except RecursionError:
        raise UnsafeCacheEntry("too deeply nested") from None


def _dump(obj) -> str:
    import sympy as sp

    if isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):
            raise TypeError("symcached: a dict result needs str keys")
        return json.dumps({"format": _FORMAT, "kind": "dict", "srepr": {k: sp.srepr(v) for k, v in obj.items()}})
    return json.dumps({"format": _FORMAT, "kind": "expr", "srepr": sp.srepr(obj)})


def _load(text: str):
    """Read what :func:`_dump` wrote; raises (never evaluates) on anything else."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise UnsafeCacheEntry("unknown cache format")
    kind, body = data.get("kind"), data.get("srepr")
    if kind == "dict" and isinstance(body, dict) and all(isinstance(v, str) for v in body.values()):
        return {k: _load_expr(v) for k, v in body.items()}
    if kind == "expr" and isinstance(body, str):
        return _load_expr(body)
    raise UnsafeCacheEntry("malformed cache entry")


# ---------------------------------------------------------------------------------------- public API

def _file_stem(name: str) -> str:
    return re.sub(r"[^\w.]", "_", name)


def symcache_path(func, args: tuple) -> Path:
    """Path of the cache file for a :func:`symcached` function called with ``args``."""
    name = f"{func.__module__}.{func.__qualname__}"
    return cache_dir() / f"{_file_stem(name)}-{_key(name, args)}.json"


def symcached(func):
    """Decorator: cache a derivation (returning a SymPy expression or a dict of them) on disk and in memory."""

    @functools.lru_cache(maxsize=None)
    @functools.wraps(func)
    def wrapper(*args):
        if _disabled():
            return func(*args)
        path = symcache_path(func, args)

        def read():
            try:
                return _load(path.read_text(encoding="utf-8"))
            except Exception:  # missing, damaged or foreign file: derive again and (over)write it
                return None

        def derive():
            result = func(*args)
            text = _dump(result)
            try:
                _load(text)
            except UnsafeCacheEntry as exc:  # e.g. a new kind of SymPy object: say so, store nothing
                warnings.warn(f"symcache: {func.__qualname__}{args!r} is not cached ({exc})", stacklevel=3)
                return result
            try:
                _atomic_write(path, lambda fh: fh.write(text.encode()))
            except OSError:  # a read-only cache is no error
                pass
            return result

        return _read_or_build(path, read, derive)

    return wrapper


def stable_key(value):
    """A text key of a value that does not depend on memory addresses or on the process: records by every field,
    module-level functions by qualified name, functions defined in a notebook or inside another function (lambdas,
    closures) by their code, defaults and captured values, arrays by hash, sets sorted.  A value whose ``repr`` holds
    a memory address gives a key of its own in every process: a cache miss, never a wrong hit."""
    import dataclasses
    import types

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple((f.name, stable_key(getattr(value, f.name)))
                                               for f in dataclasses.fields(value))
    if isinstance(value, types.FunctionType):
        name = f"{value.__module__}.{value.__qualname__}"
        if value.__module__ == "__main__" or "<" in value.__qualname__:  # may differ between runs under one name
            code = value.__code__
            body = hashlib.sha256(repr((code.co_code, code.co_consts, code.co_names, code.co_varnames)).encode())
            cells = tuple(stable_key(c.cell_contents) for c in (value.__closure__ or ()))
            return (name, body.hexdigest()[:16], stable_key(value.__defaults__), stable_key(value.__kwdefaults__),
                    cells)
        return name
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "__array__") and hasattr(value, "shape") and not isinstance(value, (int, float)):
        import numpy as np

        arr = np.ascontiguousarray(value, dtype=float)
        return f"array{arr.shape}:{hashlib.sha256(arr.tobytes()).hexdigest()[:16]}"
    if isinstance(value, (tuple, list)):
        return tuple(stable_key(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set",) + tuple(sorted(repr(stable_key(v)) for v in value))
    if isinstance(value, dict):
        return tuple(sorted((repr(k), stable_key(v)) for k, v in value.items()))
    return repr(value)


def array_cache_path(name: str, args: tuple) -> Path:
    """Path of a cached array bundle (.npz) for ``name(args)``, keyed like the SymPy cache."""
    return cache_dir() / f"{_file_stem(name)}-{_key(name, args)}.npz"


def cached_arrays(name: str, args: tuple, build):
    """Return ``build()`` (a dict of numpy arrays), cached on disk under a key of name, args, code and versions.

    ``args`` must hold every input that ``build`` depends on (beyond the code and library versions).
    The arrays must not be object arrays: they are stored and read without pickle.
    """
    import numpy as np

    if _disabled():
        return build()
    path = array_cache_path(name, args)

    def read():
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except Exception:  # missing, damaged, or needing pickle: build again and (over)write it
            return None

    def store():
        result = build()
        arrays = {k: np.asarray(v) for k, v in result.items()}
        for k, v in arrays.items():
            if v.dtype.hasobject:
                raise TypeError(f"cached_arrays({name!r}): {k!r} is an object array, which cannot be stored "
                                "without pickle")
        try:
            _atomic_write(path, lambda fh: np.savez(fh, allow_pickle=False, **arrays))
        except OSError:
            pass
        return result

    return _read_or_build(path, read, store)


def clear_cache(directory: Path | None = None) -> int:
    """Delete the cache entries (files named like entries) in ``directory`` (default :func:`cache_dir`).

    Other files are left alone, so pointing ``DIPOLE_CACHE_DIR`` at a shared directory is harmless.
    The directory itself is removed when it ends up empty.  Returns the number of files deleted.
    """
    d = Path(directory) if directory is not None else cache_dir()
    if not d.is_dir():
        return 0
    n = 0
    for p in d.iterdir():
        if p.is_file() and (_ENTRY_RE.match(p.name) or _TMP_RE.match(p.name) or _LOCK_RE.match(p.name)):
            p.unlink(missing_ok=True)
            n += 1
    try:
        d.rmdir()
    except OSError:
        pass
    return n


def _default_dir_without_platformdirs() -> Path:
    """platformdirs' rule on Linux and macOS; only for ``make clean`` run before the venv exists."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / APP_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.symcache",
                                     description="The dipole-portal-book derivation and array cache.")
    parser.add_argument("--clear", action="store_true", help="delete every cache entry")
    args = parser.parse_args(argv)
    try:
        d = cache_dir()
    except ImportError:  # `make clean` before `make venv`: a Python without platformdirs
        d = _default_dir_without_platformdirs()
    if args.clear:
        print(f"cache: removed {clear_cache(d)} entries from {d}")
    else:
        print(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
