"""The learned schemes of seed 000 and the gradient oracle, as :class:`Scheme` callables over
:mod:`twin.learn` (which owns the post-actor, the torch EE, the power search and the agents).

- Proposed: the trained P-DDPG actor with Algorithm 2's power search, exactly as ``twin run``
  acts with ``[controller] kind = "pddpg"`` (:class:`twin.control.learned.LearnedController`);
  WoPEF: the same with ``power_search = false``. The actor is the one the config names
  (``data/actors/noma_uplink.pt`` by default).
- MLP-actor: the same with seed 000's own actor (an MLP emitting the whole action (42)),
  :data:`MLP_ACTOR_PATH`, when it exists; Proposed acts with the shipped structured actor
  (``twin train --actor mmse``, README "Learning").
- PPO: an actor trained by ``twin train --agent ppo`` (same export format), acting through the
  same controller with the post-actor at ``P_kmax`` (seed 000 §V-A: PPO "with the proposed
  post-actor process", no power search), when :data:`PPO_ACTOR_PATH` exists.

- Oracle: per drop, Adam on the EE through the post-actor from random restarts
  (:func:`twin.learn.oracle.oracle_actions`), plus warm starts from the LMMSE action at three
  transmit powers, so the yardstick never scores below that formula at those powers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch

from twin.config import ControllerConfig, Scenario
from twin.control.learned import resolve_actor_path
from twin.learn.env import NomaModel
from twin.learn.oracle import OracleConfig, oracle_actions
from twin.learn.post_actor import post_actor
from twin.reproduce.noma_eval import with_p_max
from twin.reproduce.noma_schemes import Act, Actions, Scheme, controller_act
from twin.units import dbm_to_w

PPO_ACTOR_PATH = "data/actors/noma_uplink_ppo.pt"
MLP_ACTOR_PATH = "data/actors/noma_uplink_mlp.pt"
# The reproduction's oracle: 4 random restarts and 300 Adam steps (+ the warm starts). On the
# default scenario this reaches ~97 % of what 1000 steps reach (measured: 12.6-12.9 against
# 13.0-13.1 bit/J/Hz at 7 bits), at a third of the time.
ORACLE = OracleConfig(num_restarts=4, steps=300)
# Per-user powers of the oracle's warm starts from the LMMSE directions (capped at P_kmax): the
# post-actor is scale-invariant in V_k and w_k^d, so only f_k needs choosing. Absolute powers,
# not fractions of P_kmax: the oracle's optimum sat near 2 mW per user at every P_kmax >= 5 dBm,
# and random starts at large P_kmax began far above it (its EE fell 6 % from 5 to 20 dBm).
WARM_POWERS_DBM = (-5.0, 3.0, 10.0)


def model_of(scenario: Scenario) -> NomaModel:
    """The reward's constants for ``scenario`` in float64 (the numpy AQNM's precision)."""
    return NomaModel.from_scenario(scenario, torch.float64)


def raw_from_action(precoders: np.ndarray, detector: np.ndarray, fraction: np.ndarray
                    ) -> np.ndarray:
    """The raw action (42) whose post-actor output points along ``precoders`` and ``detector``
    with power fractions ``fraction``: ``[2 f - 1 | Re V | Im V | Re w^d | Im w^d]``.

    precoders : [B, K, N]; detector : [B, K, M]; fraction : [B, K] in [0, 1] -> [B, dim]
    """
    b = precoders.shape[0]
    v, w = precoders.reshape(b, -1), detector.reshape(b, -1)
    return np.concatenate([2.0 * fraction - 1.0, v.real, v.imag, w.real, w.imag], axis=-1)


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Run torch on one thread, then restore its setting.

    NOTE: the reproduction's tensors are small, and on a shared 2-core machine torch's second
    thread made each of the oracle's Adam steps 8x slower (measured 18 ms vs 138 ms).
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def single_threaded(act: Act) -> Act:
    """``act`` run under :func:`one_torch_thread`."""
    def run(h: np.ndarray, scenario: Scenario, rng: np.random.Generator) -> Actions:
        with one_torch_thread():
            return act(h, scenario, rng)
    return run


def _generator(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**62)))


def oracle_act(h: np.ndarray, scenario: Scenario, rng: np.random.Generator) -> Actions:
    """The gradient oracle's action per drop (the best of its restarts and warm starts)."""
    model = model_of(scenario)
    warm = []
    for level_dbm in np.minimum(WARM_POWERS_DBM, scenario.noma_uplink.p_max_dbm):
        # the LMMSE detector of that power, as the engine's controller computes it
        p, w = controller_act("lmmse")(h, with_p_max(scenario, level_dbm), rng)
        warm.append(raw_from_action(p, w, np.full(p.shape[:2], dbm_to_w(level_dbm)
                                                  / model.p_max_w)))
    warm = np.stack(warm, axis=1)
    raw, _ = oracle_actions(model, torch.as_tensor(h), _generator(rng), ORACLE,
                            warm_start=torch.as_tensor(warm))
    _, precoders, detector = post_actor(raw, model.layout, model.p_max_w, model.alpha_t)
    return precoders.numpy(), detector.numpy()


def learned_schemes() -> tuple[list[Scheme], list[str]]:
    """The learned schemes available, and a line for each one that is not."""
    schemes, missing = [], []
    for name, path, search in (("PPO", PPO_ACTOR_PATH, False),
                               ("MLP-actor", MLP_ACTOR_PATH, True)):
        try:
            resolve_actor_path(path)
            schemes.append(Scheme(name, "noma", single_threaded(controller_act(
                "pddpg", actor_path=path, power_search=search))))
        except ValueError as exc:
            missing.append(f"{name}: {exc}")
    try:
        resolve_actor_path(ControllerConfig().actor_path)
        schemes += [Scheme("Proposed", "noma", single_threaded(
                        controller_act("pddpg", power_search=True))),
                    Scheme("WoPEF", "noma", single_threaded(
                        controller_act("pddpg", power_search=False)))]
    except ValueError as exc:
        missing += [f"Proposed: {exc}", f"WoPEF: {exc}"]
    return [*schemes, Scheme("Oracle", "noma", single_threaded(oracle_act))], missing
