"""The twin's first result, checked: bit-true beta and alpha against the AQNM."""

import numpy as np
import pytest

from twin.quant import AutomaticGainControl
from twin.quant.aqnm import BETA_TABLE_I
from twin.quant.compare import check_quantizer, compare_quantizers
from twin.rng import complex_normal, stream

N = 1 << 18  # complex samples: relative standard error of beta-hat ~0.3 %


@pytest.fixture(scope="module")
def signal():
    return complex_normal(stream(11, "test"), (8, N // 8))


@pytest.mark.parametrize("bits", sorted(BETA_TABLE_I))
def test_lloyd_max_matches_table_one_within_one_percent(signal, bits):
    row = check_quantizer("lloyd_max", bits, signal, AutomaticGainControl())
    # The acceptance bound: 1 %. The Monte-Carlo standard error is at most 0.3 % and
    # Table I's rounding at most 0.23 %, so 1 % leaves >2 standard errors of margin.
    assert abs(row.beta_rel_error) < 0.01
    # Centroid condition => alpha = 1 - beta exactly in expectation; both estimates share the
    # same samples, so their difference has a standard error of about alpha_stderr.
    assert abs(row.alpha_measured - (1 - row.beta_measured)) < 5 * row.alpha_stderr


@pytest.mark.parametrize("bits", range(1, 9))
def test_uniform_measured_beta_matches_its_exact_value(signal, bits):
    row = check_quantizer("uniform", bits, signal, AutomaticGainControl())
    # beta_exact is the quadrature-checked closed form (test_gaussian.py); 4 standard errors.
    # Above 8 bits the overload share of the MSE comes from events too rare for 2^18 samples.
    assert row.beta_measured == pytest.approx(row.beta_exact, abs=4 * row.beta_stderr)


def test_uniform_matches_the_aqnm_at_one_bit_only(signal):
    one, two = (check_quantizer("uniform", b, signal, AutomaticGainControl()) for b in (1, 2))
    # 1 bit: the MSE-optimal uniform quantizer *is* the Lloyd-Max quantizer (levels +-0.798).
    assert abs(one.beta_rel_error) < 0.01
    # 2 bits: exact beta 0.11885 (Max 1960, uniform) against Table I's 0.1175: a gap of 1.15 %
    # that 2^18 samples resolve (standard error ~0.25 %).
    assert two.beta_exact == pytest.approx(0.11885, rel=1e-4)
    assert two.beta_measured - 0.1175 > 3 * two.beta_stderr


def test_comparison_is_reproducible_for_a_seed():
    a = compare_quantizers([2, 3], ["uniform"], 4096, stream(5, "q"))
    b = compare_quantizers([2, 3], ["uniform"], 4096, stream(5, "q"))
    assert [r.as_dict() for r in a] == [r.as_dict() for r in b]


def test_too_few_samples_raise():
    with pytest.raises(ValueError, match="num_samples must be at least"):
        compare_quantizers([1], ["uniform"], 4, np.random.default_rng(0))
