"""Which params files to run: discover them, skip those whose last good run is up to date
(without even parsing them) and whose report folder still holds their report (not one written
since by another params file with the same year and id), validate the rest once, and refuse two
files writing to the same report folder. The validated project travels with its :class:`Task`,
so nothing parses it again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from selfeval_lib.batch.fingerprint import library_fingerprint, notebook_fingerprint
from selfeval_lib.batch.state import load_folders, load_state
from selfeval_lib.batch.task import Task
from selfeval_lib.inputs.files import read_input, resolved, shown
from selfeval_lib.inputs.yaml_safe import MAX_FILE_BYTES
from selfeval_lib.inputs.params import InputError, Problem, discover
from selfeval_lib.inputs.rulesets import find_rule_set
from selfeval_lib.runner.options import RunOptions
from selfeval_lib.runner.product import Product
from selfeval_lib.runner.products import SELF_EVALUATION
from selfeval_lib.files.digest import sha256_file


@dataclass
class Plan:
    to_run: list[Task] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    invalid: dict[str, list[Problem]] = field(default_factory=dict)


def _is_up_to_date(key: str, entry: dict[str, Any] | None, fingerprint: dict[str, str], product: Product,
                   options: RunOptions, out_root: Path, rules_hash: Callable[[str], str | None],
                   folders: dict[str, dict[str, str]], rules_found: Callable[[str, Path], str | None]) -> bool:
    formats = options.formats
    if not entry or entry.get("status") != "ok":
        return False
    producer = folders.get(entry.get("out_dir", ""))
    if producer != {"params": entry.get("params", key), "params_sha256": fingerprint["params_sha256"]}:
        return False  # the folder holds another params file's report (or an unknown one)
    recorded = entry.get("fingerprint", {})
    if any(recorded.get(k) != v for k, v in fingerprint.items()):
        return False
    if rules_hash(recorded.get("rules_path", "")) != recorded.get("rules_sha256"):
        return False
    rules_path = recorded.get("rules_path", "")  # a rules/ folder put above the params since: not silent
    if rules_found(Path(rules_path).stem, Path(entry.get("params", key))) != rules_path:
        return False
    if not set(formats) <= set(entry.get("formats", ())):
        return False
    out_dir = out_root / entry["out_dir"]
    return all((out_dir / name).is_file() for name in product.files(formats))


def make_plan(paths: list[str | Path], out_root: Path, options: RunOptions = RunOptions(), *,
              product: Product = SELF_EVALUATION, force: bool = False, year: int | None = None,
              state: dict[str, dict[str, Any]] | None = None,
              folders: dict[str, dict[str, str]] | None = None) -> Plan:
    """Discover params files, skip those whose ``product`` is up to date, validate the rest with
    the product's checks (the monitoring's of its month; the product's run parameters and the
    files it reads besides the params are part of the fingerprint)."""
    out_root = Path(out_root)
    state = load_state(out_root) if state is None else state
    folders = load_folders(out_root) if folders is None else folders
    shared = {"notebook_cells": notebook_fingerprint(product.notebook_for(options)),
              "library": library_fingerprint(), "rule_set_override": options.rule_set or "",
              **{name: str(value) for name, value in sorted(product.parameters.items())}}
    rules_cache: dict[str, str | None] = {}

    def rules_hash(path: str) -> str | None:
        if path not in rules_cache:
            rules_cache[path] = sha256_file(Path(path)) if path and Path(path).is_file() else None
        return rules_cache[path]

    found_cache: dict[tuple[str, Path], str | None] = {}

    def rules_found(name: str, params: Path) -> str | None:
        """The file rule set ``name`` of a params file in this folder would be read from now."""
        if (name, params.parent) not in found_cache:
            try:
                found_cache[name, params.parent] = str(find_rule_set(name, params).resolve())
            except (InputError, OSError, RuntimeError):
                found_cache[name, params.parent] = None
        return found_cache[name, params.parent]

    plan = Plan()
    # (year, project id case-folded) → the params file that writes there, and the id it gave: two
    # ids that differ only in case are one folder on a case-insensitive disk (Windows, macOS)
    owners: dict[tuple[int, str], tuple[str, str]] = {}

    def claim(year_: int, project_id: str, key: str) -> tuple[str, str] | None:
        """The other params file already writing to this report folder, and its id, if any."""
        other = owners.setdefault((year_, project_id.casefold()), (key, project_id))
        return other if other[0] != key else None

    for path in discover(paths):
        params_key = str(resolved(path))  # a symlink loop: product.load below names it
        key = product.state_key(params_key)
        try:  # a FIFO, a device or an oversized file is refused before it is read
            params_sha = hashlib.sha256(read_input(path, MAX_FILE_BYTES)).hexdigest()
        except InputError:
            params_sha = ""
        fingerprint = {**shared, "params_sha256": params_sha}
        reads = product.reads(Path(path))  # the monitoring's projection reads the earlier years too
        if reads:
            fingerprint["reads"] = ",".join(f"{p.parent.name}:{sha256_file(p)}" for p in reads)
        entry = state.get(key)
        if not force and _is_up_to_date(key, entry, fingerprint, product, options, out_root, rules_hash, folders,
                                        rules_found):
            if (year is None or entry.get("year") == year) and not claim(entry["year"], entry["project_id"], params_key):
                plan.up_to_date.append(key)
                continue
        try:
            loaded = product.load_input(path, options.rule_set)
        except InputError as exc:
            plan.invalid[str(path)] = exc.problems
            continue
        project = loaded.project_year.project
        if year is not None and project.year != year:
            continue
        other = claim(project.year, project.id, params_key)
        if other:
            other_file, other_id = other
            message = (f"与 {shown(other_file)} 的年度和项目编号相同（{project.year}/{project.id}），两份报告会写入同一文件夹"
                       if other_id == project.id else
                       f"与 {shown(other_file)} 的项目编号只差大小写（{other_id} / {project.id}），在 Windows、macOS "
                       "等不区分大小写的磁盘上两份报告会写入同一文件夹；请统一编号")
            plan.invalid[str(path)] = [Problem(str(path), "project.id", message)]
            continue
        fingerprint = {**fingerprint, "rules_path": str(loaded.rules_path.resolve()),
                       "rules_sha256": loaded.rules_sha256}
        plan.to_run.append(Task(key=key, params=params_key, out_root=str(out_root.resolve()), product=product,
                                options=options, loaded=loaded, fingerprint=fingerprint))
    return plan
