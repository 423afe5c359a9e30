"""What every system's slot returns, and helpers to fill it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class SlotResult:
    """One slot's recorded quantities.

    ``metrics``: per-slot values (trace ``slots/``); ``waveforms``: symbols, converter codes and
    scales and what the digital back end needs to re-decode them (trace ``waveforms/``).
    """

    metrics: dict[str, np.ndarray]
    waveforms: dict[str, np.ndarray]


def mean_gain(scale: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    """AGC gain per converter (mean over gain blocks), flattened; NaN for the AQNM twin.

    scale : [..., antennas, num_blocks] or None; shape : the converters' ``[..., antennas]``.
    """
    if scale is None:
        return np.full(int(np.prod(shape)), np.nan)
    return scale.mean(axis=-1).reshape(-1)
