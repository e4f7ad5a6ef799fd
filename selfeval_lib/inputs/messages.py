"""Located error messages in Chinese: :class:`Problem` (file, line, field, message), the field
path as the author reads it, and pydantic's errors translated.

Pure: no I/O. :class:`~selfeval_lib.errors.InputError` carries a list of these.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

#: A field path such as ``("funds", "payments", 3, "amount")``.
Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input file; ``line`` and ``column`` are 1-based, ``None`` when
    unknown. Printed as ``file:line:column: field: message``."""

    file: str
    field: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def format_loc(loc: Loc) -> str:
    """A field path as written in the file: ``funds.payments[3].amount``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problem_at(file: str, loc: Loc, message: str, lines: dict[Loc, int]) -> Problem:
    """A :class:`Problem` at field ``loc``, on the line of the field or, if unknown, of the
    nearest parent whose line ``lines`` knows."""
    line = None
    for cut in range(len(loc), -1, -1):
        line = lines.get(loc[:cut])
        if line:
            break
    return Problem(file, format_loc(loc), message, line)


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误，或不属于此处）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为金额数字（单位：元；也可写作“3,208,000元”“320.8万元”）",
    "decimal_type": "应为金额数字（单位：元；也可写作“3,208,000元”“320.8万元”）",
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


def pydantic_message(err: dict[str, Any], model: type | None = None) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a Chinese message, with
    the offending value quoted (at most 60 characters) when it is a scalar. A value outside a
    fixed list, and with ``model`` (the validated pydantic model) an unknown key, get the closest
    accepted one (:func:`did_you_mean`)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden" and model is not None and err.get("loc"):
        loc = tuple(err["loc"])
        message = _MESSAGES[kind]
        hint = did_you_mean(str(loc[-1]), fields_at(model, loc[:-1]))
        if hint:
            message = f"未知字段，{hint}"
    elif kind in _MESSAGES:
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
        hint = did_you_mean(str(err.get("input", "")), re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        message += f"，{hint}" if hint else ""
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


#: The tags pydantic adds to the location of a member of a union of types (a published table's
#: cell: number or text), which a problem names once, at the field.
_UNION_TAGS = {"str", "float", "int", "none", "list[str]"}
#: What a field that takes a number or text (a cell as printed) should hold.
NUMBER_OR_TEXT = "应为数字或文字（如 20、“20%”）"


def model_problems(errors: list[dict[str, Any]], model: type, file: str, lines: dict[Loc, int]) -> list[Problem]:
    """The problems of ``errors`` (``ValidationError.errors()`` of ``model``), located in ``file``
    by ``lines`` (field path → line): one per field and message, a union's members as one."""
    problems: dict[tuple[Loc, str], Problem] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if len(loc) > 1 and loc[-1] in _UNION_TAGS:
            loc, message = loc[:-1], NUMBER_OR_TEXT
        else:
            message = pydantic_message(err, model)
        problems.setdefault((loc, message), problem_at(file, loc, message, lines))
    return list(problems.values())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``是否想写“national”？`` for the choice closest to ``word`` (difflib's ratio ≥ 0.6, the
    choices compared case-blind), or ``""`` when none is close: the hint a misspelt rule set, 口径,
    field, option or command gets."""
    by_key = {str(choice).casefold(): str(choice) for choice in choices}
    close = difflib.get_close_matches(str(word).casefold(), list(by_key), n=1, cutoff=0.6)
    return f"是否想写“{by_key[close[0]]}”？" if close else ""


def fields_at(model: type, loc: Loc) -> tuple[str, ...]:
    """The field names a pydantic ``model`` accepts in the mapping at ``loc`` (list indexes
    stepped through), ``()`` when ``loc`` leads to no model: the choices of a misspelt key."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):  # an item of a list (or tuple) of models
            current = next((_model_in(a) or a for a in _inner(_model_in(current) or current)), None)
            while typing.get_origin(current) in (list, tuple):
                current = next(iter(_inner(current)), None)
            continue
        current = _model_in(current)
        if current is None or part not in current.model_fields:
            return ()
        current = current.model_fields[part].annotation
    current = _model_in(current)
    return tuple(current.model_fields) if current is not None else ()


def _inner(annotation: Any) -> tuple[Any, ...]:
    return tuple(a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis)


def _model_in(annotation: Any) -> Any:
    """The pydantic model an annotation names (through ``X | None``); lists are left to the caller."""
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        for arg in _inner(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    return None
