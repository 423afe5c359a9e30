"""Where users are and what the AP's arrays see of them: placement, group layout, one-ring.

Coordinates are metres in a plane with the BS/AP at the origin. The AP's uniform linear arrays
lie along the y axis, so the x axis is broadside: a user at ``(x, y)`` is seen at
``atan2(y, x)`` from broadside, and that angle's sine sets the phase across the array.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike

_MAX_PLACEMENT_ROUNDS = 10_000


def place_in_disk(rng: np.random.Generator, num: int, center_m: ArrayLike, radius_m: float,
                  min_distance_m: float = 0.0, origin_m: ArrayLike = (0.0, 0.0)) -> np.ndarray:
    """Users uniformly distributed (by area) in a disk, none closer than a minimum to the origin.

    Radius ``R sqrt(u)`` and angle ``2 pi u'`` give an area-uniform point; points closer than
    ``min_distance_m`` to ``origin_m`` (the BS/AP) are rejected and redrawn, so the result is
    uniform over the disk minus the exclusion disk.

    Parameters
    ----------
    rng : numpy.random.Generator
    num : int
        Number of users, >= 0.
    center_m : [2], float
        Disk centre (m).
    radius_m : float
        Disk radius (m), positive.
    min_distance_m : float
        Exclusion radius around ``origin_m`` (m), >= 0.
    origin_m : [2], float
        Where the BS/AP stands (m).

    Returns
    -------
    positions_m : [num, 2], float
    """
    center = np.asarray(center_m, dtype=float).reshape(2)
    origin = np.asarray(origin_m, dtype=float).reshape(2)
    if isinstance(num, bool) or not isinstance(num, int | np.integer) or num < 0:
        raise ValueError(f"num must be a non-negative integer, got {num!r}")
    if not radius_m > 0.0:
        raise ValueError(f"radius_m must be positive, got {radius_m!r}")
    if not min_distance_m >= 0.0:
        raise ValueError(f"min_distance_m must be non-negative, got {min_distance_m!r}")
    if min_distance_m > 0.0 and np.hypot(*(center - origin)) + radius_m <= min_distance_m:
        raise ValueError(f"the disk (centre {center.tolist()}, radius {radius_m} m) lies within "
                         f"min_distance_m = {min_distance_m} of the origin {origin.tolist()}")
    out = np.empty((num, 2))
    filled = 0
    for _ in range(_MAX_PLACEMENT_ROUNDS):
        if filled == num:
            return out
        batch = 4 * (num - filled) + 64
        r = radius_m * np.sqrt(rng.random(batch))
        phi = 2.0 * np.pi * rng.random(batch)
        pts = center + np.stack([r * np.cos(phi), r * np.sin(phi)], axis=-1)  # [batch, 2]
        ok = pts[np.hypot(*(pts - origin).T) >= min_distance_m][: num - filled]
        out[filled: filled + len(ok)] = ok
        filled += len(ok)
    if filled == num:
        return out
    raise ValueError(f"could not place {num} users: the part of the disk farther than "
                     f"min_distance_m = {min_distance_m} from the origin is too small")


def full_duplex_group_centres(dl_distance_m: float, ul_distance_m: float,
                              cci_distance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the DL and UL user groups around the AP (seed 004 §V-A, Fig. 3).

    The DL centre lies on the broadside axis at ``(d_D, 0)``; the UL centre at ``d_U`` from the
    AP and ``d_CCI`` from the DL centre, at the angle ``gamma`` (counter-clockwise) given by the
    law of cosines, ``cos gamma = (d_D^2 + d_U^2 - d_CCI^2) / (2 d_D d_U)``. With the paper's
    ``d_D = d_U = 15 m`` and ``d_CCI = 30 m`` the groups face each other across the AP.

    Parameters
    ----------
    dl_distance_m, ul_distance_m : float
        AP to each group centre (m), positive.
    cci_distance_m : float
        Between the two centres (m); must satisfy ``|d_D - d_U| <= d_CCI <= d_D + d_U``.

    Returns
    -------
    dl_centre_m, ul_centre_m : [2], float
    """
    if not (dl_distance_m > 0.0 and ul_distance_m > 0.0 and cci_distance_m >= 0.0):
        raise ValueError(f"distances must be positive, got d_D = {dl_distance_m}, "
                         f"d_U = {ul_distance_m}, d_CCI = {cci_distance_m}")
    cos_gamma = ((dl_distance_m**2 + ul_distance_m**2 - cci_distance_m**2)
                 / (2.0 * dl_distance_m * ul_distance_m))
    # Round-off at the extremes (d_CCI = d_D + d_U exactly) must not turn a valid layout invalid.
    if abs(cos_gamma) > 1.0 + 1e-12:
        raise ValueError(
            f"no triangle with d_D = {dl_distance_m} m, d_U = {ul_distance_m} m and "
            f"d_CCI = {cci_distance_m} m: need {abs(dl_distance_m - ul_distance_m)} <= d_CCI "
            f"<= {dl_distance_m + ul_distance_m}")
    gamma = math.acos(min(1.0, max(-1.0, cos_gamma)))
    dl = np.array([dl_distance_m, 0.0])
    ul = ul_distance_m * np.array([math.cos(gamma), math.sin(gamma)])
    return dl, ul


