"""What every command shares: help and usage errors wholly in Chinese (a misspelt command gets
the one it resembles), a missing optional extra named with its install command (exit 1, before
anything runs), and ``--log FILE`` keeping a long batch's messages."""

from __future__ import annotations

import re
import sys

import pytest

from selfeval_lib import cli
from selfeval_lib.cli.common import argparse_message

from conftest import SEED_SAMPLE

#: argparse's English words that must not reach a user.
ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|error:|argument|required|invalid")


@pytest.mark.parametrize("argv", [["--help"], ["batch", "--help"], ["requality", "--help"], ["notebooks", "-h"]])
def test_the_help_is_wholly_chinese(argv, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：selfeval") and "\n选项：\n" in out and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize("argv, words", [
    (["bach", "params"], "无效的选择“bach”，是否想写“batch”？"),
    (["run"], "缺少必需的参数：PARAMS"),
    (["run", "a.yaml", "--colour"], "无法识别的参数：--colour"),
    (["batch", "p", "--out"], "参数 --out：需要一个值"),
])
def test_a_usage_error_is_chinese(argv, words, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：selfeval") and "：错误：" in err and words in err, err
    assert not ENGLISH.search(err), err


def test_argparse_messages_translate_and_ours_pass_through() -> None:
    assert argparse_message("argument --jobs: expected one argument") == "参数 --jobs：需要一个值"
    assert argparse_message("one of the arguments --a --b is required") == "必须给出以下参数之一：--a --b"
    assert argparse_message("年度应为整数，而不是 'x'") == "年度应为整数，而不是 'x'"
    assert "是否想写" not in argparse_message("invalid choice: 'zzz' (choose from 'run', 'batch')")
    # Python 3.12.8+ writes the choices without quotes
    assert argparse_message("invalid choice: bach (choose from run, batch)") == "无效的选择“bach”，是否想写“batch”？（可选：run, batch）"


def test_a_scheduler_without_dask_names_the_install_command(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # not installed
    out = tmp_path / "out"
    code = cli.main(["batch", str(SEED_SAMPLE), "--scheduler", "local", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and 'pip install "selfeval[dask]"' in err and "内部错误" not in err, err
    assert "生成" not in err and not out.exists()  # refused before the run is announced


def test_the_log_keeps_every_message_of_a_batch_with_its_time(tmp_path, capsys) -> None:
    params = tmp_path / "params"
    params.mkdir()
    (params / "bad.yaml").write_text(SEED_SAMPLE.read_text(encoding="utf-8").replace("rule_set: national",
                                                                                     "rule_set: natinal"),
                                     encoding="utf-8")
    log = tmp_path / "night.log"
    args = ["batch", str(params), "--out", str(tmp_path / "out"), "--log", str(log), "--quiet"]
    assert cli.main(args) == 1
    printed = capsys.readouterr().err
    lines = log.read_text(encoding="utf-8").splitlines()
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", line) for line in lines), lines
    assert [line[20:] for line in lines] == [line for line in printed.splitlines() if line]
    assert any("是否想写“national”" in line for line in lines) and "参数错误 1 个" in lines[-2]
    assert cli.main(args) == 1  # a second run appends
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2 * len(lines)


def test_a_log_that_cannot_be_written_stops_the_batch_first(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    code = cli.main(["batch", str(SEED_SAMPLE), "--out", str(out), "--log", str(tmp_path / "no" / "such" / "x.log")])
    err = capsys.readouterr().err
    assert code == 1 and "无法写入日志文件" in err and not out.exists(), err


def test_summary_line_names_the_steps_in_chinese():
    from selfeval_lib.cli.common import steps_text
    from selfeval_lib.render.registry import FORMATS as ALL_FORMATS

    timings = {"validate": 0.02, "start": 0.5, "execute": 1.361, "warm_up": 0.1,
               **{fmt: 0.25 for fmt in ALL_FORMATS}, "total": 2.0}
    text = steps_text(timings)
    assert text.startswith("校验 0.02秒，启动 0.50秒，运行笔记本 1.36秒，预热 0.10秒，")
    assert text.endswith("合计 2.00秒")
    assert not re.search(r"validate|execute|warm_up|total|ipynb|xlsx|docx|\ds\b", text)


@pytest.mark.parametrize("command", ["run", "batch", "monitor"])
def test_the_format_help_lists_the_renderer_registry(command, capsys, monkeypatch) -> None:
    from selfeval_lib.render import registry

    monkeypatch.setenv("COLUMNS", "400")  # one line per option, so the list is not wrapped
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("--formats"))
    assert f"逗号分隔：{','.join(registry.FORMATS)}（" in line
    assert set(registry.FORMATS) == set(registry.REPORT.names) == set(registry.MONITORING.names)
