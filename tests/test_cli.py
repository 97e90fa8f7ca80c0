"""The command line: every sub-command, every format, and bad input answered with a message and an exit status."""

import subprocess
import sys

import numpy as np
import pytest

from helpers import __main__ as cli
from helpers import couplings as C
from helpers import curves as K
from helpers import publish as P


def header(path) -> str:
    """The ``#`` lines of a file, unwrapped into one line."""
    lines = [line[1:].strip() for line in path.read_text().splitlines() if line.startswith("#")]
    return " ".join(" ".join(lines).split())


def run(capsys, *argv):
    rc = cli.main(list(argv))
    out = capsys.readouterr()
    return rc, out.err


def test_cli_writes_the_same_curve_as_the_book(tmp_path, capsys):
    """Default range and grid, refined like the export: the CLI's file has the book's rows."""
    out = tmp_path / "c.csv"
    rc, _ = run(capsys, "curve", "--analysis", "z_invisible", "--scenario", "II", "--flavour", "e", "--out", str(out))
    assert rc == 0
    body = [r for r in out.read_text().splitlines() if not r.startswith("#")]
    book = [r for r in K.mass_file("z_invisible", "II", "e").read_text().splitlines() if not r.startswith("#")]
    assert body == book


def test_limit_is_the_old_name_of_curve(tmp_path, capsys):
    rc, _ = run(capsys, "limit", "--analysis", "z_invisible", "--scenario", "I", "--mass-min", "0.01", "--mass-max",
                "0.05", "--points", "4", "--no-refine", "--quiet", "--out", str(tmp_path / "l.csv"))
    assert rc == 0 and len(K.read_curve(tmp_path / "l.csv")[0]) == 4


@pytest.mark.parametrize("value", ["-1e300", "-2.5", "-0.5", "-inf"])
def test_negative_values_follow_their_option(value):
    argv = cli.join_negative_values(["curve", "--analysis", "lep1_opal", "--a", value, "--out", "x.csv"])
    assert f"--a={value}" in argv
    assert cli._parser().parse_args(argv).a == float(value)


def test_a_huge_negative_a_is_computed(tmp_path, capsys):
    out = tmp_path / "a.csv"
    rc, err = run(capsys, "curve", "--analysis", "lep1_opal", "--a", "-1e300", "--mass-min", "1", "--mass-max", "50",
                  "--points", "6", "--no-refine", "--quiet", "--out", str(out))
    assert rc == 0, err
    text = header(out)
    assert "a = d_W/d_B = -1e+300" in text and "--a -1e300" in text  # the model and the command as typed
    m, lo, _ = K.read_curve(out)
    assert len(m) == 6 and np.all(np.isfinite(lo))


