"""The scenario `twin run` uses when given none: the seed 000 uplink, moving users, a few
seconds of simulation."""

DEFAULT_SCENARIO_TOML = """\
# twin's embedded default: seed 000's uplink (Table III) with walking and driving users.
name = "default"
system = "noma_uplink"

[run]
seed = 1
num_slots = 400
slot_s = 1e-3
samples_per_slot = 1024

[noma_uplink]
num_users = 10
num_user_ant = 4
num_bs_ant = 8

[mobility]
model = "constant_velocity"
speed_mps = [1.4, 1.4, 1.4, 1.4, 1.4, 15.0, 15.0, 15.0, 30.0, 30.0]

[controller]
kind = "lmmse"

[dac]
bits = 5

[adc]
bits = 5
"""
