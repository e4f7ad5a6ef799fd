"""services.review: the tables found, each file read on its own, the reviews and review.json's
data, the three files written together (or none)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from selfeval_lib.errors import InputError
from selfeval_lib.services.review import review_files, review_inputs

DATA = ROOT / "tests" / "data" / "review"
SEED = DATA / "seed_like_table.yaml"


def test_a_folder_gives_its_tables_and_refused_forms(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf")
    (tmp_path / "notes.txt").write_text("不是自评表", encoding="utf-8")
    assert [p.name for p in review_inputs([tmp_path])] == ["a.yaml", "old.doc"]


def test_a_file_that_cannot_be_read_is_recorded_and_the_others_reviewed(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("source: [\n", encoding="utf-8")
    run = review_files([broken, SEED], "national")
    assert [u.file for u in run.unreadable] == [str(broken)] and run.unreadable[0].reason
    assert [r.recomputed_total for r in run.reviews] == [87.0] and run.written == []


def test_files_are_written_together_and_the_json_is_the_data(tmp_path):
    run = review_files([SEED], "national", tmp_path / "out")
    assert sorted(p.name for p in run.written) == ["review.html", "review.json", "review.xlsx"]
    written = json.loads((tmp_path / "out" / "review.json").read_text(encoding="utf-8"))
    assert written == run.data() and written["rule_set"] == "national" and written["unreadable"] == []


def test_nothing_found_reads_nothing(tmp_path):
    run = review_files([tmp_path], "no-such-rule-set", tmp_path / "out")
    assert run.files == [] and run.rules is None and not (tmp_path / "out").exists()


def test_a_rule_set_that_is_not_found_names_the_option(tmp_path):
    with pytest.raises(InputError, match="找不到规则集") as info:
        review_files([SEED], "no-such-rule-set")
    assert [(p.file, p.field) for p in info.value.problems] == [("no-such-rule-set", "--rules")]
    own = tmp_path / "own.yaml"
    own.write_bytes((ROOT / "params" / "rules" / "national.yaml").read_bytes())
    assert review_files([SEED], str(own)).rules.name == "national"
