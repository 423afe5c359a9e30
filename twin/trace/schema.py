"""What a trace holds: the schema version, one :class:`FieldSpec` per per-slot quantity, and checks.

A trace (DESIGN.md, "Trace schema (HDF5)") is one HDF5 file with root attributes and two groups,
``slots/`` (one row per simulated slot) and ``waveforms/`` (one row every n-th slot). Each group
holds one dataset per field, its first axis the row, plus an ``int64`` index dataset ``slot``
that the writer adds. Every dataset carries a ``unit`` attribute: a unit such as ``"W"``,
``"1"`` for dimensionless values and ``"code"`` for integer converter words.

This module is pure: it describes and checks, and never touches a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

SCHEMA_VERSION = 1
"""Version of the layout below; a reader refuses files with a newer one."""

SLOTS_GROUP = "slots"
WAVEFORMS_GROUP = "waveforms"
SLOT_INDEX = "slot"
"""Name of the ``int64`` slot-number dataset the writer adds to both groups."""

RESERVED_ATTRS: tuple[str, ...] = ("schema_version", "complete")
"""Root attributes the writer owns; a caller may not pass them."""

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_DTYPE_KINDS = "biufc"  # bool, signed, unsigned, float, complex: fixed-size numbers only


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One quantity recorded once per row (per slot, or per waveform snapshot).

    Parameters
    ----------
    shape : tuple of int
        Shape of one row, WITHOUT the leading slot axis: ``()`` for a scalar, ``(num_users,)``
        for a per-user vector, ``(num_bs_ant, num_samples, 2)`` for I/Q codes. Every
        dimension is at least 1.
    dtype : numpy dtype-like
        Stored element type: bool, integer, float or complex. Values are cast to it with
        ``same_kind`` casting (float64 -> float32 is allowed, float -> int is not).
    unit : str
        Unit of the values, written as the dataset's ``unit`` attribute: ``"W"``, ``"dB"``,
        ``"s"``, ``"1"`` when dimensionless, ``"code"`` for integer converter words.
    """

    shape: tuple[int, ...]
    dtype: DTypeLike  # normalized to np.dtype in __post_init__
    unit: str

    def __post_init__(self) -> None:
        shape = tuple(self.shape) if isinstance(self.shape, tuple | list) else None
        if shape is None or not all(isinstance(n, int | np.integer) and n >= 1 for n in shape):
            raise ValueError(f"FieldSpec shape must be a tuple of ints >= 1, got {self.shape!r}")
        try:
            dtype = np.dtype(self.dtype)
        except TypeError as err:
            raise ValueError(f"FieldSpec dtype {self.dtype!r} is not a numpy dtype") from err
        if dtype.kind not in _DTYPE_KINDS:
            raise ValueError(f"FieldSpec dtype must be bool, integer, float or complex, "
                             f"got {dtype}")
        if not isinstance(self.unit, str) or not self.unit.strip():
            raise ValueError(f"FieldSpec unit must be a non-empty string "
                             f"('1' if dimensionless, 'code' for converter words), "
                             f"got {self.unit!r}")
        # NOTE: frozen dataclass, so the normalized values are set past __setattr__.
        object.__setattr__(self, "shape", tuple(int(n) for n in shape))
        object.__setattr__(self, "dtype", dtype)

    @property
    def row_bytes(self) -> int:
        """Bytes of one row."""
        return self.dtype.itemsize * int(np.prod(self.shape, dtype=np.int64))


SLOT_INDEX_SPEC = FieldSpec((), np.int64, "1")
"""The slot-number index dataset of both groups."""


def check_field_name(name: str) -> None:
    """Raise ``ValueError`` unless ``name`` can be a dataset name (a letter, then ``[A-Za-z0-9_]``).

    The unit belongs in the name's suffix (``tx_power_w``, ``adc_codes``) by house style; that
    is left to review, only the characters are checked here.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"field name must be a letter followed by letters, digits or '_', "
                         f"got {name!r}")
    if name == SLOT_INDEX:
        raise ValueError(f"field name {SLOT_INDEX!r} is reserved for the slot index "
                         f"the writer adds")


def check_fields(slot_fields: Mapping[str, FieldSpec],
                 waveform_fields: Mapping[str, FieldSpec]) -> None:
    """Check both field tables: valid names, ``FieldSpec`` values, no name in both groups.

    A name may live in one group only, so that a name alone says which dataset it is
    (``TraceReader.units`` is keyed by name). ``time_s`` must be ``float64``: a float32 time
    loses whole slots after ~2^24 of them.
    """
    for group, fields in ((SLOTS_GROUP, slot_fields), (WAVEFORMS_GROUP, waveform_fields)):
        if not isinstance(fields, Mapping):
            raise ValueError(f"{group} fields must be a dict of name -> FieldSpec, "
                             f"got {type(fields).__name__}")
        for name, spec in fields.items():
            check_field_name(name)
            if not isinstance(spec, FieldSpec):
                raise ValueError(f"{group}/{name}: expected a FieldSpec, "
                                 f"got {type(spec).__name__}")
            if name == "time_s" and spec.dtype != np.float64:
                raise ValueError(f"{group}/time_s must be float64, got {spec.dtype}")
    both = sorted(set(slot_fields) & set(waveform_fields))
    if both:
        raise ValueError(f"field names used in both slots/ and waveforms/: {', '.join(both)}")


def check_attrs(attrs: Mapping[str, Any]) -> None:
    """Check root attributes: string keys, not reserved, values str, bool, int, float or a list.

    A list must hold only strings, or only numbers and bools (nested lists of equal length
    are allowed: they become an array).
    """
    if not isinstance(attrs, Mapping):
        raise ValueError(f"attrs must be a dict, got {type(attrs).__name__}")
    for key, value in attrs.items():
        if not isinstance(key, str) or not key or "/" in key:
            raise ValueError(f"attribute name must be a non-empty string without '/', "
                             f"got {key!r}")
        if key in RESERVED_ATTRS:
            raise ValueError(f"attribute {key!r} is set by the trace writer, not the caller")
        if isinstance(value, str | bool | float | np.bool_ | np.floating):
            continue
        if isinstance(value, int | np.integer):
            _check_int64(key, value)
            continue
        if isinstance(value, list | tuple):
            try:
                kind = np.asarray(value).dtype.kind
            except (ValueError, OverflowError) as err:
                raise ValueError(f"attribute {key!r}: list is ragged or out of range "
                                 f"({err})") from None
            if kind not in "biufU" or (kind == "U" and not _all_str(value)):
                raise ValueError(f"attribute {key!r}: a list must hold only strings or only "
                                 f"numbers, got {value!r}")
            continue
        raise ValueError(f"attribute {key!r} must be str, bool, int, float or list, "
                         f"got {type(value).__name__}")


def _all_str(value: list | tuple) -> bool:
    # np.asarray(["a", 1]) silently turns the 1 into "1"; a string list must be all strings.
    return all(_all_str(v) if isinstance(v, list | tuple) else isinstance(v, str) for v in value)


def _check_int64(key: str, value: int) -> None:
    info = np.iinfo(np.int64)
    if not info.min <= value <= info.max:
        raise ValueError(f"attribute {key!r} = {value} does not fit in int64")
