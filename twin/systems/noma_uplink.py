"""Uplink quantized MIMO-NOMA (seed 000 Sec. III): the slot's block diagram, in order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.chain.channel import uplink_mimo
from twin.chain.combiner import detect
from twin.chain.convert import ConverterStage
from twin.chain.fdma import fdma_demodulate, fdma_modulate, subcarriers
from twin.chain.measure import measured_sinr, rate_bps_hz
from twin.chain.noise import awgn
from twin.chain.noma_sic import successive_cancellation
from twin.chain.precoder import precode_per_user
from twin.chain.source import draw_symbols, hard_decision
from twin.config import Scenario
from twin.control.base import NomaAction
from twin.quant.kernels import mean_square_rows
from twin.systems.noma_aqnm import NomaPrediction, predict_noma
from twin.systems.power import amplifier_power_w, noma_circuit_power_w
from twin.systems.slot import SlotResult, mean_gain
from twin.units import lin_to_db
from twin.world.snapshot import NomaSnapshot


@dataclass(frozen=True, slots=True)
class NomaUplinkSystem:
    """K users with N_k antennas and DACs -> M-antenna BS with ADCs -> detector -> NOMA SIC."""

    scenario: Scenario
    dac: ConverterStage
    adc: ConverterStage
    circuit_w: float  # all users' P^AC, eqs. (15)-(17): fixed by the resolutions

    @classmethod
    def build(cls, scenario: Scenario) -> NomaUplinkSystem:
        c = scenario.noma_uplink
        dac = ConverterStage.build(scenario.dac, c.num_user_ant)
        circuit = noma_circuit_power_w(np.broadcast_to(dac.bits, (c.num_users, c.num_user_ant)),
                                       c.power).sum()
        return cls(scenario, dac, ConverterStage.build(scenario.adc, c.num_bs_ant),
                   float(circuit))

    @property
    def num_users(self) -> int:
        return self.scenario.noma_uplink.num_users

    @property
    def user_links(self) -> list[str]:
        return ["ul"] * self.num_users

    def predict(self, snap: NomaSnapshot, action: NomaAction) -> NomaPrediction:
        """The AQNM closed forms for this slot (seed 000 eqs. (5), (11)-(13))."""
        return predict_noma(snap.H, action.precoders, action.detector, self.dac.alpha,
                            self.adc.alpha, self.scenario.noma_uplink.noise_w)

    def back_end(self, y_q: np.ndarray, s: np.ndarray, detector: np.ndarray, cross: np.ndarray,
                 order: np.ndarray, access: str | None = None) -> np.ndarray:
        """Digital back end: detector, then NOMA SIC; returns the measured SINRs ``[K]``.

        Runs on the ADC output alone (with the known symbols as the measurement reference), so
        ``twin replay --reprocess`` can run it on recorded codes. ``access`` defaults to the
        scenario's: "noma" (SIC), "qwoma" (no SIC) or "qoma" (FDMA subcarriers).
        """
        access = access or self.scenario.noma_uplink.access
        if access == "qoma":
            bands = fdma_demodulate(y_q, self.num_users)
            return np.array([measured_sinr(detector[k] @ bands[k], s[k, :bands[k].shape[1]])
                             for k in range(self.num_users)])
        y_hat = detect(detector, y_q)
        if access == "qwoma":
            return measured_sinr(y_hat, s)
        decide = None
        if self.scenario.source.kind == "qam":
            order_m = self.scenario.source.qam_order
            def decide(z, k):
                return hard_decision(z / cross[k, k], order_m)
        z = successive_cancellation(y_hat, cross, s, order, decide)
        return measured_sinr(z, s)

    def run_slot(self, snap: NomaSnapshot, action: NomaAction, rng: np.random.Generator,
                 *, access: str | None = None) -> SlotResult:
        """Push one slot through the bit-true chain and compute the AQNM beside it.

        ``access`` overrides the scenario's multiple-access scheme for this slot.
        """
        cfg = self.scenario.noma_uplink
        access = access or cfg.access
        pred = self.predict(snap, action)
        # NOTE: the waveforms up to the channel output are complex64 (DESIGN.md), the ADC and
        # the back end complex128: the ADC's values must equal what `decode` rebuilds from its
        # codes in float64, so `twin replay --reprocess` finds the recorded rates exactly.
        s_tx = draw_symbols(rng, self.scenario.source,
                            (self.num_users, self.scenario.run.samples_per_slot),
                            np.complex64)                                    # [K, T]
        s = s_tx.astype(np.complex128)          # the back end's reference (and the trace's)
        if access == "qoma":                                        # user k on its subcarriers
            s_tx = fdma_modulate([s[k, :n.size] for k, n in enumerate(
                subcarriers(self.num_users, s.shape[1]))], s.shape[1]).astype(np.complex64)
        x = precode_per_user(action.precoders.astype(np.complex64), s_tx)   # eq. (1) [K, N_k, T]
        dac = self.dac(x, rng)                                      # eq. (2)
        y = uplink_mimo(snap.H.astype(np.complex64), dac.values).astype(np.complex128)  # (6)
        y += awgn(rng, y.shape, cfg.noise_w, np.complex64)
        adc = self.adc(y, rng)                                      # eq. (7)
        sinr_meas = self.back_end(adc.values, s, action.detector, pred.cross, pred.order,
                                  access)                           # eqs. (10)-(12)
        sinr_model = {"noma": pred.sinr, "qwoma": pred.sinr_no_sic, "qoma": pred.sinr_fdma}[access]
        # FDMA gives each user 1/K of the band: the rate carries that prelog.
        prelog = 1.0 / self.num_users if access == "qoma" else 1.0
        rails = dac.values.view(dac.values.real.dtype).reshape(self.num_users, -1)
        tx_meas = np.empty(self.num_users)                          # [K], eq. (5), one pass
        mean_square_rows(rails, tx_meas)
        tx_meas *= rails.shape[1] / s.shape[1]
        circuit = self.circuit_w
        rate_model, rate_meas = prelog * rate_bps_hz(sinr_model), prelog * rate_bps_hz(sinr_meas)
        amp_meas = amplifier_power_w(tx_meas, cfg.power.amplifier_efficiency).sum()   # eq. (14)
        amp_model = amplifier_power_w(pred.tx_power_w, cfg.power.amplifier_efficiency).sum()
        metrics = {
            "positions_m": snap.positions_m, "speed_mps": snap.speed_mps,
            "sinr_aqnm_db": lin_to_db(sinr_model), "sinr_measured_db": lin_to_db(sinr_meas),
            "rate_aqnm_bps_hz": rate_model, "rate_measured_bps_hz": rate_meas,
            "tx_power_w": tx_meas, "tx_power_aqnm_w": pred.tx_power_w,
            "amplifier_power_w": np.float64(amp_meas), "circuit_power_w": np.float64(circuit),
            "total_power_w": np.float64(amp_meas + circuit),
            "ee_bits_per_j_hz": np.float64(rate_meas.sum() / (amp_meas + circuit)),     # eq. (18)
            "ee_aqnm_bits_per_j_hz": np.float64(rate_model.sum() / (amp_model + circuit)),
            "dac_clip_rate": dac.clip_rate.reshape(-1), "adc_clip_rate": adc.clip_rate,
            "dac_gain": mean_gain(dac.scale, x.shape[:-1]),
            "adc_gain": mean_gain(adc.scale, y.shape[:-1]),
            "decoding_order": pred.order.astype(np.int64),
            "precoders": action.precoders.astype(np.complex128),
            "detector": action.detector.astype(np.complex128),
        }
        # The detector and decoding order are per-slot datasets; the SIC model `cross` is kept
        # with the waveforms, as the back end needs it to re-decode them.
        waveforms = {"symbols": s, "cross": pred.cross}
        if dac.codes is not None:
            waveforms |= {"dac_codes": dac.codes, "dac_scale": dac.scale}
        if adc.codes is not None:
            waveforms |= {"adc_codes": adc.codes, "adc_scale": adc.scale}
        return SlotResult(metrics, waveforms)

