"""The two worlds: snapshot shapes, determinism, path loss, covariance direction and powers."""

import dataclasses

import numpy as np
import pytest

from twin.config import ChannelConfig, FullDuplexConfig, MobilityConfig, NomaUplinkConfig
from twin.world import FullDuplexSnapshot, FullDuplexWorld, NomaSnapshot, NomaWorld

C_MPS = 299_792_458.0
MOVING = MobilityConfig(model="random_waypoint", speed_mps=5.0, pause_s=0.01)
STATIC = MobilityConfig(model="static")
JAKES = ChannelConfig(fading="jakes")


def _noma(seed=0, mobility=MOVING, channel=JAKES, **cfg):
    return NomaWorld(NomaUplinkConfig(**cfg), mobility, channel, 1e-3,
                     np.random.default_rng(seed))


def _fd(seed=0, mobility=MOVING, channel=JAKES, **cfg):
    return FullDuplexWorld(FullDuplexConfig(**cfg), mobility, channel, 1e-3,
                           np.random.default_rng(seed))


def test_noma_snapshot_fields_and_shapes():
    snap = _noma(num_users=6, num_bs_ant=8, num_user_ant=2).step()
    assert isinstance(snap, NomaSnapshot)
    assert [f.name for f in dataclasses.fields(snap)] == [
        "slot", "positions_m", "speed_mps", "distance_m", "gain_lin", "H"]
    assert snap.slot == 0
    assert snap.positions_m.shape == (6, 2)
    assert snap.speed_mps.shape == snap.distance_m.shape == snap.gain_lin.shape == (6,)
    assert snap.H.shape == (6, 8, 2)
    assert snap.H.dtype == np.complex128


def test_slots_count_up_from_zero():
    world = _noma()
    assert [world.step().slot for _ in range(4)] == [0, 1, 2, 3]


def test_noma_is_deterministic_under_a_seed():
    a, b = _noma(seed=11), _noma(seed=11)
    for _ in range(20):
        sa, sb = a.step(), b.step()
        np.testing.assert_array_equal(sa.H, sb.H)
        np.testing.assert_array_equal(sa.positions_m, sb.positions_m)
    assert not np.array_equal(sa.H, _noma(seed=12).step().H)


def test_noma_gain_follows_eq_43_at_the_current_distance():
    world = _noma()
    for _ in range(30):
        snap = world.step()
        d = np.hypot(*snap.positions_m.T)
        np.testing.assert_allclose(snap.distance_m, d, rtol=1e-15)
        # seed 000 eqs. (43)-(44) written out independently; round-off only.
        expected = 10.0 ** (-(103.8 + 20.9 * np.log10(d / 1000.0)) / 10.0)
        np.testing.assert_allclose(snap.gain_lin, expected, rtol=1e-12)
        # Users stay in the 100 m cell (convex paths between in-cell waypoints; 1e-9 m slack).
        assert np.all(d <= 100.0 + 1e-9)


def test_noma_small_scale_fading_has_unit_power():
    world = _noma(mobility=STATIC, channel=ChannelConfig(fading="iid"), num_users=20,
                  num_bs_ant=16, num_user_ant=4)
    ratios = [np.abs(s.H) ** 2 / s.gain_lin[:, None, None] for s in
              (world.step() for _ in range(10))]
    # |Hhat|^2 ~ Exp(1) i.i.d. over 20*16*4*10 = 12800 entries: std of the mean 1/sqrt(12800)
    # = 0.009; 5 sigma.
    assert np.mean(ratios) == pytest.approx(1.0, abs=5 / np.sqrt(12800))


def test_noma_users_at_rest_under_jakes_keep_their_channel():
    world = _noma(mobility=STATIC)
    first = world.step().H
    # v = 0 => f_D = 0 => rho = J0(0) = 1: the channel is reused bit for bit.
    np.testing.assert_array_equal(world.step().H, first)


