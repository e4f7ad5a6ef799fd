"""The package's structure, drawn from its imports: subpackages that keep to their layer, no
cycle, a pure core, modules of one concern (docs/architecture.md)."""

from __future__ import annotations

import ast
import graphlib
import importlib
import re
import types
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "selfeval_lib"

#: What each part may import (besides itself). The bottom row (errors, resources, files) imports
#: nothing of the package but errors; each layer above may use everything listed for it. Each
#: part's docstring states its row (:func:`test_parts_say_what_they_hold_and_may_import`).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "resources": set(),
    "files": {"errors"},
    "core": {"errors"},
    "inputs": {"core", "errors", "files", "resources"},
    "report": {"core", "inputs", "files", "errors", "resources"},
    "render": {"core", "report", "review", "requality", "files", "errors", "resources"},
    "review": {"core", "inputs", "errors", "resources"},
    "runner": {"core", "inputs", "report", "render", "files", "errors", "resources"},
    "batch": {"core", "inputs", "report", "render", "runner", "files", "errors", "resources"},
    "requality": {"core", "inputs", "review", "errors", "resources"},
    "services": {"core", "inputs", "render", "review", "requality", "batch", "files", "errors", "resources"},
    "cli": {"core", "inputs", "report", "render", "review", "requality", "runner", "batch", "services", "files",
            "errors", "resources"},
    "_version": set(),
    "__init__": {"core", "inputs", "errors"},
}
#: The version, a leaf every part may read (so that no part imports the package root for it).
EVERYWHERE = {"_version"}
#: Standard-library modules the pure core must not use: files, processes, clock, network.
IMPURE = {"os", "io", "pathlib", "sys", "time", "subprocess", "shutil", "tempfile", "socket", "glob", "logging"}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(path: Path, module: str) -> set[str]:
    """Every selfeval_lib module that ``path`` imports, at any depth (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [prefix] + [f"{prefix}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            # the longest known module the name refers to
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("selfeval_lib"):
                found.add(name)
    found.discard(module)
    return found


GRAPH = {m: _imports(p, m) for m, p in MODULES.items()}


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_part_is_known():
    assert {part_of(m) for m in MODULES} <= set(ALLOWED)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_keep_to_the_layers(module):
    mine = part_of(module)
    upward = sorted(
        target for target in GRAPH[module]
        if target != "selfeval_lib" and part_of(target) != mine
        and part_of(target) not in ALLOWED[mine] | EVERYWHERE
    )
    assert not upward, f"{module} ({mine}) imports {upward}; {mine} may import only {sorted(ALLOWED[mine])}"


def test_nothing_imports_the_package_root():
    """The root imports the core and the inputs for the public API; a module that imported it
    (even for ``__version__``, which is :mod:`selfeval_lib._version`'s) would hide those edges."""
    for module, path in MODULES.items():
        if module == "selfeval_lib":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and not node.level:
                assert node.module != "selfeval_lib", f"{module} imports {ast.unparse(node)}"
            elif isinstance(node, ast.Import):
                assert "selfeval_lib" not in [a.name for a in node.names], f"{module} imports {ast.unparse(node)}"


def test_no_module_is_imported_by_a_string():
    """``importlib.import_module("selfeval_lib.…")`` hides an edge from the checks above: every
    module of the package is imported by an import statement."""
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "import_module", "find_spec", "__import__"):
                names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                assert not any(n.startswith("selfeval_lib") for n in names), f"{module}: {ast.unparse(node)}"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                    node.func.attr == "set_forkserver_preload"):  # the batch's fork server imports these first
                names = [e.value for a in node.args for e in getattr(a, "elts", ()) if isinstance(e, ast.Constant)]
                assert names and all(n in MODULES and part_of(n) == part_of(module) for n in names), (
                    f"{module}: {ast.unparse(node)} (a module of its own part, so that no edge of the layers hides in it)")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not re.fullmatch(r"selfeval_lib(\.\w+)+:\w+", node.value), f"{module} names {node.value!r}"


