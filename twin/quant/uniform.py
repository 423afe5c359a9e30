"""Bit-true uniform quantizer (the converter of a plain DAC or ADC), 1 to 16 bits.

A ``b``-bit converter with full scale (clip level) ``A`` has ``2^b`` two's-complement codes
``c = -2^(b-1) ... 2^(b-1) - 1`` and step ``Delta = 2 A / 2^b``:

- mid-riser (default): ``c = clip(floor(x / Delta))``, level ``(c + 1/2) Delta``: no level at 0,
  odd-symmetric, input range ``[-A, A]``;
- mid-tread: ``c = clip(round(x / Delta))``, level ``c Delta``: a level at 0, one more negative
  level than positive ones (as a two's-complement ADC has), input range ``[-A - Delta/2,
  A - Delta/2]``.

The names follow HermesPy's ``QuantizerType``. By default ``A`` is the loading that minimizes the
MSE for a unit-variance Gaussian rail (Max 1960), computed here, not copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from scipy.optimize import minimize_scalar

from twin.quant import kernels
from twin.quant.base import (
    Quantized,
    check_bits,
    check_positive,
    code_dtype,
    from_rails,
    rails_of_codes,
    to_rails,
    values_from_rails,
)
from twin.quant.gaussian import gaussian_mse

UniformMode = Literal["mid_riser", "mid_tread"]
UNIFORM_MODES: tuple[str, ...] = ("mid_riser", "mid_tread")


def uniform_table(num_bits: int, full_scale: float, mode: UniformMode = "mid_riser"):
    """Thresholds ``[2^b - 1]`` and levels ``[2^b]`` of a uniform quantizer, ascending."""
    n = 2**num_bits
    step = 2.0 * full_scale / n
    c = np.arange(-n // 2, n // 2, dtype=float)
    if mode == "mid_riser":
        return c[1:] * step, (c + 0.5) * step
    return (c[:-1] + 0.5) * step, c * step


@cache
def optimal_full_scale(num_bits: int, mode: UniformMode = "mid_riser") -> float:
    """Full scale ``A`` minimizing the MSE of a uniform quantizer on a unit-variance Gaussian.

    Solved by bounded Brent search on the exact MSE of :func:`twin.quant.gaussian.gaussian_mse`;
    the MSE is unimodal in ``A`` for a log-concave input. Results agree with Max (1960), Table II
    (e.g. 1 bit: levels +-0.7979; 2 bits: step 0.9957).
    """
    check_bits(num_bits)
    _check_mode(mode)
    res = minimize_scalar(lambda a: gaussian_mse(*uniform_table(num_bits, a, mode)),
                          bounds=(0.1, 12.0), method="bounded", options={"xatol": 1e-11})
    return float(res.x)


def _check_mode(mode: str) -> None:
    if mode not in UNIFORM_MODES:
        raise ValueError(f"mode must be one of {', '.join(UNIFORM_MODES)}, got {mode!r}")


@dataclass(frozen=True, slots=True)
class UniformQuantizer:
    """Uniform ``num_bits`` quantizer applied to the I and Q rails separately.

    Parameters
    ----------
    num_bits : int
        Resolution, 1 to 16 bits.
    full_scale : float, optional
        Clip level ``A`` at ``scale = 1``. Default: the MSE-optimal loading for a unit-variance
        Gaussian rail (:func:`optimal_full_scale`).
    mode : {"mid_riser", "mid_tread"}
    """

    num_bits: int
    full_scale: float | None = None
    mode: UniformMode = "mid_riser"

    def __post_init__(self) -> None:
        check_bits(self.num_bits)
        _check_mode(self.mode)
        if self.full_scale is None:
            object.__setattr__(self, "full_scale", optimal_full_scale(self.num_bits, self.mode))
        else:
            object.__setattr__(self, "full_scale", check_positive("full_scale", self.full_scale))

    @property
    def kind(self) -> str:
        return "uniform"

    @property
    def step(self) -> float:
        """Quantization step ``Delta = 2 A / 2^b`` at ``scale = 1``."""
        return 2.0 * self.full_scale / 2**self.num_bits

    @property
    def code_range(self) -> tuple[int, int]:
        """Smallest and largest output code."""
        return -(2 ** (self.num_bits - 1)), 2 ** (self.num_bits - 1) - 1

    @property
    def thresholds(self) -> np.ndarray:
        return uniform_table(self.num_bits, self.full_scale, self.mode)[0]

    @property
    def levels(self) -> np.ndarray:
        return uniform_table(self.num_bits, self.full_scale, self.mode)[1]

    @property
    def _offset(self) -> float:
        return 0.5 if self.mode == "mid_riser" else 0.0

    def quantize(self, x: np.ndarray, scale: float | np.ndarray = 1.0) -> Quantized:
        """Quantize ``x`` ``[..., antennas, samples]`` with gain ``scale`` (see ``base``)."""
        rails = to_rails(x, scale)
        lo, hi = self.code_range
        step_rows = (self.step * rails.scale.astype(float)).astype(rails.u.dtype)
        codes = np.empty(rails.u.shape, dtype=code_dtype(self.num_bits))
        values = np.empty_like(rails.u)
        clips = np.empty(rails.u.shape[0], dtype=np.int64)
        # NOTE: every scalar in the rails' own precision, or numba promotes a float32 loop to
        # float64 and loses its vectorization.
        real = rails.u.dtype.type
        kernels.uniform_rows(rails.u, (1.0 / step_rows).astype(rails.u.dtype), step_rows,
                             real(lo), real(hi), real(0.5 - self._offset), real(self._offset),
                             codes, values, clips)
        return from_rails(rails, codes, values, clips)

    def decode(self, codes: np.ndarray, scale: float | np.ndarray = 1.0, *,
               iq: bool = True) -> np.ndarray:
        """Reconstruction of ``codes`` (as :meth:`quantize` lays them out), in float64.

        ``iq=True`` when the last axis of ``codes`` holds the I and Q rails.
        """
        rails, s = rails_of_codes(codes, scale, iq)
        lo, hi = self.code_range
        if rails.size and (rails.min() < lo or rails.max() > hi):
            raise ValueError(f"codes outside the {self.num_bits}-bit range [{lo}, {hi}]")
        return values_from_rails((rails + self._offset) * (self.step * s), np.shape(codes), iq)

    def gaussian_mse(self) -> float:
        """Exact beta for a unit-variance Gaussian rail at ``scale = 1``."""
        return gaussian_mse(self.thresholds, self.levels)
