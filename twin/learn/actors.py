"""The actors ``mu(s)``: state (20) -> raw action (42) in [-1, 1], which the post-actor finishes.

Three kinds, all emitting the whole raw action (42) ``[f | V | w^d]`` that P-DDPG stores and
the critic and the post-actor read:

``"mlp"`` (:class:`Actor`)
    seed 000's actor: an MLP with two hidden layers ending in ``tanh`` (Sec. V-B).
``"mmse"`` (:class:`StructuredActor`)
    not the paper's: the MLP chooses only the powers and the precoders; the detector ``w^d`` is
    the max-SINR (MMSE-SIC) detector for them, computed in closed form inside the forward pass
    (:mod:`twin.learn.detector`), the way the post-actor's normalizations are. Two more pieces
    of structure: the power fraction is set on a dB scale (``f_k`` from ``-power_range_db``
    to 0 dB: the oracle's actions keep some users near -20 dBm, 40 dB below P_kmax) and each
    precoder starts from the strongest right singular vector of ``H_k``, the MLP adding a
    correction.
``"mmse-slnr"`` (:class:`StructuredActor` with ``precoder_rounds``)
    not the paper's either: the MLP sets only the powers, within ``RESIDUAL_DB`` of a closed-form
    start (:func:`twin.learn.precoder.served_powers_w`); the precoders come from
    :func:`twin.learn.precoder.alternate` at those powers and the detector is the MMSE-SIC one
    for them. Its exploration noise moves the power logits, so explored actions keep their
    closed-form precoders and detector.
"""

from __future__ import annotations

import torch
from torch import nn

from twin.learn.detector import mmse_sic_detector
from twin.learn.env import NomaModel, unobserve
from twin.learn.post_actor import scale_precoders
from twin.learn.precoder import alternate, served_powers_w
from twin.units import dbm_to_w

ACTOR_KINDS = ("mlp", "mmse", "mmse-slnr")
SLNR_ROUNDS = 6      # detector/precoder alternations of the "mmse-slnr" actor
SERVED_DBM = 5.0     # its starting power per served user (the oracle's sit at 1-12 mW) ...
OFF_DBM = -35.0      # ... and for the K - M users kept low (the oracle's: -28 to -15 dBm)
RESIDUAL_DB = 15.0   # the MLP moves each user's power within +-15 dB of that start


def mlp(sizes: list[int], out_act: nn.Module | None = None) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    if out_act is not None:
        layers.append(out_act)
    return nn.Sequential(*layers)


