"""services.project: the sample params files and the Excel input workbook."""

from __future__ import annotations

import pytest
import yaml

from selfeval_lib.errors import SelfevalError
from selfeval_lib.services.project import SYNTHETIC_MARK, write_samples, write_template


def test_synthetic_samples_with_evidence(tmp_path):
    done = write_samples(tmp_path, projects=2, year=2022, seed=5, evidence=True)
    files = sorted(done.folder.glob("*.yaml"))
    assert done.folder == tmp_path / "2022" and done.count == len(files) == 2
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith(SYNTHETIC_MARK) and yaml.safe_load(text)["project"]["year"] == 2022
    assert any((tmp_path / "2022" / f"{files[0].stem}.evidence").iterdir())


def test_template_refuses_another_suffix_and_an_existing_file(tmp_path):
    with pytest.raises(SelfevalError, match=r"\.xlsx"):
        write_template(tmp_path / "输入.xls")
    out = write_template(tmp_path / "输入.xlsx", example=False)
    with pytest.raises(SelfevalError, match="已存在"):
        write_template(out)
    assert write_template(out, force=True) == out


def test_each_file_is_validated_on_its_own(tmp_path):
    from conftest import SEED_SAMPLE

    from selfeval_lib.services.project import validate_each

    broken = tmp_path / "broken.yaml"
    broken.write_text("project: [\n", encoding="utf-8")
    checked = list(validate_each([broken, SEED_SAMPLE]))
    assert [path for path, _ in checked] == [broken, SEED_SAMPLE]
    assert checked[0][1] and "YAML" in checked[0][1][0].message and checked[1][1] == ()
