"""GENERATE side: where users are, how they move, and the channels that follow from it.

:class:`NomaWorld` and :class:`FullDuplexWorld` are advanced by the engine one slot at a time and
return a snapshot (:class:`NomaSnapshot`, :class:`FullDuplexSnapshot`); the pieces they are built
from (path loss, placement, one-ring covariance, mobility, Gauss-Markov fading) are usable alone.
"""

from twin.world.fading import (
    GaussMarkovFading,
    doppler_hz,
    fading_correlation,
    jakes_correlation,
)
from twin.world.geometry import (
    covariance_sqrt,
    full_duplex_group_centres,
    one_ring_covariance,
    place_in_disk,
)
from twin.world.mobility import Mobility
from twin.world.pathloss import (
    CI_REFERENCE_M,
    SPEED_OF_LIGHT_MPS,
    draw_shadowing_db,
    pathloss_ci_db,
    pathloss_gain_lin,
    pathloss_noma_db,
)
from twin.world.snapshot import FullDuplexSnapshot, NomaSnapshot
from twin.world.world import FullDuplexWorld, NomaWorld

__all__ = [
    "CI_REFERENCE_M", "SPEED_OF_LIGHT_MPS", "FullDuplexSnapshot", "FullDuplexWorld",
    "GaussMarkovFading", "Mobility", "NomaSnapshot", "NomaWorld",
    "covariance_sqrt", "doppler_hz", "draw_shadowing_db", "fading_correlation",
    "full_duplex_group_centres", "jakes_correlation", "one_ring_covariance", "pathloss_ci_db",
    "pathloss_gain_lin", "pathloss_noma_db", "place_in_disk",
]
