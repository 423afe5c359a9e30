"""Summary of a recorded run: per-user rates and SINRs (AQNM beside bit-true), powers, EE, clipping.

Input is what the trace reader returns: the per-slot datasets as a ``dict`` of numpy arrays (first
axis = slot, ``S`` slots, ``U`` users) and the root attributes as a ``dict``. For the full-duplex
system the users are the ``K_D`` downlink users followed by the ``K_U`` uplink users and
``attrs["user_links"]`` spells that out (``"dl"``/``"ul"`` per user); for the NOMA uplink all
users are ``"ul"``.

Averages are over slots, each slot weighted equally (the engine records one row per slot of
fixed length ``slot_s``):

- rates, powers, EE and clip rates: arithmetic mean of the recorded values;
- SINR: the mean of the *linear* SINR, converted to dB at the end
  (``10 log10(mean(10^(sinr_db / 10)))``), i.e. the average received signal-to-interference ratio.
  This is not the mean of the dB values, which by Jensen's inequality is never larger;
- EE: the mean of the per-slot EE (``ee_bits_per_j_hz``, computed by the engine from the measured
  rates, and ``ee_aqnm_bits_per_j_hz``), not the ratio of the mean sum rate to the mean power;
- circuit power share: mean circuit power over mean total power, i.e. the share of the *energy*
  spent in the analog circuits over the run, the quantity behind seed 000 Fig. 9a ("P^AC ... the
  predominant portion of the system's power consumption, exceeding 93 %").

Nothing here prints: :func:`format_summary` returns the text and ``twin/cli.py`` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from twin.units import db_to_lin, lin_to_db, w_to_dbm

LINK_KINDS: tuple[str, ...] = ("dl", "ul")

PER_SLOT_DATASETS: tuple[str, ...] = (
    "time_s", "amplifier_power_w", "circuit_power_w", "total_power_w",
    "ee_bits_per_j_hz", "ee_aqnm_bits_per_j_hz")
"""Datasets shaped ``[S]`` that the summary reads."""

PER_USER_DATASETS: tuple[str, ...] = (
    "sinr_aqnm_db", "sinr_measured_db", "rate_aqnm_bps_hz", "rate_measured_bps_hz", "tx_power_w")
"""Datasets shaped ``[S, U]`` that the summary reads."""

PER_CONVERTER_DATASETS: tuple[str, ...] = ("dac_clip_rate", "adc_clip_rate")
"""Datasets shaped ``[S, num_converters]`` (the number may be zero) that the summary reads."""

SUMMARY_DATASETS: tuple[str, ...] = PER_SLOT_DATASETS + PER_USER_DATASETS + PER_CONVERTER_DATASETS


@dataclass(frozen=True, slots=True)
class UserSummary:
    """Slot averages for one user.

    Attributes
    ----------
    index : int
        Position of the user on the trace's user axis (0-based).
    label : str
        Name shown in tables and legends: ``"DL1"``, ``"UL3"`` (1-based within its link kind).
    link : str
        ``"dl"`` or ``"ul"``.
    mean_rate_aqnm_bps_hz, mean_rate_measured_bps_hz : float
        Mean rate, AQNM-predicted and measured from the bit-true waveforms, in bit/s/Hz.
    mean_sinr_aqnm_db, mean_sinr_measured_db : float
        Mean SINR in dB, averaged in the linear domain (see the module docstring).
    mean_tx_power_w : float
        Mean radiated power for this user in W (for a DL user, the AP's power spent on it).
    """

    index: int
    label: str
    link: str
    mean_rate_aqnm_bps_hz: float
    mean_rate_measured_bps_hz: float
    mean_sinr_aqnm_db: float
    mean_sinr_measured_db: float
    mean_tx_power_w: float

    @property
    def rate_gap_bps_hz(self) -> float:
        """Measured minus AQNM mean rate in bit/s/Hz (positive: the hardware beats the model)."""
        return self.mean_rate_measured_bps_hz - self.mean_rate_aqnm_bps_hz

    @property
    def rate_gap_percent(self) -> float:
        """:attr:`rate_gap_bps_hz` relative to the AQNM mean rate, in %; NaN below 1e-3 bit/s/Hz,
        where a relative gap means nothing (a user a controller switched off)."""
        if not abs(self.mean_rate_aqnm_bps_hz) >= _MIN_RATE_FOR_GAP_BPS_HZ:
            return float("nan")
        return _percent(self.rate_gap_bps_hz, self.mean_rate_aqnm_bps_hz)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What ``twin replay`` reports about one run.

    Attributes
    ----------
    name, system : str
        Run name and system (``"noma_uplink"`` or ``"full_duplex"``) from the root attributes.
    seed : int or None
        Scenario seed, ``None`` if the trace does not record one.
    complete : bool
        ``True`` only if the writer closed the trace cleanly; otherwise the numbers cover the
        slots that were flushed before the run stopped.
    num_slots : int
        Number of recorded slots ``S``.
    duration_s : float
        Simulated time covered: ``S`` times the slot length, taken from ``attrs["slot_s"]`` (the
        engine records it) or else from the median step of ``time_s``; NaN if neither is known
        (no ``slot_s`` attribute and a single slot).
    users : tuple of UserSummary
        One per user, in trace order.
    sum_rate_aqnm_bps_hz, sum_rate_measured_bps_hz : float
        Sum over users of the mean rates (= mean over slots of the sum rate), bit/s/Hz.
    mean_tx_power_w : float
        Mean over slots of the radiated power summed over users, W.
    mean_amplifier_power_w, mean_circuit_power_w, mean_total_power_w : float
        Mean over slots of ``amplifier_power_w``, ``circuit_power_w``, ``total_power_w``, W.
    mean_ee_measured_bits_per_j_hz, mean_ee_aqnm_bits_per_j_hz : float
        Mean over slots of the per-slot energy efficiency, bit/J/Hz.
    mean_dac_clip_rate, mean_adc_clip_rate : float
        Mean over slots and converters of the fraction of samples that hit a rail (0..1); NaN if
        the system has no converter of that kind.
    """

    name: str
    system: str
    seed: int | None
    complete: bool
    num_slots: int
    duration_s: float
    users: tuple[UserSummary, ...]
    sum_rate_aqnm_bps_hz: float
    sum_rate_measured_bps_hz: float
    mean_tx_power_w: float
    mean_amplifier_power_w: float
    mean_circuit_power_w: float
    mean_total_power_w: float
    mean_ee_measured_bits_per_j_hz: float
    mean_ee_aqnm_bits_per_j_hz: float
    mean_dac_clip_rate: float
    mean_adc_clip_rate: float

    @property
    def sum_rate_gap_percent(self) -> float:
        """(measured - AQNM) / AQNM sum rate, in %."""
        return _percent(self.sum_rate_measured_bps_hz - self.sum_rate_aqnm_bps_hz,
                        self.sum_rate_aqnm_bps_hz)

    @property
    def circuit_power_share(self) -> float:
        """Mean circuit power / mean total power (0..1): the P^AC share of seed 000 Fig. 9a."""
        return _ratio(self.mean_circuit_power_w, self.mean_total_power_w)

    def sum_rates_bps_hz(self, link: str) -> tuple[float, float]:
        """(AQNM, measured) sum of the mean rates of the users of one link kind, bit/s/Hz."""
        sel = [u for u in self.users if u.link == link]
        return (float(sum(u.mean_rate_aqnm_bps_hz for u in sel)),
                float(sum(u.mean_rate_measured_bps_hz for u in sel)))


# ---------------------------------------------------------------------------------------------
# Helpers shared with twin.plots.replay


def require_datasets(slots: Mapping[str, np.ndarray], names: Sequence[str]) -> None:
    """Raise ``ValueError`` naming every dataset of ``names`` that ``slots`` lacks."""
    missing = [n for n in names if n not in slots]
    if missing:
        raise ValueError(f"trace lacks slot dataset(s) {', '.join(missing)}; "
                         f"it has {', '.join(sorted(slots)) or 'none'}")


def user_links_from_attrs(attrs: Mapping[str, object], num_users: int) -> tuple[str, ...]:
    """The link kind of each user, ``"dl"`` or ``"ul"``, from ``attrs["user_links"]``.

    Parameters
    ----------
    attrs : mapping
        Root attributes. ``user_links`` may hold ``str`` or ``bytes`` (as h5py returns them). If
        it is absent and ``attrs["system"] == "noma_uplink"``, every user is ``"ul"``.
    num_users : int
        ``U``, the size of the user axis of the per-user datasets.

    Returns
    -------
    tuple of str, length ``U``
    """
    raw = attrs.get("user_links")
    if raw is None:
        if _text(attrs.get("system", "")) == "noma_uplink":
            return ("ul",) * num_users
        raise ValueError("trace attribute 'user_links' is missing (needed for the "
                         f"{_text(attrs.get('system', '?'))!r} system)")
    links = tuple(_text(v).strip().lower() for v in np.atleast_1d(np.asarray(raw, dtype=object)))
    bad = sorted({v for v in links if v not in LINK_KINDS})
    if bad:
        raise ValueError(f"trace attribute 'user_links' may hold only 'dl' or 'ul', got {bad}")
    if len(links) != num_users:
        raise ValueError(f"trace attribute 'user_links' names {len(links)} users but the "
                         f"per-user datasets have {num_users}")
    return links


def user_labels(user_links: Sequence[str]) -> tuple[str, ...]:
    """Display names: ``("dl", "dl", "ul")`` -> ``("DL1", "DL2", "UL1")``."""
    count = dict.fromkeys(LINK_KINDS, 0)
    labels = []
    for link in user_links:
        count[link] += 1
        labels.append(f"{link.upper()}{count[link]}")
    return tuple(labels)


def mean_sinr_db(sinr_db: np.ndarray, axis: int | None = 0) -> np.ndarray | float:
    """Mean SINR in dB, averaged in the linear domain.

    Parameters
    ----------
    sinr_db : [S, U] or any shape, float
        SINR per slot in dB (``-inf`` allowed: a zero SINR).
    axis : int or None
        Axis to average over (default: the slot axis).

    Returns
    -------
    ``10 log10(mean(10^(sinr_db / 10)))`` in dB, shaped like ``sinr_db`` without ``axis``.
    """
    return lin_to_db(np.mean(db_to_lin(sinr_db), axis=axis))


def slot_length_s(time_s: np.ndarray) -> float:
    """Slot length in s as the median step of ``time_s`` [S]; NaN if ``S < 2``."""
    time_s = np.asarray(time_s, dtype=float)
    return float(np.median(np.diff(time_s))) if time_s.size >= 2 else float("nan")


# ---------------------------------------------------------------------------------------------


def summarize_slots(slots: Mapping[str, np.ndarray], attrs: Mapping[str, object]) -> RunSummary:
    """Slot averages of one run.

    Parameters
    ----------
    slots : mapping of str to ndarray
        Per-slot datasets, first axis = slot. Read: ``time_s`` [S] s; ``sinr_aqnm_db``,
        ``sinr_measured_db`` [S, U] dB; ``rate_aqnm_bps_hz``, ``rate_measured_bps_hz`` [S, U]
        bit/s/Hz; ``tx_power_w`` [S, U] W; ``amplifier_power_w``, ``circuit_power_w``,
        ``total_power_w`` [S] W; ``ee_bits_per_j_hz``, ``ee_aqnm_bits_per_j_hz`` [S] bit/J/Hz;
        ``dac_clip_rate`` [S, n_dac], ``adc_clip_rate`` [S, n_adc] fractions. Others are ignored.
    attrs : mapping of str to object
        Root attributes: ``system``, ``seed``, ``user_links``, ``complete``, ``name`` and, if
        present, ``slot_s`` (slot length in s).

    Returns
    -------
    RunSummary

    Raises
    ------
    ValueError
        A dataset is missing, the trace has no slot, or the shapes disagree.
    """
    require_datasets(slots, SUMMARY_DATASETS)
    arr = {name: np.asarray(slots[name], dtype=float) for name in SUMMARY_DATASETS}
    num_slots = arr["time_s"].shape[0] if arr["time_s"].ndim == 1 else -1
    if num_slots < 1:
        raise ValueError(f"trace has no slot to summarize (time_s has shape "
                         f"{arr['time_s'].shape})")
    num_users = arr["rate_measured_bps_hz"].shape[-1] if arr["rate_measured_bps_hz"].ndim else 0
    expected = {**dict.fromkeys(PER_SLOT_DATASETS, (num_slots,)),
                **dict.fromkeys(PER_USER_DATASETS, (num_slots, num_users))}
    for name, shape in expected.items():
        if arr[name].shape != shape:
            raise ValueError(f"slot dataset {name} has shape {arr[name].shape}, expected {shape}")
    for name in PER_CONVERTER_DATASETS:
        if arr[name].ndim != 2 or arr[name].shape[0] != num_slots:
            raise ValueError(f"slot dataset {name} has shape {arr[name].shape}, expected "
                             f"({num_slots}, number of converters)")
    links = user_links_from_attrs(attrs, num_users)
    labels = user_labels(links)

    rate_aqnm = arr["rate_aqnm_bps_hz"].mean(axis=0)  # [U]
    rate_meas = arr["rate_measured_bps_hz"].mean(axis=0)  # [U]
    sinr_aqnm = np.atleast_1d(mean_sinr_db(arr["sinr_aqnm_db"]))  # [U]
    sinr_meas = np.atleast_1d(mean_sinr_db(arr["sinr_measured_db"]))  # [U]
    tx_w = arr["tx_power_w"].mean(axis=0)  # [U]
    users = tuple(
        UserSummary(index=u, label=labels[u], link=links[u],
                    mean_rate_aqnm_bps_hz=float(rate_aqnm[u]),
                    mean_rate_measured_bps_hz=float(rate_meas[u]),
                    mean_sinr_aqnm_db=float(sinr_aqnm[u]),
                    mean_sinr_measured_db=float(sinr_meas[u]),
                    mean_tx_power_w=float(tx_w[u]))
        for u in range(num_users))
    seed = attrs.get("seed")
    return RunSummary(
        name=_text(attrs.get("name", "")),
        system=_text(attrs.get("system", "")),
        seed=None if seed is None else int(seed),
        complete=bool(attrs.get("complete", False)),
        num_slots=num_slots,
        duration_s=num_slots * (float(attrs["slot_s"]) if attrs.get("slot_s") is not None
                                else slot_length_s(arr["time_s"])),
        users=users,
        sum_rate_aqnm_bps_hz=float(rate_aqnm.sum()),
        sum_rate_measured_bps_hz=float(rate_meas.sum()),
        mean_tx_power_w=float(arr["tx_power_w"].sum(axis=1).mean()),
        mean_amplifier_power_w=float(arr["amplifier_power_w"].mean()),
        mean_circuit_power_w=float(arr["circuit_power_w"].mean()),
        mean_total_power_w=float(arr["total_power_w"].mean()),
        mean_ee_measured_bits_per_j_hz=float(arr["ee_bits_per_j_hz"].mean()),
        mean_ee_aqnm_bits_per_j_hz=float(arr["ee_aqnm_bits_per_j_hz"].mean()),
        mean_dac_clip_rate=_mean_or_nan(arr["dac_clip_rate"]),
        mean_adc_clip_rate=_mean_or_nan(arr["adc_clip_rate"]),
    )


def format_summary(summary: RunSummary) -> str:
    """Fixed-width text table of a :class:`RunSummary`, for a terminal (returned, not printed).

    One row per user (user, link, AQNM rate, measured rate, gap %, AQNM SINR, measured SINR), then
    the totals with their units: sum rates in bit/s/Hz, powers in W and dBm, EE in bit/J/Hz,
    clip rates in %.
    """
    s = summary
    seed = "-" if s.seed is None else str(s.seed)
    if np.isnan(s.duration_s):
        extent = f"{s.num_slots} slot{'s' if s.num_slots != 1 else ''} (slot length unknown)"
    else:
        extent = (f"{s.num_slots} slots of {s.duration_s / s.num_slots * 1e3:.4g} ms, "
                  f"{s.duration_s:.4g} s simulated")
    lines = [f"run {s.name or '(unnamed)'}   system {s.system or '?'}   seed {seed}",
             f"{extent}; "
             + ("trace complete" if s.complete else
                "trace INCOMPLETE: the run stopped before a clean close, numbers cover the "
                "recorded slots"),
             ""]
    w = max([4, *(len(u.label) for u in s.users)])
    lines += [f"{'':{w}}  {'':4}  {'rate [bit/s/Hz]':^29}  {'mean SINR [dB]':^19}".rstrip(),
              f"{'user':<{w}}  {'link':4}  {'AQNM':>9} {'measured':>9} {'gap %':>9}"
              f"  {'AQNM':>9} {'measured':>9}"]
    lines.append("-" * len(lines[-1]))
    for u in s.users:
        lines.append(f"{u.label:<{w}}  {u.link:4}  {_num(u.mean_rate_aqnm_bps_hz, '9.3f')} "
                     f"{_num(u.mean_rate_measured_bps_hz, '9.3f')} "
                     f"{_num(u.rate_gap_percent, '+9.2f')}  {_num(u.mean_sinr_aqnm_db, '9.2f')} "
                     f"{_num(u.mean_sinr_measured_db, '9.2f')}")
    lines += ["gap % = (measured - AQNM) / AQNM.  SINR: slot mean of the linear SINR, in dB.", ""]

    def row(label: str, value: str, note: str = "") -> str:
        return f"{label:<26}{value}{'   ' + note if note else ''}".rstrip()

    lines.append(row("sum rate, AQNM", f"{_num(s.sum_rate_aqnm_bps_hz, '12.3f')} bit/s/Hz"))
    lines.append(row("sum rate, measured", f"{_num(s.sum_rate_measured_bps_hz, '12.3f')} bit/s/Hz",
                     f"gap {_num(s.sum_rate_gap_percent, '+.2f')} %"))
    present = [k for k in LINK_KINDS if any(u.link == k for u in s.users)]
    if len(present) > 1:
        for link in present:
            aqnm, meas = s.sum_rates_bps_hz(link)
            lines.append(row(f"  {link.upper()} sum rate, measured",
                             f"{_num(meas, '12.3f')} bit/s/Hz",
                             f"AQNM {_num(aqnm, '.3f')} bit/s/Hz"))
    for label, value_w, note in (
            ("mean tx power (radiated)", s.mean_tx_power_w, ""),
            ("mean amplifier power", s.mean_amplifier_power_w, ""),
            ("mean circuit power", s.mean_circuit_power_w,
             f"{_num(100 * s.circuit_power_share, '.2f')} % of total (P^AC share)"),
            ("mean total power", s.mean_total_power_w, "")):
        lines.append(row(label, f"{_num(value_w, '#12.4g')} W  {_num(w_to_dbm(value_w), '8.2f')} "
                                "dBm", note))
    lines.append(row("mean EE, AQNM", f"{_num(s.mean_ee_aqnm_bits_per_j_hz, '#12.4g')} bit/J/Hz"))
    lines.append(row("mean EE, measured",
                     f"{_num(s.mean_ee_measured_bits_per_j_hz, '#12.4g')} bit/J/Hz"))
    for kind, rate in (("DAC", s.mean_dac_clip_rate), ("ADC", s.mean_adc_clip_rate)):
        if np.isnan(rate):
            lines.append(row(f"mean {kind} clip rate", f"{'n/a':>12}", f"no {kind} recorded"))
        else:
            lines.append(row(f"mean {kind} clip rate", f"{100 * rate:12.3f} %"))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A root attribute as ``str`` (h5py may hand back ``bytes`` or numpy strings)."""
    if isinstance(value, bytes | np.bytes_):
        return value.decode("utf-8")
    return str(value)


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den != 0 else float("nan")


_MIN_RATE_FOR_GAP_BPS_HZ = 1e-3


def _percent(num: float, den: float) -> float:
    return 100.0 * _ratio(num, den)


def _mean_or_nan(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


def _num(value: float, fmt: str) -> str:
    """``format(value, fmt)``, with NaN written as ``n/a`` in the same width."""
    if np.isnan(value):
        width = "".join(ch for ch in fmt.split(".")[0] if ch.isdigit())
        return f"{'n/a':>{width}}" if width else "n/a"
    return format(value, fmt)
