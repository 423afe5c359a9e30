"""Figures of ``twin reproduce noma-fig6`` ... ``noma-fig9`` (seed 000 Figs. 6-9).

Lines are the AQNM closed forms, hollow markers the same actions measured bit-true.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from twin.reproduce.noma_claims import column, reference_scheme, schemes_in

_STYLE = {"Proposed": ("tab:red", "o"), "WoPEF": ("tab:orange", "v"),
          "MLP-actor": ("tab:pink", "<"),
          "PPO": ("tab:purple", "^"), "QOMA": ("tab:green", "s"), "RPaD": ("tab:gray", "x"),
          "QWoMA": ("tab:brown", "D"), "Oracle": ("k", "*"), "LMMSE": ("tab:blue", "P")}


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _lines(ax, rows: Sequence[dict[str, Any]], axis: str, key: str,
           schemes: Sequence[str] | None = None) -> None:
    for s in schemes or schemes_in(rows):
        color, marker = _STYLE.get(s, ("tab:cyan", "."))
        x = column(rows, s, axis)
        ax.plot(x, column(rows, s, key.format(m="aqnm")), color=color, marker=marker, ms=4,
                lw=1.4, label=s)
        ax.plot(x, column(rows, s, key.format(m="bit_true")), color=color, marker=marker,
                ms=7, ls="none", mfc="none")
    ax.grid(True, alpha=0.3)


def plot_ee_sweep(rows: Sequence[dict[str, Any]], axis: str, path: Path, title: str) -> Path:
    """Figs. 6 and 7: EE of every scheme along the sweep."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2), constrained_layout=True)
    _lines(ax, rows, axis, "ee_{m}_bits_per_j_hz")
    ax.set(xlabel={"p_max_dbm": "P_kmax (dBm)", "bits": "DAC = ADC bits"}[axis],
           ylabel="energy efficiency (bit/J/Hz)", title=title)
    ax.plot([], [], "k-", label="AQNM")
    ax.plot([], [], "ko", mfc="none", ls="none", label="bit-true")
    ax.legend(fontsize=7, ncol=2)
    return _save(fig, path)


def plot_bits_panels(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    """Fig. 8: EE, SE and total power against bits."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), constrained_layout=True)
    for ax, key, label in zip(axes, ("ee_{m}_bits_per_j_hz", "se_{m}_bps_hz", "power_{m}_w"),
                              ("energy efficiency (bit/J/Hz)", "sum SE (bit/s/Hz)",
                               "total power P^AP + P^AC (W)"), strict=True):
        _lines(ax, rows, "bits", key)
        ax.set(xlabel="DAC = ADC bits", ylabel=label)
    axes[0].legend(fontsize=7)
    fig.suptitle("Seed 000 Fig. 8 (lines: AQNM, hollow markers: bit-true)", fontsize=10)
    return _save(fig, path)


def plot_split(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    """Fig. 9: P^AP vs P^AC share of the power, and N^Q vs N^I share (eq. (46))."""
    ref = reference_scheme(rows)
    bits = column(rows, ref, "bits")
    fig, (ax_p, ax_n) = plt.subplots(1, 2, figsize=(10, 3.8), constrained_layout=True)
    ac = 100 * column(rows, ref, "circuit_share_aqnm")
    ax_p.bar(bits, ac, color="tab:blue", label="P^AC (circuit)")
    ax_p.bar(bits, 100 - ac, bottom=ac, color="tab:orange", label="P^AP (amplifiers)")
    ax_p.plot(bits, 100 * column(rows, ref, "circuit_share_bit_true"), "kx", ls="none",
              label="P^AC bit-true")
    ax_p.set(xlabel="DAC = ADC bits", ylabel="share of total power (%)", ylim=(0, 100),
             title=f"{ref}: power split")
    q = 100 * column(rows, ref, "quant_share_aqnm")
    ax_n.bar(bits, q, color="tab:green", label="N^Q (quantization)")
    ax_n.bar(bits, 100 - q, bottom=q, color="tab:gray", label="N^I (interference + noise)")
    ax_n.plot(bits, np.clip(100 * column(rows, ref, "quant_share_bit_true"), 0, 100), "kx",
              ls="none", label="N^Q implied by measured SINR")
    if ref != "Oracle" and "Oracle" in schemes_in(rows):
        ax_p.plot(bits, 100 * column(rows, "Oracle", "circuit_share_aqnm"), "k*-", ms=6,
                  lw=0.8, label="P^AC, oracle")
        ax_n.plot(bits, 100 * column(rows, "Oracle", "quant_share_aqnm"), "k*-", ms=6, lw=0.8,
                  label="N^Q, oracle")
    ax_n.set(xlabel="DAC = ADC bits", ylabel="share of interference + noise (%)",
             ylim=(0, 100), title=f"{ref}: eq. (46) split")
    for ax in (ax_p, ax_n):
        ax.legend(fontsize=7, loc="center right")
        ax.set_xticks(bits)
    return _save(fig, path)
