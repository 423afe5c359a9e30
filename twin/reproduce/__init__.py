"""``twin reproduce TARGET``: one target per paper figure, each writing a CSV and a PNG.

A target is a plain function registered in :data:`twin.reproduce.registry.TARGETS`; the modules
that define them are listed in :data:`twin.reproduce.registry.MODULES` and imported on first use,
so ``twin --help`` stays fast.
"""

from twin.reproduce.registry import TARGETS, FigureResult, Target, register, targets, write_csv

__all__ = ["TARGETS", "FigureResult", "Target", "register", "targets", "write_csv"]
