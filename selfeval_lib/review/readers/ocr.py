"""Read the 自评表 in a scan: an image file (PNG, JPEG, TIFF …) or a scanned PDF page, by OCR.

Needs the optional extra ``selfeval[ocr]`` (rapidocr-onnxruntime, which brings OpenCV and its
models in the wheel: nothing is downloaded at run time). The page is straightened (the skew of
its long horizontal rules), the table rules are found by morphology (long thin runs of dark
pixels; a rule counts only where it meets two rules across it, so a "——" in a cell is not one),
the cells are the regions the rules enclose (a region spanning several columns or rows is a merged
cell), and the OCR text boxes are placed into them by :mod:`.page_grid`. A cell with ink but no
text box (a lone "≥") is recognised on its own. Every table read says it was read by OCR, and
lists the cells read with low confidence.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import read_input, shown
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.review.readers.base import TableRead
from selfeval_lib.review.readers.page_grid import (
    Block,
    Box,
    Word,
    page_blocks,
    read_blocks,
)

#: Resolution a scanned PDF page is rendered at.
DPI = 200
MAX_IMAGE_BYTES = 30 * 1024 * 1024
#: Pixels of an image that are read (a decompression bomb is refused).
MAX_PIXELS = 60_000_000
_LOW_SCORE = 0.8
_OCR_HINT = "pip install 'selfeval[ocr]'"


@lru_cache(maxsize=1)
def engine() -> Any:
    """The OCR engine (loaded once). Raises :class:`ImportError` without ``selfeval[ocr]``."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def read_image(path: Path) -> list[TableRead]:
    """Every 自评表 in the image at ``path``. Raises :class:`InputError` for a file that is not
    an image, an image too large, no OCR extra, or no 自评表 found."""
    name = shown(path)
    raw = read_input(path, MAX_IMAGE_BYTES)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InputError([Problem(name, "", f"图像过大（{image.width}×{image.height} 像素），最多 {MAX_PIXELS} 像素")])
            image.load()
            page = image.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError([Problem(name, "", f"无法读取图像文件：文件损坏或不是图像（{type(exc).__name__}）")]) from None
    try:
        engine()
    except ImportError:
        raise InputError([Problem(name, "", f"文件第1页是扫描图像，需要 OCR：{_OCR_HINT}")]) from None
    return read_blocks(name, image_blocks(name, page, 1), 1)


# --- the page image --------------------------------------------------------------------------

def _binary(gray: Any) -> Any:
    import cv2

    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]


def _rules(binary: Any) -> tuple[Any, Any]:
    """Horizontal and vertical rule masks."""
    import cv2

    h, w = binary.shape
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, w // 40), 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, h // 70))))
    return horizontal, vertical


def _skew(horizontal: Any) -> float:
    """The page's skew in degrees, from its long horizontal rules (0 if none)."""
    import cv2
    import numpy as np

    count, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(horizontal, np.ones((3, 3), np.uint8)))
    angles = []
    w = horizontal.shape[1]
    for k in range(1, count):
        if stats[k, cv2.CC_STAT_WIDTH] < w / 4:
            continue
        ys, xs = np.nonzero(labels == k)
        if len(xs) > 50:
            slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
            angles.append(float(np.degrees(np.arctan(slope))))
    return float(np.median(angles)) if angles else 0.0


def _straighten(gray: Any) -> Any:
    import cv2

    angle = _skew(_rules(_binary(gray))[0])
    if abs(angle) < 0.05 or abs(angle) > 10:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def _despeckle(gray: Any) -> Any:
    """``gray`` without isolated specks of scanning noise (dark blobs of at most 4 pixels)."""
    import cv2
    import numpy as np

    _, labels, stats, _ = cv2.connectedComponentsWithStats(_binary(gray), connectivity=8)
    small = np.nonzero(stats[:, cv2.CC_STAT_AREA] <= 4)[0]
    small = small[small > 0]
    if not len(small):
        return gray
    clean = gray.copy()
    clean[np.isin(labels, small)] = 255
    return clean


