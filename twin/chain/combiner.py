"""Linear detection / combining at the receiver."""

from __future__ import annotations

import numpy as np


def detect(w: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``y_hat = W y^q`` with detection rows ``w_k`` (seed 000 eq. (10)).

    w : [K, M] complex (row k detects user k); y : [M, T] complex -> [K, T]
    """
    return w @ y
