"""The two worlds: placement + mobility + path loss + covariance + fading -> one snapshot a slot.

Each world owns child generators spawned from the one it is given (placement, mobility,
shadowing and one per fading process), so the same seed gives identical snapshots and adding a
draw in one process never shifts another's numbers. ``step()`` returns slot 0 first (the initial
positions and fading), then advances everything by ``slot_s`` per call.
"""

from __future__ import annotations

import numpy as np

from twin.config import ChannelConfig, FullDuplexConfig, MobilityConfig, NomaUplinkConfig
from twin.units import db_to_lin
from twin.world.fading import GaussMarkovFading, fading_correlation
from twin.world.geometry import (
    covariance_sqrt,
    full_duplex_group_centres,
    one_ring_covariance,
    place_in_disk,
)
from twin.world.mobility import Mobility
from twin.world.pathloss import (
    CI_REFERENCE_M,
    draw_shadowing_db,
    pathloss_ci_db,
    pathloss_gain_lin,
    pathloss_noma_db,
)
from twin.world.snapshot import FullDuplexSnapshot, NomaSnapshot, half_duplex_snapshot


def _check_slot(slot_s: float) -> float:
    if not slot_s > 0.0:
        raise ValueError(f"slot_s must be positive, got {slot_s!r}")
    return float(slot_s)


class NomaWorld:
    """Uplink quantized MIMO-NOMA (seed 000 Sec. V-A): K users in a disk around the BS.

    Users start area-uniform in the ``cell_radius_m`` disk, at least ``min_distance_m`` from the
    BS, and move inside it. Each slot: path loss from eq. (43) at the current distance, then
    ``H_k = sqrt(10^(-PL_k/10)) Hhat_k`` (eq. (44)) with ``Hhat_k`` a Gauss-Markov ``CN(0, 1)``
    process at user ``k``'s Doppler. Departure: the distance fed to eq. (43) is clamped to at
    least ``min_distance_m`` (a user may walk past the BS; eq. (43) diverges at 0);
    ``distance_m`` in the snapshot is the true distance.

    Parameters
    ----------
    cfg : NomaUplinkConfig
    mobility : MobilityConfig
    channel : ChannelConfig
        ``fading`` mode; ``csi_delay_slots`` is the engine's business, not the world's.
    slot_s : float
        Slot duration (s).
    rng : numpy.random.Generator
        Parent of the world's child generators.
    """

    def __init__(self, cfg: NomaUplinkConfig, mobility: MobilityConfig, channel: ChannelConfig,
                 slot_s: float, rng: np.random.Generator) -> None:
        self._cfg = cfg
        self._fading_mode = channel.fading
        self._slot_s = _check_slot(slot_s)
        place_rng, mobility_rng, fading_rng = rng.spawn(3)
        num = cfg.num_users
        positions = place_in_disk(place_rng, num, (0.0, 0.0), cfg.cell_radius_m,
                                  min_distance_m=cfg.min_distance_m)
        self._mobility = Mobility(mobility, positions, np.zeros((num, 2)),
                                  np.full(num, cfg.cell_radius_m), mobility_rng)
        rho = self._rho()
        self._fading = GaussMarkovFading((num, cfg.num_bs_ant, cfg.num_user_ant), rho, fading_rng)
        self._slot = 0

    def _rho(self) -> np.ndarray:
        return fading_correlation(self._fading_mode, self._mobility.speed_mps,
                                  self._cfg.carrier_hz, self._slot_s)

    @property
    def slot(self) -> int:
        """Index of the snapshot the next :meth:`step` returns."""
        return self._slot

    def step(self) -> NomaSnapshot:
        """The next slot's snapshot (slot 0 first)."""
        cfg = self._cfg
        if self._slot == 0:
            h_hat = self._fading.value
        else:
            self._mobility.step(self._slot_s)
            h_hat = self._fading.step(self._rho())  # [K, M, N_k]
        positions = self._mobility.positions_m
        distance = np.hypot(positions[:, 0], positions[:, 1])
        # seed 000 eq. (43), distance clamped at min_distance_m (see the class docstring)
        pathloss = pathloss_noma_db(np.maximum(distance, cfg.min_distance_m),
                                    cfg.pathloss_intercept_db, cfg.pathloss_slope_db)
        gain = pathloss_gain_lin(pathloss)
        snapshot = NomaSnapshot(
            slot=self._slot, positions_m=positions, speed_mps=self._mobility.speed_mps,
            distance_m=distance, gain_lin=gain,
            # seed 000 eq. (44)
            H=np.sqrt(gain)[:, None, None] * h_hat)
        self._slot += 1
        return snapshot


