"""The package as a wheel: built from the sources, installed into a fresh virtual environment
outside the repository, it has its notebooks, rule sets, templates and example project, and its
``selfeval run``, ``batch``, ``review`` and ``template`` work there without the optional extras
(issue #10, issue #25; docs/architecture.md), and a missing extra is named with its install command.

The new environment gets no copy of the dependencies: a ``.pth`` file names the site-packages of
the environment running the tests (and ``JUPYTER_PATH`` its ``share/jupyter``). A plain path line adds that folder to ``sys.path`` without
running the ``.pth`` files inside it, so the editable install of the repository is not loaded and
``selfeval_lib`` can only come from the wheel.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import selfeval_lib
from selfeval_lib import evaluate, load_project, to_dict
from selfeval_lib.report.checklist import checklist_counts

from conftest import ROOT

pytestmark = pytest.mark.integration

SOURCES = ("pyproject.toml", "README.md", "LICENSE")
SEED = ROOT / "params" / "2023" / "dongqu-yjglj-ydhs.yaml"
DATA = "selfeval_lib/data/"
#: The top-level modules of the optional extras (lab, dask, ocr), unimportable in the installed
#: environment, so that it is what `pip install selfeval` without extras gives.
WITHOUT_EXTRAS = ("jupyterlab", "dask", "distributed", "rapidocr_onnxruntime")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    selfeval: Path
    env: dict[str, str]


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{cmd} → {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a user who activated the new venv: nothing pointing into the repository."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "SELFEVAL_RULES_DIR", "PYTHONSTARTUP")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["PYTHONNOUSERSITE"] = "1"
    # The dependencies' data files (nbconvert's base templates) sit under their environment's
    # share/jupyter, which a real install would have put under the new venv's.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    import setuptools

    assert int(setuptools.__version__.split(".")[0]) >= 77, (
        "building the wheel needs setuptools>=77 (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("install")
    # Build from a copy of the sources (links resolved), so no build/ folder lands in the
    # repository and no stale file of an earlier build can slip into the wheel.
    src = base / "src"
    src.mkdir()
    for name in SOURCES:
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "selfeval_lib", src / "selfeval_lib", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps",
          "--no-build-isolation", "--no-index", "-w", dist, src], cwd=base)
    (wheel,) = dist.glob("selfeval-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    python = venv / "bin" / "python"
    # Install before the dependencies become visible: pip then sees an empty environment.
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--disable-pip-version-check",
          "--no-deps", "--no-index", wheel], cwd=base)
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=base).stdout.strip()
    deps = sysconfig.get_path("purelib")
    # A plain `pip install selfeval`: the extras' packages are there but cannot be imported.
    hide = "import sys; sys.modules.update(dict.fromkeys(%r))" % (WITHOUT_EXTRAS,)
    (Path(purelib) / "_selfeval_test_deps.pth").write_text(f"{deps}\n{hide}\n", encoding="utf-8")
    return Installed(wheel=wheel, python=python, selfeval=venv / "bin" / "selfeval", env=_clean_env(venv))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_wheel_holds_the_package_data(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as whl:
        names = set(whl.namelist())
        wanted = {DATA + p.relative_to(ROOT / "selfeval_lib" / "data").as_posix()
                  for p in (ROOT / "selfeval_lib" / "data").rglob("*") if p.is_file()}
        assert wanted <= names, sorted(wanted - names)
        for name in ("notebooks/selfeval_report.ipynb", "notebooks/portfolio_overview.ipynb",
                     "notebooks/review_table.ipynb", "rules/national.yaml", "rules/sichuan.yaml",
                     "templates/report/index.html.j2", "templates/narrative/report.html.j2",
                     "templates/portfolio/index.html.j2", "samples/example.yaml"):
            assert DATA + name in names, name
        assert "selfeval_lib/py.typed" in names
        # The example is a link in the repository; the wheel holds the file itself.
        info = whl.getinfo(DATA + "samples/example.yaml")
        assert (info.external_attr >> 16) & 0o170000 != 0o120000
        assert whl.read(info) == SEED.read_bytes()


def test_the_installed_package_is_the_wheel(installed: Installed, tmp_path: Path) -> None:
    code = ("import json, sys, selfeval_lib; from selfeval_lib import resources; "
            "print(json.dumps({'file': selfeval_lib.__file__, 'data': str(resources.data_dir()), "
            "'version': selfeval_lib.__version__, "
            "'editable': any('editable' in m for m in sys.modules)}))")
    seen = json.loads(_run([installed.python, "-c", code], cwd=tmp_path, env=installed.env).stdout)
    venv = installed.python.parent.parent
    assert Path(seen["file"]).is_relative_to(venv)
    assert Path(seen["data"]).is_relative_to(venv)
    assert not Path(seen["file"]).is_relative_to(ROOT)
    assert seen["version"] == selfeval_lib.__version__
    assert not seen["editable"]


def _expected_metrics(params: Path) -> dict:
    """The editable install's evaluation of ``params``, as metrics.json writes it."""
    loaded = load_project(params)
    ev = evaluate(loaded.project_year, loaded.rules)
    return json.loads(json.dumps({**to_dict(ev), "checklist": checklist_counts(ev)}, ensure_ascii=False))


