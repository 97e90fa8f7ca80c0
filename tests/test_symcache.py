"""The derivation and array caches: never a stale entry, never code run from a cache file, never in the source tree.

An entry is keyed by the function, its arguments, the helpers sources and the numpy/scipy/sympy/Python versions;
changing any of them must make the cache derive again (and changing it back must find the old entry).
"""

import collections
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import platformdirs
import pytest
import scipy
import sympy as sp

from helpers import symcache

ROOT = Path(symcache.__file__).resolve().parents[1]
x = sp.Symbol("x", positive=True)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("DIPOLE_CACHE_DIR", str(d))
    monkeypatch.delenv("DIPOLE_NO_CACHE", raising=False)
    return d


@pytest.fixture
def derivation():
    """A cached derivation that records its calls."""
    calls = []

    def derive(n):
        calls.append(n)
        return {"f": x**n + sp.sqrt(2) * x, "g": sp.atan2(x, 1) / sp.pi}

    derive.__module__ = "test"
    cached = symcache.symcached(derive)
    cached.calls = calls
    return cached


def entries(d):
    """The cache entries in d (not the lock files that guard their building)."""
    return sorted(p.name for p in d.iterdir() if not p.name.endswith(".lock")) if d.is_dir() else []


def reread(cached, *args):
    cached.cache_clear()  # drop the in-memory copy: the next call reads the disk cache
    return cached(*args)


def test_roundtrip_reads_the_file_and_keeps_assumptions(cache, derivation):
    first = derivation(3)
    assert derivation.calls == [3] and len(entries(cache)) == 1
    again = reread(derivation, 3)
    assert again == first and derivation.calls == [3]
    assert again["f"].free_symbols == {x}
    assert next(iter(again["f"].free_symbols)).is_positive
    assert sp.sqrt(again["f"] ** 2) == again["f"]  # only true because x > 0 survived


def test_every_kind_of_sympy_object_survives_the_roundtrip():
    y = sp.Symbol("y", real=True, nonnegative=True)
    d = sp.Dummy("d", integer=True)
    f = sp.Function("f")
    exprs = {
        "arith": sp.Rational(-3, 7) * x ** sp.Rational(5, 2) + sp.Float("1.25", 30) * y - 2 * sp.I * sp.pi,
        "functions": sp.exp(-x) * sp.log(y + 1) * sp.cos(x) * sp.sin(y) * sp.Abs(x - y) + sp.atan2(y, x),
        "piecewise": sp.Piecewise((x**2, x > 1), (sp.conjugate(y), sp.Eq(y, 0)), (0, True)),
        "undefined": f(x, y) + d,
        "singletons": sp.oo + sp.E + sp.EulerGamma,
        "matrix": sp.ImmutableMatrix([[x, 1], [y, sp.S.Half]]),
        "tuple": sp.Tuple(x, -1, sp.true),
        "nested": {"gamma": x / 2, "Z": {"L": -y, "R": (x, 1.5)}},  # as helpers.production returns
    }
    back = symcache._load(symcache._dump(exprs))
    assert back == exprs
    for name, e in exprs.items():
        if name == "nested":
            continue
        for s in e.free_symbols:
            (s2,) = [t for t in back[name].free_symbols if t.name == s.name]
            assert s2.assumptions0 == s.assumptions0
    assert symcache._load(symcache._dump(sp.sqrt(x))) == sp.sqrt(x)


def test_another_input_is_another_entry(cache, derivation):
    derivation(3)
    assert derivation(4)["f"] == x**4 + sp.sqrt(2) * x
    assert derivation.calls == [3, 4] and len(entries(cache)) == 2
    reread(derivation, 4)
    reread(derivation, 3)
    assert derivation.calls == [3, 4]


def test_a_code_change_invalidates_the_entry(cache, derivation, monkeypatch):
    first = derivation(3)
    # same key: a (tampered, but valid) file is used -- so the file really is what is read ...
    (path,) = (cache / name for name in entries(cache))
    path.write_text(symcache._dump({"f": sp.Integer(42)}))
    assert reread(derivation, 3) == {"f": 42} and derivation.calls == [3]
    # ... and after a code change it is not: derived again
    monkeypatch.setattr(symcache, "code_fingerprint", lambda: "a-different-code-version")
    assert reread(derivation, 3) == first and derivation.calls == [3, 3]


