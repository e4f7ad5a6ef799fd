"""The small tables the review notebook shows (pandas DataFrames), cells as printed."""

from __future__ import annotations

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import SEVERITY_ZH
from selfeval_lib.errors import CellError
from selfeval_lib.review.cells import amount_cell, rate_cell
from selfeval_lib.review.present.view import (
    FINDING_HEADINGS,
    KIND_ZH,
    row_key,
    show,
    table_rows,
)
from selfeval_lib.review.table import PublishedTable, Review


def published_frame(table: PublishedTable):
    """The indicator rows as published (cells as printed)."""
    import pandas as pd

    return pd.DataFrame([{"行": ind.row if ind.row is not None else i + 1, "一级指标": ind.level1, "二级指标": ind.level2,
                          "三级指标": ind.name, "年度指标值": ind.target, "实际完成值": ind.actual,
                          "分值": show(ind.weight), "得分": show(ind.score), "偏差原因分析": ind.deviation_reason}
                         for i, ind in enumerate(table.indicators)])


def execution_frame(review: Review, table: PublishedTable):
    """The execution recomputation: the printed figures (in the table's unit, 元 or 万元),
    执行率 = 全年执行数 ÷ 全年预算数, the published and the rule's score (from the review)."""
    import pandas as pd

    f = table.funds
    if f is None:
        return pd.DataFrame([{"说明": "表中无预算执行率（如专项转移支付），总分只计绩效指标。"}])
    row = next((r for r in review.rows if r.kind == "execution"), None)

    def num(value, rate=False):
        try:
            return rate_cell(value) if rate else amount_cell(value, f.amount_unit)
        except CellError:
            return None

    budget, executed = num(f.budget_full_year), num(f.executed)
    rate = executed / budget if budget and executed is not None else None
    return pd.DataFrame([
        {"项目": "金额单位", "填报": f.amount_unit, "复核": f.amount_unit},
        {"项目": "年初预算数", "填报": show(f.budget_initial), "复核": "（不作分母）"},
        {"项目": "全年预算数", "填报": show(f.budget_full_year), "复核": show(budget)},
        {"项目": "全年执行数", "填报": show(f.executed), "复核": show(executed)},
        {"项目": "执行率", "填报": show(f.rate), "复核": fmt.percent(rate, trim=True)},
        {"项目": "分值", "填报": show(f.weight), "复核": show(row.weight if row else None)},
        {"项目": "得分", "填报": show(f.score), "复核": show(row.recomputed if row else None)},
    ])


def scores_frame(review: Review, table: PublishedTable | None = None):
    """Each row's published and recomputed score, the difference and the codes on the row."""
    import pandas as pd

    codes: dict[str, list[str]] = {}
    for f in review.findings:
        codes.setdefault(row_key(f.row), []).append(f.code)
    out = []
    for entry in table_rows(review, table):
        pub, rec = entry["published"], entry["recomputed"]
        out.append({"行": show(entry["row"]), "三级指标": entry["name"], "年度指标值": entry["target"],
                    "实际完成值": entry["actual"], "分值": show(entry["weight"]), "类型": KIND_ZH.get(entry["kind"], "合计"),
                    "填报得分": show(pub), "复核得分": show(rec),
                    "差额": show(pub - rec) if pub is not None and rec is not None else "—",
                    "问题": "、".join(codes.get(row_key(entry["row"]), []))})
    return pd.DataFrame(out)


def findings_frame(review: Review):
    """The findings, most severe first."""
    import pandas as pd

    return pd.DataFrame([{"行": show(f.row), "字段": f.field, "代码": f.code, "级别": SEVERITY_ZH[f.severity],
                          "填报": show(f.published), "复核": show(f.recomputed), "说明": f.message}
                         for f in review.findings], columns=list(FINDING_HEADINGS))


def totals_frame(review: Review):
    """Published against recomputed total and grade."""
    import pandas as pd

    return pd.DataFrame([{"项目": "总分", "填报": show(review.published_total), "复核": show(review.recomputed_total)},
                         {"项目": "等级", "填报": review.published_grade or "—", "复核": review.recomputed_grade or "—"}])


def texts_frame(review: Review, table: PublishedTable | None = None):
    """The text blocks and the funds block's 其中 rows as printed, with the codes found on each."""
    import pandas as pd

    from selfeval_lib.review.present.view import text_rows

    return pd.DataFrame([{"栏目": t["heading"], "表中文字": t["text"], "问题": "、".join(f.code for f in t["findings"])}
                         for t in text_rows(review, table)], columns=["栏目", "表中文字", "问题"])
