"""``twin reproduce noma-fig6`` ... ``noma-fig9``: seed 000 Figs. 6-9, by the AQNM and bit-true.

Every scheme acts on the same channel drops at every point; each action is scored by the AQNM
closed forms and pushed through the bit-true chain (:mod:`twin.reproduce.noma_eval`). The
findings print each of §V-C's claims beside the twin's numbers (:mod:`twin.reproduce.noma_claims`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from twin.config import Scenario, parse_scenario
from twin.reproduce.noma_claims import (
    PAPER_GAIN_FIG6,
    PAPER_GAIN_FIG7,
    bits_findings,
    gain_findings,
    oracle_findings,
    split_findings,
)
from twin.reproduce.noma_schemes import Scheme, formula_schemes
from twin.reproduce.noma_sweep import sweep
from twin.reproduce.registry import FigureResult, register, write_csv

P_MAX_DBM = tuple(float(p) for p in np.arange(-10.0, 20.01, 2.5))   # Fig. 6: -10 to 20 dBm
BITS = tuple(range(1, 13))                                           # Figs. 7-9: 1 to 12 bits


def scenario() -> Scenario:
    """Seed 000 Tables II-III: the config defaults, the same as ``scenarios/noma_uplink.toml``
    (7-bit uniform DACs and ADCs, ``P_kmax`` = 20 dBm) up to its run length and seed."""
    return parse_scenario('name = "noma-reproduce"\nsystem = "noma_uplink"\n[noma_uplink]\n')


def schemes(names: Sequence[str] | None = None) -> tuple[list[Scheme], list[str]]:
    """The schemes that exist, in the paper's order, and a line for each one that does not."""
    from twin.reproduce.noma_learned import learned_schemes  # torch only when a target runs
    learned, missing = learned_schemes()
    table = {s.name: s for s in (*learned, *formula_schemes())}
    order = ("Proposed", "WoPEF", "MLP-actor", "PPO", "QOMA", "RPaD", "QWoMA", "Oracle",
             "LMMSE")
    wanted = names or order
    return [table[n] for n in wanted if n in table], [m for m in missing
                                                      if m.split(":")[0] in wanted]


def _write(name: str, rows: list[dict[str, Any]], out_dir: Path) -> Path:
    return write_csv(Path(out_dir) / f"{name}.csv",
                     {k: [r[k] for r in rows] for k in rows[0]})


def _missing(missing: list[str]) -> list[str]:
    return [f"not run: {m}" for m in missing]


def _ee_figure(name: str, axis: str, values: Sequence[float], paper: dict[str, str],
               drops: int, seed: int, out_dir: Path, bar: Any) -> FigureResult:
    """Figs. 6 and 7: every scheme's EE along ``axis``, the paper's gains and the oracle's."""
    from twin.plots.reproduce_noma import plot_ee_sweep
    table, missing = schemes()
    rows = sweep(scenario(), axis, values, table, drops, seed, name, bar)
    label = {"p_max_dbm": "P_kmax", "bits": "bits"}[axis]
    png = plot_ee_sweep(rows, axis, Path(out_dir) / f"{name}.png",
                        f"Seed 000 Fig. {name[-1]}: EE vs {label} ({drops} drops)")
    findings = (*gain_findings(rows, paper, f"{name}, averaged over {label}"),
                *oracle_findings(rows), *_missing(missing))
    return FigureResult(_write(name, rows, out_dir), png, tuple(findings))


@register("noma-fig6", "seed 000 Fig. 6: EE vs P_kmax (-10..20 dBm), every scheme", 2)
def fig6(drops: int, seed: int, out_dir: Path, bar: Any) -> FigureResult:
    return _ee_figure("noma-fig6", "p_max_dbm", P_MAX_DBM, PAPER_GAIN_FIG6, drops, seed,
                      out_dir, bar)


@register("noma-fig7", "seed 000 Fig. 7: EE vs bits (1..12, DAC = ADC), every scheme", 2)
def fig7(drops: int, seed: int, out_dir: Path, bar: Any) -> FigureResult:
    return _ee_figure("noma-fig7", "bits", BITS, PAPER_GAIN_FIG7, drops, seed, out_dir, bar)


@register("noma-fig8", "seed 000 Fig. 8: EE, SE and power vs bits (proposed, oracle)", 2)
def fig8(drops: int, seed: int, out_dir: Path, bar: Any) -> FigureResult:
    from twin.plots.reproduce_noma import plot_bits_panels
    table, missing = schemes(("Proposed", "Oracle", "LMMSE"))
    rows = sweep(scenario(), "bits", BITS, table, drops, seed, "noma-fig8", bar)
    png = plot_bits_panels(rows, Path(out_dir) / "noma-fig8.png")
    findings = (*bits_findings(rows), *_missing(missing))
    return FigureResult(_write("noma-fig8", rows, out_dir), png, tuple(findings))


@register("noma-fig9", "seed 000 Fig. 9: P^AP/P^AC and N^Q/N^I (eq. (46)) vs bits", 2)
def fig9(drops: int, seed: int, out_dir: Path, bar: Any) -> FigureResult:
    from twin.plots.reproduce_noma import plot_split
    table, missing = schemes(("Proposed", "Oracle", "LMMSE"))
    # the proposed scheme (or its stand-in), and the oracle beside it when both exist
    table = [s for s in table if s.name in ("Proposed", "Oracle")] or table[:1]
    rows = sweep(scenario(), "bits", BITS, table, drops, seed, "noma-fig9", bar)
    png = plot_split(rows, Path(out_dir) / "noma-fig9.png")
    findings = (*split_findings(rows), *_missing(missing[:1]))
    return FigureResult(_write("noma-fig9", rows, out_dir), png, tuple(findings))
