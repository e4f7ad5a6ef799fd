"""The 通报 draft: the notice a finance bureau circulates after a 自评质量复核 (Word, GB/T 9704 form).

:func:`bulletin_paragraphs` writes the text from the summary's figures (pure): the title, the
主送, 一、基本情况 (units, projects, amounts, scores, the sample), 二、发现的主要问题 (each with
its count and the units named), 三、下一步要求, and the 落款 left blank for the bureau (its name
and the date are filled in by hand). :func:`bulletin_document` sets it in the official-document
form: A4 and margins of GB/T 9704 (:mod:`selfeval_lib.render.docx_styles`), title 2号 方正小标宋,
body 3号 仿宋_GB2312 at a fixed 30 pt line spacing (requality.md, rule 13), headings 黑体 and
楷体, digits in Times New Roman.
"""

from __future__ import annotations

from typing import Literal

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt

from selfeval_lib.files.xmltext import xml_text
from selfeval_lib.render.docx_styles import BODY_STYLE, document_bytes, new_document
from selfeval_lib.requality.summary_data import Summary
from selfeval_lib.requality.summary_view import WARNING_ZH, wan, warning_label

Kind = Literal["title", "addressee", "h1", "h2", "body", "signature"]
#: Units named in one sentence at most ("…等 N 个单位").
NAMED = 5
#: The bureau's name and the date, left for the bureau to fill in.
SIGNATURE = ("（财政局落款）", "　　年　　月　　日")


def _names(units: list[str], limit: int = NAMED) -> str:
    shown = "、".join(units[:limit])
    return f"{shown}等 {len(units)} 个单位" if len(units) > limit else shown


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _problems(s: Summary) -> list[tuple[Kind, str]]:
    out: list[tuple[Kind, str]] = []
    n = 0
    numerals = "一二三四五六七八九十"

    def heading(text: str) -> None:
        nonlocal n
        out.append(("h2", f"（{numerals[n]}）{text}"))
        n += 1

    if s.over_scoring:
        top = s.over_scoring[:NAMED]
        detail = "；".join(f"{u.unit}平均高出 {u.gap_mean:.2f} 分（{u.projects} 个项目，其中“{u.worst_project}”高出 "
                          f"{u.gap_max:.2f} 分）" for u in top if u.gap_mean is not None and u.gap_max is not None)
        heading("自评得分偏高。")
        out.append(("body", (f"经复核，{len(s.over_scoring)} 个单位的自评总分高于复核总分，全部项目平均自评 "
                            f"{_score(s.self_mean)} 分、复核 {_score(s.requality_mean)} 分。高出较多的有：{detail}。")))
    if s.all_hundred:
        heading("自评流于形式。")
        units = [u.unit for u in s.all_hundred]
        out.append(("body", (f"{_names(units)}参与复核的全部项目自评均为满分（100 分），共 "
                            f"{sum(u.projects for u in s.all_hundred)} 个项目，自评未能真实反映绩效目标完成情况，存在“自评流于形式”的问题。")))
    if s.deductions:
        heading("绩效指标和佐证材料不规范。")
        parts = []
        for d in s.deductions[:NAMED]:
            what = d.looks_at or d.code
            parts.append(f"{what}（规则 {d.code}）{d.count} 个指标，占扣分指标的 {d.share:.1%}，涉及"
                         f"{_names([u for u, _ in d.units], 3)}")
        out.append(("body", f"复核的 {s.indicators} 个三级指标中，{s.deducted} 个按复核口径扣分。最常见的是：" + "；".join(parts) + "。"))
    copy_units = s.copy_units
    if s.copies or s.indicator_sets or s.foreign:
        heading("报告文本和指标雷同。")
        parts = []
        if s.copies:
            across = sum(c.across_units for c in s.copies)
            pair = s.copies[0]
            parts.append(f"发现雷同文本 {len(s.copies)} 处（其中跨单位 {across} 处），如{pair.first.unit}“{pair.first.project}”与"
                         f"{pair.second.unit}“{pair.second.project}”的相关段落基本一致")
        if s.indicator_sets:
            parts.append(f"{len(s.indicator_sets)} 组不同单位的项目使用完全相同的绩效指标")
        if s.foreign:
            f = s.foreign[0]
            parts.append(f"{len(s.foreign)} 处指标或文本出现与项目无关领域的用语，如{f.passage.unit}“{f.passage.project}”中出现"
                         f"“{'、'.join(f.words)}”")
        out.append(("body", "；".join(parts) + f"。涉及{_names(copy_units)}，存在照搬照抄其他单位或其他项目材料的情况。"))
    if s.warnings:
        heading("预算执行与绩效不匹配。")
        parts = [f"{warning_label(w.code)}的{w.count} 个项目（{WARNING_ZH.get(w.level, w.level)}）" for w in s.warnings]
        out.append(("body", "按省级平台预警规则，" + "，".join(parts) + "，相关单位应分析原因并说明。"))
    if not out:
        out.append(("body", "本次复核未发现需要通报的共性问题。"))
    return out


