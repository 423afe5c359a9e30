"""``twin train``: P-DDPG on a scenario's uplink, with checkpoints, resume and Fig. 4 curves.

Episodes follow Algorithm 1: ``steps_per_episode`` steps (T), each a batched step of
``num_envs`` environments, each step followed by ``updates_per_step`` gradient updates. An
episode's row in ``curves.csv`` holds, like seed 000 Fig. 4, sums over its T steps (of the
mean over environments) of the reward, SE and power, and the mean policy loss (45); beside them
the greedy actor's EE on held-out drops, without and with the power search (Algorithm 2).

A checkpoint keeps the networks, optimizers, generators and the episode count, not the replay
buffer (1e5 transitions of ~1.5 k floats each): a resumed run refills it while it learns.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import torch

from twin.config import Scenario
from twin.learn.ddpg import PDDPG, DDPGConfig, OUNoise, ReplayBuffer
from twin.learn.env import NomaEnv
from twin.learn.evaluate import held_out_env, score_actor
from twin.learn.ppo import PPOConfig, PPOTrainer
from twin.learn.rows import CURVE_FIELDS, EpisodeRow, seed_of


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """How long and how wide to train."""

    episodes: int = 50                 # E
    steps_per_episode: int = 200       # T (Sec. V-B)
    num_envs: int = 16                 # environments stepped as one batch
    checkpoint_every: int = 10         # episodes between checkpoints
    eval_drops: int = 64               # held-out drops for the greedy evaluation
    seed: int = 0


class Trainer:
    """Owns the agent, environments, buffer and noise of one training run."""

    def __init__(self, scenario: Scenario, cfg: TrainConfig, ddpg: DDPGConfig) -> None:
        self.scenario, self.cfg = scenario, cfg
        self.env = NomaEnv(scenario, cfg.num_envs, seed=seed_of(cfg.seed, "learn-env"))
        self.eval_env = held_out_env(scenario, cfg.eval_drops, cfg.seed)
        self.agent = PDDPG(self.env.model, ddpg, seed=seed_of(cfg.seed, "learn-agent"))
        self.buffer = ReplayBuffer(ddpg.buffer_size, self.env.obs_dim, self.agent.feature_dim)
        self.noise = OUNoise((cfg.num_envs, self.env.layout.dim), ddpg,
                             torch.Generator().manual_seed(seed_of(cfg.seed, "learn-noise")))
        self.episode, self.env_steps, self.updates, self.wall_s = 0, 0, 0, 0.0

    def run_episode(self) -> EpisodeRow:
        """Algorithm 1 lines 3-19 for one episode."""
        start = time.perf_counter()
        ddpg, steps = self.agent.cfg, self.cfg.steps_per_episode
        obs = self.env.reset()
        self.noise.reset()
        sums = torch.zeros(3)
        losses = torch.zeros(2)
        num_losses = 0
        for _ in range(steps):
            noise = self.noise.sample()
            if self.env_steps < ddpg.warmup_steps:
                raw = (noise * 0 + torch.rand_like(noise, dtype=noise.dtype) * 2 - 1)
            else:
                raw = self.agent.act(obs, noise)
            next_obs, out = self.env.step(raw)
            self.buffer.add(obs, self.agent.features(raw), out.ee_bits_per_j_hz, next_obs)
            obs = next_obs
            self.env_steps += 1
            sums += torch.stack([out.ee_bits_per_j_hz.mean(), out.se_bps_hz.mean(),
                                 out.power_w.mean()]).float()
            if self.buffer.size >= ddpg.batch_size:
                for _ in range(ddpg.updates_per_step):
                    info = self.agent.update(self.buffer)
                    losses += torch.tensor([info["policy_loss"], info["critic_loss"]])
                    num_losses += 1
                    self.updates += 1
        self.episode += 1
        scores = score_actor(self.agent.actor, self.eval_env)
        self.wall_s += time.perf_counter() - start
        loss = (losses / max(num_losses, 1)).tolist()
        return EpisodeRow(self.episode, self.wall_s, self.env_steps, self.updates,
                          float(sums[0]), float(sums[0]) / steps, float(sums[1]),
                          float(sums[2]), loss[0], loss[1], scores.wopef,
                          scores.with_search)

    def summary(self) -> str:
        c, d = self.cfg, self.agent.cfg
        return (f"P-DDPG ({d.actor} actor, {d.critic} critic), {self.episode} episodes of "
                f"{c.steps_per_episode} steps x {c.num_envs} envs, {self.updates} updates, "
                f"hidden {d.hidden}, S {d.batch_size}, gamma {d.gamma}, seed {c.seed}")

    def checkpoint(self) -> dict:
        return {"agent": self.agent.state_dict(), "train_config": asdict(self.cfg),
                "episode": self.episode, "env_steps": self.env_steps, "updates": self.updates,
                "wall_s": self.wall_s, "env_gen": self.env.gen.get_state(),
                "noise_gen": self.noise.gen.get_state(), "scenario": self.scenario.name,
                "kind": "pddpg"}

    def restore(self, state: dict) -> None:
        self.agent.load_state_dict(state["agent"])
        self.episode, self.env_steps = state["episode"], state["env_steps"]
        self.updates, self.wall_s = state["updates"], state["wall_s"]
        self.env.gen.set_state(state["env_gen"])
        self.noise.gen.set_state(state["noise_gen"])


def export_actor(agent: PDDPG, scenario: Scenario, note: str) -> dict:
    """What ships in ``data/actors/``: the actor's weights and what it needs to be rebuilt."""
    return {"actor": agent.actor.state_dict(), "hidden": list(agent.cfg.hidden),
            "actor_kind": getattr(agent.cfg, "actor", "mlp"),
            "obs_dim": agent.model.obs_dim, "act_dim": agent.model.layout.dim,
            "scenario": scenario.name, "note": note}


