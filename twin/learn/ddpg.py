"""P-DDPG (seed 000 Sec. IV-B, Algorithm 1): DDPG with the post-actor inside the actor.

The actor maps the state (20) to a raw action (42) in [-1, 1] (``tanh``), and the post-actor
(Propositions 2-3) turns it into ``{f_k, P_k, w_k}``; the critic scores the post-actor's action
(:func:`twin.learn.post_actor.action_features`), so the policy gradient (24) flows through the
normalizations. Exploration adds Ornstein-Uhlenbeck noise (23) to the raw action; the critic
minimizes (25) against the target (26); the target networks follow by the soft update (27).
The update step reads top to bottom in :meth:`PDDPG.update`.

``critic = "reward"`` is a diagnostic, not the paper's algorithm: the actor ascends the exact
reward ``r(s, mu(s))`` (:func:`twin.learn.env.noma_ee` on the channels rebuilt from the state)
instead of the learned ``Q``. The action does not change the next state, so with ``gamma = 0``
the exact ``Q`` is ``r``: this variant is P-DDPG with a perfect critic, and the gap between the
two measures what the learned critic costs.

Options the paper does not have, all off by default: ``actor`` (the structured actors of
:mod:`twin.learn.actors`; the ``mmse-slnr`` one takes its exploration noise on its power logits),
``critic_input = "powers"`` (the critic scores ``f_k`` alone), ``actor_start`` (critic-only
updates first) and ``saturation_penalty`` (a pre-``tanh`` L2 term in the actor's loss).
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass

import torch
from torch import nn

from twin.learn.actors import ACTOR_KINDS, build_actor, mlp
from twin.learn.env import NomaModel, unobserve
from twin.learn.post_actor import action_features, post_actor, power_fraction


@dataclass(frozen=True, slots=True)
class DDPGConfig:
    """P-DDPG hyper-parameters; defaults are seed 000 Sec. V-B's where it gives them."""

    hidden: tuple[int, int] = (2048, 1024)   # two hidden layers (Sec. V-B)
    lr_actor: float = 1e-3                   # l_a, the best of Fig. 4
    lr_critic: float = 1e-3                  # l_c
    gamma: float = 0.99                      # discount of (26)
    tau: float = 0.01                        # soft update (27)
    batch_size: int = 16                     # S
    buffer_size: int = 100_000               # replay buffer (Sec. V-B: 1e5)
    ou_theta: float = 0.15                   # OU noise (23): mean reversion
    ou_sigma: float = 0.2                    # OU noise (23): scale
    ou_dt: float = 1e-2                      # OU noise (23): time step
    updates_per_step: int = 1                # gradient updates per (batched) env step
    warmup_steps: int = 0                    # env steps with random actions before learning
    critic: str = "learned"                  # "learned" (P-DDPG); "reward": diagnostic, below
    actor: str = "mlp"                       # "mlp" (the paper's) or one of twin.learn.actors
    actor_start: int = 0                     # critic-only updates before the actor's first
    critic_input: str = "action"             # "action": the post-actor's whole action;
                                             # "powers": its f_k only (linear and dB)
    saturation_penalty: float = 0.0          # lambda of the actor's pre-tanh penalty (not in
                                             # the paper; see PDDPG.update)

    def __post_init__(self) -> None:
        if self.actor not in ACTOR_KINDS:
            raise ValueError(f"unknown actor kind {self.actor!r}; choose one of {ACTOR_KINDS}")
        if self.critic_input not in ("action", "powers"):
            raise ValueError(f"unknown critic input {self.critic_input!r}; choose 'action' or "
                             f"'powers'")
        if self.critic not in ("learned", "reward"):
            raise ValueError(f"unknown critic {self.critic!r}; choose 'learned' or 'reward'")


class Critic(nn.Module):
    """``Q(s, a)`` on the state and the post-actor's action features."""

    def __init__(self, obs_dim: int, act_dim: int, hidden: tuple[int, int]) -> None:
        super().__init__()
        self.net = mlp([obs_dim + act_dim, *hidden, 1])

    def forward(self, obs: torch.Tensor, act: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([obs, act], dim=-1)).squeeze(-1)


