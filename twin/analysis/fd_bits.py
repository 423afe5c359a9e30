"""How many ADC bits does a full-duplex AP need? Seed 004 Sec. III, analytic and bit-true.

The FD SISO setting of Sec. III: one transmit and one receive antenna, one UL user, ideal DACs.
The ADC sees the UL signal ``P_U rho_U``, the residual analog SI ``P_D kappa_a`` and noise.

Analytic (with ``beta = (pi sqrt3 / 2) 2^(-2b)`` at every b, as the paper assumes there):
eq. (15) ADC quantization noise, (16) residual received power, (17) noise floor, (18) their gap,
Proposition 1's bound (19) and its approximation (23), the dynamic range (24) and Proposition 2's
bound (28).

Bit-true: the same signal through a real ADC (AGC + quantizer) at each resolution; the measured
quantization noise floor is ``E|Q(r) - alpha_hat r|^2`` (+ ``alpha_hat^2 sigma^2``, eq. (17)),
and the UL signal "rises above" it when ``P_U rho_U`` exceeds it (eq. (20)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.quant import AutomaticGainControl, Converter, make_quantizer
from twin.rng import complex_normal
from twin.units import db_to_lin, dbm_to_w, lin_to_db, w_to_dbm

PANTER_DITE = np.pi * np.sqrt(3.0) / 2.0


@dataclass(frozen=True, slots=True)
class FDSetting:
    """The powers of Sec. III's example, linear (W)."""

    p_dl_w: float
    p_ul_w: float
    kappa_a_lin: float
    rho_ul_lin: float
    noise_w: float = 0.0

    @classmethod
    def from_db(cls, p_dl_dbm: float, p_ul_dbm: float, kappa_a_db: float, rho_ul_db: float,
                noise_dbm: float | None = None) -> FDSetting:
        return cls(float(dbm_to_w(p_dl_dbm)), float(dbm_to_w(p_ul_dbm)),
                   float(db_to_lin(kappa_a_db)), float(db_to_lin(rho_ul_db)),
                   0.0 if noise_dbm is None else float(dbm_to_w(noise_dbm)))

    @property
    def ul_rx_w(self) -> float:
        """``P_UL^Rx = P_U rho_U``."""
        return self.p_ul_w * self.rho_ul_lin

    @property
    def si_rx_w(self) -> float:
        """Residual analog SI power ``P_D kappa_a``."""
        return self.p_dl_w * self.kappa_a_lin

    @property
    def total_rx_w(self) -> float:
        """``P_total^Rx = P_U rho_U + P_D kappa_a``."""
        return self.ul_rx_w + self.si_rx_w


def high_resolution_alpha(bits: np.ndarray) -> np.ndarray:
    """``alpha = 1 - (pi sqrt3 / 2) 2^(-2b)``, used for every b in Sec. III."""
    return 1.0 - PANTER_DITE * np.power(2.0, -2.0 * np.asarray(bits, dtype=float))


def adc_noise_w(s: FDSetting, bits: np.ndarray) -> np.ndarray:
    """``eta_ADC = alpha (1 - alpha) (P_U rho_U + P_D kappa_a + sigma^2)`` (seed 004 eq. (15))."""
    a = high_resolution_alpha(bits)
    return a * (1 - a) * (s.total_rx_w + s.noise_w)


def noise_floor_w(s: FDSetting, bits: np.ndarray) -> np.ndarray:
    """``sigma_NF^2 = eta_ADC + sigma^2 alpha^2`` (seed 004 eq. (17))."""
    return adc_noise_w(s, bits) + s.noise_w * high_resolution_alpha(bits) ** 2


def received_gap_db(s: FDSetting, bits: np.ndarray) -> np.ndarray:
    """``Delta_q^ac = 10 log10 sigma_Res^2 - 10 log10 sigma_NF^2`` (seed 004 eqs. (16), (18))."""
    return lin_to_db(s.total_rx_w + s.noise_w) - lin_to_db(noise_floor_w(s, bits))


def dynamic_range_db(bits: np.ndarray) -> np.ndarray:
    """``DR(b) = 20 log10(sqrt(3/2) 2^b)`` (seed 004 eq. (24))."""
    return 20.0 * np.log10(np.sqrt(1.5) * np.power(2.0, np.asarray(bits, dtype=float)))


