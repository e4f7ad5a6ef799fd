"""The OCR path (optional extra ``selfeval[ocr]``): the grid of tests/forms/grids/national_shelter.yaml
printed, rasterised (slightly rotated, noisy) as an image-only PDF and as a PNG, read as its YAML
transcription reads. Each OCR call costs seconds: each form is read once per module."""

from __future__ import annotations

import pytest
from conftest import ROOT
from forms.grid import load_grid
from forms.pdf import png, scanned_pdf, text_pdf
from review_tables import content, findings

from selfeval_lib.errors import InputError
from selfeval_lib.review.readers import ocr
from selfeval_lib.review.readers.ocr import read_image
from selfeval_lib.review.readers.pdf_table import read_pdf
from selfeval_lib.review.readers.yaml_table import read_yaml_table


GRIDS = ROOT / "tests" / "forms" / "grids"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scan")
    return text_pdf(load_grid(GRIDS / "national_shelter.yaml"), folder / "t.pdf")


@pytest.fixture(scope="module")
def scan_reads(printed):
    return read_pdf(scanned_pdf(printed, printed.with_name("scan.pdf"), dpi=150, angle=0.4))


@pytest.fixture(scope="module")
def png_reads(printed):
    return read_image(png(printed, printed.with_name("scan.png"), dpi=170, angle=-0.3))


@pytest.fixture(scope="module")
def expected():
    return read_yaml_table(GRIDS / "national_shelter.table.yaml")


@pytest.mark.parametrize("form", ["scan_reads", "png_reads"])
def test_scan_reads_as_yaml(form, request, expected, national):
    reads = request.getfixturevalue(form)
    assert len(reads) == 1
    assert content(reads[0]) == content(expected[0])
    assert findings(reads, national) == findings(expected, national)
    assert reads[0].notes[0] == "第1页为扫描件，经 OCR 识别，请核对原件。"


def test_low_confidence_cells_listed(scan_reads):
    # Every note names the page; low-confidence cells, when any, name row and column.
    for note in scan_reads[0].notes:
        assert note.startswith("第1页")
        if "置信度" in note:
            assert "行第" in note and "列" in note


def test_image_without_ocr_extra(tmp_path, monkeypatch, printed):
    image = png(printed, tmp_path / "t.png", dpi=50)

    def missing():
        raise ImportError("rapidocr_onnxruntime")

    monkeypatch.setattr(ocr, "engine", missing)
    with pytest.raises(InputError) as exc:
        read_image(image)
    assert "文件第1页是扫描图像，需要 OCR：pip install 'selfeval[ocr]'" in exc.value.problems[0].message


def test_not_an_image(tmp_path):
    (tmp_path / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    with pytest.raises(InputError) as exc:
        read_image(tmp_path / "x.png")
    assert "无法读取图像文件" in exc.value.problems[0].message


def test_sign_told_by_strokes():
    import numpy as np

    ge = np.zeros((20, 14), np.uint8)  # a chevron pointing right over a flat bar
    for i in range(7):
        ge[i, 2 * i:2 * i + 2] = 255
        ge[12 - i, 2 * i:2 * i + 2] = 255
    ge[17:19, 0:13] = 255
    assert ocr._sign(ge) == "≥"
    assert ocr._sign(ge[:14]) == ">"
    assert ocr._sign(ge[:, ::-1]) == "≤"
    eq = np.zeros((12, 14), np.uint8)
    eq[2:4, :] = 255
    eq[8:10, :] = 255
    assert ocr._sign(eq) == "="


@pytest.mark.parametrize("read, fixed", [("一一", "——"), ("一", "——"), ("—一", "——"), ("一—一", "——"), ("——", "——"),
                                         ("一等奖", "一等奖"), ("二95%", "=95%"), ("十一", "十一"), ("95%.", "95%")])
def test_ocr_corrections(read, fixed):
    """The dash of an empty cell read as 一 is a dash again (never 11 or 1); other fixes stay."""
    assert ocr._fixed(read) == fixed
