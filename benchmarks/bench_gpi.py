"""Median time of one Algorithm 2 run (GPI + qMMSE to convergence), seed 004, side by side over
array sizes, with its iteration counts.

Channels from the full-duplex world (scenarios/full_duplex.toml values), K_D = K_U = 4, 7-bit
converters, one core and one BLAS thread. Target (issue 4): at most 5 ms for N_t = N_r = 16, and
a cost growing no faster than K_D N_t^3. Last line: ``median_ms: <n>`` (wall clock, the 16 x 16
case).

A run is :func:`twin.control.gpi.alternate` with the paper's defaults, cold-started at RZF +
qMMSE: it has converged when one round moves the precoder by ``||w^(t) - w^(t-1)|| < 1e-2`` and
the combiner by ``||f^(t) - f^(t-1)|| / ||f^(t)|| < 1e-2`` (each round's GPI stops at
``||w^(n) - w^(n-1)|| < 1e-2``), with at most n_max = t_max = 30 updates and rounds; ``capped``
counts the drops that hit t_max instead. ``outer`` and ``inner`` are the mean rounds and GPI
updates per run; ``cpu ms`` is the process time (the wall clock also counts other processes on
a shared host); ``slope`` is log(ms / previous ms) / log(N_t / previous N_t), at most 3 when the
cost grows no faster than N_t^3.

    python benchmarks/bench_gpi.py [--drops 10]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from twin.config import load_scenario
from twin.control.gpi import alternate
from twin.quant.aqnm import aqnm_alpha
from twin.world.world import FullDuplexWorld

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "full_duplex.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drops", type=int, default=10)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    base = load_scenario(SCENARIO)
    rows = []
    with threadpool_limits(limits=1, user_api="blas"):
        for n in (8, 16, 32, 64):
            cfg = dataclasses.replace(base.full_duplex, num_tx_ant=n, num_rx_ant=n)
            alpha = aqnm_alpha(np.full(n, 7))
            times, cpu, outer, inner, capped = [], [], [], [], 0
            for drop in range(args.drops):
                world = FullDuplexWorld(cfg, base.mobility, base.channel, base.run.slot_s,
                                        np.random.default_rng(drop))
                snap = world.step()
                alternate(snap, alpha, alpha, cfg)  # warm caches once
                t0, c0 = time.perf_counter(), time.process_time()
                res = alternate(snap, alpha, alpha, cfg)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                outer.append(res.outer_iterations)
                capped += res.outer_iterations == 30
                inner.append(res.inner_iterations)
            rows.append((n, 1e3 * float(np.median(times)), 1e3 * float(np.median(cpu)),
                         float(np.mean(outer)), float(np.mean(inner)), capped))
    print(f"Algorithm 2, K_D = K_U = 4, median of {args.drops} drops, one core")
    print(f"{'N_t = N_r':>9}{'median ms':>11}{'cpu ms':>8}{'outer':>7}{'inner':>7}{'capped':>8}"
          f"{'ms / (K N_t^3) x 1e6':>22}{'slope':>7}")
    for row, prev in zip(rows, [None, *rows[:-1]], strict=True):
        n, ms, cpu_ms, o, i, c = row
        slope = "" if prev is None else f"{np.log(ms / prev[1]) / np.log(n / prev[0]):.2f}"
        print(f"{n:>9}{ms:>11.2f}{cpu_ms:>8.2f}{o:>7.1f}{i:>7.1f}{c:>8}"
              f"{1e6 * ms / (4 * n**3):>22.3f}{slope:>7}")
    print(f"median_ms: {dict((r[0], r[1]) for r in rows)[16]:.2f}")


if __name__ == "__main__":
    main()
