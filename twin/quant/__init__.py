"""Converter math: bit-true quantizers, the AGC, and the AQNM they are checked against."""

from twin.quant.agc import AutomaticGainControl
from twin.quant.aqnm import aqnm_alpha, aqnm_beta, aqnm_noise_covariance, aqnm_quantize
from twin.quant.base import Quantized, Quantizer
from twin.quant.converter import Conversion, Converter
from twin.quant.lloyd_max import LloydMaxQuantizer, lloyd_max_table
from twin.quant.uniform import UniformQuantizer, optimal_full_scale


def make_quantizer(kind: str, num_bits: int, mode: str = "mid_riser") -> Quantizer:
    """Quantizer by name: ``"uniform"`` (with ``mode``) or ``"lloyd_max"``."""
    if kind == "uniform":
        return UniformQuantizer(num_bits, mode=mode)
    if kind == "lloyd_max":
        return LloydMaxQuantizer(num_bits)
    raise ValueError(f"quantizer kind must be 'uniform' or 'lloyd_max', got {kind!r}")


__all__ = [
    "AutomaticGainControl", "Conversion", "Converter", "LloydMaxQuantizer", "Quantized",
    "Quantizer", "UniformQuantizer", "aqnm_alpha", "aqnm_beta", "aqnm_noise_covariance",
    "aqnm_quantize", "lloyd_max_table", "make_quantizer", "optimal_full_scale",
]
