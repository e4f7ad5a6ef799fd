"""The params-file commands' work: ``selfeval validate`` (every file checked, one file's problems
never stopping the next), ``selfeval sample`` (synthetic or the bundled projects, with example
evidence) and ``selfeval template`` (the Excel input workbook)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from selfeval_lib.errors import InputError, SelfevalError
from selfeval_lib.files.atomic import write_file
from selfeval_lib.inputs.messages import Problem
from selfeval_lib.inputs.params import load_project
from selfeval_lib.inputs.synthetic import evidence_files, synthetic_params
from selfeval_lib.resources import bundled_projects

#: The first line of every synthetic params file.
SYNTHETIC_MARK = "# 合成示例数据（selfeval sample 生成），仅用于演示与测试\n"


def validate_each(files: list[Path]) -> Iterator[tuple[Path, tuple[Problem, ...]]]:
    """Each params file with its problems (none when it passes), as it is checked."""
    for path in files:
        try:
            load_project(path)
        except InputError as exc:
            yield path, tuple(exc.problems)
        else:
            yield path, ()


@dataclass(frozen=True)
class Samples:
    """What ``write_samples`` wrote: the year's folder and how many params files."""

    folder: Path
    count: int


def write_samples(out: Path, *, bundled: bool = False, projects: int = 20, year: int = 2023, seed: int = 2023,
                  evidence: bool = False) -> Samples:
    """Params files in ``out/<year>/``: the bundled projects as they are, or ``projects`` synthetic
    ones of ``year`` from ``seed``; with ``evidence``, each project's example evidence folder
    ``<id>.evidence/`` beside it."""
    if bundled:
        found = [(path.read_bytes(), yaml.safe_load(path.read_text(encoding="utf-8"))) for path in bundled_projects()]
    else:
        found = [((SYNTHETIC_MARK + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)).encode("utf-8"),
                  data) for data in synthetic_params(projects, year=year, seed=seed)]
    folder = Path(out) / str(found[0][1]["project"]["year"] if bundled else year)
    for content, data in found:
        write_file(folder / f"{data['project']['id']}.yaml", content)
        if evidence:
            for name, body in evidence_files(data).items():
                write_file(folder / f"{data['project']['id']}.evidence" / name, body)
    return Samples(folder, len(found))


def write_template(out: Path, *, from_params: str | None = None, example: bool = True, force: bool = False) -> Path:
    """The Excel input workbook at ``out``: filled from the params file ``from_params``, or blank
    (with example rows unless ``example`` is false). :class:`SelfevalError` when ``out`` is not an
    .xlsx name, or exists and ``force`` is not given."""
    from selfeval_lib.inputs.workbook import blank_workbook, workbook_from_project

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise SelfevalError(f"{out}: 输出文件应以 .xlsx 结尾")
    if out.exists() and not force:
        raise SelfevalError(f"{out}: 文件已存在（加 --force 覆盖）")
    data = (workbook_from_project(load_project(from_params).project_year) if from_params
            else blank_workbook(example=example))
    return write_file(out, data)