def test_full_duplex_snapshot_fields_and_shapes():
    snap = _fd(num_tx_ant=6, num_rx_ant=5, num_dl_users=3, num_ul_users=2).step()
    assert isinstance(snap, FullDuplexSnapshot)
    assert [f.name for f in dataclasses.fields(snap)] == [
        "slot", "positions_m", "speed_mps", "distance_m", "gain_dl_lin", "gain_ul_lin",
        "gain_cci_lin", "H_D", "H_U", "G_SI", "G_CCI"]
    assert snap.positions_m.shape == (5, 2)
    assert snap.speed_mps.shape == snap.distance_m.shape == (5,)
    assert snap.gain_dl_lin.shape == (3,)
    assert snap.gain_ul_lin.shape == (2,)
    assert isinstance(snap.gain_cci_lin, float)
    for name, shape in [("H_D", (6, 3)), ("H_U", (5, 2)), ("G_SI", (5, 6)), ("G_CCI", (2, 3))]:
        arr = getattr(snap, name)
        assert arr.shape == shape, name
        assert arr.dtype == np.complex128, name


def test_full_duplex_is_deterministic_under_a_seed():
    a, b = _fd(seed=5), _fd(seed=5)
    for _ in range(10):
        sa, sb = a.step(), b.step()
        for name in ("positions_m", "H_D", "H_U", "G_SI", "G_CCI", "gain_dl_lin"):
            np.testing.assert_array_equal(getattr(sa, name), getattr(sb, name))


def test_full_duplex_users_stay_in_their_groups():
    world = _fd(mobility=MobilityConfig(model="constant_velocity", speed_mps=10.0))
    # Default layout: d_D = d_U = 15 m, d_CCI = 30 m => centres (15, 0) and (-15, 0).
    centres = np.array([[15.0, 0.0]] * 4 + [[-15.0, 0.0]] * 4)
    for _ in range(200):
        snap = world.step()
        # 4 m group radius; 1e-9 m covers reflection round-off and the centres' 1e-15 m error.
        assert np.all(np.hypot(*(snap.positions_m - centres).T) <= 4.0 + 1e-9)


def test_full_duplex_gains_follow_the_ci_model_without_shadowing():
    snap = _fd(shadowing_std_db=0.0).step()
    # CI model written out: 20 log10(4 pi f / c) + 10 n log10(d), f = 10 GHz, n = 2.8, d0 = 1 m.
    fspl_db = 20 * np.log10(4 * np.pi * 10e9 / C_MPS)
    expected = 10.0 ** (-(fspl_db + 28.0 * np.log10(snap.distance_m)) / 10.0)
    np.testing.assert_allclose(np.concatenate([snap.gain_dl_lin, snap.gain_ul_lin]), expected,
                               rtol=1e-12)
    # rho_CCI at d_CCI = 30 m: 52.4478 + 28 * 1.477121 = 52.4478 + 41.3594 = 93.8072 dB (by
    # hand, 4 decimals, hence 1e-4 dB).
    assert 10 * np.log10(snap.gain_cci_lin) == pytest.approx(-93.8072, abs=1e-4)


def test_full_duplex_shadowing_is_fixed_while_users_move():
    world = _fd(mobility=MobilityConfig(model="constant_velocity", speed_mps=20.0))
    fspl_db = 20 * np.log10(4 * np.pi * 10e9 / C_MPS)
    shadow = []
    for _ in range(20):
        snap = world.step()
        gain = np.concatenate([snap.gain_dl_lin, snap.gain_ul_lin])
        shadow.append(-10 * np.log10(gain) - fspl_db - 28.0 * np.log10(snap.distance_m))
    # Path loss minus the CI model is the shadowing: one draw per user per run (round-off only).
    np.testing.assert_allclose(shadow, np.broadcast_to(shadow[0], (20, 8)), atol=1e-9)
    # and it is a real draw: 8 N(0, 8.4^2) values are not all within 1e-3 dB of 0.
    assert np.max(np.abs(shadow[0])) > 1e-3