def test_progress_bar_on_stderr(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(P, "_bar", lambda progress, desc, total: P.contextlib.nullcontext(_Bar()))
    rc, _ = run(capsys, "curve", "--analysis", "lep1_opal", "--a", "0.5", "--mass-min", "1", "--mass-max", "50",
                "--points", "30", "--out", str(tmp_path / "p.csv"))
    assert rc == 0 and _Bar.updates >= 30


class _Bar:
    updates = 0
    total = 0

    def update(self, n):
        _Bar.updates += n


@pytest.mark.parametrize("argv, message", [
    (["curve", "--analysis", "lep1_opal", "--a", "1", "--mass-min", "10", "--mass-max", "5", "--out", "x.csv"],
     "mass-min"),
    (["curve", "--analysis", "lep1_opal", "--a", "nan", "--out", "x.csv"], "finite"),
    (["curve", "--analysis", "lep1_opal", "--a", "-inf", "--out", "x.csv"], "finite"),
    (["curve", "--analysis", "lep1_opal", "--a", "1", "--mass-min", "-1", "--out", "x.csv"], "mass-min"),
    (["curve", "--analysis", "lep1_opal", "--a", "1", "--points", "1", "--out", "x.csv"], "at least 2"),
    (["scan-a", "--analysis", "lep1_opal", "--mass", "10", "--a-min", "3", "--a-max", "-3", "--out", "x.csv"],
     "a-min"),
    (["scan-a", "--analysis", "lep1_opal", "--mass", "-10", "--out", "x.csv"], "positive"),
    (["export", "--out", "x", "--formats", "csv,root"], "unknown format"),
])
def test_cli_bad_values_give_a_clear_error(argv, message, capsys):
    rc, err = run(capsys, *argv)
    assert rc == cli.EXIT_INVALID
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("argv, message", [
    (["curve", "--analysis", "lep1_opal", "--scenario", "I", "--mass-min", "100", "--mass-max", "200", "--out", "x.csv"],
     "closed over the whole range"),
    (["combined", "--kind", "lep", "--scenario", "I", "--mass-min", "210", "--mass-max", "300", "--out", "x.csv"],
     "closed over the whole range"),
    (["scan-a", "--analysis", "cepc_z", "--mass", "95", "--out", "x.csv"], "closed"),
    (["curve", "--analysis", "lep1_opal", "--a", repr(P.SINGULAR_A), "--out", "x.csv"], "singular point"),
    (["curve", "--analysis", "lep1_opal", "--a", f"{P.SINGULAR_A:.15g}", "--out", "x.csv"], "singular point"),
])
def test_nothing_to_compute_exits_non_zero(argv, message, capsys, tmp_path):
    rc, err = run(capsys, *argv)
    assert rc == cli.EXIT_NOTHING
    assert message in err and "Traceback" not in err


def test_a_library_value_error_at_the_singular_point_is_a_message(monkeypatch, capsys):
    """Whatever the library says at the singular point (here: a ValueError), the user gets a message, no traceback."""
    def boom(*args, **kwargs):
        raise ValueError("a = -3.73 is the singular point of d_Z/d_gamma")

    monkeypatch.setattr(P, "check_model", lambda model: model)
    monkeypatch.setattr(K, "curve_vs_mass", boom)
    rc, err = run(capsys, "curve", "--analysis", "lep1_opal", "--a", "-3.7327", "--points", "3", "--quiet",
                  "--out", "x.csv")
    assert rc == cli.EXIT_NOTHING and "singular point" in err


def test_partly_closed_range_is_noted(tmp_path, capsys):
    out = tmp_path / "z.csv"
    rc, err = run(capsys, "curve", "--analysis", "l3_zgamma", "--scenario", "I", "--mass-min", "50", "--mass-max",
                  "150", "--points", "8", "--no-refine", "--quiet", "--out", str(out))
    assert rc == 0
    assert "note: closed: m_N >= sqrt(s) = 91.1876 GeV" in err
    assert "closed: m_N >= sqrt(s) = 91.1876 GeV for l3_zgamma" in header(out)
    m, lo, _ = K.read_curve(out)
    assert np.all(np.isnan(lo[m >= 91.1876]))


def test_combined_curve_from_the_cli_matches_the_book(tmp_path, capsys):
    out = tmp_path / "lep.csv"
    rc, _ = run(capsys, "combined", "--kind", "lep", "--scenario", "II", "--flavour", "e", "--mass-min", "1",
                "--mass-max", "80", "--points", "12", "--no-refine", "--quiet", "--out", str(out))
    assert rc == 0
    m, lo, hi = K.read_curve(out)
    m2, lo2, hi2, _ = K.combined_curve("lep", "II", "e", masses=m)
    assert np.allclose(lo, lo2, rtol=6e-7, equal_nan=True) and np.allclose(hi, hi2, rtol=6e-7, equal_nan=True)
    assert "combination (lep): union of the bands of lep1_opal, lep2_delphi, l3_zgamma, z_invisible" in header(out)


def test_scan_versus_a_leaves_out_the_singular_point(tmp_path, capsys):
    out = tmp_path / "s.csv"
    a0 = P.SINGULAR_A
    rc, err = run(capsys, "scan-a", "--analysis", "l3_zgamma", "--mass", "10", "--a-min", f"{a0 - 1}",
                  "--a-max", f"{a0 + 1}", "--points", "3", "--no-refine", "--quiet", "--out", str(out))
    assert rc == 0
    a, lo, _ = K.read_curve(out)
    assert len(a) == 2 and "singular" in err and np.all(np.isfinite(lo))


def test_atlas_csv_and_hepdata(tmp_path, capsys):
    out = tmp_path / "atlas.csv"
    rc, _ = run(capsys, "atlas", "--analysis", "cepc_z", "--flavour", "e", "--mass-min", "75", "--mass-max", "95",
                "--mass-points", "3", "--a-points", "3", "--quiet", "--out", str(out))
    assert rc == 0
    rows = [r.split(",") for r in out.read_text().splitlines() if not r.startswith("#")]
    assert rows[0] == ["m_N_GeV", "a", "d_gamma_low_GeVinv", "d_gamma_high_GeVinv"] and len(rows) == 1 + 9
    assert "expected-sensitivity band" in out.read_text()
    rc, _ = run(capsys, "atlas", "--analysis", "cepc_z", "--mass-min", "75", "--mass-max", "95", "--mass-points", "3",
                "--a-points", "3", "--quiet", "--format", "hepdata", "--out", str(tmp_path / "hep"))
    assert rc == 0 and P.validate_hepdata(tmp_path / "hep")[0]


def test_atlas_of_a_combination(tmp_path, capsys):
    """--kind: the best bound of a combination (helpers.atlas); at a scenario's a it is the combined curve to the
    atlas' stated 1-3 %; --analysis and --kind exclude each other (a usage error, exit 2)."""
    out = tmp_path / "atlas.csv"
    a_iv = float(C.scenario_a_value("IV"))
    rc, _ = run(capsys, "atlas", "--kind", "cepc", "--flavour", "mu", "--mass-min", "20", "--mass-max", "80",
                "--mass-points", "3", "--a-min", f"{a_iv}", "--a-max", "3", "--a-points", "2", "--quiet",
                "--out", str(out))
    assert rc == 0
    text = out.read_text()
    assert "the best bound of the combination cepc" in text and "cepc_z, cepc_ww, cepc_h, cepc_tt" in text
    rows = np.array([[float(v) for v in r.split(",")] for r in text.splitlines()[1:] if r[0].isdigit()])
    at_iv = rows[np.isclose(rows[:, 1], a_iv)]
    m, lo, _, _ = K.combined_curve("cepc", "IV", "mu", masses=at_iv[:, 0])
    assert len(m) == 3 and np.allclose(at_iv[:, 2], lo, rtol=0.03)
    with pytest.raises(SystemExit) as e:
        cli.main(["atlas", "--kind", "lep", "--analysis", "lep1_opal", "--out", str(out)])
    assert e.value.code == 2 and "not allowed with" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["hnlimits", "hnlimits-muB", "hepdata"])
