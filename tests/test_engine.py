"""The slot engine: order of events, CSI delay, determinism, and what a killed run leaves."""

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tests.systems.conftest import variant
from twin.config import load_scenario
from twin.control.baselines import make_controller
from twin.engine import run
from twin.trace.reader import TraceReader

ROOT = Path(__file__).resolve().parents[1]


def _small(path="noma_uplink.toml", **changes):
    s = load_scenario(ROOT / "scenarios" / path)
    s = variant(s, run__num_slots=12, run__samples_per_slot=256, trace__waveform_every=4,
                trace__flush_every=4, **changes)
    return s, (ROOT / "scenarios" / path).read_text()


def _datasets(path):
    with TraceReader(path) as r:
        return r.slots(), r.waveforms(), r.attrs


@pytest.mark.parametrize("scenario", ["noma_uplink.toml", "full_duplex.toml"])
def test_same_seed_gives_a_bit_identical_trace(tmp_path, scenario):
    s, text = _small(scenario, mobility__model="constant_velocity", mobility__speed_mps=10.0)
    a, b = run(s, text, tmp_path / "a.h5"), run(s, text, tmp_path / "b.h5")
    (sa, wa, attrs_a), (sb, wb, attrs_b) = _datasets(a), _datasets(b)
    assert sa.keys() == sb.keys()
    assert wa.keys() == wb.keys()
    for name in sa:
        np.testing.assert_array_equal(sa[name], sb[name], err_msg=name)
    for name in wa:
        np.testing.assert_array_equal(wa[name], wb[name], err_msg=name)
    assert attrs_a["complete"]
    assert attrs_a["scenario_toml"] == attrs_b["scenario_toml"] == text
    assert attrs_a["seed"] == attrs_b["seed"]


def test_another_seed_gives_another_trace(tmp_path):
    s, text = _small()
    a = run(s, text, tmp_path / "a.h5")
    b = run(variant(s, run__seed=s.run.seed + 1), text, tmp_path / "b.h5")
    assert not np.array_equal(_datasets(a)[0]["rate_measured_bps_hz"],
                              _datasets(b)[0]["rate_measured_bps_hz"])


class _Spy:
    """Records which snapshot the controller saw at each slot, then delegates."""

    def __init__(self, inner):
        self.inner, self.seen = inner, []

    def act(self, obs):
        self.seen.append((obs.slot, obs.snapshot.slot, obs.last_metrics is not None))
        return self.inner.act(obs)


@pytest.mark.parametrize("delay", [0, 3])
def test_controller_acts_on_csi_delay_slots_old(tmp_path, delay):
    s, text = _small(channel__csi_delay_slots=delay)
    spy = _Spy(make_controller(s, np.random.default_rng(0)))
    run(s, text, tmp_path / "t.h5", controller=spy)
    slots = [slot for slot, _, _ in spy.seen]
    assert slots == list(range(12))
    # World before controller: at slot t the freshest snapshot is t's, so with delay d the
    # controller sees max(0, t - d); the recorder ran for slot t - 1 before slot t's controller.
    assert [snap for _, snap, _ in spy.seen] == [max(0, t - delay) for t in range(12)]
    assert [had for _, _, had in spy.seen] == [t > 0 for t in range(12)]


def test_time_axis_and_slot_index(tmp_path):
    s, text = _small()
    slots, waveforms, _ = _datasets(run(s, text, tmp_path / "t.h5"))
    np.testing.assert_array_equal(slots["slot"], np.arange(12))
    np.testing.assert_allclose(slots["time_s"], np.arange(12) * s.run.slot_s, rtol=1e-15)
    np.testing.assert_array_equal(waveforms["slot"], [0, 4, 8])
    assert waveforms["adc_codes"].dtype == np.int8  # 7-bit ADC words


