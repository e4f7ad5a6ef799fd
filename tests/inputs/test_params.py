"""Loading a params file: every problem with its line and field, the rule set found beside the
file or named instead of it, the hashes of both, discovery of params files in folders."""

import hashlib
import shutil

import pytest

from selfeval_lib.inputs.params import InputError, discover, load_project

from conftest import ROOT, SEED_SAMPLE


def test_problem_names_file_line_and_field(tmp_path):
    text = SEED_SAMPLE.read_text(encoding="utf-8").replace("amount: 9600,", "amount: -9600,")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(bad)
    (problem,) = info.value.problems
    assert problem.field == "funds.payments[1].amount"
    assert problem.message.startswith("不能为负数")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "-9600" in l)
    assert problem.line == line
    assert str(problem).startswith(f"{bad}:{line}: funds.payments[1].amount: ")


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    text = SEED_SAMPLE.read_text(encoding="utf-8")
    text = text.replace("date: 2023-12-20", "date: 2024-01-05").replace("weight: 15}", "weight: 14}")
    text = text.replace("  rule_set: national\n", "  rule_set: national\n  colour: red\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(bad)
    fields = [p.field for p in info.value.problems]
    assert fields[0] == "project.colour"  # a misspelt key does not hide the other problems
    assert "funds.payments[5].date" in fields and "indicators" in fields
    wrong_type = text.replace("  colour: red\n", "").replace("declared: ", "declared: lots #")
    bad.write_text(wrong_type.replace("rule_set: national", "rule_set: natinal"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(bad)
    by_field = {p.field: p.message for p in info.value.problems}
    assert set(by_field) == {"funds.declared", "project.rule_set"}  # a wrong type stops the cross-checks, not the rest
    assert "是否想写“national”" in by_field["project.rule_set"]
    bad.write_text(text.replace("  colour: red\n", ""), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(bad)
    fields = [p.field for p in info.value.problems]
    assert "funds.payments[5].date" in fields and "indicators" in fields


def test_rule_set_beside_the_params_is_used(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "2023").mkdir()
    shutil.copy(ROOT / "params/rules/national.yaml", tmp_path / "rules/mine.yaml")
    text = SEED_SAMPLE.read_text(encoding="utf-8").replace("rule_set: national", "rule_set: mine")
    text = text.replace("name: national", "name: mine")
    params = tmp_path / "2023" / "p.yaml"
    params.write_text(text, encoding="utf-8")
    loaded = load_project(params)
    assert loaded.rules_path == tmp_path / "rules/mine.yaml"
    assert len(loaded.params_sha256) == 64 and len(loaded.rules_sha256) == 64


def test_discover_folders_and_files(tmp_path):
    files = discover([ROOT / "params"])
    assert all("rules" not in f.parts for f in files)
    assert ROOT / "params/2023/dongqu-yjglj-ydhs.yaml" in files
    assert discover([SEED_SAMPLE, SEED_SAMPLE]) == [SEED_SAMPLE]


def test_rule_set_override_is_what_the_provenance_hashes(tmp_path):
    loaded = load_project(SEED_SAMPLE, rule_set="sichuan")
    assert loaded.rules.name == "sichuan"
    assert loaded.rules_path.resolve() == (ROOT / "params/rules/sichuan.yaml").resolve()
    assert loaded.rules_sha256 == hashlib.sha256(loaded.rules_path.read_bytes()).hexdigest()


def test_amounts_as_people_write_them_are_read_in_yuan(tmp_path):
    """The unit is part of the value: 8.62万元, "86,200", "18,000元" and 捌万元 are amounts in 元."""
    text = SEED_SAMPLE.read_text(encoding="utf-8")
    written = (text.replace("declared: 86200 ", "declared: 8.62万元 ")
               .replace("approved: 86200 ", 'approved: "86,200" ')
               .replace("amount: 18000,", "amount: \"18,000元\",")
               .replace("budget: 9600}", "budget: 玖仟陆佰元}"))
    assert written.count("万元 ") > text.count("万元 ")
    path = tmp_path / "written.yaml"
    path.write_text(written, encoding="utf-8")
    assert load_project(path).project_year == load_project(SEED_SAMPLE).project_year


@pytest.mark.parametrize("value, fragment", [
    ("约8.62万元", "不是确数"), ("8万元以上", "不是确数"), ("8-9万元", "不是确数"),
    ("8.62万人", "不是金额"), ("95%", "不是金额"), ("8.6234567万元", "金额最多两位小数"),
])
def test_an_amount_that_is_no_exact_sum_of_money_is_refused(tmp_path, value, fragment):
    text = SEED_SAMPLE.read_text(encoding="utf-8").replace("approved: 86200 ", f"approved: {value} ")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(path)
    (problem,) = info.value.problems
    assert problem.field == "funds.approved" and fragment in problem.message


def test_a_misspelt_key_gets_the_field_it_resembles(tmp_path):
    text = SEED_SAMPLE.read_text(encoding="utf-8").replace("  approved: ", "  aproved: ", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(bad)
    messages = {p.field: p.message for p in info.value.problems}
    assert "是否想写“approved”" in messages["funds.aproved"]
    assert messages["funds.approved"] == "缺少必填字段"


def test_a_survey_written_as_people_write_it(tmp_path):
    """满意度 and sample size with their units: "95%" is the fraction 0.95, "三百份" is 300."""
    text = SEED_SAMPLE.read_text(encoding="utf-8")
    written = (text.replace("  rate: 0.95 ", "  rate: 95% ").replace("  sample_size: null", "  sample_size: 三百份")
               .replace('  method: ""', "  method: 问卷调查"))
    assert written.count("三百份") == 1 and written.count("95% ") > text.count("95% ")
    path = tmp_path / "survey.yaml"
    path.write_text(written, encoding="utf-8")
    survey = load_project(path).project_year.survey
    assert survey.rate == pytest.approx(0.95) and survey.sample_size == 300 and survey.method == "问卷调查"
