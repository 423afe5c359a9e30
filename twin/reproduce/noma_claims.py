"""Seed 000 §V-C's claims, checked against a sweep's rows: one finding line per claim.

The paper's numbers below are what it states in §V-C; they are printed beside the twin's own,
never used in place of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

# §V-C: the proposed scheme's mean EE over each benchmark's, in percent ("more than three times"
# over QWoMA, i.e. > +200 %).
PAPER_GAIN_FIG6 = {"PPO": "+59.6 %", "QOMA": "+76.6 %", "RPaD": "+99.4 %", "QWoMA": "> +200 %"}
PAPER_GAIN_FIG7 = {"PPO": "+67.5 %", "QOMA": "+105.2 %", "RPaD": "+110.4 %", "QWoMA": "> +200 %"}
BENCHMARKS = ("Proposed", "WoPEF", "MLP-actor", "PPO", "QOMA", "RPaD", "QWoMA", "LMMSE")
MODELS = (("aqnm", "AQNM"), ("bit_true", "bit-true"))


def column(rows: Sequence[dict[str, Any]], scheme: str, key: str) -> np.ndarray:
    """``key`` of ``scheme`` along the sweep, in row order."""
    return np.array([r[key] for r in rows if r["scheme"] == scheme], dtype=np.float64)


def schemes_in(rows: Sequence[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(r["scheme"] for r in rows))


def reference_scheme(rows: Sequence[dict[str, Any]]) -> str:
    """The scheme the claims are about: the proposed one, or (if it is missing) the nearest
    stand-in, named in every finding."""
    present = schemes_in(rows)
    return next(s for s in ("Proposed", "Oracle", "LMMSE") if s in present)


def _pct(x: float) -> str:
    return f"{100.0 * x:+.1f} %"


def gain_findings(rows: Sequence[dict[str, Any]], paper: dict[str, str], what: str) -> list[str]:
    """The reference scheme's EE averaged over the sweep, over each benchmark's; and the
    oracle's, which bounds what any proposed scheme could claim."""
    ref = reference_scheme(rows)
    present = schemes_in(rows)
    out = []
    for lead in dict.fromkeys([ref, *(["Oracle"] if "Oracle" in present else [])]):
        out.append(f"{what}: {lead}'s mean EE over each benchmark's "
                   f"(paper's proposed | twin AQNM | twin bit-true)")
        for other in BENCHMARKS:
            if other == lead or other not in present:
                continue
            twin = [column(rows, lead, f"ee_{m}_bits_per_j_hz").mean()
                    / column(rows, other, f"ee_{m}_bits_per_j_hz").mean() - 1.0
                    for m, _ in MODELS]
            out.append(f"  over {other:<9} paper {paper.get(other, '(not compared)'):>12} | "
                       f"{_pct(twin[0]):>10} | {_pct(twin[1]):>10}")
    return out


def oracle_findings(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Each scheme's mean EE as a fraction of the gradient oracle's (the paper has no oracle)."""
    if "Oracle" not in schemes_in(rows):
        return ["EE / oracle: no oracle in this run"]
    out = ["EE as a fraction of the oracle's, averaged over the sweep (AQNM | bit-true)"]
    for s in schemes_in(rows):
        frac = [column(rows, s, f"ee_{m}_bits_per_j_hz").mean()
                / column(rows, "Oracle", f"ee_{m}_bits_per_j_hz").mean() for m, _ in MODELS]
        out.append(f"  {s:<10}{frac[0]:7.3f} | {frac[1]:7.3f}")
    return out


def _leads(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The reference scheme, and the oracle too when it ran (what an optimum would show)."""
    extra = ["Oracle"] if "Oracle" in schemes_in(rows) else []
    return list(dict.fromkeys([reference_scheme(rows), *extra]))


def _per_model(rows: Sequence[dict[str, Any]], line) -> list[str]:
    """One finding per model (AQNM, bit-true) and lead scheme along bits: ``line(column_of)``
    with ``column_of(key)`` that scheme's column for that model."""
    return [f"{lead} ({label}): " + line(lambda key, m=m, s=lead: column(rows, s,
                                                                          key.format(m=m)))
            for lead in _leads(rows) for m, label in MODELS]


def bits_findings(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Fig. 8: where EE peaks, whether SE is flat beyond 9 bits, SE and power from 7 to 12 bits."""
    bits = column(rows, reference_scheme(rows), "bits")
    at = {int(b): i for i, b in enumerate(bits)}

    def line(col) -> str:
        ee, se, power = col("ee_{m}_bits_per_j_hz"), col("se_{m}_bps_hz"), col("power_{m}_w")
        out = f"EE peaks at {int(bits[np.argmax(ee)])} bits (paper: 5-7)"
        if {7, 9, 12} <= set(at):
            out += (f"; SE 9->12 bits {_pct(se[at[12]] / se[at[9]] - 1)} (paper: flat beyond"
                    f" ~9); SE 7->12 bits {se[at[7]]:.1f} -> {se[at[12]]:.1f} bit/s/Hz (paper:"
                    f" 13.3 -> 16.7); power {power[at[7]]:.1f} -> {power[at[12]]:.1f} W (paper:"
                    f" 6.7 -> 15.2)")
        return out
    return _per_model(rows, line)


def split_findings(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Fig. 9: P^AC share of the power, and N^Q share of interference plus noise (eq. (46))."""
    bits = column(rows, reference_scheme(rows), "bits")

    def line(col) -> str:
        ac, q = col("circuit_share_{m}"), col("quant_share_{m}")
        return (f"P^AC share min {100 * ac.min():.1f} % (paper: > 93 %), at {int(bits[-1])} "
                f"bits {100 * ac[-1]:.1f} % (paper: > 99 % at 12); N^Q share at {int(bits[0])} "
                f"bit {100 * q[0]:.1f} % (paper: > 96 % at 1), at {int(bits[-1])} bits "
                f"{100 * q[-1]:.1f} % (paper: ~1 % at 12)")
    return _per_model(rows, line)
