"""Where rule sets are found: $SELFEVAL_RULES_DIR first, then a ``rules/`` folder beside the
params file or above it, then the package's own."""

import shutil

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
