"""The published formats: the HEPData submission validates offline and holds every curve with its metadata, the
HNLimits-style files read back through helpers.landscape to the book's numbers, the refined grids interpolate to
the package's values, and every file says where it comes from."""

import functools
import math
import re
import socket
from pathlib import Path

import numpy as np
import pytest
import yaml

from helpers import colliders as COL
from helpers import curves as K
from helpers import landscape as LS
from helpers import publish as P

#: file-name prefixes of the projections (running modes and collider combinations)
PROJECTED = tuple(COL.MODES) + tuple(k + s for k in K.combined_kinds() if k != "lep" for s in ("_combined", "_atlas"))

HEP = P.DATA_ROOT / "hepdata"
HNL = P.DATA_ROOT / "hnlimits"
CSVS = sorted(K.DATA_DIR.glob("*.csv")) + sorted((K.DATA_DIR / "vs_a").glob("*.csv"))
CLS = sorted((K.DATA_DIR / "cls").glob("*.csv"))  #: the expected CLs curves
ATLAS = sorted((K.DATA_DIR / "atlas").glob("*.csv"))  #: the (m_N, a) maps
DATS = sorted(HNL.glob("*/*.dat"))


# --- HEPData -----------------------------------------------------------------------------------------------------

@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection is recorded and refused."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_hepdata_submission_validates_offline(no_network):
    ok, messages = P.validate_hepdata(HEP)
    assert ok, messages
    assert no_network == []  # the validator used its packaged schemas only


def test_an_invalid_submission_is_reported(tmp_path, no_network):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "submission.yaml").write_text("---\ncomment: x\n---\nname: t\ndescription: d\nkeywords: []\n"
                                         "data_file: t.yaml\n")
    (bad / "t.yaml").write_text("independent_variables: []\n")
    ok, messages = P.validate_hepdata(bad)
    assert not ok and messages


@functools.lru_cache(maxsize=None)
def _table(data_file: str) -> dict:
    """A HEPData table file, parsed once per session with libyaml's safe loader (the pure-Python one takes ~10 s
    for all of them)."""
    return yaml.load((HEP / data_file).read_text(), Loader=yaml.CSafeLoader)


@functools.lru_cache(maxsize=None)
def _all_docs() -> tuple:
    return tuple(yaml.load_all((HEP / "submission.yaml").read_text(), Loader=yaml.CSafeLoader))


def _docs():
    docs = _all_docs()
    return docs[0], list(docs[1:])


def _csv_for(table_name: str) -> Path:
    parts = table_name.split(" ")
    if " vs a " in table_name:
        analysis, _, _, m, flavour = parts
        return K.a_file(analysis, float(m[2:]), flavour)
    if parts[1] == "atlas":
        return K.atlas_file(parts[0], parts[2])
    if len(parts) == 4 and parts[3].startswith("cls_"):
        return K.DATA_DIR / "cls" / f"{'_'.join(parts)}.csv"
    head, model, flavour = parts
    return K.DATA_DIR / f"{head}_{model}_{flavour}.csv"


def _is_atlas(table) -> bool:
    return " atlas " in table["name"]


def test_hepdata_has_every_curve_with_its_metadata():
    head, tables = _docs()
    assert f"https://doi.org/{P._paper.DOI}" in [r["location"] for r in head["additional_resources"]]
    assert "Related publication" in str(head["additional_resources"]) and "commit" in head["comment"]
    assert {_csv_for(t["name"]) for t in tables} == set(CSVS + CLS + ATLAS)
    for t in tables:
        data = _table(t["data_file"])
        if _is_atlas(t):
            xm, xa = data["independent_variables"]
            assert (xm["header"]["name"], xa["header"]["name"]) == ("$m_N$", "$a = d_{\\mathcal{W}}/d_B$")
            q = {d["name"]: d for d in data["dependent_variables"][0]["qualifiers"]}
            assert q["Limit"]["value"] == ("Observed" if t["name"].startswith("lep ") else "Expected")
            assert "S^2/B" in q["Statistic"]["value"] or t["name"].startswith("lep ")
            continue
        (x,) = data["independent_variables"]
        assert (x["header"]["name"], x["header"].get("units", "")) in (("$m_N$", "GeV"), ("$a = d_{\\mathcal{W}}/d_B$", ""))
        low, high = data["dependent_variables"]
        assert "lower edge" in low["header"]["name"] and "upper edge" in high["header"]["name"]
        assert low["header"]["units"] == "GeV$^{-1}$"
        q = {d["name"]: d for d in low["qualifiers"]}
        assert {"Analysis", "SQRT(S)", "Luminosity", "Flavour", "CL", "Limit", "Reading", "Statistic"} <= set(q)
        assert ("M_N" in q) == (" vs a " in t["name"]) and ("Model" in q) != (" vs a " in t["name"])
        assert q["SQRT(S)"]["units"] == "GeV" and q["CL"]["value"] == "95%"
        cls = t["name"].endswith(("cls_bkg0pct", "cls_bkg1pct"))
        assert ("median expected CLs limit" in q["Statistic"]["value"]) == cls
        if cls:
            assert f"background-normalisation uncertainty {0.01 if t['name'].endswith('1pct') else 0:g} " in \
                q["Statistic"]["value"]
        stem = t["name"].split(" ")[0].removesuffix("_combined")
        projection = stem in COL.MODES or stem in set(K.combined_kinds()) - {"lep"}
        assert q["Limit"]["value"] == ("Expected" if projection else "Observed")
        assert ("expected-sensitivity band" in low["header"]["name"]) == projection
        assert "ab^-1" in q["Luminosity"]["value"] if projection else "published measurement" in q["Luminosity"]["value"]
        kw = {k["name"]: k["values"] for k in t["keywords"]}
        assert kw["cmenergies"] and kw["reactions"]
        beyond = stem.startswith(("fccee", "ilc", "clic", "fcc_ee", "cepc_tdr")) or cls
        assert ("Fig" in t["location"]) != beyond and (not beyond or "not in the publication" in t["location"])


