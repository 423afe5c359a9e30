"""Seed 000's AQNM closed forms: decoding order (11), SINR and rate (12)-(13), power (5).

All functions take one slot's CSI and action; arrays are complex128 analysis values.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    num_users, num_bs, num_ant = h.shape
    alpha_t = np.broadcast_to(alpha_t, precoders.shape)
    q_t = alpha_t * (1.0 - alpha_t) * np.abs(precoders) ** 2            # diag R_k^T, eq. (4)
    h_all = h.transpose(1, 0, 2).reshape(num_bs, num_users * num_ant)
    a, ryy = received_statistics(h, precoders, alpha_t, noise_w)       # H_k Theta_k P_k, E[yy^H]
    q_r = alpha_r * (1.0 - alpha_r) * np.real(np.diag(ryy))            # diag R^R, eq. (9)
    v = detector * alpha_r                                             # w_k Theta_B
    cross = v @ a.T                                                    # [k, j]
    # w_k Theta_B H_i R_i^T H_i^H Theta_B w_k^H: R_i^T is diagonal over user i's antennas.
    through = np.abs(v @ h_all) ** 2                                   # [k, (i, n)]
    dac_noise = (through.reshape(num_users, num_users, num_ant) * q_t).sum(axis=-1)  # [k, i]
    own = np.sum(np.abs(v) ** 2, axis=1) * noise_w + np.sum(np.abs(detector) ** 2 * q_r, axis=1)
    desired = np.abs(np.diag(cross)) ** 2
    nu = dac_noise.sum(axis=1) + own                                   # NU_k, eq. (13)
    sinr_su = desired / (np.diag(dac_noise) + own)                     # eq. (11)
    order = np.argsort(-sinr_su, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    later = rank[None, :] > rank[:, None]                              # j decoded after k
    interference = np.abs(cross) ** 2
    iu = np.sum(np.where(later, interference, 0.0), axis=1)            # IU_k, eq. (13)
    all_others = interference.sum(axis=1) - desired
    tx_power = np.sum(alpha_t * np.abs(precoders) ** 2, axis=1)        # eq. (5)
    num_users = h.shape[0]
    return NomaPrediction(desired / (iu + nu), desired / (all_others + nu),
                          num_users * desired / nu, sinr_su, order, cross, tx_power)