def _crossed(mask: Any, across: Any) -> Any:
    """The components of ``mask`` that meet at least two components of ``across``."""
    import cv2
    import numpy as np

    kernel = np.ones((5, 5), np.uint8)
    count, labels = cv2.connectedComponents(cv2.dilate(mask, kernel))
    joints = cv2.bitwise_and(cv2.dilate(mask, kernel), cv2.dilate(across, kernel))
    _, _, _, centres = cv2.connectedComponentsWithStats(joints)
    hits = np.zeros(count, int)
    for x, y in centres[1:]:
        hits[labels[int(y), int(x)]] += 1
    keep = np.isin(labels, np.nonzero(hits >= 2)[0]) & (labels > 0)
    return np.where(keep & (mask > 0), 255, 0).astype(np.uint8)


def table_cells(gray: Any) -> list[list[Box]]:
    """The cell boxes of each ruled table on a (straight) page image, in pixels."""
    import cv2
    import numpy as np

    horizontal, vertical = _rules(_binary(gray))
    horizontal, vertical = _crossed(horizontal, vertical), _crossed(vertical, horizontal)
    lines = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    _, table_labels, table_stats, _ = cv2.connectedComponentsWithStats(lines)
    count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(lines), connectivity=4)
    h, w = gray.shape
    tables: dict[int, list[Box]] = {}
    for k in range(1, count):
        x, y, cw, ch = (int(v) for v in stats[k, :4])
        if x == 0 or y == 0 or x + cw >= w or y + ch >= h or cw < 6 or ch < 6:
            continue
        # the table is the rule component just left of the cell
        probe = table_labels[y + ch // 2, max(x - 2, 0)]
        if probe == 0:
            continue
        tables.setdefault(int(probe), []).append((x - 1.0, y - 1.0, x + cw + 1.0, y + ch + 1.0))
    return [cells for _, cells in sorted(tables.items(), key=lambda kv: table_stats[kv[0], 1]) if len(cells) >= 4]


def _sign(ink: Any) -> str | None:
    """A lone comparison sign told by its strokes (≥ ≤ = > <), or None: "=" is two flat bars; ">"
    a chevron whose tip (its middle rows' ink) lies right of its ends, "<" left; "≥"/"≤" a
    chevron over a bar (flat, or slanted as in ⩾)."""
    import cv2
    import numpy as np

    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    parts = sorted((k for k in range(1, count) if stats[k, cv2.CC_STAT_AREA] > 3), key=lambda k: stats[k, 1])
    flat = [stats[k, 3] * 3 <= stats[k, 2] for k in parts]
    if len(parts) == 2 and all(flat):
        return "="
    if not parts or len(parts) > 2 or flat[0]:
        return None
    x, y, w, h = (int(v) for v in stats[parts[0], :4])
    if len(parts) == 2 and not (stats[parts[1], 1] >= y + h / 2 and stats[parts[1], 3] <= 0.6 * h):
        return None  # the lower part is not a bar (flat, or slanted as in ⩾) under the chevron
    if h < 6 or w < 4 or h > 3 * w or w > 3 * h:
        return None
    chevron = labels[y:y + h, x:x + w] == parts[0]
    middle = np.nonzero(chevron[h // 3: h - h // 3].any(axis=0))[0]
    edges = np.nonzero(chevron[:max(1, h // 6)].any(axis=0))[0]
    if not len(middle) or not len(edges):
        return None
    right = middle.mean() > edges.mean()
    if len(parts) == 1:
        return ">" if right else "<"
    return "≥" if right else "≤"


def _recognise_blank_cells(image: Any, binary: Any, cells: list[Box], words: list[Word]) -> list[Word]:
    """Text boxes for cells that hold ink but no detected text: a lone "≥" or "%" recognised on
    its own, a flat stroke read as the "——" of a blank cell. ``image`` is the grey page."""
    import cv2
    import numpy as np

    held = set()
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        for i, (x0, y0, x1, y1) in enumerate(cells):
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                held.add(i)
                break
    found = []
    for i, (x0, y0, x1, y1) in enumerate(cells):
        if i in held:
            continue
        a, b, c, d = int(y0) + 4, int(y1) - 4, int(x0) + 4, int(x1) - 4
        if b - a < 6 or d - c < 6:
            continue
        ink = np.nonzero(binary[a:b, c:d])
        if len(ink[0]) < 12:
            continue
        top, bottom = a + int(ink[0].min()), a + int(ink[0].max()) + 1
        left, right = c + int(ink[1].min()), c + int(ink[1].max()) + 1
        if bottom - top <= max(4, (right - left) // 6):  # a flat stroke: the "——" of a blank cell
            found.append(Word(left, top, right, bottom, "——", 1.0))
            continue
        crop = cv2.resize(image[top - 1:bottom + 1, left - 1:right + 1], None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
        crop = cv2.copyMakeBorder(crop, 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255)
        result, _ = engine()(np.stack([crop] * 3, axis=-1), use_det=False, use_cls=False)
        text, score = (str(result[0][0]).strip(), float(result[0][1])) if result and result[0] else ("", 0.0)
        sign = _sign(binary[top:bottom, left:right]) if len(text) <= 1 and (not text or text in _SIGN_LIKE) else None
        if sign:
            text, score = sign, 1.0
        if text:
            found.append(Word(left, top, right, bottom, text, score))
    return found


#: OCR confusions in table cells: a "二" before a number is "="; stray dots after "%" or a
#: Chinese character at the end of a box are scanning noise; a box of nothing but dashes read as
#: 一 ("一一", "—一": the "——" of an empty cell) is that dash, never the number 11 or 1.
_FIXES = ((re.compile(r"^二(?=\d)"), "="), (re.compile(r"(?<=[%％\u4e00-\u9fff])[.·]+$"), ""),
          (re.compile(r"^[一—–\-－_]{1,4}$"), "——"))
#: What OCR makes of a lone comparison sign (Chinese fonts print ≥ as a slanted ⩾).
_SIGN_LIKE = set("><≥≤=二VvＶ∨√＞＜ㄑく")


def _fixed(text: str) -> str:
    for pattern, repl in _FIXES:
        text = pattern.sub(repl, text)
    return text


def image_blocks(name: str, image: Any, page: int) -> list[Block]:
    """The tables on one scanned page (a PIL image), read by OCR."""
    import numpy as np

    gray = _despeckle(_straighten(np.asarray(image.convert("L"))))
    tables = table_cells(gray)
    if not tables:
        return []
    rgb = np.stack([gray] * 3, axis=-1)
    result, _ = engine()(rgb, use_cls=False)
    words = []
    for box, text, score in result or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        words.append(Word(min(xs), min(ys), max(xs), max(ys), str(text), float(score)))
    binary = _binary(gray)
    for i, w in enumerate(words):  # a lone sign found by the detector: told by its strokes too
        if len(w.text.strip()) == 1 and w.text.strip() in _SIGN_LIKE:
            box = binary[max(int(w.top) - 1, 0):int(w.bottom) + 2, max(int(w.x0) - 1, 0):int(w.x1) + 2]
            sign = _sign(box)
            if sign:
                words[i] = Word(w.x0, w.top, w.x1, w.bottom, sign, 1.0)
    for cells in tables:
        words += _recognise_blank_cells(gray, binary, cells, words)
    fixed = [Word(w.x0, w.top, w.x1, w.bottom, _fixed(w.text), w.score) for w in words]
    changed = sorted({f"“{a.text}”→“{b.text}”" for a, b in zip(words, fixed) if a.text != b.text})
    words = fixed
    tol = max(4.0, gray.shape[1] * 0.006)
    blocks = page_blocks(page, tables, words, tol=tol, height=float(gray.shape[0]))
    for b in blocks:
        b.notes.insert(0, f"第{page}页为扫描件，经 OCR 识别，请核对原件。")
        if changed:
            b.notes.insert(1, f"第{page}页 OCR 文字按表格常见符号更正：" + "、".join(changed[:10]) + "。")
    return blocks
