"""Report HTML -> PDF via WeasyPrint (pango/fontconfig), offline."""

from __future__ import annotations

from functools import lru_cache

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

#: A page that makes WeasyPrint load the report's Chinese fonts (sans and serif, regular and bold).
WARM_UP_PAGE = ('<html lang="zh-CN"><body><p style="font-family: \'Noto Sans CJK SC\', sans-serif">绩效自评 <b>报告</b></p>'
                '<p style="font-family: \'Noto Serif CJK SC\', serif">绩效自评</p></body></html>')
#: Only inline (data:) resources: the report embeds everything; never the network or local files.
OFFLINE_PROTOCOLS = frozenset({"data"})


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """Shared font configuration: fontconfig setup is the costly part of a call."""
    return FontConfiguration()


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """Render report HTML to A4 PDF bytes.

    Only ``data:`` URLs are fetched: network and local files are refused. The output is deterministic: WeasyPrint writes no
    creation/modification date unless the HTML has ``dcterms.created``/
    ``dcterms.modified`` meta tags, and no file identifier is written. Other ``<meta name=…>``
    tags (the report's provenance) go into the PDF's info dictionary. Needs
    HarfBuzz-subset (Debian ``libharfbuzz-subset0``): WeasyPrint's fontTools
    fallback takes ~13 s per CJK document and stamps the current time into fonts.
    """
    fetcher = URLFetcher(allowed_protocols=OFFLINE_PROTOCOLS)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=_font_config(), pdf_identifier=False, custom_metadata=True)
    assert pdf is not None  # no target given -> bytes
    return pdf


def warm_up_fonts() -> None:
    """Load WeasyPrint and the report's fonts ahead of the first report (:data:`WARM_UP_PAGE`)."""
    html_to_pdf(WARM_UP_PAGE)