def test_a_killed_run_leaves_a_readable_trace(tmp_path):
    trace = tmp_path / "killed.h5"
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from tests.systems.conftest import variant
        from twin.config import load_scenario
        from twin.engine import run
        path = Path({str(ROOT / "scenarios" / "noma_uplink.toml")!r})
        s = variant(load_scenario(path), run__num_slots=100000, run__samples_per_slot=128,
                    trace__flush_every=5, trace__waveform_every=0)
        def tell(slot):
            print(slot, flush=True)
        run(s, path.read_text(), Path({str(trace)!r}), on_slot=tell)
    """)
    with subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True) as proc:
        try:
            for line in proc.stdout:
                if int(line) >= 42:
                    break
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    with TraceReader(trace) as r:
        assert not r.complete
        # Flushes every 5 slots: slots 0..39 were flushed before slot 42 was recorded.
        assert r.num_slots >= 40
        np.testing.assert_array_equal(r.slots("slot"), np.arange(r.num_slots))


def test_mobility_scenario_moves_users_and_fading(tmp_path):
    s, text = _small("mobility_3p5ghz.toml")
    s = dataclasses.replace(s, run=dataclasses.replace(s.run, num_slots=40))
    slots, _, _ = _datasets(run(s, text, tmp_path / "m.h5"))
    moved = np.linalg.norm(slots["positions_m"][-1] - slots["positions_m"][0], axis=-1)
    # 39 slots of 5 ms: pedestrians move up to 0.27 m, cars up to 2.9 m (random waypoint
    # turns may shorten it).
    assert np.all(moved[3:] > 0.5)
    assert np.all(moved < 3.0)
    assert np.std(slots["sinr_measured_db"][:, 3:], axis=0).min() > 0.1  # fading moves


def test_cli_run_and_replay(tmp_path, capsys):
    from twin.cli import main

    trace = tmp_path / "cli.h5"
    assert main(["run", str(ROOT / "scenarios" / "full_duplex.toml"), "--slots", "6",
                 "--out", str(trace)]) == 0
    out = capsys.readouterr().out
    for part in ("DL1", "UL4", "mean EE, measured", "trace:"):
        assert part in out
    assert main(["replay", str(trace), "--reprocess", "--plots", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "reprocessed" in out
    assert len(list((tmp_path / "p").glob("*.png"))) == 5
    # --out exists: refuse without --force, one line, exit 2
    assert main(["run", "--slots", "2", "--out", str(trace)]) == 2


def test_run_reproduces_measured_rates_from_codes(tmp_path):
    from twin.replay.reprocess import reprocess

    s, text = _small()
    with TraceReader(run(s, text, tmp_path / "t.h5")) as r:
        rep = reprocess(r)
    # Same codes, same back end, same arithmetic: equal to float64 round-off.
    np.testing.assert_allclose(rep.rate_reprocessed, rep.rate_recorded, rtol=0, atol=1e-12)


def test_broken_scenario_exits_two_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nsystem = "full_duplex"\n[full_duplex]\nkappa_a_db = 10\n')
    res = subprocess.run([sys.executable, "-m", "twin", "run", str(bad)], capture_output=True,
                         text=True, check=False, cwd=ROOT)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        f"twin: error: {bad}: full_duplex.kappa_a_db: must be <= 0, got 10.0"]


def test_gpi_controller_runs_in_the_engine_and_records_its_iterations(tmp_path):
    s, text = _small("full_duplex.toml", controller__kind="gpi")
    slots, _, _ = _datasets(run(s, text, tmp_path / "gpi.h5"))
    iters = slots["controller_iterations"]                  # [slots, (outer, inner)]
    assert iters.shape == (12, 2)
    assert np.all(iters >= 1)
    # Static users and channel: slot 0 converges from RZF; later slots warm-start from it and
    # need at most as many inner iterations (tests/control measured (1, 1) when nothing moved).
    assert np.all(iters[1:, 1] <= iters[0, 1])


def test_gpi_is_refused_for_the_uplink_system():
    from twin.config import TwinConfigError, parse_scenario

    with pytest.raises(TwinConfigError, match=r"x\.toml: controller\.kind: .gpi. is seed 004"):
        parse_scenario('name = "x"\nsystem = "noma_uplink"\n[noma_uplink]\n'
                       '[controller]\nkind = "gpi"\n', "x.toml")
