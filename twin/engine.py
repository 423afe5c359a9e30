"""The slot engine: SimPy owns time; the world, the controller, the link and the recorder act
once per slot, in that order.

SimPy time is the integer slot index and ``time_s = slot * slot_s``. Events due at the same time
run in the order they were scheduled (SimPy's FIFO for equal times), and the four processes are
started in data-flow order, so each slot runs world -> controller -> link -> recorder.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import simpy
from threadpoolctl import threadpool_limits

from twin import __version__
from twin.config import Scenario
from twin.control.base import Controller, Observation
from twin.control.baselines import make_controller
from twin.rng import stream
from twin.systems.fields import unit_of
from twin.systems.full_duplex import FullDuplexSystem
from twin.systems.noma_uplink import NomaUplinkSystem
from twin.systems.slot import SlotResult
from twin.trace.schema import FieldSpec
from twin.trace.writer import TraceWriter
from twin.world.world import FullDuplexWorld, NomaWorld


def build_system(scenario: Scenario):
    """The scenario's system (its blocks and closed forms)."""
    if scenario.system == "noma_uplink":
        return NomaUplinkSystem.build(scenario)
    return FullDuplexSystem.build(scenario)


def build_world(scenario: Scenario, rng: np.random.Generator):
    """The scenario's world (geometry, mobility, fading)."""
    cls = NomaWorld if scenario.system == "noma_uplink" else FullDuplexWorld
    return cls(scenario.system_config, scenario.mobility, scenario.channel, scenario.run.slot_s,
               rng)


@dataclass
class SlotState:
    """What the processes hand each other within a slot (mutable: this is the engine's state)."""

    snapshots: deque = field(default_factory=deque)
    action: Any = None
    result: SlotResult | None = None
    last_metrics: dict[str, np.ndarray] | None = None


@dataclass
class Recorder:
    """Buffers slot results into a :class:`TraceWriter`, created at the first slot."""

    path: Path
    attrs: dict[str, Any]
    waveform_every: int
    flush_every: int
    overwrite: bool
    writer: TraceWriter | None = None

    def record(self, slot: int, time_s: float, result: SlotResult) -> None:
        metrics = {"time_s": np.float64(time_s), **result.metrics}
        keep_waveforms = self.waveform_every and slot % self.waveform_every == 0
        if self.writer is None:
            self.writer = TraceWriter(
                self.path, attrs=self.attrs, slot_fields=_specs(metrics),
                waveform_fields=_specs(result.waveforms) if self.waveform_every else {},
                flush_every=self.flush_every, overwrite=self.overwrite)
        self.writer.write_slot(slot, metrics)
        if keep_waveforms:
            self.writer.write_waveforms(slot, result.waveforms)


def _specs(values: dict[str, np.ndarray]) -> dict[str, FieldSpec]:
    return {k: FieldSpec(np.shape(v), np.asarray(v).dtype, unit_of(k)) for k, v in values.items()}


def trace_attrs(scenario: Scenario, scenario_toml: str, system) -> dict[str, Any]:
    """Root attributes of a run's trace."""
    return {"twin_version": __version__, "scenario_toml": scenario_toml,
            "seed": scenario.run.seed, "system": scenario.system, "name": scenario.name,
            "user_links": list(system.user_links), "slot_s": scenario.run.slot_s,
            "samples_per_slot": scenario.run.samples_per_slot}


def run(scenario: Scenario, scenario_toml: str, out_path: Path, *, overwrite: bool = False,
        on_slot: Callable[[int], None] | None = None,
        controller: Controller | None = None) -> Path:
    """Simulate ``scenario.run.num_slots`` slots and write the trace to ``out_path``.

    Same scenario (text and seed) -> bit-identical trace datasets. ``controller`` replaces the
    scenario's ``[controller]`` (e.g. a trained agent); it must act deterministically for a seed.
    """
    system = build_system(scenario)
    world = build_world(scenario, stream(scenario.run.seed, "world"))
    if controller is None:
        controller = make_controller(scenario, stream(scenario.run.seed, "controller"))
    link_rng = stream(scenario.run.seed, "link")
    recorder = Recorder(Path(out_path), trace_attrs(scenario, scenario_toml, system),
                        scenario.trace.waveform_every, scenario.trace.flush_every, overwrite)
    delay = scenario.channel.csi_delay_slots
    state = SlotState(snapshots=deque(maxlen=delay + 1))
    env = simpy.Environment()

    def world_process():
        while True:
            state.snapshots.append(world.step())
            yield env.timeout(1)

    def controller_process():
        while True:
            slot = int(env.now)
            # The oldest snapshot kept is `delay` slots old (or slot 0's, early in the run).
            state.action = controller.act(Observation(slot, state.snapshots[0],
                                                      state.last_metrics))
            yield env.timeout(1)

    def link_process():
        while True:
            state.result = system.run_slot(state.snapshots[-1], state.action, link_rng)
            if hasattr(controller, "last_iterations"):  # iterative controllers (GPI)
                state.result.metrics["controller_iterations"] = np.asarray(
                    controller.last_iterations, dtype=np.int64)
            yield env.timeout(1)

    def recorder_process():
        while True:
            slot = int(env.now)
            recorder.record(slot, slot * scenario.run.slot_s, state.result)
            state.last_metrics = state.result.metrics
            if on_slot is not None:
                on_slot(slot)
            yield env.timeout(1)

    for process in (world_process, controller_process, link_process, recorder_process):
        env.process(process())
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            env.run(until=scenario.run.num_slots)
    except BaseException as exc:
        # Keep every slot simulated so far, and leave the trace marked incomplete.
        if recorder.writer is not None:
            recorder.writer.__exit__(type(exc), exc, exc.__traceback__)
        raise
    recorder.writer.close()
    return Path(out_path)


def with_overrides(scenario: Scenario, *, num_slots: int | None = None,
                   seed: int | None = None) -> Scenario:
    """The scenario with the CLI's ``--slots`` / ``--seed`` applied."""
    run_cfg = scenario.run
    if num_slots is not None:
        run_cfg = dataclasses.replace(run_cfg, num_slots=num_slots)
    if seed is not None:
        run_cfg = dataclasses.replace(run_cfg, seed=seed)
    return dataclasses.replace(scenario, run=run_cfg)
