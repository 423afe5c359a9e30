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
from twin.learn.env import NomaModel
from twin.units import dbm_to_w


def search_levels_w(cfg: NomaUplinkConfig) -> np.ndarray:
    """Candidate levels ``p_e`` (W): ``P_kmin + l Delta^p`` dBm, ``l = 0 .. L - 1``,
    ``L = floor((P_kmax - P_kmin) / Delta^p) + 1`` (seed 000 Sec. IV-E)."""
    num = int(np.floor((cfg.p_max_dbm - cfg.p_min_dbm) / cfg.power_step_db + 1e-9)) + 1
    return np.asarray(dbm_to_w(cfg.p_min_dbm + cfg.power_step_db * np.arange(num)), dtype=float)


def power_search(model: NomaModel, raw: torch.Tensor, h: torch.Tensor,
                 levels_w: np.ndarray | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Best budget per environment for fixed raw actions (Algorithm 2).

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
    num_levels, batch = levels.size, raw.shape[0]
    p_e = torch.as_tensor(levels, dtype=model.alpha_t.dtype).repeat_interleave(batch)  # [L B]
    with torch.no_grad():
        ee = model.evaluate(raw.repeat(num_levels, 1), h.repeat(num_levels, 1, 1, 1), p_e)
    ee = ee.ee_bits_per_j_hz.reshape(num_levels, batch)
    best, index = ee.max(0)
    return p_e.reshape(num_levels, batch)[index, torch.arange(batch)], best
