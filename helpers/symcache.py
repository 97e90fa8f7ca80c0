"""A disk cache for SymPy derivations.

Deriving the production spin sums takes several seconds; every notebook and test session would pay
it again.  :func:`symcached` stores the result of a derivation as ``sympy.srepr`` text, keyed by

* the function name and its arguments,
* the SymPy version,
* the SHA-256 of every source file of the ``helpers`` package (any code change invalidates every entry).

A stale entry is therefore never read: its key no longer matches (tested in ``tests/test_symcache.py``).
The cache lives in ``.symcache/`` at the repository root (git-ignored), or in ``$DIPOLE_CACHE_DIR``;
``DIPOLE_NO_CACHE=1`` switches it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import sympy as sp

_PKG = Path(__file__).resolve().parent


def cache_dir() -> Path:
    env = os.environ.get("DIPOLE_CACHE_DIR")
    return Path(env) if env else _PKG.parent / ".symcache"


def code_fingerprint() -> str:
    """SHA-256 over the sources of the helpers package and the SymPy version."""
    h = hashlib.sha256(sp.__version__.encode())
    for path in sorted(_PKG.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _key(name: str, args: tuple) -> str:
    return hashlib.sha256(f"{name}|{args!r}|{code_fingerprint()}".encode()).hexdigest()[:24]


def _dump(obj) -> str:
    if isinstance(obj, dict):
        return repr({k: sp.srepr(v) for k, v in obj.items()})
    return repr(sp.srepr(obj))


def _load(text: str):
    import ast

    data = ast.literal_eval(text)
    ns = {k: getattr(sp, k) for k in dir(sp) if not k.startswith("_")}
    if isinstance(data, dict):
        return {k: eval(v, ns) for k, v in data.items()}  # noqa: S307 - our own srepr output
    return eval(data, ns)  # noqa: S307


def symcached(func):
    """Decorator: cache a derivation (returning a SymPy expression or a dict of them) on disk and in memory."""

    @functools.lru_cache(maxsize=None)
    @functools.wraps(func)
    def wrapper(*args):
        if os.environ.get("DIPOLE_NO_CACHE"):
            return func(*args)
        path = cache_dir() / f"{func.__module__}.{func.__qualname__}-{_key(func.__qualname__, args)}.txt"
        if path.exists():
            try:
                return _load(path.read_text())
            except Exception:  # a damaged file: derive again and overwrite
                pass
        result = func(*args)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(_dump(result))
            tmp.replace(path)
        except OSError:
            pass
        return result

    return wrapper


def array_cache_path(name: str, args: tuple) -> Path:
    """Path of a cached array bundle (.npz) for ``name(args)``, keyed like the SymPy cache (code fingerprint)."""
    return cache_dir() / f"{name}-{_key(name, args)}.npz"


def cached_arrays(name: str, args: tuple, build):
    """Return ``build()`` (a dict of numpy arrays), cached on disk under a key of name, args and code fingerprint."""
    import numpy as np

    if os.environ.get("DIPOLE_NO_CACHE"):
        return build()
    path = array_cache_path(name, args)
    if path.exists():
        try:
            with np.load(path) as data:
                return {k: data[k] for k in data.files}
        except Exception:
            pass
    result = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.stem + ".tmp.npz")
        np.savez(tmp, **result)
        tmp.replace(path)
    except OSError:
        pass
    return result
