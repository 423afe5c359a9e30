"""Quantization-aware linear MMSE (qMMSE) combiner of seed 004 §IV-C, eqs. (63)-(65).

Compiled with numba (:func:`qmmse_kernel`) because Algorithm 2 (:mod:`twin.control.gpi_kernel`)
calls it every round; the Cholesky factor and solve here serve the GPI blocks too.
"""

from __future__ import annotations

import numba
import numpy as np

from twin.config import FullDuplexConfig
from twin.units import dbm_to_w


def qmmse_combiner(snap, precoder: np.ndarray, alpha_dac: np.ndarray, alpha_adc: np.ndarray,
                   cfg: FullDuplexConfig) -> np.ndarray:
    """The qMMSE combiner for a given DL precoder (seed 004 eqs. (63)-(65)).

    Seed 004 eq. (64) sets ``f_k = K_zk^{-1} h_U,k`` with ``K_zk = E[z_k z_k^H]`` (65), the
    covariance of everything but UL user k's own signal after the ADCs: the other UL users,
    the residual SI after digital SIC (its DAC-noise part included), the ADC noise and
    ``Phi_aADC n_U``. That is the ADC-output covariance ``R_UL`` of
    :func:`twin.systems.full_duplex_aqnm.ul_covariance` less ``P_U Phi h_U,k h_U,k^H Phi``.

    Departures, both leaving the SINR of every UL user the one (64) gives or better:

    - the matched vector is ``Phi_aADC h_U,k`` (the channel the combiner sees after the ADCs)
      rather than ``h_U,k``: ``K_zk^{-1} Phi_aADC h_U,k`` maximizes ``SINR_U,k`` (a generalized
      Rayleigh quotient), and with one resolution for all ADCs ``Phi_aADC = alpha I`` so both
      read the same;
    - one (Cholesky) factorization of ``R_UL`` serves all users: by Sherman-Morrison,
      ``R_UL^{-1} Phi h_k = K_zk^{-1} Phi h_k / (1 + P_U h_k^H Phi K_zk^{-1} Phi h_k)``, the same
      direction; columns are then scaled to unit norm (the SINR does not depend on the scale,
      and Algorithm 2's stopping rule compares combiners).

    Parameters
    ----------
    snap : FullDuplexSnapshot
        ``H_U`` [N_r, K_U], ``G_SI`` [N_r, N_t] complex128.
    precoder : [N_t, K_D], complex
        ``W`` with ``||W||_F = 1`` (the symbols carry ``P_D``).
    alpha_dac : [N_t], float
        DAC Bussgang gains ``alpha`` (seed 004 eq. (2)).
    alpha_adc : [N_r], float
        ADC Bussgang gains (seed 004 eq. (7)).
    cfg : FullDuplexConfig

    Returns
    -------
    [N_r, K_U], complex128
        ``F``, column ``f_k`` of unit norm.
    """
    return qmmse_kernel(np.ascontiguousarray(snap.G_SI, dtype=np.complex128),
                        np.ascontiguousarray(snap.H_U, dtype=np.complex128),
                        np.ascontiguousarray(precoder, dtype=np.complex128),
                        np.asarray(alpha_dac, dtype=float), np.asarray(alpha_adc, dtype=float),
                        float(dbm_to_w(cfg.p_dl_dbm)), float(dbm_to_w(cfg.p_ul_dbm)),
                        cfg.noise_w, cfg.kappa_d_lin)


@numba.njit(cache=True, nogil=True)
def qmmse_kernel(g_si, h_u, w, alpha_dac, alpha_adc, p_d_w, p_u_w, noise_w,
                 kappa_d):  # pragma: no cover - compiled
    """:func:`qmmse_combiner` on arrays (C-ordered complex128), for the compiled Algorithm 2."""
    r_ul = ul_covariance_kernel(g_si, h_u, w, alpha_dac, alpha_adc, p_d_w, p_u_w, noise_w,
                                kappa_d)
    low = cholesky(r_ul)                                   # R_UL is a covariance plus noise
    num_r, k_u = h_u.shape
    f = np.empty((num_r, k_u), dtype=np.complex128)
    col = np.empty(num_r, dtype=np.complex128)
    for k in range(k_u):
        for r in range(num_r):
            col[r] = alpha_adc[r] * h_u[r, k]
        cholesky_solve(low, col)
        norm = 0.0
        for r in range(num_r):
            norm += col[r].real ** 2 + col[r].imag ** 2
        norm = np.sqrt(norm)
        for r in range(num_r):
            f[r, k] = col[r] / norm
    return f


