"""Slots per second of the engine, and its own overhead, measured side by side in one run.

Seed 000's default scenario (scenarios/noma_uplink.toml: 10 users x 4 antennas, 8-antenna BS),
1024 samples per slot, bit-true DACs and ADCs and the AQNM closed forms both computed, the trace
written. The engine's overhead is (engine time - plain-loop time) / engine time, where the plain
loop calls the same blocks (world, controller, system, recorder) in a Python ``for``. The process
is pinned to one core and BLAS to one thread. Both wall-clock and process CPU time are measured:
on a shared host the wall clock also counts the time other processes held the core, the CPU time
does not. Each figure is the best of ``--repeats`` interleaved runs: on a shared host a median
still carries other processes' bursts, which swung the overhead by +-0.2 between runs. A last
pass times each block of the plain loop (CPU time). Last line (wall clock):
``slots_per_s: <n> overhead: <f>``.

The controller is the engine issue's quantization-aware LMMSE (``--controller lmmse``, default);
the scenario file's own P-DDPG actor with its power search (``--controller pddpg``) is a learned
controller of its own issue and adds its per-slot cost, shown in the per-block line.

    python benchmarks/bench_engine.py [--slots 400] [--repeats 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from twin.config import load_scenario
from twin.control.base import Observation
from twin.control.baselines import make_controller
from twin.engine import Recorder, build_system, build_world, run, trace_attrs, with_overrides
from twin.rng import stream

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "noma_uplink.toml"


def plain_loop(scenario, text: str, path: Path, blocks: dict[str, float] | None = None) -> None:
    """The engine's work without the engine: same blocks, same streams, same trace.

    With ``blocks``, adds each block's CPU time to it (the timers cost ~1 us a slot).
    """
    system = build_system(scenario)
    world = build_world(scenario, stream(scenario.run.seed, "world"))
    controller = make_controller(scenario, stream(scenario.run.seed, "controller"))
    link_rng = stream(scenario.run.seed, "link")
    recorder = Recorder(path, trace_attrs(scenario, text, system), scenario.trace.waveform_every,
                        scenario.trace.flush_every, True)
    last = None
    if blocks is None:
        for slot in range(scenario.run.num_slots):
            snap = world.step()
            action = controller.act(Observation(slot, snap, last))
            result = system.run_slot(snap, action, link_rng)
            recorder.record(slot, slot * scenario.run.slot_s, result)
            last = result.metrics
        recorder.writer.close()
        return
    clock = time.process_time
    for slot in range(scenario.run.num_slots):
        t0 = clock()
        snap = world.step()
        t1 = clock()
        action = controller.act(Observation(slot, snap, last))
        t2 = clock()
        result = system.run_slot(snap, action, link_rng)
        t3 = clock()
        recorder.record(slot, slot * scenario.run.slot_s, result)
        t4 = clock()
        last = result.metrics
        for name, dt in zip(BLOCKS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            blocks[name] += dt
    t0 = clock()
    recorder.writer.close()
    blocks["recorder"] += clock() - t0


BLOCKS = ("world", "controller", "system", "recorder")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--controller", default="lmmse",
                        help="controller kind (default lmmse, the engine issue's controller; "
                             "the scenario's own pddpg actor adds its per-slot cost)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    text = SCENARIO.read_text()
    scenario = with_overrides(load_scenario(SCENARIO), num_slots=args.slots)
    scenario = dataclasses.replace(
        scenario, controller=dataclasses.replace(scenario.controller, kind=args.controller))
    assert scenario.run.samples_per_slot == 1024
    wall: dict[str, list[float]] = {"engine": [], "plain loop": []}
    cpu: dict[str, list[float]] = {"engine": [], "plain loop": []}
    blocks = dict.fromkeys(BLOCKS, 0.0)
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1, user_api="blas"):
        warm = with_overrides(scenario, num_slots=5)
        run(warm, text, Path(tmp) / "warm.h5", overwrite=True)     # compile the kernels
        for _ in range(args.repeats):
            for name in wall:
                t0, c0 = time.perf_counter(), time.process_time()
                if name == "engine":
                    run(scenario, text, Path(tmp) / "e.h5", overwrite=True)
                else:
                    plain_loop(scenario, text, Path(tmp) / "p.h5")
                wall[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
        plain_loop(scenario, text, Path(tmp) / "b.h5", blocks)
    n = args.slots
    print(f"{n} slots, best of {args.repeats}, one core, controller {args.controller}")
    print(f"{'':<12}{'wall s':>9}{'slots/s':>9}{'cpu s':>9}{'slots/s':>9}")
    for name in wall:
        w, c = min(wall[name]), min(cpu[name])
        print(f"{name:<12}{w:>9.3f}{n / w:>9.0f}{c:>9.3f}{n / c:>9.0f}")
    print("per block, plain loop, CPU ms/slot: "
          + ", ".join(f"{k} {v / n * 1e3:.3f}" for k, v in blocks.items()))
    cpu_engine, cpu_loop = min(cpu["engine"]), min(cpu["plain loop"])
    print(f"cpu slots_per_s: {n / cpu_engine:.0f} "
          f"overhead: {(cpu_engine - cpu_loop) / cpu_engine:.3f}")
    engine, loop = min(wall["engine"]), min(wall["plain loop"])
    print(f"slots_per_s: {n / engine:.0f} overhead: {(engine - loop) / engine:.3f}")


if __name__ == "__main__":
    main()