def test_hepdata_values_are_the_csv_values():
    _, tables = _docs()
    for t in tables:
        data = _table(t["data_file"])
        if _is_atlas(t):
            lines = [r for r in _csv_for(t["name"]).read_text().splitlines() if not r.startswith("#")]
            assert lines[0] == "m_N_GeV,a,d_gamma_low_GeVinv,d_gamma_high_GeVinv"
            cols = np.array([[float(v) if v else math.nan for v in r.split(",")] for r in lines[1:]]).T
            for var, col in zip(data["independent_variables"], cols[:2]):
                assert np.array_equal([v["value"] for v in var["values"]], col), t["name"]
            for var, col in zip(data["dependent_variables"], cols[2:]):
                values = np.array([math.nan if v["value"] == "-" else float(v["value"]) for v in var["values"]])
                assert np.allclose(values, col, rtol=2e-7, equal_nan=True), t["name"]
            continue
        x = np.array([v["value"] for v in data["independent_variables"][0]["values"]], dtype=float)
        edges = [np.array([math.nan if v["value"] == "-" else float(v["value"]) for v in dep["values"]])
                 for dep in data["dependent_variables"]]
        m, lo, hi = K.read_curve(_csv_for(t["name"]))
        assert np.array_equal(x, m), t["name"]
        assert np.allclose(edges[0], lo, rtol=2e-7, equal_nan=True), t["name"]
        assert np.allclose(edges[1], hi, rtol=2e-7, equal_nan=True), t["name"]


def test_the_headline_figure_is_attached_to_the_combined_tables():
    _, tables = _docs()
    for t in tables:
        resources = {r["description"]: r["location"] for r in t.get("additional_resources", [])}
        if "_combined" in t["name"]:
            assert resources == {"Image file": "headline.png", "Thumbnail image file": "thumb_headline.png"}
        else:
            assert not resources
    assert (HEP / "headline.png").stat().st_size < 1_000_000 and (HEP / "thumb_headline.png").exists()
    # what is uploaded is the archive; HEPData shows one table at a time: each stays small
    assert (P.DATA_ROOT / "hepdata.tar.gz").stat().st_size < 5_000_000
    assert max(p.stat().st_size for p in HEP.glob("*.yaml") if p.name != "submission.yaml") < 1_000_000


# --- HNLimits -----------------------------------------------------------------------------------------------------

def _groups():
    """(csv, unit, [paths]) for every HNLimits file or bottom/top pair."""
    out = {}
    for p in DATS:
        stem = re.sub(r"_(bottom|top)$", "", p.stem)
        m = re.fullmatch(r"(.+)_(d|muB)_(e|mu|tau)", stem)
        key = (K.DATA_DIR / f"{m.group(1)}_{m.group(3)}.csv", "d" if m.group(2) == "d" else "mu_B")
        out.setdefault(key, []).append(p)
    return [(c, u, sorted(ps)) for (c, u), ps in sorted(out.items())]


