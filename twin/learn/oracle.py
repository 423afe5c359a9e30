"""The gradient oracle: per channel draw, maximize the EE (18) directly by autograd.

The yardstick seed 000 lacks. For each draw, ``num_restarts`` raw actions (42) are optimized by
Adam through the post-actor (35), (39) and :func:`twin.learn.env.noma_ee`; the best restart is
the oracle's action. The parametrization is the post-actor's own: ``f_k`` through ``tanh`` (so
(34a) holds), ``V_k`` and ``w_k^d`` free (the post-actor is scale-invariant in them). All draws
and restarts form one batch.

The SIC order (11) is re-derived from the iterate at every step and carries no gradient, so the
objective is piecewise smooth; Adam follows the current piece and may stall where the order
switches (seeds/README.md); random restarts are the remedy used here. ``warm_start`` adds
caller-supplied raw actions (e.g. an agent's) as extra restarts, so the oracle never scores
below them.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from tqdm import tqdm

from twin.learn.env import NomaModel


@dataclass(frozen=True, slots=True)
class OracleConfig:
    """num_restarts: random starts per draw; steps: Adam steps; lr: Adam step size."""

    num_restarts: int = 8
    steps: int = 400
    lr: float = 0.05


def _raw(theta: torch.Tensor, num_users: int) -> torch.Tensor:
    return torch.cat([torch.tanh(theta[:, :num_users]), theta[:, num_users:]], dim=-1)


def oracle_actions(model: NomaModel, h: torch.Tensor, gen: torch.Generator,
                   cfg: OracleConfig = OracleConfig(), warm_start: torch.Tensor | None = None,
                   progress: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Maximize EE per draw.

    Parameters
    ----------
    model : NomaModel
    h : [B, K, M, N] complex, the draws
    gen : torch.Generator, for the random restarts
    cfg : OracleConfig
    warm_start : [B, W, dim] real raw actions in [-1, 1], optional extra starts per draw
    progress : show a tqdm bar over the Adam steps

    Returns
    -------
    raw : [B, dim] real, the best raw action found per draw
    ee : [B] real, its EE (18) in bit/J/Hz
    """
    batch, dim, k = h.shape[0], model.layout.dim, model.layout.num_users
    dtype = model.alpha_t.dtype
    theta = torch.randn((batch, cfg.num_restarts, dim), generator=gen, dtype=dtype)
    theta[..., :k] = 2.0 * theta[..., :k]            # varied starting powers
    if warm_start is not None:
        w = warm_start.to(dtype).clamp(-1.0 + 1e-6, 1.0 - 1e-6).clone()
        w[..., :k] = torch.atanh(w[..., :k])
        theta = torch.cat([theta, w], dim=1)
    starts = theta.shape[1]
    theta = theta.reshape(batch * starts, dim).requires_grad_(True)
    h_rep = h.repeat_interleave(starts, dim=0)
    opt = torch.optim.Adam([theta], lr=cfg.lr)
    best_ee = torch.full((batch * starts,), -torch.inf, dtype=dtype)
    best_theta = theta.detach().clone()
    for _ in tqdm(range(cfg.steps + 1), desc="oracle", unit="step", disable=not progress or None,
                  leave=False):
        ee = model.evaluate(_raw(theta, k), h_rep).ee_bits_per_j_hz
        with torch.no_grad():                        # keep the best iterate, not the last
            better = ee > best_ee
            best_ee = torch.where(better, ee, best_ee)
            best_theta[better] = theta[better]
        opt.zero_grad(set_to_none=True)
        (-ee.sum()).backward()
        opt.step()
    best_ee = best_ee.reshape(batch, starts)
    ee, index = best_ee.max(1)
    raw = _raw(best_theta.reshape(batch, starts, dim)[torch.arange(batch), index], k)
    return raw.detach(), ee
