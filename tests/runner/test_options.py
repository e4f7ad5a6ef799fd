"""Values on the command line are checked by the parser: a bad one is a usage error (exit 2)
with a message saying what is wrong, no traceback, and nothing is run; ``--jobs`` above what
the machine can run is capped with a note."""

from __future__ import annotations

import pytest

from selfeval_lib import cli
from selfeval_lib.batch.executors import default_jobs
from selfeval_lib.runner.options import RunOptions, parse_count, parse_formats, parse_year

from conftest import SEED_SAMPLE

BAD = [
    (["batch", "P", "--jobs", "-1"], "--jobs", "正整数"),
    (["batch", "P", "--jobs", "0"], "--jobs", "正整数"),
    (["batch", "P", "--jobs", "two"], "--jobs", "正整数"),
    (["batch", "P", "--timeout", "0"], "--timeout", "正整数"),
    (["batch", "P", "--timeout", "-5"], "--timeout", "正整数"),
    (["run", "P", "--timeout", "0"], "--timeout", "正整数"),
    (["batch", "P", "--formats", ""], "--formats", "至少要指定一种输出格式"),
    (["run", "P", "--formats", " , "], "--formats", "至少要指定一种输出格式"),
    (["run", "P", "--formats", "html,exe"], "--formats", "未知的输出格式：exe（"),
    (["run", "P", "--formats", "html,pfd"], "--formats", "未知的输出格式：pfd，是否想写“pdf”？"),
    (["batch", "P", "--year", "99999"], "--year", "2000–2100"),
    (["batch", "P", "--year", "abc"], "--year", "年度应为整数"),
    (["sample", "--projects", "-3"], "--projects", "正整数"),
    (["sample", "--projects", "0"], "--projects", "正整数"),
    (["sample", "--year", "1800"], "--year", "2000–2100"),
]


@pytest.mark.parametrize("argv, option, message", BAD, ids=[" ".join(a) for a, _, _ in BAD])
def test_a_bad_value_is_a_usage_error(argv, option, message, tmp_path, capsys) -> None:
    argv = [str(SEED_SAMPLE) if a == "P" else a for a in argv] + ["--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"参数 {option}：" in err and "argument" not in err and message in err and "Traceback" not in err, err
    assert not (tmp_path / "out").exists(), "nothing may run on a bad value"


def test_too_many_jobs_are_capped_with_a_note(tmp_path, capsys) -> None:
    empty = tmp_path / "params"
    empty.mkdir()
    assert cli.main(["batch", str(empty), "--jobs", "1000", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"改用 {default_jobs()} 个工作进程" in err and "1000 个工作进程" not in err


def test_the_parsers_accept_good_values() -> None:
    assert parse_count("3") == 3 and parse_year("2023") == 2023
    assert parse_formats(" HTML , ipynb ") == ("ipynb", "html")
    with pytest.raises(ValueError):
        RunOptions(formats=())
    with pytest.raises(ValueError):
        RunOptions(timeout=0)
    assert RunOptions(timeout=None).timeout is None
