"""Gauss-Markov fading: unit power, AR(1) autocorrelation, the Jakes/iid/static modes."""

import numpy as np
import pytest
from scipy.special import j0

from twin.world import GaussMarkovFading, fading_correlation, jakes_correlation

NUM_LINKS = 50_000
NUM_SLOTS = 12
# The real part of the sample mean of h[t+k] h[t]^* over n independent CN(0,1) links has
# variance (1 + rho^2)/2 / n <= 1/n; averaging over the slots t of one run cannot raise it
# above that (a mean of estimators has at most the largest variance). 5 sigma with sigma = 1/sqrt(n)
# is 0.022 here.
TOL = 5 / np.sqrt(NUM_LINKS)


def _run(rho, num_slots=NUM_SLOTS, seed=0):
    proc = GaussMarkovFading((NUM_LINKS,), rho, np.random.default_rng(seed))
    return np.stack([proc.value] + [proc.step() for _ in range(num_slots - 1)])  # [T, L]


def _autocorrelation(h, lag):
    return np.mean(h[lag:] * h[: len(h) - lag].conj())


def test_every_slot_has_unit_power():
    h = _run(0.9)
    power = np.mean(np.abs(h) ** 2, axis=1)  # [T]
    # |h|^2 ~ Exp(1): std of the mean over n links is 1/sqrt(n); 5 sigma.
    np.testing.assert_allclose(power, 1.0, atol=TOL)


@pytest.mark.parametrize("lag", [1, 2, 3, 4, 5])
def test_autocorrelation_is_rho_to_the_lag(lag):
    h = _run(0.8)
    # AR(1) from its stationary law: E[h[t+k] h[t]^*] = rho^k exactly; Monte Carlo tolerance TOL.
    corr = _autocorrelation(h, lag)
    assert corr.real == pytest.approx(0.8**lag, abs=TOL)
    assert abs(corr.imag) < TOL


def test_jakes_mode_matches_j0_at_lag_one():
    speed, carrier, slot = 20.0, 3.5e9, 1e-3
    rho = fading_correlation("jakes", np.full(NUM_LINKS, speed), carrier, slot)
    proc = GaussMarkovFading((NUM_LINKS,), 0.0, np.random.default_rng(1))
    h = np.stack([proc.value] + [proc.step(rho) for _ in range(NUM_SLOTS - 1)])
    f_d = speed * carrier / 299_792_458.0
    # Lag 1 of the AR(1) is rho = J0(2 pi f_D slot_s) (= 0.23 here); Monte Carlo tolerance TOL.
    assert _autocorrelation(h, 1).real == pytest.approx(j0(2 * np.pi * f_d * slot), abs=TOL)


def test_jakes_correlation_values():
    # J0(0) = 1 (at rest) and J0 of the first zero 2.404825557695773 is 0: closed forms.
    f_d_zero = 2.404825557695773 / (2 * np.pi * 1e-3)
    speed = f_d_zero * 299_792_458.0 / 2e9
    np.testing.assert_allclose(jakes_correlation([0.0, speed], 2e9, 1e-3), [1.0, 0.0],
                               atol=1e-12)


def test_iid_mode_is_uncorrelated():
    rho = fading_correlation("iid", np.full(NUM_LINKS, 30.0), 3.5e9, 1e-3)
    assert np.all(rho == 0.0)
    proc = GaussMarkovFading((NUM_LINKS,), rho, np.random.default_rng(2))
    h = np.stack([proc.value] + [proc.step() for _ in range(NUM_SLOTS - 1)])
    # Independent draws: correlation 0 within the Monte Carlo tolerance TOL.
    assert abs(_autocorrelation(h, 1)) < TOL


def test_static_mode_never_changes():
    rho = fading_correlation("static", np.full(16, 30.0), 3.5e9, 1e-3)
    proc = GaussMarkovFading((16, 4), rho, np.random.default_rng(3))
    first = proc.value
    for _ in range(5):
        # rho = 1: h[t+1] = h[t] bit for bit.
        np.testing.assert_array_equal(proc.step(), first)


def test_rho_aligns_with_leading_axes():
    rho = np.array([1.0, 0.0])  # link 0 static, link 1 i.i.d.
    proc = GaussMarkovFading((2, 3, 3), rho, np.random.default_rng(4))
    first = proc.value
    nxt = proc.step()
    np.testing.assert_array_equal(nxt[0], first[0])
    assert not np.any(nxt[1] == first[1])


@pytest.mark.parametrize("rho", [1.5, np.ones(3), np.ones((2, 5))])
def test_bad_rho_raises(rho):
    with pytest.raises(ValueError, match="rho"):
        GaussMarkovFading((2, 4), rho, np.random.default_rng(0))


def test_unknown_mode_raises():
    with pytest.raises(ValueError, match="fading mode must be one of"):
        fading_correlation("rician", [1.0], 1e9, 1e-3)
