"""The HTML of the reports' tables: a display frame with merged 一级指标 / 二级指标 (as the Word
report), escaped; a 运行监控表 block with its lights (tests/report/test_monitoring_form.py)."""

import re

import pandas as pd
import pytest

from conftest import SEED_SAMPLE
from selfeval_lib.render.notebook import open_report
from selfeval_lib.render.tables_html import frame_html


@pytest.fixture(scope="module")
def report():
    return open_report(SEED_SAMPLE)


def _rows(html: str) -> list[list[tuple[str, int]]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S)
    return [[(text, int(span or 1)) for span, text in re.findall(r'<td(?: rowspan="(\d+)")?>(.*?)</td>', r)]
            for r in rows]


def test_html_merges_level1_and_level2_as_the_word_report(report):
    frame = report.formatted_table("indicators")
    rows = _rows(frame_html(frame))
    level1 = frame["一级指标"].tolist()
    first = level1[1]
    run = 1
    while 1 + run < len(level1) and level1[1 + run] == first:
        run += 1
    assert rows[1][0] == (first, run)
    # every row still covers all eight columns once the spans are counted
    covered = [0] * len(rows)
    for i, row in enumerate(rows):
        for _, span in row:
            for j in range(i, i + span):
                covered[j] += 1
    assert covered == [len(frame.columns)] * len(rows)


def test_html_escapes_and_merges_only_nonempty_runs():
    frame = pd.DataFrame({"一级指标": ["<b>", "<b>", "", ""], "二级指标": ["a", "b", "", ""], "x": ["1", "2", "3", "&"]})
    html = frame_html(frame)
    assert "<b>" not in html.split("<tbody>")[1] and '<td rowspan="2">&lt;b&gt;</td>' in html
    assert "&amp;" in html and "rowspan=\"2\"><" not in html
    assert [len(r) for r in _rows(html)] == [3, 2, 3, 3]   # the empty 一级指标 cells stay apart
