"""Time-correlated small-scale fading: a first-order Gauss-Markov (AR(1)) process.

Both papers draw their small-scale fading i.i.d. ``CN(0, 1)`` (seed 000 eq. (44): ``Hhat_k``;
seed 004 eqs. (5), (13): ``w`` in ``h~ = C^{1/2} w``) and never evolve it in time. The twin keeps
every slot's marginal exactly that ``CN(0, 1)`` and correlates consecutive slots with

    h[t+1] = rho h[t] + sqrt(1 - rho^2) w[t],    w[t] ~ CN(0, 1) i.i.d.,

started from the stationary distribution. The mode (``ChannelConfig.fading``) sets ``rho``:

- ``"jakes"``: ``rho = J0(2 pi f_D slot_s)`` (Clarke/Jakes), ``f_D = v f_c / c`` with the user's
  current speed, re-evaluated every slot as the speed changes.
- ``"iid"``: ``rho = 0``, a fresh draw every slot (the papers' setting).
- ``"static"``: ``rho = 1``, one draw per run.

Honest limitation: an AR(1) has autocorrelation ``rho^k`` at lag ``k``. With ``rho = J0(x)`` it
matches the Jakes autocorrelation ``J0(k x)`` exactly at lag 1 only; at larger lags it decays
geometrically instead of oscillating like ``J0`` (e.g. ``x = 0.5``: lag 5 gives 0.73 against
``J0(2.5) = -0.05``). It is a faithful one-step model, not a Doppler spectrum.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import j0

from twin.rng import complex_normal
from twin.world.pathloss import SPEED_OF_LIGHT_MPS

FadingMode = Literal["jakes", "iid", "static"]
FADING_MODES: tuple[str, ...] = ("jakes", "iid", "static")


def doppler_hz(speed_mps: ArrayLike, carrier_hz: float) -> np.ndarray:
    """Maximum Doppler shift ``f_D = v f_c / c`` (Hz), shape of ``speed_mps``."""
    return np.asarray(speed_mps, dtype=float) * carrier_hz / SPEED_OF_LIGHT_MPS


def jakes_correlation(speed_mps: ArrayLike, carrier_hz: float, lag_s: float) -> np.ndarray:
    """Clarke/Jakes autocorrelation of a fading tap: ``J0(2 pi f_D tau)``.

    Parameters
    ----------
    speed_mps : [...], float
        User speed (m/s).
    carrier_hz : float
        Carrier frequency (Hz).
    lag_s : float
        Time lag ``tau`` (s), typically one slot.

    Returns
    -------
    rho : [...], float
        In ``[-0.403, 1]``; 1 for a user at rest.
    """
    return j0(2.0 * np.pi * doppler_hz(speed_mps, carrier_hz) * lag_s)


def fading_correlation(mode: str, speed_mps: ArrayLike, carrier_hz: float,
                       slot_s: float) -> np.ndarray:
    """One-slot correlation ``rho`` per user for a fading mode.

    Parameters
    ----------
    mode : {"jakes", "iid", "static"}
    speed_mps : [U], float
        Current speeds (m/s); used by ``"jakes"`` only.
    carrier_hz, slot_s : float
        Carrier (Hz) and slot duration (s).

    Returns
    -------
    rho : [U], float
    """
    speed = np.asarray(speed_mps, dtype=float)
    if mode == "jakes":
        return jakes_correlation(speed, carrier_hz, slot_s)
    if mode == "iid":
        return np.zeros(speed.shape)
    if mode == "static":
        return np.ones(speed.shape)
    raise ValueError(f"fading mode must be one of {', '.join(FADING_MODES)}, got {mode!r}")


class GaussMarkovFading:
    """Unit-variance ``CN(0, 1)`` arrays evolving as an AR(1) over slots.

    ``h[t+1] = rho h[t] + sqrt(1 - rho^2) w[t]``. The first sample is drawn from the stationary
    ``CN(0, 1)``, so every slot is exactly ``CN(0, 1)`` and the autocorrelation at lag ``k`` is
    ``rho^k`` for a constant ``rho``. See the module docstring for how this relates to Jakes.

    ``rho`` aligns with the LEADING axes of ``shape`` (not numpy's trailing alignment): a scalar
    for every entry, ``[shape[0]]`` for one value per user or link, ``shape[:2]`` for one per
    pair of leading indices, and so on.

    Parameters
    ----------
    shape : tuple of int
        Shape of one sample, e.g. ``(num_users, num_bs_ant, num_user_ant)``.
    rho : float or array
        Default one-slot correlation, in ``[-1, 1]``.
    rng : numpy.random.Generator
        Owned by this process from now on.
    """

    def __init__(self, shape: tuple[int, ...], rho: ArrayLike,
                 rng: np.random.Generator) -> None:
        self._shape = tuple(int(n) for n in shape)
        self._rng = rng
        self._rho = self._align(rho)
        self._h = complex_normal(rng, self._shape)

    def _align(self, rho: ArrayLike) -> np.ndarray:
        r = np.asarray(rho, dtype=float)
        lead = self._shape[: r.ndim]
        if r.ndim > len(self._shape) or any(a not in (1, b) for a, b in zip(r.shape, lead,
                                                                              strict=True)):
            raise ValueError(f"rho of shape {r.shape} does not match the leading axes of the "
                             f"fading shape {self._shape}")
        if not np.all(np.abs(r) <= 1.0):
            raise ValueError(f"rho must lie in [-1, 1], got {r.min()!r} to {r.max()!r}")
        return r.reshape(r.shape + (1,) * (len(self._shape) - r.ndim))

    @property
    def shape(self) -> tuple[int, ...]:
        return self._shape

    @property
    def value(self) -> np.ndarray:
        """The current sample ``h[t]``: ``shape``, complex128, a copy."""
        return self._h.copy()

    def step(self, rho: ArrayLike | None = None) -> np.ndarray:
        """Advance one slot and return ``h[t+1]`` (a copy).

        Parameters
        ----------
        rho : float or array, optional
            This slot's correlation (e.g. from the users' current Doppler); ``None`` uses the
            constructor's.
        """
        r = self._rho if rho is None else self._align(rho)
        # rho = 1 everywhere leaves h exactly as it is; skip the draw.
        if not np.all(r == 1.0):
            w = complex_normal(self._rng, self._shape)
            self._h = r * self._h + np.sqrt(1.0 - r**2) * w
        return self._h.copy()
