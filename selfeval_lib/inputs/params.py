"""Load and validate parameter files and rule sets: the one place where input is checked.

Parameter files are data, never code: they are read with PyYAML's safe loader, with aliases,
duplicate keys and non-mapping documents refused. Every problem becomes one :class:`Problem`
naming the file, the line where known, the field path and what is wrong, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from selfeval_lib.resources import rules_dir
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.inputs.validation import FieldProblem, Loc, check_project_year

MAX_FILE_BYTES = 5 * 1024 * 1024
RULES_ENV = "SELFEVAL_RULES_DIR"
#: The repository's rule sets (params/rules), used when no closer ``rules/`` folder has the set.
DEFAULT_RULES_DIR = rules_dir()


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InputError(Exception):
    """Input that cannot be used; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class LoadedProject:
    """A validated project-year with its rule set and the hashes that identify both."""

    path: Path
    project_year: ProjectYear
    rules: RuleSet
    params_sha256: str
    rules_sha256: str
    rules_path: Path


# --- YAML ------------------------------------------------------------------------------------

class _SafeLoader(yaml.SafeLoader):
    """Safe loader that refuses aliases (no 'billion laughs') and explicit tags (``!!set`` would
    give an order that varies between runs), and leaves dates as text so that the schema reads
    them (an impossible date is then a field error, not a crash)."""

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "不支持 YAML 锚点/别名（*alias），请直接写出数据", event.start_mark)
        if getattr(event, "tag", None) is not None:  # !!set, !!binary, !!python/…: data only
            raise yaml.composer.ComposerError(
                None, None, f"不支持 YAML 标签（{event.tag}），参数文件只能写纯数据", event.start_mark)
        return super().compose_node(parent, index)


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_index(node: yaml.Node, loc: Loc, out: dict[Loc, int], problems: list[tuple[Loc, int, str]]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:str"):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "…"
                problems.append((loc, key_node.start_mark.line + 1, f"字段名“{shown}”应为文字（英文字段名，见示例文件）"))
                continue
            key = key_node.value
            if key in seen:
                problems.append((loc + (key,), key_node.start_mark.line + 1, "字段重复出现"))
            seen.add(key)
            _line_index(value_node, loc + (key,), out, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _line_index(child, loc + (i,), out, problems)


def read_bytes(path: Path) -> bytes:
    """A file's bytes; :class:`InputError` when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"无法读取文件：{exc.strerror or exc}")]) from None


def read_yaml(path: Path, raw: bytes | None = None) -> tuple[Any, dict[Loc, int]]:
    """Parse a YAML file (or its already read ``raw`` bytes) safely; returns the data and a map
    from field path to line number.

    Raises :class:`InputError` for an unreadable, oversized, non-UTF-8 or malformed file.
    """
    name = str(path)
    if raw is None:
        raw = read_bytes(path)
    if len(raw) > MAX_FILE_BYTES:
        raise InputError([Problem(name, "", f"文件过大（{len(raw)} 字节，上限 {MAX_FILE_BYTES} 字节）")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(name, "", f"文件不是 UTF-8 编码（第 {exc.start} 字节无法解码），请另存为 UTF-8", line)]) from None
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(name, "", "文件为空")])
        lines: dict[Loc, int] = {}
        dupes: list[tuple[Loc, int, str]] = []
        _line_index(node, (), lines, dupes)
        if dupes:
            raise InputError([Problem(name, _format_loc(loc), msg, line) for loc, line, msg in dupes])
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        raise InputError([Problem(name, "", f"YAML 格式错误：{detail}", mark.line + 1 if mark else None)]) from None
    except RecursionError:
        raise InputError([Problem(name, "", "YAML 格式错误：嵌套层级过深")]) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a 5,000-digit number
        raise InputError([Problem(name, "", f"YAML 格式错误：无法读取的值（{str(exc)[:80]}）")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError([Problem(name, "", f"文件内容应为映射（键: 值），实际为{_type_name(data)}")])
    return data, lines


def _type_name(value: Any) -> str:
    return {list: "列表", str: "文字", int: "整数", float: "数字", bool: "布尔值"}.get(type(value), type(value).__name__)


# --- messages --------------------------------------------------------------------------------

def _format_loc(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误，或不属于此处）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为金额数字（单位：元）",
    "decimal_type": "应为金额数字（单位：元）",
    "decimal_max_places": "金额最多两位小数（单位：元）",
    "decimal_max_digits": "数值过大",
    "decimal_whole_digits": "数值过大",
    "finite_number": "应为有限数字",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期（不含时间），格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "list_type": "应为列表",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "dict_type": "应为映射（键: 值）",
    "bool_type": "应为是/否（true/false）",
}


def _pydantic_message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _MESSAGES:
        message = _MESSAGES[kind]
    elif kind == "greater_than_equal":
        message = "不能为负数" if str(ctx.get("ge")) == "0" else f"不能小于 {ctx.get('ge')}"
    elif kind == "greater_than":
        message = f"必须大于 {ctx.get('gt')}"
    elif kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        message = f"不能大于 {bound}（数值过大或单位有误）"
    elif kind == "string_too_long":
        message = f"过长（最多 {ctx.get('max_length')} 字）"
    elif kind == "string_pattern_mismatch":
        message = "格式不符：只能用英文字母、数字、“-”“_”“.”，并以字母或数字开头（最长 80 个字符）"
    elif kind == "too_short":
        message = f"至少需要 {ctx.get('min_length')} 项"
    elif kind == "literal_error":
        message = f"应为以下之一：{ctx.get('expected')}"
    elif kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
    else:
        message = err["msg"]
    if kind not in ("missing", "extra_forbidden") and "input" in err and not isinstance(err["input"], (dict, list)):
        value = err["input"]
        shown = str(value) if isinstance(value, (dt.date, Decimal)) else repr(value)
        if kind == "value_error" and str(value) in message:  # our own message quotes it already
            return message
        message += f"（当前值：{shown[:60] + '…' if len(shown) > 60 else shown}）"
    return message


def _problem_at(file: str, loc: Loc, message: str, lines: dict[Loc, int]) -> Problem:
    line = None
    for cut in range(len(loc), -1, -1):  # the nearest line known: the field, else its parent
        line = lines.get(loc[:cut])
        if line:
            break
    return Problem(file, _format_loc(loc), message, line)


# --- rule sets -------------------------------------------------------------------------------

def rules_search_path(params_path: Path | None) -> list[Path]:
    """Where a rule set is looked for: $SELFEVAL_RULES_DIR, a ``rules/`` folder beside the
    params file or any folder above it, then the repository's ``params/rules``."""
    dirs: list[Path] = []
    if os.environ.get(RULES_ENV):
        dirs.append(Path(os.environ[RULES_ENV]))
    if params_path is not None:
        for parent in params_path.resolve().parents:
            dirs.append(parent / "rules")
    dirs.append(DEFAULT_RULES_DIR)
    return dirs


def find_rule_set(name: str, params_path: Path | None = None) -> Path:
    """The file of rule set ``name``; :class:`InputError` when none is found."""
    for folder in rules_search_path(params_path):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    where = "、".join(str(d) for d in dict.fromkeys(rules_search_path(params_path)) if d.is_dir())
    raise InputError([Problem(str(params_path or name), "project.rule_set", f"找不到规则集“{name}”（查找位置：{where or '无'}）")])


def load_rule_set(path: Path) -> RuleSet:
    """Read and validate a rule set file."""
    return _cached_rule_set(path, read_bytes(path))


# --- project-years ---------------------------------------------------------------------------

def load_project(path: Path | str, rule_set: str | None = None) -> LoadedProject:
    """Read, type-check and cross-check one params file; :class:`InputError` lists every problem.

    ``rule_set`` names a rule set to use instead of the one the file names (``project.rule_set``);
    either is looked for beside the file first (:func:`find_rule_set`). The returned path and hash
    are those of the rule set actually used. Rule sets read here are cached by path and content.
    """
    path = Path(path)
    name = str(path)
    raw = read_bytes(path)
    data, lines = read_yaml(path, raw)
    try:
        project_year = ProjectYear.model_validate(data)
    except ValidationError as exc:
        raise InputError([_problem_at(name, tuple(e["loc"]), _pydantic_message(e), lines)
                          for e in exc.errors()]) from None
    try:
        rules_path = find_rule_set(rule_set or project_year.project.rule_set, path)
    except InputError as exc:
        loc = () if rule_set else ("project", "rule_set")
        raise InputError([_problem_at(name, loc, p.message, lines) for p in exc.problems]) from None
    rules_raw = read_bytes(rules_path)
    rules = _cached_rule_set(rules_path, rules_raw)
    problems = check_project_year(project_year, rules)
    if problems:
        raise InputError([_problem_at(name, p.loc, p.message, lines) for p in problems])
    return LoadedProject(
        path=path,
        project_year=project_year,
        rules=rules,
        params_sha256=hashlib.sha256(raw).hexdigest(),
        rules_sha256=hashlib.sha256(rules_raw).hexdigest(),
        rules_path=rules_path,
    )


@lru_cache(maxsize=32)
def _cached_rule_set(path: Path, raw: bytes) -> RuleSet:
    """A rule set file parsed once per content (a batch validates hundreds of projects)."""
    data, lines = read_yaml(path, raw)
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise InputError([_problem_at(str(path), tuple(e["loc"]), _pydantic_message(e), lines)
                          for e in exc.errors()]) from None


def discover(paths: list[str | Path]) -> list[Path]:
    """Params files named by ``paths``: files as given, folders searched for ``*.yaml``/``*.yml``
    (a ``rules`` folder is skipped), sorted and without repeats."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(
                f for f in sorted(p.rglob("*.y*ml"))
                if f.suffix in (".yaml", ".yml") and "rules" not in f.relative_to(p).parts[:-1]
            )
        else:
            found.append(p)
    return list(dict.fromkeys(found))
