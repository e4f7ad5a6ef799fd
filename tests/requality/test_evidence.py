"""Evidence on disk: a manifest's files (present, hashed, a declared hash checked, a path outside
the input's folder refused) and, without a manifest, an evidence folder matched by indicator name."""

from __future__ import annotations

import hashlib

from selfeval_lib.core.model import Evidence
from selfeval_lib.requality.evidence import check_evidence, normalise_name
from selfeval_lib.requality.subject import Row


def row(name: str, *evidence: Evidence) -> Row:
    return Row(1, "产出指标", "数量指标", name, "≥10场", "12场", 10, 10, 10, "", tuple(evidence))


def test_manifest_file_present_and_hashed(tmp_path):
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "a.pdf").write_bytes(b"report")
    digest = hashlib.sha256(b"report").hexdigest()
    found = check_evidence((row("甲", Evidence(file="e/a.pdf", description="验收报告", sha256=digest)),),
                           tmp_path / "t.yaml")[0]
    assert [(c.file, c.present, c.sha256, c.hash_mismatch, c.matched_by) for c in found] == [
        ("e/a.pdf", True, digest, False, "manifest")]


def test_manifest_missing_file_and_changed_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"changed")
    found = check_evidence((row("甲", Evidence(file="a.pdf", sha256="0" * 64), Evidence(file="gone.pdf")),),
                           tmp_path / "t.yaml")[0]
    assert found[0].present and found[0].hash_mismatch
    assert not found[1].present and found[1].sha256 is None


def test_manifest_path_outside_the_folder_is_not_opened(tmp_path):
    inner = tmp_path / "in"
    inner.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    found = check_evidence((row("甲", Evidence(file="../secret.txt")),), inner / "t.yaml")[0]
    assert not found[0].present and found[0].sha256 is None and "之外" in found[0].description


def test_folder_beside_the_table_matched_by_normalised_name(tmp_path):
    folder = tmp_path / "table.evidence"
    folder.mkdir()
    (folder / "培训 考核合格率-验收单.PDF").write_bytes(b"1")
    (folder / "其他材料.pdf").write_bytes(b"2")
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "宣传活动场次（签到表）.jpg").write_bytes(b"3")
    rows = (row("培训考核合格率"), row("宣传活动场次"), row("人均培训成本"))
    found = check_evidence(rows, tmp_path / "table.xlsx")
    assert [c.file for c in found[0]] == ["table.evidence/培训 考核合格率-验收单.PDF"]
    assert found[0][0].matched_by == "folder" and found[0][0].sha256 == hashlib.sha256(b"1").hexdigest()
    assert [c.file for c in found[1]] == ["evidence/宣传活动场次（签到表）.jpg"]
    assert found[2] == ()


def test_no_folder_no_manifest_means_no_evidence(tmp_path):
    assert check_evidence((row("甲"),), tmp_path / "t.yaml") == {0: ()}


def test_normalise_name():
    assert normalise_name("培训 考核（合格）率") == "培训考核合格率"
    assert normalise_name("ＡＢ-c") == "abc"


def test_folder_link_leading_outside_is_not_read(tmp_path):
    inner = tmp_path / "in"
    (inner / "evidence").mkdir(parents=True)
    (tmp_path / "培训考核合格率.txt").write_text("outside")
    (inner / "evidence" / "培训考核合格率.txt").symlink_to(tmp_path / "培训考核合格率.txt")
    assert check_evidence((row("培训考核合格率"),), inner / "t.yaml") == {0: ()}
