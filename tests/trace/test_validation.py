"""Bad input to the writer and bad files given to the reader fail loudly, naming what was wrong."""

import re

import numpy as np
import pytest

import twin.trace.writer as writer_module
from twin.trace import FieldSpec, TraceReader, TraceWriter


@pytest.fixture
def writer(tmp_path, make_writer):
    with make_writer(tmp_path / "run.h5") as w:
        yield w


def test_slot_going_backwards_is_refused(writer, case):
    writer.write_slot(4, case.slot_row(4))
    with pytest.raises(ValueError, match=r"slot 3 after slot 4; slot numbers must strictly"):
        writer.write_slot(3, case.slot_row(3))


def test_repeated_slot_is_refused(writer, case):
    writer.write_slot(4, case.slot_row(4))
    with pytest.raises(ValueError, match=r"slot 4 after slot 4"):
        writer.write_slot(4, case.slot_row(4))


def test_waveform_slot_going_backwards_is_refused(writer, case):
    writer.write_waveforms(6, case.waveform_row(6))
    with pytest.raises(ValueError, match=r"waveforms: slot 3 after slot 6"):
        writer.write_waveforms(3, case.waveform_row(3))


def test_unknown_field_is_refused(writer, case):
    row = {**case.slot_row(0), "speed_mps": 3.0}
    with pytest.raises(ValueError, match=r"unknown fields \['speed_mps'\]"):
        writer.write_slot(0, row)


def test_missing_field_is_refused(writer, case):
    row = case.slot_row(0)
    del row["positions_m"]
    with pytest.raises(ValueError, match=r"missing fields \['positions_m'\]"):
        writer.write_slot(0, row)


def test_wrong_shape_names_field_expected_and_got(writer, case):
    row = {**case.slot_row(0), "sinr_aqnm_db": np.zeros(3, np.float32)}
    # Expected shape (NUM_USERS,) = (2,) from conftest.case.
    with pytest.raises(ValueError, match=re.escape("slots/sinr_aqnm_db: expected shape (2,), "
                                                   "got (3,)")):
        writer.write_slot(0, row)


def test_rejected_row_buffers_nothing(tmp_path, case, make_writer):
    path = tmp_path / "run.h5"
    with make_writer(path) as w:
        w.write_slot(0, case.slot_row(0))
        with pytest.raises(ValueError, match="expected shape"):
            w.write_slot(1, {**case.slot_row(1), "agc_codes": np.zeros(3, np.int8)})
        w.write_slot(1, case.slot_row(1))  # slot 1 is still free: the bad row left no trace
    with TraceReader(path) as reader:
        np.testing.assert_array_equal(reader.slots("slot"), [0, 1])


def test_float_into_integer_codes_is_refused(writer, case):
    row = {**case.slot_row(0), "agc_codes": np.full((4, 2), 1.5)}
    with pytest.raises(ValueError, match=r"slots/agc_codes: cannot store float64 values as int8"):
        writer.write_slot(0, row)


def test_codes_out_of_range_are_refused(writer, case):
    row = {**case.slot_row(0), "agc_codes": np.full((4, 2), 200)}  # int8 holds -128..127
    with pytest.raises(ValueError, match=r"values 200..200 do not fit in int8 \(-128..127\)"):
        writer.write_slot(0, row)


def test_writing_after_close_is_refused(tmp_path, case, make_writer):
    w = make_writer(tmp_path / "run.h5")
    w.close()
    assert w.closed
    with pytest.raises(ValueError, match=r"run.h5 is closed"):
        w.write_slot(0, case.slot_row(0))


def test_existing_path_is_refused_without_overwrite(tmp_path, make_writer):
    path = tmp_path / "run.h5"
    path.write_bytes(b"earlier results")
    with pytest.raises(ValueError, match=r"exists; pass overwrite=True"):
        make_writer(path)
    assert path.read_bytes() == b"earlier results"  # untouched


def test_overwrite_replaces_existing_file(tmp_path, case, make_writer):
    path = tmp_path / "run.h5"
    path.write_bytes(b"earlier results")
    with make_writer(path, overwrite=True) as w:
        w.write_slot(0, case.slot_row(0))
    with TraceReader(path) as reader:
        assert reader.num_slots == 1  # the one slot written above, none of the old bytes
        assert reader.complete is True


