"""Replay of a recorded run: summary numbers and figures computed from a trace's arrays.

Everything here works on plain ``dict[str, numpy.ndarray]`` (the per-slot datasets, first axis =
slot) and a ``dict`` of root attributes, as the trace reader returns them, so it needs neither
h5py nor a trace file and is tested with synthetic data. The figures live in
:mod:`twin.plots.replay` (the only replay code that imports matplotlib).
"""
