"""Figures of ``twin replay``: rates, SINR model-vs-hardware, power, user tracks, constellation.

Each function takes arrays (the trace's per-slot datasets, first axis = slot, ``S`` slots, ``U``
users) and a path, writes one PNG at 120 dpi with the Agg backend, and returns the path.
:func:`plot_replay` writes the whole set for one run into a folder under fixed file names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from twin.replay.summary import (
    LINK_KINDS,
    require_datasets,
    user_labels,
    user_links_from_attrs,
)

DPI = 120

FIGURE_NAMES: dict[str, str] = {
    "rates": "rates.png",
    "sinr_scatter": "sinr_scatter.png",
    "power": "power.png",
    "tracks": "tracks.png",
    "constellation": "constellation.png",
}
"""File name of each figure that :func:`plot_replay` writes."""

REPLAY_PLOT_DATASETS: tuple[str, ...] = (
    "time_s", "positions_m", "sinr_aqnm_db", "sinr_measured_db", "rate_aqnm_bps_hz",
    "rate_measured_bps_hz", "tx_power_w", "amplifier_power_w", "circuit_power_w",
    "total_power_w")
"""Slot datasets :func:`plot_replay` reads."""

_TITLES = {
    "rates": "Rate per user: measured from bit-true waveforms (solid) vs AQNM (dashed)",
    "sinr_scatter": "SINR per slot and user: measured vs AQNM",
    "power": "Power consumption",
    "tracks": "User tracks",
    "constellation": "Detector output constellation",
}
_LINK_NAMES = {"dl": "downlink", "ul": "uplink"}
_LINK_MARKERS = {"dl": "o", "ul": "^"}


def plot_rates_over_time(time_s: np.ndarray, rate_aqnm: np.ndarray, rate_measured: np.ndarray,
                         user_links: Sequence[str], path: Path, *,
                         title: str | None = None) -> Path:
    """Rate of every user over time: measured solid, AQNM dashed, one colour per user.

    Parameters
    ----------
    time_s : [S], float
        Slot times in s.
    rate_aqnm, rate_measured : [S, U], float
        AQNM-predicted and measured rates in bit/s/Hz.
    user_links : sequence of str, length U
        ``"dl"`` or ``"ul"`` per user; one panel per link kind present.
    path : Path
        PNG to write (parent folders are created).
    title : str, optional
        Figure title; a default names what is shown.

    Returns
    -------
    Path
        ``path``.
    """
    time_s = np.asarray(time_s, dtype=float)
    rate_aqnm = np.asarray(rate_aqnm, dtype=float)
    rate_measured = np.asarray(rate_measured, dtype=float)
    links = tuple(user_links)
    _check_per_user("rate_aqnm", rate_aqnm, time_s.size, len(links))
    _check_per_user("rate_measured", rate_measured, time_s.size, len(links))
    labels = user_labels(links)
    colors = _user_colors(len(links))
    present = [k for k in LINK_KINDS if k in links]
    fig, axes = plt.subplots(len(present), 1, figsize=(10.5, 0.8 + 3.4 * len(present)),
                             sharex=True, squeeze=False, constrained_layout=True)
    for ax, link in zip(axes[:, 0], present, strict=True):
        handles = []
        for u in (i for i, k in enumerate(links) if k == link):
            (line,) = ax.plot(time_s, rate_measured[:, u], color=colors[u], lw=1.4,
                              label=labels[u])
            ax.plot(time_s, rate_aqnm[:, u], color=colors[u], lw=1.2, ls="--")
            handles.append(line)
        handles += [Line2D([], [], color="0.35", lw=1.4, label="measured (bit-true)"),
                    Line2D([], [], color="0.35", lw=1.2, ls="--", label="AQNM")]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                  ncols=2 if len(handles) > 14 else 1)
        ax.set_ylabel("rate [bit/s/Hz]")
        ax.set_title(f"{_LINK_NAMES[link]} users", fontsize=10)
        ax.grid(True, alpha=0.3)
    axes[-1, 0].set_xlabel("time [s]")
    fig.suptitle(title or _TITLES["rates"])
    return _save(fig, path)


def plot_sinr_scatter(sinr_aqnm_db: np.ndarray, sinr_measured_db: np.ndarray,
                      user_links: Sequence[str], path: Path, *,
                      title: str | None = None) -> Path:
    """Measured SINR against the AQNM SINR for every slot and user, with the identity line.

    The gap ``measured - AQNM`` is taken per point in dB; its mean and RMS over all finite points
    (and per link kind when both are present) are written on the figure.

    Parameters
    ----------
    sinr_aqnm_db, sinr_measured_db : [S, U], float
        SINR per slot in dB, AQNM-predicted (x axis) and measured (y axis).
    user_links : sequence of str, length U
        ``"dl"`` (circles) or ``"ul"`` (triangles) per user.
    path : Path
        PNG to write.
    title : str, optional
        Axes title.

    Returns
    -------
    Path
        ``path``.
    """
    x_db = np.asarray(sinr_aqnm_db, dtype=float)
    y_db = np.asarray(sinr_measured_db, dtype=float)
    links = tuple(user_links)
    _check_per_user("sinr_aqnm_db", x_db, x_db.shape[0] if x_db.ndim else 0, len(links))
    _check_per_user("sinr_measured_db", y_db, x_db.shape[0], len(links))
    labels = user_labels(links)
    colors = _user_colors(len(links))
    fig, ax = plt.subplots(figsize=(7.4, 6.6), constrained_layout=True)
    for u, link in enumerate(links):
        ax.scatter(x_db[:, u], y_db[:, u], s=14, marker=_LINK_MARKERS[link], color=colors[u],
                   alpha=0.55, edgecolors="none", label=labels[u])
    finite = np.isfinite(x_db) & np.isfinite(y_db)  # [S, U]
    if finite.any():
        both = np.concatenate([x_db[finite], y_db[finite]])
        lo, hi = float(both.min()), float(both.max())
        pad = max(0.05 * (hi - lo), 0.5)
        lo, hi = lo - pad, hi + pad
        ax.plot([lo, hi], [lo, hi], color="k", lw=1.0, label="identity")
        ax.fill_between([lo, hi], [lo - 1, hi - 1], [lo + 1, hi + 1], color="0.5", alpha=0.15,
                        lw=0, label="±1 dB")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        text = ["gap = measured − AQNM, per point",
                _gap_line("all", y_db[finite] - x_db[finite])]
        if len(set(links)) > 1:
            for link in LINK_KINDS:
                cols = np.array([k == link for k in links])
                sel = finite & cols[None, :]
                text.append(_gap_line(link.upper(), y_db[sel] - x_db[sel]))
    else:
        text = ["no finite SINR pair to compare"]
    ax.text(0.03, 0.97, "\n".join(text), transform=ax.transAxes, va="top", ha="left",
            fontsize=9, family="monospace",
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.9, "edgecolor": "0.7"})
    ax.set_aspect("equal", adjustable="box")
    ax.set(xlabel="AQNM-predicted SINR [dB]", ylabel="measured SINR (bit-true) [dB]",
           title=title or _TITLES["sinr_scatter"])
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, ncols=2 if len(links) > 5 else 1, markerscale=1.6)
    return _save(fig, path)


def plot_power_breakdown(time_s: np.ndarray, tx_w: np.ndarray, amplifier_w: np.ndarray,
                         circuit_w: np.ndarray, path: Path, *, total_w: np.ndarray | None = None,
                         title: str | None = None) -> Path:
    """Amplifier and circuit power stacked over time, and the circuit (P^AC) share of the energy.

    The share is ``sum(circuit_w) / sum(total_w)`` over the run (the quantity of seed 000
    Fig. 9a, where P^AC exceeds 93 % of the total); without ``total_w`` the total is amplifier
    plus circuit power. Any remainder ``total - amplifier - circuit`` above 0.1 % is drawn as
    "other".

    Parameters
    ----------
    time_s : [S], float
        Slot times in s.
    tx_w : [S, U] or [S], float
        Radiated power in W, per user (summed here) or already summed; drawn dashed.
    amplifier_w, circuit_w : [S], float
        Amplifier power (tx power / efficiency, summed) and analog circuit power in W.
    path : Path
        PNG to write.
    total_w : [S], float, optional
        Total consumed power in W.
    title : str, optional
        Figure title.

    Returns
    -------
    Path
        ``path``.
    """
    time_s = np.asarray(time_s, dtype=float)
    tx_w = np.asarray(tx_w, dtype=float)
    tx_w = tx_w.sum(axis=1) if tx_w.ndim == 2 else tx_w  # [S]
    amplifier_w = np.asarray(amplifier_w, dtype=float)
    circuit_w = np.asarray(circuit_w, dtype=float)
    total_w = amplifier_w + circuit_w if total_w is None else np.asarray(total_w, dtype=float)
    for name, arr in (("tx_w", tx_w), ("amplifier_w", amplifier_w), ("circuit_w", circuit_w),
                      ("total_w", total_w)):
        if arr.shape != time_s.shape:
            raise ValueError(f"{name} has shape {arr.shape}, expected {time_s.shape} "
                             "(one value per slot)")
    fig, (ax, ax_pie) = plt.subplots(1, 2, figsize=(11.5, 4.8), width_ratios=[2.2, 1],
                                     constrained_layout=True)
    other_w = np.clip(total_w - amplifier_w - circuit_w, 0.0, None)
    has_other = other_w.sum() > 1e-3 * total_w.sum()
    layers = [amplifier_w, circuit_w] + ([other_w] if has_other else [])
    names = [r"amplifiers $P^{\mathrm{AP}} = P^{\mathrm{T}}/\eta$",
             r"analog circuits $P^{\mathrm{AC}}$"] + (["other"] if has_other else [])
    colors = ["tab:orange", "tab:blue", "tab:gray"][:len(layers)]
    ax.stackplot(time_s, *layers, labels=names, colors=colors, alpha=0.75)
    ax.plot(time_s, tx_w, color="k", ls="--", lw=1.2, label=r"radiated $P^{\mathrm{T}}$")
    ax.set_ylim(0.0, 1.3 * max(float(np.max(total_w)), float(np.max(tx_w)), 1e-12))
    if time_s.size > 1:
        ax.set_xlim(time_s.min(), time_s.max())
    ax.set(xlabel="time [s]", ylabel="power [W]", title="over time (stacked)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center", ncols=len(layers) + 1, fontsize=8)

    energy = np.array([layer.sum() for layer in layers])
    total = float(total_w.sum())
    share = float(circuit_w.sum()) / total if total > 0 else float("nan")
    if total > 0 and np.all(energy >= 0) and energy.sum() > 0:
        wedges, _ = ax_pie.pie(energy, colors=colors, startangle=90, counterclock=False,
                               wedgeprops={"width": 0.42, "edgecolor": "white", "alpha": 0.85})
        ax_pie.legend(wedges, [f"{n.split(' $')[0]}: {100 * e / energy.sum():.2f} %"
                               for n, e in zip(names, energy, strict=True)],
                      loc="upper center", bbox_to_anchor=(0.5, 0.02), fontsize=8, frameon=False)
        ax_pie.text(0, 0, f"$P^{{\\mathrm{{AC}}}}$\n{100 * share:.1f} %", ha="center",
                    va="center", fontsize=13)
    else:
        ax_pie.text(0.5, 0.5, "no power recorded", ha="center", va="center",
                    transform=ax_pie.transAxes)
        ax_pie.set_axis_off()
    ax_pie.set_title("share of the energy over the run\n(seed 000 Fig. 9a: $P^{\\mathrm{AC}}$ "
                     "> 93 %)", fontsize=10)
    fig.suptitle(title or _TITLES["power"])
    return _save(fig, path)


def plot_user_tracks(positions_m: np.ndarray, user_links: Sequence[str], path: Path,
                     ap_position_m: Sequence[float] = (0.0, 0.0), *,
                     station_label: str | None = None, title: str | None = None) -> Path:
    """Trajectories of the users in the plane, start and end marked, with the BS/AP.

    Parameters
    ----------
    positions_m : [S, U, 2], float
        User positions (x, y) in m.
    user_links : sequence of str, length U
        ``"dl"`` or ``"ul"`` per user.
    path : Path
        PNG to write.
    ap_position_m : (2,), float
        Position of the base station / access point in m.
    station_label : str, optional
        Name of the station in the legend; default ``"AP"`` if any user is downlink (the
        full-duplex system), otherwise ``"BS"``.
    title : str, optional
        Axes title.

    Returns
    -------
    Path
        ``path``.
    """
    pos = np.asarray(positions_m, dtype=float)
    links = tuple(user_links)
    if pos.ndim != 3 or pos.shape[1:] != (len(links), 2):
        raise ValueError(f"positions_m has shape {pos.shape}, expected (slots, {len(links)}, 2)")
    labels = user_labels(links)
    colors = _user_colors(len(links))
    station = station_label or ("AP" if "dl" in links else "BS")
    ap = np.asarray(ap_position_m, dtype=float)
    fig, ax = plt.subplots(figsize=(8.4, 6.8), constrained_layout=True)
    handles = []
    for u in range(len(links)):
        xy = pos[:, u, :]  # [S, 2]
        ls = "-" if links[u] == "ul" else (0, (4, 1.5))
        (line,) = ax.plot(xy[:, 0], xy[:, 1], color=colors[u], lw=1.6, ls=ls, label=labels[u])
        ax.plot(*xy[0], marker="o", ms=7, mfc="white", mec=colors[u], mew=1.6)
        ax.plot(*xy[-1], marker="s", ms=6, color=colors[u])
        ax.annotate(labels[u], xy[-1], xytext=(5, 4), textcoords="offset points", fontsize=8,
                    color=colors[u])
        handles.append(line)
    ax.plot(*ap, marker="*", ms=18, color="k", ls="none")
    ax.annotate(station, ap, xytext=(8, -12), textcoords="offset points", fontsize=9)
    handles += [Line2D([], [], marker="o", mfc="white", mec="0.3", ls="none", label="start"),
                Line2D([], [], marker="s", color="0.3", ls="none", label="end"),
                Line2D([], [], marker="*", ms=12, color="k", ls="none", label=station)]
    if len(set(links)) > 1:
        handles += [Line2D([], [], color="0.3", ls=(0, (4, 1.5)), label="downlink user"),
                    Line2D([], [], color="0.3", label="uplink user")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set(xlabel="x [m]", ylabel="y [m]", title=title or _TITLES["tracks"])
    ax.grid(True, alpha=0.3)
    return _save(fig, path)


def plot_constellation(points: np.ndarray, path: Path, reference: np.ndarray | None = None,
                       title: str = _TITLES["constellation"], *,
                       max_scatter_points: int = 4000) -> Path:
    """Complex points in the I/Q plane, as a scatter or, when many, as a log-density hexbin.

    Parameters
    ----------
    points : [...], complex
        Points to show, e.g. detector outputs rebuilt from recorded ADC codes (any shape,
        flattened; non-finite points are dropped). Axes are in the points' own units
        (normalized amplitude for detector outputs).
    path : Path
        PNG to write.
    reference : [...], complex, optional
        Reference symbols (e.g. the transmitted alphabet), drawn as red crosses; duplicates
        are drawn once.
    title : str
        Axes title; the number of points is appended.
    max_scatter_points : int
        Above this many points a hexbin density replaces the scatter.

    Returns
    -------
    Path
        ``path``.
    """
    z = np.asarray(points).astype(complex).ravel()
    z = z[np.isfinite(z)]
    if z.size == 0:
        raise ValueError("plot_constellation got no finite point to draw")
    ref = None if reference is None else np.unique(np.asarray(reference).astype(complex).ravel())
    extent = float(np.percentile(np.maximum(np.abs(z.real), np.abs(z.imag)), 99.9))
    if ref is not None and ref.size:
        extent = max(extent, float(np.max(np.maximum(np.abs(ref.real), np.abs(ref.imag)))))
    lim = 1.15 * extent if extent > 0 else 1.0
    fig, ax = plt.subplots(figsize=(7.0, 6.0), constrained_layout=True)
    if z.size > max_scatter_points:
        hb = ax.hexbin(z.real, z.imag, gridsize=90, bins="log", mincnt=1, cmap="viridis",
                       extent=(-lim, lim, -lim, lim))
        fig.colorbar(hb, ax=ax, label="received points per bin (log scale)")
    else:
        ax.scatter(z.real, z.imag, s=9, alpha=0.5, color="tab:blue", edgecolors="none",
                   label="received")
    if ref is not None and ref.size:
        ax.scatter(ref.real, ref.imag, marker="x", s=70, linewidths=2.0, color="tab:red",
                   label="reference symbols")
    ax.axhline(0, color="0.5", lw=0.6)
    ax.axvline(0, color="0.5", lw=0.6)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal", adjustable="box")
    ax.set(xlabel="in-phase I [normalized amplitude]",
           ylabel="quadrature Q [normalized amplitude]", title=f"{title} ({z.size} points)")
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:  # a hexbin without reference has nothing to list
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return _save(fig, path)


def plot_replay(slots: Mapping[str, np.ndarray], attrs: Mapping[str, object],
                out_dir: Path, constellation: np.ndarray | None = None, *,
                constellation_reference: np.ndarray | None = None,
                ap_position_m: Sequence[float] = (0.0, 0.0)) -> list[Path]:
    """Write every figure of one run into ``out_dir`` (names in :data:`FIGURE_NAMES`).

    Parameters
    ----------
    slots : mapping of str to ndarray
        Per-slot datasets (see :data:`REPLAY_PLOT_DATASETS` for those read).
    attrs : mapping of str to object
        Root attributes; ``user_links``, ``name``, ``complete`` and ``system`` are read.
    out_dir : Path
        Folder to write into (created if missing).
    constellation : [...], complex, optional
        Points for ``constellation.png``; without it that figure is not written.
    constellation_reference : [...], complex, optional
        Reference symbols overlaid on the constellation.
    ap_position_m : (2,), float
        BS/AP position for the tracks figure, in m.

    Returns
    -------
    list of Path
        The files written: rates, SINR scatter, power, tracks, then constellation if given.
    """
    require_datasets(slots, REPLAY_PLOT_DATASETS)
    num_users = np.shape(slots["rate_measured_bps_hz"])[-1]
    links = user_links_from_attrs(attrs, num_users)
    out_dir = Path(out_dir)
    name = str(attrs.get("name", "") or "")
    suffix = (f" — {name}" if name else "") + ("" if attrs.get("complete", False)
                                              else " (incomplete trace)")
    paths = [
        plot_rates_over_time(slots["time_s"], slots["rate_aqnm_bps_hz"],
                             slots["rate_measured_bps_hz"], links,
                             out_dir / FIGURE_NAMES["rates"], title=_TITLES["rates"] + suffix),
        plot_sinr_scatter(slots["sinr_aqnm_db"], slots["sinr_measured_db"], links,
                          out_dir / FIGURE_NAMES["sinr_scatter"],
                          title=_TITLES["sinr_scatter"] + suffix),
        plot_power_breakdown(slots["time_s"], slots["tx_power_w"], slots["amplifier_power_w"],
                             slots["circuit_power_w"], out_dir / FIGURE_NAMES["power"],
                             total_w=slots["total_power_w"], title=_TITLES["power"] + suffix),
        plot_user_tracks(slots["positions_m"], links, out_dir / FIGURE_NAMES["tracks"],
                         ap_position_m, title=_TITLES["tracks"] + suffix),
    ]
    if constellation is not None:
        paths.append(plot_constellation(constellation, out_dir / FIGURE_NAMES["constellation"],
                                        reference=constellation_reference,
                                        title=_TITLES["constellation"] + suffix))
    return paths


# ---------------------------------------------------------------------------------------------


def _user_colors(num_users: int) -> list[tuple[float, float, float, float]]:
    """One colour per user: ``tab10`` up to 10 users, evenly spaced ``turbo`` beyond."""
    if num_users <= 10:
        cmap = matplotlib.colormaps["tab10"]
        return [cmap(i) for i in range(num_users)]
    cmap = matplotlib.colormaps["turbo"]
    return [cmap(x) for x in np.linspace(0.05, 0.95, num_users)]


def _gap_line(label: str, gap_db: np.ndarray) -> str:
    """``"all  mean +0.12 dB  RMS 0.45 dB  (n=500)"``."""
    if gap_db.size == 0:
        return f"{label:<3}  no finite point"
    mean_db = float(np.mean(gap_db))
    rms_db = float(np.sqrt(np.mean(gap_db**2)))
    return f"{label:<3}  mean {mean_db:+.2f} dB  RMS {rms_db:.2f} dB  (n={gap_db.size})"


def _check_per_user(name: str, arr: np.ndarray, num_slots: int, num_users: int) -> None:
    if arr.shape != (num_slots, num_users):
        raise ValueError(f"{name} has shape {arr.shape}, expected ({num_slots}, {num_users}) "
                         "= (slots, users)")


def _save(fig: plt.Figure, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
