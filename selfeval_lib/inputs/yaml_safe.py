"""Parameter and rule-set files are data, never code: YAML read with PyYAML's safe loader, with
aliases, explicit tags, duplicate or non-text keys and non-mapping documents refused.

The file is opened by :func:`~selfeval_lib.inputs.files.read_input` (regular files only, size
checked before reading) and decoded by :func:`~selfeval_lib.inputs.files.decode_text` (UTF-8;
control characters and U+FFFE/U+FFFF refused with line and column, before YAML sees them).
:func:`read_yaml` returns the data and, for every field path, the line it is on, so that later
problems can name their line. Every failure is an :class:`~selfeval_lib.errors.InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import decode_text, read_input, shown
from selfeval_lib.inputs.messages import Loc, Problem, format_loc, model_problems

M = TypeVar("M", bound=BaseModel)

#: Largest input file read, in bytes.
MAX_FILE_BYTES = 5 * 1024 * 1024


class _DataOnly:
    """The composer of a safe loader that refuses aliases (no 'billion laughs') and explicit tags
    (``!!set`` would give an order that varies between runs)."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "不支持 YAML 锚点/别名（*alias），请直接写出数据", event.start_mark)
        if getattr(event, "tag", None) is not None:  # !!set, !!binary, !!python/…: data only
            raise yaml.composer.ComposerError(
                None, None, f"不支持 YAML 标签（{event.tag}），参数文件只能写纯数据", event.start_mark)
        return yaml.composer.Composer.compose_node(self, parent, index)  # type: ignore[arg-type]


class _SafeLoader(_DataOnly, yaml.SafeLoader):
    """PyYAML's safe loader (pure Python) with :class:`_DataOnly`'s refusals; dates are left as
    text so that the schema reads them (an impossible date is then a field error, not a crash)."""


_NO_TIMESTAMPS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS
_Loader: type = _SafeLoader

if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _FastLoader(_DataOnly, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """The same loader with libyaml's scanner and parser (C): the events, and so the nodes, the
        marks and the refusals, are those of :class:`_SafeLoader`, ten times faster — a subsidy
        ledger of 10,000 payments is read in a second or two, not half a minute."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            yaml.composer.Composer.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS
    _Loader = _FastLoader


def _line_index(node: yaml.Node, loc: Loc, out: dict[Loc, int], problems: list[tuple[Loc, int, str]]) -> None:
    """Record in ``out`` the 1-based line of ``node`` and of everything under it; a key that is
    not text or is repeated goes to ``problems``."""
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
    """A params or rule-set file's bytes (:func:`read_input` with :data:`MAX_FILE_BYTES`)."""
    return read_input(path, MAX_FILE_BYTES)


def read_yaml(path: Path, raw: bytes | None = None) -> tuple[Any, dict[Loc, int]]:
    """Parse a YAML file (or its already read ``raw`` bytes) safely; returns the data and a map
    from field path to line number.

    Raises :class:`InputError` for an unreadable, oversized, non-UTF-8 or malformed file, or one
    holding a forbidden character (:data:`~selfeval_lib.inputs.files.FORBIDDEN`).
    """
    name = shown(path)
    if raw is None:
        raw = read_bytes(path)
    if len(raw) > MAX_FILE_BYTES:
        raise InputError([Problem(name, "", f"文件过大（{len(raw)} 字节，上限 {MAX_FILE_BYTES} 字节）")])
    text = decode_text(raw, name)
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # the reader's own character check; decode_text runs first
        raise InputError([Problem(name, "", f"YAML 格式错误：{exc}")]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(name, "", "文件为空")])
        lines: dict[Loc, int] = {}
        dupes: list[tuple[Loc, int, str]] = []
        _line_index(node, (), lines, dupes)
        if dupes:
            raise InputError([Problem(name, format_loc(loc), msg, line) for loc, line, msg in dupes])
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError([Problem(name, "", f"YAML 格式错误：{detail}", line, column)]) from None
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


def validate_model(data: Any, model: type[M], file: str, lines: dict[Loc, int] | None = None) -> M:
    """``data`` (read from ``file``) as ``model``; :class:`InputError` with every problem, each on
    its line when ``lines`` (field path → line, from :func:`read_yaml`) knows it."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(model_problems(exc.errors(), model, file, lines or {})) from None


def load_model(path: Path, model: type[M], raw: bytes | None = None) -> M:
    """The YAML file ``path`` (or its already read ``raw`` bytes) as ``model``: read safely
    (:func:`read_yaml`) and validated; :class:`InputError` lists every problem with file, line and field."""
    data, lines = read_yaml(path, raw)
    return validate_model(data, model, shown(path), lines)
