"""Seed 004 Sec. V-A benchmarks: qRZF, qWMMSE (each + qMMSE) and the half-duplex system."""

import numpy as np
import pytest

from tests.systems.conftest import SCENARIOS, fd_snapshot, variant
from twin.config import TwinConfigError, load_scenario, parse_scenario
from twin.control.base import Observation
from twin.control.baselines import make_controller
from twin.control.fd_benchmarks import (
    LinearBenchmarkController,
    qrzf_precoder,
    qwmmse_precoder,
)
from twin.control.gpi import alternate, rzf_precoder, sum_se_bps_hz
from twin.control.qmmse import qmmse_combiner
from twin.rng import stream
from twin.systems.full_duplex import FullDuplexSystem
from twin.systems.full_duplex_aqnm import predict_full_duplex
from twin.world.snapshot import half_duplex_snapshot
from twin.world.world import FullDuplexWorld

SEEDS = (20, 21, 22, 23)


def _scenario(num_ant=8, **changes):
    s = load_scenario(SCENARIOS / "full_duplex.toml")
    s = variant(s, full_duplex__num_tx_ant=num_ant, full_duplex__num_rx_ant=num_ant)
    return variant(s, **changes) if changes else s


def _alphas(s, kind="qrzf"):
    ctrl = LinearBenchmarkController.build(s, kind)
    return ctrl.alpha_dac, ctrl.alpha_adc


def test_qrzf_with_ideal_dacs_is_the_rzf():
    # Push-through identity (H H^H + cI)^-1 H = H (H^H H + cI)^-1: equal to rounding (1e-10).
    s = _scenario()
    snap = fd_snapshot(s, 20)
    w = qrzf_precoder(snap, np.ones(s.full_duplex.num_tx_ant), s.full_duplex)
    np.testing.assert_allclose(w, rzf_precoder(snap, s.full_duplex), atol=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_gpi_is_at_least_as_good_as_qrzf_on_random_drops(seed):
    # The paper's Fig. 4-8 claim, by the AQNM: Algorithm 2 maximizes the sum SE (36) that qRZF
    # + qMMSE only scores; 1e-6 bits/s/Hz allows for rounding, nothing else.
    s = _scenario(dac__bits=6, adc__bits=6)
    ad, aa = _alphas(s)
    c = s.full_duplex
    snap = FullDuplexWorld(c, s.mobility, s.channel, 1e-3, stream(seed, "drop")).step()
    w = qrzf_precoder(snap, ad, c)
    qrzf = sum_se_bps_hz(snap, w, qmmse_combiner(snap, w, ad, aa, c), ad, aa, c)
    gpi = alternate(snap, ad, aa, c)
    assert gpi.sum_se_history[-1] >= qrzf - 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_qwmmse_objective_never_increases(seed):
    # Block coordinate descent on a function bounded below: each step may only lower it
    # (1e-9 relative: floating-point rounding of sums of ~10 terms).
    s = _scenario(dac__bits=4, adc__bits=4)
    ad, _ = _alphas(s)
    res = qwmmse_precoder(fd_snapshot(s, seed), ad, s.full_duplex, max_iter=40, epsilon=0.0)
    obj = res.objective_history
    assert obj.shape == (2 * res.iterations + 1,)
    assert np.all(np.diff(obj) <= 1e-9 * np.abs(obj[:-1]))
    assert np.all(np.diff(res.sum_se_history) >= -1e-9)
    assert res.sum_se_history[-1] > res.sum_se_history[0]  # it improves on its qRZF start


def test_qwmmse_dl_sinr_is_the_aqnm_one():
    # dl_sinr re-derives eq. (14) for the W step; it must equal predict_full_duplex's (1e-9).
    s = _scenario(dac__bits=3)
    ad, aa = _alphas(s)
    snap = fd_snapshot(s, 24)
    res = qwmmse_precoder(snap, ad, s.full_duplex)
    p = predict_full_duplex(snap, res.precoder, qmmse_combiner(snap, res.precoder, ad, aa,
                                                                s.full_duplex), ad, aa,
                            s.full_duplex)
    assert np.sum(np.log2(1 + p.sinr_dl)) == pytest.approx(res.sum_se_history[-1], rel=1e-9)
    assert np.linalg.norm(res.precoder) == pytest.approx(1.0, rel=1e-12)


def test_half_duplex_world_keeps_channels_and_drops_si_and_cci():
    s = _scenario()
    hd = variant(s, full_duplex__duplex="half")
    snap = FullDuplexWorld(s.full_duplex, s.mobility, s.channel, 1e-3, stream(3, "w")).step()
    snap_hd = FullDuplexWorld(hd.full_duplex, hd.mobility, hd.channel, 1e-3,
                              stream(3, "w")).step()
    np.testing.assert_array_equal(snap_hd.H_D, snap.H_D)
    np.testing.assert_array_equal(snap_hd.H_U, snap.H_U)
    assert not np.any(snap_hd.G_SI)
    assert not np.any(snap_hd.G_CCI)
    assert np.any(snap.G_SI)


@pytest.mark.parametrize("lam", [0.5, 0.3])
def test_half_duplex_se_is_the_time_split_of_the_same_formulas(lam):
    # Sec. V-A: HD rates are (1 - lambda) R_D,k and lambda R_U,k of the FD formulas with
    # kappa_a = kappa_d = 0 and rho_CCI = 0; the system's AQNM rates must equal that (1e-12).
    s = variant(_scenario(run__samples_per_slot=64), full_duplex__duplex="half",
                full_duplex__hd_ul_fraction=lam)
    snap = half_duplex_snapshot(fd_snapshot(s, 25))
    ctrl = make_controller(variant(s, controller__kind="qwmmse"), stream(0, "c"))
    act = ctrl.act(Observation(0, snap, None))
    system = FullDuplexSystem.build(s)
    m = system.run_slot(snap, act, stream(0, "link")).metrics
    p = predict_full_duplex(snap, act.precoder, act.combiner, system.dac.alpha,
                            system.adc.alpha, s.full_duplex)
    expected = np.concatenate([(1 - lam) * np.log2(1 + p.sinr_dl), lam * np.log2(1 + p.sinr_ul)])
    np.testing.assert_allclose(m["rate_aqnm_bps_hz"], expected, rtol=1e-12)


@pytest.mark.parametrize("kind", ["qrzf", "qwmmse"])
def test_benchmark_controllers_give_unit_precoders_and_combiners(kind):
    s = _scenario(controller__kind=kind, dac__bits=1, adc__bits=1)
    act = make_controller(s, stream(0, "c")).act(Observation(0, fd_snapshot(s, 26), None))
    assert act.precoder.shape == (8, 4)
    assert act.combiner.shape == (8, 4)
    assert np.linalg.norm(act.precoder) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(np.linalg.norm(act.combiner, axis=0), 1.0, rtol=1e-12)


def test_benchmarks_are_refused_for_the_uplink_system():
    with pytest.raises(TwinConfigError, match=r"controller\.kind: 'qwmmse' is seed 004"):
        parse_scenario('name = "x"\nsystem = "noma_uplink"\n[noma_uplink]\n'
                       '[controller]\nkind = "qwmmse"\n', "x.toml")
