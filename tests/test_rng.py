import numpy as np
import pytest

from twin.rng import complex_normal, stream


def test_same_seed_and_name_give_the_same_numbers():
    np.testing.assert_array_equal(stream(3, "fading").random(5), stream(3, "fading").random(5))


def test_names_and_seeds_give_independent_streams():
    a = stream(3, "fading").random(1000)
    assert not np.array_equal(a, stream(3, "noise").random(1000))
    assert not np.array_equal(a, stream(4, "fading").random(1000))
    # Independent uniforms: correlation ~ N(0, 1/1000); 5 standard deviations.
    assert abs(np.corrcoef(a, stream(3, "noise").random(1000))[0, 1]) < 5 / np.sqrt(1000)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "1"])
def test_bad_seed_raises(bad):
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        stream(bad, "x")


# complex_normal in single precision (the chain's complex64 front end).
N = 1 << 19


def test_complex64_draws_repeat_from_the_same_generator_state():
    def draw():
        return complex_normal(np.random.default_rng(5), (3, 1000), 2.0, np.complex64)
    a = draw()
    np.testing.assert_array_equal(a, draw())
    assert a.dtype == np.complex64
    assert a.shape == (3, 1000)


def test_complex64_draws_have_the_variance_and_independent_rails():
    z = complex_normal(np.random.default_rng(6), (N,), 0.25, np.complex64).astype(np.complex128)
    # E|z|^2 = 0.25: |z|^2 / 0.25 is exponential (std 1), 5 standard errors.
    assert abs(np.mean(np.abs(z) ** 2) / 0.25 - 1.0) < 5 / np.sqrt(N)
    # I and Q uncorrelated: the sample correlation is ~N(0, 1/n); 5 standard deviations.
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 5 / np.sqrt(N)
