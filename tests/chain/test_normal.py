"""The compiled ziggurat: standard normal samples, repeatable for a seed."""

import numpy as np
from scipy import stats

from twin.chain import normal
from twin.chain.normal import complex_normal32, standard_normal32

N = 1 << 20


def test_samples_follow_the_standard_normal():
    z = standard_normal32(np.random.default_rng(11), N).astype(np.float64)
    # Kolmogorov-Smirnov: the 0.1 % critical value of D is 1.95 / sqrt(n) (asymptotic).
    assert stats.kstest(z, "norm").statistic < 1.95 / np.sqrt(N)
    # Sample mean and variance within 5 standard errors (1 / sqrt(n) and sqrt(2 / n)).
    assert abs(z.mean()) < 5 / np.sqrt(N)
    assert abs(z.var() - 1.0) < 5 * np.sqrt(2.0 / N)


def test_tail_beyond_the_base_layer_has_its_mass():
    # |z| > R = 3.654 comes only from the exact tail sampler: 2 Q(R) = 2.58e-4 of the draws,
    # 270 expected in 2^20; 5 binomial standard deviations either way.
    z = standard_normal32(np.random.default_rng(12), N)
    expected = N * 2 * stats.norm.sf(normal._R)
    assert abs(np.sum(np.abs(z) > normal._R) - expected) < 5 * np.sqrt(expected)


def test_same_generator_state_gives_the_same_samples():
    a = complex_normal32(np.random.default_rng(5), (3, 1000), 2.0)
    b = complex_normal32(np.random.default_rng(5), (3, 1000), 2.0)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.complex64
    assert a.shape == (3, 1000)


def test_complex_samples_have_the_variance_and_independent_rails():
    z = complex_normal32(np.random.default_rng(6), (N // 2,), 0.25).astype(np.complex128)
    # E|z|^2 = 0.25: |z|^2 / 0.25 is exponential (std 1), 5 standard errors.
    assert abs(np.mean(np.abs(z) ** 2) / 0.25 - 1.0) < 5 / np.sqrt(z.size)
    # I and Q uncorrelated: the sample correlation is ~N(0, 1/n); 5 standard deviations.
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 5 / np.sqrt(z.size)


def test_running_out_of_spare_words_is_reported():
    # A word whose 23-bit uniform is all ones falls outside every layer's rectangle, so it
    # needs spare words; with none the kernel says so (-1) and the caller draws more.
    words = np.array([0xFFFFFF05], dtype=np.uint32)
    out = np.empty(1, dtype=np.float32)
    assert normal._outer(words, np.array([0]), np.empty(0, np.uint32), normal._X, normal._K,
                         normal._F, out) == -1


def test_a_long_run_of_rejects_is_found_past_the_index_buffer():
    # Words whose uniform is all ones are all rejects: more than the fast path's index buffer
    # (size / 16 + 16 = 20) holds, so the caller finds them all itself and the exact tests
    # finish each of them from the spare words.
    words = np.full(64, 0xFFFFFF05, dtype=np.uint32)
    rejected = np.empty(64 // 16 + 16, dtype=np.int64)
    out = np.empty(64, dtype=np.float32)
    assert normal._inner(words, normal._SCALE32, normal._K, out, rejected) == 64
    np.testing.assert_array_equal(normal._all_rejects(words), np.arange(64))
    spare = np.random.default_rng(7).bit_generator.random_raw(4096).view(np.uint32)
    assert normal._outer(words, np.arange(64), spare, normal._X, normal._K, normal._F, out) > 0
    # Layer 5's wedge or a fresh draw: every sample finite and within the ziggurat's range.
    assert np.all(np.isfinite(out))
    assert np.all(np.abs(out) < 8.0)
