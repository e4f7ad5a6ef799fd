"""Opening an input file safely — the one way every input (params and rule-set YAML, input
workbooks, review tables) is read.

:func:`read_input` checks before it reads: the path is resolved by ``stat`` (a symlink loop is
named as such), only a regular file is read (a folder, FIFO, device or socket is refused without
being opened for long: it is opened non-blocking and checked again by ``fstat``), its size is
taken from ``stat`` and at most ``limit + 1`` bytes are ever read. :func:`decode_text` decodes
UTF-8 (a byte-order mark is accepted) and refuses undecodable bytes and forbidden characters with
their line and column.

Forbidden characters (:data:`FORBIDDEN`), refused wherever they occur — never stripped, since a
silently changed text is worse than a clear error: C0 control characters except tab, line feed
and carriage return; DEL; the C1 controls U+0080–U+009F (NEL included: YAML would read it as a
line break); U+FFFE and U+FFFF. Most of them cannot be written to XML at all, so a text holding
one would later break the Word/Excel outputs. :func:`forbidden_char` finds them in a cell's text.

Names whose bytes are not UTF-8 are read as Python gives them (``surrogateescape``) and shown by
:func:`shown` with the undecodable bytes escaped (``\\xff``), so a message can always be printed.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from selfeval_lib.errors import InputError
from selfeval_lib.files.atomic import NAME_TOO_LONG
from selfeval_lib.inputs.messages import Problem

#: Characters refused in every input text (see the module docstring).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_C0_NAMES = {0x00: "NUL 空字符", 0x07: "BEL 响铃", 0x08: "BS 退格", 0x0B: "VT 垂直制表符", 0x0C: "FF 换页符",
             0x1B: "ESC 转义符", 0x7F: "DEL 删除符", 0x85: "NEL 下一行"}
_KINDS = ((stat.S_ISDIR, "是文件夹，不是文件"), (stat.S_ISFIFO, "是命名管道（FIFO），不是普通文件"),
          (stat.S_ISCHR, "是字符设备，不是普通文件"), (stat.S_ISBLK, "是块设备，不是普通文件"),
          (stat.S_ISSOCK, "是套接字，不是普通文件"))


def shown(path: Path | str) -> str:
    """``path`` as text that can always be printed: bytes that are not UTF-8 escaped (``\\xff``)."""
    return os.fsencode(os.fspath(path)).decode("utf-8", "backslashreplace")


def resolved(path: Path | str) -> Path:
    """``path`` made absolute with its links followed, or only made absolute where they cannot be
    (a symlink loop, a name too long): :func:`read_input` then says what is wrong with it."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return Path(path).absolute()


#: The first bytes of an OLE2 compound file (.xls, .doc, and a password-protected .xlsx/.docx).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The streams of an Office file encrypted with a password (MS-OFFCRYPTO).
ENCRYPTED_STREAMS = frozenset({"EncryptedPackage", "EncryptionInfo"})
#: What a user is told about such a file.
ENCRYPTED_MESSAGE = "文件已加密（受密码保护的 Word/Excel 文件）：请在 Excel/WPS 中去除密码后另存，再试"


def ole_stream_names(raw: bytes) -> set[str] | None:
    """The stream names of an OLE2 compound file; None when ``raw`` is not one, or is damaged."""
    if not raw.startswith(OLE_MAGIC):
        return None
    import io

    from xlrd.compdoc import CompDoc

    try:
        return {entry.name for entry in CompDoc(raw, logfile=io.StringIO()).dirlist}
    except Exception:  # noqa: BLE001 - a damaged OLE2 directory
        return None


def is_encrypted_office(raw: bytes) -> bool:
    """Whether ``raw`` is a password-protected Office file (:data:`ENCRYPTED_STREAMS`)."""
    return bool((ole_stream_names(raw) or set()) & ENCRYPTED_STREAMS)


def _refused(name: str, reason: str) -> InputError:
    return InputError([Problem(name, "", f"无法读取文件：{reason}")])


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "符号链接循环（链接直接或间接指向自身，无法找到实际文件）"
    if exc.errno == errno.ENOENT:
        return "文件不存在"
    if exc.errno == errno.ENOTDIR:
        return "路径中的某一级不是文件夹"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限"
    if exc.errno == errno.ENAMETOOLONG:
        return NAME_TOO_LONG
    return exc.strerror or type(exc).__name__


def _check_kind(name: str, st: os.stat_result, limit: int) -> None:
    for test, reason in _KINDS:
        if test(st.st_mode):
            raise _refused(name, reason)
    if not stat.S_ISREG(st.st_mode):
        raise _refused(name, "不是普通文件")
    if st.st_size > limit:
        raise InputError([Problem(name, "", f"文件过大（{st.st_size} 字节，上限 {limit} 字节）")])


def read_input(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`InputError` (one :class:`Problem` naming the file as :func:`shown` prints it)
    for a missing or unreadable file, a symlink loop, anything but a regular file, or a file
    larger than ``limit`` bytes — by ``stat`` before reading, and again while reading (a file that
    grows is not read past ``limit + 1`` bytes).
    """
    name = shown(path)
    if "\0" in os.fspath(path):
        raise _refused(name, "文件名含空字符（NUL）")
    try:
        _check_kind(name, os.stat(path), limit)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)  # non-blocking: a FIFO swapped in after the stat cannot hang us
    except OSError as exc:
        raise _refused(name, _os_reason(exc)) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            _check_kind(name, os.fstat(handle.fileno()), limit)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _refused(name, _os_reason(exc)) from None
    if len(data) > limit:
        raise InputError([Problem(name, "", f"文件过大（超过上限 {limit} 字节）")])
    return data


def char_label(char: str) -> str:
    """A character as a message names it: ``U+0000（NUL 空字符）``, ``U+FFFE（非字符）``."""
    code = ord(char)
    if code in _C0_NAMES:
        kind = _C0_NAMES[code]
    elif code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "控制字符"
    else:
        kind = "非字符，XML 不允许"
    return f"U+{code:04X}（{kind}）"


def forbidden_char(text: str) -> tuple[int, str] | None:
    """The 0-based index and the first character of ``text`` that :data:`FORBIDDEN` refuses."""
    m = FORBIDDEN.search(text)
    return (m.start(), m.group()) if m else None


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``text[index]``, lines broken as YAML breaks them."""
    line, start = 1, 0
    for m in _BREAK.finditer(text, 0, index):
        line, start = line + 1, m.end()
    return line, index - start + 1


def decode_text(raw: bytes, name: str, what: str = "文件") -> str:
    """``raw`` decoded as UTF-8 (with or without a byte-order mark).

    Raises :class:`InputError` with the line and column for bytes that are not UTF-8 and for the
    first forbidden character (:data:`FORBIDDEN`; the message counts the others).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line, column = _position(before + "?", len(before))
        message = f"{what}不是 UTF-8 编码（第 {exc.start + 1} 字节 0x{raw[exc.start]:02X} 无法解码），请另存为 UTF-8"
        raise InputError([Problem(name, "", message, line, column)]) from None
    found = forbidden_char(text)
    if found:
        index, char = found
        line, column = _position(text, index)
        more = len(FORBIDDEN.findall(text)) - 1
        message = (f"不允许的字符 {char_label(char)}"
                   f"{f'（另有 {more} 处）' if more else ''}：{what}中不能有控制字符或非字符，请删除后再试")
        raise InputError([Problem(name, "", message, line, column)])
    return text
