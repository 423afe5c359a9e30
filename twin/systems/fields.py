"""Units of every recorded quantity (trace datasets take their ``unit`` attribute from here)."""

from __future__ import annotations

UNITS: dict[str, str] = {
    "time_s": "s", "positions_m": "m", "speed_mps": "m/s",
    "sinr_aqnm_db": "dB", "sinr_measured_db": "dB",
    "rate_aqnm_bps_hz": "bit/s/Hz", "rate_measured_bps_hz": "bit/s/Hz",
    "tx_power_w": "W", "tx_power_aqnm_w": "W", "amplifier_power_w": "W",
    "circuit_power_w": "W", "total_power_w": "W",
    "ee_bits_per_j_hz": "bit/J/Hz", "ee_aqnm_bits_per_j_hz": "bit/J/Hz",
    "dac_clip_rate": "1", "adc_clip_rate": "1", "dac_gain": "V", "adc_gain": "V",
    "decoding_order": "index", "precoders": "W^0.5", "detector": "1", "precoder": "1",
    "combiner": "1", "symbols": "1", "symbols_dl": "1", "symbols_ul": "1", "cross": "1",
    "g_si": "1", "dac_codes": "code", "adc_codes": "code", "dac_scale": "V", "adc_scale": "V",
    "iterations": "1", "controller_iterations": "1",
}


def unit_of(name: str) -> str:
    """The unit of a recorded quantity; unknown names are a programming error."""
    try:
        return UNITS[name]
    except KeyError:
        raise KeyError(f"no unit declared for recorded quantity {name!r} "
                       f"(add it to twin/systems/fields.py)") from None
