"""The learning environment of seed 000 Sec. IV-A, batched in torch.

State (20): the channels ``H_k``; action (42): the raw vector the post-actor turns into
``{P_k, w_k}``; reward (22): the energy efficiency (18) under the AQNM (eqs. (11)-(17)).
:func:`noma_ee` is :func:`twin.systems.noma_aqnm.predict_noma` plus the power model of
:mod:`twin.systems.power`, written in torch over a leading batch axis so that the reward is
differentiable in the action (the gradient oracle uses that).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch

from twin.chain.convert import bits_per_antenna, converter_alphas
from twin.config import NomaUplinkConfig, Scenario
from twin.learn.drops import channels, draw_distances_m, pathloss_gain_lin
from twin.learn.post_actor import ActionLayout, post_actor
from twin.systems.power import noma_circuit_power_w

# An all-zero detector row (w = 0) has no noise either: its SINR is 0, not 0/0.
_TINY = 1e-30
OBS_LEVEL_MAX = 10.0  # the gain feature of observe() is clipped at +-100 dB


@dataclass(frozen=True, slots=True)
class PowerModel:
    """Seed 000's power model (14)-(17) reduced to what the EE needs.

    circuit_w : all users' analog circuit power ``sum_k P_k^AC`` (15)-(17), fixed by the DAC bits
    amplifier_efficiency : eta of (14)
    """

    circuit_w: float
    amplifier_efficiency: float

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> PowerModel:
        c = scenario.noma_uplink
        bits = np.broadcast_to(bits_per_antenna(scenario.dac, c.num_user_ant),
                               (c.num_users, c.num_user_ant))
        return cls(float(noma_circuit_power_w(bits, c.power).sum()),
                   c.power.amplifier_efficiency)


def abs2(z: torch.Tensor) -> torch.Tensor:
    """``|z|^2`` without the square root of ``abs`` (faster, and smooth at 0 for autograd)."""
    return z.real**2 + z.imag**2


class EnergyEfficiency(NamedTuple):
    """Per environment: EE (18) in bit/J/Hz, sum SE (12) in bit/s/Hz, total power (W)."""

    ee_bits_per_j_hz: torch.Tensor
    se_bps_hz: torch.Tensor
    power_w: torch.Tensor


class SinrTerms(NamedTuple):
    """The pieces of eqs. (11)-(13) for one action, split by how they scale with power.

    Scaling every precoder by ``sqrt(s)`` scales ``interference``, ``dac_noise`` and
    ``own_signal`` by ``s`` and leaves ``own_noise_per_w`` as it is (the power search uses it).

    interference : [..., K, K], ``|w_k Theta_B H_j Theta_j P_j|^2`` (desired on the diagonal)
    dac_noise : [..., K, K], ``w_k Theta_B H_i R_i^T H_i^H Theta_B w_k^H``
    own_signal : [..., K], the ADC noise ``w_k R^R w_k^H`` from signal and DAC noise
    own_noise_per_w : [..., K], thermal noise through ``w_k Theta_B`` and the ADC, per W of sigma^2
    """

    interference: torch.Tensor
    dac_noise: torch.Tensor
    own_signal: torch.Tensor
    own_noise_per_w: torch.Tensor


def received_terms(h: torch.Tensor, precoders: torch.Tensor,
                   alpha_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Seed 000 (4), (9): ``diag R_k^T`` [B, K, N], ``H_k Theta_k P_k`` [B, K, M] and
    ``diag E[y y^H]`` without the thermal noise [B, M] (signal and DAC noise through ``H``)."""
    q_t = alpha_t * (1.0 - alpha_t) * abs2(precoders)
    a = torch.einsum("bkmn,bkn->bkm", h, alpha_t * precoders)
    return q_t, a, abs2(a).sum(1) + torch.einsum("bkmn,bkn->bm", abs2(h), q_t)


def sinr_terms(h: torch.Tensor, precoders: torch.Tensor, detector: torch.Tensor,
               alpha_t: torch.Tensor, alpha_r: torch.Tensor) -> SinrTerms:
    """Seed 000 eqs. (2)-(9), (13) for a batch: shapes as :func:`noma_sinr`."""
    q_t, a, ryy_signal = received_terms(h, precoders, alpha_t)
    beta_r = alpha_r * (1.0 - alpha_r)                                 # R^R = a b diag, eq. (9)
    v = detector * alpha_r                                             # w_k Theta_B
    cross = torch.einsum("bkm,bjm->bkj", v, a)                         # [b, k, j]
    through = abs2(torch.einsum("bkm,bimn->bkin", v, h))               # [b, k, i, n]
    dac_noise = torch.einsum("bkin,bin->bki", through, q_t)            # [b, k, i]
    w2 = abs2(detector)
    return SinrTerms(abs2(cross), dac_noise, (w2 * (beta_r * ryy_signal)[:, None, :]).sum(-1),
                     abs2(v).sum(-1) + (w2 * beta_r).sum(-1))


