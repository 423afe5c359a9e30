"""PPO with the same post-actor (seed 000 Sec. V-A's "PPO-based" benchmark, Fig. 5).

A Gaussian policy in the raw action space: mean = the P-DDPG :class:`Actor` (``tanh``), a
state-independent log standard deviation; samples are clipped to [-1, 1] and pass through the
post-actor inside the environment. A value network, GAE advantages over each episode's T steps
(the last state bootstrapped: episodes end by truncation), and the clipped surrogate objective.
The greedy policy (the mean) is an :class:`Actor`, so it ships and acts like P-DDPG's.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import torch
from torch import nn

from twin.config import Scenario
from twin.learn.actors import Actor, mlp
from twin.learn.env import NomaEnv, NomaModel
from twin.learn.evaluate import held_out_env, score_actor
from twin.learn.rows import EpisodeRow, seed_of


@dataclass(frozen=True, slots=True)
class PPOConfig:
    """PPO hyper-parameters (common defaults; seed 000 gives none for its PPO benchmark)."""

    hidden: tuple[int, int] = (256, 256)
    lr: float = 3e-4
    gamma: float = 0.99
    gae_lambda: float = 0.95
    clip: float = 0.2
    epochs: int = 4
    minibatch: int = 256
    init_log_std: float = -1.0
    value_coef: float = 0.5


class PPO:
    """Policy (mean actor + log std), value network and one optimizer."""

    def __init__(self, model: NomaModel, cfg: PPOConfig, seed: int = 0) -> None:
        self.model, self.cfg = model, cfg
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.actor = Actor(model.obs_dim, model.layout.dim, cfg.hidden)
            self.value = mlp([model.obs_dim, *cfg.hidden, 1])
        self.log_std = nn.Parameter(torch.full((model.layout.dim,), cfg.init_log_std))
        self.opt = torch.optim.Adam([*self.actor.parameters(), *self.value.parameters(),
                                     self.log_std], lr=cfg.lr)
        self.gen = torch.Generator().manual_seed(seed)

    def dist(self, obs: torch.Tensor) -> torch.distributions.Normal:
        return torch.distributions.Normal(self.actor(obs), self.log_std.exp())

    @torch.no_grad()
    def sample(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Sampled raw actions [B, dim], their log-probabilities [B] and values [B]."""
        mean = self.actor(obs)
        act = mean + self.log_std.exp() * torch.randn(mean.shape, generator=self.gen)
        logp = self.dist(obs).log_prob(act).sum(-1)
        return act, logp, self.value(obs).squeeze(-1)

    def update(self, obs, act, logp_old, adv, ret) -> dict[str, float]:
        """Clipped-surrogate epochs over one rollout (flattened to [N, ...])."""
        c = self.cfg
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
        n = obs.shape[0]
        for _ in range(c.epochs):
            perm = torch.randperm(n, generator=self.gen)
            for start in range(0, n, c.minibatch):
                i = perm[start:start + c.minibatch]
                ratio = torch.exp(self.dist(obs[i]).log_prob(act[i]).sum(-1) - logp_old[i])
                surrogate = torch.minimum(ratio * adv[i],
                                          ratio.clamp(1 - c.clip, 1 + c.clip) * adv[i])
                v_loss = ((self.value(obs[i]).squeeze(-1) - ret[i]) ** 2).mean()
                loss = -surrogate.mean() + c.value_coef * v_loss
                self.opt.zero_grad(set_to_none=True)
                loss.backward()
                self.opt.step()
        return {"policy_loss": float(surrogate.mean().detach()),
                "critic_loss": float(v_loss.detach())}

    def state_dict(self) -> dict:
        return {"config": asdict(self.cfg), "actor": self.actor.state_dict(),
                "value": self.value.state_dict(), "log_std": self.log_std.detach().clone(),
                "opt": self.opt.state_dict(), "gen": self.gen.get_state()}

    def load_state_dict(self, state: dict) -> None:
        self.actor.load_state_dict(state["actor"])
        self.value.load_state_dict(state["value"])
        with torch.no_grad():
            self.log_std.copy_(state["log_std"])
        self.opt.load_state_dict(state["opt"])
        self.gen.set_state(state["gen"])


