"""Figures of ``twin replay``: each writes a non-trivial PNG from synthetic slot arrays.

Rendering costs ~0.3 s a figure, so each function is drawn once on the full-duplex trace (both
link kinds, two panels, both markers) and :func:`plot_replay` draws the whole set for the
10-user NOMA trace and for the full-duplex one with a constellation.
"""

import numpy as np
import pytest

from twin.plots.replay import (
    FIGURE_NAMES,
    plot_constellation,
    plot_power_breakdown,
    plot_rates_over_time,
    plot_replay,
    plot_sinr_scatter,
    plot_user_tracks,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A blank 120-dpi canvas of these sizes compresses to a few kB; labelled axes with data are
# tens of kB (the rendered set weighs 40-250 kB), so 10 kB separates "drew something" from blank.
MIN_PNG_BYTES = 10_000

QAM16 = np.array([a + 1j * b for a in (-3, -1, 1, 3) for b in (-3, -1, 1, 3)]) / np.sqrt(10)
LINKS_FD = ("dl", "dl", "ul", "ul")


def assert_png(path, expected):
    assert path == expected
    data = expected.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > MIN_PNG_BYTES


def noisy_qam(num_points, seed=0):
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(num_points) + 1j * rng.standard_normal(num_points)
    return rng.choice(QAM16, num_points) + 0.07 * noise


def test_rates_over_time_writes_png(fd_trace, tmp_path):
    slots, _ = fd_trace
    out = tmp_path / "rates.png"
    path = plot_rates_over_time(slots["time_s"], slots["rate_aqnm_bps_hz"],
                                slots["rate_measured_bps_hz"], LINKS_FD, out)
    assert_png(path, out)


def test_sinr_scatter_writes_png_despite_minus_inf(fd_trace, tmp_path):
    slots, _ = fd_trace
    measured = slots["sinr_measured_db"].copy()
    measured[0, 0] = -np.inf  # a slot where the measured SINR is zero: left out of the gap
    out = tmp_path / "sinr.png"
    assert_png(plot_sinr_scatter(slots["sinr_aqnm_db"], measured, LINKS_FD, out), out)


def test_power_breakdown_writes_png_with_other_power(fd_trace, tmp_path):
    slots, _ = fd_trace
    total_w = slots["total_power_w"] + 3.0  # e.g. a fixed AP power outside amplifier + circuit
    out = tmp_path / "sub" / "power.png"  # the parent folder is created
    path = plot_power_breakdown(slots["time_s"], slots["tx_power_w"], slots["amplifier_power_w"],
                                slots["circuit_power_w"], out, total_w=total_w)
    assert_png(path, out)


def test_user_tracks_writes_png(fd_trace, tmp_path):
    slots, _ = fd_trace
    out = tmp_path / "tracks.png"
    assert_png(plot_user_tracks(slots["positions_m"], LINKS_FD, out, ap_position_m=(0, 0)), out)


def test_constellation_scatter_with_reference_writes_png(tmp_path):
    out = tmp_path / "constellation.png"
    assert_png(plot_constellation(noisy_qam(1_000), out, reference=QAM16), out)


def test_constellation_hexbin_without_reference_writes_png(tmp_path):
    out = tmp_path / "constellation.png"  # 20 000 points: drawn as a density, no legend entry
    assert_png(plot_constellation(noisy_qam(20_000), out, title="hexbin only"), out)


def test_constellation_refuses_no_points(tmp_path):
    with pytest.raises(ValueError, match="no finite point"):
        plot_constellation(np.array([np.nan + 0j]), tmp_path / "c.png")


def test_rates_shape_mismatch_is_reported(fd_trace, tmp_path):
    slots, _ = fd_trace
    with pytest.raises(ValueError, match="rate_measured has shape"):
        plot_rates_over_time(slots["time_s"], slots["rate_aqnm_bps_hz"],
                             slots["rate_measured_bps_hz"][:-1], LINKS_FD, tmp_path / "r.png")


def test_plot_replay_writes_four_files_without_constellation(noma_trace, tmp_path):
    slots, attrs = noma_trace
    out_dir = tmp_path / "figs"
    paths = plot_replay(slots, attrs, out_dir)
    names = ["rates.png", "sinr_scatter.png", "power.png", "tracks.png"]
    assert [p.name for p in paths] == names
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(names)
    for p in paths:
        assert_png(p, out_dir / p.name)


def test_plot_replay_writes_five_files_with_constellation(fd_trace, tmp_path):
    slots, attrs = fd_trace
    paths = plot_replay(slots, {**attrs, "complete": False}, tmp_path,
                        constellation=noisy_qam(500), constellation_reference=QAM16)
    assert [p.name for p in paths] == list(FIGURE_NAMES.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FIGURE_NAMES.values())
    for p in paths:
        assert_png(p, tmp_path / p.name)
