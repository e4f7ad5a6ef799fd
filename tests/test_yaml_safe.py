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
