"""CJK font discovery and matplotlib configuration (fonts-noto-cjk must be installed)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from selfeval_lib.errors import FontsNotFound, SelfevalError
from selfeval_lib.report import fonts

REPO = Path(__file__).resolve().parent.parent
TITLE = "预算执行情况（万元）直骨说 −5"

FC_SAMPLE = (
    "/f/NotoSansCJK-Regular.ttc\t0\tNoto Sans CJK JP\tRegular\n"
    "/f/NotoSansCJK-Regular.ttc\t2\tNoto Sans CJK SC\tRegular\n"
    "/f/NotoSerifCJK-Bold.ttc\t2\tNoto Serif CJK SC,Noto Serif CJK SC Bold\tBold,粗体\n"
    "/f/NotoSansSC.otf\t0\tNoto Sans SC\tRegular\n"
    "garbage line\n"
)


def _render(title: str) -> list[str]:
    """Draw a chart with a Chinese title; return matplotlib's warnings."""
    fig = Figure(figsize=(3, 2), dpi=60)
    ax = fig.add_subplot()
    ax.bar(["设备购置", "运维服务"], [-1.5, 2.0])
    ax.set_title(title)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FigureCanvasAgg(fig).print_png(io.BytesIO())
    return [str(w.message) for w in caught]


def test_parse_fc_list_orders_by_preference() -> None:
    found = fonts.parse_fc_list(FC_SAMPLE)
    assert [(f.family, f.style, f.index) for f in found] == [
        ("Noto Sans CJK SC", "Regular", 2),
        ("Noto Serif CJK SC", "Bold", 2),
        ("Noto Sans SC", "Regular", 0),
    ]
    assert fonts.parse_fc_list("") == []


def test_noto_sc_fonts_installed() -> None:
    found = fonts.find_cjk_fonts()
    families = {f.family for f in found}
    assert {fonts.SANS_SC, fonts.SERIF_SC} <= families, fonts.INSTALL_HINT
    assert found[0].family == fonts.SANS_SC
    assert all(Path(f.path).is_file() for f in found)


def test_fallback_without_fontconfig_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = fonts.find_cjk_fonts()
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.find_cjk_fonts() == expected


def test_missing_fonts_raise_helpful_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "find_cjk_fonts", lambda families=fonts.SC_FAMILIES: [])
    with pytest.raises(FontsNotFound) as excinfo:
        fonts.configure_matplotlib()
    assert isinstance(excinfo.value, SelfevalError)  # the command line prints it, no traceback
    message = str(excinfo.value)
    assert message == fonts.INSTALL_HINT
    for needle in ("fonts-noto-cjk", "未找到简体中文字体", "No Simplified Chinese font",
                   "brew install --cask font-noto-sans-cjk-sc", "Google Fonts"):
        assert needle in message


def test_unloadable_font_names_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    """A font fontconfig lists but matplotlib cannot load: the hint, then why."""
    ghost = fonts.CJKFont("Ghost Sans SC", "Regular", "/nowhere/ghost.ttc", 2)
    monkeypatch.setattr(fonts, "find_cjk_fonts", lambda families=fonts.SC_FAMILIES: [ghost])
    monkeypatch.setattr(fonts, "_save_font_cache", lambda manager: None)
    monkeypatch.setattr(font_manager.fontManager, "addfont", lambda path: None)
    with pytest.raises(FontsNotFound) as excinfo:
        fonts.configure_matplotlib()
    message = str(excinfo.value)
    assert message.startswith(fonts.INSTALL_HINT + "\n")
    assert "'Ghost Sans SC'" in message and "/nowhere/ghost.ttc (face 2)" in message


def test_without_configuration_glyphs_are_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Control: proves _render() detects tofu.
    monkeypatch.setitem(matplotlib.rcParams, "font.family", ["sans-serif"])
    monkeypatch.setitem(matplotlib.rcParams, "font.sans-serif", ["DejaVu Sans"])
    assert any("missing from" in w for w in _render(TITLE))


def test_configure_matplotlib_draws_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("font.family", "font.sans-serif", "axes.unicode_minus"):
        monkeypatch.setitem(matplotlib.rcParams, key, matplotlib.rcParams[key])
    family = fonts.configure_matplotlib()
    assert family == fonts.SANS_SC
    assert matplotlib.rcParams["font.sans-serif"][0] == fonts.SANS_SC
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert [w for w in _render(TITLE) if "Glyph" in w or "missing" in w] == []
    # The SC face of the .ttc collection, not the JP one at index 0.
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert font_manager.get_font(path).family_name == fonts.SANS_SC


def test_stale_matplotlib_cache_is_repaired(tmp_path: Path) -> None:
    """A font cache written before fonts-noto-cjk was installed must not break charts."""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path), "MPLBACKEND": "Agg",
           "PYTHONPATH": str(REPO)}

    def run(code: str) -> str:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                              capture_output=True, text=True, check=True).stdout

    run("""
        from pathlib import Path
        import matplotlib
        from matplotlib import font_manager as fm
        fm.fontManager.ttflist = [e for e in fm.fontManager.ttflist if "CJK" not in e.name]
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{fm.FontManager.__version__}.json"
        fm.json_dump(fm.fontManager, cache)
    """)
    out = run("""
        import io, warnings
        from matplotlib import font_manager as fm
        import matplotlib.pyplot as plt
        print("stale" if not any("CJK" in e.name for e in fm.fontManager.ttflist) else "fresh")
        from selfeval_lib.report.fonts import configure_matplotlib
        print(configure_matplotlib())
        fig, ax = plt.subplots()
        ax.set_title("预算执行情况（万元）")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(io.BytesIO(), format="png")
        print("ok")
    """)
    assert out.splitlines() == ["stale", fonts.SANS_SC, "ok"]
    # The repaired cache is persisted for later processes (e.g. papermill kernels).
    out = run("""
        from matplotlib import font_manager as fm
        print(any(e.name == "Noto Sans CJK SC" for e in fm.fontManager.ttflist))
    """)
    assert out.split() == ["True"]
