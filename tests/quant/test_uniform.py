"""Bit-true uniform quantizer: contracts, properties and reference values."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from twin.quant import UniformQuantizer, optimal_full_scale

finite = st.floats(-1e3, 1e3, allow_nan=False, width=64)
bits = st.integers(1, 16)
modes = st.sampled_from(["mid_riser", "mid_tread"])


@given(bits, modes, arrays(np.float64, st.integers(1, 64), elements=finite),
       st.floats(1e-3, 1e3))
def test_codes_stay_within_the_word(num_bits, mode, x, full_scale):
    q = UniformQuantizer(num_bits, full_scale, mode)
    out = q.quantize(x[None, :])
    lo, hi = q.code_range
    assert out.codes.dtype == (np.int8 if num_bits <= 8 else np.int16)
    assert out.codes.min() >= lo
    assert out.codes.max() <= hi


@given(bits, modes, st.floats(1e-3, 1e3), st.data())
def test_a_reconstruction_value_is_a_fixed_point(num_bits, mode, full_scale, data):
    q = UniformQuantizer(num_bits, full_scale, mode)
    idx = data.draw(arrays(np.int64, 16, elements=st.integers(0, 2**num_bits - 1)))
    levels = q.levels[idx]
    out = q.quantize(levels[None, :])
    # Levels are exact multiples of the step: requantizing must return them bit for bit
    # up to one rounding of the step product (relative 1e-15).
    np.testing.assert_allclose(out.values[0], levels, rtol=1e-14, atol=1e-14 * q.step)
    np.testing.assert_array_equal(q.decode(out.codes, iq=False)[0], out.values[0])


@given(bits, st.floats(1e-3, 1e3), arrays(np.float64, 32, elements=finite))
def test_mid_riser_is_odd_symmetric(num_bits, full_scale, x):
    q = UniformQuantizer(num_bits, full_scale, "mid_riser")
    # Thresholds (integer multiples of the step) belong to the upper cell: skip them.
    x = x[np.abs(x / q.step - np.round(x / q.step)) > 1e-9]
    np.testing.assert_array_equal(q.quantize(-x[None]).values, -q.quantize(x[None]).values)


@given(bits, st.floats(1e-3, 1e3), arrays(np.float64, 32, elements=finite))
def test_mid_tread_is_odd_symmetric_inside_its_positive_range(num_bits, full_scale, x):
    q = UniformQuantizer(num_bits, full_scale, "mid_tread")
    # The most negative code has no positive twin (two's complement): stay within the
    # positive range, and off the half-step thresholds.
    x = np.clip(x, -q.levels[-1], q.levels[-1])
    x = x[np.abs(x / q.step - np.floor(x / q.step) - 0.5) > 1e-9]
    np.testing.assert_array_equal(q.quantize(-x[None]).values, -q.quantize(x[None]).values)


@given(bits, modes, arrays(np.float64, 64, elements=finite))
def test_quantizer_is_monotone(num_bits, mode, x):
    q = UniformQuantizer(num_bits, 1.0, mode)
    xs = np.sort(x)[None, :]
    out = q.quantize(xs)
    assert np.all(np.diff(out.codes[0].astype(int)) >= 0)
    assert np.all(np.diff(out.values[0]) >= 0)


def test_complex_rails_are_quantized_separately():
    q = UniformQuantizer(3, 1.0)
    x = np.array([[0.3 - 0.7j, -2.0 + 0.05j]], dtype=np.complex64)
    out = q.quantize(x)
    re = q.quantize(x.real.astype(np.float32))
    im = q.quantize(x.imag.astype(np.float32))
    np.testing.assert_array_equal(out.codes[..., 0], re.codes)
    np.testing.assert_array_equal(out.codes[..., 1], im.codes)
    assert out.values.dtype == np.complex64
    np.testing.assert_array_equal(out.values, re.values + 1j * im.values)


def test_values_and_codes_by_hand():
    # 2 bits, full scale 1: step 0.5, levels -0.75 -0.25 0.25 0.75 (mid-riser);
    # mid-tread levels -1 -0.5 0 0.5.
    x = np.array([[-5.0, -0.6, -0.1, 0.0, 0.2, 0.6, 5.0]])
    riser = UniformQuantizer(2, 1.0, "mid_riser").quantize(x)
    np.testing.assert_array_equal(riser.codes[0], [-2, -2, -1, 0, 0, 1, 1])
    np.testing.assert_array_equal(riser.values[0], [-0.75, -0.75, -0.25, 0.25, 0.25, 0.75, 0.75])
    tread = UniformQuantizer(2, 1.0, "mid_tread").quantize(x)
    np.testing.assert_array_equal(tread.codes[0], [-2, -1, 0, 0, 0, 1, 1])
    np.testing.assert_array_equal(tread.values[0], [-1.0, -0.5, 0.0, 0.0, 0.0, 0.5, 0.5])
    # Clipped: -5 and +5 in both (|x| > 1, resp. outside [-1.25, 0.75]); 0.6 not.
    assert float(riser.clip_rate) == pytest.approx(2 / 7)


@pytest.mark.parametrize(("num_bits", "step"), [(1, 1.5958), (2, 0.9957), (3, 0.5860),
                                                (4, 0.3352), (5, 0.1881)])
def test_optimal_loading_matches_max_1960(num_bits, step):
    # Max (1960), Table II: optimum uniform step for a unit-variance Gaussian, printed to
    # 4 decimals -> tolerance 1e-4.
    assert 2 * optimal_full_scale(num_bits) / 2**num_bits == pytest.approx(step, abs=1.2e-4)


def test_default_full_scale_is_the_mse_optimum():
    q = UniformQuantizer(4)
    mse = q.gaussian_mse()
    for factor in (0.98, 1.02):
        assert UniformQuantizer(4, q.full_scale * factor).gaussian_mse() > mse
    assert UniformQuantizer(4, 3.0).full_scale == 3.0  # overridable


def test_per_antenna_scale_equals_scaling_the_input():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4, 256)) + 1j * rng.standard_normal((3, 4, 256))
    scale = rng.uniform(0.5, 2.0, size=(3, 4, 2))
    q = UniformQuantizer(5)
    out = q.quantize(x, scale)
    blocks = x.reshape(3, 4, 2, 128) / scale[..., None]
    ref = q.quantize(blocks.reshape(3, 4, 256))
    np.testing.assert_array_equal(out.codes, ref.codes)
    np.testing.assert_allclose(out.values, (ref.values.reshape(3, 4, 2, 128)
                                            * scale[..., None]).reshape(3, 4, 256), rtol=1e-12)
    np.testing.assert_allclose(q.decode(out.codes, scale), out.values, rtol=1e-12)
    assert out.clip_rate.shape == (3, 4, 2)


def test_float32_and_float64_agree_on_codes():
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((2, 1000)) + 1j * rng.standard_normal((2, 1000)))
    q = UniformQuantizer(6)
    c64 = q.quantize(x.astype(np.complex64)).codes
    c128 = q.quantize(x.astype(np.complex64).astype(np.complex128)).codes
    # Same samples, only the arithmetic precision differs: codes may differ only where a
    # sample lies within float32 rounding of a threshold, which is rare.
    assert np.mean(c64 != c128) < 1e-3


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"num_bits": 0}, "num_bits must be from 1 to 16"),
    ({"num_bits": 17}, "num_bits must be from 1 to 16"),
    ({"num_bits": 4.0}, "num_bits must be an integer"),
    ({"num_bits": 4, "full_scale": float("nan")}, "full_scale must be finite"),
    ({"num_bits": 4, "full_scale": -1.0}, "full_scale must be finite and > 0"),
    ({"num_bits": 4, "mode": "midrise"}, "mode must be one of"),
])
def test_bad_parameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        UniformQuantizer(**kwargs)


def test_integer_input_is_refused():
    with pytest.raises(ValueError, match="expected a complex"):
        UniformQuantizer(4).quantize(np.arange(8).reshape(2, 4))


def test_bad_scale_is_refused():
    q = UniformQuantizer(4)
    x = np.ones((2, 8), dtype=np.complex64)
    with pytest.raises(ValueError, match="scale must be finite and > 0"):
        q.quantize(x, np.array([[1.0], [0.0]]))
    with pytest.raises(ValueError, match="equal gain blocks"):
        q.quantize(x, np.ones((2, 3)))


def test_zero_input_gives_no_nan():
    out = UniformQuantizer(1).quantize(np.zeros((2, 16), dtype=np.complex64))
    assert np.all(np.isfinite(out.values.view(np.float32)))
