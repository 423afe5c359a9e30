import numpy as np
import pytest
import torch

from twin.learn.post_actor import ActionLayout, action_features, post_actor
from twin.quant.aqnm import aqnm_alpha

LAYOUT = ActionLayout(num_users=10, num_user_ant=4, num_bs_ant=8)


def test_layout_dim_counts_f_v_and_w():
    # (42): K fractions, K N complex precoder entries, K M complex detector entries.
    assert LAYOUT.dim == 10 + 2 * 10 * 4 + 2 * 10 * 8


@pytest.mark.parametrize("bits", [1, 3, 7])
def test_power_constraint_19b_holds_with_equality(bits):
    gen = torch.Generator().manual_seed(bits)
    raw = torch.rand((64, LAYOUT.dim), generator=gen, dtype=torch.float64) * 4 - 2
    alpha_t = torch.as_tensor(aqnm_alpha(np.full(4, bits)))
    f, p, _ = post_actor(raw, LAYOUT, 0.1, alpha_t)
    tx_w = (alpha_t * p.abs() ** 2).sum(-1)
    # Proposition 2, eq. (38): equality f_k P_kmax; 1e-9 W is the tolerance (float64
    # rounding is ~1e-17 W here).
    np.testing.assert_allclose(tx_w.numpy(), (f * 0.1).numpy(), rtol=0, atol=1e-9)
    assert float(f.min()) >= 0.0
    assert float(f.max()) <= 1.0


def test_detector_rows_have_unit_norm_19c():
    gen = torch.Generator().manual_seed(5)
    raw = torch.randn((64, LAYOUT.dim), generator=gen, dtype=torch.float64)
    _, _, w = post_actor(raw, LAYOUT, 0.1, torch.ones(4, dtype=torch.float64))
    # Proposition 3, eq. (41): w_k w_k^H = 1; tolerance 1e-9 as the issue asks.
    np.testing.assert_allclose((w.abs() ** 2).sum(-1).numpy(), 1.0, rtol=0, atol=1e-9)


def test_per_environment_power_budget_scales_each_row():
    raw = torch.zeros((2, LAYOUT.dim), dtype=torch.float64) + 0.3
    alpha_t = torch.ones(4, dtype=torch.float64)
    _f, p, _ = post_actor(raw, LAYOUT, torch.tensor([0.1, 0.01], dtype=torch.float64), alpha_t)
    # f = (0.3 + 1) / 2 = 0.65 for every user; the budgets are 0.1 W and 0.01 W.
    np.testing.assert_allclose((p.abs() ** 2).sum(-1).numpy(),
                               [[0.065] * 10, [0.0065] * 10], rtol=1e-12)


def test_zero_raw_vectors_give_zero_not_nan():
    raw = torch.zeros((1, LAYOUT.dim), dtype=torch.float64)
    f, p, w = post_actor(raw, LAYOUT, 0.1, torch.ones(4, dtype=torch.float64))
    feats = action_features(f, p, w, 0.1)
    assert torch.isfinite(feats).all()
    assert float(p.abs().max()) == 0.0
    assert float(w.abs().max()) == 0.0
