"""Where rule sets are found: $SELFEVAL_RULES_DIR first, then a ``rules/`` folder beside the
params file or above it, then the package's own."""

import shutil

import pytest

from selfeval_lib.inputs.rulesets import DEFAULT_RULES_DIR, RULES_ENV, find_rule_set, load_rule_set

from conftest import ROOT


def test_rule_set_is_found_beside_the_params_then_in_the_package(tmp_path, monkeypatch):
    monkeypatch.delenv(RULES_ENV, raising=False)
    (tmp_path / "rules").mkdir()
    (tmp_path / "2023").mkdir()
    shutil.copy(ROOT / "params/rules/national.yaml", tmp_path / "rules/mine.yaml")
    params = tmp_path / "2023" / "p.yaml"
    assert find_rule_set("mine", params) == tmp_path / "rules/mine.yaml"
    assert find_rule_set("national", params).resolve() == (DEFAULT_RULES_DIR / "national.yaml").resolve()


def test_the_environment_folder_comes_first(tmp_path, monkeypatch):
    env, near = tmp_path / "env", tmp_path / "rules"
    env.mkdir()
    near.mkdir()
    for folder in (env, near):
        shutil.copy(DEFAULT_RULES_DIR / "national.yaml", folder / "national.yaml")
    monkeypatch.setenv(RULES_ENV, str(env))
    assert find_rule_set("national", tmp_path / "p.yaml") == env / "national.yaml"
    monkeypatch.delenv(RULES_ENV)
    assert find_rule_set("national", tmp_path / "p.yaml") == near / "national.yaml"
    assert load_rule_set(near / "national.yaml").name == "national"


# --- rules never change silently ----------------------------------------------------------------

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from selfeval_lib.inputs.rulesets import is_bundled, rules_label, rules_notice, rules_source  # noqa: E402


def _cli(*args):
    env = {k: v for k, v in os.environ.items() if k not in ("SELFEVAL_DEBUG", RULES_ENV)}
    return subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _index(out):
    text = next(out.glob("*/portfolio.csv")).read_bytes().decode("utf-8-sig")
    return {row["项目编号"]: row for row in csv.DictReader(io.StringIO(text))}


def test_where_a_rule_set_came_from_is_named(tmp_path):
    bundled = DEFAULT_RULES_DIR / "national.yaml"
    assert is_bundled(bundled) and rules_source(bundled) == "bundled" and rules_notice("national", "t", bundled) is None
    mine = tmp_path / "rules" / "national.yaml"
    mine.parent.mkdir()
    shutil.copy(bundled, mine)
    assert not is_bundled(mine) and rules_source(mine) == str(mine)
    assert rules_label("本市规则", rules_source(mine)) == f"本市规则（{mine}）"
    assert rules_label("通用", "bundled") == "通用（内置）"
    notice = rules_notice("national", "本市规则", mine)
    assert str(mine) in notice and "覆盖了内置的同名规则集" in notice


