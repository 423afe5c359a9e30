"""Summary of a run from synthetic slot arrays: numbers against hand-computed means."""

import math

import numpy as np
import pytest

from twin.replay.summary import (
    format_summary,
    mean_sinr_db,
    summarize_slots,
    user_labels,
    user_links_from_attrs,
)

# Floating-point sums of 50 values: relative error ~1e-15; 1e-12 leaves ample margin while still
# catching any wrong weighting (which would move the means by whole percent).
TOL = 1e-12


def test_mean_sinr_averages_in_linear_domain_hand_example():
    # 0 dB and 10 dB are 1 and 10 linear; their mean 5.5 is 10 log10(5.5) = 7.40363 dB,
    # not the 5 dB that averaging the dB values would give.
    assert mean_sinr_db(np.array([0.0, 10.0])) == pytest.approx(10 * math.log10(5.5), abs=TOL)
    assert mean_sinr_db(np.array([0.0, 10.0])) == pytest.approx(7.403626894942439, abs=TOL)


def test_mean_sinr_treats_minus_inf_db_as_zero_sinr():
    # -inf dB is SINR 0: mean of 0 and 10 (linear) is 5, i.e. 10 log10(5) = 6.98970 dB.
    assert mean_sinr_db(np.array([-np.inf, 10.0])) == pytest.approx(10 * math.log10(5), abs=TOL)


def test_per_user_rates_equal_hand_means(hand_trace, links):
    summary = summarize_slots(*hand_trace)
    assert len(summary.users) == len(links)
    for u, user in enumerate(summary.users):
        # hand_trace: rate_aqnm = (u+1) + 0.5 (-1)^s, rate_measured = 0.9 (u+1) + 0.2 (-1)^s;
        # the alternating term averages to exactly 0 over 50 slots.
        assert user.mean_rate_aqnm_bps_hz == pytest.approx(u + 1, abs=TOL)
        assert user.mean_rate_measured_bps_hz == pytest.approx(0.9 * (u + 1), abs=TOL)
        assert user.rate_gap_bps_hz == pytest.approx(-0.1 * (u + 1), abs=TOL)
        assert user.rate_gap_percent == pytest.approx(-10.0, abs=1e-9)
        # tx_power_w = 0.1 (u+1) + 0.05 (-1)^s
        assert user.mean_tx_power_w == pytest.approx(0.1 * (u + 1), abs=TOL)
        assert user.link == links[u]


def test_per_user_sinr_is_linear_mean_in_db(hand_trace):
    summary = summarize_slots(*hand_trace)
    for u, user in enumerate(summary.users):
        # AQNM SINR alternates 10u and 10u + 10 dB -> linear mean 5.5 * 10^u -> 10u + 7.40363 dB.
        assert user.mean_sinr_aqnm_db == pytest.approx(10 * u + 10 * math.log10(5.5), abs=1e-9)
        # Measured alternates 10u and 10u + 6 dB -> (1 + 10^0.6)/2 * 10^u -> 10u + 3.96293 dB.
        assert user.mean_sinr_measured_db == pytest.approx(
            10 * u + 10 * math.log10((1 + 10**0.6) / 2), abs=1e-9)


@pytest.mark.parametrize("links", [("dl", "dl", "ul", "ul")], ids=["fd_2dl_2ul"])
def test_totals_equal_hand_means_full_duplex(hand_trace):
    s = summarize_slots(*hand_trace)
    assert s.system == "full_duplex"
    assert s.seed == 7
    assert s.complete is True
    assert s.num_slots == 50
    assert s.duration_s == pytest.approx(5.0, abs=1e-9)  # 50 slots x 0.1 s
    # Sum over u = 0..3 of (u + 1) = 10, and of 0.9 (u + 1) = 9.
    assert s.sum_rate_aqnm_bps_hz == pytest.approx(10.0, abs=TOL)
    assert s.sum_rate_measured_bps_hz == pytest.approx(9.0, abs=TOL)
    assert s.sum_rate_gap_percent == pytest.approx(-10.0, abs=1e-9)
    # DL users u = 0, 1: 1 + 2 = 3 (AQNM), 2.7 (measured); UL users u = 2, 3: 7 and 6.3.
    assert s.sum_rates_bps_hz("dl") == pytest.approx((3.0, 2.7), abs=TOL)
    assert s.sum_rates_bps_hz("ul") == pytest.approx((7.0, 6.3), abs=TOL)
    # Radiated power: 0.1 (1 + 2 + 3 + 4) = 1 W; amplifier = tx / 0.5 = 2 W; circuit 38 W;
    # total 40 W, so the circuit share is 38 / 40 = 95 %.
    assert s.mean_tx_power_w == pytest.approx(1.0, abs=TOL)
    assert s.mean_amplifier_power_w == pytest.approx(2.0, abs=TOL)
    assert s.mean_circuit_power_w == pytest.approx(38.0, abs=1e-11)
    assert s.mean_total_power_w == pytest.approx(40.0, abs=1e-11)
    assert s.circuit_power_share == pytest.approx(0.95, abs=TOL)
    # EE alternates 0.2 / 0.3 (measured) and 0.3 / 0.4 (AQNM).
    assert s.mean_ee_measured_bits_per_j_hz == pytest.approx(0.25, abs=TOL)
    assert s.mean_ee_aqnm_bits_per_j_hz == pytest.approx(0.35, abs=TOL)
    # DAC columns 0.01 and 0.03 -> 0.02; ADC alternates 0 and 0.1 -> 0.05.
    assert s.mean_dac_clip_rate == pytest.approx(0.02, abs=TOL)
    assert s.mean_adc_clip_rate == pytest.approx(0.05, abs=TOL)


