"""The book's result tables: number formatting and table shape (helpers.tables)."""

import doctest
import math

import numpy as np
import pytest

from helpers import tables
from helpers.tables import DASH, fmt_num, fmt_table


@pytest.mark.parametrize("missing", [float("nan"), np.nan, None, math.inf, -math.inf, np.float64("inf")])
def test_missing_and_infinite_values_are_a_dash(missing):
    assert fmt_num(missing) == DASH == "–"


def test_infinity_can_be_spelled_out():
    assert fmt_num(math.inf, inf="∞") == "∞" and fmt_num(-math.inf, inf="∞") == "−∞"


@pytest.mark.parametrize("x, text", [
    (0.076912, "0.0769"), (2.1567, "2.16"), (123.45, "123"), (1.0, "1.00"), (-0.53584, "−0.536"),
    (6.0934e-5, "6.09 × 10⁻⁵"), (4.1706e7, "4.17 × 10⁷"), (0.0, "0"),
    (9.996, "10.0"), (0.00099996, "0.00100"), (9999.6, "1.00 × 10⁴"),  # rounding carries into the next decade
])
def test_three_significant_digits(x, text):
    assert fmt_num(x) == text


def test_digits_can_be_chosen():
    assert fmt_num(0.999998, 6) == "0.999998" and fmt_num(2.8571e-2, 5) == "0.028571"
    assert fmt_num(3.2547e-4, 5) == "3.2547 × 10⁻⁴"


def test_table_cells_are_formatted_per_column():
    df = fmt_table([("I", 0.53584, 1.0, True, 12, float("nan")), ("II", 1.8663, 2.0, np.False_, 3, 6.09e-5)],
                   ["scenario", "ratio", "m_N [GeV]", "agrees", "frames", "bound"], fmt={"m_N [GeV]": "g"})
    assert list(df.index) == ["I", "II"] and df.columns.name == "scenario"
    assert df.loc["I"].tolist() == ["0.536", "1", "yes", "12", DASH]
    assert df.loc["II"].tolist() == ["1.87", "2", "no", "3", "6.09 × 10⁻⁵"]
    assert all(isinstance(v, str) for v in df.to_numpy().ravel())


def test_several_label_columns_make_a_multiindex():
    df = fmt_table([("lep1_opal", "e", 1.0), ("lep1_opal", "mu", 2.0)], ["analysis", "flavour", "x"], index=2)
    assert df.index.names == ["analysis", "flavour"] and df.loc[("lep1_opal", "mu"), "x"] == "2.00"


def test_wrong_rows_are_refused():
    with pytest.raises(ValueError, match="expected 2"):
        fmt_table([("I", 1.0, 2.0)], ["scenario", "x"])
    with pytest.raises(ValueError, match="unknown columns"):
        fmt_table([("I", 1.0)], ["scenario", "x"], fmt={"y": 2})


def test_text_and_html_are_deterministic():
    rows = [("I", 6.0934e-5, float("inf"))]
    a, b = fmt_table(rows, ["s", "lo", "hi"]), fmt_table(rows, ["s", "lo", "hi"])
    assert repr(a) == repr(b) and a._repr_html_() == b._repr_html_()
    assert "6.09 × 10⁻⁵" in a._repr_html_() and "<th>s</th>" in a._repr_html_()


def test_module_examples():
    assert doctest.testmod(tables).failed == 0


def test_headers_are_left_aligned_and_long_tables_are_not_cut():
    df = fmt_table([(str(i), float(i)) for i in range(80)], ["i", "x"])
    assert isinstance(df, tables.Table) and isinstance(df.iloc[:3], tables.Table)
    html = df._repr_html_()
    assert ".dataframe thead th {\n        text-align: left;" in html and "<th>79</th>" in html and "..." not in repr(df)


def test_scientific_notation_on_request():
    assert fmt_num(0.028571, 5, sci=True) == "2.8571 × 10⁻²" and fmt_num(2.0, sci=True) == "2.00 × 10⁰"
    df = fmt_table([("I", 0.028571, 3)], ["s", "sigma", "n"], digits=2, sci=True)
    assert df.loc["I"].tolist() == ["2.9 × 10⁻²", "3"]


def test_long_text_is_never_cut():
    df = fmt_table([("x" * 60, "y" * 80)], ["label", "text"])
    assert "y" * 80 in repr(df) and "x" * 60 in repr(df) and "y" * 80 in df._repr_html_()


def test_long_formulas_are_broken_into_aligned_lines():
    import sympy as sp
    x, y, d = sp.symbols("x y d")
    assert tables.latex_lines("g", sp.sin(x)) == r"g = \sin{\left(x \right)}"
    text = tables.latex_lines("f", x**2 - 3 * x * y + y - 1, terms_per_line=2)
    assert text == r"\begin{aligned}f &= x^{2} - 3 x y \\ &\quad + y - 1\end{aligned}"
    prod = tables.latex_lines(r"\Gamma", d**2 * (x**2 + x * y + y**2 + 1) / 8, terms_per_line=2)
    assert prod.count(r"\\") == 2 and r"\Bigl(" in prod and prod.endswith(r"\Bigr)\end{aligned}")


def test_book_style_is_legible_at_page_width():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers import style

    with matplotlib.rc_context():
        style.use()
        for ncols in (1, 2, 3):
            fig, axes = style.subplots(1, ncols)
            for ax in fig.axes:
                ax.plot([1, 2], [1, 10], label="curve")
                ax.set_xlabel("x [GeV]")
            style.fig_legend(fig)
            assert style.page_font_pt(fig) >= style.MIN_PAGE_PT, ncols
            plt.close(fig)
