"""Leakage-aware precoders for fixed detectors, and the alternation with the MMSE-SIC detector.

For detectors ``w_j`` held fixed, user ``k``'s precoder ``P_k`` enters seed 000 (12)-(13) in
four places, all quadratic in ``P_k``: with ``g_jk = w_j Theta_B H_k`` (1 x N) and
``a_jk = g_jk Theta_k``,

- its own signal ``|a_kk P_k|^2`` (the numerator of (12));
- interference ``|a_jk P_k|^2`` on every user ``j`` decoded before it (``k in IU_j``, (13));
- its DAC noise (4) in every ``NU_j``: ``sum_n alpha_n (1 - alpha_n) |g_jk,n|^2 |P_kn|^2``;
- the ADC noise (9) its signal causes at every detector:
  ``sum_m beta_m |w_jm|^2 |(H_k Theta_k P_k)_m|^2``.

:func:`leakage_precoder` maximizes the signal over the sum of the other three plus user ``k``'s
own thermal noise per watt (a signal-to-leakage-plus-noise ratio, the generalized Rayleigh
quotient again: ``P_k ∝ (L_k + n_k / P_k I)^{-1} conj(a_kk)``), at the power the caller gives.
:func:`alternate` repeats detector (:func:`twin.learn.detector.mmse_sic_detector`) and precoder
updates. Neither is in seed 000; they give the twin's structured actor its precoders.
"""

from __future__ import annotations

import torch

from twin.learn.detector import detector_and_order, mmse_sic_detector
from twin.learn.env import abs2, noma_sinr
from twin.learn.post_actor import scale_precoders


def leakage_precoder(h: torch.Tensor, detector: torch.Tensor, order: torch.Tensor,
                     power_w: torch.Tensor, alpha_t: torch.Tensor, alpha_r: torch.Tensor,
                     noise_w: float) -> torch.Tensor:
    """Max signal-to-leakage-plus-noise precoders (module docstring) at ``power_w``.

    h : [B, K, M, N] complex; detector : [B, K, M] complex; order : [B, K] long (first decoded
    first); power_w : [B, K] real, ``P_k`` (W); alpha_t : [N] or [K, N]; alpha_r : [M].
    Returns [B, K, N] complex with ``sum_n alpha_n |P_kn|^2 = P_k`` (35).
    """
    k = h.shape[1]
    g = torch.einsum("bjm,bkmn->bjkn", detector * alpha_r, h)          # g_jk = w_j Θ_B H_k
    a = g * alpha_t                                                     # a_jk = g_jk Θ_k
    rank = torch.argsort(order, dim=-1)
    before = (rank[:, :, None] < rank[:, None, :]).to(h.dtype)          # [B, j, k]: j before k
    leak = torch.einsum("bjk,bjkn,bjkl->bknl", before, a.conj(), a)    # interference on IU_j
    dac = (alpha_t * (1.0 - alpha_t) * abs2(g)).sum(1)                 # [B, K, N], (4) in NU_j
    adc_w = ((alpha_r * (1.0 - alpha_r)) * abs2(detector)).sum(1)      # [B, M], (9)
    ht = h * alpha_t[..., None, :]                                      # H_k Θ_k
    adc = torch.einsum("bkmn,bm,bkml->bknl", ht.conj(), adc_w.to(h.dtype), ht)
    own_noise = noise_w * (abs2(detector * alpha_r).sum(-1)
                           + (abs2(detector) * alpha_r * (1.0 - alpha_r)).sum(-1))   # [B, K]
    eye = torch.eye(h.shape[-1], dtype=h.dtype)
    den = (leak + adc + torch.diag_embed(dac.to(h.dtype))
           + (own_noise / power_w.clamp_min(1e-30))[..., None, None] * eye)
    desired = a[:, torch.arange(k), torch.arange(k)]                    # a_kk [B, K, N]
    v = torch.linalg.solve(den, desired.conj().unsqueeze(-1)).squeeze(-1)
    return scale_precoders(v, power_w, alpha_t)


def alternate(h: torch.Tensor, precoders: torch.Tensor, power_w: torch.Tensor,
              alpha_t: torch.Tensor, alpha_r: torch.Tensor, noise_w: float,
              rounds: int) -> torch.Tensor:
    """``rounds`` of (MMSE-SIC detector for the precoders, then leakage precoders for it), from
    ``precoders`` [B, K, N] at powers ``power_w`` [B, K]; returns the last precoders. No
    gradient: the caller differentiates the detector it builds on them."""
    with torch.no_grad():
        p = precoders
        for _ in range(rounds):
            w, order = detector_and_order(h, p, alpha_t, alpha_r, noise_w, rounds=1)
            p = leakage_precoder(h, w, order, power_w, alpha_t, alpha_r, noise_w)
    return p


def served_powers_w(h: torch.Tensor, directions: torch.Tensor, served_w: float, off_w: float,
                    alpha_t: torch.Tensor, alpha_r: torch.Tensor, noise_w: float,
                    rounds: int) -> torch.Tensor:
    """Per-user powers [B, K] (W): every user at ``served_w`` except the ``K - M`` with the
    lowest rate after :func:`alternate` at equal powers from precoder ``directions``
    [B, K, N], which get ``off_w``.

    With more users than BS antennas the MMSE-SIC detector of the first-decoded users cannot
    null every other user; keeping ``K - M`` users far below the rest (decoded last, after SIC
    has removed everyone else) is what the gradient oracle's actions do. Not in seed 000.
    """
    batch, k, m = h.shape[0], h.shape[1], h.shape[2]
    power = torch.full((batch, k), served_w, dtype=alpha_t.dtype)
    if k <= m:
        return power
    with torch.no_grad():
        p = alternate(h, scale_precoders(directions, power, alpha_t), power, alpha_t, alpha_r,
                      noise_w, rounds)
        w = mmse_sic_detector(h, p, alpha_t, alpha_r, noise_w)
        weakest = torch.argsort(noma_sinr(h, p, w, alpha_t, alpha_r, noise_w), dim=-1)[:, :k - m]
    return power.scatter(1, weakest, off_w)
