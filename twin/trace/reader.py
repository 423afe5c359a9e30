"""Read a trace back: root attributes, units, and each field's rows up to the last flush.

A trace whose writer was killed is still SWMR-marked on disk and opens only in SWMR read mode;
:class:`TraceReader` tries a plain open first and falls back to that. Rows are trusted only up
to the valid prefix of the group's ``slot`` index (see :mod:`twin.trace.writer` for the
two-phase commit that makes the index the commit record).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Any

import h5py
import numpy as np

from twin.trace.schema import SCHEMA_VERSION, SLOT_INDEX, SLOTS_GROUP, WAVEFORMS_GROUP


class TraceReader:
    """Open a trace written by :class:`twin.trace.TraceWriter`, complete or not.

    Parameters
    ----------
    path : str or os.PathLike
        The trace file.

    Raises
    ------
    ValueError
        If the file is missing, is not HDF5, is not a trace, or has a newer ``schema_version``
        than this reader knows; the message names the path.

    Notes
    -----
    Use as a context manager, or call :meth:`close`. Arrays are read on request and returned as
    fresh numpy arrays; the row axis comes first.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._file: h5py.File | None = _open(self.path)
        try:
            self._attrs = {key: _plain(value) for key, value in self._file.attrs.items()}
            self._check_schema()
            self._groups = {name: self._file[name] for name in (SLOTS_GROUP, WAVEFORMS_GROUP)}
            self._num_rows = {name: _committed_rows(group)
                              for name, group in self._groups.items()}
            self._units = self._read_units()
        except BaseException:
            self.close()
            raise

    # -- metadata ---------------------------------------------------------------------------

    @property
    def attrs(self) -> dict[str, Any]:
        """Root attributes as Python values (str, bool, int, float, list)."""
        return dict(self._attrs)

    @property
    def complete(self) -> bool:
        """True only if the writer closed cleanly; False for a crashed or interrupted run."""
        return bool(self._attrs.get("complete", False))

    @property
    def schema_version(self) -> int:
        """Schema version the file was written with."""
        return int(self._attrs["schema_version"])

    @property
    def scenario_toml(self) -> str:
        """Full text of the scenario the run was made from (root attribute ``scenario_toml``)."""
        if "scenario_toml" not in self._attrs:
            raise ValueError(f"trace {self.path} has no scenario_toml attribute")
        return str(self._attrs["scenario_toml"])

    @property
    def num_slots(self) -> int:
        """Slot rows readable (all of them after a clean close, up to the last flush if not)."""
        return self._num_rows[SLOTS_GROUP]

    @property
    def num_waveforms(self) -> int:
        """Waveform rows readable."""
        return self._num_rows[WAVEFORMS_GROUP]

    @property
    def slot_fields(self) -> tuple[str, ...]:
        """Names of the slot fields (sorted), without the ``slot`` index."""
        return self._field_names(SLOTS_GROUP)

    @property
    def waveform_fields(self) -> tuple[str, ...]:
        """Names of the waveform fields (sorted), without the ``slot`` index."""
        return self._field_names(WAVEFORMS_GROUP)

    @property
    def units(self) -> dict[str, str]:
        """Unit of every dataset by name, the ``slot`` index (unit ``"1"``) included."""
        return dict(self._units)

    # -- data -------------------------------------------------------------------------------

    def slots(self, name: str | None = None) -> np.ndarray | dict[str, np.ndarray]:
        """One slot field ``[num_slots, *shape]``, or a dict of all of them (``slot`` included).

        Parameters
        ----------
        name : str, optional
            A slot field name or ``"slot"``; None for all.
        """
        return self._read(SLOTS_GROUP, name)

    def waveforms(self, name: str | None = None) -> np.ndarray | dict[str, np.ndarray]:
        """One waveform field ``[num_waveforms, *shape]``, or a dict of all of them."""
        return self._read(WAVEFORMS_GROUP, name)

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file; calling it again does nothing."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> TraceReader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------

    def _check_schema(self) -> None:
        version = self._attrs.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError(f"{self.path} is not a twin trace (no integer schema_version "
                             f"attribute)")
        if version > SCHEMA_VERSION:
            raise ValueError(f"trace {self.path} has schema_version {version}, newer than "
                             f"{SCHEMA_VERSION} which this twin reads; upgrade twin")
        for name in (SLOTS_GROUP, WAVEFORMS_GROUP):
            group = self._file.get(name)
            if not isinstance(group, h5py.Group) or SLOT_INDEX not in group:
                raise ValueError(f"{self.path} is not a twin trace (no {name}/{SLOT_INDEX})")

    def _read_units(self) -> dict[str, str]:
        units: dict[str, str] = {}
        for group_name, group in self._groups.items():
            for name, dataset in group.items():
                unit = _plain(dataset.attrs.get("unit"))
                if not isinstance(unit, str):
                    raise ValueError(f"trace {self.path}: dataset {group_name}/{name} has no "
                                     f"unit attribute")
                units[name] = unit
        return units

    def _field_names(self, group_name: str) -> tuple[str, ...]:
        return tuple(name for name in self._groups[group_name] if name != SLOT_INDEX)

    def _read(self, group_name: str, name: str | None) -> np.ndarray | dict[str, np.ndarray]:
        if self._file is None:
            raise ValueError(f"trace {self.path} is closed")
        group, count = self._groups[group_name], self._num_rows[group_name]
        if name is None:
            return {key: dataset[:count] for key, dataset in group.items()}
        if name not in group:
            raise ValueError(f"trace {self.path} has no {group_name} field {name!r}; it has "
                             f"{', '.join(group)}")
        return group[name][:count]


def _open(path: Path) -> h5py.File:
    """Open read-only; a trace whose writer died is still marked SWMR and needs ``swmr=True``."""
    if not path.is_file():
        raise ValueError(f"trace file {path} does not exist")
    if not h5py.is_hdf5(path):
        raise ValueError(f"trace file {path} is not an HDF5 file")
    try:
        return h5py.File(path, "r")
    except OSError:
        pass
    try:
        return h5py.File(path, "r", swmr=True)
    except OSError as err:
        raise ValueError(f"trace file {path} cannot be opened: {err}") from None


def _committed_rows(group: h5py.Group) -> int:
    """Rows of a group that were committed: the valid prefix of its ``slot`` index.

    Valid means written (not the fill value -1) and strictly increasing; rows beyond the index
    or beyond the shortest field (a flush cut short) are not trusted.
    """
    index = group[SLOT_INDEX][:]
    bad = np.flatnonzero((index < 0) | np.r_[False, np.diff(index) <= 0])
    count = int(bad[0]) if bad.size else len(index)
    return min([count, *(dataset.shape[0] for dataset in group.values())])


def _plain(value: Any) -> Any:
    """An HDF5 attribute value as a plain Python value (bytes decoded, arrays as lists)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
