import numpy as np
import torch

from tests.learn.conftest import SMALL_TOML
from twin.cli import main
from twin.learn.ppo import gae


def test_gae_with_lambda_one_is_the_discounted_return_minus_value():
    rew = torch.tensor([[1.0], [2.0], [3.0]])
    val = torch.tensor([[0.5], [0.25], [0.125]])
    last = torch.tensor([4.0])
    adv, ret = gae(rew, val, last, gamma=0.5, lam=1.0)
    # lambda = 1: return_t = r_t + g r_t+1 + ... + g^(T-t) V_last, by hand:
    # t=2: 3 + 0.5*4 = 5; t=1: 2 + 0.5*5 = 4.5; t=0: 1 + 0.5*4.5 = 3.25 (exact in float32).
    np.testing.assert_array_equal(ret[:, 0].numpy(), [3.25, 4.5, 5.0])
    np.testing.assert_array_equal(adv[:, 0].numpy(), [2.75, 4.25, 4.875])


def test_cli_trains_ppo_and_resumes(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL_TOML)
    out = tmp_path / "ppo"
    args = ["train", str(path), "--agent", "ppo", "--steps", "4", "--envs", "4",
            "--hidden", "8,8", "--out", str(out)]
    assert main([*args, "--episodes", "1"]) == 0
    assert main([*args, "--episodes", "2", "--resume", str(out / "checkpoint.pt")]) == 0
    rows = np.genfromtxt(out / "curves.csv", delimiter=",", names=True)
    np.testing.assert_array_equal(rows["episode"], [1, 2])
    np.testing.assert_array_equal(rows["env_steps"], [4, 8])
    assert torch.load(out / "actor.pt", weights_only=True)["hidden"] == [8, 8]
    # A PPO checkpoint cannot resume a P-DDPG run: one line, exit 2.
    assert main(["train", str(path), "--steps", "4", "--envs", "4", "--hidden", "8,8",
                 "--out", str(tmp_path / "d"), "--episodes", "2",
                 "--resume", str(out / "checkpoint.pt")]) == 2
