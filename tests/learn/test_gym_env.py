import numpy as np
from gymnasium.utils.env_checker import check_env

from twin.learn.gym_env import NomaGymEnv


def test_gym_adapter_passes_the_gymnasium_checker(small_scenario):
    check_env(NomaGymEnv(small_scenario, episode_steps=3), skip_render_check=True)


def test_gym_episode_truncates_and_reward_is_ee(small_scenario):
    env = NomaGymEnv(small_scenario, episode_steps=2)
    obs, _ = env.reset(seed=4)
    assert env.observation_space.contains(obs)
    _, r1, term, trunc, info = env.step(np.zeros(env.action_space.shape, np.float32))
    assert not term
    assert not trunc
    # reward (22) is EE (18) = SE / power with the info's own SE and power (float64 inside).
    assert abs(r1 - info["se_bps_hz"] / info["power_w"]) < 1e-12
    _, _, term, trunc, _ = env.step(np.zeros(env.action_space.shape, np.float32))
    assert not term
    assert trunc
