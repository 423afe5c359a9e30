"""Scenario files: TOML -> a tree of frozen, typed, validated dataclasses.

``load_scenario(path)`` reads the file with :mod:`tomllib` and builds :class:`Scenario`. Every
table is a ``@dataclass(frozen=True, slots=True)``; each field declares its allowed range in its
metadata. An unknown key, a wrong type or an out-of-range value raises :class:`TwinConfigError`
naming the file, the key path and what is allowed. Values keep the unit they are written in
(``p_max_dbm = 20``); linear forms are derived properties.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from twin.quant.base import MAX_BITS
from twin.units import db_to_lin, dbm_to_w


class TwinConfigError(ValueError):
    """A user's scenario is invalid; the message is one line: ``file: key.path: problem``."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(f"{source}: {key or '(top level)'}: {problem}")


def spec(default: Any = dataclasses.MISSING, *, ge: float | None = None, gt: float | None = None,
         le: float | None = None, lt: float | None = None, doc: str = "") -> Any:
    """A dataclass field with a documented, checked range."""
    meta = {"ge": ge, "gt": gt, "le": le, "lt": lt, "doc": doc}
    if isinstance(default, list | dict):
        raise TypeError("use tuples for sequence defaults")
    return field(default=default, metadata=meta)


# --------------------------------------------------------------------------- the scenario tree


@dataclass(frozen=True, slots=True)
class RunConfig:
    """How long and how finely the engine runs."""

    seed: int = spec(0, ge=0, doc="scenario seed; same seed, same trace")
    num_slots: int = spec(100, ge=1, doc="slots to simulate")
    slot_s: float = spec(1e-3, gt=0.0, doc="slot duration (s)")
    samples_per_slot: int = spec(1024, ge=1, doc="waveform samples per slot and antenna")


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """The transmitted symbols."""

    kind: Literal["gaussian", "qam"] = spec("gaussian", doc="unit-power CN(0,1) or M-QAM")
    qam_order: int = spec(16, ge=4, doc="M of M-QAM: a square power of 4")


@dataclass(frozen=True, slots=True)
class MobilityConfig:
    """How users move (each system keeps users inside its own region)."""

    model: Literal["static", "constant_velocity", "random_waypoint"] = spec(
        "static", doc="static; constant velocity reflected at the region edge; random waypoint")
    speed_mps: float | tuple[float, ...] = spec(0.0, ge=0.0,
                                                doc="one speed, or one per user")
    pause_s: float = spec(0.0, ge=0.0, doc="random waypoint: pause at each waypoint")


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """Small-scale fading over time, and how fresh the controller's CSI is."""

    fading: Literal["jakes", "iid", "static"] = spec(
        "jakes", doc="jakes: Gauss-Markov, rho = J0(2 pi f_D slot_s); iid: new draw per slot; "
                     "static: one draw per run")
    csi_delay_slots: int = spec(0, ge=0, doc="the controller acts on CSI this many slots old")


@dataclass(frozen=True, slots=True)
class ControllerConfig:
    """Which controller acts every slot."""

    kind: Literal["random", "mrt", "lmmse", "gpi", "qrzf", "qwmmse", "pddpg"] = spec(
        "lmmse", doc="random (RPaD), mrt (MRT/MRC, full power), lmmse (quantization-aware), "
                     "gpi (seed 004's GPI precoder + qMMSE), qrzf / qwmmse (seed 004 Sec. V-A "
                     "benchmarks: quantization-aware RZF / WMMSE precoder + qMMSE), these "
                     "three full duplex only; pddpg (seed 000's trained P-DDPG actor, "
                     "noma_uplink only)")
    actor_path: str = spec("data/actors/noma_uplink.pt",
                           doc="pddpg: the trained actor (relative paths: from the working "
                               "directory, else from the twin checkout)")
    power_search: bool = spec(True, doc="pddpg: Algorithm 2's power search (false: WoPEF)")


@dataclass(frozen=True, slots=True)
class TraceConfig:
    """What the HDF5 trace keeps."""

    waveform_every: int = spec(10, ge=0, doc="record waveforms every n-th slot; 0: never")
    flush_every: int = spec(16, ge=1, doc="slots buffered between flushes")


@dataclass(frozen=True, slots=True)
class AGCConfig:
    """Automatic gain control in front of a converter (see :mod:`twin.quant.agc`)."""

    mode: Literal["rms", "max"] = spec("rms", doc="set the gain by RMS or by peak amplitude")
    backoff_db: float | None = spec(None, ge=-20.0, le=40.0,
                                    doc="full scale over RMS (dB); absent: MSE-optimal loading")
    block_samples: int | None = spec(None, ge=1, doc="samples per gain block; absent: per slot")


