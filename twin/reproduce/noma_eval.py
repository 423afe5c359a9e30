"""One scheme on a batch of drops: its AQNM metrics and its bit-true metrics through the chain.

Both come from one call of :meth:`NomaUplinkSystem.run_slot` per drop, which pushes the slot's
waveforms through the DACs, the channel, the ADCs, the detector and SIC (or FDMA) and measures
the SINRs, with the AQNM closed forms computed beside it (seed 000 eqs. (5), (11)-(18)).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from twin.chain.measure import rate_bps_hz
from twin.config import Scenario
from twin.control.base import NomaAction
from twin.systems.noma_aqnm import NomaPrediction
from twin.systems.noma_uplink import NomaUplinkSystem
from twin.systems.power import amplifier_power_w
from twin.units import db_to_lin
from twin.world.snapshot import NomaSnapshot
from twin.world.world import NomaWorld


def with_bits(scenario: Scenario, bits: int) -> Scenario:
    """Equal DAC and ADC resolution (seed 000 §V-C: "identical resolution for ADCs and DACs")."""
    return dataclasses.replace(scenario, dac=dataclasses.replace(scenario.dac, bits=bits),
                               adc=dataclasses.replace(scenario.adc, bits=bits))


def with_p_max(scenario: Scenario, p_max_dbm: float) -> Scenario:
    """The scenario with user power budget ``P_kmax`` (seed 000 (19b))."""
    c = dataclasses.replace(scenario.noma_uplink, p_max_dbm=float(p_max_dbm))
    return dataclasses.replace(scenario, noma_uplink=c)


def snapshot_of(h: np.ndarray) -> NomaSnapshot:
    """A slot-0 snapshot holding one drop's channels ``[K, M, N_k]`` (positions unused)."""
    k = h.shape[0]
    return NomaSnapshot(0, np.zeros((k, 2)), np.zeros(k), np.zeros(k), np.ones(k), h)


def draw_drops(scenario: Scenario, num_drops: int, rng: np.random.Generator) -> np.ndarray:
    """``[B, K, M, N_k]`` channels: each drop a fresh world's slot 0 (users uniform in the
    cell, path loss (43), Rayleigh fading (44); seed 000 §V-A)."""
    c = scenario.noma_uplink
    return np.stack([NomaWorld(c, scenario.mobility, scenario.channel, scenario.run.slot_s,
                               r).step().H for r in rng.spawn(num_drops)])


def noise_split(pred: NomaPrediction, detector: np.ndarray, alpha_r: np.ndarray,
                noise_w: float) -> tuple[np.ndarray, np.ndarray]:
    """Seed 000 eq. (46): ``N_k^Q`` (every user's DAC noise and the ADC noise through detector k)
    and ``N_k^I = IU_k + sigma^2 w_k Theta_B Theta_B^H w_k^H``, each [K].

    From the prediction's own terms: ``NU_k`` (13) is ``K |cross_kk|^2 / SINR_k^FDMA`` (FDMA
    keeps 1/K of the white noise, no interference), ``IU_k + NU_k = |cross_kk|^2 / SINR_k``
    (12), and ``NU_k`` minus the thermal term is ``N_k^Q``.
    """
    desired = np.abs(np.diag(pred.cross)) ** 2
    thermal = noise_w * np.sum(np.abs(detector * alpha_r) ** 2, axis=1)
    quant = desired.size * desired / pred.sinr_fdma - thermal
    return quant, desired / pred.sinr - quant


def aqnm_ee(pred: NomaPrediction, access: str, circuit_w: float, efficiency: float) -> float:
    """EE (18) under the AQNM for an access rule: SIC (12), all others as noise (QWoMA) or FDMA
    with a 1/K prelog (QOMA); power (14)-(15)."""
    sinr = {"noma": pred.sinr, "qwoma": pred.sinr_no_sic, "qoma": pred.sinr_fdma}[access]
    prelog = 1.0 / sinr.size if access == "qoma" else 1.0
    power = amplifier_power_w(pred.tx_power_w, efficiency).sum() + circuit_w
    return float(prelog * rate_bps_hz(sinr).sum() / power)


@dataclass(frozen=True, slots=True)
class DropMetrics:
    """Per-drop results ``[B]`` of one scheme; ``_aqnm`` by the closed forms, ``_bit_true``
    measured through the chain.

    ee : sum rate over total power, eq. (18) (bit/J/Hz); se : sum rate (bit/s/Hz);
    amplifier_w : P^AP = sum_k P_k^T / eta, eq. (14); circuit_w : P^AC, eqs. (15)-(17);
    quant_noise, inter_noise : N^Q and N^I of eq. (46), averaged over users (model), and
    quant_noise_bit_true : the quantization noise the measured SINRs imply,
    ``|w_k Theta_B H_k Theta_k P_k|^2 / SINR_k,measured - N_k^I`` (NOMA access only, else NaN).
    """

    ee_aqnm: np.ndarray
    ee_bit_true: np.ndarray
    se_aqnm: np.ndarray
    se_bit_true: np.ndarray
    amplifier_aqnm_w: np.ndarray
    amplifier_bit_true_w: np.ndarray
    circuit_w: np.ndarray
    quant_noise: np.ndarray
    inter_noise: np.ndarray
    quant_noise_bit_true: np.ndarray


def evaluate(scenario: Scenario, h: np.ndarray, precoders: np.ndarray, detector: np.ndarray,
             access: str, rng: np.random.Generator) -> DropMetrics:
    """Run each drop's slot through the chain with the given actions and access rule.

    h : [B, K, M, N_k]; precoders : [B, K, N_k]; detector : [B, K, M]; ``rng`` draws the
    symbols, noise and dither of every slot (in drop order).
    """
    system = NomaUplinkSystem.build(scenario)
    efficiency = scenario.noma_uplink.power.amplifier_efficiency
    rows = []
    for hb, p, w in zip(h, precoders, detector, strict=True):
        snap, action = snapshot_of(hb), NomaAction(p, w)
        m = system.run_slot(snap, action, rng, access=access).metrics
        pred = system.predict(snap, action)
        quant, inter = noise_split(pred, w, system.adc.alpha, scenario.noma_uplink.noise_w)
        quant_bt = np.nan
        if access == "noma":
            desired = np.abs(np.diag(pred.cross)) ** 2
            quant_bt = np.mean(desired / db_to_lin(m["sinr_measured_db"]) - inter)
        amp_aqnm = amplifier_power_w(pred.tx_power_w, efficiency).sum()     # eq. (14)
        rows.append((m["ee_aqnm_bits_per_j_hz"], m["ee_bits_per_j_hz"],
                     m["rate_aqnm_bps_hz"].sum(), m["rate_measured_bps_hz"].sum(),
                     amp_aqnm, m["amplifier_power_w"], m["circuit_power_w"],
                     quant.mean(), inter.mean(), quant_bt))
    return DropMetrics(*(np.array(col, dtype=np.float64) for col in zip(*rows, strict=True)))
