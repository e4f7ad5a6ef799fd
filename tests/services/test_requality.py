"""services.requality: inputs found (the reviewer's record never one of them), every input
re-scored, the 复核's files and, when asked, the summary written into one folder."""

from __future__ import annotations

import json

from conftest import ROOT
from selfeval_lib.requality.model import Issuance
from selfeval_lib.services.requality import SummaryRequest, requality_run

PARAMS = ROOT / "params" / "2023" / "dongqu-yjglj-slfh.yaml"


def test_the_record_is_not_an_input_and_its_overrides_apply(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / PARAMS.name).write_bytes(PARAMS.read_bytes())
    record = folder / "overrides.yaml"
    plain = requality_run([folder], "district")
    first = plain.results[0].indicators[0]
    record.write_text(f"overrides:\n  - indicator: {first.name}\n    score: 0\n    reason: 复核认定未完成\n",
                      encoding="utf-8")
    run = requality_run([folder], "district", overrides=record)
    assert run.files == [folder / PARAMS.name] and run.errors == []
    assert run.results[0].indicators[0].requality_score == 0 and run.written == []


def test_files_and_summary_written_into_one_folder(tmp_path):
    run = requality_run([PARAMS], "district", issued=Issuance(bureau="某区财政局"), out=tmp_path,
                        summary=SummaryRequest(seed=7))
    names = sorted(p.name for p in run.written)
    assert {"requality.html", "requality.json", "workpaper.xlsx", "summary.json", "bulletin.docx"} <= set(names)
    assert [n for n in names if n.startswith("复核意见-01-")] and len(names) == len(set(names)) == 9
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["sample"]["seed"] == 7


def test_an_input_that_cannot_be_used_is_returned_as_its_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("project: [\n", encoding="utf-8")
    run = requality_run([broken, PARAMS], "district")
    assert len(run.errors) == 1 and "broken.yaml" in str(run.errors[0].problems[0])
    assert len(run.results) == 1 and run.kouqing.name == "district"
