"""The 复核意见 as the bureau issues it, read as a program reads it: the bundled samples and
generated projects without evidence are scored by the other rules and asked for 补报 (not zeroed);
the body (Word and HTML) has the four sections, a deadline, the 落款, the real findings with their
basis and deduction, and no path, formula, Latin-letter word or method name; the 自评得分 column
holds the unit's claim and the 扣分 column adds up to 自评 − 复核."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
import yaml

from selfeval_lib.inputs.synthetic import synthetic_params
from selfeval_lib.requality.kouqing import load_kouqing
from selfeval_lib.requality.model import Issuance
from selfeval_lib.render.requality_office import opinion_docx
from selfeval_lib.requality.opinion import BLANK_DATE, BLANK_REVIEWER, NOT_STATED, TABLE_HEADINGS, opinion_of
from selfeval_lib.render.requality_html import requality_html
from selfeval_lib.requality.service import requality_file

from conftest import ROOT

SAMPLES = sorted((ROOT / "params" / "2023").glob("*.yaml"))
DISTRICT = load_kouqing("district")
#: The district 口径 without its evidence rule: what "the other rules" give.
OTHERS = DISTRICT.model_copy(update={"rules": tuple(r for r in DISTRICT.rules if r.check != "no_evidence")})
#: What must never appear in a document the bureau signs.
FORBIDDEN = re.compile(r"[A-Za-z]|\.ya?ml|/|\\|max\(|=|＝ *max|÷|×|Jaccard|MinHash|种子")
#: A published table (the review's sample), whose findings are the review's.
TABLE = ROOT / "tests" / "data" / "review" / "seed_like_table.yaml"
ISSUED = Issuance(reviewer="攀枝花市东区财政局绩效评价中心", bureau="攀枝花市东区财政局", date=dt.date(2024, 4, 1))


def docx_parts(data: bytes) -> tuple[list[str], list[list[str]]]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs], [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


class _Text(HTMLParser):
    """The text of the page's opinions and annexes (not its style sheet)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.parts.append(data.strip())


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture(scope="module")
def samples():
    return [r for path in SAMPLES for r in requality_file(path, DISTRICT)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    paths = []
    for n, data in enumerate(synthetic_params(6, seed=11)):
        path = folder / f"p{n}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def test_samples_without_evidence_are_scored_by_the_other_rules_and_asked_for_supplement(samples):
    assert len(samples) == 3
    for r, path in zip(samples, SAMPLES, strict=True):
        [other] = requality_file(path, OTHERS)
        assert r.evidence_status == "not_provided"
        assert r.requality_total == pytest.approx(other.requality_total)
        assert r.requality_total > 50  # not collapsing for lack of evidence handed to the tool
        assert r.supplement is not None and r.supplement.rule == "1"
        assert r.supplement.indicators == tuple(i.name for i in r.indicators)
        assert all(i.rule_code != "1" for i in r.indicators)


def test_generated_projects_without_evidence_are_scored_by_the_other_rules(generated):
    for path in generated:
        [r] = requality_file(path, DISTRICT)
        [other] = requality_file(path, OTHERS)
        assert r.requality_total == pytest.approx(other.requality_total) and r.requality_total > 40
        assert r.supplement is not None and len(r.supplement.indicators) == len(r.indicators)
        assert "补报" in "".join(dict(opinion_of(r).sections)["四、整改要求"])


def test_body_has_no_path_formula_latin_word_or_method_name(samples, generated):
    results = samples + [r for path in [*generated, TABLE] for r in requality_file(path, DISTRICT)]
    for r in results:
        paragraphs, cells = docx_parts(opinion_docx(r, ISSUED))
        body = "\n".join(paragraphs + [c for row in cells for c in row])
        assert not FORBIDDEN.search(body), (r.project, FORBIDDEN.search(body))
    html = page_text(requality_html(results, DISTRICT.title, ISSUED))
    assert "复核发现" in html and not FORBIDDEN.search(html), FORBIDDEN.search(html)


def test_sections_deadline_and_signature(samples):
    r = samples[0]
    paragraphs, _ = docx_parts(opinion_docx(r, ISSUED))
    headings = [p for p in paragraphs if re.match(r"^[一二三四]、", p)]
    assert headings == ["一、基本情况", "二、复核发现", "三、复核结论", "四、整改要求"]
    requirements = paragraphs[paragraphs.index("四、整改要求") + 1:]
    assert any("2024年4月16日前补报" in p for p in requirements)  # 15 days after the date
    assert any("2024年5月1日前将整改情况书面报送攀枝花市东区财政局绩效评价中心" in p for p in requirements)
    assert paragraphs[paragraphs.index("2024年4月1日") - 1] == ISSUED.reviewer
    assert paragraphs[0] == f"关于2023年度“{r.project}”项目支出绩效自评的复核意见"
    assert paragraphs[1] == f"{r.unit}："


def test_without_reviewer_and_date_the_signature_is_left_to_fill(samples):
    paragraphs, _ = docx_parts(opinion_docx(samples[0]))
    assert BLANK_REVIEWER in paragraphs and BLANK_DATE in paragraphs
    assert any("请自收到本意见之日起15日内补报" in p for p in paragraphs)
    assert any("请自收到本意见之日起30日内将整改情况" in p for p in paragraphs)
    assert not any(re.search("于自(收到|本通报)", p) for p in paragraphs)


def test_real_findings_come_first_with_their_basis_and_deduction(samples):
    by_id = {r.project_id: r for r in samples}
    findings = dict(opinion_of(by_id["dongqu-yjglj-slfh"]).sections)["二、复核发现"]
    assert findings[0] == "（一）资金管理和预算执行"
    approvals = next(p for p in findings if "资金支付审批" in p)
    assert "记-2023-04-004" in approvals and "记-2023-05-002" in approvals and "不扣分" in approvals
    assert "2023年4月12日" in approvals and not re.search(r"\d{4}-\d{2}-\d{2}(?!\d)", "\n".join(findings))
    claims = next(p for p in findings if "按评分规则计算为" in p)
    assert "口径第11条" in claims and "自评总分相应减少" in claims
    seed = dict(opinion_of(by_id["dongqu-yjglj-ydhs"]).sections)["二、复核发现"]
    assert "支出进度" in seed[1] and "12月" in seed[1]
    satisfaction = next(p for p in seed if "“社会满意度”" in p)
    assert "口径第4条" in satisfaction and "扣10分" in satisfaction
    execution = dict(opinion_of(by_id["dongqu-yjglj-aqpx"]).sections)["二、复核发现"]
    line = next(p for p in execution if "预算执行" in p and "该项得8分" in p)
    assert line.count("低于90") == 1 and "未说明原因" in line and "结余2.40万元" in line  # said once, all of it


def test_a_unit_cost_the_ledger_contradicts_is_found_in_the_sample(samples):
    data = yaml.safe_load((ROOT / "params" / "2023" / "dongqu-yjglj-aqpx.yaml").read_text(encoding="utf-8"))
    paid = sum(p["amount"] for p in data["funds"]["payments"] if "培训" in p["item"])
    trained = next(i for i in data["indicators"] if i["name"].startswith("培训企业"))
    per_head = round(paid / float(trained["actual"].removesuffix("人次")))
    aqpx = next(r for r in samples if r.project_id == "dongqu-yjglj-aqpx")
    cost = dict(opinion_of(aqpx).sections)["二、复核发现"]
    line = next(p for p in cost if "“人均培训成本”（分值10分" in p)
    assert f"折合每人次约{per_head}元" in line and "而填报185元" in line and "口径第11条" in line
    assert "按口径扣5分" in line


def _number(text: str) -> float:
    return float(text) if text else 0.0


@pytest.mark.parametrize("project_id", ["dongqu-yjglj-aqpx", "dongqu-yjglj-slfh", "dongqu-yjglj-ydhs"])
def test_self_column_is_the_claim_and_deductions_add_up(samples, project_id):
    r = next(x for x in samples if x.project_id == project_id)
    _, cells = docx_parts(opinion_docx(r))
    header, *rows = cells
    assert tuple(header) == TABLE_HEADINGS
    *lines, total = rows
    col = {h: n for n, h in enumerate(TABLE_HEADINGS)}
    assert total[0] == "合计" and _number(total[col["自评得分"]]) == pytest.approx(r.self_total)
    assert _number(total[col["复核得分"]]) == pytest.approx(r.requality_total, abs=0.005)
    assert sum(_number(x[col["扣分"]]) for x in lines) == pytest.approx(_number(total[col["扣分"]]), abs=0.02)
    assert _number(total[col["扣分"]]) == pytest.approx(r.self_total - r.requality_total, abs=0.005)
    claimed = yaml.safe_load(next(p for p in SAMPLES if p.stem == project_id).read_text(encoding="utf-8"))
    indicators = {x[col["三级指标"]]: x[col["自评得分"]] for x in lines if x[col["三级指标"]]}
    for ind in claimed["indicators"]:
        own = indicators[ind["name"]]
        if "score" in ind:
            assert _number(own) == pytest.approx(ind["score"])
        elif claimed.get("claims", {}).get("total_score") == 100:
            assert _number(own) == pytest.approx(ind["weight"])  # full marks claimed: every line full
        elif claimed.get("claims", {}).get("total_score") is not None:
            assert own == NOT_STATED  # a total claimed without its parts is not invented
    conclusion = "".join(dict(opinion_of(r).sections)["三、复核结论"])
    if r.gap:
        assert f"高出复核总分{r.gap:.2f}".rstrip("0").rstrip(".") in conclusion


def test_requested_evidence_zeroes_and_says_so(tmp_path):
    from selfeval_lib.requality.overrides import EvidenceRequest

    path = tmp_path / SAMPLES[2].name
    path.write_bytes(SAMPLES[2].read_bytes())
    request = EvidenceRequest(requested=dt.date(2024, 3, 1), due=dt.date(2024, 3, 15), notice="东财绩函〔2024〕3号")
    [r] = requality_file(path, DISTRICT, requests=(request,))
    assert r.evidence_status == "requested" and r.supplement is None and r.requality_total < 20
    basic = "".join(dict(opinion_of(r).sections)["一、基本情况"])
    assert "已于2024年3月1日通知补报（东财绩函〔2024〕3号，限2024年3月15日前）" in basic


def test_same_result_same_bytes(samples):
    r = samples[1]
    assert opinion_docx(r, ISSUED) == opinion_docx(dataclasses.replace(r), ISSUED)
    assert requality_html([r], "x", ISSUED) == requality_html([r], "x", ISSUED)
