"""`selfeval review DIR`: every supported file of a folder read whatever its form, the files that
cannot be read listed at the end with their reason (and in review.json), the others reviewed;
exit 1 only when a file could not be read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT
from forms.office import DRILL, DRILL_YAML, built, cfb, copy_to

pytestmark = pytest.mark.integration

FORMS = ("html", "gbk.html", "docx", "xlsx", "xls")


def review(*args):
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", "review", *map(str, args)], check=False,
                          capture_output=True, text=True, cwd=ROOT, timeout=240)


def _good_folder(folder):
    copy_to(DRILL_YAML, folder / "a-transcription.yaml")
    for form in FORMS:
        src = built(str(DRILL), form)
        copy_to(src, folder / f"b-{form.replace('.', '-')}{src.suffix}")
    copy_to(built(str(DRILL), "html"), folder / "sub" / "c-page-saved-as.xls")  # a page under an .xls name
    (folder / "readme.txt").write_text("不是自评表，也不是支持的格式：不读取", encoding="utf-8")
    return folder


def test_good_and_bad_files_in_one_folder(tmp_path):
    folder = _good_folder(tmp_path / "tables")
    raw = built(str(DRILL), "docx").read_bytes()
    (folder / "d-cut.docx").write_bytes(raw[: len(raw) // 2])
    (folder / "e-five.htm").write_text("<html><body>" + "<table><tr><td>栏目</td></tr></table>" * 5 + "</body></html>",
                                       encoding="utf-8")
    (folder / "f-old.doc").write_bytes(cfb("WordDocument", "1Table"))
    (folder / "g-damaged.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    out = review(folder, "--json", "--out", tmp_path / "out")
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    data = json.loads(out.stdout)
    assert len(data["tables"]) == 1 + len(FORMS) + 1
    totals = {t["totals"]["recomputed_total"] for t in data["tables"]}
    assert len(totals) == 1  # every form of the table recomputes to the same total
    codes = [sorted((r["code"], r["field"]) for r in t["rows"]) for t in data["tables"]]
    assert all(c == codes[0] for c in codes)
    unreadable = {item["file"].rsplit("/", 1)[-1]: item["reason"] for item in data["unreadable"]}
    assert set(unreadable) == {"d-cut.docx", "e-five.htm", "f-old.doc", "g-damaged.doc"}
    assert "损坏或不完整" in unreadable["d-cut.docx"]
    assert unreadable["e-five.htm"].startswith("第1–5个表格均不是自评表：")
    assert "请在 Word 中另存为 .docx" in unreadable["f-old.doc"]
    assert "文件损坏或不完整" in unreadable["g-damaged.doc"]
    tail = out.stderr[out.stderr.index("无法读取的文件 4 个："):]
    for name in unreadable:
        assert name in tail
    written = json.loads((tmp_path / "out" / "review.json").read_text(encoding="utf-8"))
    assert written == data and len(written["unreadable"]) == 4
    assert (tmp_path / "out" / "review.html").exists()


def test_a_folder_of_readable_files_exits_0(tmp_path):
    folder = _good_folder(tmp_path / "tables")
    out = review(folder)
    assert out.returncode == 0, out.stderr
    assert "无法读取的文件" not in out.stderr
    assert "共复核 7 张表（7 个文件，0 个无法读取）" in out.stderr
    assert "按网页（HTML）读取" not in out.stdout  # the notes are readings of the review, not the terminal summary
    assert out.stdout.count("TOTAL_MISMATCH") == 7


def test_a_folder_without_tables(tmp_path):
    (tmp_path / "notes.txt").write_text("无", encoding="utf-8")
    out = review(tmp_path)
    assert out.returncode == 1 and "没有找到自评表" in out.stderr and ".docx" in out.stderr