class Actor(nn.Module):
    """``mu(s)``: state [B, obs_dim] -> raw action [B, dim] in [-1, 1], then the post-actor."""

    def __init__(self, obs_dim: int, act_dim: int, hidden: tuple[int, int]) -> None:
        super().__init__()
        self.net = mlp([obs_dim, *hidden, act_dim], nn.Tanh())

    def forward(self, obs: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """``mu(s)``, or with exploration noise [B, dim] ``mu(s) + noise`` clipped to [-1, 1]."""
        raw = self.net(obs)
        return raw if noise is None else (raw + noise).clamp(-1.0, 1.0)

    def pre_activation(self, obs: torch.Tensor) -> torch.Tensor:
        """The outputs before ``tanh`` [B, dim] (saturated ones get no gradient through it)."""
        return self.net[:-1](obs)


class StructuredActor(nn.Module):
    """``mu(s)`` with the detector in closed form: state [B, obs_dim] -> raw action [B, dim].

    With ``precoder_rounds = 0`` (kind ``"mmse"``) the MLP emits ``K`` power logits and ``K N``
    complex precoder corrections. Then:

    - ``f_k = 10^(-power_range_db (1 - tanh(x_k)) / 20)``, from ``-power_range_db`` dB to 1,
      written into the raw action as ``2 f_k - 1`` (the post-actor's (34a) reads it back);
    - ``V_k = v_k + c_k`` with ``v_k`` the strongest right singular vector of ``H_k``, scaled
      so its largest real or imaginary part is 1 (the post-actor (35) is scale-invariant in it);
    - ``w^d`` = :func:`twin.learn.detector.mmse_sic_detector` for ``P_k`` of (35) at the
      scenario's ``P_kmax``, unit-norm rows (so every entry lies in [-1, 1]).

    With ``precoder_rounds > 0`` (kind ``"mmse-slnr"``) it emits the ``K`` power logits only:
    ``P_k = min(start_k 10^(RESIDUAL_DB tanh(x_k) / 10), P_kmax)`` with ``start_k`` from
    :func:`twin.learn.precoder.served_powers_w`, and ``V_k`` from ``precoder_rounds`` rounds of
    :func:`twin.learn.precoder.alternate` started at the singular vectors.

    The channels are rebuilt from the state (:func:`twin.learn.env.unobserve`, a bijection).
    """

    def __init__(self, model: NomaModel, hidden: tuple[int, int],
                 power_range_db: float = 40.0, precoder_rounds: int = 0) -> None:
        super().__init__()
        lay = model.layout
        self.model, self.power_range_db = model, float(power_range_db)
        self.precoder_rounds = int(precoder_rounds)
        per_user = 1 if self.precoder_rounds else 1 + 2 * lay.num_user_ant
        self.net = mlp([model.obs_dim, *hidden, lay.num_users * per_user])

    def _outputs(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Power logits [B, K] and precoder corrections [B, K, N] complex (None when the
        precoders come from :func:`twin.learn.precoder.alternate`)."""
        k, n = self.model.layout.num_users, self.model.layout.num_user_ant
        out = self.net(obs)
        if self.precoder_rounds:
            return out, None
        return out[:, :k], torch.complex(out[:, k:k + k * n], out[:, k + k * n:]).reshape(-1, k, n)

    def pre_activation(self, obs: torch.Tensor) -> torch.Tensor:
        """The power logits before ``tanh`` [B, K] (the precoder outputs have no squashing)."""
        return self._outputs(obs)[0]

    def forward(self, obs: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """``mu(s)``, or with exploration noise [B, dim]. Kind ``"mmse"``: ``mu(s) + noise``
        clipped to [-1, 1], as :class:`Actor`. Kind ``"mmse-slnr"``: the noise's first ``K``
        entries move the power logits, and the precoders and detector are solved for the
        explored powers (noise on them would give an action this actor can never emit)."""
        m = self.model
        h = unobserve(obs, m.cfg).to(m.complex_dtype)
        with torch.no_grad():                        # a function of the state alone
            strongest = torch.linalg.svd(h)[2][..., 0, :].conj()               # [B, K, N]
        logits, correction = self._outputs(obs)
        if noise is not None and correction is None:
            logits = logits + noise[:, :logits.shape[-1]]
        if correction is None:
            base_w = served_powers_w(h, strongest, dbm_to_w(SERVED_DBM), dbm_to_w(OFF_DBM),
                                     m.alpha_t, m.alpha_r, m.noise_w, self.precoder_rounds)
            f = torch.clamp(base_w / m.p_max_w * 10.0 ** (RESIDUAL_DB * torch.tanh(logits) / 10.0),
                            max=1.0)
            v = alternate(h, scale_precoders(strongest, f.detach() * m.p_max_w, m.alpha_t),
                          f.detach() * m.p_max_w, m.alpha_t, m.alpha_r, m.noise_w,
                          self.precoder_rounds)
        else:
            f = 10.0 ** (-self.power_range_db * (1.0 - torch.tanh(logits)) / 20.0)
            v = strongest + correction
        v = v / torch.maximum(v.real.abs(), v.imag.abs()).amax(-1, keepdim=True).clamp_min(1e-12)
        p = scale_precoders(v, f * m.p_max_w, m.alpha_t)
        w = mmse_sic_detector(h, p, m.alpha_t, m.alpha_r, m.noise_w)
        raw = torch.cat([2.0 * f - 1.0, v.real.flatten(1), v.imag.flatten(1),
                         w.real.flatten(1), w.imag.flatten(1)], dim=-1)
        if noise is not None and correction is not None:
            return (raw + noise).clamp(-1.0, 1.0)
        return raw


def build_actor(kind: str, model: NomaModel, hidden: tuple[int, int]) -> nn.Module:
    """The actor of ``kind`` (one of :data:`ACTOR_KINDS`) for ``model``'s scenario."""
    if kind == "mlp":
        return Actor(model.obs_dim, model.layout.dim, hidden)
    if kind == "mmse":
        return StructuredActor(model, hidden)
    if kind == "mmse-slnr":
        return StructuredActor(model, hidden, precoder_rounds=SLNR_ROUNDS)
    raise ValueError(f"unknown actor kind {kind!r}; choose one of {ACTOR_KINDS}")