def test_full_duplex_channel_points_at_the_user():
    # A vanishing angular spread makes C_k = a a^H, a_m = exp(-j 2 pi s m sin theta_k): the
    # channel must be collinear with the steering vector at the user's current angle. Random
    # waypoint with short pauses mixes moving users (covariance recomputed) and pausing ones
    # (covariance reused) in the same slot.
    world = _fd(angular_spread_deg=1e-5,
                mobility=MobilityConfig(model="random_waypoint", speed_mps=300.0, pause_s=3e-3))
    speeds = []
    for _ in range(12):
        snap = world.step()
        speeds.append(snap.speed_mps)
        theta = np.arctan2(snap.positions_m[:, 1], snap.positions_m[:, 0])
        a = np.exp(-1j * np.pi * np.arange(16)[:, None] * np.sin(theta))  # [N, K_D + K_U]
        h = np.concatenate([snap.H_D, snap.H_U], axis=1)
        cosine = np.abs(np.sum(a.conj() * h, axis=0)) / (np.linalg.norm(a, axis=0)
                                                          * np.linalg.norm(h, axis=0))
        # The other eigenvalues are ~ (pi s N Delta)^2 ~ 1e-12 of the top one: 1e-6 is generous.
        np.testing.assert_allclose(cosine, 1.0, atol=1e-6)
    # Both kinds of user were met (speed 300 m/s crosses a 4 m group in ~27 slots of 1 ms).
    assert np.any(np.array(speeds) == 0.0)
    assert np.any(np.array(speeds) == 300.0)


def test_full_duplex_powers_under_iid_fading():
    world = _fd(mobility=STATIC, channel=ChannelConfig(fading="iid"), num_tx_ant=64,
                num_rx_ant=64)
    snaps = [world.step() for _ in range(100)]
    kappa_a = 1e-6  # kappa_a_db = -60
    si = np.mean([np.mean(np.abs(s.G_SI) ** 2) for s in snaps])
    # 64*64*100 i.i.d. Exp(kappa_a) powers: relative std of the mean 1/sqrt(409600) = 0.0016;
    # 5 sigma.
    assert si / kappa_a == pytest.approx(1.0, abs=5 / np.sqrt(409_600))
    cci = np.mean([np.mean(np.abs(s.G_CCI) ** 2) / s.gain_cci_lin for s in snaps])
    # 4*4*100 = 1600 i.i.d. Exp(1): std of the mean 0.025; 5 sigma.
    assert cci == pytest.approx(1.0, abs=5 / np.sqrt(1600))
    dl = np.mean([np.sum(np.abs(s.H_D) ** 2, axis=0) / (64 * s.gain_dl_lin) for s in snaps])
    # ||C^{1/2} w||^2 / N has mean tr(C)/N = 1 and variance tr(C^2)/N^2 <= 1: 400 samples, 5 sigma.
    assert dl == pytest.approx(1.0, abs=5 / np.sqrt(400))


def test_full_duplex_si_is_static_unless_iid():
    jakes = _fd()
    first = jakes.step().G_SI
    # The AP does not move: one draw per run under "jakes" (bit for bit).
    np.testing.assert_array_equal(jakes.step().G_SI, first)
    iid = _fd(channel=ChannelConfig(fading="iid"))
    assert not np.any(iid.step().G_SI == iid.step().G_SI)


def test_speed_tuple_must_cover_every_full_duplex_user():
    with pytest.raises(ValueError, match="3 values but there are 8 users"):
        _fd(mobility=MobilityConfig(model="constant_velocity", speed_mps=(1.0, 2.0, 3.0)))


@pytest.mark.parametrize("slot_s", [0.0, -1e-3])
def test_bad_slot_raises(slot_s):
    with pytest.raises(ValueError, match="slot_s must be positive"):
        NomaWorld(NomaUplinkConfig(), STATIC, ChannelConfig(), slot_s, np.random.default_rng(0))
