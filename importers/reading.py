"""Reading input files defensively: size limit, binary garbage, encodings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from importers.base import Location, Problem

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as text; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def max_bytes() -> int:
    """The largest file aimap reads, from ``AIMAP_MAX_FILE_MB`` (default 50)."""
    value = os.environ.get("AIMAP_MAX_FILE_MB")
    return int(float(value) * 1024 * 1024) if value else DEFAULT_MAX_BYTES


SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def regular_file(path: Path, display: str) -> os.stat_result:
    """The file's status; a pipe or a device is refused before anything opens
    it (opening a pipe with no writer blocks; /dev/zero never ends)."""
    where = Location(display)
    try:
        facts = path.stat()
    except OSError as exc:
        raise UnreadableFile(Problem(where, f"cannot read the file: {exc.strerror or exc}")) from exc
    if not stat.S_ISREG(facts.st_mode):
        what = next((name for test, name in SPECIAL_FILES if test(facts.st_mode)), "not a file")
        raise UnreadableFile(Problem(where, f"not a regular file ({what}); aimap reads regular files only: "
                                     "save the data to a file and import that"))
    return facts


def read_bytes(path: Path, display: str) -> bytes:
    """The bytes of a regular file under the size limit."""
    where = Location(display)
    size = regular_file(path, display).st_size
    limit = max_bytes()
    if size > limit:
        raise UnreadableFile(Problem(
            where,
            f"the file is {size / 1048576:.0f} MB, over the {limit / 1048576:.0f} MB limit "
            "(split it, or raise AIMAP_MAX_FILE_MB)",
        ))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(Problem(where, f"cannot read the file: {exc.strerror or exc}")) from exc


def decode_text(data: bytes, display: str) -> str:
    """UTF-8 text (a byte-order mark is dropped). Anything else is refused with
    the line and byte where decoding failed, rather than guessed."""
    if b"\x00" in data[:8192]:
        raise UnreadableFile(Problem(Location(display), "this is a binary file, not text (wrong file or format?)"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(Problem(
            Location(display, line),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 (e.g. Excel: 'CSV UTF-8')",
        )) from exc


def read_text(path: Path, display: str, encoding: str | None = None) -> str:
    """A file's text: UTF-8, or the ``encoding`` the user named (``--encoding``)."""
    data = read_bytes(path, display)
    if encoding is None:
        return decode_text(data, display)
    if b"\x00" in data[:8192] and not encoding.lower().startswith("utf-16"):
        raise UnreadableFile(Problem(Location(display), "this is a binary file, not text (wrong file or format?)"))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(Problem(Location(display, line), f"not valid {encoding} (byte 0x{data[exc.start]:02x} "
                                                              f"at offset {exc.start})")) from exc
