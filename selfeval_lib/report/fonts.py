"""Simplified Chinese font discovery and matplotlib configuration; :class:`~selfeval_lib.errors.FontsNotFound`
(with the install hint) when none is installed."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from selfeval_lib.errors import FontsNotFound
from selfeval_lib.report.typography import FACES, HEI

SANS_SC = "Noto Sans CJK SC"
SERIF_SC = "Noto Serif CJK SC"
#: Every Simplified Chinese family the report's faces name (:mod:`.typography`: 小标宋/宋, 仿宋, 黑,
#: 楷), in the order of the faces' stacks: what Windows and WPS install (宋体/SimSun, 仿宋, 黑体,
#: 楷体, Microsoft YaHei), macOS (Songti SC, STFangsong, PingFang SC, STKaiti), and the free faces
#: (Noto CJK SC, Source Han, AR PL, WenQuanYi). Charts prefer the 黑体 stack (sans-serif).
CJK_FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(
    family for face in (HEI, *FACES.values()) for family in face.stack))
#: Former name of :data:`CJK_FAMILIES`.
SC_FAMILIES = CJK_FAMILIES
_SANS_FALLBACKS = ("DejaVu Sans",)

INSTALL_HINT = (
    "未找到简体中文字体，报告中的中文无法显示，因此没有生成报告。"
    "报告使用宋体、仿宋、黑体、楷体（找到其中任意一种即可，缺少的由已有字体代替）："
    "Windows 自带宋体、仿宋、黑体、楷体、微软雅黑；macOS 自带宋体-简、华文仿宋、苹方、华文楷体；"
    "Debian/Ubuntu 请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）；"
    "其他系统请安装思源宋体/思源黑体（Noto Serif SC / Noto Sans SC）。\n"
    "No Simplified Chinese font found (SimSun, FangSong, SimHei, KaiTi, Microsoft YaHei, Songti SC, "
    "PingFang SC, Noto Sans/Serif CJK SC, Source Han …). Install the Debian package `fonts-noto-cjk` "
    "(macOS: `brew install --cask font-noto-sans-cjk-sc font-noto-serif-cjk-sc`; "
    "elsewhere: Noto Sans SC / Noto Serif SC from Google Fonts)."
)


def fonts_not_found(detail: str = "") -> FontsNotFound:
    """The error for a missing Simplified Chinese font: :data:`INSTALL_HINT`, then ``detail``."""
    return FontsNotFound(INSTALL_HINT + (f"\n{detail}" if detail else ""))


@dataclass(frozen=True, order=True)
class CJKFont:
    """One font face; ``index`` is the face number inside a .ttc collection; ``family`` the name
    it is known by in :data:`CJK_FAMILIES` (a face named 宋体 and SimSun is listed once, by its
    preferred name)."""

    family: str
    style: str
    path: str
    index: int = 0


def parse_fc_list(output: str, families: tuple[str, ...] = CJK_FAMILIES) -> list[CJKFont]:
    """Parse ``fc-list -f '%{file}\\t%{index}\\t%{family}\\t%{style}\\n'`` output: one entry per
    face and wanted family (fontconfig lists a face's localised names together: ``宋体,SimSun``)."""
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


def fonts_by_role(fonts: list[CJKFont]) -> dict[str, str | None]:
    """Each face of :data:`~selfeval_lib.report.typography.FACES` (``song``, ``fangsong``, ``hei``,
    ``kai`` …) with the first family of its stack among ``fonts``, or ``None`` (the renderer then
    falls back to another installed Chinese face)."""
    have = {f.family for f in fonts}
    return {key: next((family for family in face.stack if family in have), None) for key, face in FACES.items()}


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


def find_cjk_fonts(families: tuple[str, ...] = CJK_FAMILIES) -> list[CJKFont]:
    """Installed Simplified Chinese font faces of the report's faces, preferred family first.

    Uses ``fc-list`` (fontconfig, the same lookup WeasyPrint/pango uses) and
    falls back to scanning font files with matplotlib. Returns ``[]`` if none.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return _fonts_from_matplotlib(families)
    out = subprocess.run(
        [fc_list, "-f", r"%{file}\t%{index}\t%{family}\t%{style}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_fc_list(out, families)


def require_cjk_fonts(families: tuple[str, ...] = CJK_FAMILIES) -> list[CJKFont]:
    """Like :func:`find_cjk_fonts` but raise :class:`FontsNotFound` if empty."""
    fonts = find_cjk_fonts(families)
    if not fonts:
        raise fonts_not_found()
    return fonts


def configure_matplotlib() -> str:
    """Make matplotlib draw Simplified Chinese; return the family it will use.

    Sets ``font.family``/``font.sans-serif`` (the installed faces, 黑体's stack first) and
    ``axes.unicode_minus=False``. If matplotlib's font cache predates the font
    installation, the font files are added to the live font manager and the
    cache is rewritten so later processes see them too.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    fonts = require_cjk_fonts()
    manager = font_manager.fontManager

    def names() -> list[str]:
        """matplotlib's names of the faces found, in their order of preference (by file and face
        number: matplotlib may name a face 宋体 knows as SimSun)."""
        by_face = {(entry.fname, getattr(entry, "index", 0)): entry.name for entry in manager.ttflist}
        return list(dict.fromkeys(by_face[(f.path, f.index)] for f in fonts if (f.path, f.index) in by_face))

    usable = names()
    if not usable:  # stale cache
        for path in sorted({f.path for f in fonts}):
            manager.addfont(path)
        _save_font_cache(manager)
        usable = names()
    if not usable:
        # matplotlib < 3.11 only reads the first face of a .ttc (the JP one).
        raise fonts_not_found(
            f"matplotlib {mpl.__version__} cannot load {fonts[0].family!r} from "
            f"{fonts[0].path} (face {fonts[0].index}); matplotlib>=3.11 is required "
            "for .ttc font collections."
        )
    sans = usable
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