class FullDuplexWorld:
    """Full-duplex MU-MIMO AP (seed 004 Sec. II, §V-A): a DL group and an UL group of users.

    Group centres from :func:`~twin.world.geometry.full_duplex_group_centres`; users start
    area-uniform in their group's ``group_radius_m`` disk and move inside it. Each slot:

    - ``rho_D,k``, ``rho_U,k``: CI path loss (``pathloss_exponent`` at ``carrier_hz``) at the
      current distance, plus log-normal shadowing drawn once per user per run (users move a few
      metres; their shadowing is kept). Distances are clamped at the CI reference 1 m.
    - ``C_D,k``, ``C_U,k``: one-ring covariance around the user's current angle from broadside,
      half-width ``angular_spread_deg``; ``h = sqrt(rho) C^{1/2} w`` (eqs. (5), (13)) with ``w`` a
      Gauss-Markov ``CN(0, I)`` process at the user's Doppler. When ``C`` changes between slots,
      consecutive ``h`` stay correlated through ``w``.
    - ``G_SI``: i.i.d. ``CN(0, kappa_a)`` (eq. (4)); the AP does not move, so it is drawn once per
      run, or anew every slot when ``channel.fading == "iid"``.
    - ``G_CCI``: ``sqrt(rho_CCI)`` times ``CN(0, 1)`` entries, ``rho_CCI`` from the CI model at
      ``cci_distance_m`` with one shadowing draw. Both ends move, so entry ``(j, k)`` evolves with
      ``rho = J0(2 pi f_D,j slot_s) J0(2 pi f_D,k slot_s)``, the mobile-to-mobile (Akki-Haber)
      correlation of UL user ``j`` and DL user ``k``; for "iid"/"static", 0/1 as elsewhere.
    - ``duplex = "half"``: ``G_SI`` and ``G_CCI`` are zero (Sec. V-A's HD benchmark), the rest
      drawn as for full duplex.

    Parameters are those of :class:`NomaWorld`, with ``cfg : FullDuplexConfig``.
    """

    def __init__(self, cfg: FullDuplexConfig, mobility: MobilityConfig, channel: ChannelConfig,
                 slot_s: float, rng: np.random.Generator) -> None:
        self._cfg = cfg
        self._fading_mode = channel.fading
        self._slot_s = _check_slot(slot_s)
        (place_rng, mobility_rng, shadow_rng, dl_rng, ul_rng, cci_rng,
         si_rng) = rng.spawn(7)
        num_dl, num_ul = cfg.num_dl_users, cfg.num_ul_users
        dl_centre, ul_centre = full_duplex_group_centres(cfg.dl_distance_m, cfg.ul_distance_m,
                                                         cfg.cci_distance_m)
        positions = np.concatenate([
            place_in_disk(place_rng, num_dl, dl_centre, cfg.group_radius_m,
                          min_distance_m=CI_REFERENCE_M),
            place_in_disk(place_rng, num_ul, ul_centre, cfg.group_radius_m,
                          min_distance_m=CI_REFERENCE_M)])
        centres = np.concatenate([np.tile(dl_centre, (num_dl, 1)), np.tile(ul_centre, (num_ul, 1))])
        self._mobility = Mobility(mobility, positions, centres,
                                  np.full(num_dl + num_ul, cfg.group_radius_m), mobility_rng)
        self._shadowing_db = draw_shadowing_db(shadow_rng, num_dl + num_ul, cfg.shadowing_std_db)
        cci_db = (pathloss_ci_db(max(cfg.cci_distance_m, CI_REFERENCE_M), cfg.carrier_hz,
                                 cfg.pathloss_exponent)
                  + draw_shadowing_db(shadow_rng, (), cfg.shadowing_std_db))
        self._gain_cci_lin = float(pathloss_gain_lin(cci_db))
        self._kappa_a_lin = float(db_to_lin(cfg.kappa_a_db))
        self._spread_rad = float(np.deg2rad(cfg.angular_spread_deg))
        rho_dl, rho_ul = self._rho()
        self._w_dl = GaussMarkovFading((num_dl, cfg.num_tx_ant), rho_dl, dl_rng)
        self._w_ul = GaussMarkovFading((num_ul, cfg.num_rx_ant), rho_ul, ul_rng)
        self._g_cci = GaussMarkovFading((num_ul, num_dl), np.outer(rho_ul, rho_dl), cci_rng)
        si_rho = 0.0 if channel.fading == "iid" else 1.0
        self._g_si = GaussMarkovFading((cfg.num_rx_ant, cfg.num_tx_ant), si_rho, si_rng)
        self._sqrt_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._slot = 0

    def _rho(self) -> tuple[np.ndarray, np.ndarray]:
        rho = fading_correlation(self._fading_mode, self._mobility.speed_mps,
                                 self._cfg.carrier_hz, self._slot_s)
        return rho[: self._cfg.num_dl_users], rho[self._cfg.num_dl_users:]

    @property
    def slot(self) -> int:
        """Index of the snapshot the next :meth:`step` returns."""
        return self._slot

    def _channels(self, link: str, num_ant: int, positions: np.ndarray, gain: np.ndarray,
                  w: np.ndarray) -> np.ndarray:
        """``[num_ant, K]`` with column ``k = sqrt(gain_k) C_k^{1/2} w_k`` (eqs. (5), (13)).

        ``link`` ("dl" or "ul") names the cache of ``C_k^{1/2}``: it is recomputed only for
        users whose angle from the AP changed since the last slot (static or pausing users keep
        theirs; the eigen-decomposition is the costliest step of a slot).
        """
        angle = np.arctan2(positions[:, 1], positions[:, 0])  # [K], from broadside
        cached = self._sqrt_cache.get(link)
        if cached is None:
            changed = np.ones(angle.shape, dtype=bool)
            root = np.empty((len(angle), num_ant, num_ant), dtype=complex)
        else:
            old_angle, root = cached
            changed = angle != old_angle
        if np.any(changed):
            cov = one_ring_covariance(num_ant, angle[changed], self._spread_rad,
                                      self._cfg.antenna_spacing_wavelengths)  # [k, N, N]
            root[changed] = covariance_sqrt(cov)
        self._sqrt_cache[link] = (angle, root)
        h_tilde = (root @ w[..., None])[..., 0]  # [K, N]
        return (np.sqrt(gain)[:, None] * h_tilde).T

    def step(self) -> FullDuplexSnapshot:
        """The next slot's snapshot (slot 0 first)."""
        cfg = self._cfg
        num_dl = cfg.num_dl_users
        if self._slot == 0:
            w_dl, w_ul = self._w_dl.value, self._w_ul.value
            g_cci, g_si = self._g_cci.value, self._g_si.value
        else:
            self._mobility.step(self._slot_s)
            rho_dl, rho_ul = self._rho()
            w_dl, w_ul = self._w_dl.step(rho_dl), self._w_ul.step(rho_ul)
            g_cci = self._g_cci.step(np.outer(rho_ul, rho_dl))
            g_si = self._g_si.step()
        positions = self._mobility.positions_m
        distance = np.hypot(positions[:, 0], positions[:, 1])
        pathloss = pathloss_ci_db(np.maximum(distance, CI_REFERENCE_M), cfg.carrier_hz,
                                  cfg.pathloss_exponent) + self._shadowing_db
        gain = pathloss_gain_lin(pathloss)  # [K_D + K_U]
        snapshot = FullDuplexSnapshot(
            slot=self._slot, positions_m=positions, speed_mps=self._mobility.speed_mps,
            distance_m=distance, gain_dl_lin=gain[:num_dl], gain_ul_lin=gain[num_dl:],
            gain_cci_lin=self._gain_cci_lin,
            H_D=self._channels("dl", cfg.num_tx_ant, positions[:num_dl], gain[:num_dl], w_dl),
            H_U=self._channels("ul", cfg.num_rx_ant, positions[num_dl:], gain[num_dl:], w_ul),
            G_SI=np.sqrt(self._kappa_a_lin) * g_si,
            G_CCI=np.sqrt(self._gain_cci_lin) * g_cci)
        self._slot += 1
        # The HD benchmark keeps every draw (the same DL/UL channels as FD for a seed).
        return half_duplex_snapshot(snapshot) if cfg.duplex == "half" else snapshot
