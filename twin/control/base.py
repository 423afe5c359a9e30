"""The controller interface: what a controller sees and what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True, slots=True)
class NomaAction:
    """Seed 000's action (42), in physical units.

    Attributes
    ----------
    precoders : [K, N_k] complex, ``P_k`` (W^1/2: ``sum_n alpha_n |P_kn|^2`` is user k's power)
    detector : [K, M] complex, row ``w_k`` detects user k (unit norm, (19c))
    """

    precoders: np.ndarray
    detector: np.ndarray


@dataclass(frozen=True, slots=True)
class FullDuplexAction:
    """Seed 004's action: DL precoder ``W`` (||W||_F = 1) and UL combiner ``F``.

    Attributes
    ----------
    precoder : [N_t, K_D] complex
    combiner : [N_r, K_U] complex, column ``f_k`` combines UL user k
    """

    precoder: np.ndarray
    combiner: np.ndarray


@dataclass(frozen=True, slots=True)
class Observation:
    """What a controller sees at a slot start.

    Attributes
    ----------
    slot : int
    snapshot : the world snapshot it has CSI for (``csi_delay_slots`` old)
    last_metrics : dict of the previous slot's recorded metrics, or None at slot 0
    """

    slot: int
    snapshot: Any
    last_metrics: dict[str, np.ndarray] | None


class Controller(Protocol):
    """Acts once per slot."""

    def act(self, observation: Observation) -> NomaAction | FullDuplexAction: ...
