"""DAC and ADC stage: a bank of converters, bit-true (AGC + quantizer) or its AQNM twin.

One block serves both ends of the link; which converter it is, is a config value. With one
resolution per antenna the antennas are grouped by resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.config import ConverterConfig, Scenario
from twin.quant import AutomaticGainControl, Converter, make_quantizer
from twin.quant.aqnm import aqnm_alpha, aqnm_quantize
from twin.quant.base import code_dtype


@dataclass(frozen=True, slots=True)
class StageOutput:
    """Converter bank output for one slot.

    Attributes
    ----------
    values : [..., antennas, samples] complex128
    codes : [..., antennas, samples, 2] int8/int16, or None for the AQNM twin
    scale : [..., antennas, num_blocks] float64 (volts per quantizer unit), or None
    clip_rate : [..., antennas] float64, fraction of rails clipped (0 for the AQNM twin)
    """

    values: np.ndarray
    codes: np.ndarray | None
    scale: np.ndarray | None
    clip_rate: np.ndarray


def bits_per_antenna(cfg: ConverterConfig, num_antennas: int) -> np.ndarray:
    """The resolution of each antenna's converter pair, ``[num_antennas]`` int."""
    if isinstance(cfg.bits, int):
        return np.full(num_antennas, cfg.bits)
    if len(cfg.bits) != num_antennas:
        raise ValueError(f"{len(cfg.bits)} converter resolutions given for {num_antennas} "
                         f"antennas")
    return np.array(cfg.bits)


def converter_alphas(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """The AQNM gains of the scenario's DACs and ADCs, one per antenna (seed 000 eqs. (3), (8);
    seed 004 Table I): ``[N_k]`` and ``[M]`` for the NOMA uplink, ``[N_t]`` and ``[N_r]`` for
    full duplex."""
    if scenario.system == "noma_uplink":
        num_tx, num_rx = scenario.noma_uplink.num_user_ant, scenario.noma_uplink.num_bs_ant
    else:
        num_tx, num_rx = scenario.full_duplex.num_tx_ant, scenario.full_duplex.num_rx_ant
    return (aqnm_alpha(bits_per_antenna(scenario.dac, num_tx)),
            aqnm_alpha(bits_per_antenna(scenario.adc, num_rx)))


def _per_antenna(clip_rate: np.ndarray) -> np.ndarray:
    """Mean over gain blocks ``[..., antennas, blocks] -> [..., antennas]`` (one block: itself,
    without numpy's ~5 us reduction)."""
    return clip_rate[..., 0] if clip_rate.shape[-1] == 1 else clip_rate.mean(axis=-1)


@dataclass(frozen=True, slots=True)
class ConverterStage:
    """A bank of DACs or ADCs, one I/Q pair per antenna (seed 000 eqs. (2), (7))."""

    cfg: ConverterConfig
    bits: np.ndarray  # [antennas]
    alpha: np.ndarray  # [antennas], the AQNM's Bussgang gains (seed 000 eq. (3))
    converters: dict[int, Converter]  # one per distinct resolution

    @classmethod
    def build(cls, cfg: ConverterConfig, num_antennas: int) -> ConverterStage:
        bits = bits_per_antenna(cfg, num_antennas)
        agc = AutomaticGainControl(cfg.agc.mode, cfg.agc.backoff_db, cfg.agc.block_samples)
        converters = {int(b): Converter(make_quantizer(cfg.quantizer, int(b), cfg.mode), agc)
                      for b in np.unique(bits)}
        return cls(cfg, bits, aqnm_alpha(bits), converters)

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> StageOutput:
        """Convert ``x`` ``[..., antennas, samples]``; ``rng`` feeds the AQNM twin only."""
        if self.cfg.model == "aqnm":
            y = aqnm_quantize(x, self.bits, rng)
            return StageOutput(y, None, None, np.zeros(x.shape[:-1]))
        convs = self.converters
        if len(convs) == 1:
            out = next(iter(convs.values()))(x)
            return StageOutput(out.values, out.codes, out.scale, _per_antenna(out.clip_rate))
        values = np.empty_like(x)
        codes = np.empty((*x.shape, 2), dtype=code_dtype(int(self.bits.max())))
        scale = clip = None
        for b, conv in convs.items():
            sel = self.bits == b
            out = conv(x[..., sel, :])
            values[..., sel, :] = out.values
            codes[..., sel, :, :] = out.codes
            if scale is None:
                scale = np.empty((*x.shape[:-1], out.scale.shape[-1]))
                clip = np.empty(x.shape[:-1])
            scale[..., sel, :] = out.scale
            clip[..., sel] = _per_antenna(out.clip_rate)
        return StageOutput(values, codes, scale, clip)

    def decode(self, codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """Volts from recorded codes and scales (the replay's re-decoding)."""
        convs = self.converters
        if len(convs) == 1:
            return next(iter(convs.values())).decode(codes, scale)
        out = np.empty(codes.shape[:-1], dtype=np.complex128)
        for b, conv in convs.items():
            sel = self.bits == b
            out[..., sel, :] = conv.decode(codes[..., sel, :, :], scale[..., sel, :])
        return out