@pytest.mark.integration
def test_a_rules_folder_above_the_params_is_announced_recorded_and_rescores(tmp_path):
    """A rules/ folder put above the params file after a batch: the next batch announces it,
    re-runs the report (not "up to date"), and metrics, index and summary name the file."""
    params = tmp_path / "p" / "2023" / SAMPLES_0.name
    params.parent.mkdir(parents=True)
    shutil.copy(SAMPLES_0, params)
    out = tmp_path / "out"
    first = _cli("batch", params.parent, "--out", out, "--formats", "xlsx", "--jobs", 1, "--quiet")
    assert first.returncode == 0, first.stderr
    assert "注意" not in first.stderr and "（内置） 1 个" in first.stderr
    pid = next(iter(_index(out)))
    assert _index(out)[pid]["规则集"].endswith("（内置）")
    metrics = out / "2023" / pid / "metrics.json"
    assert json.loads(metrics.read_text(encoding="utf-8"))["provenance"]["rules_file"] == "bundled"

    rules = tmp_path / "p" / "rules" / "national.yaml"
    rules.parent.mkdir()
    text = (DEFAULT_RULES_DIR / "national.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("title:", "title: 本市试行规则 #", 1), encoding="utf-8")
    title = load_rule_set(rules).title
    second = _cli("batch", params.parent, "--out", out, "--formats", "xlsx", "--jobs", 1, "--quiet")
    assert second.returncode == 0, second.stderr
    assert "未变化" not in second.stderr, "a new rule set was taken for no change"
    assert f"注意：使用规则集“{title}”（national），来自 {rules}" in second.stderr
    assert f"规则集：{title}（{rules}） 1 个" in second.stderr
    prov = json.loads(metrics.read_text(encoding="utf-8"))["provenance"]
    assert prov["rules_file"] == str(rules) and prov["rules_title"] == title
    assert _index(out)[pid]["规则集"] == f"{title}（{rules}）"


@pytest.mark.integration
def test_run_announces_the_rule_set_and_the_report_names_it_by_title(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "2023").mkdir()
    params = tmp_path / "2023" / SAMPLES_0.name
    shutil.copy(SAMPLES_0, params)
    text = (DEFAULT_RULES_DIR / "national.yaml").read_text(encoding="utf-8")
    (tmp_path / "rules" / "national.yaml").write_text(text.replace("title:", "title: 本市试行规则 #", 1),
                                                      encoding="utf-8")
    title = load_rule_set(tmp_path / "rules" / "national.yaml").title
    proc = _cli("run", params, "--out", tmp_path / "out", "--formats", "html")
    assert proc.returncode == 0, proc.stderr
    assert "注意：使用规则集" in proc.stderr and f"规则集：{title}（{tmp_path / 'rules' / 'national.yaml'}）" in proc.stderr
    html = next((tmp_path / "out").rglob("report.html")).read_text(encoding="utf-8")
    assert f'content="{title}（自定义规则文件）"' in html
    body = html.split("<body", 1)[1]
    assert str(tmp_path) not in body, "a path in the report people sign"


SAMPLES_0 = ROOT / "params" / "2023" / "dongqu-yjglj-slfh.yaml"  # rule_set: national


# --- one rule for every named input: rule sets and 口径 ------------------------------------------

from selfeval_lib.errors import InputError  # noqa: E402
from selfeval_lib.inputs.rulesets import RULE_SETS, find_named, search_path  # noqa: E402
from selfeval_lib.requality.kouqing import KOUQING, load_kouqing  # noqa: E402


def test_rule_sets_and_kouqing_are_found_by_one_rule(tmp_path, monkeypatch):
    """Environment folder, the kind's folder beside the input or above, the package; a path as given."""
    monkeypatch.delenv(RULES_ENV, raising=False)
    monkeypatch.delenv(KOUQING.env, raising=False)
    near = tmp_path / "2023" / "p.yaml"
    for kind in (RULE_SETS, KOUQING):
        assert search_path(kind, near)[1:3] == [tmp_path / kind.folder, tmp_path.parent / kind.folder]
        assert search_path(kind, near)[-1] == kind.bundled
        (tmp_path / kind.folder).mkdir()
        shutil.copy(kind.bundled / "national.yaml", tmp_path / kind.folder / "mine.yaml")
        assert find_named(kind, "mine", near) == tmp_path / kind.folder / "mine.yaml"
        assert find_named(kind, str(tmp_path / "elsewhere.yaml"), near) == tmp_path / "elsewhere.yaml"
        env = tmp_path / f"env-{kind.folder}"
        env.mkdir()
        shutil.copy(kind.bundled / "national.yaml", env / "mine.yaml")
        monkeypatch.setenv(kind.env, str(env))
        assert find_named(kind, "mine", near) == env / "mine.yaml"
    assert load_kouqing("mine", near).name == "national"


def test_a_name_not_found_says_what_where_and_the_closest(tmp_path, monkeypatch):
    monkeypatch.delenv(RULES_ENV, raising=False)
    for kind, field in ((RULE_SETS, "project.rule_set"), (KOUQING, "--rules")):
        with pytest.raises(InputError) as info:
            find_named(kind, "nationl", tmp_path / "p.yaml", field=field)
        [problem] = info.value.problems
        assert problem.field == field and problem.message.startswith(f"找不到{kind.what}“nationl”，是否想写“national”？")
        assert str(kind.bundled) in problem.message and "也可给出文件路径" in problem.message
