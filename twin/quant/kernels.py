"""Compiled inner loops of the bit-true converters.

NOTE: written as explicit loops for numba so that scaling, rounding, clipping, the integer code
and its reconstruction happen in one pass over memory. The same steps as separate numpy ufuncs
make six passes and run at about 0.15x the speed of a plain copy; this runs at about 0.6x
(``benchmarks/bench_quantizer.py``). Inputs are ``(groups, length)`` rails: every row shares
one gain (one antenna and block of samples, I and Q interleaved).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def uniform_rows(u, inv_step, step, code_lo, code_hi, rounding, offset,
                 codes, values, clips):  # pragma: no cover - compiled
    """Uniform quantizer on rows: ``code = clip(floor(u / step + rounding), lo, hi)``.

    A mid-riser has ``rounding = 0`` and ``offset = 1/2`` (levels at (c + 1/2) step); a mid-tread
    ``rounding = 1/2`` and ``offset = 0`` (levels at c step). A rail is clipped exactly when the
    clip changes its code, i.e. when it lies outside the granular region.
    """
    for g in range(u.shape[0]):
        inv = inv_step[g]
        s = step[g]
        row_u, row_codes, row_values = u[g], codes[g], values[g]
        n_clip = 0
        for i in range(row_u.size):
            # NOTE: branch-free min/max and a boolean count keep this loop vectorized.
            t = np.floor(row_u[i] * inv + rounding)
            tc = min(max(t, code_lo), code_hi)
            n_clip += tc != t
            row_codes[i] = tc
            row_values[i] = (tc + offset) * s
        clips[g] = n_clip


@numba.njit(cache=True, nogil=True)
def table_rows(u, inv_scale, scale, pos_thresholds, pos_levels, overload,
               codes, values, clips):  # pragma: no cover - compiled
    """Odd-symmetric table quantizer on rows (2n levels, n of them positive).

    ``pos_thresholds`` are the n - 1 positive decision thresholds, ``pos_levels`` the n positive
    levels. Code c >= 0 reconstructs ``pos_levels[c]``; c < 0 reconstructs ``-pos_levels[-1 - c]``,
    the two's-complement layout of a mid-riser converter.
    """
    for g in range(u.shape[0]):
        inv = inv_scale[g]
        s = scale[g]
        n_clip = 0
        for i in range(u.shape[1]):
            y = u[g, i] * inv
            a = abs(y)
            k = np.searchsorted(pos_thresholds, a, side="right")
            if a > overload:
                n_clip += 1
            if y >= 0:
                codes[g, i] = k
                values[g, i] = pos_levels[k] * s
            else:
                codes[g, i] = -1 - k
                values[g, i] = -pos_levels[k] * s
        clips[g] = n_clip


@numba.njit(cache=True, nogil=True, fastmath={"reassoc"})
def mean_square_rows(u, out):  # pragma: no cover - compiled
    """``out[g] = mean(u[g] ** 2)``, accumulated in float64 whatever the rails' precision.

    NOTE: ``reassoc`` lets the sum run in SIMD lanes (a plain loop adds one rail at a time, 3x
    slower); the order is fixed by the compiled code, so results stay repeatable.
    """
    n = max(u.shape[1], 1)
    for g in range(u.shape[0]):
        acc = 0.0
        for i in range(u.shape[1]):
            v = np.float64(u[g, i])
            acc += v * v
        out[g] = acc / n


@numba.njit(cache=True, nogil=True)
def uniform_rms_rows(u, target_rms, step, one, code_lo, code_hi, rounding, offset,
                     scale, codes, values, clips):  # pragma: no cover - compiled
    """RMS AGC and uniform quantizer on rows in one call; returns False on a non-finite gain.

    The gain is :meth:`twin.quant.agc.AutomaticGainControl.scale`'s (``"rms"``) and the steps
    :meth:`twin.quant.uniform.UniformQuantizer.quantize`'s, operation for operation, so the
    result is bit-identical to calling the two; ``one`` is 1 in the rails' precision.
    """
    mean_square_rows(u, scale)
    gain = np.empty_like(u[:, 0])  # the scale rounded to the rails' precision
    step_rows = np.empty_like(gain)
    inv_step = np.empty_like(gain)
    for g in range(u.shape[0]):
        level = np.sqrt(scale[g]) / target_rms
        if not np.isfinite(level):
            return False
        scale[g] = level if level > 0.0 else 1.0
        gain[g] = scale[g]
        step_rows[g] = step * np.float64(gain[g])
        inv_step[g] = one / step_rows[g]
    uniform_rows(u, inv_step, step_rows, code_lo, code_hi, rounding, offset, codes, values,
                 clips)
    return True
