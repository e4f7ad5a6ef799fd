"""Hostile inputs through the real command line: one bad file among good ones fails alone, with
its name and position, no traceback and exit 1; a merged-cell workbook is not imported."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from workbook_helpers import col, open_book, seed_workbook

from conftest import ROOT

pytestmark = pytest.mark.integration

SAMPLES = sorted((ROOT / "params" / "2023").glob("*.yaml"))


def run_cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SELFEVAL_DEBUG", "SELFEVAL_RULES_DIR")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout)


def assert_clean(proc: subprocess.CompletedProcess[str]) -> None:
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream and "内部错误" not in stream, stream


def test_validate_dir_reports_each_bad_file_and_passes_the_good_ones(tmp_path):
    for sample in SAMPLES:
        shutil.copy(sample, tmp_path / sample.name)
    good = SAMPLES[0].read_bytes()
    line = good.split(b"\n").index(b"project:") + 2  # of the line inserted below "project:"
    (tmp_path / "nul.yaml").write_bytes(good.replace(b"project:\n", b"project:\n  \x00\n", 1))
    (tmp_path / "fffe.yaml").write_bytes(good.replace(b"name: ", "name: 项目\ufffe".encode(), 1))
    (tmp_path / os.fsdecode(b"gbk-\xd6\xd0.yaml")).write_bytes(good.replace(b"project:\n", b"project:\n  \x1b\n", 1))
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a folder loop
    proc = run_cli("validate", tmp_path, timeout=60)
    assert_clean(proc)
    assert proc.returncode == 1, proc.stderr
    for sample in SAMPLES:
        assert f"通过 {tmp_path / sample.name}" in proc.stdout
    errors = proc.stderr.splitlines()
    expected = [
        ("nul.yaml", f":{line}:3: 不允许的字符 U+0000（NUL 空字符）"),
        ("fffe.yaml", f":{line + 1}:11: 不允许的字符 U+FFFE（非字符，XML 不允许）"),
        ("gbk-\\xd6\\xd0.yaml", f":{line}:3: 不允许的字符 U+001B（ESC 转义符）"),
        ("pipe.yaml", ": 无法读取文件：是命名管道（FIFO），不是普通文件"),
        ("zero.yaml", ": 无法读取文件：是字符设备，不是普通文件"),
        ("loop.yaml", ": 无法读取文件：符号链接循环"),
    ]
    for name, fragment in expected:
        assert any(line.startswith(f"错误 {tmp_path}/{name}{fragment}") for line in errors), (name, errors)
    n = len(SAMPLES) + 6
    assert f"共 {n} 个文件：{len(SAMPLES)} 个通过，6 个有错误" in proc.stderr


def test_validate_passes_a_good_file_whose_name_is_not_utf8(tmp_path):
    path = tmp_path / os.fsdecode(b"gbk-\xd6\xd0.yaml")
    shutil.copy(SAMPLES[0], path)
    proc = run_cli("validate", tmp_path)
    assert_clean(proc)
    assert proc.returncode == 0
    assert f"通过 {tmp_path}/gbk-\\xd6\\xd0.yaml" in proc.stdout


def test_import_refuses_merged_amounts(tmp_path):
    wb = open_book(seed_workbook())
    pay = wb["支付明细"]
    c = col(pay, "金额（元）")
    pay.merge_cells(start_row=2, start_column=c, end_row=4, end_column=c)
    wb.save(tmp_path / "in.xlsx")
    proc = run_cli("import", tmp_path / "in.xlsx", "--out", tmp_path / "params")
    assert_clean(proc)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"错误 {tmp_path / 'in.xlsx'}: 支付明细!C2:C4: 合并单元格：")
    assert not (tmp_path / "params").exists()
