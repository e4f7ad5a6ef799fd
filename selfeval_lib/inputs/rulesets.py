"""Finding and reading rule sets (the scoring rules a params file names in ``project.rule_set``),
and the one rule by which every named YAML input is found (rule sets, and the 复核's 口径).

A name is the file ``NAME.yaml`` in the first folder of :func:`search_path` that has it: the
folder an environment variable names, a folder of the kind's name (``rules/``,
``review-rules/``) beside the input or in any folder above it, then the package's own. A name
ending in ``.yaml``/``.yml`` or holding a folder separator is a path, used as given. Each rule
set file is parsed once per content. Rules never change silently: every output names the rule
set and where it came from (:func:`rules_source`, :func:`rules_label`), and a rule set found
outside the package is announced when it is used (:func:`rules_notice`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from selfeval_lib.core.rules import RuleSet
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem, did_you_mean
from selfeval_lib.inputs.yaml_safe import load_model, read_bytes
from selfeval_lib.resources import rules_dir


@dataclass(frozen=True)
class Kind:
    """A kind of named YAML input: what it is called in messages, the folder name it is looked
    for in beside an input, the package's own folder of them and the environment variable that
    names a folder searched first."""

    what: str
    folder: str
    bundled: Path
    env: str


#: Rule sets: ``rules/``, the package's ``data/rules``, $SELFEVAL_RULES_DIR.
RULE_SETS = Kind("规则集", "rules", rules_dir(), "SELFEVAL_RULES_DIR")
#: Environment variable naming a folder searched before every other.
RULES_ENV = RULE_SETS.env
#: The package's own rule sets, used when no closer ``rules/`` folder has the set.
DEFAULT_RULES_DIR = RULE_SETS.bundled


def is_path(name: str) -> bool:
    """Whether ``name`` is a file's path rather than a name: it ends in .yaml/.yml or names a folder."""
    return Path(name).suffix.lower() in (".yaml", ".yml") or "/" in name or os.sep in name


def search_path(kind: Kind, near: Path | None) -> list[Path]:
    """Where a ``kind`` is looked for: the folder ``kind.env`` names, a ``kind.folder`` folder
    beside ``near`` (an input file) or in any folder above it, then ``kind.bundled``."""
    dirs: list[Path] = []
    if os.environ.get(kind.env):
        dirs.append(Path(os.environ[kind.env]))
    if near is not None:
        try:
            where = near.resolve()
        except (OSError, RuntimeError):  # a symlink loop: the folders the path names
            where = near.absolute()
        for parent in where.parents:
            dirs.append(parent / kind.folder)
    dirs.append(kind.bundled)
    return dirs


def find_named(kind: Kind, name: str, near: Path | None = None, *, source: str | None = None,
               field: str = "") -> Path:
    """The file of the ``kind`` called ``name`` (or at the path ``name``), by :func:`search_path`;
    :class:`InputError` when none is found, naming ``source`` (what named it: by default the
    input ``near``) and ``field``, the closest name and where it was looked for."""
    if is_path(name):
        return Path(name)
    for folder in search_path(kind, near):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    folders = [d for d in dict.fromkeys(search_path(kind, near)) if d.is_dir()]
    where = "、".join(shown(d) for d in folders)
    known = sorted({p.stem for d in folders for p in d.glob("*.yaml")})
    hint = did_you_mean(name, known)
    raise InputError([Problem(source or shown(near or name), field,
                              f"找不到{kind.what}“{name}”" + (f"，{hint}" if hint else "")
                              + f"（可用：{'、'.join(known) or '无'}；查找位置：{where or '无'}；也可给出文件路径）")])


def rules_search_path(params_path: Path | None) -> list[Path]:
    """Where a rule set is looked for (:func:`search_path` of :data:`RULE_SETS`)."""
    return search_path(RULE_SETS, params_path)


def find_rule_set(name: str, params_path: Path | None = None, option: str = "") -> Path:
    """The file of rule set ``name`` (or at that path) for the input ``params_path``;
    :class:`InputError` when none is found, naming the params file's ``project.rule_set`` or, when
    the name was given by a command's ``option`` (``--rules``), that option."""
    if option:
        return find_named(RULE_SETS, name, params_path, source=name, field=option)
    return find_named(RULE_SETS, name, params_path, field="project.rule_set")


def load_rule_set(path: Path) -> RuleSet:
    """Read and validate a rule set file; :class:`InputError` lists every problem."""
    return parse_rule_set(path, read_bytes(path))


@lru_cache(maxsize=32)
def parse_rule_set(path: Path, raw: bytes) -> RuleSet:
    """The rule set in ``raw`` (the bytes of ``path``), parsed once per content (a batch
    validates hundreds of projects); :class:`InputError` lists every problem."""
    return load_model(path, RuleSet, raw)


def is_bundled(path: Path) -> bool:
    """Whether the rule-set file ``path`` is one of the package's own."""
    try:
        return Path(path).resolve().parent == DEFAULT_RULES_DIR.resolve()
    except (OSError, RuntimeError):
        return False


def rules_source(path: Path) -> str:
    """Where a rule set came from, as outputs record it: ``"bundled"`` (the package's own) or the
    file's absolute path."""
    return "bundled" if is_bundled(path) else shown(Path(path).absolute())


def rules_label(title: str, source: str) -> str:
    """A rule set as a summary line or an index names it: its title and where it came from
    (``source`` as :func:`rules_source` gives it): ``全国通用（内置）``, ``某市规则（/data/rules/city.yaml）``."""
    return f"{title}（{'内置' if source == 'bundled' else source}）"


def rules_notice(name: str, title: str, path: Path) -> str | None:
    """The announcement of a rule set found outside the package (None for a bundled one): which
    file scores the reports, and whether it hides the package's set of the same name."""
    if is_bundled(path):
        return None
    hides = (DEFAULT_RULES_DIR / f"{name}.yaml").is_file()
    return (f"注意：使用规则集“{title}”（{name}），来自 {shown(Path(path).absolute())}，不是本软件内置的规则集"
            + ("；它覆盖了内置的同名规则集，评分和等级可能与内置规则不同" if hides else ""))