def test_hnlimits_files_round_trip_through_the_landscape_reader():
    """Read back with helpers.landscape (units converted there, mu_B with its mu = 2 d / mu_B), every file gives
    the CSV's masses and edges where something is excluded."""
    groups = _groups()
    assert len(groups) >= 200
    for path, unit, files in groups:
        m, lo, hi = K.read_curve(path)
        ex = np.isfinite(lo)
        back = P.read_hnlimits(files, unit)
        assert back.record.value_unit == ("d_GeVinv" if unit == "d" else "mu_B")
        assert np.array_equal(back.m_GeV, m[ex]), files
        rtol = 1e-12 if unit == "d" else 1e-6  # the d files hold the CSV's numbers; mu_B: 7 digits of mu
        assert np.allclose(back.d_low, lo[ex], rtol=rtol), files
        if len(files) == 2:
            assert np.allclose(back.d_high, hi[ex], rtol=rtol), files
        else:
            assert np.all(np.isinf(hi[ex])) and np.all(np.isinf(back.d_high))


def test_hnlimits_headers_follow_the_collection():
    for p in DATS:
        lines = p.read_text().splitlines()
        first = lines[0]
        assert first.startswith("# m4 [GeV]\t"), p
        quantity = "d_gamma [1/GeV] at 95%CL" if "_d_" in p.name else r"magnetic moment [\mu_B] at 95%CL"
        assert quantity in first, p
        assert ("%CL, expected from" in first) == p.name.startswith(PROJECTED), p
        assert "Source: doi:10.1103/PhysRevD.107.095031 (Zhang & Liu 2023)" in _header(p)
        data = np.loadtxt(p, comments="#", ndmin=2)
        assert data.shape[1] == 2 and np.all(np.diff(data[:, 0]) > 0)
        if "_muB_" in p.name:
            assert "mu = 2 d_gamma / mu_B with mu_B = e/(2 m_e) = 296.3 GeV^-1" in _header(p)


def test_the_mu_B_files_use_the_landscape_convention():
    d = np.loadtxt(HNL / "e" / "lep_combined_II_d_e.dat")
    mu = np.loadtxt(HNL / "e" / "lep_combined_II_muB_e.dat")
    assert np.array_equal(d[:, 0], mu[:, 0])
    assert np.allclose(mu[:, 1], LS.d_to_mu_B(d[:, 1]), rtol=1e-6)
    assert np.allclose(mu[:, 1] / d[:, 1], 2 / LS.MU_B_GEVINV, rtol=1e-6)


# --- grids ----------------------------------------------------------------------------------------------------------

SAMPLE = [("lep1_opal_I_e.csv", "lep1_opal", "I", "e"), ("z_invisible_II_mu.csv", "z_invisible", "II", "mu"),
          ("cepc_h_IV_tau.csv", "cepc_h", "IV", "tau"), ("lep2_delphi_III_e.csv", "lep2_delphi", "III", "e"),
          ("lep_combined_I_e.csv", "lep", "I", "e"), ("cepc_combined_II_mu.csv", "cepc", "II", "mu")]


def _interior(x, ok, log=True):
    """Points at 1/4, 1/2 and 3/4 of every interval whose two ends have a value."""
    T, Ti = (np.log, np.exp) if log else ((lambda v: v), (lambda v: v))
    good = ok[1:] & ok[:-1]
    pts = [Ti(T(x[:-1][good]) * (1 - t) + T(x[1:][good]) * t) for t in (0.25, 0.5, 0.75)]
    return K.round_grid(np.concatenate(pts))


def _loglog(xq, x, y, log=True):
    T = np.log if log else (lambda v: v)
    return np.exp(np.interp(T(xq), T(x), np.log(y)))


@pytest.mark.parametrize("name, what, model, flavour", SAMPLE)
def test_interpolating_a_file_reproduces_the_package(name, what, model, flavour):
    m, lo, hi = K.read_curve(K.DATA_DIR / name)
    ex = np.isfinite(lo)
    q = _interior(m, ex)
    if what in ("lep", "cepc"):
        _, lo_q, hi_q, _ = K.combined_curve(what, model, flavour, masses=q)
    else:
        _, lo_q, hi_q = K.curve_vs_mass(what, model, flavour, masses=q)
    assert np.all(np.isfinite(lo_q))
    err = np.abs(_loglog(q, m[ex], lo[ex]) / lo_q - 1)
    assert err.max() <= P.INTERP_TOL, (q[np.argmax(err)], err.max())
    closed = np.isfinite(hi_q)
    if closed.any():
        fin = np.isfinite(hi) & ex
        err = np.abs(_loglog(q[closed], m[fin], hi[fin]) / hi_q[closed] - 1)
        assert err.max() <= P.INTERP_TOL


