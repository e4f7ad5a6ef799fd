"""The review on a corpus of published 自评表 (tests/corpus/): real tables transcribed as published
and tables built from docs/rules.md with the values issue 13 lists (each file's header says which).

For every table: the review of its YAML transcription, under the table's rule set (``rules``,
national by default), finds every documented error (``must_find``) and raises nothing above low
severity on the rows that follow the rules (``clean``); the same table printed in each form a unit
publishes (.xlsx, Word, web page, .xls, text PDF: :mod:`forms.office`, built from its grid) gives the same
findings as its YAML. ``pending`` codes, ``pending_clean`` rows and ``pending_forms`` need work in
progress elsewhere (the reason is in the file): they are checked too, as expected failures, so
they show in the summary (``-rxX``) and pass once that work lands.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from forms.office import built

from selfeval_lib.inputs.params import load_rule_set
from selfeval_lib.review.readers import read_tables
from selfeval_lib.review.recompute import review_table
from selfeval_lib.review.table import Review

CORPUS = ROOT / "tests" / "corpus"
NAMES = sorted(p.name.removesuffix(".grid.yaml") for p in CORPUS.glob("*.grid.yaml"))
FORMS = ("xlsx", "docx", "html", "xls", "pdf")
#: The forms built by running LibreOffice (integration tests).
CONVERTED = {"xls"}
#: Tables also read as a scan (OCR costs about ten seconds a page): the BUILT layouts of issue 22.
SCANNED = ("built_data_platform_goal_block", "built_hubei_block_scores")


@cache
def rules_of(name: str):
    return load_rule_set(ROOT / "params" / "rules" / f"{expected(name).get('rules', 'national')}.yaml")


@cache
def expected(name: str) -> dict:
    return yaml.safe_load((CORPUS / f"{name}.expected.yaml").read_text(encoding="utf-8"))


def review_of(name: str, path: Path | None = None) -> Review:
    """The review of the table's YAML transcription, or of ``path`` (one of its forms)."""
    path = path or CORPUS / f"{name}.yaml"
    reads = read_tables(path)
    assert len(reads) == 1, f"{path.name}: {len(reads)} tables read"
    return review_table(reads[0].table, rules_of(name))


def codes(review: Review) -> set[str]:
    return {str(f.code) for f in review.findings}


def by_row_name(review: Review) -> Counter:
    """(code, the indicator it is on or "全表") of every finding, to compare two readings (row
    numbers differ between forms)."""
    names = {ind.row if ind.row is not None else i: ind.name for i, ind in enumerate(review.table.indicators, 1)}
    return Counter((str(f.code), names.get(f.row, "全表")) for f in review.findings)


def serious_on(review: Review, name: str) -> list[str]:
    rows = {r.row for r in review.rows if r.name == name}
    assert rows, f"no row named {name!r}"
    return [f"{f.code}: {f.message}" for f in review.findings if f.row in rows and f.severity != "low"]


def _cases(kind: str) -> list:
    out = []
    for name in NAMES:
        exp = expected(name)
        if kind == "code":
            out += [pytest.param(name, c, id=f"{name}-{c}") for c in exp.get("must_find", [])]
            out += [pytest.param(name, p["code"], id=f"{name}-{p['code']}-pending",
                                 marks=pytest.mark.xfail(reason=p["reason"], strict=True)) for p in exp.get("pending", [])]
        elif kind == "clean":
            out += [pytest.param(name, n, id=f"{name}-{n}") for n in exp.get("clean", [])]
            out += [pytest.param(name, p["name"], id=f"{name}-{p['name']}-pending",
                                 marks=pytest.mark.xfail(reason=p["reason"], strict=True)) for p in exp.get("pending_clean", [])]
        else:
            pending = exp.get("pending_forms", {})
            out += [pytest.param(name, form, id=f"{name}-{form}",
                                 marks=([pytest.mark.xfail(reason=pending[form], strict=True)] if form in pending else [])
                                 + ([pytest.mark.integration] if form in CONVERTED else []))
                    for form in FORMS]
    return out


def test_the_corpus_has_real_and_built_tables():
    kinds = [expected(n)["real"] for n in NAMES]
    assert len(NAMES) >= 5 and kinds.count(True) >= 4 and kinds.count(False) >= 1
    for name in NAMES:
        for suffix in (".grid.yaml", ".yaml", ".expected.yaml"):
            head = (CORPUS / f"{name}{suffix}").read_text(encoding="utf-8").splitlines()[0]
            assert head.startswith(("# REAL", "# BUILT")), (name, suffix)


@pytest.mark.parametrize("name, code", _cases("code"))
def test_yaml_review_finds_the_documented_error(name, code):
    review = review_of(name)
    assert code in codes(review), f"{name}: {code} not found; found {sorted(codes(review))}"


@pytest.mark.parametrize("name, row", _cases("clean"))
def test_rows_that_follow_the_rules_raise_nothing_above_low(name, row):
    assert serious_on(review_of(name), row) == []


@pytest.mark.parametrize("name, form", _cases("form"))
def test_every_form_gives_the_yaml_findings(name, form, tmp_path):
    from_form = review_of(name, built(str(CORPUS / f"{name}.grid.yaml"), form))
    assert by_row_name(from_form) == by_row_name(review_of(name))


@pytest.mark.parametrize("name", SCANNED)
def test_a_scan_gives_the_yaml_findings(name):
    """The table printed, rasterised and read by OCR: the same findings as its YAML."""
    from_scan = review_of(name, built(str(CORPUS / f"{name}.grid.yaml"), "scan"))
    assert by_row_name(from_scan) == by_row_name(review_of(name))