def _check_report(folder: Path, params: Path) -> dict:
    for name in ("report.ipynb", "report.html", "report.pdf", "metrics.json"):
        assert (folder / name).is_file(), name
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF")
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "移动会商系统" in html and "<script" not in html
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    provenance = metrics.pop("provenance")
    assert metrics.pop("pdf_engine") == "weasyprint"  # --pdf-engine auto, and pango is installed here
    assert metrics == _expected_metrics(params)
    assert provenance["params_file"] == params.name
    assert provenance["params_sha256"] == _sha256(params)
    assert provenance["notebook_sha256"] == _sha256(ROOT / "selfeval_lib" / "data" / "notebooks" / "selfeval_report.ipynb")
    assert provenance["selfeval_version"] == selfeval_lib.__version__
    return metrics


def _example_project(installed: Installed, where: Path) -> Path:
    """The wheel's own example project, copied into ``where/2023/`` outside the repository."""
    code = "from selfeval_lib.resources import samples_dir; print(samples_dir() / 'example.yaml')"
    target = where / "2023" / SEED.name
    target.parent.mkdir(parents=True)
    example = Path(_run([installed.python, "-c", code], cwd=where, env=installed.env).stdout.strip())
    assert example.is_relative_to(installed.python.parent.parent)
    shutil.copyfile(example, target)
    return target


def test_run_and_batch_outside_the_repository(installed: Installed, tmp_path: Path) -> None:
    params = _example_project(installed, tmp_path / "params")
    folder_of = f"2023/{params.stem}"

    _run([installed.selfeval, "run", params, "--out", "out", "--formats", "ipynb,html,pdf"],
         cwd=tmp_path, env=installed.env)
    single = _check_report(tmp_path / "out" / folder_of, params)

    _run([installed.selfeval, "batch", "params", "--out", "batch", "--quiet"], cwd=tmp_path, env=installed.env)
    assert _check_report(tmp_path / "batch" / folder_of, params) == single
    for name in ("index.html", "portfolio.csv"):
        assert (tmp_path / "batch" / "2023" / name).is_file(), name
    for name in ("report.html", "report.ipynb", "metrics.json"):
        assert (tmp_path / "batch" / folder_of / name).read_bytes() == (tmp_path / "out" / folder_of / name).read_bytes()


def test_template_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    from selfeval_lib.cli import main

    _run([installed.selfeval, "template", "input.xlsx"], cwd=tmp_path, env=installed.env)
    assert main(["template", str(tmp_path / "editable.xlsx")]) == 0
    made = (tmp_path / "input.xlsx").read_bytes()
    assert zipfile.is_zipfile(tmp_path / "input.xlsx")
    # The same workbook, example rows from the seed project included, as the repository's.
    assert made == (tmp_path / "editable.xlsx").read_bytes()


def test_without_extras_the_review_runs_and_a_missing_extra_is_named(installed: Installed, tmp_path: Path) -> None:
    hidden = _run([installed.python, "-c", "import importlib.util as u; print(u.find_spec('distributed'))"],
                  cwd=tmp_path, env=installed.env)
    assert hidden.stdout.strip() == "None", "the extras are importable: this is not a bare install"
    table = ROOT / "tests" / "data" / "review" / "seed_like_table.yaml"
    _run([installed.selfeval, "review", table, "--out", "review"], cwd=tmp_path, env=installed.env)
    assert (tmp_path / "review" / "review.html").is_file()
    params = _example_project(installed, tmp_path / "params")
    for args, extra in ((["batch", params, "--scheduler", "local", "--out", "out"], "dask"),
                        (["notebooks", "nb"], "lab")):
        proc = subprocess.run([str(installed.selfeval), *map(str, args)], cwd=tmp_path, env=installed.env,
                              capture_output=True, text=True, timeout=120)
        assert f'pip install "selfeval[{extra}]"' in proc.stderr and "内部错误" not in proc.stderr, proc.stderr
        assert proc.returncode == (1 if extra == "dask" else 0)  # the copies are made; only opening them needs lab
    assert not (tmp_path / "out").exists()
