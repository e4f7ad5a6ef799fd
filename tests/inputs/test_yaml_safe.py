"""The safe YAML reader: data only (no code, no tags), the line of every field, dates left as
text for the schema, a byte-order mark accepted."""

import pytest

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.yaml_safe import read_yaml


def test_yaml_is_data_not_code(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text("project: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(evil)
    assert "YAML" in str(info.value)


def test_explicit_yaml_tags_are_refused(tmp_path):
    path = tmp_path / "tagged.yaml"
    path.write_text("project:\n  basis_documents: !!set {甲, 乙}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    assert "不支持 YAML 标签" in str(info.value)


def test_every_field_has_its_line_and_dates_stay_text(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes("\ufeffproject:\n  year: 2023\nfunds:\n  payments:\n    - {date: 2023-03-15}\n"
                     "    - date: 2023-04-01\n".encode("utf-8"))
    data, lines = read_yaml(path)
    assert data == {"project": {"year": 2023}, "funds": {"payments": [{"date": "2023-03-15"}, {"date": "2023-04-01"}]}}
    assert lines[()] == 1 and lines[("project", "year")] == 2
    assert lines[("funds", "payments", 0, "date")] == 5 and lines[("funds", "payments", 1)] == 6


def test_a_yaml_syntax_error_has_line_and_column(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("project:\n  name: [a, b\n  id: x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (problem,) = info.value.problems
    assert problem.line and problem.column
    assert str(problem).startswith(f"{path}:{problem.line}:{problem.column}: YAML 格式错误")


def test_a_control_character_is_refused_before_yaml_reads_it(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes(b"project:\n  name: a\x00b\n")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    assert str(info.value) == f"{path}:2:10: 不允许的字符 U+0000（NUL 空字符）：文件中不能有控制字符或非字符，请删除后再试"


# --- load_model: every YAML input's way to its model ----------------------------------------

from pydantic import BaseModel, ConfigDict  # noqa: E402

from selfeval_lib.inputs.yaml_safe import load_model, validate_model  # noqa: E402


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    cell: str | float | None = None


class _Whole(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    parts: list[_Part] = []


def test_load_model_gives_the_model_or_every_problem_located(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("title: 甲\nparts:\n  - {name: 乙, cell: 20%}\n", encoding="utf-8")
    assert load_model(good, _Whole).parts[0].cell == "20%"
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: 甲\nparts:\n  - {name: 乙}\n  - {nmae: 丙}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_model(bad, _Whole)
    shown = [str(p) for p in info.value.problems]
    assert any(p.startswith(f"{bad}:4: parts[1].name: 缺少必填字段") for p in shown), shown
    assert any("parts[1].nmae" in p and "是否想写“name”" in p for p in shown), shown


def test_a_union_of_number_and_text_is_one_problem_at_the_field():
    with pytest.raises(InputError) as info:
        validate_model({"title": "甲", "parts": [{"name": "乙", "cell": [1]}]}, _Whole, "t.yaml", {("parts", 0): 7})
    [problem] = info.value.problems
    assert (problem.field, problem.line) == ("parts[0].cell", 7) and "数字或文字" in problem.message
