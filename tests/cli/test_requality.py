"""``selfeval requality`` end to end: a params file and a published table in, the 复核意见 (Word,
HTML), the 复核底稿 and JSON out; overrides respected and recorded; deterministic bytes; text of
the unit escaped in HTML and kept as text in Excel; bad input named without a traceback."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from selfeval_lib.cli import main

from conftest import ROOT

PARAMS = ROOT / "params" / "2023" / "dongqu-yjglj-aqpx.yaml"
TABLE = ROOT / "tests" / "data" / "review" / "seed_like_table.yaml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["requality", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def results(out: Path) -> list[dict]:
    return json.loads((out / "requality.json").read_text(encoding="utf-8"))["results"]


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(io.BytesIO(path.read_bytes()))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def params(tmp_path) -> Path:
    target = tmp_path / "units" / PARAMS.name
    target.parent.mkdir()
    shutil.copy(PARAMS, target)
    folder = target.parent / f"{target.stem}.evidence"
    folder.mkdir()
    for name in ("培训考核合格率", "开展安全生产宣传活动场次", "人均培训成本"):
        (folder / f"{name}-佐证.pdf").write_bytes(name.encode())
    return target


def test_params_end_to_end(capsys, params, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run(capsys, str(params), "--out", str(out))
    assert code == 0, err
    assert "自评 95（优）" in stdout
    names = sorted(p.name for p in out.iterdir())
    assert names[:3] == ["requality.html", "requality.json", "workpaper.xlsx"] and names[3].endswith(".docx")
    [r] = results(out)
    by_name = {i["name"]: i for i in r["indicators"]}
    kept = by_name["培训考核合格率"]
    assert kept["requality_score"] == kept["recomputed_score"] and kept["evidence"][0]["matched_by"] == "folder"
    assert kept["evidence"][0]["sha256"] == hashlib.sha256("培训考核合格率".encode()).hexdigest()
    wanted = by_name["参训人员满意度"]  # evidence handed over, not for this one, no request on record
    assert (wanted["requality_score"], wanted["rule_code"]) == (wanted["recomputed_score"], "")
    assert r["evidence_status"] == "provided" and "参训人员满意度" in r["supplement"]["indicators"]
    assert r["requality_total"] == pytest.approx(r["execution_score"] + sum(
        i["requality_score"] for i in r["indicators"]))
    assert r["self_total"] == 95 and r["gap"] > 0
    text = docx_text(out / names[3])
    assert "关于2023年度“安全生产宣传教育培训经费”项目支出绩效自评的复核意见" in text and "补报" in text
    assert "佐证材料已随输入提供" in stdout and "须补报" in stdout

    from openpyxl import load_workbook

    ws = load_workbook(out / "workpaper.xlsx")["底稿"]
    headings = [c.value for c in ws[1]]
    col = headings.index("复核得分") + 1
    formulas = [ws.cell(r, col).value for r in range(2, ws.max_row + 1)]
    assert all(isinstance(f, str) and f.startswith("=MAX(0,") for f in formulas)


def test_outputs_are_byte_identical_across_runs(capsys, params, tmp_path):
    for name in ("a", "b"):
        assert run(capsys, str(params), "--out", str(tmp_path / name))[0] == 0
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_table_with_manifest_and_hostile_text(capsys, tmp_path):
    text = TABLE.read_text(encoding="utf-8").replace("name: 维修管网长度", "name: \"<script>alert(1)</script>\"")
    text = text.replace("actual: 16公里,", "actual: \"=HYPERLINK(\\\"http://x\\\")\", evidence: [{file: 管网.pdf}],")
    table = tmp_path / "table.yaml"
    table.write_text(text, encoding="utf-8")
    (tmp_path / "管网.pdf").write_bytes(b"pdf")
    out = tmp_path / "out"
    code, _, err = run(capsys, str(table), "--out", str(out))
    assert code == 0, err
    [r] = results(out)
    assert r["kind"] == "table" and r["self_total"] == 99
    first = r["indicators"][0]
    assert first["evidence"][0]["present"] and first["rule_code"] != "1"
    assert all(i["rule_code"] in ("重算", "3", "4", "10", "2", "9") or i["deduction"] == 0 for i in r["indicators"][1:])
    page = (out / "requality.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    from openpyxl import load_workbook

    ws = load_workbook(out / "workpaper.xlsx")["底稿"]
    headings = [c.value for c in ws[1]]
    cell = ws.cell(2, headings.index("实际完成值") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_overrides_change_the_score_and_are_recorded(capsys, params, tmp_path):
    overrides = tmp_path / "改判.yaml"
    overrides.write_text("overrides:\n  - {indicator: 参训人员满意度, score: 12, reason: 已补报调查问卷和样本量}\n"
                         "evidence_requests:\n  - {requested: 2024-03-01, due: 2024-03-15}\n", encoding="utf-8")
    base, changed = tmp_path / "base", tmp_path / "changed"
    assert run(capsys, str(params), "--out", str(base))[0] == 0
    assert run(capsys, str(params), "--out", str(changed), "--overrides", str(overrides))[0] == 0
    before, after = results(base)[0], results(changed)[0]
    [was] = [i for i in before["indicators"] if i["name"] == "参训人员满意度"]
    earlier = {i["name"]: i["requality_score"] for i in before["indicators"]}
    zeroed = [i["name"] for i in after["indicators"] if i["rule_code"] == "1" and not i["overridden"]]
    assert after["evidence_status"] == "requested" and zeroed  # requested, not supplied: 0 now
    assert after["requality_total"] == pytest.approx(
        before["requality_total"] - was["requality_score"] + 12 - sum(earlier[n] for n in zeroed))
    [ind] = [i for i in after["indicators"] if i["name"] == "参训人员满意度"]
    assert ind["overridden"] and ind["requality_score"] == 12
    docx = next(changed.glob("*.docx"))
    assert "已补报调查问卷和样本量" in docx_text(docx) and "复核人改判" in docx_text(docx)


def test_folder_input_skips_evidence_and_rule_folders(capsys, params, tmp_path):
    shutil.copy(TABLE, params.parent / "table.yaml")
    code, _, err = run(capsys, str(params.parent), "--rules", "national")
    assert code == 0, err
    assert "共复核 2 项（2 个文件" in err


def test_national_rules_recompute_only(capsys, params, tmp_path):
    assert run(capsys, str(params), "--rules", "national", "--out", str(tmp_path / "o"))[0] == 0
    [r] = results(tmp_path / "o")
    assert all(i["share"] == 0 for i in r["indicators"])
    assert r["requality_total"] == pytest.approx(80.33, abs=0.01)


def test_bad_rules_file_is_named_without_traceback(capsys, params, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntitle: y\ngrades: []\n", encoding="utf-8")
    code, _, err = run(capsys, str(params), "--rules", str(bad))
    assert code == 1 and str(bad) in err and "grades" in err and "Traceback" not in err


def test_unreadable_input_exits_1_and_others_still_reviewed(capsys, params, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("project: [\n", encoding="utf-8")
    code, stdout, err = run(capsys, str(broken), str(params))
    assert code == 1 and "broken.yaml" in err and "自评 95" in stdout


def test_summary_needs_out(capsys, params, tmp_path):
    code, _, err = run(capsys, str(params), "--summary")
    assert code == 2 and "--out" in err and not (tmp_path / "s").exists()


def test_summary_is_called_with_the_results(capsys, params, tmp_path, monkeypatch):
    from selfeval_lib.services import requality as service

    calls = []
    monkeypatch.setattr(service, "write_summary", lambda results, out, *, seed, sample_share, issued, kouqing: calls.append(
        (len(results), seed, sample_share, issued.bureau, kouqing.name)) or [])
    assert run(capsys, str(params), "--summary", "--out", str(tmp_path / "s"), "--seed", "7", "--sample-share", "15%",
               "--bureau", "某区财政局")[0] == 0
    assert calls == [(1, 7, 0.15, "某区财政局", "district")]


def test_workpaper_formulas_carry_their_values(capsys, params, tmp_path):
    from openpyxl import load_workbook

    assert run(capsys, str(params), "--out", str(tmp_path / "o"))[0] == 0
    formulas = load_workbook(tmp_path / "o" / "workpaper.xlsx")["底稿"]
    values = load_workbook(tmp_path / "o" / "workpaper.xlsx", data_only=True)["底稿"]
    headings = [c.value for c in formulas[1]]
    col = headings.index("复核得分") + 1
    [r] = results(tmp_path / "o")
    for n, ind in enumerate(r["indicators"], start=2):
        assert formulas.cell(n, col).value.startswith("=MAX(0,")
        assert values.cell(n, col).value == pytest.approx(ind["requality_score"])


def test_excel_workbook_with_an_evidence_folder(capsys, tmp_path):
    from review_workbooks import NATIONAL, make_workbook

    book = tmp_path / "自评表.xlsx"
    make_workbook(book, "national")
    first = NATIONAL["indicators"][0]["name"]
    (tmp_path / "自评表.evidence").mkdir()
    (tmp_path / "自评表.evidence" / f"{first}.pdf").write_bytes(b"x")
    code, _, err = run(capsys, str(book), "--out", str(tmp_path / "o"))
    assert code == 0, err
    [r] = results(tmp_path / "o")
    assert r["kind"] == "table" and len(r["indicators"]) == len(NATIONAL["indicators"])
    ind = r["indicators"][0]
    assert ind["name"] == first and ind["evidence"][0]["file"] == f"自评表.evidence/{first}.pdf"
    assert ind["rule_code"] != "1" and r["evidence_status"] == "provided"
    assert r["supplement"]["indicators"] == [i["name"] for i in r["indicators"][1:]]


def test_sample_with_evidence_gives_a_review_that_checks_it(tmp_path: Path, capsys) -> None:
    assert main(["sample", "--bundled", "--evidence", "--out", str(tmp_path / "demo")]) == 0
    folder = tmp_path / "demo" / "2023"
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(p.name for p in (ROOT / "params" / "2023").glob("*.yaml"))
    assert all((folder / f"{p.stem}.evidence").is_dir() for p in folder.glob("*.yaml"))
    capsys.readouterr()
    code, out, err = run(capsys, str(folder), "--out", str(tmp_path / "out"))
    assert code == 0 and out.count("佐证材料已随输入提供") == 3 and "3 项已提供" in err
    for r in results(tmp_path / "out"):
        assert r["evidence_status"] == "provided"
        listed = set(r["supplement"]["indicators"]) if r["supplement"] else set()
        for ind in r["indicators"]:
            assert bool(ind["evidence"]) != (ind["name"] in listed), ind["name"]
            assert not any(h["check"] == "no_evidence" and h["share"] > 0 for h in ind["hits"])
    assert main(["sample", "--evidence", "--projects", "3", "--seed", "4", "--out", str(tmp_path / "syn")]) == 0
    assert len(list((tmp_path / "syn" / "2023").glob("*.evidence"))) == 3
