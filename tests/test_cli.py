"""The command-line entry point and the combined curves."""

import subprocess
import sys

import numpy as np
import pytest

from helpers import __main__ as cli
from helpers import curves as K


def test_cli_writes_the_same_curve_as_the_book(tmp_path):
    out = tmp_path / "c.csv"
    rc = cli.main(["limit", "--analysis", "z_invisible", "--scenario", "II", "--flavour", "e", "--out", str(out)])
    assert rc == 0
    m, lo, hi = K.read_curve(out)
    m2, lo2, hi2 = K.read_curve(K.mass_file("z_invisible", "II", "e"))
    assert np.allclose(m, m2) and np.allclose(lo, lo2, equal_nan=True) and np.allclose(hi, hi2, equal_nan=True)


def test_cli_accepts_any_a_and_reports_progress(tmp_path, capsys):
    out = tmp_path / "a.csv"
    rc = cli.main(["limit", "--analysis", "lep1_opal", "--a", "0.5", "--mass-min", "1", "--mass-max", "50",
                   "--points", "30", "--out", str(out)])
    assert rc == 0
    err = capsys.readouterr().err
    assert "[30/30] masses done" in err
    assert "a = 0.5" in out.read_text()


@pytest.mark.parametrize("argv, message", [
    (["limit", "--analysis", "lep1_opal", "--a", "1", "--mass-min", "10", "--mass-max", "5", "--out", "x.csv"], "mass-min"),
    (["limit", "--analysis", "lep1_opal", "--a", "nan", "--out", "x.csv"], "finite"),
])
def test_cli_bad_values_give_a_clear_error(argv, message, capsys):
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_rejects_unknown_names():
    res = subprocess.run([sys.executable, "-m", "helpers", "limit", "--analysis", "lep3", "--a", "1", "--out", "x.csv"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "invalid choice" in res.stderr
    res = subprocess.run([sys.executable, "-m", "helpers", "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "limit" in res.stdout


def test_union_of_intervals():
    assert K.union_intervals([(1, 3), (2, 5), (7, np.inf), (np.nan, np.nan)]) == [(1, 5), (7, np.inf)]


@pytest.mark.parametrize("kind, scenario, flavour", [("lep", "II", "e"), ("cepc", "III", "mu")])
def test_combined_files_match_their_inputs(kind, scenario, flavour):
    path = K.DATA_DIR / f"{kind}_combined_{scenario}_{flavour}.csv"
    m, lo, hi = K.read_curve(path)
    analyses = K.LEP_ANALYSES if kind == "lep" else K.CEPC_ANALYSES
    lows = np.array([K.read_curve(K.mass_file(a, scenario, flavour))[1] for a in analyses])
    best = np.nanmin(np.where(np.isnan(lows), np.inf, lows), axis=0)
    ok = np.isfinite(best)
    assert np.allclose(lo[ok], best[ok], rtol=1e-6)
    assert np.all(np.isnan(lo[~ok]))
