"""Synthetic per-slot datasets shaped like a trace reader's output (no HDF5 involved).

Two generators:

- ``hand_trace``: values built so that every slot average is known by hand. Each per-slot value
  is a base plus a term times ``(-1)^slot``; with an even number of slots that term averages to
  exactly zero, so the mean is the base (exact in floating point up to summation rounding).
- ``smooth_trace``: plausible, random-but-seeded numbers (smooth SINR drift, moving users, a
  circuit-dominated power budget) for the figures.
"""

from __future__ import annotations

import numpy as np
import pytest

NUM_SLOTS = 50
SLOT_S = 0.1
LINKS_FD = ("dl", "dl", "ul", "ul")  # K_D = 2 downlink users, then K_U = 2 uplink users
LINKS_NOMA = ("ul",) * 10


def _attrs(links: tuple[str, ...], complete: bool = True) -> dict:
    system = "full_duplex" if "dl" in links else "noma_uplink"
    return {"system": system, "seed": 7, "scenario_toml": "[scenario]\n", "user_links": list(links),
            "complete": complete, "name": f"synthetic_{system}"}


def make_hand_trace(links: tuple[str, ...]) -> tuple[dict[str, np.ndarray], dict]:
    """Per-slot data whose slot means are written in the comments (user index u = 0..U-1)."""
    num_users = len(links)
    alt = (-1.0) ** np.arange(NUM_SLOTS)[:, None]  # [S, 1], mean exactly 0 over 50 slots
    u = np.arange(num_users)[None, :]  # [1, U]
    alt1 = alt[:, 0]  # [S]
    tx_w = 0.1 * (u + 1) + 0.05 * alt  # mean 0.1 (u + 1) W
    amplifier_w = tx_w.sum(axis=1) / 0.5  # efficiency 0.5
    circuit_w = 38.0 + 2.0 * alt1  # mean 38 W
    pos = np.stack([np.broadcast_to(10.0 * (u + 1), (NUM_SLOTS, num_users)),
                    np.broadcast_to(np.arange(NUM_SLOTS)[:, None] * 0.1, (NUM_SLOTS, num_users))],
                   axis=-1)
    slots = {
        "time_s": SLOT_S * np.arange(NUM_SLOTS),
        "positions_m": pos,
        "speed_mps": np.ones((NUM_SLOTS, num_users)),
        "rate_aqnm_bps_hz": (u + 1) + 0.5 * alt,  # mean u + 1
        "rate_measured_bps_hz": 0.9 * (u + 1) + 0.2 * alt,  # mean 0.9 (u + 1)
        "sinr_aqnm_db": 10.0 * u + 5.0 + 5.0 * alt,  # alternates 10u and 10u + 10 dB
        "sinr_measured_db": 10.0 * u + 3.0 + 3.0 * alt,  # alternates 10u and 10u + 6 dB
        "tx_power_w": tx_w,
        "amplifier_power_w": amplifier_w,
        "circuit_power_w": circuit_w,
        "total_power_w": amplifier_w + circuit_w,
        "ee_bits_per_j_hz": 0.25 + 0.05 * alt1,  # mean 0.25
        "ee_aqnm_bits_per_j_hz": 0.35 + 0.05 * alt1,  # mean 0.35
        "dac_clip_rate": np.tile([0.01, 0.03], (NUM_SLOTS, 1)),  # mean 0.02
        "adc_clip_rate": 0.05 + 0.05 * np.broadcast_to(alt, (NUM_SLOTS, 4)),  # mean 0.05
    }
    return slots, _attrs(links)


def make_smooth_trace(links: tuple[str, ...], num_slots: int = NUM_SLOTS,
                      seed: int = 0) -> tuple[dict[str, np.ndarray], dict]:
    """Plausible per-slot data: moving users, drifting SINRs, measured a little below the AQNM."""
    rng = np.random.default_rng(seed)
    num_users = len(links)
    time_s = SLOT_S * np.arange(num_slots)
    start = rng.uniform(20.0, 80.0, num_users)[:, None] * np.stack(
        [np.cos(a := rng.uniform(0, 2 * np.pi, num_users)), np.sin(a)], axis=-1)  # [U, 2]
    heading = np.cumsum(rng.normal(0.0, 0.15, (num_slots, num_users)), axis=0) + a + np.pi / 2
    speed = rng.uniform(1.0, 3.0, num_users)[None, :] * np.ones((num_slots, 1))  # [S, U]
    step = speed[..., None] * SLOT_S * np.stack([np.cos(heading), np.sin(heading)], axis=-1)
    pos = start[None] + np.cumsum(step, axis=0)  # [S, U, 2]
    dist = np.linalg.norm(pos, axis=-1)  # [S, U]
    sinr_aqnm_db = 45.0 - 35.0 * np.log10(dist / 10.0) + np.cumsum(
        rng.normal(0, 0.3, (num_slots, num_users)), axis=0)
    sinr_measured_db = sinr_aqnm_db - 0.4 + rng.normal(0, 0.6, (num_slots, num_users))
    rate_aqnm = np.log2(1 + 10 ** (sinr_aqnm_db / 10))
    rate_measured = np.log2(1 + 10 ** (sinr_measured_db / 10))
    tx_w = rng.uniform(0.05, 0.2, (num_slots, num_users))
    amplifier_w = tx_w.sum(axis=1) / 0.35
    circuit_w = 12.0 + 0.2 * rng.standard_normal(num_slots)
    total_w = amplifier_w + circuit_w
    slots = {
        "time_s": time_s,
        "positions_m": pos,
        "speed_mps": speed,
        "sinr_aqnm_db": sinr_aqnm_db,
        "sinr_measured_db": sinr_measured_db,
        "rate_aqnm_bps_hz": rate_aqnm,
        "rate_measured_bps_hz": rate_measured,
        "tx_power_w": tx_w,
        "amplifier_power_w": amplifier_w,
        "circuit_power_w": circuit_w,
        "total_power_w": total_w,
        "ee_bits_per_j_hz": rate_measured.sum(axis=1) / total_w,
        "ee_aqnm_bits_per_j_hz": rate_aqnm.sum(axis=1) / total_w,
        "dac_clip_rate": rng.uniform(0, 0.01, (num_slots, 8)),
        "adc_clip_rate": rng.uniform(0, 0.03, (num_slots, 16)),
    }
    return slots, _attrs(links)


@pytest.fixture(params=[LINKS_FD, LINKS_NOMA], ids=["fd_2dl_2ul", "noma_10ul"])
def links(request) -> tuple[str, ...]:
    return request.param


@pytest.fixture
def hand_trace(links):
    return make_hand_trace(links)


@pytest.fixture
def fd_trace():
    """Smooth full-duplex trace: 2 DL + 2 UL users."""
    return make_smooth_trace(LINKS_FD)


@pytest.fixture
def noma_trace():
    """Smooth NOMA-uplink trace: 10 UL users."""
    return make_smooth_trace(LINKS_NOMA)
