"""Symbol source: unit-power complex Gaussian or square M-QAM symbols."""

from __future__ import annotations

import numpy as np

from twin.config import SourceConfig
from twin.rng import complex_normal


def gaussian_symbols(rng: np.random.Generator, shape: tuple[int, ...],
                     dtype: type = np.complex128) -> np.ndarray:
    """``CN(0, 1)`` symbols, E|s|^2 = 1 (seed 000 Sec. III-A: E[s s^H] = 1), complex128 or
    complex64 (drawn in single precision)."""
    return complex_normal(rng, shape, dtype=dtype)


def qam_alphabet(order: int) -> np.ndarray:
    """The square ``order``-QAM alphabet normalized to unit average power."""
    side = round(float(np.sqrt(order)))
    if side * side != order or side < 2 or side & (side - 1):
        raise ValueError(f"qam_order must be a square power of 4 (4, 16, 64, ...), got {order}")
    pam = np.arange(-side + 1, side, 2, dtype=float)
    points = (pam[:, None] + 1j * pam[None, :]).reshape(-1)
    return points / np.sqrt(np.mean(np.abs(points) ** 2))


def qam_symbols(rng: np.random.Generator, shape: tuple[int, ...], order: int,
                dtype: type = np.complex128) -> np.ndarray:
    """Uniformly drawn unit-power ``order``-QAM symbols, of ``dtype``."""
    alphabet = qam_alphabet(order).astype(dtype)
    return alphabet[rng.integers(0, alphabet.size, size=shape)]


def draw_symbols(rng: np.random.Generator, cfg: SourceConfig, shape: tuple[int, ...],
                 dtype: type = np.complex128) -> np.ndarray:
    """Unit-power symbols of the scenario's ``[source]``: Gaussian or M-QAM, complex128 (or
    ``dtype=np.complex64``, drawn in single precision)."""
    if cfg.kind == "qam":
        return qam_symbols(rng, shape, cfg.qam_order, dtype)
    return gaussian_symbols(rng, shape, dtype)


def hard_decision(z: np.ndarray, order: int) -> np.ndarray:
    """Nearest ``order``-QAM point to each sample of ``z`` (unit-power alphabet)."""
    alphabet = qam_alphabet(order)
    side = round(float(np.sqrt(order)))
    step = np.real(alphabet[side] - alphabet[0])  # spacing of the PAM grid
    lo = np.real(alphabet).min()
    def snap(v: np.ndarray) -> np.ndarray:
        return lo + step * np.clip(np.round((v - lo) / step), 0, side - 1)
    return snap(z.real) + 1j * snap(z.imag)
