"""The checks a 口径 rule can name (:data:`selfeval_lib.requality.kouqing.Check`), one pure
function each: ``(rule, context, index) -> detail | None`` — ``None`` when the rule does not
apply to the indicator, else the text put in the reason's ``{detail}`` (with, for rules that
deduct by degree, the level that applied).

Judgement checks (``unrelated``, ``not_assessable``, ``duplicate``, ``misplaced``) decide by the
keyword lists of the rule, nothing else, and are marked heuristic in every output.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core import vocabulary as vocab
from selfeval_lib.core.indicator_checks import is_quantity_level2, safe_parse
from selfeval_lib.core.quantity import Blank, Quantity, Text, TimePoint, convert
from selfeval_lib.errors import QuantityError
from selfeval_lib.requality.kouqing import Level, Rule
from selfeval_lib.requality.model import EvidenceCheck
from selfeval_lib.requality.subject import Row, Subject

_DROP = re.compile(r"[\s\W_\d]+", re.UNICODE)
_PARTS = re.compile(r"[、；;，,/]|和|及|并")
_DATE = re.compile(r"\d{1,2}\s*月")


@dataclass(frozen=True, slots=True)
class Context:
    """What the checks read: the input and the evidence found for each of its rows."""

    subject: Subject
    evidence: dict[int, tuple[EvidenceCheck, ...]]


@dataclass(frozen=True, slots=True)
class Applies:
    """A rule applies: the detail for its reason, and the level (share, reason) when by degree."""

    detail: str
    level: Level | None = None


def _norm(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def _words_in(words: tuple[str, ...], text: str) -> list[str]:
    return [w for w in words if w and w in text]


def _quantified(text: str) -> bool:
    value = safe_parse(text)
    return isinstance(value, (Quantity, TimePoint)) or bool(re.search(r"\d", text))


def no_evidence(rule: Rule, ctx: Context, i: int) -> Applies | None:
    checks = ctx.evidence.get(i, ())
    if any(c.present for c in checks):
        return None
    missing = [c.file for c in checks]
    return Applies(f"（所列材料{'、'.join(missing)}不存在）" if missing else "")


def evidence_mismatch(rule: Rule, ctx: Context, i: int) -> Applies | None:
    bad = [c.file for c in ctx.evidence.get(i, ()) if c.hash_mismatch]
    return Applies("、".join(bad)) if bad else None


def unrelated(rule: Rule, ctx: Context, i: int) -> Applies | None:
    content = _norm(ctx.subject.content)
    if len(content) < rule.min_content_chars:
        return None
    row = ctx.subject.rows[i]
    if rule.judged_levels and not _words_in(rule.judged_levels, row.level2):
        return None  # 质量、时效、成本、满意度 indicators are generic by nature: not judged
    core = _norm(row.name)
    for word in sorted(rule.generic, key=len, reverse=True):
        core = core.replace(_norm(word), "")
    if len(core) < 2:
        return None
    if any(core[k:k + 2] in content for k in range(len(core) - 1)):
        return None
    if sum(ch in content for ch in core) >= len(core) * rule.char_overlap:
        return None
    shown = ctx.subject.content.strip()
    return Applies(shown[:40] + ("…" if len(shown) > 40 else ""))


def not_assessable(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    for level in rule.levels:
        if level.applies == "bare_rate":
            value = safe_parse(row.target)
            if isinstance(value, Quantity) and value.dimension == "percent" and _norm(row.name) in {_norm(w) for w in level.words}:
                return Applies(row.target, level)
            continue
        found = _words_in(level.words, row.target)
        if not found:
            continue
        if (level.applies == "vague_unmeasured") != _quantified(row.actual):
            return Applies("、".join(found), level)
    return None


def satisfaction_without_survey(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    if not _words_in(rule.words or ("满意",), row.name + row.level2) or ctx.subject.survey_basis:
        return None
    return Applies(ctx.subject.survey_detail)


def over_target(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    target, actual = safe_parse(row.target), safe_parse(row.actual)
    if not (isinstance(target, Quantity) and isinstance(actual, Quantity)) or target.direction == "reverse":
        return None
    try:
        value = convert(actual, target)
    except QuantityError:
        return None
    if target.value <= 0 or rule.ratio is None or value / target.value <= rule.ratio + vocab.SCORE_NOISE:
        return None
    return Applies(fmt.percent(value / target.value, 0))


def qualitative_quantity(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    return Applies(row.target) if is_quantity_level2(row.level2) and isinstance(safe_parse(row.target), Text) else None


def timeliness_partial(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    if "时效" not in row.level2:
        return None
    several = len([p for p in _PARTS.split(row.target) if p.strip()]) >= 2 or len(_DATE.findall(row.target)) >= 2
    missed = _words_in(rule.words, row.actual)
    return Applies(row.actual) if several and missed else None


def qualitative_benefit(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    if "效益" not in row.level1 or not isinstance(safe_parse(row.target), Text):
        return None
    actual = safe_parse(row.actual)
    if isinstance(actual, Blank) or actual is None or _words_in(rule.words, row.actual):
        return None
    return Applies(row.actual)


def duplicate(rule: Rule, ctx: Context, i: int) -> Applies | None:
    rows = ctx.subject.rows
    mine = _norm(rows[i].name)
    for earlier in rows[:i]:
        if earlier.level1 != rows[i].level1:
            continue
        theirs = _norm(earlier.name)
        if mine == theirs or (mine and theirs and difflib.SequenceMatcher(None, mine, theirs).ratio() >= rule.similarity):
            return Applies(earlier.name)
    return None


def misplaced(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    level2 = row.level2.removesuffix("指标")
    for place in rule.placements:
        if place.level2 and place.level2.removesuffix("指标") != level2:
            continue
        if place.level1 and place.level1 != row.level1:
            continue
        found = _words_in(place.words, row.name)
        if found:
            return Applies("、".join(found))
    return None


def shortfall_without_reason(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    if row.self_score is None or row.weight is None or vocab.at_full_marks(row.self_score, row.weight):
        return None
    return None if row.deviation_reason.strip() else Applies("")


def cost_as_floor(rule: Rule, ctx: Context, i: int) -> Applies | None:
    row = ctx.subject.rows[i]
    target = safe_parse(row.target)
    if "成本" in row.level2 and isinstance(target, Quantity) and target.direction == "positive" and target.op_written:
        return Applies(row.target)
    return None


def _pairs(text: str) -> set[str]:
    """The two-character words of a normalised text."""
    return {text[k:k + 2] for k in range(len(text) - 1)}


def cost_against_funds(rule: Rule, ctx: Context, i: int) -> Applies | None:
    """A unit cost (a 成本指标 named with one of ``words``: 人均, 单价 …) that the ledger contradicts:
    what was paid for the items the indicator is about, divided by the quantity indicator it is
    counted by (the one sharing most two-character words with it), differs from the reported cost
    by more than ``tolerance``. Nothing is judged when no item or no quantity matches."""
    row = ctx.subject.rows[i]
    actual = safe_parse(row.actual)
    if "成本" not in row.level2 or not _words_in(rule.words, row.name):
        return None
    if not isinstance(actual, Quantity) or actual.dimension != "currency" or actual.value <= 0:
        return None
    core = _norm(row.name)
    for word in sorted((*rule.words, "成本", "费用"), key=len, reverse=True):
        core = core.replace(_norm(word), "")
    keys = _pairs(core)
    best: tuple[int, Row, Quantity] | None = None
    for other in ctx.subject.rows:
        count = safe_parse(other.actual)
        if other is row or not is_quantity_level2(other.level2) or not isinstance(count, Quantity):
            continue
        shared = len(keys & _pairs(_norm(other.name)))
        if shared and count.dimension.startswith("count") and count.value > 0 and (best is None or shared > best[0]):
            best = (shared, other, count)
    items = [(name, paid) for name, paid in ctx.subject.spending if keys & _pairs(_norm(name))]
    if best is None or not items:
        return None
    _, counted, count = best
    paid = sum(amount for _, amount in items)
    computed = paid / count.value
    if abs(computed - actual.value) <= rule.tolerance * computed:
        return None
    names = "、".join(f"“{name}”" for name, _ in items)
    return Applies(f"支付明细中{names}支出{fmt.wan(paid)}，“{counted.name}”完成{counted.actual}，折合每{count.unit}约"
                   f"{fmt.yuan(round(computed))}，而填报{row.actual}")


#: Each check by its name in the 口径.
CHECKS: dict[str, Callable[[Rule, Context, int], Applies | None]] = {
    "no_evidence": no_evidence,
    "evidence_mismatch": evidence_mismatch,
    "unrelated": unrelated,
    "not_assessable": not_assessable,
    "satisfaction_without_survey": satisfaction_without_survey,
    "over_target": over_target,
    "qualitative_quantity": qualitative_quantity,
    "timeliness_partial": timeliness_partial,
    "qualitative_benefit": qualitative_benefit,
    "duplicate": duplicate,
    "misplaced": misplaced,
    "shortfall_without_reason": shortfall_without_reason,
    "cost_as_floor": cost_as_floor,
    "cost_against_funds": cost_against_funds,
}


def reason_of(template: str, rule: Rule, row: Row, detail: str, share: float) -> str:
    """A reason's wording with its placeholders filled (only the known names: see kouqing)."""
    values = {"name": row.name, "level1": row.level1, "level2": row.level2, "target": row.target,
              "actual": row.actual or "未填", "weight": fmt.score(row.weight, trim=True) if row.weight is not None else "—",
              "share": fmt.percent(share, 0), "detail": detail, "code": rule.code}
    return template.format_map(values)
