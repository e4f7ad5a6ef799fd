"""One cell of the input workbook converted as the schema expects: amounts to Decimal, numbers
and rates (“95%”) to float, dates (typed, as text or as a serial number) to dates, text as shown.

A value that cannot be converted is passed on unchanged, so that pydantic reports it with the
same message as in a YAML file; a problem of the cell itself (an error value, a formula without
a cached result, a forbidden character, an unknown operator) is returned beside it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from selfeval_lib.core.quantity import OPERATORS
from selfeval_lib.inputs.files import char_label, forbidden_char
from selfeval_lib.inputs.workbook.spec import ILLUSTRATIVE_LABELS, LIKELIHOODS, NO, YES, Column

_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DATE_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$")
_ROLE_SPLIT = re.compile(r"[、,，;；/\n]+")
_LIST_SPLIT = re.compile(r"[;；\n]+")
_PROGRESS = re.compile(r"^(\d{1,2})\s*月\s*[:：]\s*(.*)$", re.S)
_EVIDENCE = re.compile(r"^(?P<file>.*?)(?:\s*[:：]\s*(?P<desc>.*?))?\s*(?:[（(]\s*sha256\s*[:：]\s*(?P<sha>[0-9a-fA-F]{64})\s*[)）])?$", re.S)
_OPERATOR_GLYPHS = tuple(sorted(OPERATORS, key=len, reverse=True))
#: A part declared 示例数据, by its label or its schema path → the schema path.
_ILLUSTRATIVE = {**{path: path for path in ILLUSTRATIVE_LABELS}, **{v: k for k, v in ILLUSTRATIVE_LABELS.items()}}


def _num_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    d = Decimal(repr(round(value, 10))).normalize()
    return format(d, "f")


def _plain_number(text: str) -> str | None:
    """"86,200" / "86200元" / "８６２００" → "86200"; None when it is not a plain number."""
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if s.endswith("元"):
        s = s[:-1]
    return s.replace(",", "") if _NUMBER_TEXT.match(s) else None


def read_value(grid: Any, row: int, col: int, column: Column) -> tuple[Any, str | None]:
    """(value for the schema, or None when empty; a problem of the cell itself, or None).

    Values that cannot be converted are passed on unchanged so that pydantic reports them
    with the same messages as in YAML files."""
    cell = grid.cell(row, col)
    raw = None if cell is None else cell.value
    if cell is not None and cell.data_type == "e":
        return None, (f"单元格是错误值 {raw}（以“=”开头的内容会被当作公式：要写“=5项”，请设为文本格式或在前面加英文单引号）")
    if raw is None:
        formula = grid.formula(row, col)
        if formula:
            return None, f"公式 {str(formula)[:40]} 没有计算结果：请在 Excel/WPS/LibreOffice 中打开并保存后再导入"
        return None, None
    if isinstance(raw, str):
        raw = raw.replace("\r\n", "\n").strip()
        if not raw:
            return None, None
        found = forbidden_char(raw)
        if found:
            return None, f"第 {found[0] + 1} 个字符是不允许的字符 {char_label(found[1])}：请删除该字符（常见于从其他系统复制的文字）"
    fmt = cell.number_format or "General"
    kind = column.kind
    if kind == "amount":
        if isinstance(raw, float) and abs(raw * 100 - round(raw * 100)) < 1e-6:
            return Decimal(repr(round(raw, 2))), None  # binary noise of a formula (0.1+0.2)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw), None
        if isinstance(raw, str):
            plain = _plain_number(raw)
            return (Decimal(plain) if plain is not None else raw), None
        return raw, None
    if kind in ("number", "rate"):
        value: Any = raw
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            value = float(raw)
        elif isinstance(raw, str):
            s = unicodedata.normalize("NFKC", raw).strip()
            percent = kind == "rate" and s.endswith("%")
            plain = _plain_number(s[:-1] if percent else s)
            if plain is not None:
                value = float(Decimal(plain) / 100) if percent else float(plain)
        if column.check == "rate" and isinstance(value, float) and 1 < value <= 100:
            return value, f"应为百分比（如 {_num_text(value)}%）或 0–1 之间的小数（当前值：{_num_text(value)}）"
        return value, None
    if kind == "int":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw), None
        if isinstance(raw, str):
            plain = _plain_number(raw)
            if plain is not None and re.fullmatch(r"[+-]?\d+", plain):
                return int(plain), None
        return raw, None
    if kind == "date":
        return _read_date(raw, grid.epoch), None
    if kind == "roles":
        text = _cell_text(raw, fmt)
        return [part.strip() for part in _ROLE_SPLIT.split(text) if part.strip()], None
    if kind == "paths":
        return _read_paths(_cell_text(raw, fmt))
    if kind == "yesno":
        text = _cell_text(raw, fmt)
        if isinstance(text, bool):
            return text, None
        word = unicodedata.normalize("NFKC", str(text)).strip()
        if word in (YES, NO):
            return word == YES, None
        return text, f"应填“{YES}”或“{NO}”（当前值：{word}）"
    if kind == "likelihood":  # 确定能/有可能/完全不可能, or 是/否 of an older workbook
        text = _cell_text(raw, fmt)
        if isinstance(text, bool):
            return text, None
        word = unicodedata.normalize("NFKC", str(text)).strip()
        if word in LIKELIHOODS:
            return word, None
        if word in (YES, NO):
            return word == YES, None
        return text, f"应填“{'”“'.join(LIKELIHOODS)}”之一（当前值：{word}）"
    if kind == "progress":
        return _read_progress(_cell_text(raw, fmt))
    if kind == "evidence":
        return _read_evidence(_cell_text(raw, fmt))
    text = _cell_text(raw, fmt)
    if kind == "cell":
        return text, _unknown_operator(text)
    return text, None


def _read_paths(text: Any) -> tuple[Any, str | None]:
    """示例数据: labels (支付明细) or schema paths (funds.payments), separated by 、 or lines."""
    if not isinstance(text, str):
        return text, None
    parts = [unicodedata.normalize("NFKC", p).strip() for p in _ROLE_SPLIT.split(text)]
    parts = [p for p in parts if p]
    unknown = [p for p in parts if p not in _ILLUSTRATIVE]
    if unknown:
        return parts, (f"“{'、'.join(unknown)}”不是可标注为示例数据的部分：应从 "
                       f"{'、'.join(ILLUSTRATIVE_LABELS.values())} 中选填，用顿号“、”分隔")
    return [_ILLUSTRATIVE[p] for p in parts], None


def _read_progress(text: Any) -> tuple[Any, str | None]:
    """监控进度: "6月：2部；9月：4部" → [{"month": 6, "value": "2部"}, …]."""
    if not isinstance(text, str):
        return text, None
    entries: list[dict[str, Any]] = []
    for part in (p.strip() for p in _LIST_SPLIT.split(unicodedata.normalize("NFKC", text))):
        if not part:
            continue
        m = _PROGRESS.match(part)
        if m is None:
            return None, f"“{part}”应写作“月份：完成值”，如“6月：2部”，多个用分号“；”分隔"
        entries.append({"month": int(m[1]), "value": m[2].strip()})
    return entries, None


def _read_evidence(text: Any) -> tuple[Any, str | None]:
    """佐证材料: "验收报告.pdf：验收报告；支付凭证.pdf" → [{"file": …, "description": …}, …]."""
    if not isinstance(text, str):
        return text, None
    found: list[dict[str, Any]] = []
    for part in (p.strip() for p in _LIST_SPLIT.split(text)):
        m = _EVIDENCE.match(part) if part else None
        if m is None or not m["file"].strip():
            continue
        item: dict[str, Any] = {"file": m["file"].strip()}
        if m["desc"]:
            item["description"] = m["desc"].strip()
        if m["sha"]:
            item["sha256"] = m["sha"].lower()
        found.append(item)
    return found, None


def written_text(kind: str, value: Any) -> Any:
    """The cell text of a list-valued field as the reader reads it back (evidence, progress, yesno)."""
    if kind == "yesno" or (kind == "likelihood" and isinstance(value, bool)):
        return None if value is None else (YES if value else NO)
    if kind == "likelihood":
        return value
    if kind == "progress":
        return "；".join(f"{p.month}月：{p.value}" for p in value if p.value) or None
    if kind == "evidence":
        parts = []
        for e in value:
            text = e.file + (f"：{e.description}" if e.description else "")
            parts.append(text + (f"（sha256:{e.sha256}）" if e.sha256 else ""))
        return "；".join(parts) or None
    return value


def _cell_text(raw: Any, fmt: str) -> Any:
    """A cell as text: numbers as written (a percentage cell 0.95 → "95%"), dates as ISO."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        return f"{_num_text(raw * 100)}%" if "%" in fmt else _num_text(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    return raw


def _read_date(raw: Any, epoch) -> Any:
    from openpyxl.utils.datetime import from_excel

    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 36_000 <= raw <= 75_000:
        value = from_excel(raw, epoch)  # a date cell that lost its date format
        return value.date() if isinstance(value, dt.datetime) else raw
    if isinstance(raw, str):
        m = _DATE_TEXT.match(unicodedata.normalize("NFKC", raw))
        if m:
            return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"  # the schema checks that it exists
    return raw


def _unknown_operator(text: str) -> str | None:
    """A target/actual starting with a symbol that is no operator ("≈95%", "~3部", "±5%"):
    :func:`parse_value` would read it as qualitative text, silently."""
    s = text.strip()
    if not s or s.startswith(_OPERATOR_GLYPHS):
        return None
    first = s[0]
    if first in "+-." or unicodedata.category(first) not in ("Sm", "Sc"):
        return None
    return (f"“{s}”以无法识别的符号“{first}”开头：运算符只能用 ≥、≤、>、<、="
            "（或“不低于”“不超过”等文字），如“≥95%”")
