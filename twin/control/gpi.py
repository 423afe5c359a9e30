"""Seed 004's sum-SE precoder (GPI, Algorithm 1) alternated with the qMMSE combiner (Alg. 2).

Each user's SE is the log of a ratio of two quadratic forms in the stacked precoder
``w_bar = vec(W) = [w_1; ...; w_K_D]`` (seed 004 eqs. (39)-(56)); the sum SE is the log of
their product ``lambda`` (62), and its stationary points solve the eigenvector-dependent
eigenproblem ``B_KKT^{-1} A_KKT w_bar = lambda w_bar`` (59)-(61), which the generalized power
iteration (GPI) of Algorithm 1 follows.

Interpretations of the paper, chosen so that every SE here is the SE that
:func:`twin.systems.full_duplex_aqnm.predict_full_duplex` gives:

- The variable. The paper iterates on ``v_k = Phi_aDAC^{1/2} w_k`` (40) with ``||v_bar|| = 1``,
  i.e. ``Tr(Phi W W^H) = 1`` (37). The twin's actions have ``||W||_F = 1`` (the symbols carry
  ``P_D``; :class:`twin.control.base.FullDuplexAction`), so the iterate is ``w_bar = vec(W)``
  itself and the precoder-independent terms of (42) and (56) are homogenized with
  ``||w_bar||^2``. In ``w`` the matrices read ``M_k = Phi h h^H Phi + Phi_a Phi_b diag(|h|^2)``
  (43), and ``N_k`` of (52) without the ``Phi^{-1/2}`` factors. With one DAC resolution
  ``Phi = alpha I`` and the two constraints differ by the constant factor ``alpha``.
- eq. (46): ``e_k`` is K_D-dimensional; it selects user k's block (seeds/README.md).
- eq. (55): the UL desired power does not depend on ``W``, so ``D_k = C_k - |f_k^H Phi h_U,k|^2
  I_{N_t K_D}`` (the whole identity, homogenized by ``||w_bar||^2``), not ``diag{e_k} (x) ...``.
- eqs. (60)-(61): ``lambda_num = lambda``, ``lambda_den = 1``; the scale of ``A_KKT`` and
  ``B_KKT`` cancels in the normalization of Algorithm 1, line 7.

Why ``B_KKT`` is block diagonal (§IV-D): ``A_k = I (x) (M_k + c_k I)``, ``C_k = I (x) (N_k +
phi_k I)`` and ``D_k = C_k - delta_k I`` are block diagonal with K_D equal blocks, and ``B_k``
differs from ``A_k`` in block k only (user k's desired term). Hence ``A_KKT = lambda I (x) A_blk``
and ``B_KKT = blkdiag(B_1, ..., B_K_D)`` with ``B_i = B_common - a_i a_i^H / (w^H B_i w)``:
one ``N_t x N_t`` Cholesky solve per user, ``O(K_D N_t^3)``.

Speed: the loops of Algorithms 1 and 2 run compiled (:mod:`twin.control.gpi_kernel`); this
module builds the terms, keeps the public API, and :meth:`RayleighTerms.kkt` returns the KKT pair
for checks. ``tests/control/test_gpi.py`` checks the compiled loop against the algorithm written
literally with the dense Kronecker matrices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twin.chain.convert import converter_alphas
from twin.config import FullDuplexConfig, Scenario
from twin.control import gpi_kernel
from twin.control.base import FullDuplexAction, Observation
from twin.systems.full_duplex_aqnm import predict_full_duplex
from twin.units import dbm_to_w


def sum_se_bps_hz(snap, w, f, alpha_dac, alpha_adc, cfg: FullDuplexConfig) -> float:
    """Sum SE (36) ``sum_k log2(1 + SINR_D,k) + sum_k log2(1 + SINR_U,k)``, bits/s/Hz."""
    p = predict_full_duplex(snap, w, f, alpha_dac, alpha_adc, cfg)
    return float(np.sum(np.log2(1 + p.sinr_dl)) + np.sum(np.log2(1 + p.sinr_ul)))


@dataclass(frozen=True, slots=True)
class _Powers:
    """The config's linear powers, converted once (its properties convert dBm on every read)."""

    p_d_w: float
    p_u_w: float
    noise_w: float
    kappa_d: float

    @classmethod
    def of(cls, cfg: FullDuplexConfig) -> _Powers:
        return cls(float(dbm_to_w(cfg.p_dl_dbm)), float(dbm_to_w(cfg.p_ul_dbm)), cfg.noise_w,
                   cfg.kappa_d_lin)


