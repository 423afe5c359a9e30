"""twin: a digital twin of quantized MIMO radio links.

Bit-true DACs and ADCs run beside the papers' additive quantization noise model (AQNM), so every
figure the model predicts can be checked against what real converters do.
"""

__version__ = "0.1.0"
