"""`selfeval review`: terminal summary across tables, --json, --out, unreadable files."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.integration

DATA = ROOT / "tests" / "data" / "review"


def review(*args):
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", "review", *args], check=False, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_summary_json_and_files(tmp_path):
    out = review(str(DATA / "seed_like_table.yaml"), str(DATA / "realistic_national_drill.yaml"),
                 "--json", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [t["source"] for t in data["tables"]] == ["示例自评表（虚构）", "森林防火宣传及应急演练自评表（虚构）"]
    first = data["tables"][0]
    assert first["totals"] == {"published_total": 99.0, "recomputed_total": 87.0,
                               "published_grade": "良", "recomputed_grade": "良"}
    for row in first["rows"]:
        assert set(row) >= {"row", "field", "code", "published", "recomputed", "message"}
    assert {"review.html", "review.xlsx", "review.json"} <= {p.name for p in tmp_path.iterdir()}
    assert json.loads((tmp_path / "review.json").read_text(encoding="utf-8")) == data


def test_terminal_summary_names_rows_and_codes():
    out = review(str(DATA / "seed_like_table.yaml"))
    assert out.returncode == 0
    assert "第 1 行 得分 SCORE_MISMATCH" in out.stdout
    assert "复核 87" in out.stdout
    assert "共复核 1 张表" in out.stderr


def test_unreadable_file_is_named_and_the_others_are_reviewed(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    out = review(str(broken), str(DATA / "seed_like_table.yaml"))
    assert out.returncode == 1
    assert "broken.xlsx" in out.stderr and "Traceback" not in out.stderr
    assert "SCORE_MISMATCH" in out.stdout
