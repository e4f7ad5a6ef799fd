"""Finding and reading rule sets (the scoring rules a params file names in ``project.rule_set``).

A rule set ``name`` is the file ``name.yaml`` in the first folder of :func:`rules_search_path`
that has it; each file is parsed once per content. Rules never change silently: every output
names the rule set and where it came from (:func:`rules_source`, :func:`rules_label`), and a
rule set found outside the package is announced when it is used (:func:`rules_notice`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from selfeval_lib.core.rules import RuleSet
from selfeval_lib.errors import InputError
from selfeval_lib.inputs.files import shown
from selfeval_lib.inputs.messages import Problem, did_you_mean, problem_at, pydantic_message
from selfeval_lib.inputs.yaml_safe import read_bytes, read_yaml
from selfeval_lib.resources import rules_dir

#: Environment variable naming a folder searched before every other.
RULES_ENV = "SELFEVAL_RULES_DIR"
#: The package's own rule sets, used when no closer ``rules/`` folder has the set.
DEFAULT_RULES_DIR = rules_dir()


def rules_search_path(params_path: Path | None) -> list[Path]:
    """Where a rule set is looked for: $SELFEVAL_RULES_DIR, a ``rules/`` folder beside the
    params file or any folder above it, then :data:`DEFAULT_RULES_DIR`."""
    dirs: list[Path] = []
    if os.environ.get(RULES_ENV):
        dirs.append(Path(os.environ[RULES_ENV]))
    if params_path is not None:
        try:
            where = params_path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: the folders the path names
            where = params_path.absolute()
        for parent in where.parents:
            dirs.append(parent / "rules")
    dirs.append(DEFAULT_RULES_DIR)
    return dirs


def find_rule_set(name: str, params_path: Path | None = None) -> Path:
    """The file of rule set ``name``; :class:`InputError` when none is found."""
    for folder in rules_search_path(params_path):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    folders = [d for d in dict.fromkeys(rules_search_path(params_path)) if d.is_dir()]
    where = "、".join(shown(d) for d in folders)
    known = sorted({p.stem for d in folders for p in d.glob("*.yaml")})
    hint = did_you_mean(name, known)
    raise InputError([Problem(shown(params_path or name), "project.rule_set",
                              f"找不到规则集“{name}”" + (f"，{hint}" if hint else "")
                              + f"（可用：{'、'.join(known) or '无'}；查找位置：{where or '无'}）")])


def load_rule_set(path: Path) -> RuleSet:
    """Read and validate a rule set file; :class:`InputError` lists every problem."""
    return parse_rule_set(path, read_bytes(path))


@lru_cache(maxsize=32)
def parse_rule_set(path: Path, raw: bytes) -> RuleSet:
    """The rule set in ``raw`` (the bytes of ``path``), parsed once per content (a batch
    validates hundreds of projects); :class:`InputError` lists every problem."""
    data, lines = read_yaml(path, raw)
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise InputError([problem_at(shown(path), tuple(e["loc"]), pydantic_message(e, RuleSet), lines)
                          for e in exc.errors()]) from None


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
