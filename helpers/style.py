"""One shared plotting style for every chapter."""

from __future__ import annotations

import matplotlib as mpl

SCENARIO_COLOURS = {"I": "#1b9e77", "II": "#d95f02", "III": "#7570b3", "IV": "#e7298a"}
SCENARIO_LABELS = {
    "I": r"I: $d_{\mathcal{W}}=0$",
    "II": r"II: $d_B=0$",
    "III": r"III: $d_{\mathcal{W}}=2\tan\theta_w\,d_B$",
    "IV": r"IV: $d_{\mathcal{W}}=-2\tan\theta_w\,d_B$",
}

RC = {
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 11,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "legend.fontsize": 9,
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
