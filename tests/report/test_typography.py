"""The 公文 typography (GB/T 9704): faces, sizes, page, and the CSS written from them."""

from __future__ import annotations

import re

import pytest

from selfeval_lib.report import typography as t


def test_gbt9704_sizes_and_faces() -> None:
    assert (t.TITLE.size_pt, t.TITLE.face.word) == (22.0, "方正小标宋简体")  # 二号
    assert (t.BODY.size_pt, t.BODY.face.word) == (16.0, "仿宋_GB2312")  # 三号
    assert t.HEADING1.face.word == "黑体" and t.HEADING2.face.word == "楷体_GB2312"
    assert t.HEADING1.size_pt == t.HEADING2.size_pt == t.BODY.size_pt
    assert (t.PAGE_NUMBER.size_pt, t.PAGE_NUMBER.face.key) == (14.0, "song")  # 四号 宋体


@pytest.mark.parametrize("key", ["xiaobiaosong", "song", "fangsong", "hei", "kai"])
def test_stacks_name_windows_faces_before_free_ones(key: str) -> None:
    stack = t.FACES[key].stack
    free = [i for i, name in enumerate(stack) if name.startswith(("Noto", "Source Han", "AR PL", "LXGW", "WenQuanYi"))]
    assert free, f"{key}: no free face installed here as a fallback"
    windows = [i for i, name in enumerate(stack) if re.search(r"[\u4e00-\u9fff]|Sim|FangSong|KaiTi", name)]
    assert max(windows) < min(free), stack
    assert len(set(stack)) == len(stack)
    assert t.FACES[key].word_alt in stack


def test_page_holds_22_lines_of_28_characters() -> None:
    width, height = t.text_area_mm()
    assert (width, height) == (156.0, 225.0)
    height_pt = height / 25.4 * 72
    assert 28 <= t.LINE_PITCH_PT <= 29
    assert t.LINES_PER_PAGE * t.LINE_PITCH_PT <= height_pt < (t.LINES_PER_PAGE + 1) * t.LINE_PITCH_PT
    assert t.page_number_text(3) == "— 3 —"


def test_css_is_written_from_the_roles() -> None:
    css = t.css()
    assert '--font-fangsong: "Times New Roman", "仿宋_GB2312", "FangSong_GB2312"' in css
    assert "--size-body: 16pt;" in css and "--size-title: 22pt;" in css
    assert "margin: 37mm 26mm 35mm 28mm" in css
    assert 'content: "— " counter(page) " —"' in css
    assert css.count("{") == css.count("}")
    assert "line-height: 28.95pt" in css


def test_fit_columns_keeps_numbers_whole() -> None:
    need = t.unbroken_mm("100.00", t.ANNEX_TABLE.size_pt, 0.9)
    assert 12 < need < 16  # six half-width characters of 小五 and the padding
    sheet = (10, 14, 22, 12, 12, 10, 16, 8, 8, 28)  # the Sichuan 自评表: 8/150 of 156 mm is 8.3 mm
    widths = t.fit_columns(sheet, [0] * 7 + [need, need, 0], 156.0)
    assert sum(widths) == pytest.approx(156.0)
    assert widths[7] == widths[8] == pytest.approx(need)
    assert widths[1] / widths[0] == pytest.approx(1.4) and widths[9] / widths[2] == pytest.approx(28 / 22)
    assert t.fit_columns((1, 1), [0, 0], 100.0) == (50.0, 50.0)  # nothing to fit: the proportions
    assert sum(t.fit_columns((1, 1), [80, 80], 100.0)) == pytest.approx(100.0)  # too wide: shared by need
