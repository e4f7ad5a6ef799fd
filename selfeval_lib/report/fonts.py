"""Simplified Chinese font discovery and matplotlib configuration; :class:`~selfeval_lib.errors.FontsNotFound`
(with the install hint) when none is installed."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from selfeval_lib.errors import FontsNotFound

SANS_SC = "Noto Sans CJK SC"
SERIF_SC = "Noto Serif CJK SC"
#: Accepted Simplified Chinese families, preferred first. Google Fonts ships
#: the same glyphs as "Noto Sans SC"; Adobe as "Source Han Sans SC".
SC_FAMILIES: tuple[str, ...] = (
    SANS_SC,
    SERIF_SC,
    "Noto Sans SC",
    "Noto Serif SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
)
_SANS_FALLBACKS = ("DejaVu Sans",)

INSTALL_HINT = (
    "未找到简体中文字体（Noto Sans CJK SC / Noto Serif CJK SC），"
    "报告中的中文将无法显示。请安装："
    "Debian/Ubuntu `apt-get install fonts-noto-cjk`；"
    "macOS `brew install --cask font-noto-sans-cjk-sc font-noto-serif-cjk-sc`；"
    "其他系统请从 Google Fonts 安装 Noto Sans SC / Noto Serif SC。\n"
    "No Simplified Chinese font (Noto Sans CJK SC / Noto Serif CJK SC) found. "
    "Install the Debian package `fonts-noto-cjk` "
    "(macOS: `brew install --cask font-noto-sans-cjk-sc font-noto-serif-cjk-sc`; "
    "elsewhere: Noto Sans SC / Noto Serif SC from Google Fonts)."
)


def fonts_not_found(detail: str = "") -> FontsNotFound:
    """The error for a missing Simplified Chinese font: :data:`INSTALL_HINT`, then ``detail``."""
    return FontsNotFound(INSTALL_HINT + (f"\n{detail}" if detail else ""))


@dataclass(frozen=True, order=True)
class CJKFont:
    """One font face; ``index`` is the face number inside a .ttc collection."""

    family: str
    style: str
    path: str
    index: int = 0


def parse_fc_list(output: str, families: tuple[str, ...] = SC_FAMILIES) -> list[CJKFont]:
    """Parse ``fc-list -f '%{file}\\t%{index}\\t%{family}\\t%{style}\\n'`` output."""
    wanted = set(families)
    found: set[CJKFont] = set()
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        path, index, family_list, style_list = parts
        style = style_list.split(",")[0]
        for family in family_list.split(","):
            if family in wanted:
                found.add(CJKFont(family, style, path, int(index or 0)))
    return _by_preference(found, families)


def _fonts_from_matplotlib(families: tuple[str, ...]) -> list[CJKFont]:
    """Fallback for systems without fontconfig: scan font files via matplotlib."""
    from matplotlib import font_manager, ft2font

    found: set[CJKFont] = set()
    for path in font_manager.findSystemFonts():
        try:
            face = ft2font.FT2Font(path)
            faces = [face] + [
                ft2font.FT2Font(path, face_index=i) for i in range(1, face.num_faces)
            ]
        except Exception:  # unreadable file, or matplotlib < 3.11 (no face_index)
            continue
        for i, face in enumerate(faces):
            if face.family_name in families:
                found.add(CJKFont(face.family_name, face.style_name, path, i))
    return _by_preference(found, families)


def _by_preference(fonts: set[CJKFont], families: tuple[str, ...]) -> list[CJKFont]:
    return sorted(fonts, key=lambda f: (families.index(f.family), f.style, f.path, f.index))


def find_cjk_fonts(families: tuple[str, ...] = SC_FAMILIES) -> list[CJKFont]:
    """Installed Simplified Chinese font faces, preferred family first.

    Uses ``fc-list`` (fontconfig, the same lookup WeasyPrint/pango uses) and
    falls back to scanning font files with matplotlib. Returns ``[]`` if none.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return _fonts_from_matplotlib(families)
    out = subprocess.run(
        [fc_list, "-f", r"%{file}\t%{index}\t%{family}\t%{style}\n", ":lang=zh-cn"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_fc_list(out, families)


def require_cjk_fonts(families: tuple[str, ...] = SC_FAMILIES) -> list[CJKFont]:
    """Like :func:`find_cjk_fonts` but raise :class:`FontsNotFound` if empty."""
    fonts = find_cjk_fonts(families)
    if not fonts:
        raise fonts_not_found()
    return fonts


def configure_matplotlib() -> str:
    """Make matplotlib draw Simplified Chinese; return the family it will use.

    Sets ``font.family``/``font.sans-serif`` (SC family first) and
    ``axes.unicode_minus=False``. If matplotlib's font cache predates the font
    installation, the font files are added to the live font manager and the
    cache is rewritten so later processes see them too.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    fonts = require_cjk_fonts()
    manager = font_manager.fontManager
    known = {entry.name for entry in manager.ttflist}
    if not any(f.family in known for f in fonts):  # stale cache
        for path in sorted({f.path for f in fonts}):
            manager.addfont(path)
        _save_font_cache(manager)
        known = {entry.name for entry in manager.ttflist}
    usable = [f.family for f in fonts if f.family in known]
    if not usable:
        # matplotlib < 3.11 only reads the first face of a .ttc (the JP one).
        raise fonts_not_found(
            f"matplotlib {mpl.__version__} cannot load {fonts[0].family!r} from "
            f"{fonts[0].path} (face {fonts[0].index}); matplotlib>=3.11 is required "
            "for .ttc font collections."
        )
    sans = list(dict.fromkeys(usable + [f for f in SC_FAMILIES if f in known]))
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = sans + [
        f for f in _SANS_FALLBACKS if f not in sans
    ]
    mpl.rcParams["axes.unicode_minus"] = False
    return sans[0]


def _save_font_cache(manager: object) -> None:
    """Persist matplotlib's font list (matplotlib itself tolerates a read-only dir)."""
    import matplotlib as mpl
    from matplotlib import font_manager

    version = font_manager.FontManager.__version__
    font_manager.json_dump(manager, Path(mpl.get_cachedir()) / f"fontlist-v{version}.json")
