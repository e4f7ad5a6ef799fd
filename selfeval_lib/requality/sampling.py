"""A reproducible sample of projects for 抽查 (复核 on the spot), weighted by amount and risk.

Each department's projects are sampled apart: its quota is ``share`` of its projects, rounded half
up, at least one (requality.md: 15% of each department's projects). Within a department the draw is
weighted sampling without replacement (Efraimidis–Spirakis: each project gets the key
``u ** (1 / weight)``, ``u`` uniform from a :class:`random.Random` seeded with the seed and the
department's name; the largest keys are drawn), so the same seed gives the same sample whatever
else is in the folder, and another seed another sample. The weight (:func:`weight`) grows with the
amount and with the risks found (provincial warnings, deductions, copied text); the seed, every
weight, key and the selection are kept in the :class:`Sample` for the outputs.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

#: Share of each department's projects drawn (requality.md: 15%).
DEFAULT_SHARE = 0.15
#: Risk points per finding: a provincial warning, a deducted indicator, a copied passage.
RISK_POINTS = {"warnings": 1.0, "deductions": 0.25, "copies": 1.0}
#: How the weight is computed, as written into the outputs.
WEIGHT_FORMULA = "权重 = (1 + √预算金额(万元)) × (1 + 预警数 × 1 + 扣分指标数 × 0.25 + 雷同文本数 × 1)"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A project that may be drawn: where it is, its amount (元) and the risks found in it."""

    key: str
    unit: str
    department: str
    project: str
    amount: float
    warnings: int = 0
    deductions: int = 0
    copies: int = 0


@dataclass(frozen=True, slots=True)
class Draw:
    """One candidate's weight, random key and whether it was drawn."""

    candidate: Candidate
    weight: float
    key: float
    selected: bool


@dataclass(frozen=True, slots=True)
class Sample:
    """The sample: the seed and share used, the weight formula, and every candidate's draw
    (sorted by department, then drawn first, then by key)."""

    seed: int
    share: float
    formula: str
    draws: tuple[Draw, ...]
    quotas: tuple[tuple[str, int, int], ...]  # (department, projects, drawn)

    @property
    def selected(self) -> list[Candidate]:
        return [d.candidate for d in self.draws if d.selected]


def weight(c: Candidate) -> float:
    """The candidate's weight (:data:`WEIGHT_FORMULA`): larger amounts and more risks weigh more."""
    risk = (RISK_POINTS["warnings"] * c.warnings + RISK_POINTS["deductions"] * c.deductions
            + RISK_POINTS["copies"] * c.copies)
    return (1.0 + math.sqrt(max(c.amount, 0.0) / 10_000)) * (1.0 + risk)


def quota(count: int, share: float) -> int:
    """How many of a department's ``count`` projects are drawn: ``share`` of them rounded half up,
    at least one, at most all."""
    if count == 0:
        return 0
    return min(count, max(1, math.floor(count * share + 0.5)))


def draw_sample(candidates: Sequence[Candidate], seed: int, share: float | None = None) -> Sample:
    """The seeded, weighted sample of ``candidates`` (``share`` of each department, default
    :data:`DEFAULT_SHARE`)."""
    share = DEFAULT_SHARE if share is None else share
    if not 0 < share <= 1:
        raise ValueError(f"抽查比例应在 0 到 1 之间（不含 0），而不是 {share}")
    by_department: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_department[c.department].append(c)
    draws: list[Draw] = []
    quotas = []
    for department in sorted(by_department):
        members = sorted(by_department[department], key=lambda c: (c.unit, c.project, c.key))
        rng = random.Random(f"{seed}:{department}")
        keyed = []
        for c in members:
            w = weight(c)
            u = rng.random()
            keyed.append((u ** (1.0 / w) if u > 0 else 0.0, w, c))
        n = quota(len(members), share)
        order = sorted(range(len(keyed)), key=lambda i: (-keyed[i][0], i))
        chosen = set(order[:n])
        quotas.append((department, len(members), n))
        draws.extend(Draw(keyed[i][2], round(keyed[i][1], 6), round(keyed[i][0], 6), i in chosen) for i in order)
    return Sample(seed, share, WEIGHT_FORMULA, tuple(draws), tuple(quotas))


__all__ = ["DEFAULT_SHARE", "RISK_POINTS", "WEIGHT_FORMULA", "Candidate", "Draw", "Sample", "draw_sample", "quota",
           "weight"]
