"""Printed text as boxes (:class:`Word`: a PDF character or an OCR text box) put back into lines
and cells: no space is ever inserted between Chinese characters, a space only between Latin
letters or digits printed apart; a cell's text that wraps where its column ends is joined again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """A piece of printed text: a PDF character or an OCR text box; ``score`` is the OCR's
    confidence (1 for a PDF's text)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    score: float = 1.0

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 0.1)


# --- text ------------------------------------------------------------------------------------

def _ascii(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def lines_of(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (by their vertical centre), each line left to right."""
    lines: list[tuple[float, float, list[Word]]] = []  # (centre, size, words)
    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        centre = (w.top + w.bottom) / 2
        if lines and abs(centre - lines[-1][0]) <= 0.5 * max(lines[-1][1], w.size):
            c, s, members = lines[-1]
            members.append(w)
            lines[-1] = ((c * (len(members) - 1) + centre) / len(members), max(s, w.size), members)
        else:
            lines.append((centre, w.size, [w]))
    return [sorted(members, key=lambda w: w.x0) for _, _, members in lines]


def _join(left: str, right: str, gap: float, size: float, wide_gap: float) -> str:
    """``left`` + ``right``: a space only between Latin letters or digits printed apart (no space
    ever between Chinese characters), or for a gap wider than ``wide_gap`` × the type size."""
    if not left or not right:
        return left + right
    if gap > wide_gap * size or (gap > 0.25 * size and _ascii(left[-1]) and _ascii(right[0])):
        return left + " " + right
    return left + right


def line_text(words: Sequence[Word], wide_gap: float = 99.0) -> str:
    text = ""
    prev: Word | None = None
    for w in words:
        piece = w.text.strip()
        if not piece:
            continue
        text = piece if prev is None else _join(text, piece, w.x0 - prev.x1, min(w.size, prev.size), wide_gap)
        prev = w
    return text


def cell_text(words: Iterable[Word]) -> str:
    """A cell's text: its lines joined, a line break kept only as a space between Latin words
    (a cell's text wraps where the column ends)."""
    text = ""
    for line in lines_of(words):
        piece = line_text(line)
        if text and piece and _ascii(text[-1]) and _ascii(piece[0]):
            text += " "
        text += piece
    return text
