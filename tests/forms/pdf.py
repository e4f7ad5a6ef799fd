"""A grid (:mod:`forms.grid`) printed as a text PDF (WeasyPrint), as a scanned PDF (the text PDF
rasterised with pypdfium2, slightly rotated and noisy, saved image-only with Pillow) and as a PNG.

- :func:`text_pdf` — one table on a page (``ruled=False``: printed without rules);
- ``long=True`` — the table continues over 2–3 pages (A5, large type): the rows above the
  indicator header are one table, the indicator header (two rows) and the indicator rows another
  with the same columns, the header in ``<thead>`` so it is repeated at the top of every page,
  and "第 N 页" printed at the foot of each page;
- several grids → one PDF, each table on its own page (a unit's whole 公开 document).
"""

from __future__ import annotations

import html
import io
import random
from pathlib import Path

from forms.grid import Grid, Span, placed, shape, to_html
from selfeval_lib.render.pdf import html_to_pdf

_RULED = "td{border:0.6pt solid #000}"
_CSS = ("@page{size:A4;margin:15mm;@bottom-center{content:'第 ' counter(page) ' 页'}}"
        "body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;font-size:9pt}"
        "table{border-collapse:collapse;width:100%}td{padding:2pt 3pt;vertical-align:middle}"
        "thead{display:table-header-group}tr{page-break-inside:avoid}")
_LONG_CSS = ("@page{size:A5;margin:12mm;@bottom-center{content:'第 ' counter(page) ' 页'}}"
             "body{font-size:10pt}td{padding:7pt 3pt;vertical-align:top}table{table-layout:fixed}")


def _header_row(grid: Grid) -> int:
    """The grid row holding "三级指标" (the indicator header)."""
    return min(s.row for s in placed(grid) if "三级指标" in s.text)


def _td(s: Span, rowspan: int | None = None) -> str:
    rs = s.rowspan if rowspan is None else rowspan
    attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{s.colspan}"' if s.colspan > 1 else "")
    return f"<td{attrs}>{html.escape(s.text).replace(chr(10), '<br>')}</td>"


def _rows(spans: list[Span], first: int, last: int) -> list[str]:
    """<tr> for grid rows ``first`` … ``last - 1``; a cell that starts above ``first`` and reaches
    into the range is printed again, blank, over the rows it covers there (a row group cannot take
    a rowspan from another)."""
    out = []
    for r in range(first, last):
        cells = []
        for s in sorted(spans, key=lambda s: s.col):
            if s.row == r:
                cells.append(_td(s, min(s.rowspan, last - r)))
            elif r == first and s.row < first < s.row + s.rowspan:
                cells.append(_td(Span(r, s.col, "", 1, s.colspan), min(s.row + s.rowspan, last) - r))
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def _long_html(grid: Grid) -> str:
    spans = placed(grid)
    rows, cols = shape(grid)
    head = _header_row(grid)
    colgroup = "<colgroup>" + f'<col style="width:{100 / cols:.4f}%">' * cols + "</colgroup>"
    top = "".join(_rows(spans, 0, head))
    thead = "".join(_rows(spans, head, head + 2))
    body = "".join(_rows(spans, head + 2, rows))
    title = f'<h3 style="text-align:center">{html.escape(grid.title)}</h3>' if grid.title else ""
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in grid.notes)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{_CSS}{_RULED}{_LONG_CSS}</style></head><body>"
            f"{title}<table>{colgroup}{top}</table>"
            f"<table>{colgroup}<thead>{thead}</thead><tbody>{body}</tbody></table>{notes}</body></html>")


def page_html(grid: Grid, *, ruled: bool = True, long: bool = False, valign: str = "middle") -> str:
    """The HTML WeasyPrint prints for ``grid`` (``valign``: the cells' vertical alignment)."""
    if long:
        return _long_html(grid)
    page = to_html(grid)
    style = f"<style>{_CSS}{_RULED if ruled else ''}td{{vertical-align:{valign}}}</style>"
    return page.replace("</head>", style + "</head>", 1)


def text_pdf(grids: Grid | list[Grid], path: Path, *, ruled: bool = True, long: bool = False,
             valign: str = "middle") -> Path:
    """``grids`` printed as a text PDF at ``path`` (several grids: each on a new page)."""
    grids = grids if isinstance(grids, list) else [grids]
    pages = [page_html(g, ruled=ruled, long=long, valign=valign) for g in grids]
    if len(pages) == 1:
        document = pages[0]
    else:
        bodies = [p.split("<body>", 1)[1].rsplit("</body>", 1)[0] for p in pages]
        head = pages[0].split("<body>", 1)[0]
        document = head + "<body>" + '<div style="page-break-before:always"></div>'.join(bodies) + "</body></html>"
    path.write_bytes(html_to_pdf(document))
    return path


def _scan_images(pdf: Path, dpi: int, angle: float, noise: float, seed: int) -> list:
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    images = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(document)):
            image = document[i].render(scale=dpi / 72).to_pil().convert("L")
            if angle:
                image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            if noise:
                pixels = image.load()
                w, h = image.size
                for _ in range(int(w * h * noise)):
                    x, y = rng.randrange(w), rng.randrange(h)
                    pixels[x, y] = rng.choice((0, 90, 170))
            images.append(image)
    finally:
        document.close()
    return images


def scanned_pdf(pdf: Path, path: Path, *, dpi: int = 170, angle: float = 0.4, noise: float = 0.0005,
                seed: int = 1) -> Path:
    """The pages of ``pdf`` as an image-only PDF at ``path`` (no text layer)."""
    images = _scan_images(pdf, dpi, angle, noise, seed)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    path.write_bytes(buffer.getvalue())
    return path


def png(pdf: Path, path: Path, *, dpi: int = 170, angle: float = -0.3, noise: float = 0.0005) -> Path:
    """The first page of ``pdf`` as a PNG image at ``path``."""
    _scan_images(pdf, dpi, angle, noise, 2)[0].save(path, "PNG")
    return path
