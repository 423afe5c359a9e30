"""The table of reproduction targets and the one CSV writer they share."""

from __future__ import annotations

import csv
import importlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# Modules whose import registers targets; each paper's figures live in one module.
MODULES: tuple[str, ...] = ("twin.reproduce.fd", "twin.reproduce.noma")


@dataclass(frozen=True, slots=True)
class FigureResult:
    """What a target wrote and what it found.

    Attributes
    ----------
    csv_path, png_path : the files written under the output folder
    findings : lines for the terminal, e.g. a paper's claim beside the twin's number
    """

    csv_path: Path
    png_path: Path
    findings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Target:
    """A figure to reproduce.

    ``run(drops, seed, out_dir, bar)`` evaluates the figure on ``drops`` channel drops, writes
    ``<name>.csv`` and ``<name>.png`` under ``out_dir`` and returns a :class:`FigureResult`.
    ``bar`` is a tqdm bar: the target sets its total with ``bar.reset(total=n)`` and advances it.
    """

    name: str
    title: str
    default_drops: int
    run: Callable[[int, int, Path, Any], FigureResult] = field(repr=False)


TARGETS: dict[str, Target] = {}


def register(name: str, title: str, default_drops: int):
    """Decorator adding a target function to :data:`TARGETS` under ``name``."""
    def add(run: Callable[[int, int, Path, Any], FigureResult]):
        if name in TARGETS:
            raise ValueError(f"reproduction target {name!r} registered twice")
        TARGETS[name] = Target(name, title, default_drops, run)
        return run
    return add


def targets() -> dict[str, Target]:
    """Every registered target, after importing the modules that define them."""
    for module in MODULES:
        importlib.import_module(module)
    return dict(sorted(TARGETS.items(), key=lambda item: _natural(item[0])))


def _natural(name: str) -> tuple:
    """Sort key putting ``fd-fig10`` after ``fd-fig9``."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", name))


def write_csv(path: Path, columns: Mapping[str, Sequence[Any] | np.ndarray]) -> Path:
    """Write equal-length columns as a CSV with a header row; floats with full precision."""
    names = list(columns)
    lengths = {len(columns[n]) for n in names}
    if len(lengths) != 1:
        raise ValueError(f"{path.name}: columns of unequal length {sorted(lengths)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for row in zip(*(columns[n] for n in names), strict=True):
            writer.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else v
                             for v in row])
    return path