class OUNoise:
    """Ornstein-Uhlenbeck exploration noise (seed 000 eq. (23)), one process per env and entry:
    ``x <- x + theta (0 - x) dt + sigma sqrt(dt) N(0, 1)``."""

    def __init__(self, shape: tuple[int, ...], cfg: DDPGConfig, gen: torch.Generator) -> None:
        self.cfg, self.gen = cfg, gen
        self.x = torch.zeros(shape)

    def reset(self) -> None:
        self.x.zero_()

    def sample(self) -> torch.Tensor:
        c = self.cfg
        noise = torch.randn(self.x.shape, generator=self.gen)
        self.x = self.x - c.ou_theta * self.x * c.ou_dt + c.ou_sigma * c.ou_dt**0.5 * noise
        return self.x


class ReplayBuffer:
    """A ring buffer of (s, a, z, s') with the post-actor's action features as ``a``."""

    def __init__(self, capacity: int, obs_dim: int, act_dim: int) -> None:
        self.obs = torch.zeros((capacity, obs_dim))
        self.act = torch.zeros((capacity, act_dim))
        self.rew = torch.zeros(capacity)
        self.next_obs = torch.zeros((capacity, obs_dim))
        self.capacity, self.size, self.pos = capacity, 0, 0

    def add(self, obs, act, rew, next_obs) -> None:
        """Store a batch of transitions [B, ...]."""
        n = obs.shape[0]
        idx = (self.pos + torch.arange(n)) % self.capacity
        self.obs[idx], self.act[idx], self.rew[idx], self.next_obs[idx] = obs, act, rew, next_obs
        self.pos = (self.pos + n) % self.capacity
        self.size = min(self.size + n, self.capacity)

    def sample(self, batch: int, gen: torch.Generator):
        idx = torch.randint(0, self.size, (batch,), generator=gen)
        return self.obs[idx], self.act[idx], self.rew[idx], self.next_obs[idx]


@torch.no_grad()
def _soft_update(net: nn.Module, target: nn.Module, tau: float) -> None:
    """Eq. (27): ``theta' <- tau theta + (1 - tau) theta'``."""
    for p, p_t in zip(net.parameters(), target.parameters(), strict=True):
        p_t.lerp_(p, tau)


