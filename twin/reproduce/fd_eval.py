"""Seed 004 Sec. V's schemes on channel drops, scored by the AQNM and bit-true.

A *drop* is slot 0 of a :class:`~twin.world.world.FullDuplexWorld` seeded by the drop index: the
paper's geometry, one-ring covariances, CI path loss and shadowing (Sec. V-A). Each scheme is a
scenario variant (``full_duplex.duplex`` and ``controller.kind``); its controller acts on the
drop, and the system's slot (:meth:`~twin.systems.full_duplex.FullDuplexSystem.run_slot`) sends
waveforms through the bit-true DACs, channels, ADCs and digital SIC. The slot returns both rates:
the AQNM closed forms (29)-(34) and the SINRs measured on the waveforms, the half-duplex ones
already time-split (Sec. V-A). A drop's HD snapshot has the FD drop's DL and UL channels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from twin.config import FullDuplexConfig, Scenario
from twin.control.base import FullDuplexAction, Observation
from twin.control.baselines import make_controller
from twin.rng import stream
from twin.systems.full_duplex import FullDuplexSystem
from twin.units import db_to_lin
from twin.world.pathloss import CI_REFERENCE_M, pathloss_ci_db
from twin.world.world import FullDuplexWorld

# scheme -> (duplex, controller kind); Sec. V-A's FD and HD benchmarks (qMM not built).
SCHEMES: dict[str, tuple[str, str]] = {
    "fd_gpi": ("full", "gpi"), "fd_qrzf": ("full", "qrzf"), "fd_qwmmse": ("full", "qwmmse"),
    "hd_gpi": ("half", "gpi"), "hd_qrzf": ("half", "qrzf"), "hd_qwmmse": ("half", "qwmmse")}
LABELS: dict[str, str] = {
    "fd_gpi": "FD GPI-qMMSE (proposed)", "fd_qrzf": "FD qRZF-qMMSE",
    "fd_qwmmse": "FD qWMMSE-qMMSE", "hd_gpi": "HD qGPI & qMMSE", "hd_qrzf": "HD qRZF & qMMSE",
    "hd_qwmmse": "HD qWMMSE & qMMSE"}
FD_SCHEMES = tuple(k for k in SCHEMES if k.startswith("fd"))
HD_SCHEMES = tuple(k for k in SCHEMES if k.startswith("hd"))
METRICS = ("dl_aqnm", "ul_aqnm", "sum_aqnm", "dl_measured", "ul_measured", "sum_measured",
           "ee_aqnm", "ee_measured")


def paper_scenario(**changes: Any) -> Scenario:
    """Sec. V-A's setting (the :class:`FullDuplexConfig` defaults: N_t = N_r = 16,
    K_D = K_U = 4, P_D = 24 dBm, P_U = 23 dBm, kappa_a = -60 dB, 7-bit uniform converters)
    with ``table__key=value`` changes, e.g. ``full_duplex__p_dl_dbm=30, adc__bits=5``."""
    s = Scenario(name="fd-reproduce", system="full_duplex", full_duplex=FullDuplexConfig())
    return with_changes(s, **changes)


def with_changes(scenario: Scenario, **changes: Any) -> Scenario:
    """``scenario`` with ``table__key=value`` changes (``dac__bits`` etc.)."""
    for path, value in changes.items():
        table, key = path.split("__")
        part = dataclasses.replace(getattr(scenario, table), **{key: value})
        scenario = dataclasses.replace(scenario, **{table: part})
    return scenario


def scheme_scenario(scenario: Scenario, scheme: str) -> Scenario:
    duplex, kind = SCHEMES[scheme]
    return with_changes(scenario, full_duplex__duplex=duplex, controller__kind=kind)


class Point(NamedTuple):
    """One x value of a sweep: its CSV columns, scenario and schemes; ``cci_distance_m`` as in
    :func:`drop_snapshot`."""

    columns: dict[str, Any]
    scenario: Scenario
    schemes: Sequence[str]
    cci_distance_m: float | None = None


def drop_snapshot(scenario: Scenario, seed: int, drop: int,
                  cci_distance_m: float | None = None):
    """Slot 0 of the world of drop ``drop`` (HD when the scenario says so).

    ``cci_distance_m``: keep the users where the scenario puts them and give the CCI the CI path
    loss of that distance instead (same shadowing draw): seed 004 Fig. 8's "CCI path loss
    determined by d_CCI" with the geometry held fixed.
    """
    c = scenario.full_duplex
    snap = FullDuplexWorld(c, scenario.mobility, scenario.channel, scenario.run.slot_s,
                           stream(seed, f"fd-drop-{drop}")).step()
    if cci_distance_m is None:
        return snap
    loss = [pathloss_ci_db(max(d, CI_REFERENCE_M), c.carrier_hz, c.pathloss_exponent)
            for d in (c.cci_distance_m, cci_distance_m)]
    ratio = float(db_to_lin(loss[0] - loss[1]))
    return dataclasses.replace(snap, gain_cci_lin=snap.gain_cci_lin * ratio,
                               G_CCI=np.sqrt(ratio) * snap.G_CCI)


def score(scenario: Scenario, snap, action: FullDuplexAction,
          rng: np.random.Generator) -> dict[str, float]:
    """One slot of ``action`` on ``snap``: DL, UL and total rates (bits/s/Hz) and EE (bits/J/Hz),
    each by the AQNM and measured on bit-true waveforms (keys :data:`METRICS`)."""
    m = FullDuplexSystem.build(scenario).run_slot(snap, action, rng).metrics
    k_d = scenario.full_duplex.num_dl_users
    out = {}
    for how, key in (("aqnm", "rate_aqnm_bps_hz"), ("measured", "rate_measured_bps_hz")):
        rates = m[key]
        out |= {f"dl_{how}": float(rates[:k_d].sum()), f"ul_{how}": float(rates[k_d:].sum()),
                f"sum_{how}": float(rates.sum())}
    out["ee_aqnm"] = float(m["ee_aqnm_bits_per_j_hz"])
    out["ee_measured"] = float(m["ee_bits_per_j_hz"])
    return out


def evaluate(scenario: Scenario, scheme: str, seed: int, drop: int, rng: np.random.Generator,
             cci_distance_m: float | None = None) -> dict[str, float]:
    """Scheme ``scheme`` on drop ``drop`` of ``scenario``: :func:`score` of its action."""
    sc = scheme_scenario(scenario, scheme)
    snap = drop_snapshot(sc, seed, drop, cci_distance_m)
    controller = make_controller(sc, stream(seed, f"fd-controller-{drop}"))
    return score(sc, snap, controller.act(Observation(0, snap, None)), rng)


def sweep(points: Sequence[tuple], drops: int, seed: int, bar: Any) -> list[dict]:
    """Mean of every metric over ``drops`` drops, for each point and scheme.

    ``points``: :class:`Point` fields as tuples; ``columns`` (the x values) start the row. A
    row also holds ``<metric>_se``, the standard error of the mean over drops (0 for one drop).
    Advances ``bar`` once per drop and scheme.
    """
    points = [Point(*p) for p in points]
    bar.reset(total=drops * sum(len(p.schemes) for p in points))
    rng = stream(seed, "fd-link")
    rows = []
    for columns, scenario, schemes, cci_m in points:
        for scheme in schemes:
            values = []
            for d in range(drops):
                values.append(evaluate(scenario, scheme, seed, d, rng, cci_m))
                bar.update()
            table = {k: np.array([v[k] for v in values]) for k in METRICS}
            row = {**columns, "scheme": scheme}
            for k, v in table.items():
                row[k] = float(v.mean())
                row[f"{k}_se"] = float(v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else 0.0
            rows.append(row)
    return rows


def columns_of(rows: list[dict]) -> dict[str, list]:
    """Rows (dicts with the same keys) -> CSV columns."""
    return {k: [r[k] for r in rows] for k in rows[0]}


def from_onward(xs: Sequence[float], better: Sequence[bool]) -> float | None:
    """The smallest x from which ``better`` holds at every larger x (xs ascending); None if it
    fails at the largest."""
    found = None
    for x, ok in sorted(zip(xs, better, strict=True), reverse=True):
        if not ok:
            break
        found = x
    return found
