"""FDMA for the QOMA benchmark: each user on its own interleaved set of subcarriers.

User k owns subcarriers ``f = k, k + K, k + 2K, ...`` of a ``T``-point DFT. Its symbols are put
on them and taken to the time domain before its precoder and DACs; the BS takes each antenna's
ADC output back to the frequency domain and detects user k on its own subcarriers. The channel
is flat within a slot, so the users stay orthogonal up to what the converters' distortion
spreads across the band.
"""

from __future__ import annotations

import numpy as np


def subcarriers(num_users: int, num_samples: int) -> list[np.ndarray]:
    """Subcarrier indices of each user (interleaved)."""
    if num_samples < num_users:
        raise ValueError(f"FDMA needs at least one subcarrier per user: {num_samples} samples "
                         f"for {num_users} users")
    return [np.arange(k, num_samples, num_users) for k in range(num_users)]


def fdma_modulate(symbols: list[np.ndarray], num_samples: int) -> np.ndarray:
    """Time-domain waveforms ``[K, T]``; unit power per user over the whole slot.

    ``symbols[k]`` holds user k's unit-power symbols, one per subcarrier it owns.
    """
    k_users = len(symbols)
    spectrum = np.zeros((k_users, num_samples), dtype=np.complex128)
    for k, f in enumerate(subcarriers(k_users, num_samples)):
        spectrum[k, f] = symbols[k]
    # Each user fills 1/K of the band: scale so its time-domain power is 1.
    return np.fft.ifft(spectrum, axis=-1) * np.sqrt(num_samples * k_users)


def fdma_demodulate(y: np.ndarray, num_users: int) -> list[np.ndarray]:
    """Per user, the received subcarriers ``[M, |F_k|]`` of ``y`` ``[M, T]``, on the symbol
    scale of :func:`fdma_modulate`."""
    t = y.shape[-1]
    spectrum = np.fft.fft(y, axis=-1) / np.sqrt(t * num_users)
    return [spectrum[:, f] for f in subcarriers(num_users, t)]
