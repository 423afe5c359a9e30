"""Figures of ``twin train``: seed 000 Fig. 4's four panels, and Fig. 5's reward comparison."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

_PANELS = (("reward", "reward per episode (sum of EE)", "(a)"),
           ("policy_loss", "policy loss Q(s, μ(s)), eq. (45)", "(b)"),
           ("se_bps_hz", "SE per episode (bit/s/Hz)", "(c)"),
           ("power_w", "power per episode (W)", "(d)"))


def read_curves(path: Path) -> dict[str, np.ndarray]:
    """``curves.csv`` -> one float array per column."""
    with Path(path).open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise ValueError(f"{path} has no episodes yet")
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def plot_training_curves(csv_path: Path, png_path: Path) -> Path:
    """Fig. 4 (a)-(d) against episodes, plus the held-out EE (WoPEF and with the search)."""
    c = read_curves(csv_path)
    fig, axes = plt.subplots(1, 5, figsize=(17, 3.4), constrained_layout=True)
    for ax, (key, label, tag) in zip(axes, _PANELS, strict=False):
        ax.plot(c["episode"], c[key], lw=1.2)
        ax.set(xlabel="episode", ylabel=label, title=tag)
        ax.grid(alpha=0.3)
    ax = axes[-1]
    ax.plot(c["episode"], c["eval_ee"], label="greedy actor (WoPEF)")
    ax.plot(c["episode"], c["eval_ee_search"], label="with power search")
    ax.set(xlabel="episode", ylabel="EE on held-out drops (bit/J/Hz)", title="held-out")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.savefig(png_path, dpi=80)
    plt.close(fig)
    return Path(png_path)


def plot_agent_comparison(curves: Sequence[tuple[str, Path]], png_path: Path) -> Path:
    """Fig. 5: training reward per episode of several agents (label, curves.csv)."""
    fig, ax = plt.subplots(figsize=(6, 3.6), constrained_layout=True)
    for label, path in curves:
        c = read_curves(path)
        ax.plot(c["episode"], c["reward"], label=label)
    ax.set(xlabel="episode", ylabel="reward per episode (sum of EE)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.savefig(png_path, dpi=80)
    plt.close(fig)
    return Path(png_path)