def test_interpolating_a_curve_versus_a_reproduces_the_package():
    a, lo, _ = K.read_curve(K.a_file("l3_zgamma", 10.0, "e"))
    ex = np.isfinite(lo)
    q = _interior(a, ex, log=False)
    _, lo_q, _ = K.curve_vs_a("l3_zgamma", 10.0, "e", a_grid=q)
    err = np.abs(_loglog(q, a[ex], lo[ex], log=False) / lo_q - 1)
    assert err.max() <= P.INTERP_TOL


def test_the_opal_endpoint_example_of_the_issue():
    """OPAL, scenario I: the bound rises from 1.79e-4 at 85.8 GeV to 9.16e-4 at 90.2 GeV; the book's value at 88 GeV
    is 2.92e-4, and the file, interpolated, now gives it (linearly across the old grid: x1.9 off)."""
    m, lo, _ = K.read_curve(K.mass_file("lep1_opal", "I", "e"))
    ex = np.isfinite(lo)
    book = K.curve_vs_mass("lep1_opal", "I", "e", masses=np.array([88.0]))[1][0]
    assert book == pytest.approx(2.92e-4, rel=0.01)
    assert _loglog(88.0, m[ex], lo[ex]) == pytest.approx(book, rel=P.INTERP_TOL)
    coarse = K.MASS_GRID[(K.MASS_GRID > 85) & (K.MASS_GRID < 91)]
    old = np.interp(88.0, coarse, K.curve_vs_mass("lep1_opal", "I", "e", masses=coarse)[1])
    assert old / book > 1.8


def test_refine_on_a_known_function():
    """A bound diverging at an endpoint (d ~ (1 - m/10)^-1, closed above m = 10) and a band that ends at m = 0.5:
    the refined grid interpolates to 2 % and locates the end to EDGE_WIDTH."""
    def f(m):
        low = np.where(m < 10, 1e-4 / np.maximum(1 - m / 10, 1e-300), np.nan)
        low = np.where(m < 0.5, np.nan, low)
        return low, np.where(np.isfinite(low), np.inf, np.nan)

    base = K.round_grid(np.geomspace(0.1, 20, 30))
    g = P.refine(P._Points(f), [base, P.endpoint_points(10.0, 0.1, 20)], closed_at=10.0)
    assert g.added > 0
    ex = np.isfinite(g.low)
    first = g.x[ex][0]
    assert first >= 0.5 and math.log(first / 0.5) <= 2 * P.EDGE_WIDTH
    q = _interior(g.x, ex)
    err = np.abs(_loglog(q, g.x[ex], g.low[ex]) / f(q)[0] - 1)
    assert err.max() <= P.INTERP_TOL


# --- provenance ---------------------------------------------------------------------------------------------------

def _header(path: Path) -> str:
    """The ``#`` lines of a file, unwrapped into one string (single spaces)."""
    lines = [line[1:].strip() for line in path.read_text().splitlines() if line.startswith("#")]
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("path", CSVS + CLS + ATLAS + DATS + sorted(HEP.glob("*.yaml")), ids=lambda p: p.name)
def test_every_file_says_where_it_comes_from(path):
    if path.name == "submission.yaml":
        head = " ".join(yaml.safe_load_all(path.read_text()).__next__()["comment"].split())
    else:
        head = _header(path)
    assert re.search(r"code: helpers \S+ \(dipole-portal-book\), commit ([0-9a-f]{40}|unknown)", head)
    assert re.search(r"written \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by: python -m helpers export", head)
    assert "Y. Zhang and W. Liu, Probing active-sterile neutrino" in head
    assert "book/references.bib" not in head
    if path.name == "submission.yaml":
        return
    assert "source of" in head and "reading 'derived physics' (helpers.reading.DERIVED" in head
    assert "grid: " in head and "interpolation: linear in" in head
    projection = path.name.startswith(PROJECTED)
    assert ("expected-sensitivity band" in head) == projection
    assert ("excluded band (observed" in head) == (not projection)
    if "lep1_opal" in path.name or "lep_combined" in path.name:
        assert "R. Akers et al. (OPAL Collaboration)" in head and "Z. Phys. C 65, 47 (1995)" in head
    head.encode("ascii")


def test_the_data_page_links_every_file():
    page = (P.ROOT / "book" / "data.md").read_text()
    links = set(re.findall(r"<\.\./(data/[^>]+)>", page))
    files = {str(p.relative_to(P.ROOT)) for p in CSVS + CLS + ATLAS + DATS} | {"data/hepdata/submission.yaml"}
    assert files <= links
    assert all((P.ROOT / link).exists() for link in links)