def sinr_from_terms(t: SinrTerms, noise_w: float) -> torch.Tensor:
    """SINR after SIC, eqs. (11)-(13), from :class:`SinrTerms`: [..., K] real.

    The decoding order (11) is recomputed from the terms; it carries no gradient.
    """
    own = t.own_signal + noise_w * t.own_noise_per_w
    desired = torch.diagonal(t.interference, dim1=-2, dim2=-1)
    nu = t.dac_noise.sum(-1) + own                                     # NU_k, eq. (13)
    with torch.no_grad():
        sinr_su = desired / (torch.diagonal(t.dac_noise, dim1=-2, dim2=-1) + own).clamp_min(
            _TINY)
        # eq. (11): highest single-user rate decoded first
        order = torch.argsort(-sinr_su, dim=-1, stable=True)
        rank = torch.argsort(order, dim=-1)
        later = rank[..., None, :] > rank[..., :, None]                # j decoded after k
    iu = torch.where(later, t.interference, 0.0).sum(-1)               # IU_k, eq. (13)
    return desired / (iu + nu).clamp_min(_TINY)                        # eq. (12)


def noma_sinr(h: torch.Tensor, precoders: torch.Tensor, detector: torch.Tensor,
              alpha_t: torch.Tensor, alpha_r: torch.Tensor, noise_w: float) -> torch.Tensor:
    """AQNM SINR after SIC, seed 000 eqs. (11)-(13), batched: [B, K] real.

    h : [B, K, M, N] complex; precoders : [B, K, N] complex; detector : [B, K, M] complex;
    alpha_t : [N] or [K, N] real; alpha_r : [M] real; noise_w : sigma^2 (W).
    """
    return sinr_from_terms(sinr_terms(h, precoders, detector, alpha_t, alpha_r), noise_w)


def noma_ee(h: torch.Tensor, precoders: torch.Tensor, detector: torch.Tensor,
            alpha_t: torch.Tensor, alpha_r: torch.Tensor, noise_w: float,
            power: PowerModel) -> EnergyEfficiency:
    """Energy efficiency (18), the reward (22): ``sum_k log2(1 + SINR_k) / sum_k P_k^U``.

    Shapes as :func:`noma_sinr`. ``P_k^U = P_k^T / eta + P_k^AC`` (14)-(15) with
    ``P_k^T = sum_n alpha_n |P_kn|^2`` (5), (32).
    """
    se = torch.log2(1.0 + noma_sinr(h, precoders, detector, alpha_t, alpha_r, noise_w)).sum(-1)
    tx_w = (alpha_t * abs2(precoders)).sum((-2, -1))
    total_w = tx_w / power.amplifier_efficiency + power.circuit_w
    return EnergyEfficiency(se / total_w, se, total_w)


def observe(h: torch.Tensor, cfg: NomaUplinkConfig) -> torch.Tensor:
    """State (20) as a real vector of O(1) entries: [B, K, M, N] complex -> [B, 2 K M N + K].

    Each ``H_k`` split into its direction ``H_k / sqrt(g_k)`` (``g_k`` the mean entry power) and
    its gain in dB relative to the cell edge's path loss (43), over 10 dB; a bijection of ``H``
    (the level is clipped at +-100 dB, far outside any drop). Entries of the direction lie within
    ``+-sqrt(M N)`` (its mean entry power is 1).
    """
    g = abs2(h).mean((-2, -1))                                  # [B, K]
    unit = (h / torch.sqrt(g)[..., None, None]).flatten(1)
    edge_db = cfg.pathloss_intercept_db + cfg.pathloss_slope_db * math.log10(
        cfg.cell_radius_m / 1000.0)
    level = ((10.0 * torch.log10(g) + edge_db) / 10.0).clamp(-OBS_LEVEL_MAX, OBS_LEVEL_MAX)
    return torch.cat([unit.real, unit.imag, level], dim=-1)


