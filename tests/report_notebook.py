"""The test report notebook: a small notebook with the outputs a report has (Markdown headings,
a DataFrame, a chart, stderr, a warning, deliberately unescaped user text), executed for real in a
local python3 kernel once per session, and its HTML export — shared by the HTML and PDF tests."""

from __future__ import annotations

import functools

import nbformat
from conftest import ROOT
from nbclient import NotebookClient

from selfeval_lib.render.html import notebook_to_html

EVIL_NAME = "<script>alert(1)</script>智慧校园建设项目"
HEADINGS = (
    "一、项目概况",
    "二、绩效自评工作开展情况",
    "三、综合评价情况",
    "四、绩效目标实现情况分析",
    "五、评价结论及建议",
)
TITLE = f"{EVIL_NAME}绩效自评报告"
PROVENANCE = {
    "参数哈希": "sha256:0f3a<b>9c",
    "selfeval 版本": "0.1.0",
    "评分规则": "rules/2023 & \"central\"",
}

_CELLS = [
    f"""
import sys, warnings
sys.path.insert(0, {str(ROOT)!r})
import pandas as pd
import matplotlib.pyplot as plt
from IPython.display import HTML, Markdown, display
from selfeval_lib.report.fonts import configure_matplotlib
configure_matplotlib()
NAME = {EVIL_NAME!r}
""",
    # Deliberately unescaped: the exporter must neutralise markup in outputs.
    """
display(Markdown(f"# {NAME}绩效自评报告\\n\\n## 一、项目概况\\n\\n"
                 f"项目名称：{NAME}。直接经费说明：通过验收，骨干网络与角落设备均已交付。"))
""",
    """
print("进度提示：仅供调试", file=sys.stderr)
warnings.warn("FutureWarning 测试告警")
""",
    """
display(Markdown("## 二、绩效自评工作开展情况\\n\\n自评工作按要求开展。"))
df = pd.DataFrame(
    {"年初预算数": [120.0, 80.5], "全年执行数": [118.2, 60.0], "执行率": ["98.50%", "74.53%"]},
    index=pd.Index(["设备购置", "运维服务"], name="支出内容"),
)
display(df)
""",
    """
fig, ax = plt.subplots(figsize=(5, 3), dpi=80)
ax.bar(["设备购置", "运维服务"], [118.2, 60.0])
ax.set_title("预算执行情况（万元）−直骨说")
plt.show()
""",
    """
display(Markdown("## 三、综合评价情况\\n\\n自评得分 92 分。\\n\\n## 四、绩效目标实现情况分析\\n\\n"
                 "各项指标基本完成。"))
display(HTML("<h2>五、评价结论及建议</h2><p class='note'>建议加强预算执行监控。</p>"))
""",
]


@functools.cache
def build_report_notebook() -> nbformat.NotebookNode:
    """Execute the test report notebook in a local python3 kernel (once per session)."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src.strip()) for src in _CELLS]
        + [nbformat.v4.new_markdown_cell("本报告由系统自动生成。")]
    )
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"  # stable ids -> stable anchors
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    return nb


def render_report_html() -> str:
    """HTML of the test report notebook (shared by the HTML and PDF tests)."""
    return notebook_to_html(build_report_notebook(), title=TITLE, provenance=PROVENANCE)
