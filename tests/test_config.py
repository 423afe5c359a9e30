"""Scenario files: shipped values, and one clear error per kind of mistake."""

from pathlib import Path

import pytest

from twin.config import TwinConfigError, load_scenario, parse_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
HEAD = 'name = "t"\nsystem = "noma_uplink"\n[noma_uplink]\n'


def test_noma_uplink_carries_seed_000_table_three():
    s = load_scenario(SCENARIOS / "noma_uplink.toml")
    c = s.noma_uplink
    assert (c.num_users, c.num_bs_ant, c.num_user_ant) == (10, 8, 4)
    assert (c.noise_dbm, c.bandwidth_hz, c.p_max_dbm, c.cell_radius_m) == (-104, 10e6, 20, 100)
    assert c.noise_w == pytest.approx(3.981e-14, rel=1e-3)  # -104 dBm
    assert (c.power.amplifier_efficiency, c.power.lo_w) == (0.27, 22.5e-3)  # Table II
    assert s.full_duplex is None
    assert s.system_config is c


def test_full_duplex_carries_seed_004_section_five():
    c = load_scenario(SCENARIOS / "full_duplex.toml").full_duplex
    assert (c.num_tx_ant, c.num_rx_ant, c.num_dl_users, c.num_ul_users) == (16, 16, 4, 4)
    assert (c.p_dl_dbm, c.p_ul_dbm, c.kappa_a_db) == (24, 23, -60)
    assert (c.carrier_hz, c.bandwidth_hz) == (10e9, 500e6)
    assert (c.dl_distance_m, c.group_radius_m, c.cci_distance_m) == (15, 4, 30)
    # -174 dBm/Hz + 87 dB(500 MHz) + 5 dB NF = -82.0 dBm
    assert c.noise_w == pytest.approx(10 ** ((-174 + 10 * 8.69897 + 5 - 30) / 10), rel=1e-4)


@pytest.mark.parametrize(("text", "key", "problem"), [
    (HEAD + "num_userz = 3", "noma_uplink.num_userz", "unknown key; allowed: num_users"),
    (HEAD + "num_users = 0", "noma_uplink.num_users", "must be >= 1, got 0"),
    (HEAD + "num_users = 2.5", "noma_uplink.num_users", "expected an integer"),
    (HEAD + "bandwidth_hz = '10 MHz'", "noma_uplink.bandwidth_hz", "expected a number"),
    (HEAD + "[dac]\nbits = 17", "dac.bits", "must be >= 1 and <= 16, got 17"),
    (HEAD + "[dac]\nbits = [4, 0]", "dac.bits[1]", "got 0"),
    (HEAD + "[adc]\nquantizer = 'sigma_delta'", "adc.quantizer", "expected one of 'uniform'"),
    (HEAD + "[adc.agc]\nbackoff_db = nan", "adc.agc.backoff_db", "must be finite"),
    ('name = "t"\nsystem = "full_duplex"\n', "full_duplex", "missing table [full_duplex]"),
    (HEAD + "[full_duplex]\n", "full_duplex", "table [full_duplex] given"),
    ('system = "noma_uplink"\n[noma_uplink]\n', "name", "missing"),
])
def test_errors_name_the_key_and_what_is_allowed(text, key, problem):
    with pytest.raises(TwinConfigError) as info:
        parse_scenario(text, "bad.toml")
    message = str(info.value)
    assert message.startswith(f"bad.toml: {key}: ")
    assert problem in message
    assert "\n" not in message


def test_invalid_toml_and_missing_file(tmp_path):
    with pytest.raises(TwinConfigError, match="not valid TOML"):
        parse_scenario("name = ", "bad.toml")
    with pytest.raises(TwinConfigError, match="cannot read the file"):
        load_scenario(tmp_path / "nope.toml")


def test_heterogeneous_bits_are_a_tuple():
    s = parse_scenario(HEAD + "[dac]\nbits = [1, 2, 3, 4]")
    assert s.dac.bits == (1, 2, 3, 4)
