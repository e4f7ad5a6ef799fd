"""Text copied across reports: paragraphs and indicator sets shared between units or projects, and
nouns from another field.

Paragraphs: each text is normalised (NFKC, no spaces or punctuation, digit runs masked as "0", so
that a copy whose numbers were not changed to the unit's still matches), cut into character
shingles of :data:`SHINGLE` characters, and summarised by a MinHash signature of :data:`PERMUTATIONS`
hashes (numpy, deterministic: fixed multipliers, no process-seeded hash). LSH banding
(:data:`BANDS` bands of :data:`ROWS` rows) puts passages that agree on a whole band into one bucket;
only pairs sharing a bucket are compared, by the exact Jaccard of their shingle sets (kept when ≥
:data:`THRESHOLD`) and difflib's ratio, so the work grows with the number of passages, not its
square. :func:`naive_copies` compares every pair (for the benchmark and the tests).

Indicator sets: projects of different units whose sets of (二级指标, 三级指标, 指标值) are equal.

Nouns from another field (a heuristic, marked as such): a passage that names a beneficiary group
of a field (:data:`FIELDS`) none of whose words appears in the project's own name and content.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

#: Characters per shingle (Chinese text: 5–8 characters carry a phrase).
SHINGLE = 5
#: MinHash signature length, and its LSH banding (BANDS × ROWS = PERMUTATIONS).
PERMUTATIONS, BANDS, ROWS = 128, 32, 4
#: Exact Jaccard similarity of the shingle sets from which two passages count as copies.
THRESHOLD = 0.6
#: Passages shorter than this (normalised characters) are set phrases, not compared.
MIN_CHARS = 24
#: At most this many shared fragments are quoted per pair.
MAX_SHARED = 160

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_rng = np.random.Generator(np.random.PCG64(20240501))
_MULT = (_rng.integers(1, 2**63 - 1, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1))
_ADD = _rng.integers(0, 2**63 - 1, size=PERMUTATIONS, dtype=np.uint64)
_BASE = np.uint64(1_000_003)

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Passage:
    """A text of one project's report or table: who wrote it, where, and the text as written."""

    unit: str
    project_id: str
    project: str
    field: str
    text: str


@dataclass(frozen=True, slots=True)
class CopyPair:
    """Two passages of different projects found to share their text."""

    first: Passage
    second: Passage
    jaccard: float
    ratio: float
    shared: str

    @property
    def across_units(self) -> bool:
        return self.first.unit != self.second.unit


@dataclass(frozen=True, slots=True)
class IndicatorSet:
    """Projects of at least two units that state the same set of indicators."""

    indicators: tuple[tuple[str, str, str], ...]
    projects: tuple[tuple[str, str, str], ...]  # (unit, project id, project name)

    @property
    def units(self) -> list[str]:
        return sorted({unit for unit, _, _ in self.projects})


@dataclass(frozen=True, slots=True)
class ForeignNoun:
    """A passage naming the beneficiaries of a field the project's own text never mentions (heuristic)."""

    passage: Passage
    field_name: str
    words: tuple[str, ...]
    heuristic: bool = True


def normalise(text: str) -> str:
    """The text compared: NFKC, lower case, without spaces and punctuation, digit runs as "0"."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _DIGITS.sub("0", _DROP.sub("", text))


def _exact(text: str) -> str:
    """A table cell compared as written but for width, case, spaces and punctuation (digits kept)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def shingle_hashes(norm: str, size: int = SHINGLE) -> np.ndarray:
    """The distinct 64-bit hashes of the ``size``-character shingles of a normalised text."""
    if len(norm) < size:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - size + 1
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(size):
            acc = acc * _BASE + codes[j:j + count]
        acc ^= acc >> np.uint64(31)  # spread the low bits (splitmix-style finaliser)
        acc *= np.uint64(0xBF58476D1CE4E5B9)
        acc ^= acc >> np.uint64(27)
    return np.unique(acc)


