"""Seed 004 Sec. V-A's benchmark precoders, each with the qMMSE combiner (63)-(65).

- **qRZF**: regularized zero forcing made quantization-aware under the AQNM (2)-(3).
- **qWMMSE**: the weighted-MMSE sum-rate precoder (the paper's ref. [42]) with the DL MSE taken
  under the AQNM, derived below.

Both are SI-unaware (they see only the DL): in the full-duplex system they are FD benchmarks;
with ``full_duplex.duplex = "half"`` (no SI, no CCI, Sec. V-A) they are the HD benchmarks, as is
the GPI precoder there ("qGPI": with ``G_SI = 0`` its UL terms do not depend on ``W``, so
Algorithm 1 reduces to the DL power method of the paper's ref. [41]).

The DL under the AQNM (seed 004 eqs. (1)-(3), (12)-(14)), with unit-power symbols and
``||W||_F = 1`` (the twin's actions): user k receives
``y_k = sqrt(P_D) g_k^H W s + h_k^H q_DAC + g_CCI,k^H s_U + n_k`` with ``g_k = Phi_a h_k``, and

    T_k = P_D sum_j |g_k^H w_j|^2 + P_D sum_j w_j^H D_k w_j + c_k ||W||_F^2
    D_k = Phi_a Phi_b diag(|h_k|^2)      (the DAC noise (3) seen by user k)
    c_k = P_U ||g_CCI,k||^2 + sigma^2   (homogenized by ||W||_F^2, as in GPI's eq. (42))

is its received power. The MSE of ``s_hat_k = u_k^* y_k`` is
``e_k = |u_k|^2 T_k - 2 sqrt(P_D) Re(u_k^* g_k^H w_k) + 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from twin.chain.convert import converter_alphas
from twin.config import FullDuplexConfig, Scenario
from twin.control.base import FullDuplexAction, Observation
from twin.control.qmmse import qmmse_combiner
from twin.units import dbm_to_w


def _unit(w: np.ndarray) -> np.ndarray:
    return w / np.linalg.norm(w)


def _dl_terms(snap, alpha_dac: np.ndarray, cfg: FullDuplexConfig):
    """``g_k`` [N_t, K_D], ``D_k`` diagonals [K_D, N_t] and ``c_k`` [K_D] (module docstring)."""
    p_u = float(dbm_to_w(cfg.p_ul_dbm))
    gain = alpha_dac[:, None] * snap.H_D
    dac_diag = (alpha_dac * (1 - alpha_dac))[None, :] * np.abs(snap.H_D.T) ** 2
    c = p_u * np.sum(np.abs(snap.G_CCI) ** 2, axis=0) + cfg.noise_w
    return gain, dac_diag, c


def qrzf_precoder(snap, alpha_dac: np.ndarray, cfg: FullDuplexConfig) -> np.ndarray:
    """Quantization-aware RZF: ``W ~ (Phi H H^H Phi + Phi_a Phi_b diag(H H^H)
    + (K_D sigma^2 / P_D) I)^{-1} Phi H``, ``||W||_F = 1``, [N_t, K_D].

    The Bussgang/Wiener form of RZF under the AQNM (seed 004 eqs. (2)-(3)): the DAC noise each
    user sees (its covariance (3) seen through ``H``) joins the regularizer. With ideal DACs
    (``Phi = I``) it is the RZF ``H (H^H H + K_D sigma^2/P_D I)^{-1}`` of
    :func:`twin.control.gpi.rzf_precoder` (push-through identity).
    """
    p_d = float(dbm_to_w(cfg.p_dl_dbm))
    gain = alpha_dac[:, None] * snap.H_D                                  # Phi H   [N_t, K_D]
    num_dl = snap.H_D.shape[1]
    reg = (gain @ gain.conj().T
           + np.diag(alpha_dac * (1 - alpha_dac) * np.sum(np.abs(snap.H_D) ** 2, axis=1))
           + num_dl * cfg.noise_w / p_d * np.eye(len(alpha_dac)))
    return _unit(np.linalg.solve(reg, gain))


def dl_sinr(w: np.ndarray, gain: np.ndarray, dac_diag: np.ndarray, c: np.ndarray,
            p_d_w: float) -> tuple[np.ndarray, np.ndarray]:
    """``(SINR_D,k, T_k)`` [K_D] each, for ``W`` [N_t, K_D] (module docstring; the DL SINR of
    :func:`twin.systems.full_duplex_aqnm.predict_full_duplex` when ``||W||_F = 1``)."""
    a = gain.conj().T @ w                                                 # [K_D, K_D] g_k^H w_j
    desired = p_d_w * np.abs(np.diag(a)) ** 2
    total = (p_d_w * np.sum(np.abs(a) ** 2, axis=1)
             + p_d_w * dac_diag @ np.sum(np.abs(w) ** 2, axis=1)
             + c * np.sum(np.abs(w) ** 2))
    return desired / (total - desired), total


@dataclass(frozen=True, slots=True)
class QWMMSEResult:
    """qWMMSE's output.

    Attributes
    ----------
    precoder : [N_t, K_D], complex128, ``||W||_F = 1``
    iterations : int, (u, omega, W) rounds made
    objective_history : [2 iterations + 1], float: the WMMSE objective
        ``sum_k omega_k e_k - ln omega_k`` at the start (u, omega optimal), then after each W
        step and each (u, omega) step: block coordinate descent, so it never increases
    sum_se_history : [iterations + 1], float, DL sum SE ``sum log2(1 + SINR_D,k)`` (bits/s/Hz)
    """

    precoder: np.ndarray
    iterations: int
    objective_history: np.ndarray
    sum_se_history: np.ndarray


def qwmmse_precoder(snap, alpha_dac: np.ndarray, cfg: FullDuplexConfig,
                    w0: np.ndarray | None = None, *, epsilon: float = 1e-4,
                    max_iter: int = 100) -> QWMMSEResult:
    """Quantization-aware WMMSE: the WMMSE sum-rate algorithm (Christensen et al. 2008; Shi et
    al. 2011; seed 004 ref. [42]) on the AQNM MSE of the module docstring.

    Each round: ``u_k = sqrt(P_D) g_k^H w_k / T_k`` (MMSE receiver), ``omega_k = 1 / e_k =
    1 + SINR_k``, then the W step minimizing ``sum_k omega_k e_k``, a convex quadratic:
    ``w_k = sqrt(P_D) omega_k u_k Q^{-1} g_k`` with
    ``Q = sum_k omega_k |u_k|^2 (P_D g_k g_k^H + P_D D_k + c_k I)``, then ``||W||_F = 1``.
    The ``c_k ||W||^2`` homogenization (module docstring) replaces the power constraint's
    multiplier: SINRs do not depend on the scale of ``W``, so the normalization keeps them and
    the sum SE never decreases. Stops when the DL sum SE gains less than ``epsilon`` (relative)
    or after ``max_iter`` rounds. Starts from ``w0`` (else :func:`qrzf_precoder`).
    """
    p_d = float(dbm_to_w(cfg.p_dl_dbm))
    gain, dac_diag, c = _dl_terms(snap, alpha_dac, cfg)
    w = qrzf_precoder(snap, alpha_dac, cfg) if w0 is None else _unit(np.asarray(w0, complex))
    sinr, total = dl_sinr(w, gain, dac_diag, c, p_d)
    # With u, omega optimal the objective is K_D - sum ln(1 + SINR_k).
    objective = [float(len(sinr) - np.sum(np.log1p(sinr)))]
    history = [float(np.sum(np.log2(1 + sinr)))]
    n = 0
    while n < max_iter:
        u = np.sqrt(p_d) * np.sum(gain.conj() * w, axis=0) / total       # [K_D]
        omega = 1 + sinr                                                 # 1 / e_k (MMSE)
        weight = omega * np.abs(u) ** 2
        q = (p_d * (gain * weight) @ gain.conj().T
             + p_d * np.diag(weight @ dac_diag) + np.sum(weight * c) * np.eye(len(alpha_dac)))
        w_raw = np.linalg.solve(q, np.sqrt(p_d) * gain * (omega * u))
        objective.append(_wmmse_objective(w_raw, u, omega, gain, dac_diag, c, p_d))
        w = _unit(w_raw)
        sinr, total = dl_sinr(w, gain, dac_diag, c, p_d)
        objective.append(float(len(sinr) - np.sum(np.log1p(sinr))))     # u, omega optimal
        history.append(float(np.sum(np.log2(1 + sinr))))
        n += 1
        if history[-1] - history[-2] < epsilon * abs(history[-2]):
            break
    return QWMMSEResult(w, n, np.array(objective), np.array(history))


def _wmmse_objective(w, u, omega, gain, dac_diag, c, p_d_w) -> float:
    """``sum_k omega_k e_k(W, u_k) - ln omega_k`` (module docstring)."""
    _, total = dl_sinr(w, gain, dac_diag, c, p_d_w)
    cross = np.sqrt(p_d_w) * np.real(u.conj() * np.sum(gain.conj() * w, axis=0))
    e = np.abs(u) ** 2 * total - 2 * cross + 1
    return float(np.sum(omega * e - np.log(omega)))


@dataclass(frozen=True, slots=True)
class LinearBenchmarkController:
    """A Sec. V-A benchmark precoder (``kind``: "qrzf" or "qwmmse") + the qMMSE combiner.

    Stateless: each slot's precoder comes from that slot's CSI alone (qWMMSE starts at qRZF).
    """

    scenario: Scenario
    kind: Literal["qrzf", "qwmmse"]
    alpha_dac: np.ndarray  # [N_t]
    alpha_adc: np.ndarray  # [N_r]

    @classmethod
    def build(cls, scenario: Scenario, kind: str) -> LinearBenchmarkController:
        if kind not in ("qrzf", "qwmmse"):
            raise ValueError(f"benchmark precoder must be 'qrzf' or 'qwmmse', got {kind!r}")
        return cls(scenario, kind, *converter_alphas(scenario))

    def act(self, observation: Observation) -> FullDuplexAction:
        snap, cfg = observation.snapshot, self.scenario.full_duplex
        if self.kind == "qrzf":
            w = qrzf_precoder(snap, self.alpha_dac, cfg)
        else:
            w = qwmmse_precoder(snap, self.alpha_dac, cfg).precoder
        return FullDuplexAction(w, qmmse_combiner(snap, w, self.alpha_dac, self.alpha_adc, cfg))
