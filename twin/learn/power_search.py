"""Algorithm 2 of seed 000: the power-exhaustive search at inference, batched.

For each candidate level ``p_e`` from ``P_kmin`` to ``P_kmax`` in ``Delta^p`` steps (Table III:
-10 to 20 dBm by 1 dB, L = 31 levels), the post-actor runs with ``P_kmax = p_e`` (lines 6-8) and
the reward is estimated (line 9); the level with the best reward is kept (lines 10-12). One
level serves all users of an environment, as the algorithm's single loop over ``p_e`` reads.
All L levels of all B environments are scored in one batched call, no loop over levels.
"""

from __future__ import annotations

import numpy as np
import torch

from twin.config import NomaUplinkConfig
from twin.learn.env import NomaModel, SinrTerms, abs2, sinr_from_terms, sinr_terms
from twin.learn.post_actor import post_actor
from twin.units import dbm_to_w


def search_levels_w(cfg: NomaUplinkConfig) -> np.ndarray:
    """Candidate levels ``p_e`` (W): ``P_kmin + l Delta^p`` dBm, ``l = 0 .. L - 1``,
    ``L = floor((P_kmax - P_kmin) / Delta^p) + 1`` (seed 000 Sec. IV-E)."""
    num = int(np.floor((cfg.p_max_dbm - cfg.p_min_dbm) / cfg.power_step_db + 1e-9)) + 1
    return np.asarray(dbm_to_w(cfg.p_min_dbm + cfg.power_step_db * np.arange(num)), dtype=float)


def power_search(model: NomaModel, raw: torch.Tensor, h: torch.Tensor,
                 levels_w: np.ndarray | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Best budget per environment for fixed raw actions (Algorithm 2).

    Every level scales all precoders by ``sqrt(p_e)`` (35), so the terms of (11)-(13) are
    computed once at 1 W and scaled per level (:class:`twin.learn.env.SinrTerms`): the same
    numbers as running the post-actor and the reward at each level, at the cost of one.

    Parameters
    ----------
    model : NomaModel
    raw : [B, dim] real, the trained actor's raw actions (42)
    h : [B, K, M, N] complex, the channels
    levels_w : [L] float, candidate ``p_e`` (W); default :func:`search_levels_w`

    Returns
    -------
    p_best_w : [B] real, the chosen ``p_e`` (the post-actor's ``P_kmax``) per environment
    ee_best : [B] real, its reward (22)
    """
    levels = search_levels_w(model.cfg) if levels_w is None else np.asarray(levels_w, float)
    p_e = torch.as_tensor(levels, dtype=model.alpha_t.dtype)           # [L]
    with torch.no_grad():
        _, p, w = post_actor(raw.to(model.alpha_t.dtype), model.layout, 1.0, model.alpha_t)
        t = sinr_terms(h, p, w, model.alpha_t, model.alpha_r)
        s = p_e[:, None, None]                                          # [L, 1, 1]
        scaled = SinrTerms(t.interference * s[..., None], t.dac_noise * s[..., None],
                           t.own_signal * s, t.own_noise_per_w.expand_as(t.own_signal * s))
        se = torch.log2(1.0 + sinr_from_terms(scaled, model.noise_w)).sum(-1)  # [L, B]
        tx_w = (model.alpha_t * abs2(p)).sum((-2, -1))                  # [B] at 1 W
        total_w = p_e[:, None] * tx_w / model.power.amplifier_efficiency + model.power.circuit_w
        best, index = (se / total_w).max(0)
    return p_e[index], best