@dataclass(frozen=True, slots=True)
class _DownlinkTerms:
    """The combiner-independent half of :class:`RayleighTerms`, built once per snapshot."""

    quad: np.ndarray      # [K_D, N_t, N_t], M_k (43)
    const: np.ndarray     # [K_D], c_k (42)
    gain: np.ndarray      # [N_t, K_D], Phi_aDAC h_D,k

    @classmethod
    def build(cls, snap, alpha_dac: np.ndarray, pw: _Powers) -> _DownlinkTerms:
        ab_dac = alpha_dac * (1 - alpha_dac)                             # Phi_a Phi_b, [N_t]
        # seed 004 eq. (43): M_k = (Phi h)(Phi h)^H + Phi_a Phi_b diag{h h^H}
        gain = alpha_dac[:, None] * snap.H_D                             # [N_t, K_D]
        m = np.einsum("nk,mk->knm", gain, gain.conj())
        m[:, np.arange(len(alpha_dac)), np.arange(len(alpha_dac))] += (
            ab_dac[:, None] * np.abs(snap.H_D) ** 2).T
        # seed 004 eq. (42): CCI and noise over P_D
        c_dl = (pw.p_u_w * np.sum(np.abs(snap.G_CCI) ** 2, axis=0) + pw.noise_w) / pw.p_d_w
        return cls(_c128(m), c_dl, _c128(gain))


