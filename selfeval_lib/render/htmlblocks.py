"""The narrative's HTML fragments as plain blocks of styled text, for the Office writers.

:func:`selfeval_lib.render.narrative.render_narrative` gives small, regular HTML (h1–h3, p, ol/ul/li,
strong/b, em/i, br). :func:`html_blocks` reads it with the standard library's parser into
:class:`Block` objects (a kind, runs of text with bold/italic flags, the list number of an
``<li>``), which the Word writer turns into paragraphs and the workbook writer into cell text.
Unknown tags are ignored but their text is kept; entities are decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Tags that start a block, and the block kind they give.
_BLOCK_TAGS = {"h1": "h1", "h2": "h2", "h3": "h3", "h4": "h3", "p": "p", "li": "li", "div": "p"}
_BOLD = {"strong", "b"}
_ITALIC = {"em", "i"}


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Block:
    """One paragraph-like element: ``kind`` is h1/h2/h3/p/li; ``number`` is the 1-based position
    of an ``<li>`` in an ``<ol>`` (None in a ``<ul>``); ``classes`` are the element's classes."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    number: int | None = None
    classes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._current: Block | None = None
        self._bold = 0
        self._italic = 0
        self._lists: list[list[int | None]] = []  # per open list: [counter] (None for <ul>)

    def _open(self, kind: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close()
        classes = tuple((dict(attrs).get("class") or "").split())
        number = None
        if kind == "li" and self._lists and self._lists[-1][0] is not None:
            self._lists[-1][0] += 1  # type: ignore[operator]
            number = self._lists[-1][0]
        self._current = Block(kind, number=number, classes=classes)

    def _close(self) -> None:
        if self._current is not None:
            runs = _strip_runs(self._current.runs)
            if runs:
                self._current.runs = runs
                self.blocks.append(self._current)
        self._current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._open(_BLOCK_TAGS[tag], attrs)
        elif tag == "ol":
            self._close()
            self._lists.append([0])
        elif tag == "ul":
            self._close()
            self._lists.append([None])
        elif tag in _BOLD:
            self._bold += 1
        elif tag in _ITALIC:
            self._italic += 1
        elif tag == "br":
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._close()
        elif tag in ("ol", "ul"):
            self._close()
            if self._lists:
                self._lists.pop()
        elif tag in _BOLD:
            self._bold = max(0, self._bold - 1)
        elif tag in _ITALIC:
            self._italic = max(0, self._italic - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._text("\n")

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        if self._current is None:
            if not data.strip():
                return
            self._current = Block("p")
        if data != "\n":
            data = " ".join(data.split("\n"))  # source line breaks are not text line breaks
        runs = self._current.runs
        style = (self._bold > 0, self._italic > 0)
        if runs and (runs[-1].bold, runs[-1].italic) == style:
            runs[-1] = Run(runs[-1].text + data, *style)
        else:
            runs.append(Run(data, *style))

    def close(self) -> None:
        super().close()
        self._close()


def _strip_runs(runs: list[Run]) -> list[Run]:
    """Drop leading/trailing whitespace of a block and collapse the template's indentation."""
    out = [Run(_squash(r.text), r.bold, r.italic) for r in runs]
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if not out:
        return []
    out[0] = Run(out[0].text.lstrip(" "), out[0].bold, out[0].italic)
    out[-1] = Run(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic)
    return [r for r in out if r.text]


def _squash(text: str) -> str:
    """Runs of spaces → one space; spaces around a line break removed."""
    lines = [_single_spaces(line) for line in text.split("\n")]
    if len(lines) > 1:
        lines = [line.strip(" ") for line in lines]
    return "\n".join(lines)


def _single_spaces(line: str) -> str:
    while "  " in line:
        line = line.replace("  ", " ")
    return line


def display_len(text: str) -> int:
    """Width of a text in half-width units, as the Office writers lay it out: CJK and
    full-width characters count 2."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def html_blocks(fragment: str) -> list[Block]:
    """The blocks of one HTML fragment, in order."""
    parser = _Parser()
    parser.feed(fragment)
    parser.close()
    return parser.blocks


def plain_text(fragment: str, *, headings: bool = False) -> str:
    """The fragment as one line of text: list items numbered "1. …", blocks joined without a
    separator (Chinese sentences end with their own punctuation); headings dropped unless asked."""
    parts = []
    for block in html_blocks(fragment):
        if block.kind.startswith("h") and not headings:
            continue
        text = block.text.replace("\n", "")
        parts.append(f"{block.number}. {text}" if block.number is not None else text)
    return " ".join(parts) if any(b.kind == "li" for b in html_blocks(fragment)) else "".join(parts)


__all__ = ["Block", "Run", "display_len", "html_blocks", "plain_text"]
