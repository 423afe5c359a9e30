import dataclasses

import numpy as np
import pytest
import torch

from tests.learn.conftest import SMALL_TOML
from twin.config import parse_scenario
from twin.control.base import Observation
from twin.control.baselines import make_controller
from twin.control.learned import LearnedController
from twin.engine import run
from twin.learn.ddpg import PDDPG, DDPGConfig
from twin.learn.env import NomaEnv, observe
from twin.learn.power_search import power_search
from twin.learn.train import export_actor
from twin.trace.reader import TraceReader
from twin.world.snapshot import NomaSnapshot


@pytest.fixture
def actor_scenario(tmp_path):
    base = parse_scenario(SMALL_TOML)
    env = NomaEnv(base, 1)
    agent = PDDPG(env.model, DDPGConfig(hidden=(8, 8)), seed=4)
    path = tmp_path / "actor.pt"
    torch.save(export_actor(agent, base, "untrained, for tests"), path)
    toml = SMALL_TOML + (f'[controller]\nkind = "pddpg"\nactor_path = "{path}"\n'
                         '[run]\nnum_slots = 3\nsamples_per_slot = 64\n')
    return parse_scenario(toml), toml


def _obs(scenario, seed):
    env = NomaEnv(scenario, 1, dtype=torch.float64, seed=seed)
    env.reset()
    return Observation(0, NomaSnapshot(0, None, None, None, None, env.h[0].numpy()), None), env


def test_controller_acts_with_the_searched_power(actor_scenario):
    scenario, _ = actor_scenario
    ctrl = make_controller(scenario, np.random.default_rng(0))
    assert isinstance(ctrl, LearnedController)
    obs, _ = _obs(scenario, 1)
    action = ctrl.act(obs)
    # (19c) to 1e-9 in the engine's complex128.
    np.testing.assert_allclose(np.linalg.norm(action.detector, axis=1), 1.0, atol=1e-9)
    # (19b): the total transmit power is f_k times the level Algorithm 2 chose.
    h = torch.as_tensor(obs.snapshot.H).to(torch.complex64)[None]
    raw = ctrl.actor(observe(h, scenario.noma_uplink))
    p_best, _ = power_search(ctrl.model, raw, h)
    f = ((raw[0, :3].double() + 1) / 2).clamp(0, 1).numpy()
    tx = (ctrl.model.alpha_t.double().numpy() * np.abs(action.precoders) ** 2).sum(1)
    np.testing.assert_allclose(tx, f * float(p_best[0]), rtol=1e-6)


def test_wopef_uses_p_max(actor_scenario):
    scenario, _ = actor_scenario
    scenario = dataclasses.replace(
        scenario, controller=dataclasses.replace(scenario.controller, power_search=False))
    ctrl = make_controller(scenario, np.random.default_rng(0))
    obs, _ = _obs(scenario, 2)
    action = ctrl.act(obs)
    tx = (ctrl.model.alpha_t.double().numpy() * np.abs(action.precoders) ** 2).sum(1)
    assert float(tx.max()) <= scenario.noma_uplink.p_max_w * (1 + 1e-6)


def test_engine_runs_the_learned_controller(actor_scenario, tmp_path):
    scenario, toml = actor_scenario
    path = run(scenario, toml, tmp_path / "t.h5")
    with TraceReader(path) as r:
        ee = r.slots()["ee_aqnm_bits_per_j_hz"]
    assert ee.shape == (3,)
    assert np.all(np.isfinite(ee))
    assert np.all(ee > 0)


def test_missing_actor_is_a_one_line_error(tmp_path):
    scenario = parse_scenario(SMALL_TOML + '[controller]\nkind = "pddpg"\n'
                              f'actor_path = "{tmp_path / "none.pt"}"\n')
    with pytest.raises(ValueError, match="not found"):
        make_controller(scenario, np.random.default_rng(0))


def test_pddpg_is_refused_for_full_duplex():
    from twin.config import TwinConfigError
    with pytest.raises(TwinConfigError, match="pddpg"):
        parse_scenario('name = "x"\nsystem = "full_duplex"\n[full_duplex]\n'
                       '[controller]\nkind = "pddpg"\n')


def test_structured_actor_ships_and_acts(tmp_path):
    base = parse_scenario(SMALL_TOML)
    env = NomaEnv(base, 1)
    agent = PDDPG(env.model, DDPGConfig(hidden=(8, 8), actor="mmse"), seed=4)
    path = tmp_path / "mmse.pt"
    torch.save(export_actor(agent, base, "untrained, for tests"), path)
    scenario = parse_scenario(SMALL_TOML + f'[controller]\nkind = "pddpg"\nactor_path = "{path}"\n')
    ctrl = make_controller(scenario, np.random.default_rng(0))
    obs, _ = _obs(scenario, 3)
    h = torch.as_tensor(obs.snapshot.H).to(torch.complex64)[None]
    with torch.no_grad():
        # The file rebuilt the same kind of actor with the same weights: identical raw actions.
        assert torch.equal(ctrl.actor(observe(h, scenario.noma_uplink)),
                           agent.actor(observe(h, scenario.noma_uplink)))
    action = ctrl.act(obs)
    np.testing.assert_allclose(np.linalg.norm(action.detector, axis=1), 1.0, atol=1e-9)
