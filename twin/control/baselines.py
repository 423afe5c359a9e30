"""Controllers that are formulas, not learners: random (RPaD), MRT/MRC at full power, and a
quantization-aware linear MMSE detector/combiner.

Each acts on the CSI in its observation. NOMA precoders are scaled so that the transmit power
of eq. (5), ``sum_n alpha_n |P_kn|^2``, equals the chosen power; detector rows have unit norm
(seed 000 (19b)-(19c)). The full-duplex precoder has ``||W||_F = 1`` (its symbols carry P_D).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twin.chain.convert import bits_per_antenna
from twin.config import Scenario
from twin.control.base import FullDuplexAction, NomaAction, Observation
from twin.control.gpi import GPIController, rzf_precoder
from twin.control.qmmse import qmmse_combiner
from twin.quant.aqnm import aqnm_alpha
from twin.rng import complex_normal
from twin.systems.noma_aqnm import received_statistics
from twin.units import dbm_to_w


def _unit_rows(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def _scale_power(directions: np.ndarray, alpha_t: np.ndarray, power_w: np.ndarray) -> np.ndarray:
    """Precoders along ``directions`` [K, N] with eq. (5) power ``power_w`` [K]."""
    per = np.sum(alpha_t * np.abs(directions) ** 2, axis=-1)
    return directions * np.sqrt(power_w / per)[:, None]


def _dominant_right_vectors(h: np.ndarray) -> np.ndarray:
    """[K, M, N] -> [K, N]: the input direction maximizing ||H_k p||.

    NOTE: the top eigenvector of H^H H ([N, N]) rather than an SVD of H: same vector up to a
    phase, half the time for a batch of small matrices.
    """
    _, vecs = np.linalg.eigh(np.conj(np.swapaxes(h, 1, 2)) @ h)
    return vecs[:, :, -1]


@dataclass(frozen=True, slots=True)
class NomaBaseline:
    """``kind``: "random" (RPaD), "mrt" (max-ratio precoder + MRC), "lmmse" (max-ratio
    precoder + quantization-aware LMMSE detector)."""

    scenario: Scenario
    kind: str
    rng: np.random.Generator
    alpha_t: np.ndarray = field(init=False)  # [N_k] DAC alphas
    alpha_r: np.ndarray = field(init=False)  # [M] ADC alphas

    def __post_init__(self) -> None:
        c = self.scenario.noma_uplink
        object.__setattr__(self, "alpha_t",
                           aqnm_alpha(bits_per_antenna(self.scenario.dac, c.num_user_ant)))
        object.__setattr__(self, "alpha_r",
                           aqnm_alpha(bits_per_antenna(self.scenario.adc, c.num_bs_ant)))

    def act(self, obs: Observation) -> NomaAction:
        c = self.scenario.noma_uplink
        h = obs.snapshot.H                                               # [K, M, N]
        alpha_t = np.broadcast_to(self.alpha_t, (h.shape[0], h.shape[2]))
        alpha_r = self.alpha_r
        if self.kind == "random":
            dirs = complex_normal(self.rng, (h.shape[0], h.shape[2]))
            power = self.rng.uniform(dbm_to_w(c.p_min_dbm), c.p_max_w, size=h.shape[0])
            return NomaAction(_scale_power(dirs, alpha_t, power),
                              _unit_rows(complex_normal(self.rng, (h.shape[0], h.shape[1]))))
        p = _scale_power(_dominant_right_vectors(h), alpha_t, np.full(h.shape[0], c.p_max_w))
        a, ryy = received_statistics(h, p, alpha_t, c.noise_w)
        g = alpha_r * a                                                  # Theta_B H_k Theta_k P_k
        if self.kind == "mrt":
            return NomaAction(p, _unit_rows(g.conj()))
        # E[y^q y^qH] under the AQNM (eqs. (7)-(9)): the detector maximizing each SINR w/o SIC.
        r = (alpha_r[:, None] * ryy * alpha_r[None, :]
             + np.diag(alpha_r * (1 - alpha_r) * np.real(np.diag(ryy))))
        w = np.linalg.solve(r, g.T).T.conj()                             # rows g_k^H R^-1
        return NomaAction(p, _unit_rows(w))


@dataclass(frozen=True, slots=True)
class FullDuplexBaseline:
    """``kind``: "random", "mrt" (MRT precoder + MRC combiner), "lmmse" (regularized ZF
    precoder + quantization-aware LMMSE combiner that sees the residual SI)."""

    scenario: Scenario
    kind: str
    rng: np.random.Generator
    alpha_dac: np.ndarray = field(init=False)  # [N_t]
    alpha_adc: np.ndarray = field(init=False)  # [N_r]

    def __post_init__(self) -> None:
        c = self.scenario.full_duplex
        object.__setattr__(self, "alpha_dac",
                           aqnm_alpha(bits_per_antenna(self.scenario.dac, c.num_tx_ant)))
        object.__setattr__(self, "alpha_adc",
                           aqnm_alpha(bits_per_antenna(self.scenario.adc, c.num_rx_ant)))

    def act(self, obs: Observation) -> FullDuplexAction:
        c = self.scenario.full_duplex
        snap = obs.snapshot
        h_d, h_u = snap.H_D, snap.H_U                                    # [N_t, K_D], [N_r, K_U]
        if self.kind == "random":
            w = complex_normal(self.rng, h_d.shape)
            return FullDuplexAction(w / np.linalg.norm(w), complex_normal(self.rng, h_u.shape))
        if self.kind == "mrt":
            w = h_d / np.linalg.norm(h_d)
            return FullDuplexAction(w, h_u / np.linalg.norm(h_u, axis=0, keepdims=True))
        w = rzf_precoder(snap, c)
        return FullDuplexAction(w, qmmse_combiner(snap, w, self.alpha_dac, self.alpha_adc, c))


def make_controller(scenario: Scenario, rng: np.random.Generator):
    """The scenario's ``[controller]``: a baseline, seed 004's GPI for full duplex, or seed
    000's trained P-DDPG actor for the NOMA uplink."""
    if scenario.controller.kind == "gpi":
        return GPIController.build(scenario)
    if scenario.controller.kind == "pddpg":
        from twin.control.learned import LearnedController  # torch only when asked for
        return LearnedController.build(scenario)
    cls = NomaBaseline if scenario.system == "noma_uplink" else FullDuplexBaseline
    return cls(scenario, scenario.controller.kind, rng)
