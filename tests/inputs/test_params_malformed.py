"""Malformed parameter files: each is rejected with a precise Chinese message, never a crash.

Every file in ``tests/data/malformed/`` is a small, otherwise complete params file with ONE
thing broken. Its first line is ``# expect: <fragment>``: a fragment that must appear in the
error output (``错误 <file>:<line>: <field.path>: <message>``). The two files that cannot carry
such a line (an empty file, a GBK-encoded file) have their expectation in ``NO_EXPECT_LINE``.

Per-file messages are checked in-process through :func:`selfeval_lib.inputs.params.load_project`
(fast); exit codes, the absence of tracebacks and the line format are checked through the real
CLI (``python -m selfeval_lib.cli``) on a few files and on the whole folder in one call.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval_lib.inputs.params import InputError, load_project
from selfeval_lib.inputs.yaml_safe import MAX_FILE_BYTES

from conftest import ROOT

DATA = ROOT / "tests" / "data"
MALFORMED = DATA / "malformed"
VALID = DATA / "valid"
SAMPLES = ROOT / "params" / "2023"

FILES = sorted(MALFORMED.glob("*.yaml"))
#: Files that cannot start with an ``# expect:`` line.
NO_EXPECT_LINE = {
    "empty_file.yaml": "文件为空",
    "non_utf8.yaml": "不是 UTF-8 编码",
}
#: A few files run through the real CLI one by one (the rest only in the one-call folder run).
CLI_ONE_BY_ONE = (
    "missing_project_name.yaml",
    "not_a_mapping.yaml",
    "empty_file.yaml",
    "non_utf8.yaml",
    "unclosed_bracket.yaml",
    "unknown_rule_set.yaml",
    "unit_mismatch.yaml",
    "impossible_date.yaml",
    "complex_key.yaml",
    "deeply_nested.yaml",
)
HTML_NAME = "<script>alert(1)</script>"

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SHOWN_VALUE = re.compile(r"（当前值：.*）$")


def expected_fragment(path: Path) -> str:
    """The fragment the error output of ``path`` must contain."""
    if path.name in NO_EXPECT_LINE:
        return NO_EXPECT_LINE[path.name]
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), f"{path.name}: first line must be '# expect: <fragment>'"
    fragment = first[len("# expect: "):].strip()
    assert fragment, f"{path.name}: empty expectation"
    return fragment


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SELFEVAL_DEBUG", "SELFEVAL_RULES_DIR")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfeval_lib.cli", *args],
        cwd=ROOT, env=_env(), capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream, stream
        assert "内部错误" not in stream, stream


def assert_error_lines(stderr: str, prefix: str) -> list[str]:
    """Every stderr line is ``错误 <file>…`` (the one summary line ``共 N 个文件…`` aside)."""
    lines = [line for line in stderr.splitlines() if not re.match(r"^共 \d+ 个文件：", line)]
    assert lines, "no error lines on stderr"
    for line in lines:
        assert line.startswith("错误 "), f"not an error line: {line!r}"
        assert line.startswith(f"错误 {prefix}"), f"error line does not name the file: {line!r}"
    return lines


@pytest.fixture(autouse=True)
def _default_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SELFEVAL_RULES_DIR", raising=False)


# --- the corpus --------------------------------------------------------------------------------

def test_corpus_is_large_and_every_file_has_an_expectation() -> None:
    assert len(FILES) >= 30, len(FILES)
    for path in FILES:
        expected_fragment(path)
    for name in NO_EXPECT_LINE:
        assert (MALFORMED / name).is_file(), name
    assert (MALFORMED / "empty_file.yaml").read_bytes() == b""
    with pytest.raises(UnicodeDecodeError):
        (MALFORMED / "non_utf8.yaml").read_bytes().decode("utf-8")


# --- per file, in-process ----------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_malformed_file_is_rejected_with_a_precise_message(path: Path) -> None:
    fragment = expected_fragment(path)
    with pytest.raises(InputError) as info:  # any other exception is a crash: the test fails
        load_project(path)
    problems = info.value.problems
    assert problems, "InputError without problems"
    rendered = [f"错误 {p}" for p in problems]  # exactly what `selfeval validate` prints
    output = "\n".join(rendered)
    for problem, line in zip(problems, rendered):
        assert problem.file == str(path), line
        assert line.startswith(f"错误 {path}"), line
        assert "\n" not in line, f"a problem must fit on one line: {line!r}"
        assert _CJK.search(_SHOWN_VALUE.sub("", problem.message)), f"message is not in Chinese: {line!r}"
        assert "Traceback" not in line
    assert fragment in output, f"expected {fragment!r} in:\n{output}"


def test_html_in_a_reference_is_quoted_literally() -> None:
    path = MALFORMED / "html_in_payment_item.yaml"
    with pytest.raises(InputError) as info:
        load_project(path)
    messages = [p.message for p in info.value.problems]
    assert any("“<img src=x onerror=alert(1)>”" in m for m in messages), messages
    assert not any("&lt;" in m or "&gt;" in m for m in messages), messages


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as info:
        load_project(path)
    assert "无法读取文件" in str(info.value)
    assert all(p.file == str(path) for p in info.value.problems)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "oversized.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(InputError) as info:
        load_project(path)
    assert "文件过大" in str(info.value)


# --- the CLI -----------------------------------------------------------------------------------

@pytest.mark.integration
@pytest.mark.parametrize("name", CLI_ONE_BY_ONE)
def test_cli_rejects_one_file_with_exit_code_1(name: str) -> None:
    arg = f"tests/data/malformed/{name}"
    proc = run_cli("validate", arg)
    assert_no_traceback(proc)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert "通过" not in proc.stdout
    assert name in proc.stderr
    assert expected_fragment(MALFORMED / name) in proc.stderr, proc.stderr
    assert_error_lines(proc.stderr, arg)


@pytest.mark.integration
def test_cli_validates_the_whole_folder_in_one_call() -> None:
    proc = run_cli("validate", "tests/data/malformed")
    assert_no_traceback(proc)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "通过 " not in proc.stdout
    lines = assert_error_lines(proc.stderr, "tests/data/malformed/")
    for path in FILES:
        mine = [line for line in lines if line.startswith(f"错误 tests/data/malformed/{path.name}")]
        assert mine, f"{path.name} not listed"
        assert expected_fragment(path) in "\n".join(mine), (path.name, mine)
    assert f"共 {len(FILES)} 个文件：0 个通过，{len(FILES)} 个有错误" in proc.stderr


@pytest.mark.integration
def test_cli_still_passes_the_valid_samples() -> None:
    proc = run_cli("validate", "params/2023", "tests/data/valid")
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    valid = sorted(SAMPLES.glob("*.yaml")) + sorted(VALID.glob("*.yaml"))
    assert len(valid) >= 4
    for path in valid:
        assert f"通过 {path.relative_to(ROOT)}" in proc.stdout, proc.stdout


@pytest.mark.integration
def test_html_in_text_fields_is_kept_as_text_by_evaluate_json() -> None:
    proc = run_cli("evaluate", "--json", "tests/data/valid/html_in_text.yaml")
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["project"]["name"] == HTML_NAME
    assert data["project"]["unit"] == '<b>测试单位</b> & "合作方"'
    assert data["project"]["department"] == "测试主管部门 <!-- 注释 -->"
    assert data["funds"]["items"][0]["name"] == "<img src=x onerror=alert(1)>"
    assert data["scores"]["indicators"][0]["name"] == "<u>培训人数</u>"
    assert data["scores"]["indicators"][4]["actual"] == "参训人员安全意识明显增强 <script>alert(2)</script>"
    assert data["vouchers"][0]["payee"] == "<script>document.cookie</script>"
    assert data["vouchers"][1]["voucher"] == "<b>记-002</b>"
    assert "&lt;" not in proc.stdout and "&amp;" not in proc.stdout
