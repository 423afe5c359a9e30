import numpy as np
import torch

from twin.config import load_scenario
from twin.learn.env import NomaEnv
from twin.learn.oracle import OracleConfig, oracle_actions
from twin.learn.power_search import power_search, search_levels_w
from twin.units import dbm_to_w


def test_search_levels_follow_table_iii():
    levels = search_levels_w(load_scenario("scenarios/noma_uplink.toml").noma_uplink)
    # Table III: -10 to 20 dBm by 1 dB -> L = floor(30 / 1) + 1 = 31 levels (Sec. IV-E).
    assert levels.size == 31
    np.testing.assert_allclose(levels[[0, -1]], dbm_to_w(np.array([-10.0, 20.0])), rtol=1e-12)


def test_power_search_equals_a_loop_over_levels(small_scenario):
    env = NomaEnv(small_scenario, 5, dtype=torch.float64, seed=1)
    env.reset()
    raw = torch.rand((5, env.layout.dim), generator=torch.Generator().manual_seed(2),
                     dtype=torch.float64) * 2 - 1
    p_best, ee_best = power_search(env.model, raw, env.h)
    levels = search_levels_w(small_scenario.noma_uplink)
    loop = torch.stack([env.evaluate(raw, float(p)).ee_bits_per_j_hz for p in levels])
    # Algorithm 2 line by line: the same numbers in float64, so equal to round-off.
    np.testing.assert_allclose(ee_best.numpy(), loop.max(0).values.numpy(), rtol=1e-12)
    np.testing.assert_allclose(p_best.numpy(), levels[loop.argmax(0).numpy()], rtol=1e-12)
    # The search includes P_kmax itself, so it never scores below the plain post-actor.
    assert bool((ee_best >= env.evaluate(raw).ee_bits_per_j_hz - 1e-12).all())


def test_oracle_beats_its_warm_start_and_random_actions(small_scenario):
    env = NomaEnv(small_scenario, 4, dtype=torch.float64, seed=3)
    env.reset()
    gen = torch.Generator().manual_seed(0)
    warm = torch.rand((4, 1, env.layout.dim), generator=gen, dtype=torch.float64) * 2 - 1
    start = env.evaluate(warm[:, 0]).ee_bits_per_j_hz
    raw, ee = oracle_actions(env.model, env.h, gen, OracleConfig(2, 60, 0.05), warm_start=warm)
    # The returned EE is the returned action's (re-scored here with the order re-derived).
    np.testing.assert_allclose(env.evaluate(raw).ee_bits_per_j_hz.numpy(), ee.numpy(), rtol=1e-12)
    # It keeps the best iterate, so it is never below the warm start; on these draws Adam gains
    # far more than 20 % over a random action (seen: 2-4x).
    assert bool((ee >= start).all())
    assert float(ee.mean()) > 1.2 * float(start.mean())
