"""The 口径 and overrides files: the bundled ones load, a reviewer's own is found by path or beside
the input, and a bad file is refused with the file, the line and the field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval_lib.errors import InputError
from selfeval_lib.requality.kouqing import load_kouqing
from selfeval_lib.requality.overrides import load_overrides
from selfeval_lib.resources import review_rules_dir

GOOD = """\
name: mine
title: 我的口径
grades: [{grade: 优, min_score: 90}, {grade: 差, min_score: 0}]
rules:
  - {code: "1", check: no_evidence, looks_at: 佐证材料, deduction: all, reason: "“{name}”无佐证"}
"""


def write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_kouqing(str(path))
    return [str(p) for p in exc.value.problems]


def test_bundled_rule_sets_load_and_cover_the_district_rules():
    assert sorted(p.stem for p in review_rules_dir().glob("*.yaml")) == ["district", "national"]
    district = load_kouqing("district")
    assert [r.code for r in district.rules] == ["1", "1A", "2", "3", "3A", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
    assert {r.code for r in district.rules if r.heuristic} == {"2", "3", "9", "10", "11"}
    assert load_kouqing("national").rules == ()


def test_own_file_by_path_and_by_name_beside_the_input(tmp_path):
    path = write(tmp_path, GOOD)
    assert load_kouqing(str(path)).name == "mine"
    (tmp_path / "review-rules").mkdir()
    write(tmp_path / "review-rules", GOOD)
    assert load_kouqing("mine", tmp_path / "t.yaml").title == "我的口径"


def test_unknown_name_lists_the_bundled():
    with pytest.raises(InputError, match="district") as info:
        load_kouqing("nosuch")
    assert "是否想写" not in str(info.value)
    with pytest.raises(InputError, match="是否想写“district”") as info:
        load_kouqing("distrct")


@pytest.mark.parametrize("change, field, words", [
    (("check: no_evidence", "check: no_such_check"), "rules[0].check", "应为以下之一"),
    (("deduction: all", "deduction: 1.5"), "rules[0].deduction", ""),
    (("“{name}”无佐证", "“{name.__class__}”无佐证"), "rules[0].reason", "未知占位符"),
    (("“{name}”无佐证", "“{nom}”无佐证"), "rules[0].reason", "未知占位符"),
    (("looks_at: 佐证材料,", "looks_at: 佐证材料, colour: red,"), "rules[0].colour", "未知字段"),
    (("{grade: 优, min_score: 90}, {grade: 差, min_score: 0}", "{grade: 差, min_score: 0}, {grade: 优, min_score: 90}"),
     "", "从高到低"),
])
def test_bad_files_name_file_line_and_field(tmp_path, change, field, words):
    path = write(tmp_path, GOOD.replace(*change))
    found = problems(path)
    assert found and all(str(path) in p for p in found)
    assert any(field in p and words in p for p in found), found
    if field:
        assert any(f"{path}:5" in p or f"{path}:4" in p for p in found), found


def test_rule_parts_required_by_their_check(tmp_path):
    text = GOOD.replace("check: no_evidence", "check: not_assessable")
    assert any("levels" in p for p in problems(write(tmp_path, text)))
    text = GOOD.replace("check: no_evidence", "check: misplaced")
    assert any("placements" in p for p in problems(write(tmp_path, text)))


def test_duplicate_codes_and_python_tags_are_refused(tmp_path):
    twice = GOOD + '  - {code: "1", check: duplicate, looks_at: 重复, deduction: all, reason: "重复"}\n'
    assert any("重复" in p for p in problems(write(tmp_path, twice)))
    tagged = GOOD.replace("title: 我的口径", "title: !!python/object/apply:os.system [echo hi]")
    assert any("标签" in p for p in problems(write(tmp_path, tagged, "tag.yaml")))


def test_overrides_file_validated(tmp_path):
    ok = write(tmp_path, "overrides:\n  - {indicator: 甲, score: 5, reason: 核实}\n", "o.yaml")
    assert load_overrides(ok).overrides[0].score == 5
    bad = write(tmp_path, "overrides:\n  - {indicator: 甲, reason: 核实}\n  - {indicator: 乙, score: 5}\n", "b.yaml")
    with pytest.raises(InputError) as exc:
        load_overrides(bad)
    text = [str(p) for p in exc.value.problems]
    assert any("overrides[0]" in p and "score" in p for p in text)
    assert any("overrides[1].reason" in p and "缺少必填字段" in p and ":3" in p for p in text)