@dataclass(frozen=True, slots=True)
class ConverterConfig:
    """One bank of DACs or ADCs."""

    bits: int | tuple[int, ...] = spec(7, ge=1, le=MAX_BITS,
                                       doc="resolution, one value or one per antenna")
    quantizer: Literal["uniform", "lloyd_max"] = spec("uniform", doc="quantizer kind")
    mode: Literal["mid_riser", "mid_tread"] = spec("mid_riser", doc="uniform quantizer mode")
    model: Literal["bit_true", "aqnm"] = spec("bit_true",
                                              doc="run bit-true or as its AQNM twin")
    agc: AGCConfig = field(default_factory=AGCConfig)


@dataclass(frozen=True, slots=True)
class NomaPowerConfig:
    """Seed 000 Table II and eqs. (14)-(17)."""

    amplifier_efficiency: float = spec(0.27, gt=0.0, le=1.0, doc="eta")
    sampling_hz: float = spec(1e9, gt=0.0, doc="F_s of the DACs")
    lo_w: float = spec(22.5e-3, ge=0.0, doc="P_LO")
    lowpass_w: float = spec(14e-3, ge=0.0, doc="P_LP")
    mixer_w: float = spec(0.3e-3, ge=0.0, doc="P_M")
    hybrid_w: float = spec(3e-3, ge=0.0, doc="P_H")


@dataclass(frozen=True, slots=True)
class NomaUplinkConfig:
    """Uplink quantized MIMO-NOMA (seed 000 Sec. III, Table III, Sec. V-A)."""

    num_users: int = spec(10, ge=1, doc="K")
    num_user_ant: int = spec(4, ge=1, doc="N_k")
    num_bs_ant: int = spec(8, ge=1, doc="M")
    noise_dbm: float = spec(-104.0, doc="sigma^2 over the band")
    bandwidth_hz: float = spec(10e6, gt=0.0)
    p_max_dbm: float = spec(20.0, doc="P_kmax")
    p_min_dbm: float = spec(-10.0, doc="P_kmin of the power search")
    power_step_db: float = spec(1.0, gt=0.0, doc="Delta^p of the power search")
    cell_radius_m: float = spec(100.0, gt=0.0, doc="users lie within this distance of the BS")
    min_distance_m: float = spec(1.0, gt=0.0, doc="no user closer to the BS than this")
    pathloss_intercept_db: float = spec(103.8, doc="eq. (43): PL = a + b log10(d_km)")
    pathloss_slope_db: float = spec(20.9, doc="eq. (43)")
    carrier_hz: float = spec(3.5e9, gt=0.0, doc="for Doppler only; seed 000 gives none")
    access: Literal["noma", "qwoma", "qoma"] = spec(
        "noma", doc="noma: SIC in the order of eq. (11); qwoma: all other users as noise; "
                    "qoma: FDMA, the band split into K interleaved subcarrier sets")
    power: NomaPowerConfig = field(default_factory=NomaPowerConfig)

    @property
    def noise_w(self) -> float:
        return float(dbm_to_w(self.noise_dbm))

    @property
    def p_max_w(self) -> float:
        return float(dbm_to_w(self.p_max_dbm))


@dataclass(frozen=True, slots=True)
class FullDuplexPowerConfig:
    """Seed 004 eqs. (67)-(72). The paper cites its refs. [21, 44, 48] for the circuit values
    without printing them; these defaults are the values seed 000 Table II uses (same sources)
    plus common values for the LNA, AGC and baseband: an assumption, stated in the README."""

    pa_efficiency: float = spec(0.27, gt=0.0, le=1.0, doc="kappa_PA (AP and users)")
    dac_sampling_hz: float = spec(500e6, gt=0.0, doc="f_s, eq. (68)")
    adc_sampling_hz: float = spec(500e6, gt=0.0, doc="f_r, eq. (69)")
    adc_energy_j: float = spec(494e-15, gt=0.0, doc="c_e, eq. (69): 494 fJ per step")
    lo_w: float = spec(22.5e-3, ge=0.0)
    lowpass_w: float = spec(14e-3, ge=0.0)
    mixer_w: float = spec(0.3e-3, ge=0.0)
    hybrid_w: float = spec(3e-3, ge=0.0)
    lna_w: float = spec(5.4e-3, ge=0.0)
    agc_w: float = spec(2e-3, ge=0.0)
    baseband_w: float = spec(200e-3, ge=0.0)