#: What reads or writes files: built-in open, Path's and os's file methods, json's and yaml's
#: readers and writers, and the atomic writers.
FILE_IO = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "makedirs", "touch", "unlink",
           "rmdir", "rename", "exists", "is_file", "is_dir", "iterdir", "glob", "rglob", "stat", "dump", "load",
           "safe_load", "safe_dump", "write_file", "write_files", "ensure_folder", "copyfile", "copy", "rmtree"}


#: What makes a document's bytes: a workbook or its styles, a chart, a template, the deterministic
#: Office writers (reading a workbook, ``openpyxl.load_workbook``, is not writing one).
BYTE_MAKERS = ("openpyxl.Workbook", "openpyxl.styles", "matplotlib", "jinja2", "selfeval_lib.files.ooxml",
               "selfeval_lib.files.cells", "selfeval_lib.files.xmltext")


def _byte_makers(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        found += [n for n in names if any(n == m or n.startswith(m + ".") for m in BYTE_MAKERS)]
    return found


@pytest.mark.parametrize("module", sorted(m for m in MODULES if part_of(m) in ("review", "requality", "services", "cli")))
def test_bytes_are_made_in_the_rendering_layer(module):
    """The review and the 复核 compute and say what their documents contain; the services and the
    commands orchestrate. The pages, workbooks, Word files and charts are made in ``render/``."""
    assert not _byte_makers(MODULES[module]), f"{module} makes bytes ({_byte_makers(MODULES[module])}): move it to render/"


def test_byte_makers_are_seen(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("from openpyxl import Workbook, load_workbook\nimport matplotlib.pyplot\n"
                      "from selfeval_lib.files.ooxml import workbook_bytes\n")
    assert _byte_makers(sample) == ["openpyxl.Workbook", "matplotlib.pyplot", "selfeval_lib.files.ooxml",
                                    "selfeval_lib.files.ooxml.workbook_bytes"]
    assert _byte_makers(MODULES["selfeval_lib.render.requality_office"])


@pytest.mark.parametrize("module", sorted(m for m in MODULES if part_of(m) == "cli"))
def test_the_cli_reads_and_writes_no_file(module):
    """A command parses, calls one service, prints and returns its exit code: every file it
    reads or writes is read or written by the service (docs/architecture.md)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            assert name not in FILE_IO, f"{module} calls {ast.unparse(node.func)}()"
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.module != "selfeval_lib.files.atomic", f"{module} imports the atomic writers"


def test_the_cli_check_sees_file_io():
    """The check above would catch each way of touching a file (a parser that found none would pass)."""
    for source in ("open(p)", "Path(p).write_text(t)", "json.dump(d, f)", "write_files(o, c)", "p.mkdir()"):
        call = ast.parse(source).body[0].value
        name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
        assert name in FILE_IO, source


def test_no_import_cycle():
    sorter = graphlib.TopologicalSorter({m: {t for t in deps if t != "selfeval_lib"} for m, deps in GRAPH.items()})
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:  # pragma: no cover - the assertion shows the cycle
        pytest.fail(f"import cycle: {' → '.join(exc.args[1])}")


@pytest.mark.parametrize("module", sorted(m for m in MODULES if part_of(m) == "core"))
def test_core_is_pure(module):
    """No file, process, clock or printing in the core (docs/architecture.md)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bad = {a.name.split(".")[0] for a in node.names} & IMPURE
            assert not bad, f"{module} imports {bad}"
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            assert node.module.split(".")[0] not in IMPURE, f"{module} imports from {node.module}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("open", "print", "input", "eval", "exec"), f"{module} calls {node.func.id}()"
        elif isinstance(node, ast.Attribute) and node.attr in ("now", "today", "utcnow"):
            pytest.fail(f"{module} reads the clock ({ast.unparse(node)})")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_of_one_concern(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines (split it along its seams)"


def stated_imports(doc: str) -> set[str] | None:
    """The parts a docstring says its part may import: the ``names`` of its "May import …"
    sentence, or none for "Imports nothing from the rest of the package"; None when it says neither."""
    text = " ".join(doc.split())
    if re.search(r"Imports nothing from the (?:rest of the )?package", text):
        return set()
    sentence = re.search(r"May import([^.;]*)", text)
    return set(re.findall(r"``(\w+)``", sentence.group(1))) if sentence else None


@pytest.mark.parametrize("part", sorted(p for p in ALLOWED if p != "__init__"))
def test_parts_say_what_they_hold_and_may_import(part):
    """Each part's docstring states the rule of :data:`ALLOWED` for it, no more and no less."""
    module = importlib.import_module(f"selfeval_lib.{part}")
    doc = module.__doc__ or ""
    assert len(doc.split()) >= 12, f"selfeval_lib.{part} needs a docstring: what it holds, what it may import"
    stated = stated_imports(doc)
    assert stated is not None, f"selfeval_lib.{part} should say what it may import (\"May import ``core`` …\")"
    assert stated == ALLOWED[part], (f"selfeval_lib.{part} says it may import {sorted(stated)}; "
                                     f"the layer rule is {sorted(ALLOWED[part])}")


def test_stated_imports_reads_both_forms():
    assert stated_imports("Writes. May import only ``errors`` (a path). More.") == {"errors"}
    assert stated_imports("May import ``core``, ``inputs`` and ``files``; only ``cli`` imports it.") == {
        "core", "inputs", "files"}
    assert stated_imports("Imports nothing from the package.") == set()
    assert stated_imports("It reads files.") is None


def test_module_names_are_modules():
    """``import selfeval_lib.core.evaluation`` gives the module, not a function of the same name."""
    for name in ("selfeval_lib.core.evaluation", "selfeval_lib.core.scoring", "selfeval_lib.runner.run"):
        importlib.import_module(name)
        leaf = name.rpartition(".")
        assert isinstance(getattr(importlib.import_module(leaf[0]), leaf[2]), types.ModuleType), name


def test_the_graph_is_read():
    """The checks above see real edges (a parser that found none would pass them all)."""
    assert "selfeval_lib.core.model" in GRAPH["selfeval_lib.core.evaluation"] or any(
        t.startswith("selfeval_lib.core.") for t in GRAPH["selfeval_lib.core.evaluation"])
    assert any(part_of(t) == "runner" for t in GRAPH["selfeval_lib.batch.run"] | set().union(
        *(GRAPH[m] for m in MODULES if part_of(m) == "batch")))


#: The one Jinja environment of the package (issue 21: one presentation layer).
TEMPLATING = "selfeval_lib.render.templating"


def _uses_jinja(path: Path) -> list[str]:
    """Where a module imports jinja2 or calls a Jinja ``Environment(…)``, as source snippets."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "jinja2" for a in node.names):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "jinja2":
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Call) and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in (
                "Environment", "SandboxedEnvironment"):
            found.append(ast.unparse(node)[:60])
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_one_jinja_environment(module):
    """Templates are rendered through :mod:`selfeval_lib.render.templating` alone: no other module
    imports jinja2 or builds an ``Environment`` (filters registered once, one set of options)."""
    found = _uses_jinja(MODULES[module])
    if module == TEMPLATING:
        assert any("Environment(" in f for f in found), "render.templating should build the environment"
    else:
        assert not found, f"{module} uses Jinja directly ({found}); render through render.templating"


def test_uses_jinja_sees_imports_and_environments(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("import jinja2\nfrom jinja2 import Template\nenv = jinja2.Environment()\nx = Environment(a=1)\n")
    assert len(_uses_jinja(sample)) == 4
    sample.write_text("from selfeval_lib.render.templating import render\nrender('a/b.html.j2')\n")
    assert _uses_jinja(sample) == []


#: Byte writers that stay outside ``render/``, and why (this set only shrinks).
OTHER_WRITERS = {
    "selfeval_lib.inputs.workbook.template": "the input workbook units fill (selfeval template), written from "
                                             "the same sheet specification it is read by",
    "selfeval_lib.report.charts": "figure_png, the PNG of a chart, which the bundled overview notebook calls here",
}


def _writes_documents(path: Path) -> list[str]:
    """Where a module writes a document's bytes: makes a workbook or a Word document, prints a
    PDF, exports a notebook, draws a chart to an image."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = {a.name for a in node.names}
            if (node.module.split(".")[0] in ("weasyprint", "nbconvert") or node.module.startswith("matplotlib.backends")
                    or (node.module == "openpyxl" and "Workbook" in names) or (node.module == "docx" and "Document" in names)):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in ("weasyprint", "nbconvert")]
        elif isinstance(node, ast.Attribute) and node.attr == "savefig":
            found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_documents_are_written_in_the_rendering_layer(module):
    """Every writer of a document's bytes lives in ``render/`` (issue 21: one presentation layer)."""
    found = _writes_documents(MODULES[module])
    if part_of(module) == "render":
        return
    if module in OTHER_WRITERS:
        assert found, f"{module} writes no document any more: take it out of OTHER_WRITERS"
    else:
        assert not found, f"{module} writes a document ({found}); that belongs in render/"


def test_writes_documents_sees_each_kind(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("from openpyxl import Workbook\nfrom docx import Document\nimport weasyprint\n"
                      "from nbconvert import HTMLExporter\nfrom matplotlib.backends.backend_agg import FigureCanvasAgg\n"
                      "fig.savefig(buffer)\n")
    assert len(_writes_documents(sample)) == 6
    sample.write_text("from openpyxl import load_workbook\nfrom docx.shared import Pt\nimport matplotlib\n")
    assert _writes_documents(sample) == []


#: Test folders that mirror no subpackage: the tests of the package as a whole (layers, docs,
#: install, notebooks as shipped, hostile input across commands, the top-level modules).
WHOLE_PACKAGE_TESTS = {"package"}


def _mirrored(folder: Path, stem: str) -> bool:
    """Whether ``stem`` (a test file's name without ``test_``) names a module or subpackage of
    ``folder``, itself or followed by ``_<aspect>`` (``run_signals`` names ``run``)."""
    parts = stem.split("_")
    for n in range(len(parts), 0, -1):
        name = "_".join(parts[:n])
        if name and ((folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file()):
            return True
    return False


def test_tests_mirror_the_package():
    """Every test file is ``tests/<subpackage>/test_<module>[_<aspect>].py`` for a module that
    exists, in a folder that is a package (so equal basenames in two folders do not clash)."""
    assert _mirrored(PACKAGE / "batch", "run_signals") and _mirrored(PACKAGE / "review", "readers")
    assert not _mirrored(PACKAGE / "batch", "nothing_here") and not _mirrored(PACKAGE / "core", "")
    tests = ROOT / "tests"
    stray = []
    for path in sorted(tests.rglob("test_*.py")):
        folder = path.parent.relative_to(tests)
        if not folder.parts or not (path.parent / "__init__.py").is_file():
            stray.append(f"{path.relative_to(tests)}: not in a test package")
        elif folder.parts[0] in WHOLE_PACKAGE_TESTS:
            continue
        elif not _mirrored(PACKAGE.joinpath(*folder.parts), path.stem.removeprefix("test_")):
            stray.append(f"{path.relative_to(tests)}: no module selfeval_lib/{folder.as_posix()}/"
                         f"{path.stem.removeprefix('test_')}.py")
    assert not stray, "tests/<subpackage>/test_<module>.py must name a module:\n" + "\n".join(stray)
