"""The additive quantization noise model (AQNM) of both papers.

A ``b``-bit converter is replaced by ``Q(x) ~ alpha x + q`` with

- ``beta(b)`` from Table I for ``b <= 5`` and ``beta = (pi sqrt(3) / 2) 2^(-2b)`` above
  (seed 000 Sec. III-A after eq. (3); seed 004 Sec. II after eqs. (2) and (6));
- ``alpha = 1 - beta`` (seed 000 eqs. (3), (8); seed 004 below eqs. (2), (6));
- ``q ~ CN(0, R)`` with ``R = Theta_alpha Theta_beta diag(E[x x^H])`` (seed 000 eqs. (4), (9);
  seed 004 eqs. (3), (7)).

Bits may differ per antenna (heterogeneous resolutions): every function broadcasts ``num_bits``
against the antenna axis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from twin.quant.base import MAX_BITS, check_signal
from twin.rng import complex_normal

# Seed 000 Table I / seed 004 ref. [36]: beta for 1..5 bits. These define the model being
# checked; the twin's own Lloyd-Max design reproduces them (``twin quantizers``).
BETA_TABLE_I: dict[int, float] = {1: 0.3634, 2: 0.1175, 3: 0.03454, 4: 0.009497, 5: 0.002499}


def _bits_array(num_bits: ArrayLike) -> np.ndarray:
    b = np.asarray(num_bits)
    if b.dtype.kind not in "iu" or b.dtype == bool:
        raise ValueError(f"num_bits must be integers, got {num_bits!r}")
    if b.size and (b.min() < 1 or b.max() > MAX_BITS):
        raise ValueError(f"num_bits must be from 1 to {MAX_BITS}, got {num_bits!r}")
    return b


def aqnm_beta(num_bits: ArrayLike) -> np.ndarray:
    """Distortion factor beta(b): Table I for b <= 5, ``pi sqrt(3)/2 2^(-2b)`` above.

    Seed 000 Sec. III-A (after eq. (3)) and seed 004 Sec. II. Returns float64, shaped like
    ``num_bits``.
    """
    b = _bits_array(num_bits)
    table = np.array([np.nan, *BETA_TABLE_I.values()])
    high = np.pi * np.sqrt(3.0) / 2.0 * np.power(2.0, -2.0 * b)
    return np.where(b <= 5, table[np.minimum(b, 5)], high)


def aqnm_alpha(num_bits: ArrayLike) -> np.ndarray:
    """Quantization loss alpha = 1 - beta (seed 000 eqs. (3), (8))."""
    return 1.0 - aqnm_beta(num_bits)


def aqnm_noise_covariance(signal_cov: np.ndarray, num_bits: ArrayLike) -> np.ndarray:
    """AQNM quantization-noise covariance ``R = Theta_alpha Theta_beta diag(E[x x^H])``.

    Seed 000 eqs. (4) and (9); seed 004 eqs. (3) and (7).

    Parameters
    ----------
    signal_cov : [..., n, n], complex or real
        ``E[x x^H]`` of the converter input (W).
    num_bits : int or [n], int
        Resolution of each of the ``n`` converters (pairs of I/Q converters).

    Returns
    -------
    [..., n, n], float64
        Diagonal covariance of ``q`` (W).
    """
    cov = np.asarray(signal_cov)
    if cov.ndim < 2 or cov.shape[-1] != cov.shape[-2]:
        raise ValueError(f"signal_cov must be shaped (..., n, n), got {cov.shape}")
    beta = aqnm_beta(num_bits)
    power = np.real(np.diagonal(cov, axis1=-2, axis2=-1))
    return _diag((1.0 - beta) * beta * power)


def _diag(v: np.ndarray) -> np.ndarray:
    out = np.zeros((*v.shape, v.shape[-1]), dtype=v.dtype)
    idx = np.arange(v.shape[-1])
    out[..., idx, idx] = v
    return out


def aqnm_quantize(x: np.ndarray, num_bits: ArrayLike, rng: np.random.Generator,
                  power_w: np.ndarray | None = None) -> np.ndarray:
    """The AQNM twin of a converter: ``alpha x + q`` with ``q ~ CN(0, alpha beta P)``.

    Seed 000 eqs. (2)-(4); seed 004 eqs. (2)-(3).

    Parameters
    ----------
    x : [..., antennas, samples], complex
    num_bits : int or [antennas], int
    rng : numpy.random.Generator
    power_w : [..., antennas], float, optional
        ``E|x|^2`` per antenna; by default estimated from the samples of ``x``.

    Returns
    -------
    [..., antennas, samples], same dtype as ``x``
    """
    x = check_signal(x)
    if x.dtype.kind != "c":
        raise ValueError(f"aqnm_quantize expects a complex signal, got dtype {x.dtype}")
    beta = aqnm_beta(num_bits)[..., None]
    alpha = 1.0 - beta
    power = np.mean(np.abs(x) ** 2, axis=-1) if power_w is None else np.asarray(power_w)
    noise = np.sqrt(alpha * beta * power[..., None]) * complex_normal(rng, x.shape)
    return (alpha * x + noise).astype(x.dtype)
