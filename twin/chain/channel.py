"""Propagation: the multi-user MIMO channel applied to transmitted waveforms."""

from __future__ import annotations

import numpy as np


def uplink_mimo(h: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``sum_k H_k x_k`` (seed 000 eq. (6), noise added separately).

    h : [K, M, N_k] complex; x : [K, N_k, T] complex -> [M, T] complex
    """
    # One GEMM: [M, K N] @ [K N, T].
    k, m, n = h.shape
    return h.transpose(1, 0, 2).reshape(m, k * n) @ x.reshape(k * n, -1)


def apply_matrix(h: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``H x`` for one matrix channel: h [R, S], x [S, T] -> [R, T]."""
    return h @ x
