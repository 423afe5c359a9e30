"""The trained P-DDPG actor as a controller (seed 000 Fig. 3, the inference flow).

Every slot: the state (20) from the observed CSI, one forward pass of the actor, then Algorithm
2's power search over ``P_kmin .. P_kmax`` (one batched call) and the post-actor (35), (39) at
the chosen level. ``[controller] power_search = false`` gives WoPEF (the post-actor at
``P_kmax``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from twin.config import Scenario
from twin.control.base import NomaAction, Observation
from twin.learn.actors import build_actor
from twin.learn.env import NomaModel, observe
from twin.learn.post_actor import post_actor
from twin.learn.power_search import power_search, search_levels_w

_CHECKOUT = Path(__file__).resolve().parents[2]


def resolve_actor_path(path: str | Path) -> Path:
    """``path`` as given if it exists, else relative to the twin checkout (where ``data/``
    ships); raises ValueError naming both places when neither holds the file."""
    given = Path(path)
    for candidate in (given, _CHECKOUT / given):
        if candidate.is_file():
            return candidate
    raise ValueError(f"trained actor {path} not found (looked in {Path.cwd()} and {_CHECKOUT});"
                     f" train one with `twin train` or set [controller] actor_path")


def load_actor(path: str | Path, model: NomaModel) -> torch.nn.Module:
    """Rebuild the actor that :func:`twin.learn.train.export_actor` saved (either kind of
    :mod:`twin.learn.actors`; files without ``actor_kind`` hold the paper's MLP actor)."""
    state = torch.load(resolve_actor_path(path), weights_only=True)
    if (state["obs_dim"], state["act_dim"]) != (model.obs_dim, model.layout.dim):
        raise ValueError(f"actor {path} was trained for state/action sizes "
                         f"{state['obs_dim']}/{state['act_dim']}, this scenario has "
                         f"{model.obs_dim}/{model.layout.dim} (users x antennas differ)")
    actor = build_actor(state.get("actor_kind", "mlp"), model, tuple(state["hidden"]))
    actor.load_state_dict(state["actor"])
    return actor.eval().requires_grad_(False)


@dataclass(frozen=True, slots=True)
class LearnedController:
    """P-DDPG actor + power search; acts on one slot's CSI."""

    model: NomaModel
    actor: torch.nn.Module
    levels_w: np.ndarray | None  # [L] candidate P_kmax (W); None: WoPEF

    @classmethod
    def build(cls, scenario: Scenario) -> LearnedController:
        model = NomaModel.from_scenario(scenario, torch.float32)
        c = scenario.controller
        levels = search_levels_w(scenario.noma_uplink) if c.power_search else None
        return cls(model, load_actor(c.actor_path, model), levels)

    @torch.no_grad()
    def act(self, obs: Observation) -> NomaAction:
        m = self.model
        h = torch.as_tensor(obs.snapshot.H).to(m.complex_dtype)[None]   # [1, K, M, N]
        raw = self.actor(observe(h, m.cfg))
        p_max = m.p_max_w
        if self.levels_w is not None:
            p_max = power_search(m, raw, h, self.levels_w)[0]
        # Precoders and detector from the post-actor in float64, so (19b)-(19c) hold to
        # round-off in the engine's complex128 arithmetic.
        _, p, w = post_actor(raw.double(), m.layout, torch.as_tensor(p_max).double(),
                             m.alpha_t.double())
        return NomaAction(p[0].numpy(), w[0].numpy())
