"""Seed 000's AQNM closed forms: decoding order (11), SINR and rate (12)-(13), power (5).

All functions take one slot's CSI and action; arrays are complex128 analysis values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np


@dataclass(frozen=True, slots=True)
class NomaPrediction:
    """What the AQNM predicts for one slot.

    Attributes
    ----------
    sinr : [K] float, linear SINR of each user after SIC in ``order`` (eq. (12))
    sinr_no_sic : [K] float, all other users as noise (the QWoMA benchmark)
    sinr_fdma : [K] float, FDMA with 1/K of the band each (the QOMA benchmark): no inter-user
        interference, and 1/K of the (white, wideband) thermal and quantization noise in band
    sinr_single_user : [K] float, eq. (11)'s argument (own noise only)
    order : [K] int, decoding order (eq. (11): highest single-user rate first)
    cross : [K, K] complex, ``cross[k, j] = w_k Theta_B H_j Theta_j P_j``
    tx_power_w : [K] float, ``P_k^T = tr E[x^q x^qH] = sum_n alpha_n |P_kn|^2`` (eq. (5))
    """

    sinr: np.ndarray
    sinr_no_sic: np.ndarray
    sinr_fdma: np.ndarray
    sinr_single_user: np.ndarray
    order: np.ndarray
    cross: np.ndarray
    tx_power_w: np.ndarray


def received_statistics(h: np.ndarray, precoders: np.ndarray, alpha_t: np.ndarray,
                        noise_w: float) -> tuple[np.ndarray, np.ndarray]:
    """Effective channels and ADC-input covariance under the AQNM (seed 000 eqs. (2)-(6), (9)).

    Returns ``a`` [K, M] complex, ``a_k = H_k Theta_k P_k``, and ``E[y y^H]`` [M, M] complex,
    ``sum_k H_k (Theta P P^H Theta + R_k^T) H_k^H + sigma^2 I``.
    """
    num_users, num_bs, num_ant = h.shape
    alpha_t = np.broadcast_to(alpha_t, precoders.shape)
    q_t = alpha_t * (1.0 - alpha_t) * np.abs(precoders) ** 2            # diag R_k^T, eq. (4)
    # NOTE: every user's channel side by side, [M, K N], so the sum over users is one GEMM.
    h_all = h.transpose(1, 0, 2).reshape(num_bs, num_users * num_ant)
    a = np.einsum("kmn,kn->km", h, alpha_t * precoders)
    ryy = (a.T @ a.conj() + (h_all * q_t.reshape(-1)) @ h_all.conj().T
           + noise_w * np.eye(num_bs))
    return a, ryy


@numba.njit(cache=True, nogil=True)
def _detector_terms(h, precoders, detector, alpha_t, alpha_r, noise_w):  # pragma: no cover
    """``cross`` [K, K], the DAC noise ``dac_noise[k, i]`` user i's DACs leave in detector k,
    and each detector's own (thermal + ADC) noise ``own`` [K] (seed 000 eqs. (4), (9), (13)).

    NOTE: explicit loops over the tiny K x M x N arrays: numpy spent ~40 calls of a few us each
    on them, ten times this.
    """
    num_users, num_bs, num_ant = h.shape
    q_t = np.empty((num_users, num_ant))                 # diag R_k^T, eq. (4)
    a = np.zeros((num_users, num_bs), dtype=np.complex128)   # H_k Theta_k P_k
    ryy = np.full(num_bs, noise_w)                       # diag E[y y^H]
    for k in range(num_users):
        for n in range(num_ant):
            p = precoders[k, n]
            p2 = p.real * p.real + p.imag * p.imag
            q_t[k, n] = alpha_t[k, n] * (1.0 - alpha_t[k, n]) * p2
            for m in range(num_bs):
                a[k, m] += h[k, m, n] * (alpha_t[k, n] * p)
                hm = h[k, m, n]
                ryy[m] += (hm.real * hm.real + hm.imag * hm.imag) * q_t[k, n]
    for k in range(num_users):
        for m in range(num_bs):
            ryy[m] += a[k, m].real * a[k, m].real + a[k, m].imag * a[k, m].imag
    q_r = alpha_r * (1.0 - alpha_r) * ryy                # diag R^R, eq. (9)
    cross = np.zeros((num_users, num_users), dtype=np.complex128)
    dac_noise = np.zeros((num_users, num_users))
    own = np.zeros(num_users)
    for k in range(num_users):
        for m in range(num_bs):
            v = detector[k, m] * alpha_r[m]              # w_k Theta_B
            w2 = detector[k, m].real ** 2 + detector[k, m].imag ** 2
            own[k] += (v.real * v.real + v.imag * v.imag) * noise_w + w2 * q_r[m]
        for i in range(num_users):
            c = 0j
            for m in range(num_bs):
                c += detector[k, m] * alpha_r[m] * a[i, m]
            cross[k, i] = c
            # w_k Theta_B H_i R_i^T H_i^H Theta_B w_k^H: R_i^T is diagonal.
            for n in range(num_ant):
                g = 0j
                for m in range(num_bs):
                    g += detector[k, m] * alpha_r[m] * h[i, m, n]
                dac_noise[k, i] += (g.real * g.real + g.imag * g.imag) * q_t[i, n]
    return cross, dac_noise, own


@numba.njit(cache=True, nogil=True)
def _sinrs(cross, dac_noise, own, alpha_t, precoders):  # pragma: no cover - compiled
    """Decoding order (11), SINRs (12) with and without SIC, FDMA's, and the power (5)."""
    num_users = cross.shape[0]
    interference = np.abs(cross) ** 2
    desired = np.empty(num_users)
    nu = np.empty(num_users)                             # NU_k, eq. (13)
    sinr_su = np.empty(num_users)                        # eq. (11)
    for k in range(num_users):
        desired[k] = interference[k, k]
        nu[k] = dac_noise[k].sum() + own[k]
        sinr_su[k] = desired[k] / (dac_noise[k, k] + own[k])
    order = np.argsort(-sinr_su, kind="mergesort")       # stable: ties keep user order
    rank = np.empty(num_users, dtype=np.int64)
    rank[order] = np.arange(num_users)
    sinr, no_sic, fdma = np.empty(num_users), np.empty(num_users), np.empty(num_users)
    for k in range(num_users):
        iu = 0.0                                         # IU_k, eq. (13): decoded after k
        for j in range(num_users):
            if rank[j] > rank[k]:
                iu += interference[k, j]
        sinr[k] = desired[k] / (iu + nu[k])
        no_sic[k] = desired[k] / (interference[k].sum() - desired[k] + nu[k])
        fdma[k] = num_users * desired[k] / nu[k]
    tx_power = np.sum(alpha_t * np.abs(precoders) ** 2, axis=1)
    return sinr, no_sic, fdma, sinr_su, order, tx_power