@dataclass(frozen=True, slots=True)
class NomaModel:
    """Everything the reward needs besides the channels: one scenario's constants, as tensors."""

    cfg: NomaUplinkConfig
    layout: ActionLayout
    alpha_t: torch.Tensor   # [N] DAC alphas (3)
    alpha_r: torch.Tensor   # [M] ADC alphas (8)
    noise_w: float          # sigma^2
    p_max_w: float          # P_kmax
    power: PowerModel

    @classmethod
    def from_scenario(cls, scenario: Scenario, dtype: torch.dtype = torch.float32) -> NomaModel:
        if scenario.system != "noma_uplink":
            raise ValueError(f"the learning model needs a noma_uplink scenario, got "
                             f"{scenario.system!r}")
        c = scenario.noma_uplink
        alpha_t, alpha_r = (torch.as_tensor(a, dtype=dtype) for a in converter_alphas(scenario))
        return cls(c, ActionLayout(c.num_users, c.num_user_ant, c.num_bs_ant), alpha_t, alpha_r,
                   c.noise_w, c.p_max_w, PowerModel.from_scenario(scenario))

    @property
    def obs_dim(self) -> int:
        c = self.cfg
        return 2 * c.num_users * c.num_bs_ant * c.num_user_ant + c.num_users

    @property
    def complex_dtype(self) -> torch.dtype:
        return torch.complex64 if self.alpha_t.dtype == torch.float32 else torch.complex128

    def evaluate(self, raw: torch.Tensor, h: torch.Tensor,
                 p_max_w: float | torch.Tensor | None = None) -> EnergyEfficiency:
        """Post-actor (35), (39) then reward (22): raw [B, dim], h [B, K, M, N] -> [B] each.

        ``p_max_w``: the budget ``P_kmax`` (default the scenario's), a float or one per row.
        """
        p_max = self.p_max_w if p_max_w is None else p_max_w
        _, p, w = post_actor(raw.to(self.alpha_t.dtype), self.layout, p_max, self.alpha_t)
        return noma_ee(h, p, w, self.alpha_t, self.alpha_r, self.noise_w, self.power)


def unobserve(obs: torch.Tensor, cfg: NomaUplinkConfig) -> torch.Tensor:
    """The inverse of :func:`observe`: state vectors [B, 2 K M N + K] -> ``H`` [B, K, M, N]."""
    k, m, n = cfg.num_users, cfg.num_bs_ant, cfg.num_user_ant
    size = k * m * n
    unit = torch.complex(obs[:, :size], obs[:, size:2 * size]).reshape(-1, k, m, n)
    edge_db = cfg.pathloss_intercept_db + cfg.pathloss_slope_db * math.log10(
        cfg.cell_radius_m / 1000.0)
    gain = 10.0 ** ((10.0 * obs[:, 2 * size:] - edge_db) / 10.0)
    return unit * torch.sqrt(gain)[..., None, None]


class NomaEnv:
    """``num_envs`` independent copies of the seed 000 uplink, stepped as one batch.

    An episode keeps each copy's user positions (drawn at :meth:`reset`) and draws new
    small-scale fading every step (i.i.d. ``CN(0, 1)``, as seed 000 eq. (44)); its reward does
    not change the next state, as in the paper's model.
    """

    def __init__(self, scenario: Scenario, num_envs: int, *, dtype: torch.dtype = torch.float32,
                 seed: int = 0) -> None:
        self.model = NomaModel.from_scenario(scenario, dtype)
        m = self.model
        self.cfg, self.num_envs, self.dtype = m.cfg, int(num_envs), dtype
        self.layout, self.obs_dim = m.layout, m.obs_dim
        self.alpha_t, self.alpha_r, self.noise_w = m.alpha_t, m.alpha_r, m.noise_w
        self.p_max_w, self.power = m.p_max_w, m.power
        self.gen = torch.Generator().manual_seed(seed)
        self.gain_lin = torch.empty(0)
        self.h = torch.empty(0)

    def reset(self, *, seed: int | None = None) -> torch.Tensor:
        """New user positions and fading for every copy; returns the state [B, obs_dim]."""
        if seed is not None:
            self.gen.manual_seed(seed)
        d = draw_distances_m(self.cfg, (self.num_envs, self.cfg.num_users), self.gen,
                             torch.float64)
        self.gain_lin = pathloss_gain_lin(self.cfg, d)
        return self._draw()

    def _draw(self) -> torch.Tensor:
        h = channels(self.cfg, self.gain_lin, self.gen)
        self.h = h.to(self.model.complex_dtype)
        return observe(self.h, self.cfg).to(self.dtype)

    def evaluate(self, raw: torch.Tensor, p_max_w: float | torch.Tensor | None = None,
                 h: torch.Tensor | None = None) -> EnergyEfficiency:
        """Reward (22) of raw actions [B, dim] on channels ``h`` (default: the current ones)."""
        return self.model.evaluate(raw, self.h if h is None else h, p_max_w)

    def step(self, raw: torch.Tensor) -> tuple[torch.Tensor, EnergyEfficiency]:
        """Apply raw actions [B, dim]; returns the next state and the reward (22) with SE and
        power. The next state keeps the positions and redraws the fading."""
        with torch.no_grad():
            out = self.evaluate(raw)
        return self._draw(), out
