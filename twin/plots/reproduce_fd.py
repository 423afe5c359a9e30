"""Figures of ``twin reproduce fd-fig*``: panels of curves, each scored by the AQNM (solid line)
and bit-true (dashed line, hollow markers), with ±2 standard errors as a band when given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

DPI = 100


@dataclass(frozen=True, slots=True)
class Curve:
    """One scheme on one panel: x [n], AQNM and bit-true y [n]; ``*_se`` [n] or None."""

    label: str
    x: np.ndarray
    aqnm: np.ndarray
    measured: np.ndarray | None
    color: str
    marker: str = "o"
    aqnm_se: np.ndarray | None = None
    measured_se: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class Panel:
    """Axes labels, curves, optional vertical markers ``(x, label)`` and log-x."""

    title: str
    xlabel: str
    ylabel: str
    curves: Sequence[Curve]
    vlines: Sequence[tuple[float, str]] = field(default_factory=tuple)
    logx: bool = False
    invert_x: bool = False


def plot_panels(panels: Sequence[Panel], path: Path, suptitle: str) -> Path:
    """Draw ``panels`` side by side into one PNG at ``path``."""
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.2),
                             constrained_layout=True, squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=True):
        for c in panel.curves:
            ax.plot(c.x, c.aqnm, color=c.color, marker=c.marker, ms=4, lw=1.5, label=c.label)
            if c.aqnm_se is not None:
                ax.fill_between(c.x, c.aqnm - 2 * c.aqnm_se, c.aqnm + 2 * c.aqnm_se,
                                color=c.color, alpha=0.12, lw=0)
            if c.measured is not None:
                ax.plot(c.x, c.measured, color=c.color, marker=c.marker, ms=5, lw=1, ls="--",
                        mfc="none")
        for x, label in panel.vlines:
            ax.axvline(x, color="k", lw=1)
            ax.annotate(label, (x, 0.02), xycoords=("data", "axes fraction"), rotation=90,
                        fontsize=7, ha="right", va="bottom")
        if panel.logx:
            ax.set_xscale("log", base=2)
        if panel.invert_x:
            ax.invert_xaxis()
        ax.set(title=panel.title, xlabel=panel.xlabel, ylabel=panel.ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7, title="solid: AQNM, dashed: bit-true", title_fontsize=7)
    fig.suptitle(suptitle, fontsize=10)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
