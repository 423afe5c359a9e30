"""Seed 000 Figs. 6-9 reproduction: the sweep's identities, its AQNM vs bit-true agreement, the
benchmarks' actions, and the targets' outputs."""

import csv
import dataclasses

import numpy as np
import pytest
import torch

from tests.systems.conftest import SCENARIOS, variant
from twin.config import load_scenario
from twin.control.base import NomaAction
from twin.learn.actors import Actor
from twin.learn.env import noma_ee
from twin.learn.oracle import OracleConfig
from twin.quant.aqnm import aqnm_alpha
from twin.reproduce import noma_learned, targets
from twin.reproduce.noma import scenario as noma_scenario
from twin.reproduce.noma_claims import PAPER_GAIN_FIG6, gain_findings, oracle_findings
from twin.reproduce.noma_eval import (
    aqnm_ee,
    draw_drops,
    evaluate,
    noise_split,
    snapshot_of,
    with_bits,
)
from twin.reproduce.noma_schemes import controller_act, formula_schemes, qoma_act
from twin.reproduce.noma_sweep import sweep
from twin.rng import stream
from twin.systems.noma_aqnm import predict_noma
from twin.systems.noma_uplink import NomaUplinkSystem


class _Bar:
    def reset(self, total):
        self.total, self.n = total, 0

    def update(self, n=1):
        self.n += n


@pytest.fixture(scope="module")
def drops():
    return draw_drops(noma_scenario(), 2, stream(0, "test-drops"))


def test_reproduction_scenario_is_the_shipped_one():
    # The targets run seed 000 Tables II-III as scenarios/noma_uplink.toml states them.
    shipped = load_scenario(SCENARIOS / "noma_uplink.toml")
    ours = noma_scenario()
    assert ours.noma_uplink == shipped.noma_uplink
    assert (ours.dac, ours.adc) == (shipped.dac, shipped.adc)


@pytest.mark.parametrize(("quantizer", "rtol"), [("uniform", 0.04), ("lloyd_max", 0.01)])
def test_bit_true_ee_matches_the_aqnm_at_ten_bits(drops, quantizer, rtol):
    s = variant(with_bits(noma_scenario(), 10), dac__quantizer=quantizer,
                adc__quantizer=quantizer)
    p, w = controller_act("lmmse")(drops, s, stream(0, "act"))
    m = evaluate(s, drops, p, w, "noma", stream(0, "link"))
    # The AQNM's beta = (pi sqrt(3)/2) 2^-2b is the Lloyd-Max (companded) high-resolution law;
    # a uniform quantizer with clipping distorts more, so its bit-true EE sits below the AQNM.
    # Measured on these two drops at 10 bits: -2.9 % and -2.1 % (uniform), -0.01 % and +0.14 %
    # (Lloyd-Max, left: the SINR estimate from 1024 samples). Bounds: 4 % and 1 %.
    np.testing.assert_allclose(m.ee_bit_true, m.ee_aqnm, rtol=rtol)


def test_power_split_adds_up_to_the_engines_total(drops):
    s = noma_scenario()
    p, w = controller_act("random")(drops, s, stream(0, "act"))
    m = evaluate(s, drops, p, w, "noma", stream(0, "link"))
    # P^AP + P^AC (eqs. (14), (15)) is the denominator of the engine's EE (18), bit-true and
    # AQNM alike; P^AC at 7 bits is Table II's 6.6826 W (seed 000 Sec. V-C: "about 6.7 W").
    np.testing.assert_allclose(m.amplifier_bit_true_w + m.circuit_w,
                               m.se_bit_true / m.ee_bit_true, rtol=1e-12)
    np.testing.assert_allclose(m.amplifier_aqnm_w + m.circuit_w, m.se_aqnm / m.ee_aqnm,
                               rtol=1e-12)
    np.testing.assert_allclose(m.circuit_w, 6.6826, rtol=1e-9)


