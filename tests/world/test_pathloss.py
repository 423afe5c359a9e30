"""Path loss: seed 000 eq. (43), the close-in model of seed 004, shadowing, linear gains."""

import numpy as np
import pytest

from twin.world import draw_shadowing_db, pathloss_ci_db, pathloss_gain_lin, pathloss_noma_db


def test_noma_pathloss_at_100_m_and_1_km():
    # seed 000 eq. (43) with d in km: 103.8 + 20.9 log10(0.1) = 82.9 dB; log10(1) = 0 -> 103.8.
    # Closed forms, so only float64 round-off (1e-12) is allowed.
    np.testing.assert_allclose(pathloss_noma_db([100.0, 1000.0]), [82.9, 103.8], rtol=1e-12)


def test_noma_pathloss_uses_the_given_constants():
    # 100 + 30 log10(10 km) = 130 dB exactly (up to round-off).
    assert pathloss_noma_db(10_000.0, intercept_db=100.0, slope_db=30.0) == pytest.approx(
        130.0, rel=1e-12)


def test_ci_pathloss_at_one_metre_and_10_ghz():
    # 20 log10(4 pi 1e10 / 299792458) = 20 log10(419.1696) = 20 * 2.622389 = 52.4478 dB, worked
    # out by hand to 4 decimals, hence the 1e-4 dB tolerance.
    assert pathloss_ci_db(1.0, 10e9, 2.8) == pytest.approx(52.4478, abs=1e-4)


def test_ci_pathloss_rises_10n_db_per_decade():
    # 10 n log10(d / d0): +28 dB per decade for n = 2.8, exact up to round-off.
    pl = pathloss_ci_db([1.0, 10.0, 100.0], 10e9, 2.8)
    np.testing.assert_allclose(np.diff(pl), [28.0, 28.0], rtol=1e-12)


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_nonpositive_distance_raises(bad):
    with pytest.raises(ValueError, match="distance_m must be positive"):
        pathloss_noma_db([10.0, bad])
    with pytest.raises(ValueError, match="distance_m must be positive"):
        pathloss_ci_db(bad, 10e9, 2.8)


def test_gain_is_ten_to_the_minus_pathloss_over_ten():
    # seed 000 eq. (44): 10^(-PL/10); 30 dB -> 1e-3, 0 dB -> 1 (round-off only).
    np.testing.assert_allclose(pathloss_gain_lin([30.0, 0.0]), [1e-3, 1.0], rtol=1e-12)


def test_shadowing_has_the_requested_std_and_zero_mean():
    values = draw_shadowing_db(np.random.default_rng(0), 100_000, 8.4)
    assert values.shape == (100_000,)
    # Monte Carlo with n = 1e5: the mean's std is 8.4/sqrt(n) = 0.027 dB and the sample std's
    # is about 8.4/sqrt(2n) = 0.019 dB; 5 standard errors each.
    assert abs(values.mean()) < 5 * 8.4 / np.sqrt(1e5)
    assert values.std() == pytest.approx(8.4, abs=5 * 8.4 / np.sqrt(2e5))


def test_zero_shadowing_is_zero():
    # std 0 gives exactly 0 dB everywhere.
    assert np.all(draw_shadowing_db(np.random.default_rng(0), (3, 2), 0.0) == 0.0)
