"""The summary across units: every planted case of the 30 generated units is named (in the summary,
its page and its workbook), the outputs are byte-identical across runs, and unit texts stay text."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from requality_units import fake_result, fake_results, unit_params

from selfeval_lib.requality.summary_data import summarise
from selfeval_lib.services.requality import write_summary
from selfeval_lib.render.requality_html import summary_html
from selfeval_lib.render.requality_summary_xlsx import summary_workbook
from selfeval_lib.requality.summary_view import points, wan


@pytest.fixture(scope="module")
def generated():
    results, planted = fake_results()
    return results, planted, summarise(results, seed=2024)


def _workbook_text(data: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


def test_thirty_units_and_their_projects(generated) -> None:
    results, _, s = generated
    assert s.units == 30 and s.results == len(results) == 75 and s.departments == 6
    assert s.budget == pytest.approx(sum(r.budget for r in results))


def test_units_without_evidence_over_score_the_most(generated) -> None:
    _, planted, s = generated
    assert [u.unit for u in s.over_scoring[:2]] == sorted(planted.no_evidence, key=lambda u: -next(
        x.gap_mean for x in s.over_scoring if x.unit == u))
    assert set(planted.no_evidence) == {u.unit for u in s.over_scoring}
    top = s.over_scoring[0]
    assert top.gap_mean > 50 and top.rules[0][0] == "1" and top.worst_project
    row = s.deductions[0]
    assert (row.code, row.article, row.looks_at, row.share) == ("1", "1", "佐证材料", 1.0)
    assert {u for u, _ in row.units} == set(planted.no_evidence)
    assert row.example[0] in planted.no_evidence and row.example[2]


def test_all_hundred_units(generated) -> None:
    _, planted, s = generated
    assert [u.unit for u in s.all_hundred] == sorted(planted.all_hundred)


def test_copied_text_indicator_sets_and_foreign_nouns(generated) -> None:
    _, planted, s = generated
    assert {frozenset((c.first.unit, c.second.unit)) for c in s.copies} == {frozenset(p) for p in planted.copied}
    assert all(c.across_units and "…" in c.shared or len(c.shared) > 40 for c in s.copies)
    assert [g.units for g in s.indicator_sets] == [sorted(planted.shared_set)]
    ethnic = [f for f in s.foreign if f.passage.unit == planted.foreign[0]]
    assert [(f.field_name, f.words) for f in ethnic] == [("养老", ("受益老年人",))]
    assert set(planted.foreign) | {u for p in planted.copied for u in p} | set(planted.shared_set) <= set(s.copy_units)


def test_every_planted_unit_is_named_on_the_page_and_in_the_workbook(generated) -> None:
    _, planted, s = generated
    html, book = summary_html(s), _workbook_text(summary_workbook(s))
    named = planted.all_hundred + planted.no_evidence + planted.foreign + planted.shared_set
    named += [u for pair in planted.copied for u in pair]
    for unit in named:
        assert unit in html and unit in book, unit
    assert "受益老年人" in html and "自评流于形式" in html and "第1条" in html


def _page_words(html: str) -> str:
    """The page's text, without its style sheet, tags and embedded pictures."""
    html = re.sub(r"<style>.*?</style>|<img[^>]*>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_page_shows_charts_and_distributions_before_the_tables(generated) -> None:
    _, _, s = generated
    html = summary_html(s)
    pictures = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', html)
    assert [alt for _, alt in pictures] == ["自评总分与复核总分", "自评高出复核的分值分布", "自评等级与复核等级"]
    assert all(base64.b64decode(data).startswith(b"\x89PNG") for data, _ in pictures)
    assert html.index("自评总分与复核总分") < html.index("一、自评得分高于复核得分的单位") < html.index("方法说明")
    counts = dict(s.gap_counts())
    gaps = [r.self_total - r.requality_total for r in generated[0]]
    assert sum(counts.values()) == len(gaps) and counts["未高出"] == sum(g <= 0.005 for g in gaps)
    assert counts["30分以上"] == sum(g > 30.005 for g in gaps)
    grades = dict(s.grade_counts())
    assert sum(grades.values()) == len(gaps) and grades.get("优", 0) == sum(r.requality_grade == "优" for r in generated[0])


def test_the_method_note_is_plain_chinese_on_the_page_only(generated) -> None:
    _, _, s = generated
    words = _page_words(summary_html(s))
    assert "方法说明" in words and "抽查" in words and "雷同文本" in words and "佐证材料" in words
    assert not re.search(r"[A-Za-z]{2,}|种子|\.0%|\d \u4e2a", words), re.findall(r"[A-Za-z]{2,}|种子", words)[:5]


def test_the_sample_is_recorded_and_weighs_risk(generated) -> None:
    results, _, s = generated
    assert len(s.sample.draws) == len(results)
    assert [q[2] for q in s.sample.quotas] == [2] * 6  # 15% of 12–13 projects, rounded
    risky = {d.candidate.key: d for d in s.sample.draws}
    copied_source = s.copies[0].first.project_id
    assert risky[copied_source].candidate.copies >= 1
    assert summarise(results, seed=2024).sample == s.sample
    assert summarise(results, seed=99).sample.selected != s.sample.selected


def test_write_summary_writes_four_files_the_same_each_time(tmp_path: Path, generated) -> None:
    results, _, _ = generated
    first = write_summary(results, tmp_path / "a", seed=7, sample_share=0.2)
    second = write_summary(list(reversed(results)), tmp_path / "b", seed=7, sample_share=0.2)
    assert [p.name for p in first] == ["summary.html", "summary.xlsx", "summary.json", "bulletin.docx", "bulletin.html"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    data = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    assert data["sample"]["seed"] == 7 and data["sample"]["share"] == 0.2
    assert len(data["sample"]["selected"]) == sum(q[2] for q in data["sample"]["quotas"])
    assert all("weight" in d and "key" in d for d in data["sample"]["draws"])


def test_unit_text_is_escaped_in_html_and_kept_as_text_in_excel() -> None:
    params, _ = unit_params()
    hostile = [fake_result(d) for d in params[:6]]
    hostile[0] = dataclasses.replace(hostile[0], unit="<script>alert(1)</script>局", self_total=100.0)
    hostile[1] = dataclasses.replace(hostile[1], unit="=HYPERLINK(\"http://x\")", self_total=100.0)
    s = summarise(hostile, seed=1)
    html = summary_html(s)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;局" in html
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(s)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_an_empty_folder_still_summarises() -> None:
    s = summarise([], seed=1)
    assert s.results == 0 and s.over_scoring == () and s.sample.selected == []
    assert "未发现" in summary_html(s)


@pytest.fixture(scope="module")
def rescored(tmp_path_factory):
    """The 30 units written as params files (with their evidence) and re-scored by the bundled 口径."""
    from requality_units import write_units

    from selfeval_lib.requality.kouqing import load_kouqing
    from selfeval_lib.requality.service import requality_files

    paths, planted = write_units(tmp_path_factory.mktemp("units"))
    results, errors = requality_files(paths, load_kouqing("district", paths[0]))
    assert errors == [] and len(results) == 75
    return results, planted


def test_through_the_per_table_requality_every_planted_case_is_named(rescored, tmp_path: Path) -> None:
    results, planted = rescored
    s = summarise(results, seed=2024)
    assert [u.unit for u in s.all_hundred] == sorted(planted.all_hundred)
    # no evidence handed over and none requested: asked for 补报, not zeroed
    assert s.evidence_units == tuple(sorted(planted.no_evidence))
    assert not any(d.code == "1" for d in s.deductions)
    without = [r for r in results if r.unit in planted.no_evidence]
    assert dict(s.evidence)["not_provided"] == len(without)
    assert s.supplement_indicators == sum(len(r.indicators) for r in without)
    assert {frozenset((c.first.unit, c.second.unit)) for c in s.copies} == {frozenset(p) for p in planted.copied}
    assert [g.units for g in s.indicator_sets] == [sorted(planted.shared_set)]
    assert any(f.passage.unit == planted.foreign[0] and "受益老年人" in f.words for f in s.foreign)
    paths = write_summary(results, tmp_path, seed=2024, sample_share=None)
    html = paths[0].read_text(encoding="utf-8")
    for unit in {u for pair in planted.copied for u in pair} | set(planted.all_hundred + planted.no_evidence
                                                                   + planted.foreign + planted.shared_set):
        assert unit in html, unit


def test_a_copied_paragraph_inside_a_longer_text_is_found() -> None:
    from requality_units import COPIED

    from selfeval_lib.requality.model import ProjectText

    params, _ = unit_params()
    a, b = fake_result(params[0]), fake_result(params[10])
    long_text = "本年度项目总体进展顺利，各项工作按计划推进。\n" + COPIED[0] + "\n下一步将继续加强管理，巩固项目成效。"
    a = dataclasses.replace(a, texts=(ProjectText("narrative.benefits", long_text),))
    b = dataclasses.replace(b, texts=(ProjectText("narrative.implementation", COPIED[0].replace("80", "70")),))
    s = summarise([a, b], seed=1)
    assert len(s.copies) == 1 and {s.copies[0].first.unit, s.copies[0].second.unit} == {a.unit, b.unit}


def test_the_summarys_wan_and_points_round_half_up():
    assert round(86_250 / 10_000, 2) == 8.62  # why: Python rounds the float 8.625 half to even
    assert wan(86_250) == 8.63 and wan(12_345_678) == 1234.57
    assert points(97.125) == 97.13 and points(None) is None


def test_warning_labels_state_the_kouqings_thresholds() -> None:
    from selfeval_lib.requality.kouqing import Warnings
    from selfeval_lib.requality.summary_view import sections, warning_label

    default, strict = summarise([], seed=1), summarise([], seed=1, warnings=Warnings(red_gap=0.1, unspent_share=0.35))
    assert warning_label("SCORE_OUTRUNS_SPENDING", default) == "指标得分率高于预算执行得分率5%以上"
    assert warning_label("SCORE_OUTRUNS_SPENDING", strict) == "指标得分率高于预算执行得分率10%以上"
    assert warning_label("BUDGET_UNSPENT", strict) == "预算未执行超过35%"
    note = next(x.note for x in sections(strict) if x.key == "预警")
    assert note == "红色：指标得分率超过预算执行得分率10%以上；黄色：预算为0或结余超过35%。"