def predict_noma(h: np.ndarray, precoders: np.ndarray, detector: np.ndarray,
                 alpha_t: np.ndarray, alpha_r: np.ndarray, noise_w: float) -> NomaPrediction:
    """AQNM SINRs of seed 000 eqs. (11)-(13).

    Parameters
    ----------
    h : [K, M, N_k] complex, channels H_k
    precoders : [K, N_k] complex, P_k
    detector : [K, M] complex, rows w_k
    alpha_t : [N_k] or [K, N_k] float, DAC alphas (betas are 1 - alpha, eq. (3))
    alpha_r : [M] float, ADC alphas (eq. (8))
    noise_w : float, sigma^2
    """
    precoders = np.ascontiguousarray(precoders, dtype=np.complex128)
    alpha_t = np.ascontiguousarray(np.broadcast_to(alpha_t, precoders.shape), dtype=np.float64)
    cross, dac_noise, own = _detector_terms(
        np.ascontiguousarray(h, dtype=np.complex128), precoders,
        np.ascontiguousarray(detector, dtype=np.complex128), alpha_t,
        np.ascontiguousarray(alpha_r, dtype=np.float64), float(noise_w))
    sinr, no_sic, fdma, sinr_su, order, tx_power = _sinrs(cross, dac_noise, own, alpha_t,
                                                          precoders)
    return NomaPrediction(sinr, no_sic, fdma, sinr_su, order, cross, tx_power)
