"""The synthetic projects' example evidence: one file per indicator that has a completion value,
named so the 复核 matches it to its indicator, marked as synthetic, the same bytes each time; none
for an indicator without a completion value or a satisfaction without a survey sample."""

from __future__ import annotations

from pathlib import Path

import yaml

from selfeval_lib.inputs.synthetic import evidence_files, synthetic_params
from selfeval_lib.requality.evidence import normalise_name

from conftest import ROOT


def test_one_marked_file_per_indicator_with_a_value_named_after_it() -> None:
    for data in synthetic_params(8, seed=5):
        files = evidence_files(data)
        assert files == evidence_files(data)
        surveyed = bool(data["survey"]["sample_size"])
        for ind in data["indicators"]:
            mine = [n for n in files if normalise_name(ind["name"]) in normalise_name(Path(n).stem)]
            wanted = bool(ind.get("actual")) and (surveyed or "满意" not in ind["name"])
            assert len(mine) == int(wanted), (ind["name"], mine)
        for name, body in files.items():
            text = body.decode("utf-8")
            assert name.endswith(".txt") and "合成数据" in text and "不是真实材料" in text
            assert data["project"]["name"] in text


def test_the_bundled_samples_evidence_leaves_out_what_has_no_basis() -> None:
    slfh = yaml.safe_load((ROOT / "params" / "2023" / "dongqu-yjglj-slfh.yaml").read_text(encoding="utf-8"))
    blank = [i["name"] for i in slfh["indicators"] if not str(i.get("actual") or "").strip()]
    files = evidence_files(slfh)
    assert blank and len(files) == len(slfh["indicators"]) - len(blank)
    assert not any(name.startswith(b) for b in blank for name in files)


def test_unsafe_characters_do_not_reach_a_file_name() -> None:
    data = synthetic_params(1, seed=1)[0]
    data["indicators"][0]["name"] = '合格率/达标率:"A"'
    assert all(not set('\\/:*?"<>|') & set(name) for name in evidence_files(data))
