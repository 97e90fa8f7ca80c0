"""The derivation cache never serves a stale result."""

import sympy as sp

from helpers import symcache


def test_cache_roundtrip_and_stale_entries_are_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPOLE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("DIPOLE_NO_CACHE", raising=False)
    calls = []
    x = sp.Symbol("x", positive=True)

    def derive(n):
        calls.append(n)
        return {"f": x**n + sp.sqrt(2) * x}

    derive.__module__ = "test"
    cached = symcache.symcached(derive)
    first = cached(3)
    assert calls == [3] and len(list(tmp_path.iterdir())) == 1
    cached.cache_clear()  # drop the in-memory copy: the next call reads the file
    assert cached(3) == first and calls == [3]
    # assumptions survive the round trip
    assert next(iter(cached(3)["f"].free_symbols)).is_positive

    # a code change changes the fingerprint: the old file must not be read
    (tmp_path / next(iter(tmp_path.iterdir())).name).write_text(repr({"f": sp.srepr(sp.Integer(42))}))
    cached.cache_clear()
    assert cached(3)["f"] == sp.Integer(42)  # same fingerprint: the (tampered) file is used
    monkeypatch.setattr(symcache, "code_fingerprint", lambda: "a-different-code-version")
    cached.cache_clear()
    assert cached(3) == first and calls == [3, 3]  # new key: derived again, tampered file ignored


def test_fingerprint_depends_on_the_sources():
    fp = symcache.code_fingerprint()
    assert len(fp) == 64 and fp == symcache.code_fingerprint()
