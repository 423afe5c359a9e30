"""Shared trace fixtures: a small system's fields (2 users, 4 BS antennas) and its rows."""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from twin.trace import FieldSpec, TraceWriter

NUM_USERS = 2
NUM_BS_ANT = 4
NUM_SAMPLES = 32
SLOT_S = 1e-3

SCENARIO_TOML = """\
# a multi-line scenario, with quotes and non-ASCII text
[system]
name = "uplink"
label = 'ü "quoted" \\t'

[trace]
waveform_every = 3
"""


@dataclass(frozen=True)
class TraceCase:
    """Fields, root attributes and the rows of one small trace."""

    attrs: dict[str, Any]
    slot_fields: dict[str, FieldSpec]
    waveform_fields: dict[str, FieldSpec]
    waveform_every: int

    def slot_row(self, slot: int) -> dict[str, np.ndarray]:
        """Row of slot ``slot``, a function of ``slot`` alone (a generator seeded by it)."""
        rng = np.random.default_rng(slot)
        sinr_db = rng.normal(10.0, 5.0, NUM_USERS).astype(np.float32)
        if slot == 5:
            sinr_db[:] = [np.nan, -0.0]  # a NaN and a negative zero must survive bit-exactly
        return {
            "time_s": np.float64(slot * SLOT_S),
            "positions_m": rng.uniform(-100.0, 100.0, (NUM_USERS, 3)),
            "sinr_aqnm_db": sinr_db,
            "channel_lin": (rng.standard_normal((NUM_BS_ANT, NUM_USERS))
                            + 1j * rng.standard_normal((NUM_BS_ANT, NUM_USERS))
                            ).astype(np.complex64),
            "agc_codes": rng.integers(-128, 128, (NUM_BS_ANT, 2)).astype(np.int8),
        }

    def waveform_row(self, slot: int) -> dict[str, np.ndarray]:
        """Waveform snapshot of slot ``slot``, a function of ``slot`` alone."""
        rng = np.random.default_rng(10_000 + slot)
        return {
            "tx_symbols": (rng.standard_normal((NUM_USERS, NUM_SAMPLES))
                           + 1j * rng.standard_normal((NUM_USERS, NUM_SAMPLES))
                           ).astype(np.complex64),
            "adc_codes": rng.integers(-8, 8, (NUM_BS_ANT, NUM_SAMPLES, 2)).astype(np.int8),
            "adc_scale_v": rng.uniform(0.1, 1.0, NUM_BS_ANT),
        }

    def write(self, writer, num_slots: int) -> None:
        """Write slots ``0 .. num_slots - 1``, waveforms every ``waveform_every``-th slot."""
        for slot in range(num_slots):
            writer.write_slot(slot, self.slot_row(slot))
            if slot % self.waveform_every == 0:
                writer.write_waveforms(slot, self.waveform_row(slot))


@pytest.fixture
def case() -> TraceCase:
    return TraceCase(
        attrs={"scenario_toml": SCENARIO_TOML, "seed": 1234, "system": "uplink",
               "twin_version": "0.1.0", "user_links": [[0, 1], [1, 3]],
               "waveform_every": 3, "slot_s": SLOT_S, "aqnm": True,
               "names": ["ue_0", "ue_1"]},
        slot_fields={
            "time_s": FieldSpec((), np.float64, "s"),
            "positions_m": FieldSpec((NUM_USERS, 3), np.float64, "m"),
            "sinr_aqnm_db": FieldSpec((NUM_USERS,), np.float32, "dB"),
            "channel_lin": FieldSpec((NUM_BS_ANT, NUM_USERS), np.complex64, "1"),
            "agc_codes": FieldSpec((NUM_BS_ANT, 2), np.int8, "code"),
        },
        waveform_fields={
            "tx_symbols": FieldSpec((NUM_USERS, NUM_SAMPLES), np.complex64, "1"),
            "adc_codes": FieldSpec((NUM_BS_ANT, NUM_SAMPLES, 2), np.int8, "code"),
            "adc_scale_v": FieldSpec((NUM_BS_ANT,), np.float64, "V"),
        },
        waveform_every=3,
    )


@pytest.fixture
def make_writer(case):
    """``make_writer(path, **kwargs)``: a TraceWriter with the case's fields and attributes."""
    def make(path, **kwargs):
        return TraceWriter(path, attrs=case.attrs, slot_fields=case.slot_fields,
                           waveform_fields=case.waveform_fields, **kwargs)
    return make