@pytest.mark.parametrize(("attrs", "message"), [
    ({"complete": True}, "'complete' is set by the trace writer"),
    ({"schema_version": 3}, "'schema_version' is set by the trace writer"),
    ({"seed": None}, "'seed' must be str, bool, int, float or list"),
    ({"links": ["a", 1]}, "'links': a list must hold only strings or only numbers"),
    ({"seed": 2**64}, "does not fit in int64"),
])
def test_bad_attrs_are_refused_before_the_file_is_made(tmp_path, case, attrs, message):
    path = tmp_path / "run.h5"
    with pytest.raises(ValueError, match=re.escape(message)):
        TraceWriter(path, attrs=attrs, slot_fields=case.slot_fields,
                    waveform_fields=case.waveform_fields)
    assert not path.exists()


@pytest.mark.parametrize(("slot_fields", "waveform_fields", "message"), [
    ({"slot": FieldSpec((), np.int64, "1")}, {}, "'slot' is reserved"),
    ({"a/b": FieldSpec((), np.float64, "1")}, {}, "field name must be a letter"),
    ({"time_s": FieldSpec((), np.float32, "s")}, {}, "slots/time_s must be float64"),
    ({"x_w": FieldSpec((), np.float64, "W")}, {"x_w": FieldSpec((), np.float64, "W")},
     "used in both slots/ and waveforms/: x_w"),
    ({"x_w": (3,)}, {}, "slots/x_w: expected a FieldSpec"),
])
def test_bad_fields_are_refused(tmp_path, slot_fields, waveform_fields, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        TraceWriter(tmp_path / "run.h5", attrs={}, slot_fields=slot_fields,
                    waveform_fields=waveform_fields)


@pytest.mark.parametrize(("shape", "dtype", "unit", "message"), [
    ((0, 2), np.float64, "W", "shape must be a tuple of ints >= 1"),
    ((2,), np.str_, "1", "dtype must be bool, integer, float or complex"),
    ((2,), np.float64, "", "unit must be a non-empty string"),
])
def test_bad_field_spec_is_refused(shape, dtype, unit, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        FieldSpec(shape, dtype, unit)


def test_field_spec_normalizes_shape_and_dtype():
    spec = FieldSpec([4, 2], "i1", "code")
    assert spec.shape == (4, 2)
    assert spec.dtype == np.dtype(np.int8)
    assert spec.row_bytes == 8  # 4 * 2 elements of 1 byte


def test_reader_refuses_missing_file(tmp_path):
    with pytest.raises(ValueError, match=r"trace file .*nowhere.h5 does not exist"):
        TraceReader(tmp_path / "nowhere.h5")


def test_reader_refuses_non_hdf5_file(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("not HDF5\n")
    with pytest.raises(ValueError, match=r"trace file .*notes.h5 is not an HDF5 file"):
        TraceReader(path)


def test_reader_refuses_newer_schema(tmp_path, case, make_writer, monkeypatch):
    path = tmp_path / "future.h5"
    monkeypatch.setattr(writer_module, "SCHEMA_VERSION", 2)  # a writer from the future
    make_writer(path).close()
    with pytest.raises(ValueError, match=r"future.h5 has schema_version 2, newer than 1"):
        TraceReader(path)


def test_reader_refuses_hdf5_file_that_is_not_a_trace(tmp_path):
    import h5py

    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(ValueError, match=r"other.h5 is not a twin trace"):
        TraceReader(path)


def test_reader_without_with_reads_until_closed(tmp_path, case, make_writer):
    path = tmp_path / "run.h5"
    with make_writer(path) as w:
        case.write(w, 2)
    reader = TraceReader(path)
    np.testing.assert_array_equal(reader.slots("slot"), [0, 1])  # the 2 slots written
    reader.close()
    with pytest.raises(ValueError, match=r"run.h5 is closed"):
        reader.slots("slot")


def test_reader_refuses_unknown_field(tmp_path, case, make_writer):
    path = tmp_path / "run.h5"
    make_writer(path).close()
    with TraceReader(path) as reader, pytest.raises(ValueError, match=r"no slots field 'x_w'"):
        reader.slots("x_w")
