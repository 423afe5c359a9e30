"""Schemes on the same held-out drops, as fractions of the gradient oracle's mean EE.

The drops come from their own stream (``learn-eval``), which no training step draws from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from twin.config import Scenario
from twin.control.base import Observation
from twin.control.baselines import NomaBaseline
from twin.learn.env import NomaEnv, noma_ee, observe
from twin.learn.oracle import OracleConfig, oracle_actions
from twin.learn.power_search import power_search
from twin.rng import stream
from twin.world.snapshot import NomaSnapshot


@dataclass(frozen=True, slots=True)
class ActorScores:
    """Mean EE (bit/J/Hz) of an actor on the held-out drops."""

    wopef: float        # the post-actor at P_kmax
    with_search: float  # Algorithm 2


def held_out_env(scenario: Scenario, num_drops: int, seed: int) -> NomaEnv:
    """``num_drops`` held-out drops (positions and fading), as one batched environment."""
    env = NomaEnv(scenario, num_drops, seed=int(stream(seed, "learn-eval").integers(2**62)))
    env.reset()
    return env


@torch.no_grad()
def score_actor(actor: torch.nn.Module, env: NomaEnv) -> ActorScores:
    """Greedy actor on ``env``'s current drops, without and with the power search."""
    raw = actor(observe(env.h, env.cfg).to(env.dtype))
    _, searched = power_search(env.model, raw, env.h)
    return ActorScores(float(env.evaluate(raw).ee_bits_per_j_hz.mean()), float(searched.mean()))


def oracle_ee(env: NomaEnv, cfg: OracleConfig | None = None, seed: int = 0,
              progress: bool = False) -> np.ndarray:
    """The oracle's EE on each of ``env``'s drops: [B] bit/J/Hz."""
    gen = torch.Generator().manual_seed(int(stream(seed, "learn-oracle").integers(2**62)))
    _, ee = oracle_actions(env.model, env.h, gen, cfg or OracleConfig(), progress=progress)
    return ee.numpy().astype(float)


def baseline_ee(scenario: Scenario, env: NomaEnv, kind: str, seed: int = 0) -> float:
    """Mean EE of a formula controller (:class:`NomaBaseline`, e.g. "lmmse") on the drops."""
    ctrl = NomaBaseline(scenario, kind, stream(seed, f"learn-baseline-{kind}"))
    h = env.h.to(torch.complex128)
    acts = [ctrl.act(Observation(0, NomaSnapshot(0, None, None, None, None, hb.numpy()), None))
            for hb in h]
    p = torch.as_tensor(np.stack([a.precoders for a in acts]))
    w = torch.as_tensor(np.stack([a.detector for a in acts]))
    out = noma_ee(h, p, w, env.alpha_t.double(), env.alpha_r.double(), env.noise_w, env.power)
    return float(out.ee_bits_per_j_hz.mean())
