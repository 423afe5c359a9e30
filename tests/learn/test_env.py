import numpy as np
import torch

from twin.config import load_scenario
from twin.learn.env import NomaEnv, noma_ee, observe, unobserve
from twin.learn.post_actor import post_actor
from twin.systems.noma_aqnm import predict_noma
from twin.systems.power import amplifier_power_w


def test_noma_ee_matches_numpy_aqnm_and_power_model():
    scenario = load_scenario("scenarios/noma_uplink.toml")
    env = NomaEnv(scenario, 6, dtype=torch.float64, seed=3)
    env.reset()
    gen = torch.Generator().manual_seed(1)
    raw = torch.rand((6, env.layout.dim), generator=gen, dtype=torch.float64) * 2 - 1
    _, p, w = post_actor(raw, env.layout, env.p_max_w, env.alpha_t)
    out = noma_ee(env.h, p, w, env.alpha_t, env.alpha_r, env.noise_w, env.power)
    eta = scenario.noma_uplink.power.amplifier_efficiency
    for b in range(6):
        pred = predict_noma(env.h[b].numpy(), p[b].numpy(), w[b].numpy(), env.alpha_t.numpy(),
                            env.alpha_r.numpy(), env.noise_w)
        se = np.log2(1.0 + pred.sinr).sum()
        power_w = amplifier_power_w(pred.tx_power_w, eta).sum() + env.power.circuit_w
        # Same formulas in float64: agreement to 1e-9 (the tolerance; ~1e-15 seen).
        assert abs(float(out.se_bps_hz[b]) - se) < 1e-9
        assert abs(float(out.power_w[b]) - power_w) < 1e-9
        assert abs(float(out.ee_bits_per_j_hz[b]) - se / power_w) < 1e-9


def test_env_drops_follow_the_pathloss_model(small_scenario):
    env = NomaEnv(small_scenario, 4000, dtype=torch.float64, seed=0)
    env.reset()
    c = small_scenario.noma_uplink
    # eq. (43) at 1 m and at 100 m bounds every drop's large-scale gain.
    lo = 10 ** (-(c.pathloss_intercept_db + c.pathloss_slope_db * np.log10(0.1)) / 10)
    hi = 10 ** (-(c.pathloss_intercept_db + c.pathloss_slope_db * np.log10(0.001)) / 10)
    g = env.gain_lin.numpy()
    assert g.min() >= lo * (1 - 1e-12)
    assert g.max() <= hi * (1 + 1e-12)
    # Area-uniform in the disk: half the users lie beyond R / sqrt(2) (median radius); with
    # 12000 users the fraction's standard error is 0.0046, so 0.02 is > 4 sigma.
    d_half = 10 ** (-(c.pathloss_intercept_db + c.pathloss_slope_db
                      * np.log10(0.1 / np.sqrt(2))) / 10)
    assert abs(np.mean(g < d_half) - 0.5) < 0.02
    # eq. (44): E|Hhat|^2 = 1, i.e. E[|H|^2 / gain] = 1 over 4000 x 3 x 4 x 2 entries
    # (standard error 0.0036).
    ratio = (env.h.abs() ** 2 / env.gain_lin[..., None, None]).mean()
    assert abs(float(ratio) - 1.0) < 0.02


def test_env_step_is_deterministic_for_a_seed(small_scenario):
    def rollout():
        env = NomaEnv(small_scenario, 8, seed=0)
        obs = [env.reset(seed=11)]
        raw = torch.full((8, env.layout.dim), 0.5)
        rewards = []
        for _ in range(3):
            o, out = env.step(raw)
            obs.append(o)
            rewards.append(out.ee_bits_per_j_hz)
        return torch.stack(obs), torch.stack(rewards)

    (o1, r1), (o2, r2) = rollout(), rollout()
    assert torch.equal(o1, o2)
    assert torch.equal(r1, r2)
    assert not torch.equal(o1[1], o1[2])  # fading is redrawn every step


def test_observation_is_a_bijection_of_the_channels(small_scenario):
    env = NomaEnv(small_scenario, 5, dtype=torch.float64, seed=2)
    obs = env.reset()
    rebuilt = unobserve(obs, small_scenario.noma_uplink)
    # Round trip through log10 and 10^x in float64: relative error ~1e-15.
    np.testing.assert_allclose(rebuilt.numpy(), env.h.numpy(), rtol=1e-12, atol=0)
    assert torch.equal(observe(env.h, small_scenario.noma_uplink), obs)
