"""Seed 004 Sec. III bit-budget analysis, against the paper's examples and the bit-true ADC."""

import json

import numpy as np
import pytest

from twin.analysis.fd_bits import (
    FDSetting,
    analyze,
    dynamic_range_bound_bits,
    dynamic_range_db,
    min_adc_bits,
    min_adc_bits_approx,
)
from twin.cli import main


def test_proposition_one_reproduces_example_one():
    # Seed 004 Example 1: P_D = 24 dBm, P_U = 23 dBm, kappa_a = -60 dB, rho_U = -90 dB -> 5.87
    # (printed to 2 decimals: tolerance 0.005).
    assert min_adc_bits(FDSetting.from_db(24, 23, -60, -90)) == pytest.approx(5.87, abs=0.005)


def test_proposition_one_reproduces_the_thirty_dbm_case():
    # Seed 004 Sec. III: P_D = 30 dBm with the 20 dBm UL power of its Table I (P_U rho_U =
    # -70 dBm) -> 7.37 (the seeds README: with P_U = 23 dBm it would be 6.87).
    assert min_adc_bits(FDSetting.from_db(30, 20, -60, -90)) == pytest.approx(7.37, abs=0.005)
    assert min_adc_bits(FDSetting.from_db(30, 23, -60, -90)) == pytest.approx(6.87, abs=0.005)


def test_approximation_and_proposition_two():
    s = FDSetting.from_db(24, 23, -60, -90)
    # (23) drops the 4 P_UL term: with P_total / P_UL = 10^3.1 the two agree to 1e-3 bits.
    assert min_adc_bits_approx(s) == pytest.approx(min_adc_bits(s), abs=1e-3)
    # Eq. (28): log2(3 pi) - log2(3 pi sqrt3 - 4) / 2 - 1/2 ~ 0.9247, printed to 4 decimals.
    assert dynamic_range_bound_bits() == pytest.approx(0.9247, abs=5e-5)


def test_dynamic_range_matches_table_one():
    # Seed 004 Table I, DR column for 4..8 bits (2 decimals; its last two digits are truncated
    # rather than rounded, hence 0.015).
    np.testing.assert_allclose(dynamic_range_db(np.arange(4, 9)),
                               [25.84, 31.86, 37.88, 43.90, 49.92], atol=0.015)


def test_proposition_one_refuses_outside_its_domain():
    with pytest.raises(ValueError, match="Proposition 1 needs"):
        min_adc_bits(FDSetting.from_db(0, 23, -60, -50))


def test_lloyd_max_adc_behaves_as_the_analysis_says():
    result = analyze(FDSetting.from_db(24, 23, -60, -90), [6, 7, 8], np.random.default_rng(1),
                     num_samples=1 << 15, kind="lloyd_max")
    for row in result["rows"]:
        # Lloyd-Max beta is within 3.1 % of (pi sqrt3/2) 2^-2b from 6 bits on (0.13 dB), plus
        # the AGC's estimate from 2^15 samples: 0.5 dB.
        assert row["ul_margin_measured_db"] == pytest.approx(row["ul_margin_db"], abs=0.5)
    assert result["measured_min_adc_bits"] == 6  # = ceil(5.87)


def test_a_uniform_adc_needs_one_bit_more_than_proposition_one():
    result = analyze(FDSetting.from_db(24, 23, -60, -90), [6, 7], np.random.default_rng(1),
                     num_samples=1 << 15)
    six = result["rows"][0]
    # Analytic margin at 6 bits +0.78 dB; the MSE-optimal uniform ADC's beta is 57 % above the
    # formula (`twin quantizers`, +1.95 dB), so its margin goes negative: measured -1.0..-1.2 dB.
    assert six["ul_margin_db"] == pytest.approx(0.78, abs=0.01)
    assert six["ul_margin_measured_db"] < 0
    assert result["measured_min_adc_bits"] == 7


def test_cli_json(capsys):
    assert main(["analyze", "fd-bits", "--pd-dbm", "24", "--pu-dbm", "23", "--kappa-a-db", "-60",
                 "--rho-u-db", "-90", "--bits", "5-6", "--samples", "4096", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["min_adc_bits"] == pytest.approx(5.87, abs=0.005)
    assert [r["bits"] for r in result["rows"]] == [5, 6]
