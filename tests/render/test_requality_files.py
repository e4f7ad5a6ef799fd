"""Every file of a 复核 by name: one 复核意见 per result with a name any system accepts, the JSON
as the results say, the summary's five files; the same results give the same bytes."""

from __future__ import annotations

import dataclasses
import json

from requality_units import fake_results

from selfeval_lib.render.requality_files import requality_documents, summary_documents
from selfeval_lib.requality.model import Issuance
from selfeval_lib.requality.summary_data import summarise


def test_the_requality_files_by_name_and_the_same_bytes_twice():
    results, _ = fake_results()
    results = results[:3]
    results[1] = dataclasses.replace(results[1], project='路灯/维护:"一期"\t项目')
    files = requality_documents(results, "district", "区级口径", Issuance(bureau="某区财政局"))
    names = list(files)
    assert names[:3] == ["requality.html", "requality.json", "workpaper.xlsx"]
    assert names[3].startswith("复核意见-01-") and names[4] == "复核意见-02-路灯_维护_一期_项目.docx"
    assert len(names) == 3 + len(results) and all(isinstance(b, bytes) and b for b in files.values())
    data = json.loads(files["requality.json"])
    assert data["rules"] == "district" and [r["project"] for r in data["results"]] == [r.project for r in results]
    assert files == requality_documents(results, "district", "区级口径", Issuance(bureau="某区财政局"))


def test_the_summary_files_and_the_same_bytes_twice():
    results, _ = fake_results()
    summary = summarise(results, seed=3)
    files = summary_documents(summary, Issuance(number="某财绩〔2024〕1号"), rectify_days=20)
    assert list(files) == ["summary.html", "summary.xlsx", "summary.json", "bulletin.docx", "bulletin.html"]
    assert json.loads(files["summary.json"])["sample"]["seed"] == 3
    assert "某财绩〔2024〕1号" in files["bulletin.html"].decode("utf-8")
    assert files == summary_documents(summarise(list(reversed(results)), seed=3), Issuance(number="某财绩〔2024〕1号"),
                                      rectify_days=20)
