"""checklist.html: self-contained, escaped, deterministic."""

from __future__ import annotations

from pathlib import Path

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.registry import CHECKLIST_FILE, render_checklist

from conftest import ROOT


def test_checklist_page(tmp_path: Path) -> None:
    text = (ROOT / "params" / "2023" / "dongqu-yjglj-aqpx.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("安全生产宣传教育培训经费", "<script>x</script>经费", 1), encoding="utf-8")
    loaded = load_project(path)
    ev = evaluate(loaded.project_year, loaded.rules)
    page = render_checklist(ev)
    assert page == render_checklist(ev) and CHECKLIST_FILE == "checklist.html"
    html = page.decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "自查清单" in html and "财务管理情况" in html and "需处理" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html


def test_vouchers_are_the_checklists_working_paper() -> None:
    """Vouchers, payees and the approvals each lacks are in checklist.html, not in the report the
    unit signs (which states the result in a sentence); no program identifier in either."""
    import re

    from selfeval_lib.render.narrative import render_narrative
    from selfeval_lib.report.prose import report_text

    loaded = load_project(ROOT / "params" / "2023" / "dongqu-yjglj-slfh.yaml")
    ev = evaluate(loaded.project_year, loaded.rules)
    html = render_checklist(ev).decode("utf-8")
    paper = html.split("支付凭证审批核对（底稿）", 1)[1]
    bad = [v for v in ev.vouchers if not v.compliant]
    assert bad and len(bad) < len(ev.vouchers)
    for v in ev.vouchers:
        assert v.voucher in paper and v.payee in paper
    for v in bad:
        assert "、".join(v.missing) in paper and v.voucher in html.split("支付凭证审批核对（底稿）", 1)[0]
    text = re.sub(r"<style.*?</style>|<[^>]+>", "", html, flags=re.S)
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", text), re.findall(r"\b[a-z_]+\.[a-z_]+\b", text)
    report = report_text(render_narrative(ev))
    assert not any(v.voucher in report or v.payee in report for v in ev.vouchers)
    assert f"{len(bad)}笔未按规定履行" in report