@dataclass(frozen=True, slots=True)
class RayleighTerms:
    """Every user's SE as ``log2(w^H A w / w^H B w)`` for a fixed combiner (eqs. (43)-(56)).

    Users are stacked DL first (index ``j < K_D``), then UL. With ``W`` [N_t, K_D]:
    ``num_j = sum_i w_i^H quad_j w_i + const_j ||W||_F^2`` is ``w_bar^H A_j w_bar`` (45) or
    ``w_bar^H C_j w_bar`` (54), and ``den_j = num_j - |dl_gain_j^H w_j|^2`` (DL, (46)) or
    ``num_j - ul_desired_j ||W||_F^2`` (UL, (55) corrected). Powers are normalized by ``P_D``
    (DL) or ``P_U`` (UL), as in the paper.

    Attributes
    ----------
    quad : [K_D + K_U, N_t, N_t], complex128
        ``M_k`` (43) then ``N_k`` (52), written in ``w`` (see the module docstring).
    const : [K_D + K_U], float
        ``||g_CCI,k||^2 P_U/P_D + sigma^2/P_D`` (42), then ``phi_k`` (56).
    dl_gain : [N_t, K_D], complex128
        ``Phi_aDAC h_D,k``.
    ul_desired : [K_U], float
        ``|f_k^H Phi_aADC h_U,k|^2``.
    """

    quad: np.ndarray
    const: np.ndarray
    dl_gain: np.ndarray
    ul_desired: np.ndarray

    @classmethod
    def build(cls, snap, combiner, alpha_dac, alpha_adc, cfg: FullDuplexConfig) -> RayleighTerms:
        """The matrices for ``snap`` and the fixed combiner ``F`` [N_r, K_U]."""
        pw = _Powers.of(cfg)
        return cls._with_combiner(_DownlinkTerms.build(snap, alpha_dac, pw), snap, combiner,
                                  alpha_dac, alpha_adc, pw)

    @classmethod
    def _with_combiner(cls, downlink: _DownlinkTerms, snap, combiner, alpha_dac, alpha_adc,
                       pw: _Powers) -> RayleighTerms:
        """The UL half (eqs. (47)-(56)) for ``F`` [N_r, K_U], joined to a prebuilt DL half."""
        k_d, (num_t, k_u) = len(downlink.const), (len(alpha_dac), combiner.shape[1])
        quad = np.empty((k_d + k_u, num_t, num_t), dtype=np.complex128)
        quad[:k_d] = downlink.quad
        const = np.empty(k_d + k_u)
        const[:k_d] = downlink.const
        ul_desired = np.empty(k_u)
        gpi_kernel.uplink_terms(_c128(snap.G_SI), _c128(snap.H_U), _c128(combiner),
                                np.asarray(alpha_dac, dtype=float),
                                np.asarray(alpha_adc, dtype=float), pw.kappa_d,
                                pw.p_d_w / pw.p_u_w, pw.noise_w / pw.p_u_w, quad[k_d:],
                                const[k_d:], ul_desired)
        return cls(quad, const, downlink.gain, ul_desired)

    def forms(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(num, den)`` [K_D + K_U] for ``W`` [N_t, K_D]; ``num/den = 1 + SINR``."""
        num, den = np.empty(len(self.const)), np.empty(len(self.const))
        gpi_kernel.rayleigh_forms(self.quad, self.const, self.dl_gain, self.ul_desired,
                                  _c128(w), num, den)
        return num, den

    def sum_se_bps_hz(self, w: np.ndarray) -> float:
        """Sum SE (57) ``sum_j log2(num_j / den_j)`` at ``W`` [N_t, K_D], bits/s/Hz."""
        num, den = self.forms(w)
        return float(np.sum(np.log2(num / den)))

    def kkt(self, w: np.ndarray) -> KKTBlocks:
        """``A_KKT``, ``B_KKT`` and ``lambda`` at ``W`` (seed 004 eqs. (60)-(62))."""
        num, den = self.forms(w)
        num_t, k_d = self.dl_gain.shape
        a_blk = np.empty((num_t, num_t), dtype=np.complex128)
        b_blocks = np.empty((k_d, num_t, num_t), dtype=np.complex128)
        gpi_kernel.kkt_blocks(self.quad, self.const, self.dl_gain, self.ul_desired, num, den,
                              a_blk, b_blocks)
        return KKTBlocks(a_blk, b_blocks, float(np.prod(num / den)))


@dataclass(frozen=True, slots=True)
class KKTBlocks:
    """The block-diagonal KKT pair of seed 004 eqs. (59)-(61), with ``lambda_den = 1``.

    ``A_KKT = lambda I_K_D (x) a_block``; ``B_KKT = blkdiag(b_blocks[0], ..., b_blocks[K_D-1])``.

    Attributes
    ----------
    a_block : [N_t, N_t], complex128
        ``sum_k A_k-block / (w^H A_k w) + sum_k C_k-block / (w^H C_k w)``.
    b_blocks : [K_D, N_t, N_t], complex128
        Block i of ``sum_k B_k / (w^H B_k w) + sum_k D_k / (w^H D_k w)``.
    lam : float
        ``lambda`` (62) = ``prod (1 + SINR)``; ``log2(lam)`` is the sum SE (57).
    """

    a_block: np.ndarray
    b_blocks: np.ndarray
    lam: float

    def apply_a(self, w: np.ndarray) -> np.ndarray:
        """``A_KKT w_bar`` as [N_t, K_D]."""
        return self.lam * (self.a_block @ w)

    def apply_b(self, w: np.ndarray) -> np.ndarray:
        """``B_KKT w_bar`` as [N_t, K_D]."""
        return np.einsum("knm,mk->nk", self.b_blocks, w)

    def solve_b(self, rhs: np.ndarray) -> np.ndarray:
        """``B_KKT^{-1} rhs`` block by block (§IV-D), [N_t, K_D] -> [N_t, K_D]."""
        return np.linalg.solve(self.b_blocks, rhs.T[..., None])[..., 0].T

    def dense(self) -> tuple[np.ndarray, np.ndarray]:
        """``(A_KKT, B_KKT)``, each [N_t K_D, N_t K_D], acting on ``vec(W)`` (for checks)."""
        k_d = self.b_blocks.shape[0]
        b = np.zeros((k_d * self.a_block.shape[0],) * 2, dtype=complex)
        for i, blk in enumerate(self.b_blocks):
            sl = slice(i * blk.shape[0], (i + 1) * blk.shape[0])
            b[sl, sl] = blk
        return self.lam * np.kron(np.eye(k_d), self.a_block), b

    def residual(self, w: np.ndarray) -> float:
        """``||A_KKT w - lambda B_KKT w|| / ||A_KKT w||``: zero at a stationary point (59)."""
        a_w = self.apply_a(w)
        return float(np.linalg.norm(a_w - self.lam * self.apply_b(w)) / np.linalg.norm(a_w))


@dataclass(frozen=True, slots=True)
class GPIResult:
    """Algorithm 1's output.

    Attributes
    ----------
    precoder : [N_t, K_D], complex128, ``||W||_F = 1``
    iterations : int, GPI updates made
    sum_se_history : [iterations + 1], float, bits/s/Hz, (57) from the Rayleigh forms (equal
        to ``predict_full_duplex`` to round-off): the starting point, then after each update
    """

    precoder: np.ndarray
    iterations: int
    sum_se_history: np.ndarray


def gpi_precoder(snap, combiner: np.ndarray, alpha_dac: np.ndarray, alpha_adc: np.ndarray,
                 cfg: FullDuplexConfig, w0: np.ndarray | None = None, *, epsilon: float = 1e-2,
                 max_iter: int = 30) -> GPIResult:
    """Seed 004 Algorithm 1: ``w_bar <- B_KKT^{-1} A_KKT w_bar / ||.||`` for a fixed combiner.

    Stops when ``||w_bar^(n) - w_bar^(n-1)|| < epsilon`` or after ``max_iter`` updates.

    Parameters
    ----------
    snap : FullDuplexSnapshot
    combiner : [N_r, K_U], complex, ``F`` (held fixed)
    alpha_dac : [N_t], float; alpha_adc : [N_r], float
    cfg : FullDuplexConfig
    w0 : [N_t, K_D], complex, optional
        Start (scaled to ``||W||_F = 1``); default the RZF precoder of :func:`rzf_precoder`.

    Returns
    -------
    GPIResult
    """
    w = rzf_precoder(snap, cfg) if w0 is None else _unit(w0)
    terms = RayleighTerms.build(snap, combiner, alpha_dac, alpha_adc, cfg)
    w, n, history = gpi_kernel.power_iteration(terms.quad, terms.const, terms.dl_gain,
                                               terms.ul_desired, _c128(w), float(epsilon),
                                               int(max_iter))
    return GPIResult(w, n, history)


def rzf_precoder(snap, cfg: FullDuplexConfig) -> np.ndarray:
    """Regularized ZF ``H (H^H H + K_D sigma^2/P_D I)^{-1}``, ``||W||_F = 1``, [N_t, K_D].

    The LMMSE baseline's precoder (:class:`twin.control.baselines.FullDuplexBaseline`), one
    of the starts Algorithm 1 names (MRT, ZF, RZF): Algorithm 2 then starts at that baseline.
    """
    h = snap.H_D
    reg = h.shape[1] * cfg.noise_w / float(dbm_to_w(cfg.p_dl_dbm))
    return _unit(h @ np.linalg.inv(h.conj().T @ h + reg * np.eye(h.shape[1])))


def _c128(x: np.ndarray) -> np.ndarray:
    """C-ordered complex128, the one layout the kernels are compiled for."""
    return np.ascontiguousarray(x, dtype=np.complex128)


def _unit(w: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(w)
    if not np.isfinite(norm) or norm == 0:
        raise ValueError(f"precoder must be finite and non-zero, got ||W||_F = {norm}")
    return np.asarray(w, dtype=np.complex128) / norm


@dataclass(frozen=True, slots=True)
class AlternationResult:
    """Algorithm 2's output.

    Attributes
    ----------
    precoder : [N_t, K_D], complex128, ``W``, ``||W||_F = 1``
    combiner : [N_r, K_U], complex128, ``F``, unit-norm columns
    outer_iterations : int, GPI/qMMSE rounds made
    inner_iterations : int, GPI updates over all rounds
    sum_se_history : [outer_iterations + 1], float, bits/s/Hz: the start, then after each round
    """

    precoder: np.ndarray
    combiner: np.ndarray
    outer_iterations: int
    inner_iterations: int
    sum_se_history: np.ndarray


def alternate(snap, alpha_dac: np.ndarray, alpha_adc: np.ndarray, cfg: FullDuplexConfig,
              w0: np.ndarray | None = None, *, epsilon: float = 1e-2, n_max: int = 30,
              t_max: int = 30) -> AlternationResult:
    """Seed 004 Algorithm 2: Algorithm 1 for ``W``, then qMMSE (64) for ``F``, until both settle.

    Starts from ``w0`` (else RZF, :func:`rzf_precoder`) and its qMMSE combiner; stops when
    ``||w_bar^(t) - w_bar^(t-1)|| < epsilon`` and ``||f_bar^(t) - f_bar^(t-1)|| / ||f_bar^(t)||
    < epsilon``, or after ``t_max`` rounds. ``epsilon`` also stops Algorithm 1 (``n_max``
    updates at most); the paper uses 1e-2 and 30 for all (§V-A).

    Departure: each round's Algorithm 1 starts from the previous round's precoder, not from
    the RZF again (the paper's line 4 leaves the start open): restarting would undo the
    previous rounds and the outer loop would not settle (seeds/README.md).
    """
    pw = _Powers.of(cfg)
    downlink = _DownlinkTerms.build(snap, alpha_dac, pw)       # the same in every round
    w = rzf_precoder(snap, cfg) if w0 is None else _unit(w0)
    # NOTE: the loop runs compiled (gpi_kernel.alternation): each round is GPI, qMMSE (64),
    # the UL forms for the new F, and the stopping rule above.
    w, f, t, inner, history = gpi_kernel.alternation(
        downlink.quad, downlink.const, downlink.gain, _c128(snap.G_SI), _c128(snap.H_U),
        np.asarray(alpha_dac, dtype=float), np.asarray(alpha_adc, dtype=float), pw.p_d_w,
        pw.p_u_w, pw.noise_w, pw.kappa_d, _c128(w), float(epsilon), int(n_max), int(t_max))
    return AlternationResult(w, f, t, inner, history)


@dataclass(slots=True)
class _WarmStart:
    """The controller's memory between slots: the last precoder and iteration counts."""

    precoder: np.ndarray | None = None
    last_iterations: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class GPIController:
    """GPI precoder + qMMSE combiner (seed 004 Algorithm 2), once per slot.

    State: each slot's Algorithm 2 starts from the previous slot's precoder (when the shapes
    agree), kept in a small mutable holder; everything else is frozen. Two controllers fed the
    same observations in the same order return identical actions.

    Attributes
    ----------
    scenario : Scenario
    alpha_dac : [N_t], float; alpha_adc : [N_r], float
        AQNM gains of the converters, from the scenario's bits (see :meth:`build`).
    epsilon, n_max, t_max : Algorithm 1 and 2's tolerance and iteration caps (§V-A).
    """

    scenario: Scenario
    alpha_dac: np.ndarray
    alpha_adc: np.ndarray
    epsilon: float = 1e-2
    n_max: int = 30
    t_max: int = 30
    memory: _WarmStart = field(default_factory=_WarmStart, repr=False, compare=False)

    @classmethod
    def build(cls, scenario: Scenario, **options) -> GPIController:
        """Controller for ``scenario``, alphas from ``scenario.dac.bits``/``adc.bits``."""
        return cls(scenario, *converter_alphas(scenario), **options)

    @property
    def last_iterations(self) -> tuple[int, int]:
        """``(outer, inner)`` iteration counts of the last :meth:`act`."""
        return self.memory.last_iterations

    def act(self, observation: Observation) -> FullDuplexAction:
        snap = observation.snapshot
        w0 = self.memory.precoder
        if w0 is not None and w0.shape != snap.H_D.shape:
            w0 = None
        res = alternate(snap, self.alpha_dac, self.alpha_adc, self.scenario.full_duplex, w0,
                        epsilon=self.epsilon, n_max=self.n_max, t_max=self.t_max)
        self.memory.precoder = res.precoder
        self.memory.last_iterations = (res.outer_iterations, res.inner_iterations)
        return FullDuplexAction(res.precoder, res.combiner)
