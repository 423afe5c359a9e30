"""Full-duplex MU-MIMO AP with coarse DACs/ADCs (seed 004 Sec. II): the slot, in order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.chain.channel import apply_matrix
from twin.chain.combiner import detect
from twin.chain.convert import ConverterStage
from twin.chain.measure import measured_sinr, rate_bps_hz
from twin.chain.noise import awgn
from twin.chain.precoder import precode_joint
from twin.chain.sic import digital_sic
from twin.chain.source import draw_symbols
from twin.config import Scenario
from twin.control.base import FullDuplexAction
from twin.systems.full_duplex_aqnm import FullDuplexPrediction, predict_full_duplex
from twin.systems.power import (
    amplifier_power_w,
    full_duplex_ap_circuit_power_w,
    full_duplex_user_circuit_power_w,
)
from twin.systems.slot import SlotResult, mean_gain
from twin.units import dbm_to_w, lin_to_db


@dataclass(frozen=True, slots=True)
class FullDuplexSystem:
    """DL: W -> DACs -> H_D (+ CCI from UL users) -> DL users. UL: H_U (+ residual SI after
    analog SIC) -> ADCs -> digital SIC -> combiner F."""

    scenario: Scenario
    dac: ConverterStage
    adc: ConverterStage
    circuit_w: float  # AP and users, eqs. (67)-(72) without amplifiers: fixed for a run

    @classmethod
    def build(cls, scenario: Scenario) -> FullDuplexSystem:
        c = scenario.full_duplex
        dac = ConverterStage.build(scenario.dac, c.num_tx_ant)
        adc = ConverterStage.build(scenario.adc, c.num_rx_ant)
        circuit = (full_duplex_ap_circuit_power_w(c.num_tx_ant, c.num_rx_ant, dac.bits, adc.bits,
                                                  c.power)
                   + full_duplex_user_circuit_power_w(c.num_dl_users, c.num_ul_users, c.power))
        return cls(scenario, dac, adc, circuit)

    @property
    def time_share(self) -> np.ndarray:
        """Each user's share of time, DL users first ``[K_D + K_U]``: all ones in full duplex;
        ``1 - lambda`` (DL) and ``lambda`` (UL) in half duplex, whose rates are
        ``(1 - lambda) R_D,k`` and ``lambda R_U,k`` (seed 004 Sec. V-A). The power model is
        left as for full duplex (the paper gives none for HD)."""
        c = self.scenario.full_duplex
        if c.duplex == "full":
            return np.ones(c.num_dl_users + c.num_ul_users)
        lam = c.hd_ul_fraction
        return np.repeat([1.0 - lam, lam], [c.num_dl_users, c.num_ul_users])

    @property
    def user_links(self) -> list[str]:
        c = self.scenario.full_duplex
        return ["dl"] * c.num_dl_users + ["ul"] * c.num_ul_users

    def predict(self, snap, action: FullDuplexAction) -> FullDuplexPrediction:
        return predict_full_duplex(snap, action.precoder, action.combiner,
                                   self.dac.alpha, self.adc.alpha,
                                   self.scenario.full_duplex)

    def uplink_back_end(self, r_q, x_dq, g_si, combiner, s_u) -> np.ndarray:
        """Digital SIC, then the combiner; measured UL SINRs ``[K_U]`` (unit-power symbols)."""
        r = digital_sic(r_q, x_dq, g_si, self.adc.alpha,
                        self.scenario.full_duplex.kappa_d_lin)          # eq. (9)
        return measured_sinr(detect(combiner.conj().T, r), s_u)         # eqs. (10)-(11)

    def run_slot(self, snap, action: FullDuplexAction, rng: np.random.Generator) -> SlotResult:
        c = self.scenario.full_duplex
        p_d, p_u = float(dbm_to_w(c.p_dl_dbm)), float(dbm_to_w(c.p_ul_dbm))
        pred = self.predict(snap, action)
        samples = self.scenario.run.samples_per_slot
        s_d = draw_symbols(rng, self.scenario.source, (c.num_dl_users, samples))   # unit power
        s_u = draw_symbols(rng, self.scenario.source, (c.num_ul_users, samples))
        x_d = precode_joint(action.precoder, np.sqrt(p_d) * s_d)       # eq. (1)    [N_t, T]
        dac = self.dac(x_d, rng)                                       # eq. (2)
        y_d = apply_matrix(snap.H_D.conj().T, dac.values) \
            + apply_matrix(snap.G_CCI.conj().T, np.sqrt(p_u) * s_u)    # eq. (12)
        y_d = y_d + awgn(rng, y_d.shape, c.noise_w)
        r = apply_matrix(snap.H_U, np.sqrt(p_u) * s_u) + apply_matrix(snap.G_SI, dac.values)
        r = r + awgn(rng, r.shape, c.noise_w)                          # eq. (4)
        adc = self.adc(r, rng)                                         # eq. (6)
        sinr_ul = self.uplink_back_end(adc.values, dac.values, snap.G_SI, action.combiner, s_u)
        sinr_dl = measured_sinr(y_d, s_d)
        sinr_meas = np.concatenate([sinr_dl, sinr_ul])
        sinr_model = np.concatenate([pred.sinr_dl, pred.sinr_ul])
        share = self.time_share
        rate_meas, rate_model = share * rate_bps_hz(sinr_meas), share * rate_bps_hz(sinr_model)
        radiated = float(np.mean(np.abs(dac.values) ** 2, axis=-1).sum())
        kappa_pa = c.power.pa_efficiency
        ap_amp = float(amplifier_power_w(radiated, kappa_pa))                  # eq. (67)
        ap_amp_model = float(amplifier_power_w(p_d * float(np.sum(
            self.dac.alpha[:, None] * np.abs(action.precoder) ** 2)), kappa_pa))
        ue_amp = float(amplifier_power_w(c.num_ul_users * p_u, kappa_pa))      # eq. (72)
        circuit = self.circuit_w
        total = ap_amp + ue_amp + circuit
        total_model = ap_amp_model + ue_amp + circuit
        metrics = {
            "positions_m": snap.positions_m, "speed_mps": snap.speed_mps,
            "sinr_aqnm_db": lin_to_db(sinr_model), "sinr_measured_db": lin_to_db(sinr_meas),
            "rate_aqnm_bps_hz": rate_model, "rate_measured_bps_hz": rate_meas,
            "tx_power_w": np.concatenate([pred.dl_power_w, np.full(c.num_ul_users, p_u)]),
            "amplifier_power_w": np.float64(ap_amp + ue_amp),
            "circuit_power_w": np.float64(circuit), "total_power_w": np.float64(total),
            "ee_bits_per_j_hz": np.float64(rate_meas.sum() / total),            # eq. (66)
            "ee_aqnm_bits_per_j_hz": np.float64(rate_model.sum() / total_model),
            "dac_clip_rate": dac.clip_rate, "adc_clip_rate": adc.clip_rate,
            "dac_gain": mean_gain(dac.scale, x_d.shape[:-1]),
            "adc_gain": mean_gain(adc.scale, r.shape[:-1]),
            "precoder": action.precoder.astype(np.complex128),
            "combiner": action.combiner.astype(np.complex128),
        }
        waveforms = {"symbols_dl": s_d, "symbols_ul": s_u, "g_si": snap.G_SI}
        if dac.codes is not None:
            waveforms |= {"dac_codes": dac.codes, "dac_scale": dac.scale}
        if adc.codes is not None:
            waveforms |= {"adc_codes": adc.codes, "adc_scale": adc.scale}
        return SlotResult(metrics, waveforms)
