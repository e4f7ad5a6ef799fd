"""CJK font discovery by role (宋/仿宋/黑/楷: the fonts of a Windows, macOS or Linux desktop) and
matplotlib configuration; a machine with none gets the message, never a crash. Desktops are
simulated with fonts built here from Noto CJK under the Windows and macOS family names."""

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

from conftest import ROOT

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
        ("Noto Sans SC", "Regular", 0),
        ("Noto Serif CJK SC", "Bold", 2),
    ]
    assert fonts.parse_fc_list("") == []


def test_noto_sc_fonts_installed() -> None:
    found = fonts.find_cjk_fonts()
    families = {f.family for f in found}
    assert {fonts.SANS_SC, fonts.SERIF_SC} <= families, fonts.INSTALL_HINT
    assert found[0].family == fonts.SANS_SC
    assert all(Path(f.path).is_file() for f in found)


@pytest.mark.integration
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


@pytest.mark.integration
def test_stale_matplotlib_cache_is_repaired(tmp_path: Path) -> None:
    """A font cache written before fonts-noto-cjk was installed must not break charts."""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path), "MPLBACKEND": "Agg",
           "PYTHONPATH": str(ROOT)}

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


WINDOWS_FC = (
    "C:/Windows/Fonts/simsun.ttc\t0\t宋体,SimSun\tRegular,常规\n"
    "C:/Windows/Fonts/simsun.ttc\t1\t新宋体,NSimSun\tRegular\n"
    "C:/Windows/Fonts/simfang.ttf\t0\t仿宋,FangSong\tRegular\n"
    "C:/Windows/Fonts/simhei.ttf\t0\t黑体,SimHei\tRegular\n"
    "C:/Windows/Fonts/simkai.ttf\t0\t楷体,KaiTi\tRegular\n"
    "C:/Windows/Fonts/msyh.ttc\t0\t微软雅黑,Microsoft YaHei\tRegular\n"
    "C:/Windows/Fonts/arial.ttf\t0\tArial\tRegular\n"
)
MACOS_FC = (
    "/System/Library/Fonts/Supplemental/Songti.ttc\t0\tSongti SC,宋体-简\tRegular\n"
    "/System/Library/Fonts/Supplemental/Songti.ttc\t1\tSongti TC,宋體-繁\tRegular\n"
    "/Library/Fonts/Supplemental/STFangsong.ttf\t0\tSTFangsong,华文仿宋\tRegular\n"
    "/System/Library/Fonts/PingFang.ttc\t0\tPingFang SC,苹方-简\tRegular\n"
    "/System/Library/Fonts/Supplemental/Kaiti.ttc\t0\tKaiti SC,楷体-简\tRegular\n"
)


def test_a_windows_desktop_has_every_role() -> None:
    roles = fonts.fonts_by_role(fonts.parse_fc_list(WINDOWS_FC))
    assert (roles["song"], roles["fangsong"], roles["hei"], roles["kai"]) == ("宋体", "仿宋", "黑体", "楷体")
    assert roles["xiaobiaosong"] == "宋体"  # no 方正小标宋: the Song face
    assert fonts.parse_fc_list(WINDOWS_FC)[0].family == "黑体"  # charts draw in 黑体


def test_a_macos_desktop_has_every_role() -> None:
    roles = fonts.fonts_by_role(fonts.parse_fc_list(MACOS_FC))
    assert (roles["song"], roles["fangsong"], roles["hei"], roles["kai"]) == ("Songti SC", "STFangsong",
                                                                              "PingFang SC", "Kaiti SC")


def test_a_linux_desktop_with_noto_only_uses_it_for_every_role() -> None:
    roles = fonts.fonts_by_role(fonts.parse_fc_list(FC_SAMPLE))
    assert roles["hei"] == "Noto Sans CJK SC"
    assert roles["song"] == roles["fangsong"] == roles["kai"] == "Noto Serif CJK SC"


# --- simulated desktops: fonts named as Windows/macOS name them, and nothing else --------------

NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
NOTO_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#: file name → (English family, Chinese family, the Noto face it is made from)
WINDOWS_FONTS = {"simsun": ("SimSun", "宋体", NOTO_SERIF), "simfang": ("FangSong", "仿宋", NOTO_SERIF),
                 "simhei": ("SimHei", "黑体", NOTO_SANS), "simkai": ("KaiTi", "楷体", NOTO_SERIF),
                 "msyh": ("Microsoft YaHei", "微软雅黑", NOTO_SANS)}
MACOS_FONTS = {"songti": ("Songti SC", "宋体-简", NOTO_SERIF), "stfangsong": ("STFangsong", "华文仿宋", NOTO_SERIF),
               "pingfang": ("PingFang SC", "苹方-简", NOTO_SANS), "kaiti": ("Kaiti SC", "楷体-简", NOTO_SERIF)}


