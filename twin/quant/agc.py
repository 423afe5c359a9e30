"""Automatic gain control: the input scale of a converter, per antenna and block of samples.

The AGC measures each antenna's signal over a block and returns ``scale`` (input units per
quantizer unit) so that the quantizer sees the loading it was designed for:

- ``"rms"`` (default): the per-rail RMS maps to ``full_scale / backoff``. Without a back-off the
  RMS maps to 1, the unit variance the quantizer's default loading is MSE-optimal for (uniform:
  :func:`twin.quant.uniform.optimal_full_scale`; Lloyd-Max: its design variance).
- ``"max"``: the largest rail magnitude in the block maps to (just inside) ``full_scale``;
  nothing clips.

The overload (clipping) rate this produces is measured by the quantizer in the same pass and
reported by :class:`twin.quant.converter.Converter`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from twin.quant import kernels
from twin.quant.base import Quantizer, check_signal
from twin.units import amplitude_db_to_lin

AGCMode = Literal["rms", "max"]
AGC_MODES: tuple[str, ...] = ("rms", "max")
# "max" puts the peak a millionth inside full scale: exactly on it, float32 rounding could tip
# the largest sample into the overload region.
_PEAK_MARGIN = 1.0 - 1e-6


@dataclass(frozen=True, slots=True)
class AutomaticGainControl:
    """Per-antenna, per-block gain setting.

    Parameters
    ----------
    mode : {"rms", "max"}
    backoff_db : float, optional
        ``"rms"`` only: full scale over per-rail RMS, in dB (20 log10). ``None`` (default): the
        quantizer's MSE-optimal loading for a Gaussian input.
    block_samples : int, optional
        Samples per gain block; ``None`` (default): one gain per antenna for the whole slot.
    """

    mode: AGCMode = "rms"
    backoff_db: float | None = None
    block_samples: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in AGC_MODES:
            raise ValueError(f"AGC mode must be one of {', '.join(AGC_MODES)}, got {self.mode!r}")
        if self.backoff_db is not None:
            if self.mode != "rms":
                raise ValueError("backoff_db applies to the 'rms' AGC mode only")
            if not math.isfinite(self.backoff_db):
                raise ValueError(f"backoff_db must be finite, got {self.backoff_db!r}")
        if self.block_samples is not None and (
            isinstance(self.block_samples, bool) or not isinstance(self.block_samples, int)
            or self.block_samples < 1
        ):
            raise ValueError(
                f"block_samples must be a positive integer, got {self.block_samples!r}")

    def target_rms(self, quantizer: Quantizer) -> float:
        """Per-rail RMS the quantizer input is scaled to in ``"rms"`` mode."""
        if self.backoff_db is None:
            return 1.0
        return quantizer.full_scale / float(amplitude_db_to_lin(self.backoff_db))

    def scale(self, x: np.ndarray, quantizer: Quantizer) -> np.ndarray:
        """Gain per antenna and block.

        Parameters
        ----------
        x : [..., antennas, samples], complex (or real floating)
        quantizer : the converter's quantizer (its ``full_scale`` sets the target)

        Returns
        -------
        [..., antennas, num_blocks], float64
            Input units per quantizer unit; 1 for an all-zero block.
        """
        x = check_signal(x)
        num_samples = x.shape[-1]
        block = num_samples if self.block_samples is None else self.block_samples
        if num_samples % block:
            raise ValueError(f"block_samples={block} does not divide the {num_samples} samples")
        # The rails (I and Q interleaved), one row per antenna and gain block.
        u = x.view(x.real.dtype) if x.dtype.kind == "c" else x
        rails = u.reshape((*x.shape[:-1], num_samples // block, -1))
        if self.mode == "rms":
            # NOTE: one compiled pass with float64 sums and no temporaries (an einsum with
            # dtype=float64 on float32 rails ran 5x slower).
            power = np.empty(rails.shape[:-1])
            kernels.mean_square_rows(rails.reshape(-1, rails.shape[-1]), power.reshape(-1))
            level = np.sqrt(power) / self.target_rms(quantizer)
        else:
            peak = np.maximum(rails.max(axis=-1), -rails.min(axis=-1))
            level = peak.astype(np.float64) / (quantizer.full_scale * _PEAK_MARGIN)
        if not np.all(np.isfinite(level)):
            raise ValueError("the converter input contains NaN or infinite samples")
        return np.where(level > 0.0, level, 1.0)
