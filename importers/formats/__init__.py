"""The formats aimap reads: one module per format, the readers, detection,
and ``transform``: a file's raw records without a store.

Readers are tried in order; the first whose ``detect`` accepts the file's name
and first few kilobytes reads it. Specific formats come before the generic
native YAML/JSON reader, which accepts any .yaml/.yml/.json file.
"""

from __future__ import annotations

from pathlib import Path

from importers.base import Extract, Location, Problem
from importers.formats.ai_inventory import AiInventoryReader
from importers.formats.archimate import ArchiMateReader
from importers.formats.backstage import BackstageReader
from importers.base import FormatReader
from importers.reading import UnreadableFile, read_text
from importers.formats.bpmn import BpmnReader
from importers.formats.cmdb import CmdbReader
from importers.formats.excel import ExcelRegisterReader
from importers.formats.native import NativeReader
from importers.formats.register import CsvRegisterReader

# Files with these suffixes are read when a folder is imported; others are
# passed over (a file named explicitly is always read).
FOLDER_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".csv", ".xlsx", ".xlsm", ".xml", ".bpmn", ".archimate"})

READERS: list[FormatReader] = [
    AiInventoryReader(),  # before the Excel register: agencies publish the inventory as workbooks too
    ExcelRegisterReader(),
    BackstageReader(),
    CmdbReader(),
    CsvRegisterReader(),
    BpmnReader(),
    ArchiMateReader(),
    NativeReader(),
]


def reader_named(name: str) -> FormatReader | None:
    for reader in READERS:
        if reader.name == name:
            return reader
    return None


def configured(reader: FormatReader, settings: dict | None) -> FormatReader:
    """The reader with its format's import settings (``[import.<format>]``),
    for the readers that take any (``with_settings``)."""
    if settings and hasattr(reader, "with_settings"):
        return reader.with_settings(settings)
    return reader


def format_names() -> list[str]:
    return [reader.name for reader in READERS]


def detect_reader(path: Path, head: str, binary: bool) -> FormatReader | None:
    """The first reader of the given sort (binary or text) that accepts the file."""
    for reader in READERS:
        if reader.binary == binary and reader.detect(path, head):
            return reader
    return None


def transform(path: Path, format: str | None = None, settings: dict | None = None,
              display: str | None = None, into: Extract | None = None) -> Extract:
    """The pure read/transform step of one file: the raw records and problems
    its format's reader makes of it (``format``, else detected from the
    content), before schema validation, aliases and references — no store
    involved. Tests of a format's mapping call this; ``importers.loader``
    calls it for each file (``into`` one extract, so readers see the other
    files of the import) and then validates and writes. The format used is
    ``extract.formats[display]``."""
    extract = into if into is not None else Extract()
    display = display or str(path)
    try:
        reader, text = _open(path, display, format, extract.encoding)
    except UnreadableFile as exc:
        extract.problems.append(exc.problem)
        return extract
    if reader is None:
        extract.error(Location(display), "cannot tell the format of this file; name it with --format "
                      f"({', '.join(format_names())})")
        return extract
    extract.formats[display] = reader.name
    configured(reader, (settings or {}).get(reader.name)).read(path, text, extract, display)
    return extract


def _open(path: Path, display: str, format: str | None,
          encoding: str | None = None) -> tuple[FormatReader | None, str]:
    """The reader for a file and its text (empty for binary formats), decoded
    as UTF-8 or as the ``encoding`` the user named."""
    if format:
        reader = reader_named(format)
        if reader is None:
            raise UnreadableFile(Problem(Location(display), f"unknown format {format!r}; "
                                         f"expected one of {', '.join(format_names())}"))
        return reader, "" if reader.binary else read_text(path, display, encoding)
    reader = detect_reader(path, "", binary=True)
    if reader is not None:
        return reader, ""
    text = read_text(path, display, encoding)
    return detect_reader(path, text[:4096], binary=False), text
