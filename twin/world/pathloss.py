"""Large-scale path loss and shadowing: distance -> dB loss -> linear power gain.

Two models, one per system:

- seed 000 eq. (43), the NOMA uplink: ``PL = 103.8 + 20.9 log10(d)`` with ``d`` in kilometres.
- the close-in free-space reference model (CI) that seed 004 §V-A takes from its ref. [39]:
  ``PL = 20 log10(4 pi f d0 / c) + 10 n log10(d / d0)``, ``d0 = 1 m``.

Shadowing is not inside either model; :func:`draw_shadowing_db` draws it separately so a caller
can keep it fixed while users move. Losses are in dB (this is an edge of the twin, where the
papers state them); :func:`pathloss_gain_lin` turns them into the linear power gains the rest of
the code works with.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from twin.units import db_to_lin

SPEED_OF_LIGHT_MPS = 299_792_458.0
CI_REFERENCE_M = 1.0  # d0 of the close-in model (seed 004 ref. [39])


def _positive(value: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.size and not np.all(arr > 0.0):
        raise ValueError(f"{name} must be positive, got minimum {np.min(arr)!r}")
    return arr


def pathloss_noma_db(distance_m: ArrayLike, intercept_db: float = 103.8,
                     slope_db: float = 20.9) -> np.ndarray:
    """Path loss of the NOMA uplink, seed 000 eq. (43).

    ``PL = intercept_db + slope_db * log10(d_km)`` with the distance in kilometres, as the paper
    states below eq. (43) ("d_k (in Km)").

    Parameters
    ----------
    distance_m : [...], float
        User-to-BS distance (m), positive.
    intercept_db, slope_db : float
        The model's constants (dB, dB per decade); the paper's 103.8 and 20.9 by default.

    Returns
    -------
    pathloss_db : [...], float
        Path loss (dB); e.g. 82.9 dB at 100 m.
    """
    d = _positive(distance_m, "distance_m")
    return intercept_db + slope_db * np.log10(d / 1000.0)


def pathloss_ci_db(distance_m: ArrayLike, carrier_hz: float, exponent: float) -> np.ndarray:
    """Close-in free-space reference path loss (seed 004 §V-A, its ref. [39]), no shadowing.

    ``PL = 20 log10(4 pi f_c d0 / c) + 10 n log10(d / d0)`` with ``d0 = 1 m``
    (:data:`CI_REFERENCE_M`).

    Parameters
    ----------
    distance_m : [...], float
        Link distance (m), positive. The model is meant for ``d >= d0``; callers clamp.
    carrier_hz : float
        Carrier frequency (Hz); 10 GHz in seed 004.
    exponent : float
        Path-loss exponent ``n``; 2.8 in seed 004.

    Returns
    -------
    pathloss_db : [...], float
        Path loss (dB); 52.44 dB at 1 m and 10 GHz, then ``10 n`` dB per decade.
    """
    d = _positive(distance_m, "distance_m")
    if not carrier_hz > 0.0:
        raise ValueError(f"carrier_hz must be positive, got {carrier_hz!r}")
    free_space_db = 20.0 * np.log10(4.0 * np.pi * carrier_hz * CI_REFERENCE_M / SPEED_OF_LIGHT_MPS)
    return free_space_db + 10.0 * exponent * np.log10(d / CI_REFERENCE_M)


def draw_shadowing_db(rng: np.random.Generator, shape: int | tuple[int, ...],
                      std_db: float) -> np.ndarray:
    """Log-normal shadowing: i.i.d. ``N(0, std_db^2)`` values in dB, added to a path loss.

    Parameters
    ----------
    rng : numpy.random.Generator
    shape : int or tuple of int
        Output shape, e.g. ``(num_users,)``; ``()`` for one value.
    std_db : float
        Standard deviation (dB), non-negative; 8.4 dB in seed 004 §V-A.

    Returns
    -------
    shadowing_db : shape, float
    """
    if not std_db >= 0.0:
        raise ValueError(f"std_db must be non-negative, got {std_db!r}")
    return std_db * rng.standard_normal(shape)


def pathloss_gain_lin(pathloss_db: ArrayLike) -> np.ndarray:
    """Linear channel power gain of a path loss: ``10^(-PL/10)`` (seed 000 eq. (44)).

    Parameters
    ----------
    pathloss_db : [...], float
        Path loss (dB), shadowing included where wanted.

    Returns
    -------
    gain_lin : [...], float
        Power gain (linear ratio, < 1 for a positive loss).
    """
    return db_to_lin(-np.asarray(pathloss_db, dtype=float))
