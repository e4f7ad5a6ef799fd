"""The readers' dispatch by suffix: every supported suffix has a reader, the others are refused
with a message naming the file, a missing file is named whatever its reader."""

from __future__ import annotations

import pytest
from review_workbooks import NATIONAL, make_workbook

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import READERS, SUFFIXES, load_table, read_tables


def _problem(exc_info) -> str:
    return "\n".join(str(p) for p in exc_info.value.problems)


def test_each_suffix_has_its_reader():
    """YAML and Excel first (the forms of issue 13 — .xls, Word, web pages, PDF, images — after them)."""
    assert SUFFIXES[:4] == (".yaml", ".yml", ".xlsx", ".xlsm") and SUFFIXES == tuple(READERS)
    assert all(s == s.lower() and s.startswith(".") for s in SUFFIXES)


def test_suffix_is_matched_without_case(tmp_path):
    make_workbook(tmp_path / "TABLE.XLSX", "national")
    (read,) = read_tables(tmp_path / "TABLE.XLSX")
    assert read.table.project.name == NATIONAL["project"]["name"]


@pytest.mark.parametrize("name, words", [("old.xls", ".xls"), ("table.csv", "不支持的文件类型")])
def test_unsupported_suffix(tmp_path, name, words):
    (tmp_path / name).write_bytes(b"x")
    with pytest.raises(InputError) as info:
        load_table(tmp_path / name)
    assert words in _problem(info) and name in _problem(info)


@pytest.mark.parametrize("name", ["missing.xlsx", "missing.yaml"])
def test_missing_file(tmp_path, name):
    with pytest.raises(InputError) as info:
        load_table(tmp_path / name)
    assert "无法读取文件" in _problem(info)