class PDDPG:
    """Actor, critic, their targets and optimizers (Algorithm 1)."""

    def __init__(self, model: NomaModel, cfg: DDPGConfig, seed: int = 0) -> None:
        self.model, self.cfg = model, cfg
        obs_dim, act_dim = model.obs_dim, self.feature_dim
        # nn.Linear draws its initial weights from torch's global generator: seed it inside a
        # fork, so the caller's global state is left as it was.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.actor = build_actor(cfg.actor, model, cfg.hidden)
            self.critic = Critic(obs_dim, act_dim, cfg.hidden)
        self.actor_target = copy.deepcopy(self.actor).requires_grad_(False)
        self.critic_target = copy.deepcopy(self.critic).requires_grad_(False)
        self.actor_opt = torch.optim.Adam(self.actor.parameters(), lr=cfg.lr_actor)
        self.critic_opt = torch.optim.Adam(self.critic.parameters(), lr=cfg.lr_critic)
        self.gen = torch.Generator().manual_seed(seed)
        self.critic_updates = 0

    @property
    def feature_dim(self) -> int:
        """Entries of :meth:`features`."""
        lay = self.model.layout
        return 2 * lay.num_users if self.cfg.critic_input == "powers" else lay.dim

    def features(self, raw: torch.Tensor) -> torch.Tensor:
        """The post-actor (Algorithm 1 lines 6-13) as the critic sees it: its whole action
        (:func:`twin.learn.post_actor.action_features`), or with ``critic_input = "powers"``
        only ``[f | 10 log10(f) / 40]`` (for an actor that solves the rest from ``f`` and the
        state, the rest tells the critic nothing new)."""
        if self.cfg.critic_input == "powers":
            f = power_fraction(self.model.layout.split(raw)[0])              # (34a)
            db = 10.0 * torch.log10(f.clamp_min(1e-8)) / 40.0
            return torch.cat([f, db], dim=-1).to(raw.dtype)
        f, p, w = post_actor(raw, self.model.layout, self.model.p_max_w, self.model.alpha_t)
        return action_features(f, p, w, self.model.p_max_w).to(raw.dtype)

    @torch.no_grad()
    def act(self, obs: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """``a^d = mu(s) + OU`` (23), clipped to [-1, 1]: raw actions [B, dim]."""
        return self.actor(obs, noise)

    def update(self, buffer: ReplayBuffer) -> dict[str, float]:
        """One gradient step of critic (25)-(26) and actor (24), then the soft update (27)."""
        c = self.cfg
        obs, act, rew, next_obs = buffer.sample(c.batch_size, self.gen)
        if c.critic == "reward":
            return self._update_exact(obs)
        with torch.no_grad():                                             # eq. (26)
            y = rew
            if c.gamma > 0.0:     # gamma = 0 (the README's runs): skip the target actor's pass
                y = rew + c.gamma * self.critic_target(
                    next_obs, self.features(self.actor_target(next_obs)))
        critic_loss = ((self.critic(obs, act) - y) ** 2).mean()           # eq. (25)
        self.critic_opt.zero_grad(set_to_none=True)
        critic_loss.backward()
        self.critic_opt.step()
        self.critic_updates += 1
        if self.critic_updates <= c.actor_start:
            # The actor waits for a critic that has seen some data: a fresh critic's gradient
            # is noise, and it walked a good initial actor off (measured: 0.90 -> 0.77 of the
            # oracle within three episodes).
            _soft_update(self.critic, self.critic_target, c.tau)
            return {"critic_loss": critic_loss.item(), "policy_loss": 0.0}
        q = self.critic(obs, self.features(self.actor(obs)))              # eqs. (24), (45)
        actor_loss = -q.mean()
        loss = actor_loss
        if c.saturation_penalty > 0.0:
            # Once a tanh output saturates, (24) no longer moves it: an actor that pinned a
            # user's power at a bound keeps it there for good (measured: 70 % of the power logits
            # beyond |x| = 3). lambda sum(x^2) keeps the pre-activations where tanh has a slope.
            pre = self.actor.pre_activation(obs)
            loss = loss + c.saturation_penalty * (pre**2).sum(-1).mean()
        self.actor_opt.zero_grad(set_to_none=True)
        loss.backward()
        self.actor_opt.step()
        _soft_update(self.actor, self.actor_target, c.tau)                # eq. (27)
        _soft_update(self.critic, self.critic_target, c.tau)
        return {"critic_loss": critic_loss.item(), "policy_loss": actor_loss.item() * -1.0}

    def _update_exact(self, obs: torch.Tensor) -> dict[str, float]:
        """The diagnostic update: gradient ascent on the exact reward (22) of ``mu(s)``."""
        h = unobserve(obs, self.model.cfg).to(self.model.complex_dtype)
        ee = self.model.evaluate(self.actor(obs), h).ee_bits_per_j_hz
        loss = -ee.mean()
        self.actor_opt.zero_grad(set_to_none=True)
        loss.backward()
        self.actor_opt.step()
        _soft_update(self.actor, self.actor_target, self.cfg.tau)
        return {"critic_loss": 0.0, "policy_loss": -loss.item()}

    def state_dict(self) -> dict:
        return {"config": asdict(self.cfg), "actor": self.actor.state_dict(),
                "critic": self.critic.state_dict(),
                "actor_target": self.actor_target.state_dict(),
                "critic_target": self.critic_target.state_dict(),
                "actor_opt": self.actor_opt.state_dict(),
                "critic_opt": self.critic_opt.state_dict(),
                "gen": self.gen.get_state(), "critic_updates": self.critic_updates}

    def load_state_dict(self, state: dict) -> None:
        for name in ("actor", "critic", "actor_target", "critic_target", "actor_opt",
                     "critic_opt"):
            getattr(self, name).load_state_dict(state[name])
        self.gen.set_state(state["gen"])
        self.critic_updates = state.get("critic_updates", 0)
