"""Writing files so that a reader never sees half of one, and two writers never spoil each other's
work: a temporary name of the writer's own in the same folder
(``.<name>.<host>-<pid>.<random>.tmp``, ``host`` a short tag of the machine), flushed to disk,
then moved into place (``os.replace``).

- A writer removes its own temporary files (on success and on failure), never those of another
  live writer. Those of a writer that died are removed by whoever knows its pid
  (:func:`remove_temporaries`), or by the next write into the folder when their tag names this
  machine and a pid that no longer runs (a killed Dask worker); another machine's are kept.
- Every failure of the file system (a read-only folder, a file where a folder is expected, a full
  disk …) raises :class:`~selfeval_lib.errors.OutputError` naming the path and the reason in
  Chinese, with nothing of this write left behind.
- :func:`locked` serialises read-modify-write of a shared file (the batch state) between
  processes with a file lock (``filelock``).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selfeval_lib.errors import OutputError

#: Seconds to wait for another process's lock on a shared file before giving up.
LOCK_TIMEOUT = 120.0
#: ENAMETOOLONG in words: most file systems allow 255 bytes a name (a Chinese character is 3 in UTF-8).
NAME_TOO_LONG = "名称过长：路径中有一段超过 255 字节（一个汉字占 3 字节）"
#: What each OS error means, for the message.
REASONS = {
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘配额已用完", errno.EACCES: "没有写入权限",
    errno.EPERM: "不允许此操作", errno.EROFS: "文件系统是只读的", errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EEXIST: "已有同名文件，不是文件夹", errno.EISDIR: "是一个文件夹", errno.ENAMETOOLONG: NAME_TOO_LONG,
    errno.EIO: "输入输出错误", errno.ENOENT: "路径不存在",
}


def describe(exc: OSError) -> str:
    """The reason of an OS error, in Chinese (with the system's own text for the rest)."""
    if isinstance(exc, TimeoutError) and exc.errno is None:
        return "等待其他进程释放锁超时"
    reason = REASONS.get(exc.errno or 0)
    return reason or (exc.strerror or str(exc) or type(exc).__name__)


def output_error(path: Path, what: str, exc: OSError) -> OutputError:
    """An :class:`OutputError`: ``what`` failed on ``path`` because of ``exc``."""
    return OutputError(f"无法{what} {path}：{describe(exc)}", path=str(path), reason=describe(exc))


def _blocking_file(folder: Path) -> Path | None:
    """The first part of ``folder`` that exists and is not a folder (a file in the way)."""
    for part in [*reversed(folder.parents), folder]:
        try:
            if part.exists() and not part.is_dir():
                return part
        except OSError:  # a name too long, a symlink loop …: the caller names the reason
            return None
    return None


def ensure_folder(folder: Path) -> Path:
    """Create ``folder`` (and its parents) if needed; :class:`OutputError` when it cannot be one."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocking = _blocking_file(folder)
        if blocking is not None:
            raise OutputError(f"无法创建文件夹 {folder}：{blocking} 是一个文件，不是文件夹",
                              path=str(blocking), reason="是文件，不是文件夹") from None
        raise output_error(folder, "创建文件夹", exc) from None
    return folder


def refuse_case_twin(parent: Path, name: str) -> None:
    """:class:`OutputError` when ``parent`` already holds an entry whose name differs from
    ``name`` only in case (``Case-X`` beside ``case-x``): on a case-insensitive disk (Windows,
    macOS) — where a bureau copies the outputs — the two are one folder, and one report is lost."""
    try:
        twins = sorted(e.name for e in os.scandir(parent) if e.name != name and e.name.casefold() == name.casefold())
    except OSError:  # no such folder yet: no twin
        return
    if twins:
        raise OutputError(f"无法写入 {Path(parent) / name}：已有 {Path(parent) / twins[0]}，两者只差大小写，"
                          "复制到 Windows 或 macOS 的磁盘上会成为同一个文件夹；请统一项目编号的大小写",
                          path=str(Path(parent) / twins[0]), reason="名称只差大小写")


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


#: This machine's tag in temporary names (so that a folder shared between machines is safe).
HOST_TAG = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_TEMPORARY = re.compile(r"^\..+\.(?P<host>[0-9a-f]{6})-(?P<pid>\d+)\.[^.]+\.tmp$")


def _temporary_prefix(name: str, pid: int) -> str:
    return f".{name}.{HOST_TAG}-{pid}."


def remove_temporaries(folder: Path, pid: int) -> None:
    """Remove the temporary files process ``pid`` (of this machine) left in ``folder``."""
    folder = Path(folder)
    if folder.is_dir():
        for tmp in folder.glob(f".*.{HOST_TAG}-{pid}.*.tmp"):
            tmp.unlink(missing_ok=True)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (EPERM): it runs
        return True
    return True


def _remove_orphans(folder: Path) -> None:
    """Remove the temporary files in ``folder`` of writers of this machine that no longer run."""
    for tmp in folder.glob(".*.tmp"):
        match = _TEMPORARY.match(tmp.name)
        if match and match["host"] == HOST_TAG and not _is_running(int(match["pid"])):
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass


def write_files(folder: Path, contents: dict[str, bytes]) -> list[Path]:
    """Write every file of ``contents`` (name → bytes) into ``folder``: all are staged under this
    writer's own temporary names first and moved into place only when all are written, so a
    failure leaves the previous files as they were (and no temporary file)."""
    folder = ensure_folder(folder)
    _remove_orphans(folder)
    mode, pid = _file_mode(), os.getpid()
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in contents.items():
            final = folder / name
            try:
                fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(name, pid), suffix=".tmp", dir=folder)
            except OSError as exc:
                raise output_error(final, "写入", exc) from None
            staged.append((Path(tmp), final))
            try:
                with os.fdopen(fd, "wb") as handle:
                    os.fchmod(handle.fileno(), mode)
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise output_error(final, "写入", exc) from None
        for tmp, final in staged:
            try:
                os.replace(tmp, final)
            except OSError as exc:
                raise output_error(final, "写入", exc) from None
    finally:
        for tmp, _ in staged:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
    return [final for _, final in staged]


def write_file(path: Path, data: bytes) -> Path:
    """Write one file atomically (see :func:`write_files`)."""
    (written,) = write_files(Path(path).parent, {Path(path).name: data})
    return written


def lock_path(path: Path) -> Path:
    """The lock file that guards ``path`` (beside it: ``<name>.lock``)."""
    return Path(path).with_name(Path(path).name + ".lock")


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the inter-process lock of ``path`` (its folder is created if needed). Do not nest
    two ``locked`` of the same path in one process: the second would wait for the first."""
    from filelock import FileLock

    target = lock_path(path)
    ensure_folder(target.parent)
    try:
        lock = FileLock(str(target), timeout=timeout)
        lock.acquire()
    except OSError as exc:
        raise output_error(target, "锁定", exc) from None
    try:
        yield
    finally:
        lock.release()


def update_json(path: Path, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Read the JSON object at ``path`` (empty when missing or unreadable), let ``change`` modify
    it, and write it back atomically — all under :func:`locked`, so changes of concurrent
    processes are merged, never lost. Returns the object written."""
    path = Path(path)
    with locked(path):
        data = read_json(path)
        change(data)
        write_file(path, json_bytes(data))
    return data


def json_bytes(data: Any) -> bytes:
    """``data`` as UTF-8 JSON with sorted keys. A string holding a file name whose bytes are not
    UTF-8 (Python keeps them as lone surrogates) cannot be UTF-8: then the whole file is written
    with ASCII escapes (``\\udcff``), which :func:`read_json` reads back to the very same names."""
    try:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, sort_keys=True, indent=1).encode("ascii")


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object at ``path``; empty when the file is missing, unreadable or not an object."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
