"""Seed 000's schemes as plain callables ``act(h, scenario, rng) -> (precoders, detector)``.

``h`` is a batch of drops ``[B, K, M, N_k]`` complex; the action is ``precoders [B, K, N_k]``
and ``detector [B, K, M]`` complex128, meeting (19b) and (19c) at the scenario's ``P_kmax``.
Each :class:`Scheme` also names the access rule its rates are scored with (``"noma"``: SIC in
the order of eq. (11); ``"qwoma"``: all other users as noise; ``"qoma"``: FDMA).

Seed 000 §V-A defines QOMA and QWoMA by their rate formulas only, not by the actions they take.
The twin gives each the best closed-form action for its own receiver, so the comparison
measures the access scheme and not a weak action: QWoMA uses the quantization-aware LMMSE
detector (the SINR-maximizing linear detector when all other users are noise), QOMA the
noise-whitening matched filter (the SINR-maximizing one when no user interferes); both use the
dominant right singular vector of ``H_k`` as precoder, and pick their power by the proposed
scheme's power-exhaustive search (Algorithm 2) on their own EE. RPaD is the engine's ``random``
controller; LMMSE (the engine's default controller: max-ratio precoders at ``P_kmax``, LMMSE
detector, NOMA with SIC) is an extra, non-learned reference without the search.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from twin.config import Scenario
from twin.control.base import NomaAction, Observation
from twin.control.baselines import NomaBaseline, make_controller
from twin.reproduce.noma_eval import aqnm_ee, snapshot_of, with_p_max
from twin.systems.noma_aqnm import received_statistics
from twin.systems.noma_uplink import NomaUplinkSystem
from twin.units import w_to_dbm

Actions = tuple[np.ndarray, np.ndarray]
Act = Callable[[np.ndarray, Scenario, np.random.Generator], Actions]


@dataclass(frozen=True, slots=True)
class Scheme:
    """A scheme of seed 000 §V: how it acts, and which access rule scores it."""

    name: str
    access: str
    act: Act


def _observation(h: np.ndarray) -> Observation:
    """A controller's observation of one drop's channels ``[K, M, N_k]`` (CSI only)."""
    return Observation(0, snapshot_of(h), None)


def _stack(actions: list[NomaAction]) -> Actions:
    return (np.stack([a.precoders for a in actions]).astype(np.complex128),
            np.stack([a.detector for a in actions]).astype(np.complex128))


def controller_act(kind: str, **settings: Any) -> Act:
    """The engine's NOMA controller ``kind`` ("random", "mrt", "lmmse", "pddpg") over a batch;
    ``settings`` are further ``[controller]`` keys (e.g. ``power_search=False``)."""
    def act(h: np.ndarray, scenario: Scenario, rng: np.random.Generator) -> Actions:
        ctl = make_controller(dataclasses.replace(scenario, controller=dataclasses.replace(
            scenario.controller, kind=kind, **settings)), rng)
        return _stack([ctl.act(_observation(hb)) for hb in h])
    return act


def fdma_detector(h: np.ndarray, precoders: np.ndarray, alpha_t: np.ndarray,
                  alpha_r: np.ndarray, noise_w: float) -> np.ndarray:
    """Unit-norm rows ``w_k ∝ g_k^H C^-1`` maximizing user k's FDMA SINR under the AQNM.

    ``g_k = Theta_B H_k Theta_k P_k`` and ``C = Theta_B (sum_i H_i R_i^T H_i^H + sigma^2 I)
    Theta_B + R^R`` (seed 000 eqs. (4), (9), (10) without the other users' signals: FDMA puts
    them on other subcarriers). Every noise term is white over the band, so the in-band share
    1/K scales ``C`` and leaves the direction unchanged.

    h : [K, M, N_k], precoders : [K, N_k], alpha_t : [N_k], alpha_r : [M] -> [K, M] complex
    """
    a, ryy = received_statistics(h, precoders, alpha_t, noise_w)
    g = alpha_r * a                                                     # [K, M]
    noise = ryy - a.T @ a.conj()                                        # DAC noise + sigma^2 I
    c = (alpha_r[:, None] * noise * alpha_r[None, :]
         + np.diag(alpha_r * (1.0 - alpha_r) * np.real(np.diag(ryy))))  # eq. (9)
    w = np.linalg.solve(c, g.T).T.conj()
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def qoma_act(h: np.ndarray, scenario: Scenario, rng: np.random.Generator) -> Actions:
    """QOMA: max-ratio precoders at ``P_kmax`` and :func:`fdma_detector`."""
    ctl = NomaBaseline(scenario, "mrt", rng)
    precoders = np.stack([ctl.act(_observation(hb)).precoders for hb in h])
    detector = np.stack([fdma_detector(hb, p, ctl.alpha_t, ctl.alpha_r,
                                       scenario.noma_uplink.noise_w)
                         for hb, p in zip(h, precoders, strict=True)])
    return precoders, detector


def power_searched(act: Act, access: str) -> Act:
    """``act`` with seed 000 Algorithm 2: the action recomputed at every budget ``p_e``
    (lines 6-8; the levels of :func:`twin.learn.power_search.search_levels_w`), scored by its
    AQNM EE under ``access`` (line 9), the best kept per drop (lines 10-12)."""
    def searched(h: np.ndarray, scenario: Scenario, rng: np.random.Generator) -> Actions:
        from twin.learn.power_search import search_levels_w  # torch only when a target runs
        system = NomaUplinkSystem.build(scenario)
        efficiency = scenario.noma_uplink.power.amplifier_efficiency
        best_ee = np.full(h.shape[0], -np.inf)
        best_p, best_w = None, None
        for level in w_to_dbm(search_levels_w(scenario.noma_uplink)):
            p, w = act(h, with_p_max(scenario, level), rng)
            ee = np.array([aqnm_ee(system.predict(snapshot_of(hb), NomaAction(pb, wb)), access,
                                   system.circuit_w, efficiency)
                           for hb, pb, wb in zip(h, p, w, strict=True)])
            better = ee > best_ee
            best_ee = np.where(better, ee, best_ee)
            best_p = p if best_p is None else np.where(better[:, None, None], p, best_p)
            best_w = w if best_w is None else np.where(better[:, None, None], w, best_w)
        return best_p, best_w
    return searched


def formula_schemes() -> list[Scheme]:
    """The schemes that are formulas, not learners (always available)."""
    return [Scheme("LMMSE", "noma", controller_act("lmmse")),
            Scheme("QOMA", "qoma", power_searched(qoma_act, "qoma")),
            Scheme("QWoMA", "qwoma", power_searched(controller_act("lmmse"), "qwoma")),
            Scheme("RPaD", "noma", controller_act("random"))]
