"""User mobility inside per-user disks: static, constant velocity, random waypoint.

The engine advances :class:`Mobility` once per slot with :meth:`Mobility.step`; every user stays
inside its own disk (the NOMA cell, or its full-duplex group's circle). Neither paper moves its
users; the twin does, so that path loss, covariance and Doppler change over a run.
"""

from __future__ import annotations

import numpy as np

from twin.config import MobilityConfig

# NOTE: the event loops below handle one reflection or waypoint per user per pass; a pass count
# this high means a user crosses its disk thousands of times per step (speed * dt >> radius).
_MAX_EVENTS = 10_000
_INSIDE_TOL = 1e-9  # relative slack for "inside the disk" checks on given positions


def _uniform_in_disks(rng: np.random.Generator, centres_m: np.ndarray,
                      radii_m: np.ndarray) -> np.ndarray:
    """One area-uniform point in each disk: [U, 2]."""
    r = radii_m * np.sqrt(rng.random(len(radii_m)))
    phi = 2.0 * np.pi * rng.random(len(radii_m))
    return centres_m + np.stack([r * np.cos(phi), r * np.sin(phi)], axis=-1)


class Mobility:
    """Positions of ``U`` users over time, each confined to its disk.

    Models (``MobilityConfig.model``):

    - ``"static"``: nobody moves; the current speed is 0 whatever ``speed_mps`` says.
    - ``"constant_velocity"``: a uniform random initial heading, straight lines at the user's
      speed, specular reflection at the disk edge (angle of incidence = angle of reflection).
    - ``"random_waypoint"``: walk at the speed to a waypoint drawn uniformly (by area) in the
      disk, pause ``pause_s``, draw the next waypoint, and so on.

    Parameters
    ----------
    config : MobilityConfig
        ``speed_mps`` is one speed (m/s) for all users or a tuple with one per user.
    positions_m : [U, 2], float
        Initial positions (m), each inside its disk.
    centres_m : [U, 2], float
        Centre of each user's disk (m).
    radii_m : [U], float
        Radius of each user's disk (m), positive.
    rng : numpy.random.Generator
        Owned by this object from now on (headings, waypoints).
    """

    def __init__(self, config: MobilityConfig, positions_m: np.ndarray, centres_m: np.ndarray,
                 radii_m: np.ndarray, rng: np.random.Generator) -> None:
        pos = np.array(positions_m, dtype=float)
        centres = np.array(centres_m, dtype=float)
        radii = np.array(radii_m, dtype=float)
        if pos.ndim != 2 or pos.shape[1] != 2:
            raise ValueError(f"positions_m must have shape (U, 2), got {pos.shape}")
        num_users = pos.shape[0]
        if centres.shape != (num_users, 2) or radii.shape != (num_users,):
            raise ValueError(f"centres_m {centres.shape} and radii_m {radii.shape} must have "
                             f"shapes ({num_users}, 2) and ({num_users},)")
        if not np.all(radii > 0.0):
            raise ValueError(f"radii_m must be positive, got minimum {radii.min()!r}")
        offset = np.hypot(*(pos - centres).T)
        if np.any(offset > radii * (1.0 + _INSIDE_TOL)):
            k = int(np.argmax(offset - radii))
            raise ValueError(f"user {k} starts {offset[k]:.6g} m from its disk centre, outside "
                             f"the radius {radii[k]:.6g} m")
        speed = np.asarray(config.speed_mps, dtype=float)
        if speed.ndim == 1 and speed.size != num_users:
            raise ValueError(f"mobility speed_mps has {speed.size} values but there are "
                             f"{num_users} users; give one speed or one per user")
        if np.any(speed < 0.0) or not np.all(np.isfinite(speed)):
            raise ValueError(f"speed_mps must be finite and non-negative, got {config.speed_mps!r}")
        self._model = config.model
        self._pause_s = float(config.pause_s)
        self._nominal_speed_mps = np.broadcast_to(speed, (num_users,)).copy()
        self._pos = pos
        self._centres = centres
        self._radii = radii
        self._rng = rng
        self._pause_left_s = np.zeros(num_users)
        if self._model == "constant_velocity":
            heading = 2.0 * np.pi * rng.random(num_users)
            self._direction = np.stack([np.cos(heading), np.sin(heading)], axis=-1)  # [U, 2]
        elif self._model == "random_waypoint":
            self._waypoint = _uniform_in_disks(rng, centres, radii)  # [U, 2]
        elif self._model != "static":
            raise ValueError(f"mobility model must be 'static', 'constant_velocity' or "
                             f"'random_waypoint', got {self._model!r}")

    @property
    def num_users(self) -> int:
        return self._pos.shape[0]

    @property
    def positions_m(self) -> np.ndarray:
        """Current positions (m): [U, 2], a copy."""
        return self._pos.copy()

    @property
    def speed_mps(self) -> np.ndarray:
        """Current speed (m/s): [U]; 0 for a static model, a zero speed or a pausing user."""
        if self._model == "static":
            return np.zeros(self.num_users)
        return np.where(self._pause_left_s > 0.0, 0.0, self._nominal_speed_mps)

    def step(self, dt_s: float) -> None:
        """Advance every user by ``dt_s`` seconds."""
        if not dt_s >= 0.0:
            raise ValueError(f"dt_s must be non-negative, got {dt_s!r}")
        if self._model == "constant_velocity":
            self._step_constant_velocity(dt_s)
        elif self._model == "random_waypoint":
            self._step_random_waypoint(dt_s)

    def _step_constant_velocity(self, dt_s: float) -> None:
        remaining_m = self._nominal_speed_mps * dt_s  # [U]
        for _ in range(_MAX_EVENTS):
            act = np.flatnonzero(remaining_m > 0.0)
            if act.size == 0:
                return
            q = self._pos[act] - self._centres[act]  # [A, 2], relative to the disk centre
            u = self._direction[act]
            radius = self._radii[act]
            # Distance t to the edge along u: |q + t u| = R, the forward root.
            qu = np.sum(q * u, axis=-1)
            disc = np.clip(qu**2 - (np.sum(q * q, axis=-1) - radius**2), 0.0, None)
            to_edge = np.clip(-qu + np.sqrt(disc), 0.0, None)
            hit = to_edge < remaining_m[act]
            travel = np.where(hit, to_edge, remaining_m[act])
            q = q + travel[:, None] * u
            norm = np.hypot(q[:, 0], q[:, 1])
            q *= np.minimum(1.0, radius / np.maximum(norm, 1e-300))[:, None]  # round-off only
            # Specular reflection at the edge: u' = u - 2 (u.n) n, n the outward normal.
            n = q / np.maximum(np.hypot(q[:, 0], q[:, 1]), 1e-300)[:, None]
            un = np.sum(u * n, axis=-1)
            reflect = hit & (un > 0.0)
            u[reflect] -= 2.0 * un[reflect, None] * n[reflect]
            self._pos[act] = self._centres[act] + q
            self._direction[act] = u
            remaining_m[act] = np.where(hit, remaining_m[act] - to_edge, 0.0)
        raise RuntimeError(f"constant-velocity step of {dt_s} s needed over {_MAX_EVENTS} "
                           "reflections; the speed is far too high for the disk radius")

    def _step_random_waypoint(self, dt_s: float) -> None:
        budget_s = np.full(self.num_users, float(dt_s))  # time left in this step, per user
        budget_s[self._nominal_speed_mps <= 0.0] = 0.0   # a zero-speed user never arrives
        for _ in range(_MAX_EVENTS):
            if not np.any(budget_s > 0.0):
                return
            pausing = (budget_s > 0.0) & (self._pause_left_s > 0.0)
            wait = np.minimum(self._pause_left_s[pausing], budget_s[pausing])
            self._pause_left_s[pausing] -= wait
            budget_s[pausing] -= wait
            moving = np.flatnonzero((budget_s > 0.0) & (self._pause_left_s <= 0.0) & ~pausing)
            if moving.size == 0:
                continue
            to_wp = self._waypoint[moving] - self._pos[moving]  # [A, 2]
            dist = np.hypot(to_wp[:, 0], to_wp[:, 1])
            speed = self._nominal_speed_mps[moving]
            need_s = dist / speed
            arrive = need_s <= budget_s[moving]
            frac = np.where(arrive, 1.0, speed * budget_s[moving] / np.maximum(dist, 1e-300))
            self._pos[moving] += frac[:, None] * to_wp
            budget_s[moving] = np.where(arrive, budget_s[moving] - need_s, 0.0)
            done = moving[arrive]
            if done.size:
                self._pos[done] = self._waypoint[done]
                self._pause_left_s[done] = self._pause_s
                self._waypoint[done] = _uniform_in_disks(self._rng, self._centres[done],
                                                         self._radii[done])
        raise RuntimeError(f"random-waypoint step of {dt_s} s needed over {_MAX_EVENTS} "
                           "waypoints; the speed is far too high for the disk radius")
