import dataclasses
from pathlib import Path

import numpy as np
import pytest

from twin.config import load_scenario
from twin.world.snapshot import FullDuplexSnapshot

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def variant(scenario, **changes):
    """Scenario with ``table__key=value`` changes, e.g. ``variant(s, dac__bits=3)``."""
    for path, value in changes.items():
        table, key = path.split("__")
        scenario = dataclasses.replace(
            scenario, **{table: dataclasses.replace(getattr(scenario, table), **{key: value})})
    return scenario


@pytest.fixture
def noma():
    return load_scenario(SCENARIOS / "noma_uplink.toml")


@pytest.fixture
def full_duplex():
    return load_scenario(SCENARIOS / "full_duplex.toml")


def rayleigh(rng, shape, gain_db):
    return 10 ** (gain_db / 20) * (rng.standard_normal(shape)
                                   + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def fd_snapshot(scenario, seed):
    """A full-duplex snapshot with Rayleigh channels at fixed gains: DL and UL -85 dB, CCI -94 dB,
    residual SI entries CN(0, kappa_a)."""
    c = scenario.full_duplex
    rng = np.random.default_rng(seed)
    kd, ku, nt, nr = c.num_dl_users, c.num_ul_users, c.num_tx_ant, c.num_rx_ant
    return FullDuplexSnapshot(
        0, np.zeros((kd + ku, 2)), np.zeros(kd + ku), np.full(kd + ku, 15.0),
        np.full(kd, 10 ** -8.5), np.full(ku, 10 ** -8.5), 10 ** -9.4,
        rayleigh(rng, (nt, kd), -85), rayleigh(rng, (nr, ku), -85),
        rayleigh(rng, (nr, nt), c.kappa_a_db), rayleigh(rng, (ku, kd), -94))
