import numpy as np
import pytest
import torch

from twin.cli import main
from twin.learn.ddpg import PDDPG, DDPGConfig, OUNoise, ReplayBuffer
from twin.learn.env import NomaEnv
from twin.learn.train import TrainConfig, train

TINY = DDPGConfig(hidden=(16, 16), batch_size=8, buffer_size=256)


def test_ou_noise_follows_its_recursion():
    cfg = DDPGConfig(ou_theta=0.5, ou_sigma=0.3, ou_dt=0.1)
    gen = torch.Generator().manual_seed(0)
    noise = OUNoise((2, 3), cfg, gen)
    x1 = noise.sample().clone()
    x2 = noise.sample().clone()
    ref = torch.Generator().manual_seed(0)
    n1, n2 = torch.randn((2, 3), generator=ref), torch.randn((2, 3), generator=ref)
    # eq. (23)'s OU process: x <- x - theta x dt + sigma sqrt(dt) n, from x = 0; float32, so
    # a relative 1e-6 (a few roundings).
    np.testing.assert_allclose(x1.numpy(), (0.3 * 0.1**0.5 * n1).numpy(), rtol=1e-6)
    np.testing.assert_allclose(x2.numpy(), (x1 - 0.5 * x1 * 0.1 + 0.3 * 0.1**0.5 * n2).numpy(),
                               rtol=1e-6)


def test_soft_update_moves_targets_by_tau(small_scenario):
    env = NomaEnv(small_scenario, 4, seed=0)
    agent = PDDPG(env.model, TINY, seed=1)
    before = [p.clone() for p in agent.actor_target.parameters()]
    buf = ReplayBuffer(64, env.obs_dim, env.layout.dim)
    obs = env.reset()
    raw = agent.act(obs)
    nxt, out = env.step(raw)
    buf.add(obs, agent.features(raw), out.ee_bits_per_j_hz, nxt)
    agent.update(buf)
    # eq. (27): theta' <- tau theta + (1 - tau) theta', with the actor after its update
    # (lerp in float32: a few roundings of entries ~0.1, hence 1e-5 relative, 1e-7 absolute).
    for b, p, p_t in zip(before, agent.actor.parameters(), agent.actor_target.parameters(),
                         strict=True):
        np.testing.assert_allclose(p_t.numpy(), ((1 - TINY.tau) * b + TINY.tau * p).detach()
                                   .numpy(), rtol=1e-5, atol=1e-7)


def test_actor_gradient_flows_through_the_post_actor(small_scenario):
    env = NomaEnv(small_scenario, 4, seed=0)
    agent = PDDPG(env.model, TINY, seed=1)
    obs = env.reset()
    q = agent.critic(obs, agent.features(agent.actor(obs))).sum()
    q.backward()
    grads = [p.grad for p in agent.actor.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert sum(float(g.abs().sum()) for g in grads) > 0.0


def test_train_resume_and_cli(small_scenario, tmp_path):
    cfg = TrainConfig(episodes=2, steps_per_episode=5, num_envs=4, checkpoint_every=1,
                      eval_drops=4, seed=3)
    actor = train(small_scenario, cfg, TINY, tmp_path / "a")
    rows = np.genfromtxt(tmp_path / "a" / "curves.csv", delimiter=",", names=True)
    assert rows.size == 2
    # 5 steps x 1 update each, from the first step whose buffer holds S = 8 transitions
    # (4 per step): steps 2..5 of episode 1 -> 4 updates, then 5 more.
    np.testing.assert_array_equal(rows["updates"], [4, 9])
    assert torch.load(actor, weights_only=True)["hidden"] == [16, 16]
    # A 1-episode run resumed to 2 episodes: the counts and curves continue where they stopped
    # (the replay buffer restarts empty, by design).
    one = TrainConfig(episodes=1, steps_per_episode=5, num_envs=4, checkpoint_every=1,
                      eval_drops=4, seed=3)
    train(small_scenario, one, TINY, tmp_path / "b")
    train(small_scenario, cfg, TINY, tmp_path / "b", resume=tmp_path / "b" / "checkpoint.pt")
    resumed = np.genfromtxt(tmp_path / "b" / "curves.csv", delimiter=",", names=True)
    np.testing.assert_array_equal(resumed["episode"], [1, 2])
    assert resumed["env_steps"][-1] == 10


def test_cli_train_writes_curves_and_plot(tmp_path, small_scenario):
    from tests.learn.conftest import SMALL_TOML

    path = tmp_path / "small.toml"
    path.write_text(SMALL_TOML)
    code = main(["train", str(path), "--episodes", "1", "--steps", "3", "--envs", "2",
                 "--hidden", "8,8", "--batch-size", "4", "--out", str(tmp_path / "run")])
    assert code == 0
    for name in ("curves.csv", "curves.png", "checkpoint.pt", "actor.pt"):
        assert (tmp_path / "run" / name).is_file()


def test_cli_train_rejects_full_duplex(tmp_path, capsys):
    path = tmp_path / "fd.toml"
    path.write_text('name = "fd"\nsystem = "full_duplex"\n[full_duplex]\n')
    assert main(["train", str(path)]) == 2
    assert "noma_uplink" in capsys.readouterr().err


@pytest.mark.parametrize("hidden", ["8", "8,0", "a,b"])
def test_cli_train_rejects_bad_hidden(hidden, tmp_path):
    with pytest.raises(SystemExit):
        main(["train", "x.toml", "--hidden", hidden])


def test_exact_reward_critic_raises_the_reward(small_scenario):
    env = NomaEnv(small_scenario, 32, seed=0)
    agent = PDDPG(env.model, DDPGConfig(hidden=(32, 32), batch_size=32, critic="reward",
                                        lr_actor=3e-3), seed=2)
    buf = ReplayBuffer(32, env.obs_dim, env.layout.dim)
    obs = env.reset()
    h = env.h
    nxt, out = env.step(agent.act(obs))
    buf.add(obs, agent.features(agent.act(obs)), out.ee_bits_per_j_hz, nxt)

    def reward():
        return float(env.evaluate(agent.act(obs), h=h).ee_bits_per_j_hz.mean())

    before = reward()
    for _ in range(30):
        agent.update(buf)
    # 30 exact gradient steps on these 32 states raise their mean reward (seen: ~+50 %; a
    # 5 % margin is far above float32 noise of the EE, ~1e-6 relative).
    assert reward() > 1.05 * before
