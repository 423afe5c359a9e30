"""The learned schemes of seed 000 (P-DDPG with and without the power search, PPO) and the
gradient oracle, as :class:`Scheme` callables over :mod:`twin.learn`."""

from __future__ import annotations

from twin.reproduce.noma_schemes import Scheme


def learned_schemes() -> tuple[list[Scheme], list[str]]:
    """The learned schemes available, and a line for each one that is not."""
    return [], ["Proposed: twin.learn not merged yet", "WoPEF: twin.learn not merged yet",
                "PPO: twin.learn not merged yet", "Oracle: twin.learn not merged yet"]