def test_every_format_from_the_cli(fmt, tmp_path, capsys):
    out = tmp_path / ("o" if fmt == "hepdata" else "o.dat")
    rc, err = run(capsys, "curve", "--analysis", "cepc_z", "--scenario", "I", "--mass-min", "20", "--mass-max", "90",
                  "--points", "8", "--no-refine", "--quiet", "--format", fmt, "--out", str(out))
    assert rc == 0, err
    m, lo, _ = K.curve_vs_mass("cepc_z", "I", "e", masses=K.round_grid(np.geomspace(20, 90, 8)))
    if fmt == "hepdata":
        assert P.validate_hepdata(out)[0]
        assert "Expected" in (out / "cepc_z_i_e.yaml").read_text()
    else:
        back = P.read_hnlimits([out], "d" if fmt == "hnlimits" else "mu_B")
        ok = np.isfinite(lo)
        assert np.allclose(back.m_GeV, m[ok]) and np.allclose(back.d_low, lo[ok], rtol=1e-6)


def test_hnlimits_has_no_curves_versus_a(capsys, tmp_path):
    rc, err = run(capsys, "scan-a", "--analysis", "lep1_opal", "--mass", "10", "--format", "csv", "--points", "3",
                  "--no-refine", "--quiet", "--out", str(tmp_path / "a.csv"))
    assert rc == 0
    with pytest.raises(SystemExit) as e:
        cli.main(["scan-a", "--analysis", "lep1_opal", "--mass", "10", "--format", "hnlimits", "--out", "x.dat"])
    assert e.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_cli_rejects_unknown_names_and_help_lists_every_analysis():
    res = subprocess.run([sys.executable, "-m", "helpers", "curve", "--analysis", "lep3", "--a", "1", "--out", "x.csv"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "invalid choice" in res.stderr
    res = subprocess.run([sys.executable, "-m", "helpers", "--help"], capture_output=True, text=True)
    assert res.returncode == 0
    for sub in ("curve", "combined", "scan-a", "atlas", "export"):
        assert sub in res.stdout
    for key in cli.ANALYSES:
        info = P.analysis_info(key)
        assert f"{key:<12} {info.label} at sqrt(s) = {info.sqrt_s:g} GeV" in res.stdout
    assert "measures" in res.stdout and "expected sensitivity" in res.stdout


def test_union_of_intervals():
    assert K.union_intervals([(1, 3), (2, 5), (7, np.inf), (np.nan, np.nan)]) == [(1, 5), (7, np.inf)]


@pytest.mark.parametrize("kind, scenario, flavour", [("lep", "II", "e"), ("cepc", "III", "mu")])
def test_combined_files_match_their_inputs(kind, scenario, flavour):
    path = K.DATA_DIR / f"{kind}_combined_{scenario}_{flavour}.csv"
    m, lo, hi = K.read_curve(path)
    analyses = K.LEP_ANALYSES if kind == "lep" else K.CEPC_ANALYSES
    lows = np.array([K.curve_vs_mass(a, scenario, flavour, masses=m)[1] for a in analyses])
    best = np.nanmin(np.where(np.isnan(lows), np.inf, lows), axis=0)
    ok = np.isfinite(best)
    assert np.allclose(lo[ok], best[ok], rtol=1e-6)
    assert np.all(np.isnan(lo[~ok]))


def test_a_named_reading_sets_every_choice_and_is_in_the_header(capsys, tmp_path):
    out = tmp_path / "paper.csv"
    rc, err = run(capsys, "curve", "--analysis", "lep1_opal", "--scenario", "II", "--mass-min", "5",
                     "--mass-max", "20", "--points", "4", "--no-refine", "--reading", "paper", "--quiet",
                     "--out", str(out))
    assert rc == 0, err
    head = " ".join(line[1:].strip() for line in out.read_text().splitlines() if line.startswith("#"))
    assert "reading 'the paper's stated method'" in " ".join(head.split())
    rc, err = run(capsys, "curve", "--analysis", "lep1_opal", "--scenario", "II", "--reading", "paper",
                     "--convention", "as_printed", "--out", str(tmp_path / "x.csv"))
    assert rc == 2 and "--reading sets every choice" in err


def test_cls_curve_on_demand_with_its_statistic_in_the_header(tmp_path, capsys):
    """--statistic cls writes the expected CLs band with its systematics in the header; with a 1 % background
    uncertainty it is weaker than the S^2/B band at every mass (the CLs limit alone is 1.19 x S^2/B in signal); it is
    refused for a measurement and the systematics are refused without it."""
    out = tmp_path / "cls.csv"
    args = ["curve", "--analysis", "cepc_h", "--scenario", "II", "--points", "4", "--mass-min", "1", "--mass-max",
            "150", "--no-refine", "--quiet"]
    rc, _ = run(capsys, *args, "--statistic", "cls", "--bkg-uncertainty", "0.01", "--out", str(out))
    assert rc == 0
    text = out.read_text()
    assert "median expected CLs limit at 95% CL" in text and "background-normalisation uncertainty 0.01" in text
    cls_rows = [r.split(",") for r in text.splitlines() if not r.startswith("#")][1:]
    s2b = tmp_path / "s2b.csv"
    assert run(capsys, *args, "--out", str(s2b))[0] == 0
    s2b_rows = [r.split(",") for r in s2b.read_text().splitlines() if not r.startswith("#")][1:]
    assert [r[0] for r in cls_rows] == [r[0] for r in s2b_rows]
    assert all(float(c[1]) > float(s[1]) for c, s in zip(cls_rows, s2b_rows))
    rc, _ = run(capsys, *args, "--statistic", "cls", "--format", "hepdata", "--out", str(tmp_path / "hep"))
    assert rc == 0 and P.validate_hepdata(tmp_path / "hep")[0]
    rc, err = run(capsys, "curve", "--analysis", "lep1_opal", "--scenario", "II", "--statistic", "cls", "--out",
                  str(tmp_path / "x.csv"))
    assert rc == 2 and "projections" in err
    rc, err = run(capsys, *args, "--bkg-uncertainty", "0.01", "--out", str(tmp_path / "y.csv"))
    assert rc == 2 and "--statistic cls" in err
