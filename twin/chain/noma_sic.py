"""NOMA successive interference cancellation in the decoding order of seed 000 eq. (11)."""

from __future__ import annotations

import numpy as np


def successive_cancellation(y_hat: np.ndarray, cross: np.ndarray, s: np.ndarray,
                            order: np.ndarray, decide=None) -> np.ndarray:
    """Cancel the users decoded before each user from its detector output.

    Parameters
    ----------
    y_hat : [K, T] complex, detector outputs ``w_k y^q``
    cross : [K, K] complex, ``cross[k, j] = w_k Theta_B H_j Theta_j P_j``: how user j appears in
        detector k under the receiver's (Bussgang) model of the converters
    s : [K, T] complex, the transmitted symbols
    order : [K] int, users in decoding order (strongest first, eq. (11))
    decide : callable(z_k, k) -> symbols, optional
        The decoder's decision for user k. ``None``: decoding succeeds, and the true symbols are
        subtracted, as the rate expressions (12)-(13) assume.

    Returns
    -------
    [K, T] complex, the signal each user is decoded from.
    """
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    if decide is None:
        # Error-free decoding: user k's detector output minus every user decoded before it.
        before = rank[None, :] < rank[:, None]
        return y_hat - np.where(before, cross, 0.0) @ s
    z = np.empty_like(y_hat)
    decided = np.zeros_like(s)
    done: list[int] = []
    for k in order:
        z[k] = y_hat[k] - (cross[k, done] @ decided[done] if done else 0.0)
        decided[k] = s[k] if decide is None else decide(z[k], k)
        done.append(int(k))
    return z
