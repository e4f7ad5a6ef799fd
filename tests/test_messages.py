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
