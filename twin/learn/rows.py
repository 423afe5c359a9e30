"""One training episode's row of ``curves.csv``, shared by P-DDPG and PPO."""

from __future__ import annotations

from dataclasses import dataclass

from twin.rng import stream

CURVE_FIELDS = ("episode", "wall_s", "env_steps", "updates", "reward", "ee_bits_per_j_hz",
                "se_bps_hz", "power_w", "policy_loss", "critic_loss", "eval_ee",
                "eval_ee_search")


@dataclass(frozen=True, slots=True)
class EpisodeRow:
    """One row of ``curves.csv`` (see the module docstring)."""

    episode: int
    wall_s: float
    env_steps: int
    updates: int
    reward: float
    ee_bits_per_j_hz: float
    se_bps_hz: float
    power_w: float
    policy_loss: float
    critic_loss: float
    eval_ee: float
    eval_ee_search: float


def seed_of(seed: int, name: str) -> int:
    """An integer seed for torch from the named stream ``name`` of ``seed``."""
    return int(stream(seed, name).integers(2**62))