@pytest.mark.parametrize("links", [("ul",) * 10], ids=["noma_10ul"])
def test_totals_equal_hand_means_noma(hand_trace):
    s = summarize_slots(*hand_trace)
    assert s.system == "noma_uplink"
    assert [u.label for u in s.users] == [f"UL{k}" for k in range(1, 11)]
    # Sum of (u + 1) for u = 0..9 is 55; radiated power 0.1 * 55 = 5.5 W, amplifier 11 W.
    assert s.sum_rate_aqnm_bps_hz == pytest.approx(55.0, abs=1e-11)
    assert s.sum_rate_measured_bps_hz == pytest.approx(49.5, abs=1e-11)
    assert s.mean_tx_power_w == pytest.approx(5.5, abs=1e-11)
    assert s.mean_amplifier_power_w == pytest.approx(11.0, abs=1e-11)
    assert s.circuit_power_share == pytest.approx(38.0 / 49.0, abs=TOL)


def test_duration_uses_slot_s_attribute_when_recorded(hand_trace):
    slots, attrs = hand_trace
    one_slot = {k: v[:1] for k, v in slots.items()}
    # The engine records slot_s; with it even one slot has a duration (1 x 0.1 s).
    assert summarize_slots(one_slot, {**attrs, "slot_s": 0.1}).duration_s == pytest.approx(0.1)
    # Without it a single slot has no step to measure.
    assert math.isnan(summarize_slots(one_slot, attrs).duration_s)


def test_incomplete_trace_is_reported(hand_trace):
    slots, attrs = hand_trace
    summary = summarize_slots(slots, {**attrs, "complete": False})
    assert summary.complete is False
    assert "INCOMPLETE" in format_summary(summary)


def test_no_converter_gives_nan_clip_rate_and_na_text(hand_trace):
    slots, attrs = hand_trace
    slots = {**slots, "dac_clip_rate": np.zeros((50, 0))}
    summary = summarize_slots(slots, attrs)
    assert math.isnan(summary.mean_dac_clip_rate)
    dac_line = next(line for line in format_summary(summary).splitlines() if "DAC" in line)
    assert "n/a" in dac_line


def test_missing_dataset_is_named(hand_trace):
    slots, attrs = hand_trace
    slots = {k: v for k, v in slots.items() if k != "ee_aqnm_bits_per_j_hz"}
    with pytest.raises(ValueError, match="ee_aqnm_bits_per_j_hz"):
        summarize_slots(slots, attrs)


def test_shape_mismatch_is_reported(hand_trace):
    slots, attrs = hand_trace
    slots = {**slots, "sinr_measured_db": slots["sinr_measured_db"][:, :-1]}
    with pytest.raises(ValueError, match="sinr_measured_db has shape"):
        summarize_slots(slots, attrs)


def test_empty_trace_is_refused(hand_trace):
    slots, attrs = hand_trace
    empty = {k: v[:0] for k, v in slots.items()}
    with pytest.raises(ValueError, match="no slot"):
        summarize_slots(empty, attrs)


def test_user_links_accept_bytes_and_check_length():
    # h5py returns string attributes as bytes or numpy byte strings.
    assert user_links_from_attrs({"user_links": [b"dl", np.bytes_(b"ul")]}, 2) == ("dl", "ul")
    with pytest.raises(ValueError, match="names 2 users"):
        user_links_from_attrs({"user_links": ["dl", "ul"]}, 3)
    with pytest.raises(ValueError, match="only 'dl' or 'ul'"):
        user_links_from_attrs({"user_links": ["dl", "up"]}, 2)


def test_user_links_default_to_uplink_for_noma_only():
    assert user_links_from_attrs({"system": "noma_uplink"}, 3) == ("ul", "ul", "ul")
    with pytest.raises(ValueError, match="user_links"):
        user_links_from_attrs({"system": "full_duplex"}, 3)


def test_user_labels_count_within_link_kind():
    assert user_labels(("dl", "dl", "ul", "ul")) == ("DL1", "DL2", "UL1", "UL2")


def test_format_summary_has_one_row_per_user_and_units(hand_trace, links, capsys):
    summary = summarize_slots(*hand_trace)
    text = format_summary(summary)
    lines = text.splitlines()
    for user in summary.users:
        rows = [line for line in lines if line.split()[:2] == [user.label, user.link]]
        assert len(rows) == 1
        # Row values in table order: AQNM rate, measured rate, gap %, AQNM SINR, measured SINR.
        values = [float(v) for v in rows[0].split()[2:]]
        assert values == pytest.approx([user.mean_rate_aqnm_bps_hz,
                                        user.mean_rate_measured_bps_hz, -10.0,
                                        user.mean_sinr_aqnm_db, user.mean_sinr_measured_db],
                                       abs=0.01)  # printed with 2-3 decimals
    for unit in ("bit/s/Hz", " W ", "dBm", "bit/J/Hz", "%", "SINR [dB]"):
        assert unit in text
    # 1 W radiated (FD) is 30 dBm; 38 W circuit power is 95 % of the 40 W total.
    if links == ("dl", "dl", "ul", "ul"):
        assert "30.00 dBm" in text
        assert "95.00 % of total" in text
    assert capsys.readouterr().out == ""  # returns text, never prints


def test_gap_percent_is_not_shown_for_a_switched_off_user():
    from twin.replay.summary import UserSummary

    # A controller that turns a user off gives AQNM rate ~0: a relative gap would be ~1e12 %.
    off = UserSummary(0, "DL2", "dl", 1e-9, 1e-3, -138.0, -30.6, 0.0)
    on = UserSummary(1, "DL1", "dl", 2.0, 1.9, 7.7, 7.6, 0.1)
    assert np.isnan(off.rate_gap_percent)
    assert on.rate_gap_percent == pytest.approx(-5.0)  # (1.9 - 2.0) / 2.0
