"""checklist.html: self-contained, escaped, deterministic."""

from __future__ import annotations

from pathlib import Path

from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.inputs.params import load_project
from selfeval_lib.render.registry import CHECKLIST_FILE, render_checklist

ROOT = Path(__file__).resolve().parents[1]


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
