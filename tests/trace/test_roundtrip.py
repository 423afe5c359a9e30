"""A closed trace reads back bit-identically, with units, attributes and its layout."""

import hashlib
import time

import h5py
import numpy as np
import pytest

from twin.trace import SCHEMA_VERSION, FieldSpec, TraceReader
from twin.trace.writer import chunk_shape

NUM_SLOTS = 40


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.fixture
def trace_path(tmp_path, case, make_writer):
    path = tmp_path / "run.h5"
    with make_writer(path, flush_every=7) as writer:
        case.write(writer, NUM_SLOTS)
    return path


def test_slot_fields_read_back_bit_identical(trace_path, case):
    with TraceReader(trace_path) as reader:
        assert reader.num_slots == NUM_SLOTS
        assert reader.slot_fields == tuple(sorted(case.slot_fields))
        columns = reader.slots()
        # Expected rows: the generator of conftest.TraceCase.slot_row, slot by slot.
        np.testing.assert_array_equal(columns["slot"], np.arange(NUM_SLOTS))
        for name, spec in case.slot_fields.items():
            expected = np.stack([np.asarray(case.slot_row(s)[name], spec.dtype)
                                 for s in range(NUM_SLOTS)])
            assert _same_bits(columns[name], expected), name
            assert _same_bits(reader.slots(name), expected), name


def test_nan_and_negative_zero_survive(trace_path):
    with TraceReader(trace_path) as reader:
        sinr_db = reader.slots("sinr_aqnm_db")
    # conftest.TraceCase.slot_row writes [nan, -0.0] at slot 5.
    assert np.isnan(sinr_db[5, 0])
    assert sinr_db[5, 1] == 0.0
    assert np.signbit(sinr_db[5, 1])


def test_waveforms_every_third_slot_read_back_bit_identical(trace_path, case):
    slots = np.arange(0, NUM_SLOTS, 3)  # waveform_every = 3: slots 0, 3, ..., 39 (14 rows)
    with TraceReader(trace_path) as reader:
        assert reader.num_waveforms == 14
        assert reader.waveform_fields == tuple(sorted(case.waveform_fields))
        np.testing.assert_array_equal(reader.waveforms("slot"), slots)
        for name, spec in case.waveform_fields.items():
            expected = np.stack([np.asarray(case.waveform_row(s)[name], spec.dtype)
                                 for s in slots])
            assert _same_bits(reader.waveforms(name), expected), name


def test_closed_trace_is_complete_with_schema_version(trace_path):
    with TraceReader(trace_path) as reader:
        assert reader.complete is True
        assert reader.schema_version == SCHEMA_VERSION == 1


def test_attrs_round_trip(trace_path, case):
    with TraceReader(trace_path) as reader:
        attrs = reader.attrs
        toml = reader.scenario_toml
    # Expected: the caller's attrs (conftest.case) plus the two the writer owns.
    assert attrs == {**case.attrs, "schema_version": 1, "complete": True}
    assert toml == case.attrs["scenario_toml"]
    assert toml.count("\n") == 7
    assert type(attrs["seed"]) is int
    assert type(attrs["aqnm"]) is bool


def test_units_of_every_dataset(trace_path, case):
    expected = {name: spec.unit for name, spec in {**case.slot_fields,
                                                   **case.waveform_fields}.items()}
    expected["slot"] = "1"  # the writer's slot index is a dimensionless count
    with TraceReader(trace_path) as reader:
        assert reader.units == expected
    # Independently of the reader: walk the file, every dataset has its unit attribute.
    found = {}

    def collect(name, obj):  # returns None, so visititems walks on
        if isinstance(obj, h5py.Dataset):
            found[name] = obj.attrs.get("unit")

    with h5py.File(trace_path, "r") as f:
        f.visititems(collect)
    assert len(found) == len(case.slot_fields) + len(case.waveform_fields) + 2
    assert all(found[name] == expected[name.split("/")[1]] for name in found)


def test_datasets_are_extendible_chunked_and_compressed(trace_path, case):
    with h5py.File(trace_path, "r") as f:
        for group, fields in (("slots", case.slot_fields), ("waveforms", case.waveform_fields)):
            for name, spec in fields.items():
                dataset = f[group][name]
                assert dataset.maxshape == (None, *spec.shape)
                if group == "slots":
                    assert (dataset.compression, dataset.compression_opts) == ("gzip", 4)
                elif np.dtype(spec.dtype).kind in "iu":  # waveform codes: bit packing
                    assert (dataset.compression, dataset.scaleoffset) == (None, 0)
                else:  # noise-like waveform samples: stored raw (writer._create_dataset)
                    assert dataset.compression is None
        # The writer flushed every 7 slots: slot chunks are 7 rows, waveform chunks 1 row.
        assert f["slots/positions_m"].chunks == (7, 2, 3)
        assert f["slots/slot"].chunks == (7,)
        assert f["waveforms/adc_codes"].chunks == (1, 4, 32, 2)
        assert f["waveforms/slot"].chunks == (1,)
        assert f["slots/time_s"].dtype == np.float64
        assert f["slots/slot"].dtype == np.int64


def test_slot_chunks_hold_one_flush():
    # writer.chunk_shape: the largest divisor of rows_per_flush within 64 KiB and 256 rows.
    # 8 B rows, flush_every 16: one flush of 16 rows per chunk.
    assert chunk_shape(FieldSpec((), np.float64, "s"), 16) == (16,)
    # 16 KiB rows (2 users x 1024 samples x complex64): 4 rows fit in 64 KiB, 4 divides 16.
    assert chunk_shape(FieldSpec((2, 1024), np.complex64, "1"), 16) == (4, 2, 1024)
    # 16 KiB rows, flush_every 6: 4 rows fit, the largest divisor of 6 not above 4 is 3.
    assert chunk_shape(FieldSpec((2, 1024), np.complex64, "1"), 6) == (3, 2, 1024)
    # 8 B rows, flush_every 1024: capped at 256 rows, which divides 1024.
    assert chunk_shape(FieldSpec((), np.float64, "s"), 1024) == (256,)


def test_waveform_chunks_hold_one_row():
    # Waveforms flush a varying number of rows, so a snapshot gets its own chunk (128 KiB here).
    assert chunk_shape(FieldSpec((64, 1024, 2), np.int8, "code"), 1) == (1, 64, 1024, 2)


def test_same_data_gives_byte_identical_files(tmp_path, case, make_writer):
    digests = []
    for name in ("a.h5", "b.h5"):
        if digests:
            # Cross a wall-clock second between the two files: HDF5 object timestamps have
            # one-second resolution, so equal digests show that no timestamp was stored.
            time.sleep(1.02 - time.time() % 1.0)
        with make_writer(tmp_path / name, flush_every=5) as writer:
            case.write(writer, 23)
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]
