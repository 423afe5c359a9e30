"""Quantization-aware linear MMSE (qMMSE) combiner of seed 004 §IV-C, eqs. (63)-(65)."""

from __future__ import annotations

import numpy as np

from twin.config import FullDuplexConfig
from twin.systems.full_duplex_aqnm import ul_covariance


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
    - one solve with ``R_UL`` serves all users: by Sherman-Morrison,
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
    r_ul = ul_covariance(snap, precoder, alpha_dac, alpha_adc, cfg)        # [N_r, N_r]
    f = np.linalg.solve(r_ul, alpha_adc[:, None] * snap.H_U)               # [N_r, K_U]
    return f / np.linalg.norm(f, axis=0, keepdims=True)
