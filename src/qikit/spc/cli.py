r"""``qikit spc``: the SPC engine from the shell.

Usage (see ``qikit spc --help``)::

    qikit spc data.csv --chart p --y infections --n patients --x month --freeze 12 \\
        --out table.csv --summary summary.json --plot chart.png

Exit status 0 on success; 2 with a one-line message on standard error for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from qikit._errors import QikitInputError, QikitWarning

PROG = "qikit spc"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, no usage dump
        raise _UsageError(message)


def _positions(text: str) -> list[int]:
    try:
        out = [int(v) for v in text.replace(" ", "").split(",") if v != ""]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated whole numbers like 12,24; got {text!r}") from None
    if not out:
        raise argparse.ArgumentTypeError("expected at least one position")
    return out


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number; got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``qikit spc``."""
    from qikit.spc.core import AGGS, CHARTS, RULE_SETS
    from qikit.spc.runs import METHODS

    p = _Parser(
        prog=PROG,
        description="Run and control charts with runs analysis (qicharts2 conventions) from a CSV file.",
        epilog="Positions (--freeze, --part, --exclude) are 1-based and count points after rows with the same x "
        "are aggregated. ISO dates in the x column are read as dates.",
    )
    p.add_argument("csv", metavar="CSV", help="input file (comma-separated, header row)")
    p.add_argument("--chart", default="run", choices=CHARTS, metavar="KIND", help=f"chart type: {', '.join(CHARTS)}")
    p.add_argument("--y", required=True, metavar="COL", help="column with the measure or numerator")
    p.add_argument("--n", metavar="COL", help="column with the denominator (p, pp, u, up, ip)")
    p.add_argument(
        "--x", metavar="COL", help="column with x labels (numbers, ISO dates or categories); default 1..rows"
    )
    p.add_argument("--freeze", type=int, metavar="N", help="last point of the baseline")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--part", type=_positions, metavar="I,J", help="start a new part after these points")
    g.add_argument("--part-by", metavar="COL", help="column with phase labels")
    p.add_argument("--exclude", type=_positions, metavar="I,J", help="points left out of the calculations")
    p.add_argument("--multiply", type=_number, default=1.0, metavar="M", help="multiply y, CL and limits (e.g. 100)")
    p.add_argument("--cl", type=_number, metavar="V", help="known centre line (unmultiplied units)")
    p.add_argument("--target", type=_number, metavar="V", help="target line")
    p.add_argument("--agg", default="mean", choices=AGGS, help="aggregation of y within a subgroup without --n")
    p.add_argument("--method", default="anhoej", choices=METHODS, help="runs rule within the Anhøj rule set")
    p.add_argument("--x-period", choices=("week", "month", "quarter", "year"), help="aggregate dates by period")
    p.add_argument("--no-y-neg", action="store_true", help="draw negative lower limits at 0 when all y >= 0")
    p.add_argument("--no-screen-mr", action="store_true", help="do not screen large moving ranges")
    p.add_argument("--notes", metavar="COL", help="column with annotations")
    p.add_argument("--facet", action="append", metavar="COL", help="grouping column (once or twice)")
    p.add_argument("--rules", default="anhoej", choices=RULE_SETS, help="rule set")
    p.add_argument("--improvement", choices=("increase", "decrease"), help="improvement direction (mdc rules)")
    p.add_argument("--out", metavar="TABLE.csv", help="write the per-point table")
    p.add_argument("--summary", metavar="SUMMARY.json", help="write the per-part summary as JSON")
    p.add_argument("--plot", metavar="FILE.png", help="draw the chart to an image file")
    p.add_argument("--title", help="chart title")
    p.add_argument("--lang", choices=("nb", "en"), help="language of the chart labels")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    return p


def _fail(message: str) -> int:
    line = " ".join(str(message).split())
    print(f"{PROG}: error: {line}", file=sys.stderr)
    return 2


def _read_csv(path: str) -> Any:
    """Read a CSV file: comma-separated, or semicolon-separated with decimal commas (Excel, nb)."""
    import pandas as pd

    def read(**kw: Any) -> Any:
        try:
            return pd.read_csv(path, encoding="utf-8-sig", **kw)
        except UnicodeDecodeError:
            return pd.read_csv(path, encoding="latin-1", **kw)

    data = read()
    if data.shape[1] == 1 and ";" in str(data.columns[0]):
        data = read(sep=";", decimal=",")
    return data


