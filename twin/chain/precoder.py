"""Linear precoding: the digital baseband signal fed to the DACs."""

from __future__ import annotations

import numpy as np


def precode_per_user(precoders: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``x_k = P_k s_k`` for every user (seed 000 eq. (1)).

    precoders : [K, N_k] complex; s : [K, T] complex -> [K, N_k, T] complex
    """
    return precoders[:, :, None] * s[:, None, :]


def precode_joint(w: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``x_D = W s_D`` at a multi-antenna transmitter (seed 004 eq. (1)).

    w : [N_t, K_D] complex; s : [K_D, T] complex -> [N_t, T] complex
    """
    return w @ s
