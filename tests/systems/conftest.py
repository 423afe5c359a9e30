import dataclasses
from pathlib import Path

import numpy as np
import pytest

from twin.config import load_scenario

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
