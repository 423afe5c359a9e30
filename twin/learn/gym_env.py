"""A gymnasium ``Env`` over one copy of :class:`twin.learn.env.NomaEnv`, for other agents.

Observation: the state (20) as :func:`twin.learn.env.observe` writes it, float32. Action: the
raw action (42) in ``[-1, 1]^dim`` (the post-actor runs inside :meth:`step`). Reward: the energy
efficiency (18), (22) in bit/J/Hz. An episode is ``episode_steps`` slots with the same user
positions; it ends by truncation (the model has no terminal state).
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import torch

from twin.config import Scenario
from twin.learn.env import OBS_LEVEL_MAX, NomaEnv


class NomaGymEnv(gym.Env):
    """Seed 000's uplink MIMO-NOMA as a single gymnasium environment."""

    metadata = {"render_modes": []}  # noqa: RUF012 (gymnasium's class attribute)

    def __init__(self, scenario: Scenario, episode_steps: int = 200) -> None:
        self._env = NomaEnv(scenario, 1, dtype=torch.float64)
        self.episode_steps = int(episode_steps)
        c = scenario.noma_uplink
        direction = np.sqrt(c.num_bs_ant * c.num_user_ant)
        high = np.concatenate([np.full(self._env.obs_dim - c.num_users, direction),
                               np.full(c.num_users, OBS_LEVEL_MAX)]).astype(np.float32)
        self.observation_space = gym.spaces.Box(-high, high, dtype=np.float32)
        self.action_space = gym.spaces.Box(-1.0, 1.0, (self._env.layout.dim,), np.float32)
        self._t = 0

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        # The torch generator follows gymnasium's: same seed, same episode.
        obs = self._env.reset(seed=int(self.np_random.integers(2**62)))
        self._t = 0
        return obs[0].numpy().astype(np.float32), {}

    def step(self, action):
        raw = torch.as_tensor(np.asarray(action, dtype=np.float64)).reshape(1, -1)
        obs, out = self._env.step(raw.clamp(-1.0, 1.0))
        self._t += 1
        info = {"se_bps_hz": float(out.se_bps_hz[0]), "power_w": float(out.power_w[0])}
        return (obs[0].numpy().astype(np.float32), float(out.ee_bits_per_j_hz[0]), False,
                self._t >= self.episode_steps, info)
