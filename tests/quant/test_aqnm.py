"""The AQNM: beta/alpha exactly as the papers define them, covariance, and its twin."""

import numpy as np
import pytest

from twin.quant import aqnm_alpha, aqnm_beta, aqnm_noise_covariance, aqnm_quantize
from twin.rng import complex_normal


def test_beta_is_table_one_up_to_five_bits():
    # Seed 000 Table I, verbatim.
    np.testing.assert_array_equal(aqnm_beta([1, 2, 3, 4, 5]),
                                  [0.3634, 0.1175, 0.03454, 0.009497, 0.002499])


def test_beta_above_five_bits_is_the_high_resolution_formula():
    b = np.arange(6, 17)
    np.testing.assert_allclose(aqnm_beta(b), np.pi * np.sqrt(3) / 2 * 4.0 ** (-b), rtol=1e-15)
    assert float(aqnm_beta(6)) == pytest.approx(6.6423e-4, rel=1e-4)  # 2.7207 / 4096


def test_alpha_is_one_minus_beta_and_bits_may_differ_per_antenna():
    b = np.array([1, 4, 7, 12])
    np.testing.assert_array_equal(aqnm_alpha(b), 1 - aqnm_beta(b))
    assert aqnm_beta(b).shape == (4,)


def test_noise_covariance_is_alpha_beta_diag():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((2, 3, 3)) + 1j * rng.standard_normal((2, 3, 3))
    cov = a @ a.conj().transpose(0, 2, 1)
    bits = np.array([1, 3, 8])
    r = aqnm_noise_covariance(cov, bits)
    beta = aqnm_beta(bits)
    expected = np.stack([np.diag((1 - beta) * beta * np.real(np.diag(c))) for c in cov])
    np.testing.assert_allclose(r, expected, rtol=1e-15)


@pytest.mark.parametrize("bad", [0, 17, 2.5, [3, 0]])
def test_bad_bits_raise(bad):
    with pytest.raises(ValueError, match="num_bits"):
        aqnm_beta(bad)


def test_aqnm_twin_has_the_modelled_gain_and_noise():
    rng = np.random.default_rng(8)
    x = complex_normal(rng, (3, 1 << 17)) * np.array([[0.1], [1.0], [10.0]])
    bits = np.array([1, 3, 6])
    y = aqnm_quantize(x, bits, rng)
    power = np.mean(np.abs(x) ** 2, axis=-1)
    gain = np.real(np.mean(np.conj(x) * y, axis=-1)) / power
    noise = np.mean(np.abs(y - gain[:, None] * x) ** 2, axis=-1) / power
    alpha, beta = aqnm_alpha(bits), aqnm_beta(bits)
    # n = 2^17 per antenna: the gain estimate's standard error is sqrt(alpha beta / n) <= 1.3e-3
    # and the noise variance's relative standard error sqrt(1 / n) ~ 2.8e-3; 5 of each.
    np.testing.assert_allclose(gain, alpha, atol=5 * 1.3e-3)
    np.testing.assert_allclose(noise, alpha * beta, rtol=5 * 2.8e-3)
