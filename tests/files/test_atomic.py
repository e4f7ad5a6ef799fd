"""Atomic writes (``selfeval_lib.files.atomic``): temporary files of the writer's own, I/O
failures as ``OutputError`` naming the path and the reason (exit 1 from the CLI, no traceback,
nothing left behind), and the locked, merged JSON state shared by processes.

A full disk and a read-only folder are simulated by making the OS calls fail with ENOSPC,
EACCES or EROFS (the tests run as root, whom permission bits do not stop); a file where a folder
is expected is real."""

from __future__ import annotations

import errno
import json
import multiprocessing as mp
import os
import tempfile
from pathlib import Path

import pytest

from selfeval_lib import cli
from selfeval_lib.errors import OutputError, SelfevalError
from selfeval_lib.files import atomic
from selfeval_lib.files.atomic import (HOST_TAG, ensure_folder, locked, read_json, remove_temporaries, update_json,
                                       write_file, write_files)


def leftovers(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.name.endswith(".tmp"))


def fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


# --- temporary files belong to their writer ------------------------------------------------------

def test_a_write_leaves_only_its_files(tmp_path: Path) -> None:
    written = write_files(tmp_path / "a" / "b", {"x.txt": b"1", "y.txt": b"2"})
    assert [p.read_bytes() for p in written] == [b"1", b"2"]
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["x.txt", "y.txt"]


def test_another_writers_temporary_files_are_left_alone(tmp_path: Path) -> None:
    """Two processes writing into one folder: neither deletes the other's staged files."""
    other = tmp_path / f".report.html.{HOST_TAG}-{os.getppid()}.abcdef.tmp"  # a live process's
    other.write_bytes(b"someone else's half-written file")
    write_file(tmp_path / "report.html", b"mine")
    assert other.read_bytes() == b"someone else's half-written file"
    assert (tmp_path / "report.html").read_bytes() == b"mine"


def test_temporary_names_carry_the_writers_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = tempfile.mkstemp

    def spy(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        seen.append(Path(name).name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    write_files(tmp_path, {"a.json": b"{}", "b.json": b"{}"})
    assert len(seen) == 2 and all(n.startswith(f".{f}.{HOST_TAG}-{os.getpid()}.") and n.endswith(".tmp")
                                  for n, f in zip(seen, ("a.json", "b.json")))
    assert len(set(seen)) == 2


def test_remove_temporaries_takes_only_that_pids_files(tmp_path: Path) -> None:
    mine, theirs = (tmp_path / f".report.html.{HOST_TAG}-4242.k2j3.tmp",
                    tmp_path / f".report.html.{HOST_TAG}-4243.zz1q.tmp")
    kept = tmp_path / "report.html"
    for p in (mine, theirs, kept):
        p.write_bytes(b"")
    remove_temporaries(tmp_path, 4242)
    assert not mine.exists() and theirs.exists() and kept.exists()
    remove_temporaries(tmp_path / "missing", 4242)  # no folder: nothing to do


@pytest.mark.integration
def test_a_dead_writers_temporary_files_are_removed_by_the_next_write(tmp_path: Path) -> None:
    """A writer killed mid-write (a Dask worker, say) leaves its temporaries; the next write into
    the folder removes those of this machine whose pid no longer runs, and only those."""
    ended = mp.get_context("fork").Process(target=int)
    ended.start()
    ended.join()
    dead = tmp_path / f".report.html.{HOST_TAG}-{ended.pid}.a1b2c3d4.tmp"
    alive = tmp_path / f".report.pdf.{HOST_TAG}-{os.getppid()}.a1b2c3d4.tmp"
    other_host = tmp_path / f".report.html.{'0' * 6 if HOST_TAG != '0' * 6 else '1' * 6}-{ended.pid}.a1b2c3d4.tmp"
    for p in (dead, alive, other_host):
        p.write_bytes(b"half")
    write_file(tmp_path / "metrics.json", b"{}")
    assert not dead.exists() and alive.exists() and other_host.exists()


# --- I/O failures: path and reason named, nothing left behind ------------------------------------

@pytest.mark.parametrize("call, code, reason", [
    ("fsync", errno.ENOSPC, "磁盘空间不足"),
    ("replace", errno.EROFS, "文件系统是只读的"),
    ("fchmod", errno.EDQUOT, "磁盘配额已用完"),
])
def test_a_failed_write_names_the_path_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          call: str, code: int, reason: str) -> None:
    (tmp_path / "report.html").write_bytes(b"last good")
    monkeypatch.setattr(atomic.os, call, fail_with(code))
    with pytest.raises(OutputError) as caught:
        write_files(tmp_path, {"report.html": b"new", "metrics.json": b"{}"})
    error = caught.value
    assert isinstance(error, SelfevalError)
    assert str(tmp_path / "report.html") in str(error) and reason in str(error)
    assert error.reason == reason and error.path == str(tmp_path / "report.html")
    assert leftovers(tmp_path) == []
    assert (tmp_path / "report.html").read_bytes() == b"last good"
    assert not (tmp_path / "metrics.json").exists()


def test_a_read_only_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "mkstemp", fail_with(errno.EACCES))
    with pytest.raises(OutputError, match="没有写入权限") as caught:
        write_file(tmp_path / "index.html", b"x")
    assert str(tmp_path / "index.html") in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_a_folder_is_expected(tmp_path: Path) -> None:
    blocker = tmp_path / "outputs"
    blocker.write_text("not a folder")
    for folder in (blocker, blocker / "2023" / "p1"):
        with pytest.raises(OutputError) as caught:
            write_file(folder / "report.html", b"x")
        assert str(blocker) in str(caught.value) and "是一个文件，不是文件夹" in str(caught.value)
    with pytest.raises(OutputError, match="是一个文件夹"):  # a folder where the file should go
        (tmp_path / "out" / "report.html").mkdir(parents=True)
        write_file(tmp_path / "out" / "report.html", b"x")
    assert leftovers(tmp_path) == []
    assert blocker.read_text() == "not a folder"


