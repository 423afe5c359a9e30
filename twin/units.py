"""Unit conversions: the only place in the code where dB and dBm meet linear values.

Inside the twin every power is linear (watts, or a plain ratio); dB exists at the edges only.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def db_to_lin(value_db: ArrayLike) -> np.ndarray | float:
    """Power ratio in dB -> linear ratio."""
    return np.power(10.0, np.asarray(value_db, dtype=float) / 10.0)


def lin_to_db(value_lin: ArrayLike) -> np.ndarray | float:
    """Linear power ratio -> dB (``-inf`` for zero)."""
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.asarray(value_lin, dtype=float))


def dbm_to_w(power_dbm: ArrayLike) -> np.ndarray | float:
    """Power in dBm -> watts."""
    return np.power(10.0, (np.asarray(power_dbm, dtype=float) - 30.0) / 10.0)


def w_to_dbm(power_w: ArrayLike) -> np.ndarray | float:
    """Power in watts -> dBm (``-inf`` for zero)."""
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.asarray(power_w, dtype=float)) + 30.0


def amplitude_db_to_lin(value_db: ArrayLike) -> np.ndarray | float:
    """Amplitude ratio in dB (20 log10) -> linear ratio, e.g. a converter back-off."""
    return np.power(10.0, np.asarray(value_db, dtype=float) / 20.0)
