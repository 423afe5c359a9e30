"""Controllers that are formulas, not learners: random (RPaD), MRT/MRC at full power, and a
quantization-aware linear MMSE detector/combiner.

Each acts on the CSI in its observation. NOMA precoders are scaled so that the transmit power
of eq. (5), ``sum_n alpha_n |P_kn|^2``, equals the chosen power; detector rows have unit norm
(seed 000 (19b)-(19c)). The full-duplex precoder has ``||W||_F = 1`` (its symbols carry P_D).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np

from twin.chain.convert import converter_alphas
from twin.config import Scenario
from twin.control.base import FullDuplexAction, NomaAction, Observation
from twin.control.fd_benchmarks import LinearBenchmarkController
from twin.control.gpi import GPIController, rzf_precoder
from twin.control.qmmse import qmmse_combiner
from twin.rng import complex_normal
from twin.units import dbm_to_w


def _unit_rows(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def _scale_power(directions: np.ndarray, alpha_t: np.ndarray, power_w: np.ndarray) -> np.ndarray:
    """Precoders along ``directions`` [K, N] with eq. (5) power ``power_w`` [K]."""
    per = np.sum(alpha_t * np.abs(directions) ** 2, axis=-1)
    return directions * np.sqrt(power_w / per)[:, None]


@numba.njit(cache=True, nogil=True)
def _max_ratio_action(h, alpha_t, alpha_r, power_w, noise_w, lmmse):  # pragma: no cover
    """Max-ratio precoders at ``power_w`` and MRC (or quantization-aware LMMSE) detector rows.

    The max-ratio direction is the top eigenvector of H_k^H H_k ([N, N]) rather than the top
    right singular vector of H_k: the same vector up to a phase, for half the work. Powers as in
    :func:`_scale_power`, ``E[y y^H]`` as :func:`twin.systems.noma_aqnm.received_statistics`
    (seed 000 eqs. (2)-(9)), unit rows as :func:`_unit_rows`. NOTE: compiled, one call instead
    of ~60 numpy calls on 4 x 4 and 8 x 8 matrices, which cost ten times the arithmetic.
    """
    num_users, num_bs, num_ant = h.shape
    p = np.empty((num_users, num_ant), dtype=np.complex128)
    a = np.zeros((num_users, num_bs), dtype=np.complex128)    # H_k Theta_k P_k
    ryy = noise_w * np.eye(num_bs).astype(np.complex128)      # E[y y^H] under the AQNM
    for k in range(num_users):
        hk = np.ascontiguousarray(h[k])
        _, vecs = np.linalg.eigh(np.ascontiguousarray(hk.conj().T) @ hk)
        d = vecs[:, num_ant - 1]
        per = 0.0
        for n in range(num_ant):
            per += alpha_t[k, n] * (d[n].real ** 2 + d[n].imag ** 2)
        p[k] = d * np.sqrt(power_w[k] / per)
        for n in range(num_ant):
            q_t = alpha_t[k, n] * (1.0 - alpha_t[k, n]) * (p[k, n].real ** 2 + p[k, n].imag ** 2)
            for m in range(num_bs):
                a[k, m] += h[k, m, n] * (alpha_t[k, n] * p[k, n])
                for m2 in range(num_bs):
                    ryy[m, m2] += q_t * h[k, m, n] * np.conj(h[k, m2, n])
        for m in range(num_bs):
            for m2 in range(num_bs):
                ryy[m, m2] += a[k, m] * np.conj(a[k, m2])
    g = a * alpha_r                                           # Theta_B H_k Theta_k P_k
    if lmmse:
        # E[y^q y^qH] under the AQNM (eqs. (7)-(9)): the detector maximizing each SINR w/o SIC.
        r = np.empty((num_bs, num_bs), dtype=np.complex128)
        for m in range(num_bs):
            for m2 in range(num_bs):
                r[m, m2] = alpha_r[m] * ryy[m, m2] * alpha_r[m2]
            r[m, m] += alpha_r[m] * (1.0 - alpha_r[m]) * ryy[m, m].real
        w = np.linalg.solve(r, np.ascontiguousarray(g.T)).T.conj()   # rows g_k^H R^-1
    else:
        w = g.conj()
    w = np.ascontiguousarray(w)
    for k in range(num_users):
        norm = np.sqrt(np.sum(w[k].real ** 2 + w[k].imag ** 2))
        if norm > 0:
            w[k] /= norm
    return p, w


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
        alpha_t, alpha_r = converter_alphas(self.scenario)
        object.__setattr__(self, "alpha_t", alpha_t)
        object.__setattr__(self, "alpha_r", alpha_r)

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
        p, w = _max_ratio_action(np.ascontiguousarray(h, dtype=np.complex128),
                                 np.ascontiguousarray(alpha_t, dtype=np.float64),
                                 alpha_r.astype(np.float64), np.full(h.shape[0], c.p_max_w),
                                 float(c.noise_w), self.kind == "lmmse")
        return NomaAction(p, w)


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
        alpha_dac, alpha_adc = converter_alphas(self.scenario)
        object.__setattr__(self, "alpha_dac", alpha_dac)
        object.__setattr__(self, "alpha_adc", alpha_adc)

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
    """The scenario's ``[controller]``: a baseline, or seed 004's GPI or a Sec. V-A benchmark
    (qRZF, qWMMSE) for full duplex, or seed 000's trained P-DDPG actor for the NOMA
    uplink."""
    if scenario.controller.kind == "gpi":
        return GPIController.build(scenario)
    if scenario.controller.kind in ("qrzf", "qwmmse"):
        return LinearBenchmarkController.build(scenario, scenario.controller.kind)
    if scenario.controller.kind == "pddpg":
        from twin.control.learned import LearnedController  # torch only when asked for
        return LearnedController.build(scenario)
    cls = NomaBaseline if scenario.system == "noma_uplink" else FullDuplexBaseline
    return cls(scenario, scenario.controller.kind, rng)