@dataclass(frozen=True, slots=True)
class FullDuplexConfig:
    """Full-duplex MU-MIMO AP with coarse converters (seed 004 Sec. II, Sec. V-A)."""

    num_tx_ant: int = spec(16, ge=1, doc="N_t")
    num_rx_ant: int = spec(16, ge=1, doc="N_r")
    num_dl_users: int = spec(4, ge=1, doc="K_D")
    num_ul_users: int = spec(4, ge=1, doc="K_U")
    p_dl_dbm: float = spec(24.0, doc="P_D")
    p_ul_dbm: float = spec(23.0, doc="P_U")
    kappa_a_db: float = spec(-60.0, le=0.0, doc="analog SIC residual kappa_a")
    kappa_d_db: float | None = spec(None, le=0.0,
                                    doc="digital SIC residual; absent: P_D ka kd = noise floor")
    carrier_hz: float = spec(10e9, gt=0.0)
    bandwidth_hz: float = spec(500e6, gt=0.0)
    noise_figure_db: float = spec(5.0, ge=0.0)
    noise_psd_dbm_hz: float = spec(-174.0)
    shadowing_std_db: float = spec(8.4, ge=0.0)
    pathloss_exponent: float = spec(2.8, gt=0.0)
    dl_distance_m: float = spec(15.0, gt=0.0, doc="AP to the DL group centre")
    ul_distance_m: float = spec(15.0, gt=0.0, doc="AP to the UL group centre")
    group_radius_m: float = spec(4.0, gt=0.0, doc="users lie within this radius of the centre")
    cci_distance_m: float = spec(30.0, ge=0.0, doc="between the DL and UL group centres")
    angular_spread_deg: float = spec(10.0, gt=0.0, le=180.0,
                                     doc="one-ring model: half-width of the angular spread")
    antenna_spacing_wavelengths: float = spec(0.5, gt=0.0, doc="uniform linear arrays")
    duplex: Literal["full", "half"] = spec(
        "full", doc="full: the FD AP; half: Sec. V-A's HD benchmark, kappa_a = kappa_d = 0 "
                    "and rho_CCI = 0, DL and UL sharing time")
    hd_ul_fraction: float = spec(0.5, gt=0.0, lt=1.0,
                                 doc="half duplex: lambda, the UL share of time (Sec. V-A)")
    power: FullDuplexPowerConfig = field(default_factory=FullDuplexPowerConfig)

    @property
    def kappa_a_lin(self) -> float:
        return float(db_to_lin(self.kappa_a_db))

    @property
    def kappa_d_lin(self) -> float:
        """Digital SIC residual; by default ``P_D kappa_a kappa_d = noise floor`` (Sec. V-A)."""
        if self.kappa_d_db is not None:
            return float(db_to_lin(self.kappa_d_db))
        return self.noise_w / (float(dbm_to_w(self.p_dl_dbm)) * self.kappa_a_lin)

    @property
    def noise_w(self) -> float:
        """Receiver noise over the band: PSD + 10 log10(B) + NF."""
        return float(dbm_to_w(self.noise_psd_dbm_hz + self.noise_figure_db)) * self.bandwidth_hz