def test_ensure_folder_creates_and_refuses(tmp_path: Path) -> None:
    assert ensure_folder(tmp_path / "a" / "b").is_dir()
    (tmp_path / "f").write_text("")
    with pytest.raises(OutputError, match="是一个文件"):
        ensure_folder(tmp_path / "f" / "x")


# --- the CLI: exit 1, message with the path, no traceback ----------------------------------------

def test_cli_out_naming_a_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    blocker = tmp_path / "out.txt"
    blocker.write_text("")
    for argv in (["sample", "--projects", "1", "--out", str(blocker)],
                 ["batch", str(tmp_path / "nothing"), "--out", str(blocker), "--formats", "html"]):
        assert cli.main(argv) == 1
        err = capsys.readouterr().err
        assert str(blocker) in err and "不是文件夹" in err and "Traceback" not in err and "内部错误" not in err


def test_cli_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(atomic.os, "fsync", fail_with(errno.ENOSPC))
    assert cli.main(["sample", "--projects", "2", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and str(tmp_path / "2023") in err and "内部错误" not in err
    assert leftovers(tmp_path) == [] and not list(tmp_path.rglob("*.yaml"))


def test_cli_read_only_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(tempfile, "mkstemp", fail_with(errno.EROFS))
    assert cli.main(["sample", "--projects", "2", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "文件系统是只读的" in err and str(tmp_path) in err and "Traceback" not in err


# --- the shared state: merged under a lock -------------------------------------------------------

def _add_keys(path: str, tag: str, count: int) -> None:
    for i in range(count):
        update_json(Path(path), lambda data: data.setdefault("keys", {}).__setitem__(f"{tag}-{i}", i))


@pytest.mark.integration
def test_concurrent_updates_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_add_keys, args=(str(path), tag, 30)) for tag in "abcd"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    keys = read_json(path)["keys"]
    assert len(keys) == 4 * 30
    assert leftovers(tmp_path) == []


def _hold_lock(path: str, ready, release) -> None:
    with locked(Path(path)):
        ready.set()
        release.wait(30)


@pytest.mark.integration
def test_a_lock_held_too_long_is_a_clear_error(tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(tmp_path / "state.json"), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(OutputError, match="等待其他进程释放锁超时"):
            with locked(tmp_path / "state.json", timeout=0.2):
                pass
    finally:
        release.set()
        holder.join(30)


def test_read_json_tolerates_missing_and_broken_files(tmp_path: Path) -> None:
    assert read_json(tmp_path / "none.json") == {}
    (tmp_path / "bad.json").write_text("{not json")
    assert read_json(tmp_path / "bad.json") == {}
    (tmp_path / "list.json").write_text(json.dumps([1, 2]))
    assert read_json(tmp_path / "list.json") == {}


def test_a_folder_differing_only_in_case_is_refused(tmp_path):
    from selfeval_lib.files.atomic import refuse_case_twin

    (tmp_path / "case-x").mkdir()
    refuse_case_twin(tmp_path, "case-x")  # itself
    refuse_case_twin(tmp_path, "case-y")
    refuse_case_twin(tmp_path / "missing", "Case-X")
    with pytest.raises(OutputError, match="只差大小写") as info:
        refuse_case_twin(tmp_path, "Case-X")
    assert str(tmp_path / "case-x") in str(info.value)


def test_json_with_names_that_are_not_utf8_reads_back_the_same(tmp_path):
    from selfeval_lib.files.atomic import json_bytes, read_json

    name = os.fsdecode(b"/p/gbk-\xd6\xd0.yaml")
    path = tmp_path / "state.json"
    path.write_bytes(json_bytes({name: {"项目": "甲"}}))
    assert read_json(path) == {name: {"项目": "甲"}}
    path.write_bytes(json_bytes({"项目": "甲"}))
    assert "项目" in path.read_text(encoding="utf-8")  # plain UTF-8 when it can be
