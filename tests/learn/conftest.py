import pytest
import torch

from twin.config import parse_scenario


def noma_toml(name: str, users: int, user_ant: int, bs_ant: int, dac_bits: int,
              adc_bits: int) -> str:
    """A scenario file for a small uplink: the learning tests' sizes stay fast."""
    return (f'name = "{name}"\nsystem = "noma_uplink"\n[noma_uplink]\nnum_users = {users}\n'
            f"num_user_ant = {user_ant}\nnum_bs_ant = {bs_ant}\n[dac]\nbits = {dac_bits}\n"
            f"[adc]\nbits = {adc_bits}\n")


# 3 users x 2 antennas, 4 BS antennas.
SMALL_TOML = noma_toml("small_noma", 3, 2, 4, dac_bits=4, adc_bits=3)


@pytest.fixture
def small_scenario():
    return parse_scenario(SMALL_TOML)


@pytest.fixture(autouse=True)
def _two_threads():
    torch.set_num_threads(2)
