"""Result tables for the book: numbers formatted once, one DataFrame per table.

A chapter builds a table with :func:`fmt_table` and leaves it as the last expression of a cell, so
the book shows it as one HTML table (and nbval compares its text and HTML, which are deterministic
because every cell is already a string).  Numbers are formatted by :func:`fmt_num`: ``digits``
significant digits, fixed point for 1e-3 <= |x| < 1e4 and ``a × 10ⁿ`` outside, a typographic minus,
and an en dash for "no value" (NaN, None, ±inf).

    >>> fmt_num(6.0934e-5)
    '6.09 × 10⁻⁵'
    >>> fmt_table([("I", 0.5358, float("nan"))], ["scenario", "ratio", "bound"], digits=2)
    scenario ratio bound
    I         0.54     –
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Callable, Iterable, Mapping, Sequence, Union

import numpy as np
import pandas as pd

DASH = "–"  #: en dash: no value (NaN, None, infinity unless told otherwise)
MINUS = "−"  #: typographic minus sign
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

#: a column format: significant digits (int), a format spec such as ".6f", "g" or "+.1f" (str),
#: or a function of the value returning the cell text
Format = Union[int, str, Callable[[object], str]]


def fmt_num(x, digits: int = 3, *, sci: bool = False, nan: str = DASH, inf: str = DASH) -> str:
    """``x`` with ``digits`` significant digits; NaN and None give ``nan``, ±inf gives ``inf``.

    Fixed point for 1e-3 <= |x| < 1e4 (``0.0769``, ``2.16``, ``123``), otherwise (or always, with
    ``sci=True``, for columns spanning decades) ``6.09 × 10⁻⁵``.
    Trailing zeros are kept (they are significant); zero is ``0``.
    """
    if x is None:
        return nan
    x = float(x)
    if math.isnan(x):
        return nan
    if math.isinf(x):
        return inf if x > 0 or inf == DASH else MINUS + inf
    if x == 0:
        return "0"
    mantissa, exponent = f"{abs(x):.{digits - 1}e}".split("e")  # rounds first: 9.996 -> 1.00e+01
    e = int(exponent)
    sign = MINUS if x < 0 else ""
    if -3 <= e < 4 and not sci:
        return sign + f"{abs(float(mantissa + 'e' + exponent)):.{max(digits - 1 - e, 0)}f}"
    return f"{sign}{mantissa} × 10{str(e).translate(_SUPERSCRIPT)}"


def _cell(value, spec: Format | None, digits: int, sci: bool) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return DASH
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if callable(spec):
        return spec(value)
    if isinstance(spec, str):
        if isinstance(value, Real) and not math.isfinite(float(value)):
            return fmt_num(value)
        return format(value, spec).replace("-", MINUS)
    if isinstance(value, Integral):
        return str(int(value)).replace("-", MINUS)
    if isinstance(value, Real):
        return fmt_num(value, spec if isinstance(spec, int) else digits, sci=sci)
    return str(value)


class Table(pd.DataFrame):
    """A DataFrame shown in full (no row limit, no cut cells) with left-aligned headers."""

    _OPTIONS = ("display.max_rows", None, "display.max_colwidth", None)

    @property
    def _constructor(self):
        return Table

    def _repr_html_(self):
        with pd.option_context(*self._OPTIONS, "display.colheader_justify", "left"):
            html = super()._repr_html_()
        # pandas' scoped style right-aligns the headers; the book's cells are left-aligned
        return html.replace(".dataframe thead th {\n        text-align: right;",
                            ".dataframe thead th {\n        text-align: left;")

    def __repr__(self):
        with pd.option_context(*self._OPTIONS):
            return super().__repr__()


def fmt_table(rows: Iterable[Sequence], columns: Sequence[str], *, fmt: Mapping[str, Format] | None = None,
              digits: int = 3, sci: bool = False, index: int = 1) -> Table:
    """A :class:`Table` (DataFrame) of preformatted strings, one row per entry of ``rows``.

    ``columns`` are the headers; the first ``index`` columns label the rows (one: its header goes
    in the top-left corner; several: a row MultiIndex; zero: no row labels).  Float cells get
    ``digits`` significant digits (:func:`fmt_num`; all as ``a × 10ⁿ`` with ``sci=True``) unless
    ``fmt`` gives their column a number of digits, a format spec or a function.  Strings are
    kept, booleans become yes/no, ints stay exact.  Raises ValueError for a row of the wrong
    length.  Long text wraps in the HTML table; keep it short all the same.
    """
    columns = list(columns)
    fmt = dict(fmt or {})
    unknown = set(fmt) - set(columns)
    if unknown:
        raise ValueError(f"fmt names unknown columns: {sorted(unknown)}")
    body = []
    for row in rows:
        row = list(row)
        if len(row) != len(columns):
            raise ValueError(f"row {row!r} has {len(row)} cells, expected {len(columns)}")
        body.append([_cell(v, fmt.get(c), digits, sci) for v, c in zip(row, columns)])
    df = Table(body, columns=columns, dtype=object)
    if index == 1:
        df = df.set_index(columns[0])
        df.index.name = None
        df.columns.name = columns[0]
    elif index > 1:
        df = df.set_index(columns[:index])
    else:
        df.index = [""] * len(df)
    return df


def latex_lines(lhs: str, expr, terms_per_line: int = 3) -> str:
    """LaTeX of ``lhs = expr`` over several aligned lines, for ``display(Math(...))``.

    A long formula does not fit the text column in one line.  The longest sum in ``expr`` (the
    formula itself, or a factor of a product) is written ``terms_per_line`` terms to a line; the rest
    of a product comes first, on its own line.  The mathematics is unchanged, only broken.
    """
    import sympy as sp

    pre = None
    if isinstance(expr, sp.Add):
        total = expr
    else:
        sums = [f for f in expr.args if isinstance(f, sp.Add)] if isinstance(expr, sp.Mul) else []
        if not sums:
            return f"{lhs} = {sp.latex(expr)}"
        total = max(sums, key=lambda f: len(sp.latex(f)))
        rest = list(expr.args)
        rest.remove(total)
        pre = sp.Mul(*rest, evaluate=False) if len(rest) > 1 else rest[0]
    terms = [sp.latex(t) for t in total.as_ordered_terms()]
    chunks = []
    for i in range(0, len(terms), terms_per_line):
        text = ""
        for k, term in enumerate(terms[i:i + terms_per_line]):
            if i + k == 0:
                text = term
            elif term.startswith("-"):
                text += " - " + term[1:].lstrip()
            else:
                text += " + " + term
        chunks.append(text.strip())
    if pre is None:
        lines = [f"{lhs} &= {chunks[0]}"] + [rf"&\quad {c}" for c in chunks[1:]]
    else:
        lines = [f"{lhs} &= {sp.latex(pre)}", rf"&\quad \times \Bigl( {chunks[0]}"]
        lines += [rf"&\qquad {c}" for c in chunks[1:]]
        lines[-1] += r" \Bigr)"
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"

