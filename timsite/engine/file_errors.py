"""File-system errors (disk full, read-only, permission, file name too long) as one plain line naming the file.

An OSError reaches the build either as an exception or as the text of a traceback (the forked outputs'
writer reports its failure as text); both give the same sentence.

>>> one_line(OSError(36, "File name too long", "/site/publications/x.csl.json"))
'a file name is too long for the file system (/site/publications/x.csl.json)'
>>> one_line("Traceback ...\\nOSError: [Errno 28] No space left on device: '/site/feeds/all.atom.xml'\\n")
'the disk is full (/site/feeds/all.atom.xml)'
>>> one_line("ValueError: no") is None
True
"""

from __future__ import annotations

import errno
import os
import re

PLAIN = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "a file name is too long for the file system",
    errno.EMFILE: "too many files are open",
    errno.EIO: "the disk could not be read or written (input/output error)",
}
"""Errors a build meets on a real machine, in plain words; any other is told by the system's own words."""

_ERRNO = re.compile(r"\[Errno (\d+)\][^\n]*?(?:: '([^'\n]*)')?(?:\s*->\s*'[^'\n]*')?$", re.MULTILINE)


def one_line(error: BaseException | str) -> str | None:
    """One line for a file-system error (an exception, or a traceback's text), or None if it is not one."""
    if isinstance(error, BaseException):
        found = _os_error(error)
        if found is None:
            return None
        code, filename = found.errno, found.filename
    else:
        matches = list(_ERRNO.finditer(error))
        if not matches:
            return None
        code, filename = int(matches[-1].group(1)), matches[-1].group(2)
    if code is None:
        return None
    return describe(code, filename)


def describe(code: int, filename: str | None) -> str:
    """The error number `code` in plain words, with the file it concerns."""
    said = PLAIN.get(code) or os.strerror(code).lower()
    return f"{said} ({filename})" if filename and filename != "None" else said


def _os_error(error: BaseException) -> OSError | None:
    """The OSError this error is, or was raised from (MkDocs and the plugin wrap errors in their own)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError) and current.errno is not None:
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


__all__ = ["PLAIN", "describe", "one_line"]
