"""What the world hands the controller and the chain each slot: positions and channels.

Every array in a snapshot is a fresh copy owned by the snapshot; changing one never changes the
world. ``eq=False``: a dataclass ``==`` over numpy fields would raise, so snapshots compare by
identity; compare fields with ``numpy.array_equal``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True, eq=False)
class NomaSnapshot:
    """One slot of the uplink quantized MIMO-NOMA world (seed 000 Sec. V-A).

    Attributes
    ----------
    slot : int
        Slot index, from 0.
    positions_m : [K, 2], float
        User positions (m); the BS is at the origin.
    speed_mps : [K], float
        Current user speeds (m/s).
    distance_m : [K], float
        User-to-BS distance (m).
    gain_lin : [K], float
        Large-scale power gain ``10^(-PL_k/10)``, ``PL_k`` from seed 000 eq. (43) (eq. (44)).
    H : [K, M, N_k], complex128
        ``H_k = sqrt(gain_k) Hhat_k``, seed 000 eq. (44); ``Hhat_k`` has ``CN(0, 1)`` entries.
    """

    slot: int
    positions_m: np.ndarray
    speed_mps: np.ndarray
    distance_m: np.ndarray
    gain_lin: np.ndarray
    H: np.ndarray


@dataclass(frozen=True, slots=True, eq=False)
class FullDuplexSnapshot:
    """One slot of the full-duplex MU-MIMO world (seed 004 Sec. II, Sec. V-A).

    Attributes
    ----------
    slot : int
        Slot index, from 0.
    positions_m : [K_D + K_U, 2], float
        User positions (m), DL users first; the AP is at the origin.
    speed_mps : [K_D + K_U], float
        Current user speeds (m/s).
    distance_m : [K_D + K_U], float
        User-to-AP distance (m).
    gain_dl_lin : [K_D], float
        ``rho_D,k``: CI path loss with shadowing, as a linear power gain.
    gain_ul_lin : [K_U], float
        ``rho_U,k``, likewise.
    gain_cci_lin : float
        ``rho_CCI``: CI path loss at ``d_CCI`` with shadowing (seed 004 §V-A: one value for all).
    H_D : [N_t, K_D], complex128
        Column ``k`` is ``h_D,k = sqrt(rho_D,k) C_D,k^{1/2} w``, seed 004 eq. (13).
    H_U : [N_r, K_U], complex128
        Column ``k`` is ``h_U,k = sqrt(rho_U,k) C_U,k^{1/2} w``, seed 004 eq. (5).
    G_SI : [N_r, N_t], complex128
        Residual self-interference after analog SIC, entries ``CN(0, kappa_a)``, seed 004 eq. (4).
    G_CCI : [K_U, K_D], complex128
        Column ``k`` is ``g_CCI,k = sqrt(rho_CCI) g~``, ``g~ ~ CN(0, I_{K_U})`` (seed 004 §II).
    """

    slot: int
    positions_m: np.ndarray
    speed_mps: np.ndarray
    distance_m: np.ndarray
    gain_dl_lin: np.ndarray
    gain_ul_lin: np.ndarray
    gain_cci_lin: float
    H_D: np.ndarray
    H_U: np.ndarray
    G_SI: np.ndarray
    G_CCI: np.ndarray


def half_duplex_snapshot(snap: FullDuplexSnapshot) -> FullDuplexSnapshot:
    """The same drop seen by seed 004's half-duplex benchmark (Sec. V-A): ``kappa_a = 0`` (no
    residual SI, so ``kappa_d`` no longer matters) and ``rho_CCI = 0`` (no CCI); the DL and UL
    channels are kept."""
    return dataclasses.replace(snap, gain_cci_lin=0.0, G_SI=np.zeros_like(snap.G_SI),
                               G_CCI=np.zeros_like(snap.G_CCI))
