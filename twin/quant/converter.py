"""A bit-true converter: an AGC in front of a quantizer, the way a real DAC or ADC is driven."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twin.quant.agc import AutomaticGainControl
from twin.quant.base import Quantizer


@dataclass(frozen=True, slots=True)
class Conversion:
    """One block of converter output.

    Attributes
    ----------
    codes : [..., antennas, samples, 2], int8 or int16
        The converter's words (I, Q).
    scale : [..., antennas, num_blocks], float64
        Input units per quantizer unit, as set by the AGC: ``decode(codes, scale)`` gives volts.
    values : [..., antennas, samples], complex
        The reconstructed signal.
    clip_rate : [..., antennas, num_blocks], float64
        Fraction of rails outside the granular region.
    """

    codes: np.ndarray
    scale: np.ndarray
    values: np.ndarray
    clip_rate: np.ndarray


@dataclass(frozen=True, slots=True)
class Converter:
    """AGC + quantizer. ``Converter(UniformQuantizer(4))(x)`` gives codes, scale and values."""

    quantizer: Quantizer
    agc: AutomaticGainControl = field(default_factory=AutomaticGainControl)

    def __call__(self, x: np.ndarray) -> Conversion:
        scale = self.agc.scale(x, self.quantizer)
        q = self.quantizer.quantize(x, scale)
        return Conversion(q.codes, scale, q.values, q.clip_rate)

    def decode(self, codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """Volts from recorded codes and scales, without the input signal."""
        return self.quantizer.decode(codes, scale)
