"""A bit-true converter: an AGC in front of a quantizer, the way a real DAC or ADC is driven."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twin.quant import kernels
from twin.quant.agc import AutomaticGainControl
from twin.quant.base import Quantizer, check_signal, code_dtype
from twin.quant.uniform import UniformQuantizer


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
        x = check_signal(x)
        if (self.agc.mode == "rms" and isinstance(self.quantizer, UniformQuantizer)
                and x.size):
            return self._uniform_rms(x)
        scale = self.agc.scale(x, self.quantizer)
        q = self.quantizer.quantize(x, scale)
        return Conversion(q.codes, scale, q.values, q.clip_rate)

    def _uniform_rms(self, x: np.ndarray) -> Conversion:
        """The common case in one compiled call, bit-identical to ``agc.scale`` + ``quantize``.

        NOTE: the two calls spent ~50 us per slot and converter in numpy plumbing (validation,
        reshapes, small temporaries), as much as their compiled loops.
        """
        q, shape = self.quantizer, x.shape
        block = shape[-1] if self.agc.block_samples is None else self.agc.block_samples
        if shape[-1] % block:
            raise ValueError(f"block_samples={block} does not divide the {shape[-1]} samples")
        gains = (*shape[:-1], shape[-1] // block)  # one per antenna and block
        rows = (x.view(x.real.dtype) if x.dtype.kind == "c" else x).reshape(
            int(np.prod(gains)), -1)
        scale = np.empty(rows.shape[0])
        codes = np.empty(rows.shape, dtype=code_dtype(q.num_bits))
        values = np.empty_like(rows)
        clips = np.empty(rows.shape[0], dtype=np.int64)
        real = rows.dtype.type
        lo, hi = q.code_range
        offset = 0.5 if q.mode == "mid_riser" else 0.0
        if not kernels.uniform_rms_rows(rows, float(self.agc.target_rms(q)), q.step, real(1),
                                        real(lo), real(hi), real(0.5 - offset), real(offset),
                                        scale, codes, values, clips):
            raise ValueError("the converter input contains NaN or infinite samples")
        if x.dtype.kind == "c":
            codes, values = codes.reshape((*shape, 2)), values.reshape(-1).view(x.dtype)
        return Conversion(codes.reshape(codes.shape if x.dtype.kind == "c" else shape),
                          scale.reshape(gains), values.reshape(shape),
                          (clips / rows.shape[1]).reshape(gains))

    def decode(self, codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """Volts from recorded codes and scales, without the input signal."""
        return self.quantizer.decode(codes, scale)