def test_noise_split_matches_eq_46_written_out(drops):
    s = with_bits(noma_scenario(), 3)
    c = s.noma_uplink
    p, w = controller_act("mrt")(drops, s, stream(0, "act"))
    h, p, w = drops[0], p[0], w[0]
    a_t = aqnm_alpha(np.array([3]))[0]
    a_r = np.full(c.num_bs_ant, a_t)
    pred = predict_noma(h, p, w, a_t, a_r, c.noise_w)
    quant, inter = noise_split(pred, w, a_r, c.noise_w)
    # Eq. (46) term by term, with R_i^T (4) and R^R (9) built as matrices: an independent
    # computation, equal up to rounding.
    r_t = [a_t * (1 - a_t) * np.diag(np.abs(p[i]) ** 2) for i in range(c.num_users)]
    x = [h[i] @ (a_t * p[i]) for i in range(c.num_users)]
    ryy = sum(np.outer(x[i], x[i].conj()) + h[i] @ r_t[i] @ h[i].conj().T
              for i in range(c.num_users)) + c.noise_w * np.eye(c.num_bs_ant)
    r_r = np.diag(a_r * (1 - a_r) * np.real(np.diag(ryy)))
    theta = np.diag(a_r)
    rank = np.argsort(pred.order)
    for k in range(c.num_users):
        v = w[k] @ theta
        n_q = sum(np.real(v @ h[i] @ r_t[i] @ h[i].conj().T @ v.conj())
                  for i in range(c.num_users)) + np.real(w[k] @ r_r @ w[k].conj())
        iu = sum(np.abs(v @ x[j]) ** 2 for j in range(c.num_users) if rank[j] > rank[k])
        n_i = iu + c.noise_w * np.real(v @ v.conj())
        assert quant[k] == pytest.approx(n_q, rel=1e-9)
        assert inter[k] == pytest.approx(n_i, rel=1e-9)


def test_qoma_detector_maximizes_the_fdma_sinr(drops):
    s = with_bits(noma_scenario(), 3)
    c = s.noma_uplink
    p, w = qoma_act(drops, s, stream(0, "act"))
    alpha = aqnm_alpha(np.array([3]))
    alpha_r = np.full(c.num_bs_ant, alpha[0])
    best = predict_noma(drops[0], p[0], w[0], alpha, alpha_r, c.noise_w).sinr_fdma
    rng = np.random.default_rng(0)
    # The whitened matched filter is the max-SINR linear detector (Rayleigh quotient): 20 random
    # perturbations of 1 % must all do worse, user by user (rounding: 1e-12).
    for _ in range(20):
        nudged = w[0] + 0.01 * (rng.standard_normal(w[0].shape) + 1j * rng.standard_normal(
            w[0].shape)) * np.abs(w[0]).mean()
        nudged /= np.linalg.norm(nudged, axis=1, keepdims=True)
        worse = predict_noma(drops[0], p[0], nudged, alpha, alpha_r, c.noise_w).sinr_fdma
        assert np.all(worse <= best * (1 + 1e-12))
    np.testing.assert_allclose(np.linalg.norm(w, axis=-1), 1.0, rtol=1e-12)


@pytest.fixture
def quick_oracle(monkeypatch):
    # The targets' own code path with a 3-step oracle: the test checks outputs, not optimality.
    monkeypatch.setattr(noma_learned, "ORACLE", OracleConfig(num_restarts=1, steps=3))


def _run(name, tmp_path, drops=1, seed=0):
    return targets()[name].run(drops, seed, tmp_path, _Bar())


def test_oracle_scores_its_own_action_as_the_numpy_aqnm_does(drops, quick_oracle):
    s = noma_scenario()
    p, w = noma_learned.oracle_act(drops, s, stream(0, "act"))
    model = noma_learned.model_of(s)
    ee_torch = noma_ee(torch.as_tensor(drops), torch.as_tensor(p), torch.as_tensor(w),
                       model.alpha_t, model.alpha_r, model.noise_w, model.power).ee_bits_per_j_hz
    system = NomaUplinkSystem.build(s)
    ee_numpy = [aqnm_ee(system.predict(snapshot_of(hb), NomaAction(pb, wb)), "noma",
                        system.circuit_w, 0.27) for hb, pb, wb in zip(drops, p, w, strict=True)]
    # twin.learn's torch EE and the engine's numpy AQNM are the same formulas (18) in float64.
    np.testing.assert_allclose(ee_torch.numpy(), ee_numpy, rtol=1e-9)
    # The oracle keeps its best iterate, and its warm starts include the LMMSE action at 10 dBm
    # per user, so it never scores below that action.
    lmmse_p, lmmse_w = controller_act("lmmse")(drops, noma_learned.with_p_max(s, 10.0),
                                               stream(0, "act"))
    ee_lmmse = [aqnm_ee(system.predict(snapshot_of(hb), NomaAction(pb, wb)),
                        "noma", system.circuit_w, 0.27)
                for hb, pb, wb in zip(drops, lmmse_p, lmmse_w, strict=True)]
    assert np.all(np.array(ee_numpy) >= np.array(ee_lmmse) * (1 - 1e-9))


