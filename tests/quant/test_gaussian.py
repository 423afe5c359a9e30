"""Closed-form Gaussian quantizer statistics against direct numerical integration."""

import numpy as np
import pytest
from scipy import integrate, stats

from twin.quant import LloydMaxQuantizer, UniformQuantizer
from twin.quant.gaussian import gaussian_bussgang_gain, gaussian_mse


def _quad_stats(q):
    """beta and alpha by adaptive quadrature cell by cell, independent of the closed forms."""
    edges = np.concatenate(([-np.inf], q.thresholds, [np.inf]))
    mse = alpha = 0.0
    for a, b, y in zip(edges[:-1], edges[1:], q.levels, strict=True):
        mse += integrate.quad(lambda x, y=y: (x - y) ** 2 * stats.norm.pdf(x), a, b,
                              epsabs=1e-14, epsrel=1e-12)[0]
        alpha += integrate.quad(lambda x, y=y: x * y * stats.norm.pdf(x), a, b,
                                epsabs=1e-14, epsrel=1e-12)[0]
    return mse, alpha


@pytest.mark.parametrize("q", [UniformQuantizer(1), UniformQuantizer(3),
                               UniformQuantizer(4, 2.0, "mid_tread"), LloydMaxQuantizer(2),
                               LloydMaxQuantizer(5)], ids=repr)
def test_closed_form_matches_quadrature(q):
    mse, alpha = _quad_stats(q)
    # quad's requested accuracy is 1e-12 relative per cell; 1e-9 leaves room for 32 cells.
    assert gaussian_mse(q.thresholds, q.levels) == pytest.approx(mse, rel=1e-9)
    assert gaussian_bussgang_gain(q.thresholds, q.levels) == pytest.approx(alpha, rel=1e-9)


def test_one_bit_sign_quantizer_textbook_values():
    # Levels +-sqrt(2/pi): beta = 1 - 2/pi and alpha = 2/pi exactly (Bussgang 1952).
    c = np.sqrt(2 / np.pi)
    assert gaussian_mse([0.0], [-c, c]) == pytest.approx(1 - 2 / np.pi, rel=1e-14)
    assert gaussian_bussgang_gain([0.0], [-c, c]) == pytest.approx(2 / np.pi, rel=1e-14)