def gae(rew: torch.Tensor, val: torch.Tensor, last_val: torch.Tensor, gamma: float,
        lam: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Generalized advantage estimates and returns over [T, B] rewards and values."""
    adv = torch.zeros_like(rew)
    running = torch.zeros_like(last_val)
    for t in reversed(range(rew.shape[0])):
        nxt = last_val if t == rew.shape[0] - 1 else val[t + 1]
        running = rew[t] + gamma * nxt - val[t] + gamma * lam * running
        adv[t] = running
    return adv, adv + val


class PPOTrainer:
    """One PPO run; same interface and curves as :class:`twin.learn.train.Trainer`."""

    def __init__(self, scenario: Scenario, cfg, ppo: PPOConfig) -> None:
        self.scenario, self.cfg = scenario, cfg
        self.env = NomaEnv(scenario, cfg.num_envs, seed=seed_of(cfg.seed, "learn-env"))
        self.eval_env = held_out_env(scenario, cfg.eval_drops, cfg.seed)
        self.agent = PPO(self.env.model, ppo, seed=seed_of(cfg.seed, "learn-agent"))
        self.episode, self.env_steps, self.updates, self.wall_s = 0, 0, 0, 0.0

    def run_episode(self):
        start = time.perf_counter()
        steps = self.cfg.steps_per_episode
        obs = self.env.reset()
        rollout: list[tuple] = []
        sums = torch.zeros(3)
        for _ in range(steps):
            act, logp, val = self.agent.sample(obs)
            next_obs, out = self.env.step(act.clamp(-1.0, 1.0))
            rollout.append((obs, act, logp, val, out.ee_bits_per_j_hz))
            sums += torch.stack([out.ee_bits_per_j_hz.mean(), out.se_bps_hz.mean(),
                                 out.power_w.mean()]).float()
            obs = next_obs
            self.env_steps += 1
        o, a, lp, v, r = (torch.stack(x) for x in zip(*rollout, strict=True))
        with torch.no_grad():
            last = self.agent.value(obs).squeeze(-1)
        adv, ret = gae(r, v, last, self.agent.cfg.gamma, self.agent.cfg.gae_lambda)
        info = self.agent.update(o.flatten(0, 1), a.flatten(0, 1), lp.flatten(0, 1),
                                 adv.flatten(), ret.flatten())
        self.updates += 1
        self.episode += 1
        scores = score_actor(self.agent.actor, self.eval_env)
        self.wall_s += time.perf_counter() - start
        return EpisodeRow(self.episode, self.wall_s, self.env_steps, self.updates,
                          float(sums[0]), float(sums[0]) / steps, float(sums[1]),
                          float(sums[2]), info["policy_loss"], info["critic_loss"],
                          scores.wopef, scores.with_search)

    def summary(self) -> str:
        c, p = self.cfg, self.agent.cfg
        return (f"PPO, {self.episode} episodes of {c.steps_per_episode} steps x "
                f"{c.num_envs} envs, hidden {p.hidden}, seed {c.seed}")

    def checkpoint(self) -> dict:
        return {"agent": self.agent.state_dict(), "train_config": asdict(self.cfg),
                "episode": self.episode, "env_steps": self.env_steps, "updates": self.updates,
                "wall_s": self.wall_s, "env_gen": self.env.gen.get_state(),
                "scenario": self.scenario.name, "kind": "ppo"}

    def restore(self, state: dict) -> None:
        self.agent.load_state_dict(state["agent"])
        self.episode, self.env_steps = state["episode"], state["env_steps"]
        self.updates, self.wall_s = state["updates"], state["wall_s"]
        self.env.gen.set_state(state["env_gen"])
