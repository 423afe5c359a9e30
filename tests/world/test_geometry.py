"""Placement in a disk, the full-duplex group layout, one-ring covariance and its square root."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import j0

from twin.rng import complex_normal
from twin.world import (
    covariance_sqrt,
    full_duplex_group_centres,
    one_ring_covariance,
    place_in_disk,
)


def test_placement_stays_in_the_disk_and_out_of_the_exclusion():
    pts = place_in_disk(np.random.default_rng(0), 5000, (3.0, -2.0), 10.0, min_distance_m=4.0,
                        origin_m=(1.0, -1.0))
    assert pts.shape == (5000, 2)
    # Hard geometric constraints: exact, no tolerance needed.
    assert np.all(np.hypot(*(pts - [3.0, -2.0]).T) <= 10.0)
    assert np.all(np.hypot(*(pts - [1.0, -1.0]).T) >= 4.0)


def test_placement_is_area_uniform():
    num, radius = 20_000, 100.0
    pts = place_in_disk(np.random.default_rng(1), num, (0.0, 0.0), radius)
    u = np.sum(pts**2, axis=1) / radius**2
    # Area-uniform => r^2/R^2 ~ U(0, 1): mean 1/2, std of the mean 1/sqrt(12 n) = 0.002; 5 sigma.
    assert u.mean() == pytest.approx(0.5, abs=5 / np.sqrt(12 * num))
    # and the angle is uniform: mean of cos(phi) is 0 with std sqrt(1/(2n)) = 0.005; 5 sigma.
    assert np.mean(pts[:, 0] / np.sqrt(u) / radius) == pytest.approx(0.0, abs=5 / np.sqrt(2 * num))


def test_placement_with_exclusion_is_uniform_on_the_annulus():
    num, radius, rmin = 20_000, 100.0, 30.0
    pts = place_in_disk(np.random.default_rng(2), num, (0.0, 0.0), radius, min_distance_m=rmin)
    r2 = np.sum(pts**2, axis=1)
    # r^2 ~ U(rmin^2, R^2): mean (R^2 + rmin^2)/2 = 5450, std of the mean (R^2 - rmin^2)/sqrt(12 n)
    # = 18.6; 5 sigma.
    assert r2.mean() == pytest.approx(5450.0, abs=5 * (radius**2 - rmin**2) / np.sqrt(12 * num))


def test_placement_is_deterministic_under_a_seed():
    a = place_in_disk(np.random.default_rng(5), 10, (0.0, 0.0), 1.0)
    b = place_in_disk(np.random.default_rng(5), 10, (0.0, 0.0), 1.0)
    np.testing.assert_array_equal(a, b)


def test_placement_inside_the_exclusion_raises():
    with pytest.raises(ValueError, match="lies within min_distance_m"):
        place_in_disk(np.random.default_rng(0), 3, (1.0, 0.0), 1.0, min_distance_m=2.5)


@pytest.mark.parametrize(("d_dl", "d_ul", "d_cci"), [(15.0, 15.0, 30.0), (15.0, 15.0, 15.0),
                                                     (15.0, 10.0, 7.0), (20.0, 12.0, 8.0)])
def test_group_centres_have_the_requested_distances(d_dl, d_ul, d_cci):
    dl, ul = full_duplex_group_centres(d_dl, d_ul, d_cci)
    # Law of cosines is exact; round-off of acos/cos near the extremes stays below 1e-9 m.
    np.testing.assert_allclose([np.hypot(*dl), np.hypot(*ul), np.hypot(*(dl - ul))],
                               [d_dl, d_ul, d_cci], atol=1e-9)


@pytest.mark.parametrize(("d_dl", "d_ul", "d_cci"), [(15.0, 15.0, 31.0), (15.0, 5.0, 9.0)])
def test_impossible_group_layout_raises(d_dl, d_ul, d_cci):
    with pytest.raises(ValueError, match="no triangle"):
        full_duplex_group_centres(d_dl, d_ul, d_cci)


@pytest.fixture
def covariances():
    angles = np.array([-1.2, -0.3, 0.0, 0.4, 1.5])
    return one_ring_covariance(16, angles, np.deg2rad(10.0))


def test_one_ring_is_hermitian_with_unit_diagonal(covariances):
    assert covariances.shape == (5, 16, 16)
    assert covariances.dtype == np.complex128
    # Built Hermitian by construction (conjugate Toeplitz), so equality is exact.
    np.testing.assert_array_equal(covariances, np.swapaxes(covariances, -1, -2).conj())
    np.testing.assert_allclose(np.trace(covariances, axis1=-2, axis2=-1), 16.0, rtol=1e-12)


def test_one_ring_is_positive_semidefinite(covariances):
    # A covariance is PSD; quadrature round-off may leave eigenvalues of order -1e-13 * N.
    assert np.linalg.eigvalsh(covariances).min() > -1e-10


def test_one_ring_full_circle_is_bessel_j0():
    # Delta = pi averages exp(-j 2 pi s d sin phi) over the whole circle = J0(2 pi s d)
    # (Bessel's integral); the quadrature is converged to ~1e-14, asserted at 1e-12.
    cov = one_ring_covariance(16, 0.7, np.pi)
    lag = np.subtract.outer(np.arange(16), np.arange(16))
    np.testing.assert_allclose(cov, j0(np.pi * lag), atol=1e-12)


def test_one_ring_matches_adaptive_quadrature():
    theta, delta, s = 0.9, np.deg2rad(25.0), 0.5
    cov = one_ring_covariance(8, theta, delta, spacing_wavelengths=s)
    for d in range(8):
        re = quad(lambda p, d=d: np.cos(2 * np.pi * s * d * np.sin(p)), theta - delta,
                  theta + delta, epsabs=1e-13)[0]
        im = -quad(lambda p, d=d: np.sin(2 * np.pi * s * d * np.sin(p)), theta - delta,
                   theta + delta, epsabs=1e-13)[0]
        # scipy.integrate.quad is an independent adaptive rule, accurate to ~1e-13 here.
        assert cov[d, 0] == pytest.approx((re + 1j * im) / (2 * delta), abs=1e-11)


def test_one_ring_tiny_spread_is_rank_one():
    cov = one_ring_covariance(16, 0.5, 1e-6)
    eig = np.linalg.eigvalsh(cov)
    # Delta -> 0 gives a a^H with |a|^2 = N: top eigenvalue N, the rest ~ O((pi s N Delta)^2)
    # ~ 1e-9 relative; asserted with margin at 1e-6.
    assert eig[-1] == pytest.approx(16.0, rel=1e-6)
    assert np.all(np.abs(eig[:-1]) < 1e-6)


def test_one_ring_bad_spread_raises():
    with pytest.raises(ValueError, match="spread_rad must lie in"):
        one_ring_covariance(4, 0.0, 0.0)


def test_covariance_sqrt_squares_back():
    cov = one_ring_covariance(16, np.array([0.1, 1.0]), np.deg2rad(10.0))
    root = covariance_sqrt(cov)
    # Eigen-decomposition round-off on a matrix of norm ~16: 1e-12 absolute.
    np.testing.assert_allclose(root @ root, cov, atol=1e-12)
    np.testing.assert_allclose(root, np.swapaxes(root, -1, -2).conj(), atol=1e-12)


def test_sqrt_times_white_noise_has_the_covariance():
    cov = one_ring_covariance(8, 0.4, np.deg2rad(20.0))
    num = 40_000
    h = complex_normal(np.random.default_rng(3), (num, 8)) @ covariance_sqrt(cov).T  # [num, 8]
    sample = h.T @ h.conj() / num
    # Each entry of a sample covariance of unit-variance entries has std <= 1/sqrt(n) = 0.005;
    # 6 sigma over the 64 entries.
    np.testing.assert_allclose(sample, cov, atol=6 / np.sqrt(num))