@numba.njit(cache=True, nogil=True)
def ul_covariance_kernel(g_si, h_u, w, alpha_dac, alpha_adc, p_d_w, p_u_w, noise_w,
                         kappa_d):  # pragma: no cover - compiled
    """``R_UL`` [N_r, N_r] of :func:`twin.systems.full_duplex_aqnm.ul_covariance` (seed 004
    eqs. (2)-(3), (7)-(9)), compiled for Algorithm 2's loop.

    NOTE: a second implementation of that function, kept because its ~25 numpy calls cost
    more than the arithmetic at N_r = 16 and qMMSE runs every round;
    ``tests/control/test_gpi.py`` checks that the two agree.
    """
    num_r, num_t = g_si.shape
    k_d, k_u = w.shape[1], h_u.shape[1]
    r_dac = np.empty(num_t)                                        # diag R_qDAC (3)
    for n in range(num_t):
        energy = 0.0
        for k in range(k_d):
            energy += w[n, k].real ** 2 + w[n, k].imag ** 2
        r_dac[n] = alpha_dac[n] * (1 - alpha_dac[n]) * p_d_w * energy
    gaw = np.zeros((num_r, k_d), dtype=np.complex128)             # G Phi_a W
    for r in range(num_r):
        for n in range(num_t):
            for k in range(k_d):
                gaw[r, k] += g_si[r, n] * alpha_dac[n] * w[n, k]
    out = np.empty((num_r, num_r), dtype=np.complex128)
    for i in range(num_r):
        for j in range(i, num_r):
            # residual analog SI at the ADC input: G C_xDq G^H, C_xDq = P_D Phi W W^H Phi + R_qDAC
            si = 0j
            for k in range(k_d):
                si += p_d_w * gaw[i, k] * gaw[j, k].conjugate()
            for n in range(num_t):
                si += g_si[i, n] * r_dac[n] * g_si[j, n].conjugate()
            ul = 0j
            for k in range(k_u):
                ul += p_u_w * h_u[i, k] * h_u[j, k].conjugate()
            inner = ul + kappa_d * si
            if i == j:
                inner += noise_w
                # R_qADC (7)-(8): the ADC sees all the analog SI, before digital SIC
                out[i, i] = (alpha_adc[i] ** 2 * inner + alpha_adc[i] * (1 - alpha_adc[i])
                             * (ul.real + si.real + noise_w))
            else:
                out[i, j] = alpha_adc[i] * inner * alpha_adc[j]
                out[j, i] = out[i, j].conjugate()
    return out


@numba.njit(cache=True, nogil=True)
def cholesky(a):  # pragma: no cover - compiled
    """Lower ``L`` [n, n] with ``a = L L^H``, for Hermitian positive definite ``a`` [n, n].

    NOTE: by hand: at n = 16 LAPACK's call and copies cost more than the n^3/6 multiply-adds,
    and numba compiles these loops in a fraction of the time its LAPACK bindings take.
    """
    n = a.shape[0]
    low = np.zeros_like(a)
    for j in range(n):
        d = a[j, j].real
        for k in range(j):
            d -= low[j, k].real ** 2 + low[j, k].imag ** 2
        if not d > 0:
            raise ValueError("matrix is not positive definite (to round-off)")
        ljj = np.sqrt(d)
        low[j, j] = ljj
        for i in range(j + 1, n):
            acc = a[i, j]
            for k in range(j):
                acc -= low[i, k] * low[j, k].conjugate()
            low[i, j] = acc / ljj
    return low


@numba.njit(cache=True, nogil=True)
def cholesky_solve(low, x):  # pragma: no cover - compiled
    """``x <- (L L^H)^{-1} x`` in place, ``low`` from :func:`cholesky`, ``x`` [n]."""
    n = low.shape[0]
    for i in range(n):                                        # L y = x
        acc = x[i]
        for k in range(i):
            acc -= low[i, k] * x[k]
        x[i] = acc / low[i, i].real
    for i in range(n - 1, -1, -1):                            # L^H x = y
        acc = x[i]
        for k in range(i + 1, n):
            acc -= low[k, i].conjugate() * x[k]
        x[i] = acc / low[i, i].real
