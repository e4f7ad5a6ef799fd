"""Files to results: params and tables told apart, a params manifest read, the previous year
handed to ``yoy.compare_years`` when it is among the inputs."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import yaml

from selfeval_lib.requality.kouqing import load_kouqing
from selfeval_lib.requality import service
from selfeval_lib.requality.overrides import EvidenceRequest
from selfeval_lib.requality.service import (
    is_params,
    requality_file,
    with_previous_years,
)

from conftest import ROOT

PARAMS = ROOT / "params" / "2023" / "dongqu-yjglj-slfh.yaml"
TABLE = ROOT / "tests" / "data" / "review" / "seed_like_table.yaml"
DISTRICT = load_kouqing("district")


def test_params_and_tables_are_told_apart():
    assert is_params(PARAMS) and not is_params(TABLE)


def test_params_manifest_is_read_relative_to_the_file(tmp_path):
    data = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    (tmp_path / "材料").mkdir()
    (tmp_path / "材料" / "验收单.pdf").write_bytes(b"accepted")
    digest = hashlib.sha256(b"accepted").hexdigest()
    data["indicators"][0]["evidence"] = [{"file": "材料/验收单.pdf", "description": "验收单", "sha256": digest}]
    data["indicators"][1]["evidence"] = [{"file": "材料/验收单.pdf", "sha256": "0" * 64}]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [r] = requality_file(path, DISTRICT)
    first, second, third = r.indicators[:3]
    assert first.evidence[0].sha256 == digest and first.rule_code != "1"
    assert first.requality_score == first.recomputed_score
    assert second.rule_code == "1A" and second.requality_score == 0
    assert r.evidence_status == "provided" and third.rule_code != "1" and third.name in r.supplement.indicators
    request = EvidenceRequest(source="p.yaml", requested="2024-03-01", due="2024-03-15")
    [asked] = requality_file(path, DISTRICT, requests=(request,))
    assert asked.evidence_status == "requested" and asked.indicators[2].rule_code == "1"
    assert asked.indicators[2].requality_score == 0 and asked.supplement is None


def test_previous_year_is_compared_when_present(monkeypatch):
    [r] = requality_file(PARAMS, DISTRICT)
    last = replace(r, year=r.year - 1, source="last.yaml")
    other = replace(r, project="别的项目", source="other.yaml")
    calls = []
    monkeypatch.setattr(service, "compare_years",
                        lambda current, previous: calls.append((current.year, previous.year)) or ["指标值较上年降低。"])
    out = with_previous_years([r, last, other])
    assert calls == [(r.year, r.year - 1)]
    assert out[0].yoy == ("指标值较上年降低。",) and out[1].yoy == () and out[2].yoy == ()


def test_override_for_a_table_named_by_its_file_name():
    from selfeval_lib.requality.overrides import Override

    mine = Override(indicator="受益群众满意度", source=TABLE.name, score=6, reason="调查表已补")
    other = Override(indicator="受益群众满意度", source="other.xlsx", score=2, reason="x")
    [r] = requality_file(TABLE, DISTRICT, (mine, other))
    [ind] = [i for i in r.indicators if i.name == "受益群众满意度"]
    assert ind.requality_score == 6 and ind.override_reason == "调查表已补"


def test_paths_rescored_with_the_record_which_is_not_an_input(tmp_path):
    from selfeval_lib.requality.service import rescore_paths

    (tmp_path / "empty").mkdir()
    assert rescore_paths([tmp_path / "empty"], "no-such-kouqing").kouqing is None
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / PARAMS.name).write_bytes(PARAMS.read_bytes())
    plain = rescore_paths([folder], "district")
    record = folder / "record.yaml"
    name = plain.results[0].indicators[0].name
    record.write_text(f"overrides:\n  - {{indicator: {name}, score: 0, reason: 核实未完成}}\n"
                      f"evidence_requests:\n  - {{source: {PARAMS.name}, requested: 2024-03-01, due: 2024-03-15}}\n",
                      encoding="utf-8")
    done = rescore_paths([folder], "district", record)
    assert done.files == [folder / PARAMS.name] and done.kouqing.name == "district" and done.errors == []
    assert done.results[0].indicators[0].requality_score == 0 and done.results[0].evidence_status == "requested"