def _report_characters() -> str:
    """Every CJK character of the package's text and the example project (what a report can print)."""
    import re

    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "selfeval_lib").rglob("*")
                   if p.is_file() and p.suffix in (".py", ".j2", ".yaml", ".ipynb"))
    text += (ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml").read_text(encoding="utf-8")
    return "".join(sorted(set(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", text))))


def _desktop(folder: Path, faces: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Fonts named as ``faces`` says (a subset of Noto CJK SC, renamed with fontTools) in
    ``folder``, and the environment whose fontconfig and matplotlib see only them."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    fonts_dir = folder / "fonts"
    fonts_dir.mkdir(parents=True)
    text = _report_characters() + "".join(map(chr, range(0x20, 0x7f)))
    for stem, (english, chinese, source) in faces.items():
        font = TTFont(source, fontNumber=2)  # the SC face of the collection
        options = subset.Options()
        options.name_IDs, options.name_languages, options.notdef_outline = ["*"], ["*"], True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        name = font["name"]
        name.names = [r for r in name.names if r.nameID not in (1, 3, 4, 6, 16, 17)]
        for lang, family in ((0x409, english), (0x804, chinese)):
            for name_id in (1, 4):
                name.setName(family, name_id, 3, 1, lang)
        name.setName(english.replace(" ", ""), 6, 3, 1, 0x409)
        name.setName("Regular", 2, 3, 1, 0x409)
        font.save(fonts_dir / f"{stem}.otf")
    conf = folder / "fonts.conf"
    conf.write_text(f'''<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts_dir}</dir><cachedir>{folder / "fc-cache"}</cachedir></fontconfig>
''', encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "MPLCONFIGDIR": str(folder / "mpl"),
            "PYTHONPATH": str(ROOT)}


def _roles_in(env: dict[str, str]) -> dict[str, str]:
    code = "import json; from selfeval_lib.report import fonts; print(json.dumps(fonts.fonts_by_role(fonts.find_cjk_fonts())))"
    import json

    return json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                     check=True).stdout)


def _pdf_fonts(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()}


@pytest.mark.integration
def test_a_report_on_a_windows_desktop_is_set_in_its_fonts(tmp_path: Path) -> None:
    env = _desktop(tmp_path / "windows", WINDOWS_FONTS)
    roles = _roles_in(env)
    assert (roles["song"], roles["fangsong"], roles["hei"], roles["kai"]) == ("宋体", "仿宋", "黑体", "楷体")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "selfeval_lib.cli", "run", str(ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml"),
                           "--out", str(out), "--formats", "html,pdf"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    used = _pdf_fonts(next(out.rglob("report.pdf")))
    assert used and used <= {"SimSun", "FangSong", "SimHei", "KaiTi", "Microsoft-YaHei"}, used
    assert "Noto" not in proc.stderr


@pytest.mark.integration
def test_a_macos_desktop_renders_in_its_fonts(tmp_path: Path) -> None:
    env = _desktop(tmp_path / "macos", MACOS_FONTS)
    roles = _roles_in(env)
    assert (roles["song"], roles["fangsong"], roles["hei"], roles["kai"]) == ("Songti SC", "STFangsong",
                                                                              "PingFang SC", "Kaiti SC")
    from selfeval_lib.report.typography import FACES

    html = "".join(f"<p style='font-family: {face.css()}'>项目支出绩效自评报告</p>" for face in FACES.values())
    code = "import sys; from selfeval_lib.render.pdf import html_to_pdf; sys.stdout.buffer.write(html_to_pdf(sys.stdin.read()))"
    pdf = tmp_path / "mac.pdf"
    pdf.write_bytes(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True,
                                   input=f'<html lang="zh-CN"><body>{html}</body></html>'.encode()).stdout)
    assert _pdf_fonts(pdf) == {"Songti-SC", "STFangsong", "PingFang-SC", "Kaiti-SC"}


@pytest.mark.integration
def test_a_machine_without_chinese_fonts_gets_the_message(tmp_path: Path) -> None:
    env = _desktop(tmp_path / "bare", {})
    out = tmp_path / "out"
    for args in (["run", str(ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml")],
                 ["batch", str(ROOT / "params" / "2023"), "--quiet"],
                 ["monitor", str(ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml"), "--month", "7"]):
        proc = subprocess.run([sys.executable, "-m", "selfeval_lib.cli", *args, "--out", str(out)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1, (args, proc.returncode, proc.stderr)
        assert "未找到简体中文字体" in proc.stderr and "Traceback" not in proc.stderr
        assert "Pango" not in proc.stderr
    assert not out.exists()


def test_without_fontconfig_a_windows_desktop_is_found_by_its_font_files(tmp_path: Path, monkeypatch) -> None:
    """Windows and macOS have no fc-list: the fonts are read from the files matplotlib lists."""
    from matplotlib import font_manager

    _desktop(tmp_path / "windows", WINDOWS_FONTS)
    files = sorted(str(p) for p in (tmp_path / "windows" / "fonts").glob("*.otf"))
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: files)
    roles = fonts.fonts_by_role(fonts.find_cjk_fonts())
    assert (roles["song"], roles["fangsong"], roles["hei"], roles["kai"]) == ("SimSun", "FangSong", "SimHei", "KaiTi")
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(FontsNotFound, match="未找到简体中文字体"):
        fonts.require_cjk_fonts()
