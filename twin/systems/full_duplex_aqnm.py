"""Seed 004's AQNM closed forms for the DL and UL SINR.

The paper's SE expressions (29)-(30) are lost in its text; they follow from the signal models
(9)-(14) and the covariances (3), (7)-(8), as its eqs. (39) and (51) confirm:

DL user k (eq. (14)):
    SINR_D,k = P_D |h_k^H Phi_a w_k|^2 / ( P_D sum_{j!=k} |h_k^H Phi_a w_j|^2 + h_k^H R_qDAC h_k
                                            + P_U ||g_CCI,k||^2 + sigma^2 )
UL user k after digital SIC (eqs. (9)-(11)):
    SINR_U,k = P_U |f_k^H Phi_aADC h_U,k|^2 / ( f_k^H R_UL f_k - P_U |f_k^H Phi_aADC h_U,k|^2 )
with R_UL = Phi_aADC (P_U H_U H_U^H + kappa_d G_SI C_xDq G_SI^H + sigma^2 I) Phi_aADC + R_qADC,
C_xDq = P_D Phi_a W W^H Phi_a + R_qDAC, and R_qADC from E[r r^H] of eq. (8), which holds the
whole residual *analog* SI: the ADC sees the SI before digital SIC.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.config import FullDuplexConfig
from twin.units import dbm_to_w


def dac_output_covariance(w: np.ndarray, alpha_dac: np.ndarray, p_d_w: float) -> np.ndarray:
    """``C_xDq = P_D Phi W W^H Phi + R_qDAC`` (seed 004 eqs. (2)-(3)); [N_t, N_t]."""
    aw = alpha_dac[:, None] * w
    r_dac = alpha_dac * (1 - alpha_dac) * p_d_w * np.sum(np.abs(w) ** 2, axis=1)
    return p_d_w * aw @ aw.conj().T + np.diag(r_dac)


def _received_terms(snap, w, alpha_dac, cfg: FullDuplexConfig):
    """The UL signal ``P_U H_U H_U^H``, residual analog SI ``G_SI C_xDq G_SI^H`` and noise
    ``sigma^2 I`` at the ADC input (seed 004 eq. (8)), each [N_r, N_r]."""
    p_u, p_d = float(dbm_to_w(cfg.p_ul_dbm)), float(dbm_to_w(cfg.p_dl_dbm))
    c_x = dac_output_covariance(w, alpha_dac, p_d)
    return (p_u * snap.H_U @ snap.H_U.conj().T, snap.G_SI @ c_x @ snap.G_SI.conj().T,
            cfg.noise_w * np.eye(snap.H_U.shape[0]))


def ul_covariance(snap, w, alpha_dac, alpha_adc, cfg: FullDuplexConfig) -> np.ndarray:
    """Covariance of the UL signal after ADC and digital SIC (seed 004 eqs. (7)-(9))."""
    ul, si, noise = _received_terms(snap, w, alpha_dac, cfg)
    # The ADC noise (7) sees all the analog SI; digital SIC then leaves kappa_d of it (9).
    r_q = alpha_adc * (1 - alpha_adc) * np.real(np.diag(ul + si + noise))
    inner = ul + cfg.kappa_d_lin * si + noise
    return alpha_adc[:, None] * inner * alpha_adc[None, :] + np.diag(r_q)


@dataclass(frozen=True, slots=True)
class FullDuplexPrediction:
    """sinr_dl [K_D], sinr_ul [K_U] (linear), dl_power_w [K_D] (P_D ||w_k||^2)."""

    sinr_dl: np.ndarray
    sinr_ul: np.ndarray
    dl_power_w: np.ndarray


def predict_full_duplex(snap, w, f, alpha_dac, alpha_adc,
                        cfg: FullDuplexConfig) -> FullDuplexPrediction:
    """AQNM SINRs of every DL and UL user (see the module docstring)."""
    p_u, p_d = float(dbm_to_w(cfg.p_ul_dbm)), float(dbm_to_w(cfg.p_dl_dbm))
    g = snap.H_D.conj().T @ (alpha_dac[:, None] * w)                  # [K_D, K_D]: h_k^H Phi w_j
    desired_dl = p_d * np.abs(np.diag(g)) ** 2
    r_dac = alpha_dac * (1 - alpha_dac) * p_d * np.sum(np.abs(w) ** 2, axis=1)
    dac_noise = np.real(np.einsum("nk,n,nk->k", snap.H_D.conj(), r_dac, snap.H_D))
    cci = p_u * np.sum(np.abs(snap.G_CCI) ** 2, axis=0)
    sinr_dl = desired_dl / (p_d * np.sum(np.abs(g) ** 2, axis=1) - desired_dl + dac_noise + cci
                            + cfg.noise_w)
    r_ul = ul_covariance(snap, w, alpha_dac, alpha_adc, cfg)
    eff = alpha_adc[:, None] * snap.H_U                                # Phi_aADC h_U,k
    desired_ul = p_u * np.abs(np.sum(f.conj() * eff, axis=0)) ** 2
    total = np.real(np.einsum("nk,nm,mk->k", f.conj(), r_ul, f))
    return FullDuplexPrediction(sinr_dl, desired_ul / (total - desired_ul),
                                p_d * np.sum(np.abs(w) ** 2, axis=0))
