"""Single-precision complex Gaussian draws: variance, independent rails, repeatability."""

import numpy as np

from twin.chain.normal import complex_normal32

N = 1 << 19


def test_same_generator_state_gives_the_same_samples():
    a = complex_normal32(np.random.default_rng(5), (3, 1000), 2.0)
    np.testing.assert_array_equal(a, complex_normal32(np.random.default_rng(5), (3, 1000), 2.0))
    assert a.dtype == np.complex64
    assert a.shape == (3, 1000)


def test_complex_samples_have_the_variance_and_independent_rails():
    z = complex_normal32(np.random.default_rng(6), (N,), 0.25).astype(np.complex128)
    # E|z|^2 = 0.25: |z|^2 / 0.25 is exponential (std 1), 5 standard errors.
    assert abs(np.mean(np.abs(z) ** 2) / 0.25 - 1.0) < 5 / np.sqrt(N)
    # I and Q uncorrelated: the sample correlation is ~N(0, 1/n); 5 standard deviations.
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 5 / np.sqrt(N)
