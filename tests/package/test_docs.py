"""The project's own documentation (docs/): the params schema generated from the models and
current, and every "docs/X.md §N" that the code cites is a heading of that file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.inputs.schema_doc import schema_markdown

from conftest import ROOT

DOCS = ROOT / "docs"
PACKAGE = ROOT / "selfeval_lib"
#: Text files of the package that may cite the docs: code, templates, notebooks, rule sets.
CITING = ("*.py", "*.j2", "*.ipynb", "*.yaml")
REGENERATE = "python -m selfeval_lib.inputs.schema_doc > docs/params-schema.md"

_CITATION = re.compile(r"docs/([\w.-]+\.md)((?:\s*(?:§\s*\d+(?:\.\d+)*|\d+(?:\.\d+)*|[–—,、]|-|and)\s*)*)")
_SECTION = re.compile(r"\d+(?:\.\d+)*")
_HEADING = re.compile(r"^#{1,6}\s+(?:§\s*)?(\d+(?:\.\d+)*)\.?(?:\s|$)")


def _citing_files() -> list[Path]:
    return sorted(p for pattern in CITING for p in PACKAGE.rglob(pattern) if "__pycache__" not in p.parts)


def _section_numbers(doc: Path) -> set[str]:
    numbers = set()
    for line in doc.read_text(encoding="utf-8").splitlines():
        m = _HEADING.match(line)
        if m:
            numbers.add(m.group(1))
    return numbers


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = heading.strip().lstrip("#").strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_params_schema_is_current() -> None:
    committed = (DOCS / "params-schema.md").read_text(encoding="utf-8")
    assert committed == schema_markdown(), f"docs/params-schema.md is stale: run `{REGENERATE}`"


def test_schema_has_every_field_of_every_model() -> None:
    text = schema_markdown()
    for model in (ProjectYear, RuleSet):
        schema = model.model_json_schema()
        for sub in [schema, *schema.get("$defs", {}).values()]:
            assert f"### `{sub['title']}`" in text
            section = text.split(f"### `{sub['title']}`", 1)[1].split("\n### ", 1)[0]
            for name in sub["properties"]:
                required = "yes 是" if name in sub.get("required", ()) else "no 否"
                assert re.search(rf"^\| `{re.escape(name)}` \| [^\n]* \| {required} \|", section, re.M), (sub["title"], name)


def test_schema_shows_types_defaults_and_constraints() -> None:
    text = schema_markdown()
    assert "| `weight` | number | yes 是 |  | > 0; ≤ 100 | 分值 |" in text
    assert "| `rule_set` | string | no 否 | `\"national\"` |" in text
    assert "| `payments` | list of [Payment](#payment) | no 否 | `[]` |" in text
    assert "At `funds.payments[]`." in text
    assert "| `level1` | one of `产出指标` · `效益指标` · `满意度指标` | yes 是 |" in text
    assert "| `reverse_formula` | one of `ratio` · `linear` | no 否 | `\"ratio\"` |" in text


def test_cited_sections_exist() -> None:
    cited: dict[tuple[str, str], list[str]] = {}
    for path in _citing_files():
        for m in _CITATION.finditer(path.read_text(encoding="utf-8")):
            for number in _SECTION.findall(m.group(2)):
                cited.setdefault((m.group(1), number), []).append(str(path.relative_to(ROOT)))
    assert any(doc == "rules.md" for doc, _ in cited), "no citation of docs/rules.md found"
    missing = []
    for (doc, number), where in sorted(cited.items()):
        target = DOCS / doc
        if not target.is_file() or number not in _section_numbers(target):
            missing.append(f"docs/{doc} §{number} (cited in {', '.join(sorted(set(where)))})")
    assert not missing, "cited sections that are not headings:\n" + "\n".join(missing)


def test_rules_keep_the_numbering() -> None:
    assert {str(n) for n in range(1, 10)} <= _section_numbers(DOCS / "rules.md")


def test_code_cites_the_project_docs() -> None:
    """A citation of rules.md names the repository's file, docs/rules.md."""
    bare = []
    for path in _citing_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for m in re.finditer(r"[\w./-]*rules\.md", line):
                if m.group(0) != "docs/rules.md":
                    bare.append(f"{path.relative_to(ROOT)}:{number}: {m.group(0)}")
    assert not bare, "cite docs/rules.md:\n" + "\n".join(bare)


@pytest.mark.parametrize("doc", sorted(p.name for p in DOCS.glob("*.md")))
def test_links_resolve(doc: str) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        linked = DOCS / file if file else DOCS / doc
        assert linked.is_file(), f"{doc}: {target}"
        if anchor:
            slugs = {_slug(line) for line in linked.read_text(encoding="utf-8").splitlines() if line.startswith("#")}
            assert anchor in slugs, f"{doc}: {target}"
