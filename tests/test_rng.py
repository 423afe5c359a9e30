import numpy as np
import pytest

from twin.rng import stream


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
