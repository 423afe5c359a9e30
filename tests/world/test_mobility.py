"""Mobility: users keep to their disks, move at their speed, and pause when told."""

import numpy as np
import pytest

from twin.config import MobilityConfig
from twin.world import Mobility, place_in_disk

NUM = 20
RADIUS = np.linspace(2.0, 6.0, NUM)


def _mobility(model, speed=3.0, pause_s=0.0, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.column_stack([np.arange(NUM) * 20.0, np.zeros(NUM)])
    start = np.stack([place_in_disk(rng, 1, c, r)[0] for c, r in zip(centres, RADIUS,
                                                                     strict=True)])
    cfg = MobilityConfig(model=model, speed_mps=speed, pause_s=pause_s)
    return Mobility(cfg, start, centres, RADIUS, rng), centres


def _offsets(mob, centres):
    return np.hypot(*(mob.positions_m - centres).T)


def test_static_users_do_not_move():
    mob, _ = _mobility("static", speed=5.0)
    start = mob.positions_m
    for _ in range(10):
        mob.step(0.1)
    np.testing.assert_array_equal(mob.positions_m, start)
    np.testing.assert_array_equal(mob.speed_mps, 0.0)


def test_constant_velocity_stays_inside_and_moves_speed_times_dt():
    speed, dt = 3.0, 0.02
    mob, centres = _mobility("constant_velocity", speed=speed)
    num_reflected = 0
    for _ in range(2000):
        before = mob.positions_m
        mob.step(dt)
        after = mob.positions_m
        offset_before = np.hypot(*(before - centres).T)
        # Inside the disk up to the float64 round-off of a reflection point (1e-12 m).
        assert np.all(_offsets(mob, centres) <= RADIUS + 1e-12)
        step = np.hypot(*(after - before).T)
        straight = np.abs(step - speed * dt) < 1e-12
        # Away from the edge a user moves exactly speed*dt (1e-12 m: round-off); a shorter
        # step happens only when it bounced, i.e. started within speed*dt of the edge.
        assert np.all(straight | (offset_before >= RADIUS - speed * dt - 1e-12))
        assert np.all(step <= speed * dt + 1e-12)
        num_reflected += np.sum(~straight)
    np.testing.assert_array_equal(mob.speed_mps, speed)
    # 2000 steps of 6 cm in disks of 2-6 m: every user crosses its disk many times, so
    # reflections must have happened (a sanity check that the edge was reached).
    assert num_reflected > 100


def test_reflection_is_specular():
    # One user at the centre heading along +x in a 1 m disk, 1.5 m step: 1 m to the edge, then
    # straight back 0.5 m -> x = 0.5 exactly (specular reflection at normal incidence).
    cfg = MobilityConfig(model="constant_velocity", speed_mps=1.5)
    mob = Mobility(cfg, np.zeros((1, 2)), np.zeros((1, 2)), np.ones(1), np.random.default_rng(0))
    mob._direction[:] = [[1.0, 0.0]]  # the test fixes the heading the rng drew
    mob.step(1.0)
    np.testing.assert_allclose(mob.positions_m, [[0.5, 0.0]], atol=1e-12)


def test_random_waypoint_stays_inside_and_pauses():
    speed, dt, pause = 2.0, 0.05, 0.5
    mob, centres = _mobility("random_waypoint", speed=speed, pause_s=pause, seed=1)
    seen_pause = seen_move = False
    paused_before = mob.speed_mps == 0.0
    for _ in range(1500):
        before = mob.positions_m
        mob.step(dt)
        # Waypoints are inside the disk and paths between them are chords: convexity; 1e-12 m
        # round-off.
        assert np.all(_offsets(mob, centres) <= RADIUS + 1e-12)
        step = np.hypot(*(mob.positions_m - before).T)
        assert np.all(step <= speed * dt + 1e-12)
        current = mob.speed_mps
        # The current speed is either the nominal speed or 0 (pausing): exact values.
        assert np.all((current == speed) | (current == 0.0))
        # A pause (0.5 s) outlasts a step (0.05 s): paused at both ends => did not move at all.
        still = paused_before & (current == 0.0)
        assert np.all(step[still] == 0.0)
        paused_before = current == 0.0
        seen_pause |= np.any(current == 0.0)
        seen_move |= np.any(current == speed)
    assert seen_pause
    assert seen_move


def test_speed_tuple_gives_each_user_its_speed():
    speeds = tuple(float(s) for s in np.arange(NUM))
    mob, _ = _mobility("constant_velocity", speed=speeds)
    np.testing.assert_array_equal(mob.speed_mps, np.arange(NUM))


def test_bad_speed_tuple_length_raises():
    with pytest.raises(ValueError, match=f"3 values but there are {NUM} users"):
        _mobility("constant_velocity", speed=(1.0, 2.0, 3.0))


def test_start_outside_the_disk_raises():
    cfg = MobilityConfig(model="static")
    with pytest.raises(ValueError, match="outside the radius"):
        Mobility(cfg, np.array([[2.0, 0.0]]), np.zeros((1, 2)), np.ones(1),
                 np.random.default_rng(0))


@pytest.mark.parametrize("model", ["constant_velocity", "random_waypoint"])
def test_mobility_is_deterministic_under_a_seed(model):
    a, _ = _mobility(model, seed=7)
    b, _ = _mobility(model, seed=7)
    for _ in range(50):
        a.step(0.1)
        b.step(0.1)
    np.testing.assert_array_equal(a.positions_m, b.positions_m)
