"""Sweep seed 000's schemes over one axis (P_kmax or bits) on common drops; rows for the CSV."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from twin.config import Scenario
from twin.reproduce.noma_eval import DropMetrics, draw_drops, evaluate, with_bits, with_p_max
from twin.reproduce.noma_schemes import Scheme
from twin.rng import stream


def summarize(m: DropMetrics) -> dict[str, float]:
    """Means over drops of one scheme at one point (EE averaged per drop, as eq. (18) is per
    slot), the total power, and the shares of Fig. 9 (eq. (46))."""
    mean = {f.name: float(np.mean(getattr(m, f.name))) for f in dataclasses.fields(m)}
    power_aqnm = mean["amplifier_aqnm_w"] + mean["circuit_w"]
    power_bit_true = mean["amplifier_bit_true_w"] + mean["circuit_w"]
    total_noise = mean["quant_noise"] + mean["inter_noise"]
    return {
        "ee_aqnm_bits_per_j_hz": mean["ee_aqnm"],
        "ee_bit_true_bits_per_j_hz": mean["ee_bit_true"],
        "ee_stderr_bits_per_j_hz": float(np.std(m.ee_aqnm) / np.sqrt(m.ee_aqnm.size)),
        "se_aqnm_bps_hz": mean["se_aqnm"], "se_bit_true_bps_hz": mean["se_bit_true"],
        "amplifier_aqnm_w": mean["amplifier_aqnm_w"],
        "amplifier_bit_true_w": mean["amplifier_bit_true_w"], "circuit_w": mean["circuit_w"],
        "power_aqnm_w": power_aqnm, "power_bit_true_w": power_bit_true,
        "circuit_share_aqnm": mean["circuit_w"] / power_aqnm,
        "circuit_share_bit_true": mean["circuit_w"] / power_bit_true,
        "quant_noise_w": mean["quant_noise"], "inter_noise_w": mean["inter_noise"],
        "quant_share_aqnm": mean["quant_noise"] / total_noise,
        "quant_share_bit_true": mean["quant_noise_bit_true"]
        / (mean["quant_noise_bit_true"] + mean["inter_noise"]),
    }


def sweep(scenario: Scenario, axis: str, values: Sequence[float], schemes: Sequence[Scheme],
          drops: int, seed: int, name: str, bar: Any) -> list[dict[str, Any]]:
    """Every scheme at every ``values`` point of ``axis`` ("p_max_dbm" or "bits"), on the same
    ``drops`` channel drops; one row per (point, scheme).

    Each (scheme, point) draws from its own named streams, so adding a scheme or a point never
    changes another's numbers.
    """
    vary = {"p_max_dbm": with_p_max, "bits": with_bits}[axis]
    h = draw_drops(scenario, drops, stream(seed, f"{name}/drops"))
    bar.reset(total=len(values) * len(schemes))
    rows = []
    for x in values:
        point = vary(scenario, x)
        for s in schemes:
            tag = f"{name}/{s.name}/{x}"
            precoders, detector = s.act(h, point, stream(seed, f"{tag}/act"))
            m = evaluate(point, h, precoders, detector, s.access, stream(seed, f"{tag}/link"))
            rows.append({"scheme": s.name, axis: x, "drops": drops, **summarize(m)})
            bar.update()
    return rows
