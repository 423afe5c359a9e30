"""Automatic gain control: targets, blocks, clipping reports and bad input."""

import numpy as np
import pytest

from twin.quant import AutomaticGainControl, Converter, LloydMaxQuantizer, UniformQuantizer
from twin.rng import complex_normal


def _rail_rms(x):
    return np.sqrt(np.mean(x.real**2 + x.imag**2, axis=-1) / 2)


@pytest.mark.parametrize("quantizer", [UniformQuantizer(4), LloydMaxQuantizer(3)], ids=repr)
def test_rms_mode_reaches_unit_rail_rms(quantizer):
    rng = np.random.default_rng(3)
    x = complex_normal(rng, (4, 4096)) * np.array([[1e-3], [1.0], [30.0], [1e4]])
    scale = AutomaticGainControl().scale(x, quantizer)
    # Deterministic identity: after dividing by the gain, each rail has RMS 1 (the loading
    # the quantizer is designed for), to float64 round-off.
    np.testing.assert_allclose(_rail_rms(x / scale), 1.0, rtol=1e-12)


def test_rms_backoff_sets_full_scale_over_rms():
    q = UniformQuantizer(6)
    x = complex_normal(np.random.default_rng(4), (2, 2048))
    scale = AutomaticGainControl(backoff_db=12.0).scale(x, q)
    ratio_db = 20 * np.log10(q.full_scale / _rail_rms(x / scale))
    np.testing.assert_allclose(ratio_db, 12.0, rtol=1e-12)


def test_max_mode_maps_the_peak_to_full_scale_and_never_clips():
    q = UniformQuantizer(5)
    x = complex_normal(np.random.default_rng(5), (3, 1000))
    conv = Converter(q, AutomaticGainControl(mode="max"))(x)
    peak = np.maximum(np.abs(x.real), np.abs(x.imag)).max(axis=-1)
    # The AGC keeps a relative margin of 1e-6 inside full scale (agc._PEAK_MARGIN).
    np.testing.assert_allclose(peak / conv.scale[:, 0], q.full_scale, rtol=2e-6)
    assert np.all(conv.clip_rate == 0.0)


def test_blocks_get_their_own_gain():
    x = np.concatenate([np.full((1, 64), 0.01 + 0.01j), np.full((1, 64), 5 + 5j)], axis=-1)
    scale = AutomaticGainControl(block_samples=64).scale(x, UniformQuantizer(4))
    np.testing.assert_allclose(scale, [[0.01, 5.0]], rtol=1e-12)


def test_clip_rate_of_gaussian_matches_the_tail_probability():
    from scipy.stats import norm

    q = UniformQuantizer(3)
    x = complex_normal(np.random.default_rng(6), (8, 1 << 15))
    conv = Converter(q)(x)
    expected = 2 * norm.sf(q.full_scale)
    # 2^19 rails: binomial standard error sqrt(p (1 - p) / n) ~ 1.9e-4 at p = 0.019; 5 of them.
    assert float(conv.clip_rate.mean()) == pytest.approx(expected, abs=5 * 1.9e-4)


def test_zero_block_gets_unit_gain_and_no_nan():
    x = np.zeros((2, 32), dtype=np.complex64)
    conv = Converter(UniformQuantizer(1))(x)
    assert np.all(conv.scale == 1.0)
    assert np.all(np.isfinite(conv.values.view(np.float32)))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"mode": "peak"}, "AGC mode must be one of"),
    ({"mode": "max", "backoff_db": 3.0}, "backoff_db applies to the 'rms'"),
    ({"backoff_db": float("inf")}, "backoff_db must be finite"),
    ({"block_samples": 0}, "block_samples must be a positive integer"),
])
def test_bad_parameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AutomaticGainControl(**kwargs)


def test_nan_input_and_ragged_blocks_raise():
    q = UniformQuantizer(4)
    with pytest.raises(ValueError, match="NaN or infinite"):
        AutomaticGainControl().scale(np.array([[np.nan + 0j, 1.0]]), q)
    with pytest.raises(ValueError, match="does not divide"):
        AutomaticGainControl(block_samples=3).scale(np.ones((1, 8), complex), q)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128, np.float32])
@pytest.mark.parametrize("mode", ["mid_riser", "mid_tread"])
@pytest.mark.parametrize(("bits", "backoff_db", "block"), [(1, None, None), (7, 6.0, 64),
                                                           (12, None, 128)])
def test_compiled_rms_converter_equals_agc_then_quantizer(dtype, mode, bits, backoff_db, block):
    # The converter's one-call path for a uniform quantizer behind an RMS AGC must give what
    # the two documented steps give, bit for bit (same operations in the same precision).
    rng = np.random.default_rng(bits)
    x = 0.3 * rng.standard_normal((2, 3, 256, 2)).view(np.complex128)[..., 0]
    x = (x if np.dtype(dtype).kind == "c" else x.real).astype(dtype)
    x[0, 0] = 0.0  # an all-zero antenna keeps gain 1
    conv = Converter(UniformQuantizer(bits, mode=mode), AutomaticGainControl("rms", backoff_db,
                                                                            block))
    out = conv(x)
    scale = conv.agc.scale(x, conv.quantizer)
    ref = conv.quantizer.quantize(x, scale)
    np.testing.assert_array_equal(out.scale, scale)
    np.testing.assert_array_equal(out.codes, ref.codes)
    np.testing.assert_array_equal(out.values, ref.values)
    np.testing.assert_array_equal(out.clip_rate, ref.clip_rate)
    assert out.values.dtype == ref.values.dtype