def min_adc_bits(s: FDSetting) -> float:
    """Proposition 1's bound (seed 004 eq. (19)); needs ``P_total >= 4 P_UL``."""
    p_t, p_u = s.total_rx_w, s.ul_rx_w
    if p_t < 4 * p_u:
        raise ValueError("Proposition 1 needs P_D kappa_a >= 3 P_U rho_U (residual SI at least "
                         f"3x the UL signal); here it is {s.si_rx_w / p_u:.3g}x")
    inner = (np.pi / 2) * np.sqrt(3 * p_t / (4 * p_u**2)) * (np.sqrt(p_t) + np.sqrt(p_t - 4 * p_u))
    return float(0.5 * np.log2(inner))


def min_adc_bits_approx(s: FDSetting) -> float:
    """``1/2 log2(P_total / P_UL) + 1/2 log2(pi sqrt3 / 2)`` (seed 004 eq. (23))."""
    return float(0.5 * np.log2(s.total_rx_w / s.ul_rx_w) + 0.5 * np.log2(PANTER_DITE))


def dynamic_range_bound_bits() -> float:
    """Proposition 2: ``DR(b) > Delta_q^ac`` for ``b > log2(3 pi) - log2(3 pi sqrt3 - 4)/2 - 1/2``
    (seed 004 eq. (28)), about 0.9247."""
    return float(np.log2(3 * np.pi) - 0.5 * np.log2(3 * np.pi * np.sqrt(3) - 4) - 0.5)


@dataclass(frozen=True, slots=True)
class MeasuredFloor:
    """Bit-true measurement at one resolution (powers in W)."""

    bits: int
    alpha: float
    adc_noise_w: float
    noise_floor_w: float
    clip_rate: float


def measure_noise_floor(s: FDSetting, bits: int, rng: np.random.Generator, *,
                        num_samples: int = 1 << 16, kind: str = "uniform") -> MeasuredFloor:
    """Put the SISO FD signal through a bit-true ADC and measure its noise floor (eq. (17))."""
    r = (np.sqrt(s.ul_rx_w) * complex_normal(rng, (1, num_samples))
         + np.sqrt(s.si_rx_w) * complex_normal(rng, (1, num_samples)))
    if s.noise_w:
        r = r + complex_normal(rng, r.shape, s.noise_w)
    out = Converter(make_quantizer(kind, bits), AutomaticGainControl())(r)
    power = float(np.mean(np.abs(r) ** 2))
    alpha = float(np.real(np.mean(np.conj(r) * out.values)) / power)
    eta = float(np.mean(np.abs(out.values - alpha * r) ** 2))
    return MeasuredFloor(bits, alpha, eta, eta + s.noise_w * alpha**2,
                         float(np.mean(out.clip_rate)))


def analyze(s: FDSetting, bits: list[int], rng: np.random.Generator, *,
            num_samples: int = 1 << 16, kind: str = "uniform") -> dict:
    """Everything ``twin analyze fd-bits`` reports, as plain data (powers in dBm, gaps in dB)."""
    b = np.asarray(bits)
    rows = []
    for bit, eta, gap, dr, floor in zip(bits, adc_noise_w(s, b), received_gap_db(s, b),
                                       dynamic_range_db(b), noise_floor_w(s, b), strict=True):
        m = measure_noise_floor(s, bit, rng, num_samples=num_samples, kind=kind)
        rows.append({
            "bits": bit, "eta_adc_dbm": float(w_to_dbm(eta)), "delta_q_db": float(gap),
            "dynamic_range_db": float(dr),
            "ul_margin_db": float(lin_to_db(s.ul_rx_w / floor)),
            "eta_adc_measured_dbm": float(w_to_dbm(m.adc_noise_w)),
            "ul_margin_measured_db": float(lin_to_db(s.ul_rx_w / m.noise_floor_w)),
            "clip_rate": m.clip_rate,
        })
    above = [r["bits"] for r in rows if r["ul_margin_measured_db"] > 0]
    return {
        "min_adc_bits": min_adc_bits(s),
        "min_adc_bits_approx": min_adc_bits_approx(s),
        "dynamic_range_bound_bits": dynamic_range_bound_bits(),
        "measured_min_adc_bits": min(above) if above else None,
        "quantizer": kind,
        "ul_rx_dbm": float(w_to_dbm(s.ul_rx_w)), "si_rx_dbm": float(w_to_dbm(s.si_rx_w)),
        "rows": rows,
    }
