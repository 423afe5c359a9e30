"""Power consumption models of both papers.

Seed 000 eqs. (14)-(17) with Table II; its eq. (16) prints ``1.5e-5 * 2b``, which is ``2^b``
(with 2^b, 10 users x 4 antennas draw 6.7 W of circuit power at 7 bits and 15 W at 12 bits, as
its Sec. V-C says; the linear reading does not). Seed 004 eqs. (67)-(72).
"""

from __future__ import annotations

import numpy as np

from twin.config import FullDuplexPowerConfig, NomaPowerConfig


def dac_power_w(bits: np.ndarray, sampling_hz: float) -> np.ndarray:
    """``P_DAC = 1.5e-5 2^b + 9e-12 b F_s`` (seed 000 eq. (16) with 2^b; seed 004 eq. (68))."""
    b = np.asarray(bits, dtype=float)
    return 1.5e-5 * 2.0**b + 9e-12 * b * sampling_hz


def adc_power_w(bits: np.ndarray, sampling_hz: float, energy_j: float) -> np.ndarray:
    """``P_ADC = c_e f_r 2^b`` (seed 004 eq. (69))."""
    return energy_j * sampling_hz * 2.0 ** np.asarray(bits, dtype=float)


def noma_circuit_power_w(dac_bits: np.ndarray, cfg: NomaPowerConfig) -> np.ndarray:
    """Analog circuit power per user, ``P_k^AC`` (seed 000 eqs. (15)-(17)).

    dac_bits : [K, N_k] int -> [K] W
    """
    rf_w = 2.0 * (cfg.lowpass_w + cfg.mixer_w) + cfg.hybrid_w  # eq. (17)
    per_antenna = 2.0 * dac_power_w(dac_bits, cfg.sampling_hz) + rf_w
    return cfg.lo_w + per_antenna.sum(axis=-1)


def amplifier_power_w(tx_power_w: np.ndarray | float, efficiency: float) -> np.ndarray:
    """Power amplifier draw ``P^T / eta``: seed 000 eq. (14), and seed 004's
    ``kappa_PA^-1 P_TX`` (67) and ``P_PA^UE`` (72).

    NOTE: seed 004 eq. (67) writes ``N_t kappa_PA^-1 P_TX`` with ``P_TX = P_D``; we read P_TX as
    the per-antenna share ``P_D / N_t``, so the AP's amplifiers draw ``P_D / kappa_PA`` in all,
    as in seed 000 eq. (14).
    """
    return np.asarray(tx_power_w) / efficiency


def full_duplex_ap_circuit_power_w(num_tx: int, num_rx: int, dac_bits: np.ndarray,
                                   adc_bits: np.ndarray, cfg: FullDuplexPowerConfig) -> float:
    """AP transmit- and receive-side circuit power (seed 004 eq. (67), amplifiers excluded)."""
    rf_tx = num_tx * (2 * cfg.lowpass_w + 2 * cfg.mixer_w + cfg.hybrid_w)
    rf_rx = num_rx * (2 * cfg.lowpass_w + 2 * cfg.mixer_w + cfg.hybrid_w + cfg.lna_w)
    conv_tx = 2.0 * np.sum(cfg.agc_w + dac_power_w(dac_bits, cfg.dac_sampling_hz))
    conv_rx = 2.0 * np.sum(cfg.agc_w + adc_power_w(adc_bits, cfg.adc_sampling_hz,
                                                    cfg.adc_energy_j))
    return float(2 * cfg.lo_w + rf_tx + rf_rx + conv_tx + conv_rx + 2 * cfg.baseband_w)


def full_duplex_user_circuit_power_w(num_dl: int, num_ul: int,
                                     cfg: FullDuplexPowerConfig) -> float:
    """Users' circuit power (seed 004 eqs. (70)-(72), the UL users' PA excluded)."""
    common = (cfg.lo_w + 2 * cfg.lowpass_w + 2 * cfg.mixer_w + cfg.hybrid_w + 2 * cfg.agc_w
              + cfg.baseband_w)
    return float(num_dl * (common + cfg.lna_w) + num_ul * common)