def _format_summary(res: Any) -> str:
    from qikit.spc._prepare import _fmt

    rows = res.summary_records()
    lines = [f"{res.chart} chart, rules = {res.params['rules']}, {len(res.table)} points"]
    for r in rows:
        head = []
        for key in ("facet1", "facet2"):
            if key in r:
                head.append(str(r[key]))
        label = f" ({r['part_label']})" if r.get("part_label") is not None else ""
        head.append(f"part {r['part']}{label}")

        def num(v: object) -> str:
            return "NA" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))

        lines.append(
            f"{' / '.join(head)}: x {r['x_first']} .. {r['x_last']}, n_obs {r['n_obs']}, n_useful {r['n_useful']}; "
            f"longest run {num(r['longest_run'])} (max {num(r['longest_run_max'])}), crossings "
            f"{num(r['n_crossings'])} (min {num(r['n_crossings_min'])}); runs signal "
            f"{'YES' if r['runs_signal'] else 'no'}; outside limits {r['sigma_signal']}; "
            f"CL {num(r['cl'])}, LCL {num(r['lcl'])}, UCL {num(r['ucl'])}"
        )
        if "variation_icon" in r:
            lines.append(f"  variation: {r['variation_icon']}, assurance: {r['assurance_icon']}")
    sig = res.signals()
    if len(sig):
        shown = ", ".join(f"{_fmt(x)} [{rules}]" for x, rules in zip(sig["x"], sig["signal_rules"], strict=True))
        lines.append(f"signals at x = {shown}")
    else:
        lines.append("no signals")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``qikit spc``; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(args_list)
    except _UsageError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help
        return int(exc.code or 0)

    import pandas as pd

    from qikit.spc.core import chart

    try:
        data = _read_csv(args.csv)
    except FileNotFoundError:
        return _fail(f"cannot read {args.csv!r}: no such file")
    except IsADirectoryError:
        return _fail(f"cannot read {args.csv!r}: it is a directory")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        return _fail(f"cannot read {args.csv!r} as CSV: {exc}")
    if args.facet and len(args.facet) > 2:
        return _fail("--facet can be given at most twice")

    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter("always", QikitWarning)
            res = chart(
                data,
                y=args.y,
                n=args.n,
                x=args.x,
                chart=args.chart,
                freeze=args.freeze,
                part=args.part_by if args.part_by else args.part,
                exclude=args.exclude,
                agg=args.agg,
                multiply=args.multiply,
                cl=args.cl,
                target=args.target,
                notes=args.notes,
                method=args.method,
                rules=args.rules,
                x_period=args.x_period,
                y_neg=not args.no_y_neg,
                screen_mr=not args.no_screen_mr,
                facets=args.facet,
                improvement=args.improvement,
                lang=args.lang,
                title=args.title,
                _func="qikit spc",
            )
        caught = [str(w.message) for w in ws if issubclass(w.category, QikitWarning)]
    except QikitInputError as exc:
        return _fail(str(exc).replace("qikit spc(): ", ""))
    for msg in caught:
        print(f"{PROG}: warning: {' '.join(msg.replace('qikit spc(): ', '').split())}", file=sys.stderr)

    try:
        if args.out:
            table = res.table.copy()
            for c in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
                table[c] = table[c].astype("Int64")
            table.to_csv(args.out, index=False, date_format="%Y-%m-%d")
        if args.summary:
            with open(args.summary, "w", encoding="utf-8") as fh:
                json.dump(res.summary_records(), fh, ensure_ascii=False, indent=2)
                fh.write("\n")
        if args.plot:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            from qikit.spc.plotting import figure_size, plot_chart

            fig = Figure(figsize=figure_size(res), layout="constrained")
            FigureCanvasAgg(fig)
            plot_chart(res, fig=fig, lang=args.lang)
            fig.savefig(args.plot, dpi=150)
    except (OSError, ValueError) as exc:
        return _fail(f"cannot write output: {exc}")

    if not args.quiet:
        print(_format_summary(res))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
