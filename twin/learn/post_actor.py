"""The post-actor of seed 000 (Propositions 2 and 3, Algorithm 1 lines 6-13), batched in torch.

A raw action (42) is one real vector per environment, laid out by :class:`ActionLayout`:

    [ f (K) | Re V (K N) | Im V (K N) | Re w^d (K M) | Im w^d (K M) ]

The actor ends in ``tanh``, so every entry lies in [-1, 1]; the power fraction is
``f_k = (a_k + 1) / 2`` clipped to [0, 1], which is (34a). The post-actor then scales ``V_k`` so
that ``sum_n alpha_n |P_kn|^2 = f_k P_kmax`` (35), and normalizes ``w_k^d`` to unit norm (39).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

# Guards the normalizations of (35) and (39) against an all-zero V_k or w_k^d (an actor never
# emits one, but a test or an optimizer can): the result is then the zero vector, not NaN.
_TINY = 1e-30


@dataclass(frozen=True, slots=True)
class ActionLayout:
    """Shape of the raw action (42): K users with N_k antennas, an M-antenna BS."""

    num_users: int
    num_user_ant: int
    num_bs_ant: int

    @property
    def dim(self) -> int:
        """Entries of the raw action: ``K + 2 K N + 2 K M``."""
        k, n, m = self.num_users, self.num_user_ant, self.num_bs_ant
        return k + 2 * k * n + 2 * k * m

    def split(self, raw: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """[B, dim] real -> f-part [B, K], V [B, K, N] complex, w^d [B, K, M] complex."""
        k, n, m = self.num_users, self.num_user_ant, self.num_bs_ant
        if raw.shape[-1] != self.dim:
            raise ValueError(f"raw action has {raw.shape[-1]} entries, the layout {self} "
                             f"needs {self.dim}")
        f_part, v_re, v_im, w_re, w_im = torch.split(raw, [k, k * n, k * n, k * m, k * m], -1)
        lead = raw.shape[:-1]
        v = torch.complex(v_re, v_im).reshape(*lead, k, n)
        w = torch.complex(w_re, w_im).reshape(*lead, k, m)
        return f_part, v, w


def power_fraction(f_part: torch.Tensor) -> torch.Tensor:
    """``f_k in [0, 1]`` (34a) from the actor's [-1, 1] output."""
    return ((f_part + 1.0) * 0.5).clamp(0.0, 1.0)


def scale_precoders(v: torch.Tensor, power_w: torch.Tensor, alpha_t: torch.Tensor) -> torch.Tensor:
    """Proposition 2, eq. (35): ``p_kn = v_kn sqrt(P_k / sum_n alpha_n |v_kn|^2)``.

    v : [..., K, N] complex; power_w : [..., K] real, ``f_k P_kmax`` (W);
    alpha_t : [N] or [K, N] real, DAC alphas. Returns [..., K, N] complex with
    ``sum_n alpha_n |p_kn|^2 = power_w`` (34b).
    """
    per = (alpha_t * (v.real**2 + v.imag**2)).sum(-1)                   # [..., K]
    # Clamped before the square roots: at f_k = 0 the gradient of sqrt would be infinite
    # (0 * inf = NaN in the actor's backward pass); the clamp's own gradient there is 0.
    scale = torch.sqrt(power_w.clamp_min(_TINY)) / torch.sqrt(per.clamp_min(_TINY))
    return v * scale.unsqueeze(-1)


def unit_rows(w: torch.Tensor) -> torch.Tensor:
    """Proposition 3, eq. (39): ``w_k = w_k^d / ||w_k^d||`` (19c). [..., K, M] complex."""
    return w / torch.linalg.vector_norm(w, dim=-1, keepdim=True).clamp_min(_TINY)


def post_actor(raw: torch.Tensor, layout: ActionLayout, p_max_w: float | torch.Tensor,
               alpha_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Raw action (42) -> power fractions, precoders and detector meeting (19b)-(19c).

    Parameters
    ----------
    raw : [B, dim] real, the actor's output (any real values; [-1, 1] from ``tanh``)
    layout : ActionLayout
    p_max_w : float or [B] or [B, K] real, ``P_kmax`` (W); the power search passes its ``p_e``
    alpha_t : [N] or [K, N] real, DAC alphas (eq. (3))

    Returns
    -------
    f : [B, K] real, power fractions (34a)
    precoders : [B, K, N] complex, ``sum_n alpha_n |P_kn|^2 = f_k P_kmax`` (35), (19b)
    detector : [B, K, M] complex, unit-norm rows (39), (19c)
    """
    f_part, v, w = layout.split(raw)
    f = power_fraction(f_part)
    p_max = torch.as_tensor(p_max_w, dtype=f.dtype, device=f.device)
    if p_max.ndim == 1:
        p_max = p_max.unsqueeze(-1)
    return f, scale_precoders(v, f * p_max, alpha_t.to(f.dtype)), unit_rows(w)


def action_features(f: torch.Tensor, precoders: torch.Tensor, detector: torch.Tensor,
                    p_max_w: float | torch.Tensor) -> torch.Tensor:
    """The post-actor's action as one real vector of O(1) entries, for the critic.

    ``[f | Re P | Im P | Re w | Im w] / sqrt(P_kmax)`` on the precoders: [B, dim] real.
    """
    p_max = torch.as_tensor(p_max_w, dtype=f.dtype, device=f.device)
    if p_max.ndim == 1:
        p_max = p_max.unsqueeze(-1)
    p = (precoders / torch.sqrt(p_max).unsqueeze(-1)).flatten(-2)
    w = detector.flatten(-2)
    return torch.cat([f, p.real, p.imag, w.real, w.imag], dim=-1)
