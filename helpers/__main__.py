"""Command line: limit curves of any analysis, combination, scan versus a or (m_N, a) atlas, in any format.

Examples:

    python -m helpers list
    python -m helpers curve --analysis lep1_opal --scenario II --flavour e --out opal_II_e.csv
    python -m helpers curve --analysis cepc_h --a -0.5 --flavour mu --format hnlimits-muB --out h.dat
    python -m helpers curve --analysis ilc_250 --scenario II --statistic cls --bkg-uncertainty 0.01 --out ilc.csv
    python -m helpers combined --kind lep --scenario I --flavour tau --format hepdata --out lep_I_tau/
    python -m helpers scan-a --analysis l3_zgamma --mass 10 --flavour e --out l3_vs_a.csv
    python -m helpers atlas --analysis cepc_z --flavour e --out atlas.csv
    python -m helpers export        # every curve of the book into data/ (make data)

Formats (--format): csv (the book's data/limits files), hnlimits (two columns, m_N [GeV] and d [GeV^-1], as the
HNLimits dipole collection), hnlimits-muB (the same in Bohr magnetons, mu = 2 d / mu_B), hepdata (a directory
with submission.yaml and one table, validated).  Negative values may follow their option (--a -1e300).
Exit status: 0 written, 2 invalid input, 3 nothing can be computed (closed channel, singular point).
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from . import curves as K
from . import experiments as X
from . import publish as P
from .couplings import SCENARIO_NAMES, scenario_a_value
from .reading import DERIVED, PAPER_STATED
from .signal import PHOTON_MODELS
from .sm import FLAVOURS

READINGS = {"derived": DERIVED, "paper": PAPER_STATED}  #: the named readings of --reading

ANALYSES = X.names()
EXIT_INVALID, EXIT_NOTHING = 2, 3


def _analyses_text() -> str:
    lines = ["analyses (--analysis), sqrt(s) and what each measures:"]
    for key in ANALYSES:
        info = P.analysis_info(key)
        kind = f"{info.luminosity}; expected sensitivity" if info.expected else "observed 95% CL limit"
        lines.append(f"  {key:<12} {info.label} at sqrt(s) = {info.sqrt_s:g} GeV ({kind})")
        lines.append(f"  {'':<12} measures {info.measures}")
    lines.append("combinations (combined --kind):")
    for kind, members in K.combined_kinds().items():
        how = "union of the excluded bands" if kind == "lep" else "best of the modes (union of the bands)"
        lines.append(f"  {kind:<12} {how}: {', '.join(members)}")
    lines.append("scenarios (--scenario): " + ", ".join(
        f"{s} (a = {'+-inf' if math.isinf(scenario_a_value(s)) else f'{scenario_a_value(s):.4g}'})"
        for s in SCENARIO_NAMES))
    lines.append(f"  or any finite --a except the singular point a = -2 cot(theta_w) = {P.SINGULAR_A:.6g}")
    lines.append("flavours (--flavour): " + ", ".join(FLAVOURS))
    return "\n".join(lines)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog):
        super().__init__(prog, max_help_position=30, width=110)


def _model_args(p):
    model = p.add_mutually_exclusive_group(required=True)
    model.add_argument("--scenario", choices=SCENARIO_NAMES, help="a scenario of Table I")
    model.add_argument("--a", type=float, help="a = d_W/d_B, any finite real number (negative ones too)")


def _mass_args(p, points=200):
    p.add_argument("--mass-min", type=float, default=1e-2, help="smallest m_N in GeV (default 0.01)")
    p.add_argument("--mass-max", type=float, default=None,
                   help="largest m_N in GeV (default 200, extended to sqrt(s) when that is larger)")
    p.add_argument("--points", type=int, default=points, help=f"log-spaced masses before refinement (default {points})")


def _common(p, formats=P.FORMATS):
    p.add_argument("--flavour", default="e", choices=FLAVOURS, help="active-neutrino flavour (default e)")
    p.add_argument("--convention", default="derived", choices=("derived", "as_printed"),
                   help="derived formulas (default) or the paper's printed ones")
    p.add_argument("--photon-model", default="exact", choices=PHOTON_MODELS, help="photon direction in N decay")
    p.add_argument("--reading", default="derived", choices=tuple(READINGS),
                   help="every choice at once: the derived physics (default) or the paper's stated method with its "
                        "printed formulas (helpers.reading)")
    p.add_argument("--format", default="csv", choices=formats, help="output format (default csv)")
    p.add_argument("--out", required=True, help="output file (a directory for --format hepdata)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m helpers", description=__doc__.split("\n\n")[0],
                                epilog=__doc__.split("\n\n", 1)[1] + "\n" + _analyses_text(), formatter_class=_Formatter)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="list the analyses (sqrt(s), what each measures), combinations, scenarios, flavours")

    c = sub.add_parser("curve", aliases=["limit"], help="one analysis versus m_N", formatter_class=_Formatter,
                       epilog=_analyses_text())
    c.add_argument("--analysis", required=True, choices=ANALYSES, metavar="ANALYSIS",
                   help="a LEP measurement or a projected running mode: " + ", ".join(ANALYSES))
    _model_args(c)
    _mass_args(c)
    c.add_argument("--no-refine", action="store_true",
                   help="exactly the log-spaced grid (default: add points where the curve is steep)")
    c.add_argument("--statistic", default="s2b", choices=("s2b", "cls"),
                   help="projections: the paper's S^2/B = 2.71 (default) or the median expected CLs limit (pyhf)")
    c.add_argument("--bkg-uncertainty", type=float, default=0.0,
                   help="with --statistic cls: relative background-normalisation uncertainty (e.g. 0.01)")
    c.add_argument("--lumi-uncertainty", type=float, default=0.0,
                   help="with --statistic cls: relative luminosity uncertainty on the signal")
    c.add_argument("--energy-bins", type=int, default=1,
                   help="with --statistic cls: bins of equal background in E_gamma (default 1)")
    _common(c)

    m = sub.add_parser("combined", help="a combination (lep, cepc, ...) versus m_N", formatter_class=_Formatter,
                       epilog=_analyses_text())
    m.add_argument("--kind", required=True, choices=tuple(K.combined_kinds()), help="which combination")
    _model_args(m)
    _mass_args(m)
    m.add_argument("--no-refine", action="store_true", help="exactly the log-spaced grid")
    _common(m)

    s = sub.add_parser("scan-a", help="one analysis versus a at fixed m_N", formatter_class=_Formatter,
                       epilog=_analyses_text())
    s.add_argument("--analysis", required=True, choices=ANALYSES, metavar="ANALYSIS", help=", ".join(ANALYSES))
    s.add_argument("--mass", type=float, required=True, help="m_N in GeV")
    s.add_argument("--a-min", type=float, default=-10.0, help="smallest a (default -10)")
    s.add_argument("--a-max", type=float, default=10.0, help="largest a (default 10)")
    s.add_argument("--points", type=int, default=401, help="evenly spaced values of a before refinement (default 401)")
    s.add_argument("--no-refine", action="store_true", help="exactly the evenly spaced grid")
    _common(s, formats=("csv", "hepdata"))

    a = sub.add_parser("atlas", help="one analysis, or the best bound of a combination, on a grid of (m_N, a)",
                       formatter_class=_Formatter, epilog=_analyses_text())
    what = a.add_mutually_exclusive_group(required=True)
    what.add_argument("--analysis", choices=ANALYSES, metavar="ANALYSIS",
                      help="one analysis, every point computed exactly: " + ", ".join(ANALYSES))
    what.add_argument("--kind", choices=tuple(K.combined_kinds()),
                      help="a combination, computed vectorised (helpers.atlas; the photon acceptance interpolated "
                           "from a coarse grid, 1-3 %% precision)")
    a.add_argument("--mass-min", type=float, default=1e-2, help="smallest m_N in GeV (default 0.01)")
    a.add_argument("--mass-max", type=float, default=2e2, help="largest m_N in GeV (default 200)")
    a.add_argument("--mass-points", type=int, default=40, help="log-spaced masses (default 40)")
    a.add_argument("--a-min", type=float, default=-10.0, help="smallest a (default -10)")
    a.add_argument("--a-max", type=float, default=10.0, help="largest a (default 10)")
    a.add_argument("--a-points", type=int, default=41, help="evenly spaced values of a (default 41)")
    _common(a, formats=("csv", "hepdata"))

    e = sub.add_parser("export", help="every curve of the book in every format into data/ (make data)")
    e.add_argument("--out", default=str(P.DATA_ROOT),
                   help="output folder: limits/, hnlimits/ and hepdata/ go below it (default: the repository's data/)")
    e.add_argument("--formats", default=",".join(P.FORMATS), help=f"comma-separated (default {','.join(P.FORMATS)})")
    e.add_argument("--headline", default=None,
                   help="where to write the introduction's figure (default: book/headline.png when --out is the "
                        "default; not written otherwise)")
    e.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def join_negative_values(argv: list[str]) -> list[str]:
    """``--a -1e300`` -> ``--a=-1e300``: argparse takes a value that starts with '-' and is not a plain decimal
    (``-1e300``, ``-inf``) for an option; a number after an option is its value."""
    out: list[str] = []
    for tok in argv:
        if out and out[-1].startswith("--") and "=" not in out[-1] and tok.startswith("-") and _is_number(tok):
            out[-1] = f"{out[-1]}={tok}"
        else:
            out.append(tok)
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_range(lo: float, hi: float, points: int, what: str = "mass"):
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"--{what}-min and --{what}-max must be finite numbers (got {lo}, {hi})")
    if what == "mass" and not 0 < lo < hi:
        raise ValueError(f"need 0 < --mass-min < --mass-max (got {lo:g}, {hi:g})")
    if what == "a" and not lo < hi:
        raise ValueError(f"need --a-min < --a-max (got {lo:g}, {hi:g})")
    if points < 2:
        raise ValueError("the number of points must be at least 2")
    if points > 100_000:
        raise ValueError("at most 100000 points")


def _model(args):
    if args.scenario is not None:
        return args.scenario
    if not math.isfinite(args.a):
        raise ValueError("--a must be a finite number (use --scenario II for the d_B = 0 limit, a -> +-inf)")
    return P.check_model(args.a)


def _options(args) -> dict:
    if args.reading != "derived":
        if args.convention != "derived" or args.photon_model != "exact":
            raise ValueError("--reading sets every choice: do not combine it with --convention or --photon-model")
        return {"reading": READINGS[args.reading]}
    opts = {}
    if args.convention != "derived":
        opts["convention"] = args.convention
    if args.photon_model != "exact":
        opts["photon_model"] = args.photon_model
    return opts


def _write(obj, args, prov) -> list[Path]:
    out = Path(args.out)
    if args.format == "csv":
        return [P.write_atlas_csv(obj, out, prov) if isinstance(obj, P.Atlas) else P.write_csv(obj, out, prov)]
    if args.format in ("hnlimits", "hnlimits-muB"):
        return P.write_hnlimits(obj, out, prov, "d" if args.format == "hnlimits" else "mu_B")
    table = P.atlas_table(obj, prov) if isinstance(obj, P.Atlas) else P.hepdata_table(obj, prov)
    return P.write_hepdata([table], out, prov)


def _report(obj, paths, t0):
    if isinstance(obj, P.Atlas):
        n, total = int(np.isfinite(obj.low).sum()), obj.low.size
        what = "grid points"
    else:
        n, total = int(obj.excluded.sum()), len(obj.x)
        what = "masses" if obj.kind != "a" else "values of a"
    where = ", ".join(str(p) for p in paths) if len(paths) <= 3 else f"{len(paths)} files in {paths[0].parent}"
    print(f"wrote {where}: {n} of {total} {what} with a band ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    for note in obj.notes:
        print(f"note: {note}", file=sys.stderr)
    if n == 0:
        print("note: nothing is excluded anywhere in the requested range", file=sys.stderr)


def _run(args, argv) -> int:
    t0 = time.perf_counter()
    command = "python -m helpers " + shlex.join(argv)
    progress = not getattr(args, "quiet", False)
    if args.command == "list":
        print(_analyses_text())
        print("formats (--format): " + ", ".join(P.FORMATS))
        return 0
    if args.command == "export":
        formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
        bad = set(formats) - set(P.FORMATS)
        if bad:
            raise ValueError(f"unknown format(s) {', '.join(sorted(bad))}; allowed: {', '.join(P.FORMATS)}")
        default_out = Path(args.out).resolve() == P.DATA_ROOT.resolve()
        headline = args.headline or (str(P.ROOT / "book" / "headline.png") if default_out else None)
        written = []
        if headline:
            from . import figures

            written.append(figures.save_headline(Path(headline)))
        written += P.export(Path(args.out), formats=formats, command=command, headline=headline, progress=progress)
        print(f"wrote {len(written)} files into {args.out} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
        return 0

    opts = _options(args)
    prov = P.provenance(command)
    if args.command in ("curve", "limit", "combined"):
        model = _model(args)
        hi = 2e2 if args.mass_max is None else args.mass_max
        _check_range(args.mass_min, hi, args.points)
        masses = K.round_grid(np.geomspace(args.mass_min, hi, args.points))
        kw = dict(refine_grid=not args.no_refine, to_sqrt_s=args.mass_max is None, progress=progress, **opts)
        if args.command == "combined":
            obj = P.combined(args.kind, model, args.flavour, masses, **kw)
        else:
            if args.statistic == "cls":
                kw["cls"] = dict(bkg_uncertainty=args.bkg_uncertainty, lumi_uncertainty=args.lumi_uncertainty,
                                 n_bins=args.energy_bins)
            elif args.bkg_uncertainty or args.lumi_uncertainty or args.energy_bins != 1:
                raise ValueError("--bkg-uncertainty, --lumi-uncertainty and --energy-bins need --statistic cls "
                                 "(the S^2/B rule has no systematics and one bin)")
            obj = P.mass_curve(args.analysis, model, args.flavour, masses, chunk=25, **kw)
    elif args.command == "scan-a":
        _check_range(args.a_min, args.a_max, args.points, "a")
        grid = np.linspace(args.a_min, args.a_max, args.points)
        obj = P.a_curve(args.analysis, args.mass, args.flavour, grid, refine_grid=not args.no_refine,
                        progress=progress, chunk=50, **opts)
    else:  # atlas
        _check_range(args.mass_min, args.mass_max, args.mass_points)
        _check_range(args.a_min, args.a_max, args.a_points, "a")
        masses = np.geomspace(args.mass_min, args.mass_max, args.mass_points)
        a_grid = np.linspace(args.a_min, args.a_max, args.a_points)
        if args.kind:
            obj = P.combined_atlas(args.kind, args.flavour, masses, a_grid, **opts)
        else:
            obj = P.atlas(args.analysis, args.flavour, masses, a_grid, progress=progress, **opts)
    paths = _write(obj, args, prov)
    _report(obj, paths, t0)
    return 0


def main(argv=None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(join_negative_values(given))
    try:
        return _run(args, given)
    except P.NothingToCompute as err:
        print(f"error: nothing can be computed: {err}", file=sys.stderr)
        return EXIT_NOTHING
    except ValueError as err:
        message = str(err)
        if getattr(args, "a", None) is not None and "singular" in message.lower():
            print(f"error: nothing can be computed: {message}", file=sys.stderr)
            return EXIT_NOTHING
        print(f"error: {message}", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
