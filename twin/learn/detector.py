"""The max-SINR (MMSE-SIC) detector of seed 000's uplink in closed form, batched in torch.

For a fixed decoding order, the SINR (12) of user ``k`` is a ratio of two quadratic forms in its
detector row: with ``u_k = w_k^H``, ``b_k = Theta_B H_k Theta_k P_k`` and

    C_k = sum_{j in IU_k} b_j b_j^H                       (IU_k of (13): users decoded after k)
        + Theta_B (sum_i H_i R_i^T H_i^H) Theta_B           (DAC noise of every user, (13))
        + sigma^2 Theta_B Theta_B^H + R^R                   (thermal and ADC noise, (9), (13))

it is ``|u_k^H b_k|^2 / u_k^H C_k u_k``, maximized by ``u_k ∝ C_k^{-1} b_k`` (the generalized
Rayleigh quotient) with the value ``b_k^H C_k^{-1} b_k``. ``R^R`` is diagonal and its diagonal
(the ADC noise (9)) depends on the precoders only, so ``C_k`` does not depend on any ``w``.

The order itself is (11): highest single-user SINR first, and that SINR depends on the detector.
:func:`mmse_sic_detector` therefore starts from the order of the single-user optimum (each user
alone with its own DAC noise, the denominator ``NS_k`` of (11)) and alternates a few times
between "detectors for this order" and "the order (11) these detectors imply" (no gradient
through the order, as in :func:`twin.learn.env.sinr_from_terms`). The rows are scaled to unit
norm (39), which leaves every SINR as it is.
"""

from __future__ import annotations

import torch

from twin.learn.env import abs2, received_terms
from twin.learn.post_actor import unit_rows


def _noise_matrices(h: torch.Tensor, precoders: torch.Tensor, alpha_t: torch.Tensor,
                    alpha_r: torch.Tensor,
                    noise_w: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Seed 000 (4), (9), (13): desired directions ``b`` [B, K, M], each user's DAC noise
    through the channel [B, K, M, M], and the shared diagonal (thermal + ADC noise) [B, M]."""
    q_t, a, ryy = received_terms(h, precoders, alpha_t)
    b = alpha_r * a
    hr = alpha_r[:, None] * h                                          # Theta_B H_i
    dac = torch.einsum("bkmn,bkn,bkln->bkml", hr, q_t.to(h.dtype), hr.conj())
    beta_r = alpha_r * (1.0 - alpha_r)
    diag = beta_r * ryy + noise_w * (alpha_r**2 + beta_r)              # R^R + sigma^2 Theta^2
    return b, dac, diag


def _solve_rows(c: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``unit(conj(C_k^{-1} b_k))`` for every user: detector rows [B, K, M]."""
    u = torch.linalg.solve(c, b.unsqueeze(-1)).squeeze(-1)
    return unit_rows(u.conj())


def _rows_for_order(b: torch.Tensor, dac: torch.Tensor, diag: torch.Tensor,
                    order: torch.Tensor) -> torch.Tensor:
    """:func:`detector_for_order` from the matrices of :func:`_noise_matrices`."""
    rank = torch.argsort(order, dim=-1)
    later = (rank[:, None, :] > rank[:, :, None]).to(b.dtype)         # [B, k, j]: j after k
    shared = dac.sum(1) + torch.diag_embed(diag.to(b.dtype))
    c = shared[:, None] + torch.einsum("bkj,bjm,bjl->bkml", later, b, b.conj())
    return _solve_rows(c, b)


def _order_of(b: torch.Tensor, dac: torch.Tensor, diag: torch.Tensor,
              detector: torch.Tensor) -> torch.Tensor:
    """:func:`implied_order` from the matrices of :func:`_noise_matrices`."""
    desired = abs2((detector * b).sum(-1))
    ns = (torch.einsum("bkm,bkml,bkl->bk", detector, dac, detector.conj()).real
          + (abs2(detector) * diag[:, None]).sum(-1))
    return torch.argsort(-desired / ns, dim=-1, stable=True)


def detector_for_order(h: torch.Tensor, precoders: torch.Tensor, alpha_t: torch.Tensor,
                       alpha_r: torch.Tensor, noise_w: float,
                       order: torch.Tensor) -> torch.Tensor:
    """Max-SINR rows of (12)-(13) for a given decoding order: [B, K, M] complex, unit norm.

    order : [B, K] long, user indices from first decoded to last.
    """
    return _rows_for_order(*_noise_matrices(h, precoders, alpha_t, alpha_r, noise_w), order)


def _single_user_order(b: torch.Tensor, dac: torch.Tensor, diag: torch.Tensor) -> torch.Tensor:
    """Order (11) of the single-user optimum: ``b_k^H (DAC_k + diag)^{-1} b_k`` descending."""
    c = dac + torch.diag_embed(diag.to(b.dtype))[:, None]
    su = (b.conj() * torch.linalg.solve(c, b.unsqueeze(-1)).squeeze(-1)).sum(-1).real
    return torch.argsort(-su, dim=-1, stable=True)


def implied_order(h: torch.Tensor, precoders: torch.Tensor, detector: torch.Tensor,
                  alpha_t: torch.Tensor, alpha_r: torch.Tensor, noise_w: float) -> torch.Tensor:
    """The order (11) a detector implies: single-user SINR, highest first. [B, K] long."""
    return _order_of(*_noise_matrices(h, precoders, alpha_t, alpha_r, noise_w), detector)


def mmse_sic_detector(h: torch.Tensor, precoders: torch.Tensor, alpha_t: torch.Tensor,
                      alpha_r: torch.Tensor, noise_w: float, rounds: int = 3) -> torch.Tensor:
    """The detector ``w`` of seed 000 (12)-(13) that maximizes every SINR for the precoders.

    Parameters
    ----------
    h : [B, K, M, N] complex; precoders : [B, K, N] complex, ``P_k``
    alpha_t : [N] or [K, N] real; alpha_r : [M] real; noise_w : sigma^2 (W)
    rounds : alternations between the order (11) and the detectors for it

    Returns
    -------
    [B, K, M] complex, unit-norm rows (19c); differentiable in ``precoders`` (the order is not).
    """
    return _detector(_noise_matrices(h, precoders, alpha_t, alpha_r, noise_w), rounds)


def _detector(mats: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
              rounds: int) -> torch.Tensor:
    """:func:`mmse_sic_detector` from the matrices of :func:`_noise_matrices`."""
    with torch.no_grad():
        fixed = tuple(x.detach() for x in mats)
        order = _single_user_order(*fixed)
        for _ in range(rounds):
            order = _order_of(*fixed, _rows_for_order(*fixed, order))
    return _rows_for_order(*mats, order)


def detector_and_order(h: torch.Tensor, precoders: torch.Tensor, alpha_t: torch.Tensor,
                       alpha_r: torch.Tensor, noise_w: float,
                       rounds: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """:func:`mmse_sic_detector` and the order (11) its rows imply (:func:`implied_order`),
    both from one set of the matrices (13); no gradient."""
    with torch.no_grad():
        mats = _noise_matrices(h, precoders, alpha_t, alpha_r, noise_w)
        w = _detector(mats, rounds)
        return w, _order_of(*mats, w)
