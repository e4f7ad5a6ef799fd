"""Located messages: a field path as the author writes it, the nearest known line, pydantic's
errors in Chinese with the offending value quoted (and cut when long)."""

from pydantic import BaseModel, ValidationError

from selfeval_lib.inputs.messages import Problem, format_loc, problem_at, pydantic_message


def test_a_problem_reads_file_line_field_message():
    assert str(Problem("p.yaml", "funds.approved", "缺少必填字段", 7)) == "p.yaml:7: funds.approved: 缺少必填字段"
    assert str(Problem("p.yaml", "", "文件为空")) == "p.yaml: 文件为空"
    assert str(Problem("p.yaml", "", "不允许的字符", 3, 7)) == "p.yaml:3:7: 不允许的字符"
    assert str(Problem("p.yaml", "", "x", None, 7)) == "p.yaml: x"  # a column without a line is not shown


def test_a_field_without_a_line_takes_its_parent_s():
    lines = {(): 1, ("funds",): 4, ("funds", "payments", 2): 9}
    assert format_loc(("funds", "payments", 2, "amount")) == "funds.payments[2].amount"
    assert problem_at("p.yaml", ("funds", "payments", 2, "amount"), "不能为负数", lines).line == 9
    assert problem_at("p.yaml", ("funds", "declared"), "缺少必填字段", lines).line == 4
    assert problem_at("p.yaml", ("survey",), "应为映射（键: 值）", lines).line == 1


def test_pydantic_errors_in_chinese_with_the_value_cut_at_60_characters():
    class M(BaseModel):
        year: int

    try:
        M.model_validate({"year": "x" * 100})
    except ValidationError as exc:
        (err,) = exc.errors()
    message = pydantic_message(err)
    assert message == "应为整数（当前值：" + repr("x" * 100)[:60] + "…）"


def test_did_you_mean_names_the_closest_choice_only_when_close():
    from selfeval_lib.inputs.messages import did_you_mean

    assert did_you_mean("natinal", ["national", "sichuan"]) == "是否想写“national”？"
    assert did_you_mean("SICHUAN", ["national", "sichuan"]) == "是否想写“sichuan”？"
    assert did_you_mean("zhejiang", ["national", "sichuan"]) == ""
    assert did_you_mean("x", []) == ""


def test_fields_at_follows_models_through_lists_and_optionals():
    from selfeval_lib.core.model import ProjectYear
    from selfeval_lib.inputs.messages import fields_at

    assert "approved" in fields_at(ProjectYear, ("funds",))
    assert "voucher" in fields_at(ProjectYear, ("funds", "payments", 3))
    assert "expected" in fields_at(ProjectYear, ("indicators", 0, "progress", 2))
    assert "sample_size" in fields_at(ProjectYear, ("survey",))  # survey is optional
    assert fields_at(ProjectYear, ("funds", "approved")) == () and fields_at(ProjectYear, ("nothing",)) == ()


def test_an_unknown_key_and_a_value_off_the_list_get_a_suggestion():
    from typing import Literal

    from pydantic import ConfigDict

    class Row(BaseModel):
        model_config = ConfigDict(extra="forbid")
        level1: Literal["产出指标", "效益指标", "满意度指标"]
        weight: float

    try:
        Row.model_validate({"level1": "产出指", "weigth": 3})
    except ValidationError as exc:
        messages = {e["loc"][-1]: pydantic_message(e, Row) for e in exc.errors()}
    assert "是否想写“产出指标”" in messages["level1"]
    assert messages["weigth"] == "未知字段，是否想写“weight”？"
    assert messages["weight"] == "缺少必填字段"
