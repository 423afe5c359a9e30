"""Thermal noise."""

from __future__ import annotations

import numpy as np

from twin.rng import complex_normal


def awgn(rng: np.random.Generator, shape: tuple[int, ...], noise_w: float,
         dtype: type = np.complex128) -> np.ndarray:
    """``CN(0, noise_w)`` samples, complex128 or complex64 (drawn in single precision) (seed 000
    eq. (6): n_0 with variance sigma^2)."""
    return complex_normal(rng, shape, noise_w, dtype=dtype)
