"""Channel drops for training, batched in torch: the engine's NOMA model (seed 000 Sec. V-A).

Users lie area-uniform in the ``cell_radius_m`` disk, at least ``min_distance_m`` from the BS
(as :func:`twin.world.geometry.place_in_disk`, which rejects and redraws: that is the uniform law
on the annulus, drawn here in closed form); path loss (43); ``H_k = sqrt(10^(-PL_k/10)) Hhat_k``
with ``Hhat_k`` i.i.d. ``CN(0, 1)`` (44).
"""

from __future__ import annotations

import math

import torch

from twin.config import NomaUplinkConfig


def draw_distances_m(cfg: NomaUplinkConfig, shape: tuple[int, ...],
                     gen: torch.Generator, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """User-to-BS distances (m), area-uniform on the annulus ``[min_distance_m, cell_radius_m]``.

    shape : e.g. ``(B, K)``. Radius ``sqrt(r0^2 + u (R^2 - r0^2))`` with ``u ~ U(0, 1)``.
    """
    r0, r1 = cfg.min_distance_m, cfg.cell_radius_m
    u = torch.rand(shape, generator=gen, dtype=dtype)
    return torch.sqrt(r0**2 + u * (r1**2 - r0**2))


def pathloss_gain_lin(cfg: NomaUplinkConfig, distance_m: torch.Tensor) -> torch.Tensor:
    """``10^(-PL/10)`` with ``PL = a + b log10(d / 1 km)``, seed 000 eqs. (43)-(44)."""
    pl_db = cfg.pathloss_intercept_db + cfg.pathloss_slope_db * torch.log10(distance_m / 1000.0)
    return 10.0 ** (-pl_db / 10.0)


def draw_fading(shape: tuple[int, ...], gen: torch.Generator,
                dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """``CN(0, 1)`` entries of the given shape (eq. (44)'s ``Hhat``), complex."""
    z = torch.randn((*shape, 2), generator=gen, dtype=dtype) * math.sqrt(0.5)
    return torch.complex(z[..., 0], z[..., 1])


def channels(cfg: NomaUplinkConfig, gain_lin: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """[B, K] large-scale gains -> ``H`` [B, K, M, N_k] complex (eq. (44))."""
    h_hat = draw_fading((*gain_lin.shape, cfg.num_bs_ant, cfg.num_user_ant), gen, gain_lin.dtype)
    return torch.sqrt(gain_lin)[..., None, None] * h_hat
