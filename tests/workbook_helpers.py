"""Shared by the tests of :mod:`selfeval_lib.inputs.workbook`: reading and editing workbooks by
header text, the problems of an import, the seed project and its workbook, and ways to spoil a
good workbook (:func:`spoil`)."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.inputs.params import InputError, load_project
from selfeval_lib.inputs.workbook import import_workbook, project_from_workbook, workbook_from_project

from conftest import SEED_SAMPLE


def save(tmp_path: Path, data: bytes, name: str = "input.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def col(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def kv(ws, label: str):
    """The 填写内容 cell of a key/value sheet row."""
    row = next(c.row for c in ws["A"] if c.value == label)
    return ws.cell(row=row, column=2)


def append(ws, values: dict[str, object]) -> int:
    """Write a row below the last used row, by header text; returns the row number."""
    row = ws.max_row + 1
    for header, value in values.items():
        cell = ws.cell(row=row, column=col(ws, header))
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    return row


def by_header(ws) -> dict[str, object]:
    """Data validations of a table sheet by the header of the column they cover."""
    return {ws.cell(row=1, column=min(r.min_col for r in dv.sqref.ranges)).value: dv
            for dv in ws.data_validations.dataValidation}


def problems_of(path: Path, out: Path | None = None) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        if out is None:
            project_from_workbook(path)
        else:
            import_workbook(path, out)
    return [(p.field, p.message) for p in info.value.problems]


@cache
def seed_project() -> ProjectYear:
    """The seed sample's project-year (read once)."""
    return load_project(SEED_SAMPLE).project_year


@cache
def seed_workbook() -> bytes:
    """The input workbook filled with :func:`seed_project` (written once)."""
    return workbook_from_project(seed_project())


def spoil(wb, how: str) -> tuple[str, str]:
    """Spoil a good workbook; returns the expected (field, message fragment)."""
    if how == "missing sheet":
        del wb["支付明细"]
        return "支付明细!A1", "缺少工作表“支付明细”"
    if how == "renamed header":
        ws = wb["支付明细"]
        ws.cell(row=1, column=col(ws, "金额（元）")).value = "付款额"
        return "支付明细!1:1", "找不到表头“金额（元）”"
    if how == "missing label":
        ws = wb["资金"]
        ws.delete_rows(kv(ws, "批复数（元）").row)
        return "资金!A:A", "找不到栏目“批复数（元）”"
    if how == "text in amount":
        ws = wb["支付明细"]
        ws.cell(row=7, column=col(ws, "金额（元）")).value = "见合同"
        return "支付明细!C7", "应为金额数字（单位：元；也可写作“3,208,000元”“320.8万元”）（当前值：'见合同'）"
    if how == "negative amount":
        ws = wb["支付明细"]
        ws.cell(row=3, column=col(ws, "金额（元）")).value = -9600
        return "支付明细!C3", "不能为负数"
    if how == "date in the wrong year":
        ws = wb["支付明细"]
        ws.cell(row=7, column=col(ws, "支付日期")).value = dt.date(2024, 1, 5)
        return "支付明细!B7", "支付日期 2024-01-05 不在项目年度 2023 年内"
    if how == "impossible date":
        ws = wb["资金到位"]
        ws.cell(row=2, column=col(ws, "到位日期")).value = "2023-02-30"
        return "资金到位!B2", "不是有效日期"
    if how == "unknown operator":
        ws = wb["绩效指标"]
        ws.cell(row=4, column=col(ws, "年度指标值")).value = "≈95%"
        return "绩效指标!F4", "无法识别的符号“≈”"
    if how == "unreadable target":
        ws = wb["绩效指标"]
        ws.cell(row=4, column=col(ws, "年度指标值")).value = "≥95公斤%"
        return "绩效指标!F4", "≥95公斤%"
    if how == "unknown level1":
        ws = wb["绩效指标"]
        ws.cell(row=2, column=col(ws, "一级指标")).value = "产出"
        return "绩效指标!B2", "应为以下之一"
    if how == "unknown item":
        ws = wb["支付明细"]
        ws.cell(row=2, column=col(ws, "支出内容")).value = "不存在的内容"
        return "支付明细!E2", "不在“支出内容”工作表中"
    if how == "weights do not add up":
        ws = wb["绩效指标"]
        ws.cell(row=2, column=col(ws, "分值")).value = 14
        return "绩效指标!E:E", "指标分值合计 89"
    if how == "missing required cell":
        ws = wb["支付明细"]
        ws.cell(row=5, column=col(ws, "凭证号")).value = None
        return "支付明细!F5", "缺少必填字段"
    if how == "excel error value":
        ws = wb["绩效指标"]
        cell = ws.cell(row=2, column=col(ws, "年度指标值"))
        cell.value, cell.data_type = "#NAME?", "e"
        return "绩效指标!F2", "错误值 #NAME?"
    if how == "unknown rule set":
        kv(wb["项目信息"], "规则集").value = "hainan"
        return "项目信息!B9", "找不到规则集“hainan”"
    if how == "rate as a whole number":
        kv(wb["满意度调查"], "满意度").value = 95
        return "满意度调查!B2", "应为百分比（如 95%）或 0–1 之间的小数"
    raise AssertionError(how)