SYSTEMS = ("noma_uplink", "full_duplex")
FULL_DUPLEX_CONTROLLERS = ("gpi", "qrzf", "qwmmse")


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario file."""

    name: str = spec(doc="the scenario's name; also the run folder's")
    system: Literal["noma_uplink", "full_duplex"] = spec(doc="which system the twin runs")
    run: RunConfig = field(default_factory=RunConfig)
    dac: ConverterConfig = field(default_factory=ConverterConfig)
    adc: ConverterConfig = field(default_factory=ConverterConfig)
    source: SourceConfig = field(default_factory=SourceConfig)
    mobility: MobilityConfig = field(default_factory=MobilityConfig)
    channel: ChannelConfig = field(default_factory=ChannelConfig)
    controller: ControllerConfig = field(default_factory=ControllerConfig)
    trace: TraceConfig = field(default_factory=TraceConfig)
    noma_uplink: NomaUplinkConfig | None = None
    full_duplex: FullDuplexConfig | None = None

    @classmethod
    def from_dict(cls, raw: dict, source: str = "<scenario>") -> Scenario:
        """Build and validate from parsed TOML; ``source`` names the file in errors."""
        scenario = _build(cls, raw, source, "")
        section = getattr(scenario, scenario.system)
        if section is None:
            raise TwinConfigError(source, scenario.system,
                                  f"missing table [{scenario.system}] for system = "
                                  f"{scenario.system!r}")
        kind = scenario.controller.kind
        if kind in FULL_DUPLEX_CONTROLLERS and scenario.system != "full_duplex":
            raise TwinConfigError(source, "controller.kind", f"{kind!r} is seed 004's "
                                  "full-duplex precoder; use it with system = 'full_duplex'")
        if kind == "pddpg" and scenario.system != "noma_uplink":
            raise TwinConfigError(source, "controller.kind", "'pddpg' is seed 000's NOMA "
                                  "uplink agent; use it with system = 'noma_uplink'")
        for other in SYSTEMS:
            if other != scenario.system and getattr(scenario, other) is not None:
                raise TwinConfigError(source, other, f"table [{other}] given, but system = "
                                      f"{scenario.system!r}; remove it or change system")
        return scenario

    @property
    def system_config(self) -> NomaUplinkConfig | FullDuplexConfig:
        return getattr(self, self.system)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TwinConfigError(str(path), "", f"cannot read the file ({exc.strerror})") from None
    return parse_scenario(text, str(path))


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario TOML text."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TwinConfigError(source, "", f"not valid TOML: {exc}") from None
    return Scenario.from_dict(raw, source)


# --------------------------------------------------------------------------- validation


def _type_name(tp: Any) -> str:
    if typing.get_origin(tp) is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if typing.get_origin(tp) is tuple:
        item = typing.get_args(tp)[0]
        plural = {int: "integers", float: "numbers", str: "strings"}.get(item, "values")
        return f"a list of {plural}"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        tp, str(tp))


def _range_text(meta: dict) -> str:
    parts = [f"{op} {meta[k]:g}" for k, op in (("ge", ">="), ("gt", ">"), ("le", "<="),
                                               ("lt", "<")) if meta.get(k) is not None]
    return " and ".join(parts)


def _check_range(value: float, meta: dict, source: str, key: str) -> None:
    bad = ((meta.get("ge") is not None and value < meta["ge"])
           or (meta.get("gt") is not None and value <= meta["gt"])
           or (meta.get("le") is not None and value > meta["le"])
           or (meta.get("lt") is not None and value >= meta["lt"]))
    if bad:
        raise TwinConfigError(source, key, f"must be {_range_text(meta)}, got {value!r}")


def _coerce(tp: Any, value: Any, meta: dict, source: str, key: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [o for o in typing.get_args(tp) if o is not type(None)]
        # The member of the value's own shape reports its problem (a range, an item), if any.
        shaped = [o for o in options if (typing.get_origin(o) is tuple) == isinstance(value, list)]
        if len(shaped) == 1:
            return _coerce(shaped[0], value, meta, source, key)
        wanted = " or ".join(_type_name(o) for o in options)
        raise TwinConfigError(source, key, f"expected {wanted}, got {value!r}")
    if origin is Literal:
        if value not in typing.get_args(tp):
            raise TwinConfigError(source, key, f"expected {_type_name(tp)}, got {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list) or not value:
            raise TwinConfigError(source, key, f"expected {_type_name(tp)}, got {value!r}")
        item = typing.get_args(tp)[0]
        return tuple(_coerce(item, v, meta, source, f"{key}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise TwinConfigError(source, key, f"expected a table, got {value!r}")
        return _build(tp, value, source, key)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TwinConfigError(source, key, f"expected a number, got {value!r}")
        if not math.isfinite(value):
            raise TwinConfigError(source, key, f"must be finite, got {value!r}")
        _check_range(float(value), meta, source, key)
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TwinConfigError(source, key, f"expected an integer, got {value!r}")
        _check_range(value, meta, source, key)
        return value
    if tp is str:
        if not isinstance(value, str) or not value:
            raise TwinConfigError(source, key, f"expected a non-empty string, got {value!r}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise TwinConfigError(source, key, f"expected true or false, got {value!r}")
        return value
    raise TypeError(f"config type {tp!r} is not supported")  # a programming error


def _build(cls: type, raw: dict, source: str, prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        key = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise TwinConfigError(source, key, f"unknown key; allowed: {', '.join(fields)}")
    kwargs = {}
    for name, f in fields.items():
        key = f"{prefix}.{name}" if prefix else name
        if name not in raw:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise TwinConfigError(source, key, f"missing; expected {_type_name(hints[name])}")
            continue
        kwargs[name] = _coerce(hints[name], raw[name], dict(f.metadata), source, key)
    return cls(**kwargs)