def bulletin_paragraphs(s: Summary) -> list[tuple[Kind, str]]:
    """The notice's text, paragraph by paragraph (kind, text)."""
    years = "、".join(map(str, s.years))
    year_text = f"{years}年度" if years else ""
    picked = s.sample.selected
    basic = (f"按照预算绩效管理工作安排，我局组织对{year_text}项目支出绩效自评开展了质量复核，复核范围涉及 {s.departments} 个主管部门、"
             f"{s.units} 个单位的 {s.results} 个项目，预算资金合计 {wan(s.budget):,.2f} 万元，执行 {wan(s.executed):,.2f} 万元。"
             "复核按照统一的复核口径，逐项核对绩效指标完成值及佐证材料，重新评定得分。"
             f"全部项目平均自评总分 {_score(s.self_mean)} 分，平均复核总分 {_score(s.requality_mean)} 分，"
             f"{len(s.grade_drops)} 个项目复核等级低于自评等级。"
             f"同时，按每个主管部门 {s.sample.share:.0%} 的比例（至少 1 个项目），以随机种子 {s.sample.seed} 按预算金额和风险加权抽取 "
             f"{len(picked)} 个项目开展重点抽查。")
    return [
        ("title", f"关于{year_text}项目支出绩效自评质量复核情况的通报"),
        ("addressee", "各主管部门、各预算单位："),
        ("body", f"为提高绩效自评质量，压实预算单位绩效管理主体责任，现将{year_text}项目支出绩效自评质量复核情况通报如下。"),
        ("h1", "一、基本情况"),
        ("body", basic),
        ("h1", "二、发现的主要问题"),
        *_problems(s),
        ("h1", "三、下一步要求"),
        ("body", ("（一）认真整改。各单位要对照复核意见逐项整改，于　　月　　日前将整改情况报送我局；自评得分与复核得分差距较大的单位，"
                 "要说明原因。")),
        ("body", ("（二）据实开展自评。各单位要按照绩效目标和实际完成情况客观评分，每项完成值须有佐证材料，不得简单打满分，"
                 "不得照搬其他单位或其他项目的文本和指标。")),
        ("body", "（三）科学设置绩效指标。绩效指标应与项目内容相关、可衡量、可考核，指标归类准确，满意度指标须有调查依据。"),
        ("body", (f"（四）配合抽查复核。被抽查的 {len(picked)} 个项目所在单位要及时准备相关资料，配合开展重点复核。"
                 "复核结果将作为以后年度预算安排的重要参考。")),
        ("signature", SIGNATURE[0]),
        ("signature", SIGNATURE[1]),
    ]


def _official_styles(doc) -> None:
    """GB/T 9704 sizes on top of the report's styles: body 3号 at fixed 30 pt, title 2号."""
    body = doc.styles[BODY_STYLE]
    body.font.size = Pt(16)
    body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.paragraph_format.line_spacing = Pt(30)
    body.paragraph_format.first_line_indent = Pt(32)
    for name in ("Heading 1", "Heading 2"):
        style = doc.styles[name]
        style.font.size = Pt(16)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = Pt(30)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.first_line_indent = Pt(32)
        style.font.color.rgb = None
    doc.styles["Heading 2"].font.bold = False
    title = doc.styles["Title"]
    title.font.size = Pt(22)
    title.paragraph_format.space_after = Pt(30)


def bulletin_document(s: Summary) -> bytes:
    """The 通报 draft as .docx bytes (byte-identical for the same summary)."""
    doc = new_document()
    _official_styles(doc)
    first_signature = True
    for kind, text in bulletin_paragraphs(s):
        if kind == "title":
            doc.add_paragraph(xml_text(text), style="Title")
        elif kind in ("h1", "h2"):
            doc.add_paragraph(xml_text(text), style="Heading 1" if kind == "h1" else "Heading 2")
        else:
            paragraph = doc.add_paragraph(xml_text(text), style=BODY_STYLE)
            if kind == "addressee":
                paragraph.paragraph_format.first_line_indent = Pt(0)
            elif kind == "signature":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.paragraph_format.first_line_indent = Pt(0)
                paragraph.paragraph_format.right_indent = Pt(64)
                paragraph.paragraph_format.space_before = Pt(60 if first_signature else 0)
                first_signature = False
    return document_bytes(doc, title=bulletin_paragraphs(s)[0][1], subject="自评质量复核通报（草稿）", keywords="通报")


__all__ = ["SIGNATURE", "bulletin_document", "bulletin_paragraphs"]
