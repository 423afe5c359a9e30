"""What every bit-true quantizer shares: its result type, its protocol and the array plumbing.

A converter quantizes the real and imaginary part of each complex sample separately (the "I and
Q rails"). Signals are shaped ``(..., antennas, samples)``; a gain ``scale`` (input units per
quantizer unit) may be one number or one per antenna and block of samples, shaped
``(..., antennas, num_blocks)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

MAX_BITS = 16


@dataclass(frozen=True, slots=True)
class Quantized:
    """The output of a bit-true quantizer.

    Attributes
    ----------
    codes : [..., antennas, samples, 2] int8 or int16 (``[..., samples]`` for real input)
        The converter's output words, two's complement; the last axis holds the I and Q rail.
    values : [..., antennas, samples], same dtype as the input
        The reconstruction: ``decode(codes, scale)``.
    clip_rate : [..., antennas, num_blocks] or [], float
        Fraction of rails, per gain group, that fell outside the quantizer's granular region.
    """

    codes: np.ndarray
    values: np.ndarray
    clip_rate: np.ndarray


@runtime_checkable
class Quantizer(Protocol):
    """A scalar quantizer applied to each rail; levels and thresholds are at ``scale = 1``."""

    num_bits: int

    @property
    def full_scale(self) -> float: ...

    @property
    def levels(self) -> np.ndarray: ...

    @property
    def thresholds(self) -> np.ndarray: ...

    def quantize(self, x: np.ndarray, scale: float | np.ndarray = 1.0) -> Quantized: ...

    def decode(self, codes: np.ndarray, scale: float | np.ndarray = 1.0) -> np.ndarray: ...


def check_bits(num_bits: int, *, min_bits: int = 1) -> int:
    """Validate a converter resolution: an integer from ``min_bits`` to 16."""
    if isinstance(num_bits, bool) or not isinstance(num_bits, int | np.integer):
        raise ValueError(f"num_bits must be an integer from {min_bits} to {MAX_BITS}, "
                         f"got {num_bits!r}")
    if not min_bits <= num_bits <= MAX_BITS:
        raise ValueError(f"num_bits must be from {min_bits} to {MAX_BITS}, got {num_bits}")
    return int(num_bits)


def check_positive(name: str, value: float) -> float:
    """Validate a finite, strictly positive scalar parameter."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not math.isfinite(v) or v <= 0.0:
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return v


def code_dtype(num_bits: int) -> type[np.signedinteger]:
    """The smallest signed integer type holding a ``num_bits`` two's-complement word."""
    return np.int8 if num_bits <= 8 else np.int16


_SIGNAL_TYPES = frozenset((np.float32, np.float64, np.complex64, np.complex128))


def check_signal(x: np.ndarray) -> np.ndarray:
    """Return ``x`` as a C-contiguous complex or real floating array, or raise ``ValueError``."""
    if (type(x) is np.ndarray and x.dtype.type in _SIGNAL_TYPES and x.ndim
            and x.flags.c_contiguous):
        return x  # the chain's own arrays: nothing to convert (checked once per call, ~1 us)
    x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError("expected an array shaped (..., antennas, samples), got a scalar")
    if x.dtype.kind not in "fc":
        raise ValueError(f"expected a complex (or real floating-point) array, got dtype {x.dtype}")
    if x.dtype not in (np.float32, np.float64, np.complex64, np.complex128):
        x = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    return np.ascontiguousarray(x)


@dataclass(frozen=True, slots=True)
class Rails:
    """A signal flattened to ``(groups, length)`` real rails, one gain per row."""

    u: np.ndarray
    scale: np.ndarray
    group_shape: tuple[int, ...]
    signal_shape: tuple[int, ...]
    signal_dtype: np.dtype

    @property
    def is_complex(self) -> bool:
        return self.signal_dtype.kind == "c"


def to_rails(x: np.ndarray, scale: float | np.ndarray) -> Rails:
    """Split ``x`` into gain groups matching ``scale`` (scalar or ``[..., antennas, blocks]``)."""
    x = check_signal(x)
    u = x.view(x.real.dtype) if x.dtype.kind == "c" else x
    s = np.asarray(scale, dtype=float)
    if s.ndim == 0:
        groups, group_shape = 1, ()
        s = s.reshape(1)
    else:
        target = (*x.shape[:-1], s.shape[-1])
        try:
            if s.shape != target:
                s = np.broadcast_to(s, target)
        except ValueError:
            raise ValueError(f"scale of shape {np.shape(scale)} does not match a signal of "
                             f"shape {x.shape}: expected (..., antennas, num_blocks)") from None
        if x.shape[-1] % s.shape[-1]:
            raise ValueError(f"{x.shape[-1]} samples do not split into {s.shape[-1]} "
                             f"equal gain blocks")
        groups, group_shape = s.size, target
        s = s.reshape(-1)
    if not (np.all(np.isfinite(s)) and np.all(s > 0)):
        raise ValueError("scale must be finite and > 0 everywhere")
    return Rails(u.reshape(groups, -1), s.astype(u.dtype), group_shape, x.shape, x.dtype)


def from_rails(rails: Rails, codes: np.ndarray, values: np.ndarray, clips: np.ndarray) -> Quantized:
    """Reassemble kernel outputs into the signal's shape."""
    shape = rails.signal_shape
    if rails.is_complex:
        codes = codes.reshape((*shape, 2))
        values = values.reshape(-1).view(rails.signal_dtype).reshape(shape)
    else:
        codes = codes.reshape(shape)
        values = values.reshape(shape)
    rate = clips / max(rails.u.shape[1], 1)  # an empty signal clips nothing
    return Quantized(codes, values, rate.reshape(rails.group_shape) if rails.group_shape
                     else np.asarray(rate[0]))


def rails_of_codes(codes: np.ndarray, scale: float | np.ndarray, is_complex: bool):
    """Broadcastable scale for decoding ``codes`` laid out as :class:`Quantized` produces them.

    Returns the code array as float rails shaped ``(..., antennas, blocks, block_len)`` and the
    scale shaped ``(..., antennas, blocks, 1)``.
    """
    codes = np.asarray(codes)
    if codes.dtype.kind != "i":
        raise ValueError(f"codes must be an integer array, got dtype {codes.dtype}")
    rails = codes.reshape((*codes.shape[:-2], -1)) if is_complex else codes
    s = np.asarray(scale, dtype=float)
    if s.ndim == 0:
        return rails.astype(float)[..., None, :], s.reshape(1, 1)
    blocks = s.shape[-1]
    if rails.shape[-1] % blocks:
        raise ValueError(f"codes of shape {codes.shape} do not split into {blocks} gain blocks")
    split = rails.reshape((*rails.shape[:-1], blocks, -1)).astype(float)
    return split, np.broadcast_to(s, (*rails.shape[:-1], blocks))[..., None]


def values_from_rails(rails: np.ndarray, codes_shape: tuple[int, ...],
                      is_complex: bool) -> np.ndarray:
    """Inverse of :func:`rails_of_codes` for decoded values: complex128 or float64 samples."""
    if is_complex:
        flat = np.ascontiguousarray(rails).reshape((*codes_shape[:-2], -1))
        return flat.view(np.complex128).reshape(codes_shape[:-1])
    return rails.reshape(codes_shape)
