"""Slots per second of the engine, and its own overhead, measured side by side in one run.

Seed 000's default scenario (scenarios/noma_uplink.toml: 10 users x 4 antennas, 8-antenna BS),
1024 samples per slot, bit-true DACs and ADCs and the AQNM closed forms both computed, the trace
written. The engine's overhead is (engine time - plain-loop time) / engine time, where the plain
loop calls the same blocks (world, controller, system, recorder) in a Python ``for``. The process
is pinned to one core and BLAS to one thread. Last line: ``slots_per_s: <n> overhead: <f>``.

    python benchmarks/bench_engine.py [--slots 400] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from twin.config import load_scenario
from twin.control.base import Observation
from twin.control.baselines import make_controller
from twin.engine import Recorder, build_system, build_world, run, trace_attrs, with_overrides
from twin.rng import stream

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "noma_uplink.toml"


def plain_loop(scenario, text: str, path: Path) -> None:
    """The engine's work without the engine: same blocks, same streams, same trace."""
    system = build_system(scenario)
    world = build_world(scenario, stream(scenario.run.seed, "world"))
    controller = make_controller(scenario, stream(scenario.run.seed, "controller"))
    link_rng = stream(scenario.run.seed, "link")
    recorder = Recorder(path, trace_attrs(scenario, text, system), scenario.trace.waveform_every,
                        scenario.trace.flush_every, True)
    last = None
    for slot in range(scenario.run.num_slots):
        snap = world.step()
        action = controller.act(Observation(slot, snap, last))
        result = system.run_slot(snap, action, link_rng)
        recorder.record(slot, slot * scenario.run.slot_s, result)
        last = result.metrics
    recorder.writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    text = SCENARIO.read_text()
    scenario = with_overrides(load_scenario(SCENARIO), num_slots=args.slots)
    assert scenario.run.samples_per_slot == 1024
    times: dict[str, list[float]] = {"engine": [], "plain loop": []}
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1, user_api="blas"):
        warm = with_overrides(scenario, num_slots=5)
        run(warm, text, Path(tmp) / "warm.h5", overwrite=True)     # compile the kernels
        for _ in range(args.repeats):
            for name in times:
                t0 = time.perf_counter()
                if name == "engine":
                    run(scenario, text, Path(tmp) / "e.h5", overwrite=True)
                else:
                    plain_loop(scenario, text, Path(tmp) / "p.h5")
                times[name].append(time.perf_counter() - t0)
    engine, loop = float(np.median(times["engine"])), float(np.median(times["plain loop"]))
    print(f"{args.slots} slots, median of {args.repeats}, one core")
    for name, t in (("engine", engine), ("plain loop", loop)):
        print(f"{name:<12}{t:>8.3f} s{args.slots / t:>10.0f} slots/s")
    print(f"slots_per_s: {args.slots / engine:.0f} overhead: {(engine - loop) / engine:.3f}")


if __name__ == "__main__":
    main()
