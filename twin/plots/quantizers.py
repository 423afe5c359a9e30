"""Figure of ``twin quantizers``: measured beta of bit-true converters against the AQNM."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from twin.quant.aqnm import aqnm_beta
from twin.quant.compare import QuantizerCheck

_STYLE = {"lloyd_max": ("tab:blue", "o", "Lloyd-Max, bit-true"),
          "uniform": ("tab:orange", "s", "uniform MSE-optimal, bit-true")}


def plot_quantizer_comparison(rows: Sequence[QuantizerCheck], path: Path) -> Path:
    """Two panels: beta vs bits (log), and the relative gap to the AQNM in percent."""
    fig, (ax_beta, ax_err) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    bits = np.arange(1, max(r.bits for r in rows) + 1)
    beta_model = aqnm_beta(bits)
    ax_beta.semilogy(bits[bits <= 5], beta_model[bits <= 5], "k-", lw=1.5,
                     label="AQNM: Table I (b ≤ 5)")
    high = bits >= 5
    ax_beta.semilogy(bits[high], np.pi * np.sqrt(3) / 2 * 2.0 ** (-2 * bits[high]), "k--",
                     lw=1.2, label="AQNM: (π√3/2)·2^(−2b)")
    for kind, (color, marker, label) in _STYLE.items():
        sel = [r for r in rows if r.kind == kind]
        if not sel:
            continue
        b = np.array([r.bits for r in sel])
        ax_beta.errorbar(b, [r.beta_measured for r in sel], yerr=[2 * r.beta_stderr for r in sel],
                         color=color, marker=marker, ls="none", ms=5, label=label)
        rel = np.array([100.0 * r.beta_rel_error for r in sel])
        err = np.array([200.0 * r.beta_stderr / r.beta_aqnm for r in sel])
        ax_err.errorbar(b, rel, yerr=err, color=color, marker=marker, lw=1, ms=5, label=label)
    ax_beta.set(xlabel="bits b", ylabel="β = E|x − Q(x)|² / E|x|²",
                title="Normalized quantization MSE, complex Gaussian input")
    ax_beta.grid(True, which="both", alpha=0.3)
    ax_beta.legend(fontsize=8)
    ax_err.axhspan(-1, 1, color="tab:green", alpha=0.15, label="±1 %")
    ax_err.axhline(0, color="k", lw=0.8)
    ax_err.set_yscale("symlog", linthresh=1.0)
    ax_err.set(xlabel="bits b", ylabel="(β̂ − β_AQNM) / β_AQNM  [%]",
               title="Gap to the AQNM (error bars: ±2 standard errors)")
    ax_err.grid(True, which="both", alpha=0.3)
    ax_err.legend(fontsize=8)
    ax_err.set_xticks(bits)
    ax_beta.set_xticks(bits)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
