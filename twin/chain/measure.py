"""Measured SINR from waveforms: project the detector output on the known symbols."""

from __future__ import annotations

import numpy as np


def projection_gain(z: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Effective gain ``g = <z, s> / <s, s>`` of each stream ``[..., streams]``, complex."""
    return np.sum(z * np.conj(s), axis=-1) / np.sum(np.abs(s) ** 2, axis=-1)


def measured_sinr(z: np.ndarray, s: np.ndarray) -> np.ndarray:
    """SINR of ``z = g s + e`` per stream, with ``g`` estimated by projection.

    Parameters
    ----------
    z : [..., streams, T] complex, detector output
    s : [..., streams, T] complex, the transmitted symbols

    Returns
    -------
    [..., streams] float64 (linear): ``|g|^2 E|s|^2 / E|z - g s|^2``.
    """
    ss = np.sum(np.abs(s) ** 2, axis=-1)
    g = projection_gain(z, s)
    resid = np.sum(np.abs(z - g[..., None] * s) ** 2, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(resid > 0, np.abs(g) ** 2 * ss / resid, np.inf)


def rate_bps_hz(sinr: np.ndarray) -> np.ndarray:
    """Spectral efficiency ``log2(1 + SINR)`` in bit/s/Hz (the papers' log, in base 2)."""
    return np.log2(1.0 + np.asarray(sinr))
