"""Opening an input file safely (:mod:`selfeval_lib.inputs.files`): regular files only, the size
from ``stat`` before reading, symlink loops named, names with undecodable bytes shown escaped,
forbidden characters and undecodable bytes refused with line and column — and the same through
``load_project``, ``load_rule_set``, ``discover`` and the review readers."""

from __future__ import annotations

import errno
import os
import shutil
import signal
from pathlib import Path

import pytest

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import decode_text, forbidden_char, read_input, shown
from selfeval_lib.inputs.params import discover, load_project, load_rule_set
from selfeval_lib.review.readers import read_tables

from conftest import SEED_SAMPLE

BAD_NAME = os.fsdecode(b"p\xff\xfe.yaml")


@pytest.fixture(autouse=True)
def _no_hang():
    """A read that blocks (a FIFO) fails the test instead of hanging the suite."""
    def alarm(*_args):
        raise TimeoutError("blocked")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _problem(info: pytest.ExceptionInfo[InputError]) -> str:
    (problem,) = info.value.problems
    return str(problem)


# --- read_input --------------------------------------------------------------------------------

def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 100)
    assert read_input(path, 100) == b"x" * 100


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        read_input(fifo, 1000)
    assert _problem(info) == f"{fifo}: 无法读取文件：是命名管道（FIFO），不是普通文件"


def test_dev_zero_is_refused_before_reading(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    for path in (Path("/dev/zero"), link):
        with pytest.raises(InputError) as info:
            read_input(path, 1000)
        assert _problem(info) == f"{path}: 无法读取文件：是字符设备，不是普通文件"


def test_a_folder_and_a_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_input(tmp_path, 1000)
    assert "是文件夹，不是文件" in _problem(info)
    with pytest.raises(InputError) as info:
        read_input(tmp_path / "nope.yaml", 1000)
    assert _problem(info) == f"{tmp_path / 'nope.yaml'}: 无法读取文件：文件不存在"


def test_a_symlink_loop_is_named(tmp_path):
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "self.yaml").symlink_to("self.yaml")
    for name in ("a.yaml", "self.yaml"):
        with pytest.raises(InputError) as info:
            read_input(tmp_path / name, 1000)
        assert _problem(info) == f"{tmp_path / name}: 无法读取文件：符号链接循环（链接直接或间接指向自身，无法找到实际文件）"


def test_the_size_comes_from_stat_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 * 1024)  # sparse: 10 GB that would take long to read
    def never(*_args, **_kwargs):
        raise AssertionError("opened a file that stat says is too large")

    monkeypatch.setattr(os, "open", never)
    with pytest.raises(InputError) as info:
        read_input(big, 1000)
    assert _problem(info) == f"{big}: 文件过大（{10 * 1024 ** 3} 字节，上限 1000 字节）"


def test_a_file_growing_after_stat_is_not_read_past_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"x" * 10)
    real_fstat = os.fstat

    def fstat(fd):  # the file grows between fstat and read
        st = real_fstat(fd)
        path.write_bytes(b"x" * 5000)
        return st

    monkeypatch.setattr(os, "fstat", fstat)
    with pytest.raises(InputError) as info:
        read_input(path, 1000)
    assert "文件过大（超过上限 1000 字节）" in _problem(info)


def test_an_unreadable_file(tmp_path, monkeypatch):
    """Permission bits do not stop root (the tests run as root in CI), so the refusal the OS
    gives a normal user is simulated at the open."""
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0)
    real_open = os.open

    def denied(name, flags, *args, **kwargs):
        if os.fspath(name) == os.fspath(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError) as info:
        read_input(path, 1000)
    assert "没有读取权限" in _problem(info)


def test_a_name_with_a_nul_byte(tmp_path):
    with pytest.raises(InputError) as info:
        read_input(str(tmp_path / "a\0b.yaml"), 1000)
    assert "文件名含空字符" in _problem(info)


# --- names that are not UTF-8 --------------------------------------------------------------------

