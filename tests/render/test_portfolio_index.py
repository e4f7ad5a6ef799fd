"""The year's index page: totals, the grade and execution-rate charts and the filter by 主管部门
and 等级, computed from the rows (one offline file, user text escaped); the filter run in a real
browser recomputes them for the projects shown."""

from __future__ import annotations

import re

import pytest

from selfeval_lib.render import portfolio_index as pf


def _row(id_: str, department: str, grade: str | None, budget: float | None, executed: float | None,
         rate: float | None, total: float | None, status: str = "ok") -> dict:
    return {"id": id_, "name": f"项目{id_}", "unit": "某单位", "department": department, "grade": grade,
            "budget_wan": budget, "executed_wan": executed, "execution_rate": rate, "total": total,
            "findings": 0, "placeholders": 0, "status": status, "error": "" if status == "ok" else "参数错误",
            "links": [("HTML", f"{id_}/report.html")] if status == "ok" else []}


ROWS = [
    _row("a", "甲局", "优", 100.0, 100.0, 1.0, 96.0),
    _row("b", "甲局", "良", 50.0, 42.5, 0.85, 85.0),
    _row("c", "乙局", "差", 30.0, 12.0, 0.4, 55.5),
    _row("d", "<乙局>", None, None, None, None, None, status="failed"),
]


def test_totals_add_up_the_rows_and_count_by_grade_and_band() -> None:
    totals = pf.portfolio_totals(ROWS)
    assert totals["count"] == 4
    assert (totals["budget_wan"], totals["executed_wan"]) == (180.0, 154.5)
    assert totals["execution_rate"] == pytest.approx(154.5 / 180.0)
    assert totals["mean_total"] == pytest.approx((96.0 + 85.0 + 55.5) / 3)
    assert totals["grades"] == [("优", 1), ("良", 1), ("中", 0), ("差", 1), (pf.NO_GRADE, 1)]
    assert dict(totals["bands"]) == {"60%以下": 1, "60%–80%": 0, "80%–90%": 1, "90%–100%": 0, "100%": 1}
    assert pf.portfolio_totals([])["execution_rate"] is None and pf.portfolio_totals([])["mean_total"] is None


@pytest.mark.parametrize("rate, band", [(0.0, "60%以下"), (0.5999, "60%以下"), (0.6, "60%–80%"), (0.8999, "80%–90%"),
                                        (0.9, "90%–100%"), (0.99999, "90%–100%"), (1.0, "100%"), (1.2, "100%")])
def test_each_rate_falls_in_one_band(rate: float, band: str) -> None:
    assert pf.execution_band(rate) == band


def test_the_page_shows_totals_charts_and_filters_escaped_and_offline() -> None:
    html = pf.index_html(2023, ROWS)
    assert re.search(r'data-total="budget_wan">180\.00<', html) and re.search(r'data-total="execution_rate">85\.83%<', html)
    assert 'id="grade-chart"' in html and 'id="band-chart"' in html
    bars = re.findall(r'<div class="col" data-key="([^"]+)"><span class="n">(\d+)</span><div class="bar" style="height: ([\d.]+)%"',
                      html)
    assert ("优", "1", "100.0") in bars and ("中", "0", "0.0") in bars
    departments = re.search(r'<select id="filter-department">(.*?)</select>', html, re.S)[1]
    assert re.findall(r"<option>(.*?)</option>", departments) == ["&lt;乙局&gt;", "乙局", "甲局"]
    assert "<乙局>" not in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)
    assert pf.index_html(2023, ROWS) == html  # same rows, same bytes


@pytest.mark.integration
def test_the_filter_recomputes_totals_and_charts_in_a_browser(tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright

    page_file = tmp_path / "index.html"
    page_file.write_text(pf.index_html(2023, ROWS), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(page_file.as_uri())
            page.select_option("#filter-department", "甲局")
            expect(page.locator('[data-total="count"]')).to_have_text("2")
            expect(page.locator('[data-total="budget_wan"]')).to_have_text("150.00")
            expect(page.locator('[data-total="execution_rate"]')).to_have_text("95.00%")
            expect(page.locator("#portfolio tbody tr:visible")).to_have_count(2)
            expect(page.locator('#grade-chart .col[data-key="差"] .n')).to_have_text("0")
            page.select_option("#filter-grade", "良")
            expect(page.locator('[data-total="mean_total"]')).to_have_text("85.00")
            expect(page.locator('#band-chart .col[data-key="80%–90%"] .n')).to_have_text("1")
            page.select_option("#filter-department", "")
            page.select_option("#filter-grade", pf.NO_GRADE)
            expect(page.locator('[data-total="count"]')).to_have_text("1")
            expect(page.locator('[data-total="execution_rate"]')).to_have_text("—")
            assert errors == []
        finally:
            browser.close()
