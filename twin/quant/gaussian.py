"""Exact second-order statistics of a scalar quantizer driven by a unit-variance Gaussian.

A quantizer is described by its ascending decision thresholds ``t`` (N - 1 finite values) and
reconstruction levels ``y`` (N values); cell i is ``[t[i-1], t[i])`` with ``t[-1] = -inf`` and
``t[N-1] = +inf``. With phi and Phi the standard normal pdf and cdf, per cell

    int_a^b (x - y)^2 phi(x) dx = (Phi(b) - Phi(a)) (1 + y^2) - (b phi(b) - a phi(a))
                                  + 2 y (phi(b) - phi(a)),
    int_a^b x phi(x) dx        = phi(a) - phi(b).

These closed forms give the normalized MSE beta = E(x - Q(x))^2 / E x^2 and the Bussgang gain
alpha = E[x Q(x)] / E x^2 that the AQNM (seed 000 eqs. (2)-(4), seed 004 eqs. (2)-(3)) assumes.
Applied to each rail of a circularly-symmetric complex Gaussian they give the complex figures too,
since both ratios are scale-free and I and Q are quantized separately.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


def normal_pdf(x: np.ndarray) -> np.ndarray:
    """Standard normal density, 0 at +-inf."""
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) * _INV_SQRT_2PI


def cell_probability(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """P(lower <= x < upper) for x ~ N(0, 1), accurate far in either tail."""
    lower = np.asarray(lower, dtype=float)
    upper = np.asarray(upper, dtype=float)
    # NOTE: cdf differences lose all digits beyond ~8 sigma; survival differences keep them.
    return np.where(lower >= 0.0, ndtr(-lower) - ndtr(-upper), ndtr(upper) - ndtr(lower))


def _edges(thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(thresholds, dtype=float)
    edges = np.concatenate(([-np.inf], t, [np.inf]))
    return edges[:-1], edges[1:]


def _x_pdf(x: np.ndarray) -> np.ndarray:
    # x phi(x) -> 0 at +-inf, where the product would be inf * 0.
    return np.where(np.isfinite(x), x * normal_pdf(np.where(np.isfinite(x), x, 0.0)), 0.0)


def gaussian_mse(thresholds: np.ndarray, levels: np.ndarray) -> float:
    """Normalized MSE beta of a quantizer for a unit-variance Gaussian input.

    Parameters
    ----------
    thresholds : [N - 1], float
        Ascending decision thresholds, in units of the input's standard deviation.
    levels : [N], float
        Reconstruction levels, same units.

    Returns
    -------
    float
        ``E(x - Q(x))^2`` for ``x ~ N(0, 1)``, which equals ``beta`` since ``E x^2 = 1``.
    """
    a, b = _edges(thresholds)
    y = np.asarray(levels, dtype=float)
    p = cell_probability(a, b)
    per_cell = (p * (1.0 + y * y) - (_x_pdf(b) - _x_pdf(a))
                + 2.0 * y * (normal_pdf(b) - normal_pdf(a)))
    return float(np.sum(per_cell))


def gaussian_bussgang_gain(thresholds: np.ndarray, levels: np.ndarray) -> float:
    """Bussgang gain alpha = E[x Q(x)] / E[x^2] for ``x ~ N(0, 1)``.

    For a quantizer whose levels are the cell centroids (Lloyd-Max) this equals ``1 - beta``,
    the AQNM's assumption (seed 000 eq. (3)); for other quantizers it does not.
    """
    a, b = _edges(thresholds)
    y = np.asarray(levels, dtype=float)
    return float(np.sum(y * (normal_pdf(a) - normal_pdf(b))))