def signature(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (:data:`PERMUTATIONS` values) of a set of shingle hashes."""
    with np.errstate(over="ignore"):
        mixed = hashes[None, :] * _MULT[:, None] + _ADD[:, None]
    return (mixed >> np.uint64(32)).min(axis=1)


def _shared(a: str, b: str) -> str:
    """The text the two passages share, in the first one's wording (blocks of ≥ SHINGLE characters)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [a[m.a:m.a + m.size] for m in matcher.get_matching_blocks() if m.size >= SHINGLE]
    text = "…".join(blocks)
    return text if len(text) <= MAX_SHARED else text[:MAX_SHARED] + "…"


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(slots=True)
class _Prepared:
    passages: list[Passage]
    norms: list[str]
    sets: list[frozenset[int]]
    hashes: list[np.ndarray]


def _prepare(passages: Iterable[Passage]) -> _Prepared:
    kept, norms, sets, hashes = [], [], [], []
    for passage in passages:
        norm = normalise(passage.text)
        if len(norm) < MIN_CHARS:
            continue
        h = shingle_hashes(norm)
        kept.append(passage)
        norms.append(norm)
        hashes.append(h)
        sets.append(frozenset(h.tolist()))
    return _Prepared(kept, norms, sets, hashes)


def _verify(prep: _Prepared, i: int, j: int, threshold: float) -> CopyPair | None:
    a, b = prep.passages[i], prep.passages[j]
    if a.unit == b.unit and (a.project_id == b.project_id or a.project == b.project):
        return None  # one project's own texts (or its other years) are not copies of each other
    sa, sb = prep.sets[i], prep.sets[j]
    jaccard = len(sa & sb) / len(sa | sb)
    if jaccard < threshold:
        return None
    first, second = sorted((a, b), key=_passage_key)
    return CopyPair(first, second, round(jaccard, 4), round(_ratio(prep.norms[i], prep.norms[j]), 4),
                    _shared(first.text, second.text))


def _passage_key(p: Passage) -> tuple[str, str, str, str]:
    return (p.unit, p.project_id, p.field, p.text)


def _sorted(pairs: list[CopyPair]) -> list[CopyPair]:
    return sorted(pairs, key=lambda c: (-c.jaccard, _passage_key(c.first), _passage_key(c.second)))


def find_copies(passages: Sequence[Passage], threshold: float = THRESHOLD) -> list[CopyPair]:
    """Pairs of passages of different projects sharing their text (MinHash + LSH, then exact
    Jaccard ≥ ``threshold``), most similar first."""
    prep = _prepare(passages)
    if len(prep.passages) < 2:
        return []
    sigs = np.stack([signature(h) for h in prep.hashes])
    candidates: set[tuple[int, int]] = set()
    with np.errstate(over="ignore"):
        for band in range(BANDS):
            block = sigs[:, band * ROWS:(band + 1) * ROWS]
            keys = np.zeros(len(block), dtype=np.uint64)
            for col in range(ROWS):  # one 64-bit key per band (values are 32-bit: exact for ROWS ≤ 2, hashed beyond)
                keys = keys * np.uint64(0x9E3779B97F4A7C15) + block[:, col]
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            ends = np.r_[starts[1:], len(ordered)]
            for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
                members = sorted(order[start:end].tolist())
                for x in range(len(members)):
                    for y in range(x + 1, len(members)):
                        candidates.add((members[x], members[y]))
    found = (_verify(prep, i, j, threshold) for i, j in sorted(candidates))
    return _sorted([pair for pair in found if pair is not None])


def naive_copies(passages: Sequence[Passage], threshold: float = THRESHOLD) -> list[CopyPair]:
    """The same pairs by comparing every pair of passages (the baseline of the benchmark)."""
    prep = _prepare(passages)
    n = len(prep.passages)
    found = (_verify(prep, i, j, threshold) for i in range(n) for j in range(i + 1, n))
    return _sorted([pair for pair in found if pair is not None])


def shared_indicator_sets(projects: Iterable[tuple[str, str, str, Sequence[tuple[str, str, str]]]],
                          min_indicators: int = 3) -> list[IndicatorSet]:
    """Sets of (二级指标, 三级指标, 指标值) stated by projects of at least two different units
    (compared without spaces and punctuation, digits kept; shown as the first project wrote them).

    ``projects``: (unit, project id, project name, its indicators' (level2, name, target)).
    """
    groups: dict[tuple[tuple[str, str, str], ...], set[tuple[str, str, str]]] = defaultdict(set)
    shown: dict[tuple[tuple[str, str, str], ...], tuple[tuple[str, str, str], ...]] = {}
    for unit, project_id, name, indicators in projects:
        key = tuple(sorted({(_exact(l2), _exact(n), _exact(t)) for l2, n, t in indicators}))
        if len(key) >= min_indicators:
            groups[key].add((unit, project_id, name))
            shown[key] = min(shown.get(key, tuple(sorted(set(indicators)))), tuple(sorted(set(indicators))))
    result = [IndicatorSet(shown[key], tuple(sorted(members)))
              for key, members in groups.items() if len({unit for unit, _, _ in members}) >= 2]
    return sorted(result, key=lambda s: (-len(s.projects), s.projects))


#: Fields and their words (heuristic, a small explicit table): (field, words of the field that the
#: project's own text would name, beneficiary groups that a passage would name).
FIELDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("养老", ("养老", "老年", "敬老", "老龄", "高龄", "日间照料"), ("老年人", "受益老年人", "老人", "高龄老人")),
    ("教育", ("学校", "校舍", "中小学", "教育", "学生", "教师", "校园", "幼儿园"), ("学生", "师生", "学生家长", "教师")),
    ("民族", ("民族",), ("少数民族群众", "各族群众")),
    ("残疾人", ("残疾", "残联", "康复"), ("残疾人", "残疾人家庭")),
    ("退役军人", ("退役军人", "优抚", "拥军"), ("退役军人", "优抚对象", "军属")),
    ("儿童", ("儿童", "幼儿", "托育", "未成年"), ("儿童", "幼儿", "留守儿童")),
    ("医疗卫生", ("卫生", "健康", "医疗", "医院", "体检", "接种", "慢病", "疾控"), ("患者", "就诊群众", "接种对象")),
    ("农业农村", ("农村", "农业", "农户", "饮水", "乡村", "种植", "养殖", "村"), ("农户", "农民", "村民", "种植户", "养殖户")),
    ("就业", ("就业", "创业", "培训", "人社"), ("求职者", "就业困难人员", "参训学员")),
)