def test_a_name_that_is_not_utf8_is_shown_escaped_and_loads(tmp_path):
    path = tmp_path / BAD_NAME
    shutil.copy(SEED_SAMPLE, path)
    assert shown(path) == f"{tmp_path}/p\\xff\\xfe.yaml"
    assert load_project(path).project_year.project.id == "dongqu-yjglj-ydhs"
    path.write_bytes(SEED_SAMPLE.read_bytes().replace(b"project:", b"project:\n  bogus: 1", 1))
    with pytest.raises(InputError) as info:
        load_project(path)
    text = str(info.value)
    text.encode("utf-8")  # printable: no lone surrogate left
    assert f"{tmp_path}/p\\xff\\xfe.yaml:" in text and "未知字段" in text
    assert all(p.file == shown(path) for p in info.value.problems)


# --- decode_text -----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, line, column", [
    (b"a: 1\nb: x\x00y\n", 2, 5),
    (b"a: 1\r\nb: \x1b\r\n", 2, 4),
    (b"a: 1\rb: 2\r\x7f", 3, 1),
    (b"\xef\xbb\xbfa: \xc2\x9f", 1, 4),  # the byte-order mark is not a column
    ("a: 中文\ufffe".encode(), 1, 6),
    ("a: \uffff".encode(), 1, 4),
])
def test_forbidden_characters_are_refused_with_line_and_column(raw, line, column):
    with pytest.raises(InputError) as info:
        decode_text(raw, "p.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (line, column)
    assert str(problem).startswith(f"p.yaml:{line}:{column}: 不允许的字符 U+")


def test_tabs_line_breaks_and_ordinary_text_pass():
    text = "a:\t1\r\nb: “引号” é ✓ \u3000 𠀀\n"
    assert decode_text(text.encode(), "p.yaml") == text
    assert forbidden_char(text) is None
    assert forbidden_char("ab\x85") == (2, "\x85")


def test_undecodable_bytes_are_refused_with_their_position():
    with pytest.raises(InputError) as info:
        decode_text("a: 1\nb: 中".encode() + b"\xe4\xb8", "p.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 5)
    assert "不是 UTF-8 编码（第 12 字节 0xE4 无法解码）" in problem.message


# --- every input path ------------------------------------------------------------------------------

def test_load_project_and_load_rule_set_refuse_odd_files(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    for name, reason in (("pipe.yaml", "命名管道"), ("zero.yaml", "字符设备"), ("loop.yaml", "符号链接循环")):
        for load in (load_project, load_rule_set):
            with pytest.raises(InputError) as info:
                load(tmp_path / name)
            assert _problem(info).startswith(f"{tmp_path / name}: 无法读取文件：") and reason in _problem(info)


def test_review_tables_refuse_odd_files(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "loop.xlsx").symlink_to("loop.xlsx")
    (tmp_path / "nul.yaml").write_bytes(b"source: x\nproject:\n  name: a\x00b\n")
    for name, reason in (("pipe.xlsx", "命名管道"), ("zero.yaml", "字符设备"), ("loop.xlsx", "符号链接循环"),
                         ("nul.yaml", "nul.yaml:3:10: 不允许的字符 U+0000")):
        with pytest.raises(InputError) as info:
            read_tables(tmp_path / name)
        assert reason in _problem(info), _problem(info)


def test_discover_lists_odd_entries_once_and_does_not_follow_folder_loops(tmp_path):
    shutil.copy(SEED_SAMPLE, tmp_path / "good.yaml")
    shutil.copy(SEED_SAMPLE, tmp_path / BAD_NAME)
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "back").symlink_to(tmp_path)  # a folder loop: never entered
    (sub / "deeper.yml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "national.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    found = discover([tmp_path, tmp_path / "good.yaml"])
    assert found == sorted([tmp_path / "good.yaml", tmp_path / BAD_NAME, tmp_path / "loop.yaml", sub / "deeper.yml"])


def test_discover_other_suffixes_for_review_tables(tmp_path):
    (tmp_path / "rules").mkdir()
    for name in ("a.XLSX", "b.yaml", "c.txt", "rules/d.xlsx"):
        (tmp_path / name).write_bytes(b"")
    assert discover([tmp_path], suffixes=(".yaml", ".yml", ".xlsx"), skip_folders=()) == [
        tmp_path / "a.XLSX", tmp_path / "b.yaml", tmp_path / "rules" / "d.xlsx"]
    assert discover([tmp_path]) == [tmp_path / "b.yaml"]
