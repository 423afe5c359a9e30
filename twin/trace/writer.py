"""Write a trace: buffer slot rows in memory, append them to HDF5 in one resize per flush.

Layout and habits follow the MDAnalysis H5MD writer: every dataset is created empty and
extendible along its first (slot) axis, chunked for reading a time series back, and gets its
``unit`` attribute from one helper (:func:`_create_dataset`); slot numbers must increase. Unlike
that writer, rows are not appended one at a time: they are buffered, and each flush resizes every
dataset once and fills whole chunks (:func:`chunk_shape`).

Crash consistency. The file is opened with ``libver="latest"`` and switched to SWMR (single
writer, multiple readers) mode once its datasets exist. In SWMR mode HDF5 orders its metadata
writes so that the file on disk is consistent at any moment, so a writer killed by SIGKILL, even
in the middle of a flush, leaves a file that opens (with ``swmr=True``; :class:`TraceReader` does
this). A flush is a two-phase commit: (1) append the rows of every field, ``h5file.flush()``;
(2) append the slot numbers to the ``slot`` index datasets, ``h5file.flush()``. The index is
the commit record: its rows are only on disk once the field rows they index are, and its fill
value -1 marks rows that were allocated but never written. A reader trusts only the valid
prefix of the index.

Measured with h5py 3.16 / HDF5 2.0 (kill at random moments): without SWMR, a default-format file
killed mid-write failed to read back in 5 of 15 trials (a corrupt compressed chunk); a
``libver="latest"`` file without SWMR never reopened (0 of 30: its superblock stays marked
"open for write"). With SWMR and the commit above, 150 kills at random moments (flush_every 2,
4 and 16) and 59 kills placed before each HDF5 call of the first five flushes all read back with
every committed row intact (``tests/trace/test_crash.py`` keeps one such kill in the suite).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import h5py
import numpy as np

from twin.trace.schema import (
    SCHEMA_VERSION,
    SLOT_INDEX,
    SLOT_INDEX_SPEC,
    SLOTS_GROUP,
    WAVEFORMS_GROUP,
    FieldSpec,
    check_attrs,
    check_fields,
)

MAX_CHUNK_ROWS = 256
"""Rows per chunk at most."""
CHUNK_BYTES = 64 << 10
"""Chunk size at most (64 KiB) unless a single row is larger."""
GZIP_LEVEL = 4


def chunk_shape(spec: FieldSpec, rows_per_flush: int) -> tuple[int, ...]:
    """Chunk shape of a field: ``(rows, *spec.shape)``, whole rows, one flush's worth at most.

    ``rows`` is the largest divisor of ``rows_per_flush`` that keeps the chunk within
    ``CHUNK_BYTES`` and ``MAX_CHUNK_ROWS`` (at least 1), so a time series is read back in chunks
    of consecutive slots of one field, and every flush of ``rows_per_flush`` rows fills whole
    chunks, each compressed and written once.

    Parameters
    ----------
    spec : FieldSpec
        The field.
    rows_per_flush : int
        Rows one flush appends: ``flush_every`` for ``slots/``, 1 for ``waveforms/`` (whose
        rows per flush vary, so a snapshot gets a chunk of its own).

    Notes
    -----
    Why not longer chunks: under SWMR, HDF5 never reuses the file space of a chunk it rewrites.
    A 256-row compressed chunk appended 16 rows at a time is recompressed and reallocated 16
    times; measured on 20 000 slots of Gaussian values rounded to 0.01, that made the file 5.7
    times the size of its data (and 2.4 times slower to write) against 0.7 times with chunks of
    one flush. Reading a 20 000-slot time series back
    cost 1.35 times as long with 16-row chunks as with 256-row ones.
    """
    cap = max(1, min(MAX_CHUNK_ROWS, CHUNK_BYTES // spec.row_bytes))
    rows = max(d for d in range(1, min(cap, rows_per_flush) + 1) if rows_per_flush % d == 0)
    return (rows, *spec.shape)


def _set_unit(dataset: h5py.Dataset, unit: str) -> None:
    """The one place where a trace dataset gets its ``unit`` attribute."""
    dataset.attrs["unit"] = unit


def _create_dataset(group: h5py.Group, name: str, spec: FieldSpec, rows_per_flush: int,
                    fillvalue: int | float | None = None, *,
                    bulk: bool = False) -> h5py.Dataset:
    """Create an empty dataset ``[0, *spec.shape]``, extendible along axis 0, with its unit.

    Chunks from :func:`chunk_shape`; gzip level 4 with the byte shuffle filter (integer codes
    and slowly varying floats compress well). ``bulk`` datasets (waveforms) take HDF5's
    scale-offset filter with automatic bit width for integer codes (lossless bit packing: a b-bit
    code in an int8 keeps about b bits) and no compression for floats: noise-like samples do not
    compress, and gzip spent 6 ms per 240 KiB row to save 17 % (measured), more than the rest of a
    slot. Measured on one 80 KiB row of DAC codes: lzf + shuffle took 3.6 ms to write and flush
    and kept 100 % / 72 % / 54 % of 7 / 3 / 1-bit codes; scale-offset 1.5-2.6 ms and 100 % / 50 % /
    12.5 %.
    ``track_times=False`` keeps timestamps out, so equal data give byte-identical files.
    """
    compression: dict[str, Any] = {"compression": "gzip", "compression_opts": GZIP_LEVEL,
                                   "shuffle": True}
    if bulk:
        compression = {"scaleoffset": 0} if spec.dtype.kind in "iu" else {}
    dataset = group.create_dataset(
        name, shape=(0, *spec.shape), maxshape=(None, *spec.shape), dtype=spec.dtype,
        chunks=chunk_shape(spec, rows_per_flush), fillvalue=fillvalue, track_times=False,
        **compression)
    _set_unit(dataset, spec.unit)
    return dataset


class _Stream:
    """The datasets of one group (``slots/`` or ``waveforms/``) and the rows buffered for them."""

    def __init__(self, group: h5py.Group, fields: Mapping[str, FieldSpec],
                 rows_per_flush: int, *, bulk: bool = False) -> None:
        self.name = group.name.lstrip("/")
        self.fields = dict(fields)
        self.datasets = {name: _create_dataset(group, name, spec, rows_per_flush, bulk=bulk)
                         for name, spec in self.fields.items()}
        # Fill value -1: an index row allocated but never written reads as "no slot".
        self.index = _create_dataset(group, SLOT_INDEX, SLOT_INDEX_SPEC, rows_per_flush,
                                     fillvalue=-1)
        self.pending_slots: list[int] = []
        self.pending_rows: dict[str, list[np.ndarray]] = {name: [] for name in self.fields}
        self.last_slot: int | None = None
        self.num_rows = 0  # rows committed to the file

    def append(self, slot: int, values: Mapping[str, Any]) -> None:
        """Validate one row completely, then buffer a copy of it (all or nothing)."""
        slot = self._check_slot(slot)
        if not isinstance(values, Mapping):
            raise ValueError(f"{self.name}: values must be a dict of field name -> array, "
                             f"got {type(values).__name__}")
        missing = sorted(set(self.fields) - set(values))
        unknown = sorted(set(values) - set(self.fields))
        if missing or unknown:
            raise ValueError(f"{self.name} row for slot {slot}: "
                             f"missing fields {missing}, unknown fields {unknown}; "
                             f"expected exactly {sorted(self.fields)}")
        row = {name: _cast_row(f"{self.name}/{name}", values[name], spec)
               for name, spec in self.fields.items()}
        for name, value in row.items():
            self.pending_rows[name].append(value)
        self.pending_slots.append(slot)
        self.last_slot = slot

    def _check_slot(self, slot: int) -> int:
        if isinstance(slot, bool | np.bool_) or not isinstance(slot, int | np.integer):
            raise ValueError(f"{self.name}: slot must be an int, got {slot!r}")
        slot = int(slot)
        if slot < 0:
            raise ValueError(f"{self.name}: slot must be >= 0, got {slot}")
        if self.last_slot is not None and slot <= self.last_slot:
            raise ValueError(f"{self.name}: slot {slot} after slot {self.last_slot}; "
                             f"slot numbers must strictly increase")
        return slot

    def write_fields(self) -> None:
        """Commit phase 1: append the buffered rows of every field (one resize each)."""
        start = self.num_rows
        for name, dataset in self.datasets.items():
            _append_rows(dataset, start, np.stack(self.pending_rows[name]))

    def write_index(self) -> None:
        """Commit phase 2: append the slot numbers, which makes the rows visible to readers."""
        start, count = self.num_rows, len(self.pending_slots)
        _append_rows(self.index, start, np.asarray(self.pending_slots, dtype=np.int64))
        self.num_rows += count
        self.pending_slots.clear()
        for rows in self.pending_rows.values():
            rows.clear()


def _append_rows(dataset: h5py.Dataset, start: int, rows: np.ndarray) -> None:
    """Grow ``dataset`` to ``start + len(rows)`` rows and write ``rows`` at ``start``.

    NOTE: HDF5's own calls (set_extent, a hyperslab write) instead of ``resize`` and slice
    assignment: h5py's selection machinery cost more than the write itself for these
    small rows, ~0.1 ms per dataset and flush.
    """
    dsid = dataset.id
    dsid.set_extent((start + rows.shape[0], *rows.shape[1:]))
    file_space = dsid.get_space()
    file_space.select_hyperslab((start,) + (0,) * (rows.ndim - 1), rows.shape)
    dsid.write(h5py.h5s.create_simple(rows.shape), file_space, np.ascontiguousarray(rows))


def _cast_row(label: str, value: Any, spec: FieldSpec) -> np.ndarray:
    """One row as a fresh array of ``spec.dtype``, or ``ValueError`` saying what was wrong."""
    arr = np.asarray(value)
    if arr.dtype == spec.dtype and arr.shape == spec.shape:
        return arr.copy()  # the common case: nothing to check (a copy: the caller may reuse it)
    if arr.shape != spec.shape:
        raise ValueError(f"{label}: expected shape {spec.shape}, got {arr.shape}")
    if not np.can_cast(arr.dtype, spec.dtype, casting="same_kind"):
        raise ValueError(f"{label}: cannot store {arr.dtype} values as {spec.dtype}")
    if spec.dtype.kind in "iu" and arr.dtype.kind in "iu" and arr.size:
        info = np.iinfo(spec.dtype)
        low, high = arr.min(), arr.max()
        if low < info.min or high > info.max:
            raise ValueError(f"{label}: values {low}..{high} do not fit in {spec.dtype} "
                             f"({info.min}..{info.max})")
    return np.array(arr, dtype=spec.dtype)  # a copy: the caller may reuse its buffer


class TraceWriter:
    """Write one run's trace to an HDF5 file (schema: DESIGN.md "Trace schema (HDF5)").

    Parameters
    ----------
    path : str or os.PathLike
        File to create. An existing path is refused unless ``overwrite=True``.
    attrs : dict of str -> str, int, float, bool or list
        Root attributes (``scenario_toml``, ``seed``, ``system``, ``twin_version``, ...). The
        writer adds ``schema_version`` and ``complete``; passing either is an error.
    slot_fields : dict of str -> FieldSpec
        One dataset in ``slots/`` per entry; :meth:`write_slot` takes one row of each.
    waveform_fields : dict of str -> FieldSpec
        One dataset in ``waveforms/`` per entry; :meth:`write_waveforms` takes one row of each.
    flush_every : int, optional
        Slots buffered in memory between flushes to the file (default 16). A process killed
        at any moment leaves every slot up to the last flush readable. Also the chunk length
        of the ``slots/`` datasets (see :func:`chunk_shape`): very small values make reading
        long time series slower.
    overwrite : bool, optional
        Replace an existing file at ``path`` (default False).

    Notes
    -----
    Root attribute ``complete`` is False from creation and set True only by :meth:`close`; a run
    that dies (exception, SIGKILL) leaves ``complete`` False. Use as a context manager: leaving
    the block normally closes; leaving it by an exception flushes the buffered rows and closes
    without marking the trace complete.
    """

    def __init__(self, path: str | os.PathLike[str], *, attrs: Mapping[str, Any],
                 slot_fields: Mapping[str, FieldSpec], waveform_fields: Mapping[str, FieldSpec],
                 flush_every: int = 16, overwrite: bool = False) -> None:
        self.path = Path(path)
        if isinstance(flush_every, bool) or not isinstance(flush_every, int) or flush_every < 1:
            raise ValueError(f"flush_every must be an int >= 1, got {flush_every!r}")
        check_fields(slot_fields, waveform_fields)
        check_attrs(attrs)
        if self.path.is_dir():
            raise ValueError(f"trace path {self.path} is a directory")
        if self.path.exists() and not overwrite:
            raise ValueError(f"trace file {self.path} exists; pass overwrite=True to replace it")
        self._flush_every = flush_every
        # mode "x" fails if the file appeared since the check above (never clobber silently).
        self._file: h5py.File | None = h5py.File(self.path, "w" if overwrite else "x",
                                                 libver="latest")
        try:
            root = self._file.attrs
            root["complete"] = False  # first, so no partial file ever reads as complete
            root["schema_version"] = SCHEMA_VERSION
            for key, value in attrs.items():
                root[key] = value
            self._slots = _Stream(self._file.create_group(SLOTS_GROUP), slot_fields,
                                  rows_per_flush=flush_every)
            self._waveforms = _Stream(self._file.create_group(WAVEFORMS_GROUP), waveform_fields,
                                      rows_per_flush=1, bulk=True)
            # NOTE: no group, dataset or attribute may be created from here on (SWMR rule).
            self._file.swmr_mode = True
        except BaseException:
            self._file.close()
            self._file = None
            self.path.unlink(missing_ok=True)  # a file we just made and could not set up
            raise

    @property
    def num_flushed_slots(self) -> int:
        """Slot rows committed to the file so far (buffered rows not counted)."""
        return self._slots.num_rows

    @property
    def closed(self) -> bool:
        """Whether the file is closed (by :meth:`close` or by leaving a ``with`` block)."""
        return self._file is None

    def write_slot(self, slot: int, values: Mapping[str, Any]) -> None:
        """Buffer one row of every slot field; flush once ``flush_every`` rows are buffered.

        Parameters
        ----------
        slot : int
            Slot number, >= 0 and greater than the previous one written.
        values : dict of str -> array_like
            Exactly one value per slot field, each of the field's shape (without slot axis).
        """
        self._check_open()
        self._slots.append(slot, values)
        self._flush_if_due()

    def write_waveforms(self, slot: int, values: Mapping[str, Any]) -> None:
        """Buffer one row of every waveform field (the caller records every n-th slot).

        Parameters
        ----------
        slot : int
            Slot number, greater than the previous one given to this method.
        values : dict of str -> array_like
            Exactly one value per waveform field, each of the field's shape.
        """
        self._check_open()
        self._waveforms.append(slot, values)
        self._flush_if_due()

    def flush(self) -> None:
        """Write all buffered rows to the file and flush HDF5's buffers to the OS."""
        self._check_open()
        self._flush()

    def close(self) -> None:
        """Flush, set root attribute ``complete`` True, close. Calling it again does nothing."""
        if self._file is None:
            return
        try:
            self._flush()
            self._file.attrs["complete"] = True  # an existing attribute: allowed under SWMR
        finally:
            self._release()

    def __enter__(self) -> TraceWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        elif self._file is not None:
            try:
                self._flush()  # keep what was simulated; ``complete`` stays False
            finally:
                self._release()

    def _check_open(self) -> None:
        if self._file is None:
            raise ValueError(f"trace {self.path} is closed; nothing more can be written")

    def _flush_if_due(self) -> None:
        if max(len(self._slots.pending_slots),
               len(self._waveforms.pending_slots)) >= self._flush_every:
            self._flush()

    def _flush(self) -> None:
        streams = [s for s in (self._slots, self._waveforms) if s.pending_slots]
        if not streams:
            return
        for stream in streams:
            stream.write_fields()
        self._file.flush()
        for stream in streams:
            stream.write_index()
        self._file.flush()

    def _release(self) -> None:
        self._file.close()
        self._file = None