_BENEFICIARIES = re.compile("|".join(sorted({re.escape(w) for _, _, ws in FIELDS for w in ws}, key=len, reverse=True)))


def foreign_nouns(own_text: str, passages: Iterable[Passage]) -> list[ForeignNoun]:
    """Passages naming a field's beneficiaries although ``own_text`` (the project's name, content
    and goal) names no word of that field: text likely copied from another project (heuristic)."""
    own = unicodedata.normalize("NFKC", own_text)
    foreign = [(name, beneficiaries) for name, words, beneficiaries in FIELDS
               if not any(w in own for w in words + beneficiaries)]
    found = []
    for passage in passages if foreign else ():
        text = unicodedata.normalize("NFKC", passage.text)
        if not _BENEFICIARIES.search(text):
            continue
        for field_name, beneficiaries in foreign:
            named = tuple(w for w in beneficiaries if w in text)
            named = tuple(w for w in named if not any(w != o and w in o for o in named))  # 老人 inside 高龄老人
            if named:
                found.append(ForeignNoun(passage, field_name, named))
    return found


__all__ = [
    "BANDS", "FIELDS", "MIN_CHARS", "PERMUTATIONS", "ROWS", "SHINGLE", "THRESHOLD", "CopyPair", "ForeignNoun",
    "IndicatorSet", "Passage", "find_copies", "foreign_nouns", "naive_copies", "normalise", "shared_indicator_sets",
    "shingle_hashes", "signature",
]
