"""What a run leaves behind when it stops early: every slot up to the last flush, incomplete."""

import gc
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from twin.trace import TraceReader

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("num_written", [0, 3, 4, 7, 9, 12])
def test_second_handle_sees_only_flushed_slots(tmp_path, case, make_writer, num_written):
    path = tmp_path / "run.h5"
    writer = make_writer(path, flush_every=4)
    case.write(writer, num_written)
    with TraceReader(path) as reader:
        # Rows reach the file in flushes of flush_every = 4 slots: floor(k / 4) * 4 of them.
        assert reader.num_slots == num_written // 4 * 4
        assert writer.num_flushed_slots == num_written // 4 * 4
        np.testing.assert_array_equal(reader.slots("slot"), np.arange(num_written // 4 * 4))
        assert reader.complete is False
    writer.close()
    with TraceReader(path) as reader:
        assert reader.num_slots == num_written  # close() flushes the rest
        assert reader.complete is True


def test_writer_dropped_without_close_keeps_flushed_slots(tmp_path, case, make_writer):
    path = tmp_path / "run.h5"
    writer = make_writer(path, flush_every=4)
    case.write(writer, 10)
    del writer
    gc.collect()
    with TraceReader(path) as reader:
        # 10 slots written, flushes after slots 4 and 8: 8 rows; the 2 buffered ones are lost.
        assert reader.num_slots == 8
        # Waveforms at slots 0, 3, 6 were buffered before the flush at slot 8 (slot 9's after).
        np.testing.assert_array_equal(reader.waveforms("slot"), [0, 3, 6])
        assert reader.complete is False


def _write_then_fail(case, make_writer, path, num_slots):
    with make_writer(path, flush_every=16) as writer:
        case.write(writer, num_slots)
        raise RuntimeError("simulated engine failure")


def test_exception_in_with_flushes_and_leaves_trace_incomplete(tmp_path, case, make_writer):
    path = tmp_path / "run.h5"
    with pytest.raises(RuntimeError, match="simulated engine failure"):
        _write_then_fail(case, make_writer, path, 5)
    with TraceReader(path) as reader:
        assert reader.complete is False
        # 5 slots < flush_every = 16, so all 5 rows come from the flush in __exit__.
        assert reader.num_slots == 5
        np.testing.assert_array_equal(reader.slots("time_s"), np.arange(5) * 1e-3)
        np.testing.assert_array_equal(reader.waveforms("slot"), [0, 3])


# The child writes slot rows that are a function of the slot number alone, forever, and prints
# the number of committed slots after every flush (flush_every = 2).
_CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    from twin.trace import FieldSpec, TraceWriter

    writer = TraceWriter(
        sys.argv[1], attrs={"scenario_toml": "[system]\\nname = 'x'\\n", "seed": 7},
        slot_fields={"time_s": FieldSpec((), np.float64, "s"),
                     "tx_power_w": FieldSpec((8,), np.float32, "W")},
        waveform_fields={"adc_codes": FieldSpec((4, 512, 2), np.int8, "code")},
        flush_every=2)
    flushed = 0
    slot = 0
    while True:
        writer.write_slot(slot, {"time_s": slot * 1e-3,
                                 "tx_power_w": np.full(8, slot, np.float32)})
        if slot % 3 == 0:
            writer.write_waveforms(slot, {"adc_codes": np.full((4, 512, 2), slot % 100, np.int8)})
        slot += 1
        if writer.num_flushed_slots != flushed:
            flushed = writer.num_flushed_slots
            print(flushed, flush=True)
""")


def test_sigkill_leaves_every_flushed_slot_readable(tmp_path):
    path = tmp_path / "killed.h5"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)], cwd=REPO_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(20.0, child.kill)  # never hang the suite on a stuck child
    watchdog.start()
    try:
        reports = [int(child.stdout.readline() or -1) for _ in range(20)]
        # The child keeps writing while we kill it: the kill lands anywhere, mid-flush included.
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        watchdog.cancel()
        child.stdout.close()
        stderr = child.stderr.read()
        child.stderr.close()
    assert reports[-1] > 0, stderr
    assert child.returncode == -signal.SIGKILL
    last_flushed = reports[-1]
    with TraceReader(path) as reader:
        assert reader.complete is False
        num_slots = reader.num_slots
        # At least every slot the child reported flushed; rows arrive in whole flushes of 2.
        assert num_slots >= last_flushed >= 40
        assert num_slots % 2 == 0
        expected = np.arange(num_slots)  # rows consecutive from slot 0
        np.testing.assert_array_equal(reader.slots("slot"), expected)
        np.testing.assert_array_equal(reader.slots("time_s"), expected * 1e-3)
        np.testing.assert_array_equal(reader.slots("tx_power_w"),
                                      np.repeat(expected[:, None], 8, axis=1).astype(np.float32))
        wave_slots = reader.waveforms("slot")
        np.testing.assert_array_equal(wave_slots, np.arange(reader.num_waveforms) * 3)
        # Waveforms flush with the slot rows: all those written before the flush that
        # write_slot(last_flushed - 1) triggered, i.e. slots 0, 3, ... below last_flushed - 1.
        assert reader.num_waveforms >= -(-(last_flushed - 1) // 3)
        codes = reader.waveforms("adc_codes")
        np.testing.assert_array_equal(codes[:, 0, 0, 0], (wave_slots % 100).astype(np.int8))
        assert np.all(codes == codes[:, :1, :1, :1])
