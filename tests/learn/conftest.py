import pytest
import torch

from twin.config import parse_scenario

# A small uplink (3 users x 2 antennas, 4 BS antennas) keeps the learning tests fast.
SMALL_TOML = """
name = "small_noma"
system = "noma_uplink"
[noma_uplink]
num_users = 3
num_user_ant = 2
num_bs_ant = 4
[dac]
bits = 4
[adc]
bits = 3
"""


@pytest.fixture
def small_scenario():
    return parse_scenario(SMALL_TOML)


@pytest.fixture(autouse=True)
def _two_threads():
    torch.set_num_threads(2)
