"""Self-interference cancellation of the full-duplex AP.

Analog SIC: the world's ``G_SI`` is already the residual channel after analog cancellation
(entries ``CN(0, kappa_a)``, seed 004 eq. (4)), so the analog canceller is carried by that
channel model rather than by a subtraction here. Digital SIC (seed 004 eq. (9)) subtracts the
known transmitted signal through the Bussgang-scaled SI channel, leaving ``sqrt(kappa_d)`` of it.
"""

from __future__ import annotations

import numpy as np


def digital_sic(r_q: np.ndarray, x_dq: np.ndarray, g_si: np.ndarray, alpha_adc: np.ndarray,
                kappa_d: float) -> np.ndarray:
    """Remove all but ``sqrt(kappa_d)`` of the SI from the ADC output (seed 004 eq. (9)).

    Parameters
    ----------
    r_q : [N_r, T] complex, ADC output
    x_dq : [N_t, T] complex, DAC output (known to the AP in digital form)
    g_si : [N_r, N_t] complex, residual SI channel after analog SIC
    alpha_adc : [N_r] float, the ADCs' Bussgang gains
    kappa_d : float, digital SIC residual (linear)
    """
    return r_q - (1.0 - np.sqrt(kappa_d)) * (alpha_adc[:, None] * (g_si @ x_dq))