def _rows(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_proposed_is_at_least_wopef_with_any_actor(drops, tmp_path):
    # An untrained actor (small hidden layers), saved as twin.learn.train.export_actor does.
    s = noma_scenario()
    model = noma_learned.model_of(s)
    torch.manual_seed(0)
    actor = Actor(model.obs_dim, model.layout.dim, (16, 16))
    path = tmp_path / "actor.pt"
    torch.save({"actor": actor.state_dict(), "hidden": [16, 16], "obs_dim": model.obs_dim,
                "act_dim": model.layout.dim}, path)
    s = dataclasses.replace(s, controller=dataclasses.replace(s.controller, actor_path=str(path)))
    system = NomaUplinkSystem.build(s)
    ee = {}
    for search in (True, False):
        p, w = controller_act("pddpg", power_search=search)(drops, s, stream(0, "act"))
        ee[search] = np.array([aqnm_ee(system.predict(snapshot_of(hb), NomaAction(pb, wb)),
                                       "noma", system.circuit_w, 0.27)
                               for hb, pb, wb in zip(drops, p, w, strict=True)])
        # (19b): the searched level, or P_kmax, bounds every user's eq. (5) power.
        assert np.all(system.predict(snapshot_of(drops[0]), NomaAction(p[0], w[0])).tx_power_w
                      <= s.noma_uplink.p_max_w * (1 + 1e-9))
    # Algorithm 2's levels run from P_kmin to P_kmax and include P_kmax itself, so the searched
    # action scores at least WoPEF's; the search ranks in float32 (relative error ~1e-6).
    assert np.all(ee[True] >= ee[False] * (1 - 1e-5))


def test_sweep_is_deterministic_and_schemes_are_independent(drops):
    table = [s for s in formula_schemes() if s.name in ("LMMSE", "RPaD")]
    def run(schemes):
        return sweep(noma_scenario(), "p_max_dbm", (0.0, 20.0), schemes, 1, 3, "t", _Bar())
    first, second = run(table), run(table)
    # Same seed, same rows (house rule); each (scheme, point) has its own streams, so RPaD's
    # random actions are the same whether or not LMMSE ran before it.
    assert first == second
    alone = run(table[1:])
    assert alone == [r for r in first if r["scheme"] == "RPaD"]


def test_claims_compare_mean_ee():
    rows = [{"scheme": s, "bits": b, "ee_aqnm_bits_per_j_hz": ee, "ee_bit_true_bits_per_j_hz": ee}
            for s, b, ee in [("Oracle", 1, 4.0), ("Oracle", 2, 6.0), ("QOMA", 1, 2.0),
                             ("QOMA", 2, 3.0)]]
    # mean 5 over mean 2.5: +100 %, and QOMA at half the oracle's EE.
    assert "+100.0 %" in gain_findings(rows, PAPER_GAIN_FIG6, "t")[1]
    assert "  QOMA        0.500 |   0.500" in oracle_findings(rows)


def test_fig9_writes_the_split(tmp_path, quick_oracle):
    result = _run("noma-fig9", tmp_path)
    assert result.png_path.stat().st_size > 1000
    rows = _rows(result.csv_path)
    # the proposed scheme (the shipped actor) and the oracle beside it, 1 to 12 bits each
    assert {r["scheme"] for r in rows} == {"Proposed", "Oracle"}
    rows = [r for r in rows if r["scheme"] == "Proposed"]
    assert [int(r["bits"]) for r in rows] == list(range(1, 13))
    circuit = np.array([float(r["circuit_w"]) for r in rows])
    # P^AC = sum_k [P_LO + N_k (2 P_DAC(b) + P_RF)] (eqs. (15)-(17), Table II): 10 users x
    # (22.5 mW + 4 x (2 x (1.5e-5 2^b + 9e-3 b) + 31.6 mW)); at 12 bits that is 15.0442 W.
    assert circuit[-1] == pytest.approx(15.0442, rel=1e-9)
    share = np.array([float(r["circuit_share_aqnm"]) for r in rows])
    total = np.array([float(r["power_aqnm_w"]) for r in rows])
    np.testing.assert_allclose(share * total, circuit, rtol=1e-12)
