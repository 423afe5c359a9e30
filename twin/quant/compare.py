"""The twin's first result: bit-true converters measured against the AQNM.

For each quantizer kind and resolution, a unit-power circularly-symmetric complex Gaussian
signal goes through the AGC and the quantizer, and we measure

    beta_hat  = E|x - Q(x)|^2 / E|x|^2      (normalized MSE; the AQNM's beta)
    alpha_hat = Re E[x* Q(x)] / E|x|^2      (Bussgang gain; the AQNM's alpha = 1 - beta)
    noise_hat = E|Q(x) - alpha_hat x|^2 / E|x|^2   (the AQNM's alpha beta, seed 000 eq. (4))

with Monte-Carlo standard errors (delta method for a ratio of means), beside the AQNM values
and the exact values of the same quantizer for a Gaussian input (:mod:`twin.quant.gaussian`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import numpy as np

from twin.quant import AutomaticGainControl, Converter, aqnm_alpha, aqnm_beta, make_quantizer
from twin.quant.gaussian import gaussian_bussgang_gain, gaussian_mse
from twin.rng import complex_normal

KINDS: tuple[str, ...] = ("uniform", "lloyd_max")


@dataclass(frozen=True, slots=True)
class QuantizerCheck:
    """Measured and modelled figures of one quantizer (one row of ``twin quantizers``)."""

    kind: str
    bits: int
    beta_measured: float
    beta_stderr: float
    alpha_measured: float
    alpha_stderr: float
    noise_measured: float
    beta_aqnm: float
    alpha_aqnm: float
    noise_aqnm: float
    beta_rel_error: float
    beta_exact: float
    alpha_exact: float
    clip_rate: float
    full_scale: float
    num_samples: int

    def as_dict(self) -> dict:
        return asdict(self)


def ratio_of_means(num: np.ndarray, den: np.ndarray) -> tuple[float, float]:
    """``sum(num) / sum(den)`` and its standard error (delta method, i.i.d. samples)."""
    ratio = float(np.sum(num) / np.sum(den))
    resid = num - ratio * den
    stderr = float(np.std(resid, ddof=1) / np.sqrt(resid.size) / np.mean(den))
    return ratio, stderr


def measure(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """beta, alpha, AQNM-noise estimates of converter output ``y`` for input ``x``."""
    x, y = x.reshape(-1).astype(np.complex128), y.reshape(-1).astype(np.complex128)
    power = np.abs(x) ** 2
    beta, beta_se = ratio_of_means(np.abs(x - y) ** 2, power)
    alpha, alpha_se = ratio_of_means(np.real(np.conj(x) * y), power)
    noise = float(np.sum(np.abs(y - alpha * x) ** 2) / np.sum(power))
    return {"beta_measured": beta, "beta_stderr": beta_se, "alpha_measured": alpha,
            "alpha_stderr": alpha_se, "noise_measured": noise}


def check_quantizer(kind: str, bits: int, x: np.ndarray, agc: AutomaticGainControl,
                    mode: str = "mid_riser") -> QuantizerCheck:
    """Run ``x`` through one converter and compare with the AQNM."""
    quantizer = make_quantizer(kind, bits, mode)
    out = Converter(quantizer, agc)(x)
    beta_aqnm = float(aqnm_beta(bits))
    alpha_aqnm = float(aqnm_alpha(bits))
    m = measure(x, out.values)
    return QuantizerCheck(
        kind=kind, bits=bits, **m, beta_aqnm=beta_aqnm, alpha_aqnm=alpha_aqnm,
        noise_aqnm=alpha_aqnm * beta_aqnm,
        beta_rel_error=(m["beta_measured"] - beta_aqnm) / beta_aqnm,
        beta_exact=gaussian_mse(quantizer.thresholds, quantizer.levels),
        alpha_exact=gaussian_bussgang_gain(quantizer.thresholds, quantizer.levels),
        clip_rate=float(np.mean(out.clip_rate)), full_scale=float(quantizer.full_scale),
        num_samples=int(x.size),
    )


def compare_quantizers(bits: Iterable[int], kinds: Iterable[str], num_samples: int,
                       rng: np.random.Generator, *, num_antennas: int = 8,
                       agc: AutomaticGainControl | None = None, mode: str = "mid_riser",
                       on_step: Callable[[str, int], None] | None = None,
                       ) -> list[QuantizerCheck]:
    """The comparison table: every kind at every resolution, on one Gaussian draw.

    ``num_samples`` complex samples are spread over ``num_antennas`` antennas, each with its own
    AGC gain, as in a receiver.
    """
    if num_samples < 2 * num_antennas:
        raise ValueError(f"num_samples must be at least {2 * num_antennas}, got {num_samples}")
    x = complex_normal(rng, (num_antennas, num_samples // num_antennas))   # unit power
    agc = agc or AutomaticGainControl()
    rows = []
    for kind in kinds:
        for b in bits:
            rows.append(check_quantizer(kind, b, x, agc, mode))
            if on_step is not None:
                on_step(kind, b)
    return rows


def summarize(rows: Iterable[QuantizerCheck]) -> list[str]:
    """What the table shows, in sentences computed from the rows."""
    rows = list(rows)
    lines = []
    lm = [r for r in rows if r.kind == "lloyd_max"]
    low = [r for r in lm if r.bits <= 5]
    if low:
        worst = max(low, key=lambda r: abs(r.beta_rel_error))
        lines.append(f"Lloyd-Max vs Table I (b <= 5): largest gap "
                     f"{100 * worst.beta_rel_error:+.2f} % "
                     f"at {worst.bits} bits; |alpha - (1 - beta)| <= "
                     f"{max(abs(r.alpha_measured - 1 + r.beta_measured) for r in low):.1e}")
    high = [r for r in lm if r.bits >= 6]
    if high:
        gaps = ", ".join(f"{r.bits}: {100 * r.beta_rel_error:+.1f} %" for r in high)
        lines.append(f"Lloyd-Max vs (pi sqrt3 / 2) 2^-2b (b >= 6), by bits: {gaps}")
    uni = [r for r in rows if r.kind == "uniform"]
    if uni:
        gaps = ", ".join(f"{r.bits}: {100 * r.beta_rel_error:+.1f} %" for r in uni)
        lines.append(f"MSE-optimal uniform vs AQNM, by bits: {gaps}")
    return lines
