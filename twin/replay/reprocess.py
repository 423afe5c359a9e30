"""Re-run the digital back end on recorded converter codes, as on a hardware bench.

Only the trace is used: the scenario text recorded in it rebuilds the converters (to turn codes
back into volts), and the waveforms group holds the ADC (and DAC) codes with their AGC scales,
the known symbols (the bench's pilots), and the detector the controller chose. ``combiner``
selects the back end:

- ``"recorded"``: the recorded detector/combiner and SIC model, which reproduces the measured
  rates of the run;
- ``"mrc"`` / ``"mmse"``: detectors estimated from the capture itself: the effective channel by
  least squares on the known symbols, ``G = Y S^H (S S^H)^-1``, then maximum-ratio or
  sample-covariance MMSE rows. No CSI from the simulator is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.chain.combiner import detect
from twin.chain.measure import projection_gain, rate_bps_hz
from twin.chain.sic import digital_sic
from twin.config import parse_scenario

COMBINERS = ("recorded", "mrc", "mmse")


@dataclass(frozen=True, slots=True)
class Reprocessed:
    """slots [S]; rate_recorded / rate_reprocessed [S, U_measured] (bit/s/Hz); user_index [U]."""

    slots: np.ndarray
    rate_recorded: np.ndarray
    rate_reprocessed: np.ndarray
    user_index: np.ndarray


def estimate_detector(y: np.ndarray, s: np.ndarray, kind: str) -> np.ndarray:
    """Detector rows from a capture: LS channel estimate, then MRC or MMSE (unit-norm rows).

    y : [M, T] received (decoded ADC output); s : [K, T] known symbols -> [K, M]
    """
    g = y @ s.conj().T @ np.linalg.inv(s @ s.conj().T)                # [M, K]
    if kind == "mrc":
        w = g.conj().T
    else:
        r = y @ y.conj().T / y.shape[1]
        w = np.linalg.solve(r, g).conj().T
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def trace_system(reader):
    """The system a trace was recorded with, rebuilt from the scenario text it carries."""
    from twin.engine import build_system  # the engine imports the systems; keep replay light

    return build_system(parse_scenario(reader.scenario_toml, f"{reader.path} scenario"))


def reprocess(reader, combiner: str = "recorded") -> Reprocessed:
    """Measured rates recomputed from the recorded codes of every recorded slot."""
    if combiner not in COMBINERS:
        raise ValueError(f"--combiner must be one of {', '.join(COMBINERS)}, got {combiner!r}")
    system = trace_system(reader)
    scenario = system.scenario
    wf = reader.waveforms()
    if "adc_codes" not in wf or len(wf.get("slot", [])) == 0:
        raise ValueError("the trace holds no ADC codes: it was recorded with the AQNM twin or "
                         "with [trace] waveform_every = 0")
    slots = np.asarray(wf["slot"])
    rows = np.searchsorted(reader.slots("slot"), slots)
    per_slot = {name: reader.slots(name)[rows] for name in reader.slot_fields
                if name in ("detector", "decoding_order", "combiner", "rate_measured_bps_hz")}
    links = list(reader.attrs["user_links"])
    users = np.array([i for i, link in enumerate(links) if link == "ul"])
    out = []
    prelog = 1.0
    if scenario.system == "noma_uplink" and scenario.noma_uplink.access == "qoma":
        if combiner != "recorded":
            raise ValueError("--combiner mrc/mmse is for single-carrier traces; this one is FDMA")
        prelog = 1.0 / scenario.noma_uplink.num_users
    for i in range(slots.size):
        y_q = system.adc.decode(wf["adc_codes"][i], wf["adc_scale"][i])
        if scenario.system == "noma_uplink":
            s = wf["symbols"][i]
            if combiner == "recorded":
                sinr = system.back_end(y_q, s, per_slot["detector"][i], wf["cross"][i],
                                       per_slot["decoding_order"][i])
            else:
                w = estimate_detector(y_q, s, combiner)
                sinr = system.back_end(y_q, s, w, None, None, access="qwoma")
        else:
            x_dq = system.dac.decode(wf["dac_codes"][i], wf["dac_scale"][i])
            f = per_slot["combiner"][i]
            if combiner != "recorded":
                # Estimate on what the combiner sees: the ADC output after digital SIC.
                r = digital_sic(y_q, x_dq, wf["g_si"][i], system.adc.alpha,
                                scenario.full_duplex.kappa_d_lin)
                f = estimate_detector(r, wf["symbols_ul"][i], combiner).conj().T
            sinr = system.uplink_back_end(y_q, x_dq, wf["g_si"][i], f, wf["symbols_ul"][i])
        out.append(prelog * rate_bps_hz(sinr))
    return Reprocessed(slots, per_slot["rate_measured_bps_hz"][:, users], np.array(out), users)


def constellation(reader) -> np.ndarray | None:
    """Detector outputs of the first recorded slot, rebuilt from its ADC codes and scaled by
    their projection gain onto the known symbols; ``None`` when no codes were recorded.

    For the uplink NOMA system these are the detector outputs before SIC; for full duplex the
    UL combiner outputs before digital SIC.
    """
    wf = reader.waveforms()
    if "adc_codes" not in wf or len(wf.get("slot", [])) == 0:
        return None
    system = trace_system(reader)
    y_q = system.adc.decode(wf["adc_codes"][0], wf["adc_scale"][0])
    row = int(np.searchsorted(reader.slots("slot"), wf["slot"][0]))
    if system.scenario.system == "noma_uplink":
        rows, s = reader.slots("detector")[row], wf["symbols"][0]
    else:
        rows, s = reader.slots("combiner")[row].conj().T, wf["symbols_ul"][0]
    z = detect(rows, y_q)
    return (z / projection_gain(z, s)[:, None]).reshape(-1)
