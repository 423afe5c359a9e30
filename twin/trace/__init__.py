"""The HDF5 trace: a run's per-slot record and waveform snapshots (the only h5py user).

Schema: DESIGN.md, "Trace schema (HDF5)"; :mod:`twin.trace.schema` describes it in code.
"""

from twin.trace.reader import TraceReader
from twin.trace.schema import SCHEMA_VERSION, FieldSpec
from twin.trace.writer import TraceWriter

__all__ = ["SCHEMA_VERSION", "FieldSpec", "TraceReader", "TraceWriter"]
