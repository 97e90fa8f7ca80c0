"""One shared plotting style for every chapter.

Sizes are chosen for the page, not the screen of the author: in a 1400 px browser window the
book's text column is about 830 px wide and a figure gets :data:`PAGE_WIDTH_PX` = 770 px of it.
Figures are stored at :data:`INLINE_DPI` pixels per inch and shown at their natural size, or
shrunk to the column if wider.  A one-panel figure (:data:`WIDTH_ONE` = 6.4 in, 640 px) is not
scaled; a full-width figure (:data:`WIDTH_FULL` = 10 in, 1000 px) is shown at 0.77 of its size, so
its smallest text must be about 10.5 pt to appear at :data:`MIN_PAGE_PT` = 8 pt.  :data:`RC`
meets that everywhere (labels 12 pt, ticks 11 pt, legends 10.5 pt); :func:`page_font_pt` checks a
finished figure.

Use::

    style.use()                                   # once per notebook
    fig, axes = style.subplots(1, 2)              # full width, constrained layout
    style.fig_legend(fig, ncol=3)                 # one legend above the panels, covering nothing
    fig.savefig(path, dpi=style.SAVE_DPI)         # files (e.g. book/headline.png)
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

SCENARIO_COLOURS = {"I": "#1b9e77", "II": "#d95f02", "III": "#7570b3", "IV": "#e7298a"}
SCENARIO_LABELS = {
    "I": r"I: $d_{\mathcal{W}}=0$",
    "II": r"II: $d_B=0$",
    "III": r"III: $d_{\mathcal{W}}=2\tan\theta_w\,d_B$",
    "IV": r"IV: $d_{\mathcal{W}}=-2\tan\theta_w\,d_B$",
}
#: mathtext symbol of each flavour, e.g. for r"$d_\gamma^{" + FLAVOUR_SYMBOLS[f] + "}$"
FLAVOUR_SYMBOLS = {"e": "e", "mu": r"\mu", "tau": r"\tau"}

PAGE_WIDTH_PX = 770  #: width available to a figure in the text column at a 1400 px window [CSS px]
INLINE_DPI = 100  #: pixels per inch of the figures stored in the notebooks
SAVE_DPI = 200  #: pixels per inch of figures written to files
MIN_PAGE_PT = 8.0  #: smallest text size a reader should meet on the page
WIDTH_ONE = 6.4  #: [in] one panel, shown at its natural size
WIDTH_FULL = 10.0  #: [in] two or more panels side by side: the full text column
ROW_HEIGHT = 4.2  #: [in] height of one row of panels

RC = {
    "figure.figsize": (WIDTH_ONE, ROW_HEIGHT),
    "figure.dpi": INLINE_DPI,
    "savefig.dpi": SAVE_DPI,
    "font.size": 11,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 10.5,
    "legend.title_fontsize": 10.5,
    "figure.titlesize": 13,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.6,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
}


def use() -> None:
    """Apply the book style to matplotlib."""
    mpl.rcParams.update(RC)


def figsize(nrows: int = 1, ncols: int = 1, row_height: float = ROW_HEIGHT) -> tuple[float, float]:
    """(width, height) in inches: one column for a single panel, the full text width otherwise."""
    return (WIDTH_ONE if ncols == 1 else WIDTH_FULL, row_height * nrows)


def subplots(nrows: int = 1, ncols: int = 1, *, row_height: float = ROW_HEIGHT, width: float | None = None,
             **kwargs):
    """``plt.subplots`` with the book's figure size (:func:`figsize`) and constrained layout."""
    size = figsize(nrows, ncols, row_height)
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, figsize=(width or size[0], size[1]), **kwargs)


def fig_legend(fig, axes=None, *, ncol: int = 3, loc: str = "outside upper center", **kwargs):
    """One legend for the whole figure, outside the panels (needs constrained layout).

    Collects the labelled artists of ``axes`` (default: all axes of ``fig``), each label once.
    """
    handles, labels = [], []
    for ax in axes if axes is not None else fig.axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    return fig.legend(handles, labels, loc=loc, ncol=ncol, **kwargs)


def page_scale(fig) -> float:
    """Factor by which the page shrinks ``fig`` when it is shown at :data:`INLINE_DPI` (<= 1)."""
    fig.canvas.draw()
    width_px = fig.get_tightbbox().width * INLINE_DPI  # the inline backend crops to the tight box
    return min(1.0, PAGE_WIDTH_PX / width_px)


def page_font_pt(fig) -> float:
    """Size [pt] at which the smallest visible text of ``fig`` appears on the page."""
    scale = page_scale(fig)  # draws the figure, so that tick labels exist
    texts = [t for t in fig.findobj(mpl.text.Text) if t.get_visible() and t.get_text().strip()]
    smallest = min(t.get_fontsize() for t in texts)
    return smallest * INLINE_DPI / 96 * scale  # CSS: 96 px per inch, 72 pt per inch
