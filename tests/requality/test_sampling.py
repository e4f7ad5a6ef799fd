"""The 抽查 sample: reproducible with its seed, another with another seed, a share per department (at
least one), weighted by amount and risk, and every weight recorded."""

from __future__ import annotations

import pytest

from selfeval_lib.requality.sampling import Candidate, draw_sample, quota, weight


def _candidates() -> list[Candidate]:
    out = []
    for d in range(3):
        for i in range(20 if d < 2 else 3):
            out.append(Candidate(f"d{d}-p{i}", f"单位{d}-{i % 4}", f"部门{d}", f"项目{i}", amount=10_000.0 * (i + 1),
                                 warnings=i % 3 == 0, deductions=i % 5, copies=int(i == 7)))
    return out


def test_the_same_seed_gives_the_same_sample_and_another_seed_another() -> None:
    one, again, other = (draw_sample(_candidates(), seed=s) for s in (2024, 2024, 7))
    assert one == again
    assert [c.key for c in one.selected] != [c.key for c in other.selected]


def test_share_per_department_at_least_one() -> None:
    sample = draw_sample(_candidates(), seed=1)
    assert sample.quotas == (("部门0", 20, 3), ("部门1", 20, 3), ("部门2", 3, 1))
    assert len(sample.selected) == 7
    assert sample.seed == 1 and sample.share == 0.15 and "权重" in sample.formula
    assert len(sample.draws) == 43 and all(d.weight == pytest.approx(weight(d.candidate), abs=1e-6) for d in sample.draws)
    assert quota(0, 0.15) == 0 and quota(1, 0.15) == 1 and quota(10, 0.15) == 2 and quota(10, 1.0) == 10


def test_a_departments_draw_does_not_depend_on_the_others() -> None:
    alone = draw_sample([c for c in _candidates() if c.department == "部门1"], seed=5)
    together = draw_sample(_candidates(), seed=5)
    assert [c.key for c in alone.selected] == [c.key for c in together.selected if c.department == "部门1"]


def test_risk_and_amount_weigh() -> None:
    base = Candidate("k", "u", "d", "p", amount=40_000.0)
    assert weight(base) == pytest.approx(3.0)
    assert weight(Candidate("k", "u", "d", "p", amount=40_000.0, warnings=1, copies=1)) > weight(base)
    heavy = [Candidate(f"h{i}", "u", "d", f"重点{i}", amount=5e7, warnings=2, copies=2) for i in range(5)]
    light = [Candidate(f"l{i}", "u", "d", f"一般{i}", amount=1000.0) for i in range(45)]
    hits = sum(c.key.startswith("h") for seed in range(200) for c in draw_sample(heavy + light, seed=seed, share=0.1).selected)
    assert hits > 0.6 * 200 * 5  # the heavy ones are drawn far more often than their 10% share


def test_a_bad_share_is_refused() -> None:
    with pytest.raises(ValueError, match="抽查比例"):
        draw_sample(_candidates(), seed=1, share=0)
