"""Every error a user can cause is a message through the real command line: the file or address
named, exit 1 (2 for a bad option value), no traceback, nothing half-written — an absurd sample
count, a ``--notebook`` that is not a notebook, a symlink loop, a name over 255 bytes, output
whose reader has gone, a Dask scheduler that is malformed or does not answer, an encrypted
workbook; and a params file whose name is not UTF-8 is run like any other."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from selfeval_lib.batch.state import STATE_FILE, load_state

from forms.office import cfb

from conftest import ROOT

pytestmark = pytest.mark.integration

SAMPLE = sorted((ROOT / "params" / "2023").glob("*.yaml"))[0]


def run_cli(*args: object, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SELFEVAL_DEBUG", "SELFEVAL_RULES_DIR")}
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *map(str, args)], cwd=ROOT, env=env,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout,
                          **({"capture_output": True} if "stdout" not in kwargs else {"stderr": subprocess.PIPE}),
                          **kwargs)


def assert_message(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


def test_sample_refuses_an_absurd_count_before_writing_anything(tmp_path):
    proc = run_cli("sample", "--projects", 100_000_000_000, "--out", tmp_path / "s", timeout=30)
    assert_message(proc, 2, "--projects", "项目数过大：最多 100000")
    assert not (tmp_path / "s").exists()


def test_batch_names_a_notebook_that_is_not_a_notebook(tmp_path):
    for name, content in (("text.ipynb", "这不是笔记本"), ("list.ipynb", "[1, 2]")):
        notebook = tmp_path / name
        notebook.write_text(content, encoding="utf-8")
        proc = run_cli("batch", SAMPLE, "--out", tmp_path / "out", "--notebook", notebook, "--formats", "html")
        assert_message(proc, 2, f"--notebook {notebook}", "不是 Jupyter 笔记本")
    assert not (tmp_path / "out").exists()


def test_run_names_a_symlink_loop(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    proc = run_cli("run", loop, "--out", tmp_path / "out", "--formats", "html")
    assert_message(proc, 1, str(loop), "符号链接循环")
    assert not (tmp_path / "out").exists()


def test_a_name_over_255_bytes_is_named_with_the_reason(tmp_path):
    long_name = "报告" * 50  # 300 bytes in UTF-8, 100 characters
    proc = run_cli("run", SAMPLE, "--out", tmp_path / long_name, "--formats", "html")
    assert_message(proc, 1, long_name, "超过 255 字节")
    params = tmp_path / f"{long_name}.yaml"
    proc = run_cli("validate", params)
    assert proc.returncode == 1 and "内部错误" not in proc.stderr and "超过 255 字节" in proc.stderr, proc.stderr


def test_output_whose_reader_has_gone_is_no_error(tmp_path):
    """``selfeval … | head``: the pipe's reader is gone before anything is written."""
    (tmp_path / "p").mkdir()
    for i in range(3):
        (tmp_path / "p" / f"{i}.yaml").write_bytes(SAMPLE.read_bytes())
    for args in (("schema",), ("validate", tmp_path / "p")):
        read, write = os.pipe()
        os.close(read)
        try:
            proc = run_cli(*args, stdout=write)
        finally:
            os.close(write)
        assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr and "内部错误" not in proc.stderr
        assert proc.returncode == 0, proc.stderr


def closed_port() -> int:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("address, words", [
    (f"tcp://127.0.0.1:{closed_port()}", ("无法连接 Dask 调度器", "连接被拒绝")),
    ("nonsense:::x", ("Dask 调度器地址无效", "tcp://主机:端口")),
    ("tcp://127.0.0.1", ("Dask 调度器地址无效",)),
    ("inproc://x", ("不支持的 Dask 调度器地址",)),
])
def test_a_scheduler_that_is_malformed_or_silent_fails_before_any_work(tmp_path, address, words):
    proc = run_cli("batch", SAMPLE, "--out", tmp_path / "out", "--formats", "html", "--scheduler", address,
                   timeout=60)
    assert_message(proc, 1, f"--scheduler {address}", *words)
    assert "生成" not in proc.stderr and not (tmp_path / "out" / STATE_FILE).exists()


def test_an_encrypted_workbook_is_named_as_encrypted(tmp_path):
    workbook = tmp_path / "加密.xlsx"
    workbook.write_bytes(cfb("EncryptionInfo", "EncryptedPackage"))
    proc = run_cli("import", workbook, "--out", tmp_path / "params")
    assert_message(proc, 1, str(workbook), "文件已加密", "去除密码")
    assert not (tmp_path / "params").exists()


def test_a_params_file_whose_name_is_not_utf8_runs_and_is_recorded(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    name = os.fsdecode(b"gbk-\xd6\xd0.yaml")
    (folder / name).write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    first = run_cli("batch", folder, "--out", out, "--formats", "html", "--jobs", 1, "--quiet")
    assert_message(first, 0)
    assert "成功 " in first.stdout
    state = load_state(out)
    assert list(state) == [str((folder / name).resolve())] and state[str((folder / name).resolve())]["status"] == "ok"
    metrics = json.loads(next(out.rglob("metrics.json")).read_text(encoding="utf-8"))
    assert metrics["provenance"]["params_file"] == "gbk-\\xd6\\xd0.yaml"
    again = run_cli("batch", folder, "--out", out, "--formats", "html", "--jobs", 1, "--quiet")
    assert_message(again, 0, "跳过 1 个未变化的项目")
