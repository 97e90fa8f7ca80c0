"""Figures that more than one place draws: the landscape of Fig. 8 and the introduction's headline figure.

:func:`figure_8` draws one flavour (a panel per scenario) for the summary chapter; :func:`headline_figure` draws all
twelve panels for the introduction, and :func:`save_headline` writes it to ``book/headline.png`` (called by
``python -m helpers export``, never by a notebook).  The book's curves come from :func:`helpers.summary.combined`, the
external ones from :func:`helpers.landscape.load`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects

from . import couplings as C
from . import landscape as LS
from . import style
from . import summary as SU

HEADLINE_PATH = Path(__file__).resolve().parent.parent / "book" / "headline.png"  #: the introduction's figure

GREYS = {
    "borexino": "0.55",
    "xenon1t": "0.45",
    "sn1987a": "0.75",
    "lep_magill": "0.65",
    "lsnd": "0.35",
    "charm2": "0.5",
    "miniboone": "0.6",
    "nomad": "0.4",
    "donut": "0.5",
}
# where each constraint is named: at mass m [GeV], at factor f times its lower
# (or upper) edge,
# or, with text_at, at that point with an arrow to the edge
LABEL_AT = {
    "borexino": dict(m=1.15e-3, f=0.35, ha="left"),
    "xenon1t": dict(m=1.15e-3, f=0.45, ha="left"),
    "sn1987a": dict(m=2e-3, f=0.3, ha="left", edge="high"),
    "lep_magill": dict(m=3.0, f=2.5),
    "lsnd": dict(m=0.035, f=0.35),
    "charm2": dict(m=0.012, f=0.5),
    "miniboone": dict(m=0.6, f=1.0, text_at=(0.5, 1.5e-8)),
    "nomad": dict(m=2.5, f=1.0, text_at=(20.0, 3e-8)),
    "donut": dict(m=2e-3, f=10.0, ha="left"),
}
OUTLINE = [patheffects.withStroke(linewidth=3, foreground="white")]
XLIM, YLIM = (1e-3, 3e2), (1e-9, 1e-1)


def draw_external(ax, flavour, in_paper_only=True, labels=True):
    for c in LS.for_flavour(flavour, in_paper_only):
        cur = LS.load(c.key)
        grey = GREYS.get(c.key, "0.6")
        ax.fill_between(
            cur.m_GeV,
            cur.d_low,
            np.minimum(cur.d_high, 1.0),
            color=grey,
            alpha=0.35,
            lw=0,
        )
        ax.plot(cur.m_GeV, cur.d_low, color=grey, lw=0.8)
        if c.kind == "band":
            ax.plot(cur.m_GeV, cur.d_high, color=grey, lw=0.8)
        if labels and c.key in LABEL_AT:
            at = LABEL_AT[c.key]
            edge = cur.d_high if at.get("edge") == "high" else cur.d_low
            y = (
                np.exp(np.interp(np.log(at["m"]), np.log(cur.m_GeV), np.log(edge)))
                * at["f"]
            )
            text = c.label.split(" (")[0]
            if "text_at" in at:
                ax.annotate(
                    text,
                    (at["m"], y),
                    xytext=at["text_at"],
                    ha="center",
                    va="center",
                    color="0.15",
                    fontsize=10,
                    arrowprops=dict(arrowstyle="-", color="0.3"),
                )
            else:
                ax.text(
                    at["m"],
                    y,
                    text,
                    ha=at.get("ha", "center"),
                    va="center",
                    color="0.15",
                    fontsize=10,
                    path_effects=OUTLINE,
                )


def draw_ours(ax, scen, flavour):
    m, lo, hi = SU.combined("lep", scen, flavour)
    ax.fill_between(
        m,
        lo,
        np.minimum(hi, 1.0),
        where=np.isfinite(lo),
        color="tab:blue",
        alpha=0.35,
        lw=0,
        label="LEP, this book (95% CL)",
    )
    ax.plot(m, lo, color="tab:blue", lw=1.2)
    m, lo, hi = SU.combined("cepc", scen, flavour)
    ax.plot(
        m, lo, color="tab:red", lw=2, label="CEPC, this book (95% CL projection)"
    )


def landscape_axes(ax):
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    ax.set_xticks([1e-3, 1e-2, 1e-1, 1, 10, 100])
    ax.set_yticks([1e-9, 1e-7, 1e-5, 1e-3, 1e-1])


def d_label(flavour):
    return r"$d_\gamma^{" + style.FLAVOUR_SYMBOLS[flavour] + r"}$ [GeV$^{-1}$]"


def figure_8(flavour):
    fig, axes = style.subplots(2, 2, row_height=4.1, sharex=True, sharey=True)
    for ax, scen in zip(axes.flat, C.SCENARIO_NAMES):
        draw_external(ax, flavour)
        draw_ours(ax, scen, flavour)
        landscape_axes(ax)
        ax.set_title(style.SCENARIO_LABELS[scen])
    for ax in axes[1]:
        ax.set_xlabel(r"$m_N$ [GeV]")
    for ax in axes[:, 0]:
        ax.set_ylabel(d_label(flavour))
    handles, names = axes[0, 0].get_legend_handles_labels()
    handles.append(plt.Rectangle((0, 0), 1, 1, color="0.5", alpha=0.5))
    names.append("existing constraints (named)")
    fig.legend(handles, names, loc="outside upper center", ncol=3)
    return fig


def headline_figure():
    """All twelve panels (scenarios across, flavours down), unlabelled greys: the introduction's figure."""
    fig, axes = style.subplots(3, 4, row_height=2.45, sharex=True, sharey=True)
    for j, scen in enumerate(C.SCENARIO_NAMES):
        for i, flavour in enumerate(("e", "mu", "tau")):
            ax = axes[i, j]
            draw_external(ax, flavour, labels=False)
            draw_ours(ax, scen, flavour)
            landscape_axes(ax)
            ax.set_xticks([1e-3, 1e-1, 1e1])
            ax.set_yticks([1e-9, 1e-6, 1e-3])
            if i == 0:
                ax.set_title(style.SCENARIO_LABELS[scen], fontsize=11)
            if j == 0:
                ax.set_ylabel(d_label(flavour))
            if i == 2:
                ax.set_xlabel(r"$m_N$ [GeV]")
    handles, names = axes[0, 0].get_legend_handles_labels()
    handles.append(plt.Rectangle((0, 0), 1, 1, color="0.5", alpha=0.5))
    names.append("existing constraints")
    fig.legend(handles, names, loc="outside upper center", ncol=3)
    return fig


def save_headline(path: Path = HEADLINE_PATH) -> Path:
    """Draw :func:`headline_figure` and save it (PNG, :data:`helpers.style.SAVE_DPI`, deterministic metadata)."""
    with plt.rc_context(style.RC):
        fig = headline_figure()
        fig.savefig(path, dpi=style.SAVE_DPI, metadata={"Software": None})
    plt.close(fig)
    return Path(path)