def train(scenario: Scenario, cfg: TrainConfig, agent: DDPGConfig | PPOConfig, out_dir: Path,
          resume: Path | None = None,
          on_episode: Callable[[EpisodeRow], None] | None = None) -> Path:
    """Train P-DDPG (``agent`` a DDPGConfig) or PPO (a PPOConfig), writing ``curves.csv``,
    ``checkpoint.pt`` (every ``checkpoint_every`` episodes and at the end) and ``actor.pt``
    into ``out_dir``; returns the actor's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    trainer = (PPOTrainer if isinstance(agent, PPOConfig) else Trainer)(scenario, cfg, agent)
    csv_path = out_dir / "curves.csv"
    if resume is not None:
        state = torch.load(resume, weights_only=False)
        if state["scenario"] != scenario.name:
            raise ValueError(f"{resume} was trained on scenario {state['scenario']!r}, "
                             f"not {scenario.name!r}")
        kind = "ppo" if isinstance(agent, PPOConfig) else "pddpg"
        if state.get("kind", "pddpg") != kind:
            raise ValueError(f"{resume} is a {state.get('kind', 'pddpg')} checkpoint, not {kind}")
        trainer.restore(state)
    else:
        with csv_path.open("w", newline="") as fh:
            csv.writer(fh).writerow(CURVE_FIELDS)
    while trainer.episode < cfg.episodes:
        row = trainer.run_episode()
        with csv_path.open("a", newline="") as fh:
            csv.writer(fh).writerow([getattr(row, f.name) for f in fields(row)])
        if on_episode is not None:
            on_episode(row)
        if trainer.episode % cfg.checkpoint_every == 0 or trainer.episode == cfg.episodes:
            torch.save(trainer.checkpoint(), out_dir / "checkpoint.pt")
            torch.save(export_actor(trainer.agent, scenario, trainer.summary()),
                       out_dir / "actor.pt")
    return out_dir / "actor.pt"
