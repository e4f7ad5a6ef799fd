"""The input workbook imported: read (:mod:`~selfeval_lib.inputs.workbook.reader`), validated
exactly as a YAML file is (pydantic :class:`ProjectYear`, then :func:`check_project_year` under
the project's rule set) with every problem named by its cell, and only then written as
``<out>/<year>/<id>.yaml``, atomically.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem, pydantic_message
from selfeval_lib.inputs.params import load_project
from selfeval_lib.inputs.rulesets import find_rule_set, load_rule_set
from selfeval_lib.inputs.validation import check_project_year
from selfeval_lib.inputs.workbook.reader import Reader
from selfeval_lib.inputs.yaml_safe import MAX_FILE_BYTES

#: First line of every YAML file written by :func:`import_workbook` (re-import may overwrite it).
IMPORT_MARK = "# 由 Excel 输入工作簿导入（selfeval import）"


def _validated(reader: Reader, data: dict[str, Any], near: Path | None) -> tuple[ProjectYear, Path]:
    """Pydantic, then the rule set, then the cross checks; InputError with every cell at fault."""
    if reader.structural:
        raise InputError(reader.problems)
    own = {p.field for p in reader.problems}  # a cell already reported is not reported again
    try:
        py = ProjectYear.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(reader.file, reader.ref(tuple(e["loc"])), pydantic_message(e)) for e in exc.errors()]
        raise InputError(reader.problems + [p for p in problems if p.field not in own]) from None
    rule_ref = reader.refs.get(("project", "rule_set"), "项目信息")
    try:
        rules_path = find_rule_set(py.project.rule_set, near or reader.path)
    except InputError as exc:
        raise InputError(reader.problems + [Problem(reader.file, rule_ref, p.message) for p in exc.problems]) from None
    rules = load_rule_set(rules_path)
    problems = [Problem(reader.file, reader.ref(p.loc), _in_workbook_terms(p.message))
                for p in check_project_year(py, rules)]
    problems = [p for p in problems if p.field not in own]
    if reader.problems or problems:
        raise InputError(reader.problems + problems)
    return py, rules_path


def _in_workbook_terms(message: str) -> str:
    """Cross-check messages name schema paths; in a workbook the sheet is the name."""
    return message.replace("不在 project.items 中", "不在“支出内容”工作表中")


def _params_data(py: ProjectYear) -> dict[str, Any]:
    """The validated project-year as params data: schema order, defaults left out, except
    ``project.rule_set`` which is always written."""
    data = py.model_dump(mode="python", exclude_defaults=True)
    data["project"]["rule_set"] = py.project.rule_set
    return data


def project_from_workbook(path: Path | str, rules_near: Path | str | None = None) -> dict[str, Any]:
    """Read and validate a filled input workbook; the params data (as in a YAML file).

    Raises :class:`InputError` with one :class:`Problem` per fault, ``field`` naming the cell
    (``支付明细!C7``) or, for a missing header, the row (``支付明细!1:1``). The rule set is
    looked up as for a params file at ``rules_near`` (default: beside the workbook).
    """
    py, _ = _read_workbook(Path(path), Path(rules_near) if rules_near else None)
    return _params_data(py)


def _read_workbook(path: Path, near: Path | None) -> tuple[ProjectYear, Path]:
    reader = Reader(path)
    data = reader.read()
    return _validated(reader, data, near)


class _Dumper(yaml.SafeDumper):
    """Safe dumper: Decimal amounts as plain numbers, integral floats (weights) as integers."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return yaml.SafeDumper.represent_float(dumper, value)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(float, _represent_float)


def params_yaml(data: dict[str, Any], source: str = "", digest: str = "") -> str:
    """Params data as YAML text (safe, Unicode, schema order) with the import header comment."""
    header = IMPORT_MARK + (f"：{source}" if source else "") + "\n"
    if digest:
        header += f"# 工作簿 SHA-256：{digest}\n"
    header += "# 修改请在工作簿中进行后重新导入（重新导入会覆盖本文件）。\n"
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return header + body


def import_workbook(path: Path | str, out_dir: Path | str, overwrite: bool = False) -> Path:
    """Import a filled workbook into ``out_dir/<year>/<project-id>.yaml`` and return that path.

    Nothing is written when there is any problem (:class:`InputError`, one Problem per cell).
    The file is written atomically (temp file, then ``os.replace``) and read back with
    :func:`load_project` before it replaces anything. An existing file is replaced when it
    was itself imported (its first line is :data:`IMPORT_MARK`) or when ``overwrite``.
    """
    path, out_dir = Path(path), Path(out_dir)
    reader = Reader(path)
    data = reader.read()
    if not reader.structural:
        project = data.get("project", {})
        year, ident = project.get("year"), project.get("id")
        near = out_dir / str(year) / f"{ident}.yaml" if isinstance(year, int) and isinstance(ident, str) else None
    else:
        near = None
    py, _ = _validated(reader, data, near)
    target = out_dir / str(py.project.year) / f"{py.project.id}.yaml"
    if target.exists() and not overwrite and not _was_imported(target):
        raise InputError([Problem(shown(target), "", "文件已存在且不是由工作簿导入生成的；确认覆盖请加 --force")])
    text = params_yaml(_params_data(py), path.name, hashlib.sha256(reader.raw).hexdigest())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{py.project.id}.", suffix=".yaml.tmp", dir=target.parent)
    except OSError as exc:
        raise InputError([Problem(shown(target), "", f"无法写入：{exc.strerror or exc}")]) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if load_project(tmp).project_year != py:  # the YAML must say exactly what the workbook says
            raise RuntimeError(f"导入结果与工作簿不一致：{target}")
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError([Problem(shown(target), "", f"无法写入：{exc.strerror or exc}")]) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _was_imported(target: Path) -> bool:
    try:
        return read_input(target, MAX_FILE_BYTES).startswith(IMPORT_MARK.encode("utf-8"))
    except InputError:  # not a regular file, unreadable, too large: not ours to replace
        return False
