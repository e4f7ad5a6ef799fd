"""The command's output streams: ``--log``'s timed copy of every finished line, and output whose
reader has gone (``| head``) sent to the null device instead of failing."""

from __future__ import annotations

import io
import re
import sys

import pytest

from selfeval_lib.errors import OutputError
from selfeval_lib.files.streams import PipeGuard, log_to


def test_the_log_gets_each_finished_line_with_its_time(tmp_path, monkeypatch):
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    log = tmp_path / "run.log"
    with log_to(str(log)):
        print("第一行")
        sys.stdout.write("进度 10%\r进度 100%\n")
        print("错误 某文件", file=sys.stderr)
        sys.stdout.write("未完")
    assert sys.stdout is out and out.getvalue() == "第一行\n进度 10%\r进度 100%\n未完"
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [line[20:] for line in lines] == ["第一行", "进度 100%", "错误 某文件"]
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", line) for line in lines)


def test_without_a_log_nothing_changes_and_an_unwritable_log_is_an_output_error(tmp_path):
    stdout = sys.stdout
    with log_to(None):
        assert sys.stdout is stdout
    with pytest.raises(OutputError, match="无法写入日志文件"):
        with log_to(str(tmp_path / "没有这个文件夹" / "run.log")):
            pass


class _Gone(io.StringIO):
    """A stream whose reader has gone: every write and flush is a broken pipe."""

    def write(self, text):
        raise BrokenPipeError

    def flush(self):
        raise BrokenPipeError


def test_a_reader_gone_sends_the_rest_to_the_null_device(tmp_path, monkeypatch):
    target = tmp_path / "stdout"
    with open(target, "w", encoding="utf-8") as real:
        guard = PipeGuard(real)
        assert guard.write("看得到\n") == len("看得到\n") and not guard.closed
        guard.flush()
        monkeypatch.setattr(guard, "_stream", _Gone())
        monkeypatch.setattr(guard._stream, "fileno", real.fileno, raising=False)
        assert guard.write("没人读\n") == len("没人读\n") and guard.closed
        guard.flush()
        real.write("之后\n")
    assert target.read_text(encoding="utf-8") == "看得到\n"