Version = collections.namedtuple("Version", "major minor micro releaselevel serial")


@pytest.mark.parametrize("library", ["numpy", "scipy", "sympy", "python"])
def test_a_library_or_python_version_change_invalidates_the_entry(cache, derivation, monkeypatch, library):
    derivation(3)
    assert derivation.calls == [3]
    with monkeypatch.context() as m:
        if library == "python":
            new = Version(sys.version_info.major, sys.version_info.minor + 1, 0, "final", 0)
            m.setattr(sys, "version_info", new)
            assert symcache.library_versions()["python"] == f"{new.major}.{new.minor}"
        else:
            m.setattr({"numpy": np, "scipy": scipy, "sympy": sp}[library], "__version__", "0.0.0")
            assert symcache.library_versions()[library] == "0.0.0"
        reread(derivation, 3)
        assert derivation.calls == [3, 3] and len(entries(cache)) == 2
    reread(derivation, 3)  # back to the real versions: the first entry is found again
    assert derivation.calls == [3, 3]


def test_the_array_cache_is_keyed_like_the_derivations(cache, monkeypatch):
    calls = []

    def build():
        calls.append(1)
        return {"E": np.linspace(0, 1, 5), "n": np.arange(3)}

    a = symcache.cached_arrays("probe.events", (1, "e"), build)
    b = symcache.cached_arrays("probe.events", (1, "e"), build)
    assert len(calls) == 1 and np.array_equal(a["E"], b["E"]) and b["n"].dtype == a["n"].dtype
    symcache.cached_arrays("probe.events", (2, "e"), build)
    assert len(calls) == 2
    monkeypatch.setattr(scipy, "__version__", "0.0.0")  # e.g. a new Sobol scrambling
    symcache.cached_arrays("probe.events", (1, "e"), build)
    assert len(calls) == 3
    monkeypatch.setattr(symcache, "code_fingerprint", lambda: "new-code")
    symcache.cached_arrays("probe.events", (1, "e"), build)
    assert len(calls) == 4


PAYLOADS = [
    "__import__('os').system('touch {marker}')",
    "Symbol('x').__class__.__init__.__globals__['os'].system('touch {marker}')",
    # SymPy constructors sympify a string argument, and sympify evals it:
    "cos(\"__import__('os').system('touch {marker}')\")",
    "Add(Symbol('x'), \"__import__('os').system('touch {marker}')\")",
    "Function('f', \"__import__('os').system('touch {marker}')\")",
    "Symbol('x', positive=\"__import__('os').system('touch {marker}')\")",
    "Wild('w', \"__import__('os').system('touch {marker}')\")",
    "[__import__('os').system('touch {marker}') for _ in (1,)]",
    "(lambda: __import__('os').system('touch {marker}'))()",
    # a dict handed to a constructor would be sympified, keys and all:
    "cos({{\"__import__('os').system('touch {marker}')\": Integer(1)}})",
    "{{\"k\": Tuple({{\"__import__('os').system('touch {marker}')\": 1}})}}",
]


def test_the_payloads_are_live_under_eval(tmp_path):
    """The malicious files below would run code under the old loader (eval with the SymPy namespace)."""
    ns = {k: getattr(sp, k) for k in dir(sp) if not k.startswith("_")}
    marker = tmp_path / "ran"
    eval(PAYLOADS[0].format(marker=marker), ns)  # noqa: S307 - demonstrates the danger
    assert marker.exists()
    marker.unlink()
    try:
        eval(PAYLOADS[2].format(marker=marker), ns)  # noqa: S307
    except Exception:
        pass
    assert marker.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_malicious_cache_file_is_not_executed(cache, derivation, tmp_path, payload):
    marker = tmp_path / "ran"
    text = payload.format(marker=marker)
    with pytest.raises(symcache.UnsafeCacheEntry):
        symcache._load_expr(text)
    assert not marker.exists()

    good = derivation(3)
    path = symcache.symcache_path(derivation.__wrapped__, (3,))
    assert path.exists()
    for content in (json.dumps({"format": symcache._FORMAT, "kind": "expr", "srepr": text}),
                    json.dumps({"format": symcache._FORMAT, "kind": "dict", "srepr": {"f": text}}),
                    repr(text), text):
        path.write_text(content)
        n = len(derivation.calls)
        assert reread(derivation, 3) == good and len(derivation.calls) == n + 1  # refused, derived again
        assert not marker.exists()
    assert symcache._load(path.read_text()) == good  # and the entry was repaired


class Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickled_array_file_is_not_unpickled(cache, tmp_path):
    marker = tmp_path / "ran"
    path = symcache.array_cache_path("probe.evil", (1,))
    path.parent.mkdir(parents=True)
    np.savez(path, x=np.array([Evil(marker)], dtype=object))
    calls = []

    def build():
        calls.append(1)
        return {"x": np.arange(3.0)}

    assert symcache.cached_arrays("probe.evil", (1,), build)["x"][2] == 2.0 and calls == [1]
    assert not marker.exists()
    with np.load(path, allow_pickle=False) as data:  # the entry was replaced by a plain one
        assert data["x"][2] == 2.0
    with pytest.raises(TypeError):  # and object arrays are never stored
        symcache.cached_arrays("probe.objects", (1,), lambda: {"x": np.array([object()])})


def test_the_cache_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("DIPOLE_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert symcache.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("DIPOLE_CACHE_DIR")
    assert symcache.cache_dir() == Path(platformdirs.user_cache_dir("dipole-portal-book", appauthor=False))
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert symcache.cache_dir() == tmp_path / "xdg" / "dipole-portal-book"
    assert ROOT not in symcache.cache_dir().parents


def test_nothing_is_written_into_the_source_tree(tmp_path):
    """A real derivation and an array entry, with DIPOLE_CACHE_DIR unset and a fresh HOME, run from the repository."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("DIPOLE_CACHE_DIR", "DIPOLE_NO_CACHE", "XDG_CACHE_HOME")}
    env["HOME"] = str(home)
    script = (
        "import numpy as np\n"
        "from helpers import decays, symcache\n"
        "decays.derive_two_body_width()\n"
        "symcache.cached_arrays('probe.tree', (1,), lambda: {'x': np.arange(2)})\n"
        "print(symcache.cache_dir())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    where = Path(out.stdout.split()[-1])
    assert where == home / ".cache" / "dipole-portal-book" or sys.platform != "linux"
    written = entries(where)
    assert any(n.startswith("helpers.decays.derive_two_body_width-") for n in written)
    assert any(n.startswith("probe.tree-") for n in written)
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "_build", "node_modules")]
        assert not set(filenames) & set(written), dirpath


def test_the_fingerprint_follows_the_sources(monkeypatch, tmp_path, cache, derivation):
    pkg = tmp_path / "helpers"
    shutil.copytree(symcache._PKG, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    real = symcache.code_fingerprint()
    monkeypatch.setattr(symcache, "_PKG", pkg)
    assert symcache.code_fingerprint() == real  # same files, same fingerprint
    derivation(3)

    source = pkg / "decays.py"
    original = source.read_text()
    source.write_text(original + "\n# an edit\n")
    edited = symcache.code_fingerprint()
    assert len(edited) == 64 and edited != real
    reread(derivation, 3)
    assert derivation.calls == [3, 3]  # the edit invalidated the entry

    source.write_text(original)
    assert symcache.code_fingerprint() == real
    (pkg / "new_module.py").write_text("A = 1\n")
    assert symcache.code_fingerprint() not in (real, edited)


def test_no_cache_switch(cache, derivation, monkeypatch):
    monkeypatch.setenv("DIPOLE_NO_CACHE", "1")
    derivation(3)
    symcache.cached_arrays("probe.off", (1,), lambda: {"x": np.arange(2)})
    assert entries(cache) == []


def test_clear_cache_removes_only_entries(cache, derivation):
    derivation(3)
    symcache.cached_arrays("probe.clear", (1,), lambda: {"x": np.arange(2)})
    cache.joinpath("notes.txt").write_text("not ours")
    assert symcache.clear_cache() == 4  # two entries and their lock files
    assert entries(cache) == ["notes.txt"]
    cache.joinpath("notes.txt").unlink()
    derivation.cache_clear()
    derivation(3)
    assert symcache.clear_cache() == 2 and not cache.exists()  # the entry and its lock file


def test_clear_without_the_venv(tmp_path):
    """`make clean` before `make venv`: the module runs as a script on a bare Python (no platformdirs, no sympy)."""
    d = tmp_path / "xdg" / "dipole-portal-book"
    d.mkdir(parents=True)
    d.joinpath("helpers.decays.w-" + "0" * 24 + ".json").write_text("{}")
    env = {k: v for k, v in os.environ.items() if k not in ("DIPOLE_CACHE_DIR",)}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    out = subprocess.run([sys.executable, "-I", "-S", str(ROOT / "helpers" / "symcache.py"), "--clear"],
                         env=env, capture_output=True, text=True, check=True)
    if sys.platform.startswith("linux"):
        assert "removed 1 entries" in out.stdout and not d.exists()


def test_a_result_the_reader_cannot_rebuild_is_not_stored(cache):
    def derive():
        return sp.MatrixSymbol("A", 2, 2)  # srepr passes a string to MatrixSymbol: refused by the reader

    derive.__module__ = "test"
    with pytest.warns(UserWarning, match="not cached"):
        assert symcache.symcached(derive)() == sp.MatrixSymbol("A", 2, 2)
    assert entries(cache) == []


_BUILD_ONCE = """
import sys, time
import numpy as np
from helpers import symcache
def build():
    with open(sys.argv[1], "a") as fh:
        fh.write("built\\n")
    time.sleep(1.0)
    return {"x": np.array([1.0, 2.0])}
print(symcache.cached_arrays("test.parallel", (1,), build)["x"].sum())
"""


def test_parallel_processes_build_an_entry_once(cache, tmp_path):
    """Two processes asking for the same missing entry at once: one builds it, the other waits and reads it."""
    record = tmp_path / "builds.txt"
    env = {**os.environ, "DIPOLE_CACHE_DIR": str(cache)}
    procs = [subprocess.Popen([sys.executable, "-c", _BUILD_ONCE, str(record)], env=env, stdout=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outs == ["3.0", "3.0"]
    assert record.read_text().count("built") == 1
    assert symcache.clear_cache(cache) >= 2  # the entry and its lock file
    assert not cache.exists()


def _cut_above(threshold):
    return lambda E, cos, pt, rs: E > threshold


def test_the_key_of_a_function_from_a_notebook_is_its_code_and_captured_values():
    """Two lambdas of one name differ by their code or their captured values: their keys differ (a cut defined in a
    notebook cannot hit another one's entry); the same code with the same values gives the same key, and a set's key
    does not depend on its iteration order."""
    k = symcache.stable_key
    assert k(_cut_above(10.0)) == k(_cut_above(10.0))
    assert k(_cut_above(10.0)) != k(_cut_above(40.0))
    assert k(lambda E, c, p, s: E > 1) != k(lambda E, c, p, s: E < 1)
    assert k(frozenset({"Z", "gamma", "W"})) == k(frozenset({"W", "Z", "gamma"}))
    assert k(np.arange(3.0)) != k(np.arange(3.0) + 1e-12)


def test_the_acceptance_cache_keeps_cuts_apart(cache):
    """signal.acceptance is cached on disk; cuts that differ only in a captured threshold get their own entries (the
    harder cut passes fewer photons), and a second call reads the entry (same numbers, one file per cut)."""
    from helpers import selection as SEL
    from helpers import signal as S

    soft, hard = (SEL.PhotonCuts(extra=_cut_above(t)) for t in (5.0, 40.0))
    a_soft = S.acceptance(91.1876, 20.0, "I", cuts=soft, n=1024).value
    a_hard = S.acceptance(91.1876, 20.0, "I", cuts=hard, n=1024).value
    assert a_hard < 0.9 * a_soft
    assert S.acceptance(91.1876, 20.0, "I", cuts=soft, n=1024).value == a_soft
    assert len([e for e in entries(cache) if e.startswith("signal.acceptance")]) == 2