@functools.lru_cache(maxsize=32)
def _gauss_legendre(num_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(num_nodes)


def one_ring_covariance(num_ant: int, angle_rad: ArrayLike, spread_rad: ArrayLike,
                        spacing_wavelengths: float = 0.5,
                        num_nodes: int | None = None) -> np.ndarray:
    """Spatial covariance of a uniform linear array under the one-ring model (seed 004 §V-A,
    its ref. [40]).

    ``[C]_{m,n} = 1/(2 Delta) * integral_{theta-Delta}^{theta+Delta}
    exp(-j 2 pi s (m - n) sin(phi)) dphi``, with ``theta`` the user's angle from broadside,
    ``Delta`` the half-width of the angular spread and ``s`` the antenna spacing in wavelengths.
    ``C`` is Toeplitz in ``m - n``, so one row of integrals is computed, by Gauss-Legendre
    quadrature with enough nodes to resolve the integrand's oscillation (the default takes
    ``32 + ceil(2 pi s (N - 1) Delta)`` nodes; for ``Delta = pi`` the result equals
    ``J0(2 pi s (m - n))`` to about 1e-13).

    Parameters
    ----------
    num_ant : int
        ``N``, antennas of the array.
    angle_rad : [...], float
        Mean angle of arrival/departure from broadside (rad).
    spread_rad : [...], float
        Half-width ``Delta`` of the angular spread (rad), in ``(0, pi]``; broadcast with
        ``angle_rad``.
    spacing_wavelengths : float
        Antenna spacing ``s`` (wavelengths).
    num_nodes : int, optional
        Quadrature nodes; ``None`` picks them from the oscillation as above.

    Returns
    -------
    covariance : [..., num_ant, num_ant], complex128
        Hermitian, positive semi-definite, unit diagonal (trace ``N``).
    """
    if isinstance(num_ant, bool) or not isinstance(num_ant, int | np.integer) or num_ant < 1:
        raise ValueError(f"num_ant must be a positive integer, got {num_ant!r}")
    angle, spread = np.broadcast_arrays(np.asarray(angle_rad, dtype=float),
                                        np.asarray(spread_rad, dtype=float))
    if spread.size and not (np.all(spread > 0.0) and np.all(spread <= np.pi)):
        raise ValueError(f"spread_rad must lie in (0, pi], got {spread.min()!r} to "
                         f"{spread.max()!r}")
    if num_nodes is None:
        max_spread = float(spread.max()) if spread.size else 0.0
        num_nodes = 32 + math.ceil(2.0 * np.pi * spacing_wavelengths * (num_ant - 1) * max_spread)
    x, w = _gauss_legendre(int(num_nodes))
    # [..., nodes]: the quadrature nodes mapped onto [theta - Delta, theta + Delta]
    phi = angle[..., None] + spread[..., None] * x
    lag = np.arange(num_ant)
    # [..., num_ant]: c[d] = 1/(2 Delta) int exp(-j 2 pi s d sin phi) dphi = 1/2 sum_i w_i f(phi_i)
    c = np.exp(-2j * np.pi * spacing_wavelengths * np.sin(phi)[..., None, :] * lag[:, None])
    c = 0.5 * (c @ w)
    c[..., 0] = 1.0  # exactly: the weights sum to 2
    diff = lag[:, None] - lag[None, :]  # [N, N], m - n
    cov = c[..., np.abs(diff)]
    return np.where(diff >= 0, cov, cov.conj())


def covariance_sqrt(covariance: np.ndarray) -> np.ndarray:
    """Hermitian square root ``C^{1/2}`` of a covariance, batched.

    From the eigen-decomposition ``C = V diag(lambda) V^H``, ``C^{1/2} = V diag(sqrt(lambda))
    V^H`` with round-off negative eigenvalues clipped to 0, so ``h = C^{1/2} w`` with
    ``w ~ CN(0, I)`` has covariance ``C`` (seed 004 eqs. (5) and (13): ``h~ ~ CN(0, C)``).

    Parameters
    ----------
    covariance : [..., N, N], complex
        Hermitian positive semi-definite.

    Returns
    -------
    sqrt : [..., N, N], complex128
        Hermitian; ``sqrt @ sqrt`` equals ``covariance`` to round-off.
    """
    eigval, eigvec = np.linalg.eigh(np.asarray(covariance, dtype=complex))
    root = np.sqrt(np.clip(eigval, 0.0, None))
    return (eigvec * root[..., None, :]) @ np.swapaxes(eigvec, -1, -2).conj()
