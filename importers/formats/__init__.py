"""The formats aimap reads: one module per format, the readers, detection.

Readers are tried in order; the first whose ``detect`` accepts the file's name
and first few kilobytes reads it. Specific formats come before the generic
native YAML/JSON reader, which accepts any .yaml/.yml/.json file.
"""

from __future__ import annotations

from pathlib import Path

from importers.formats.ai_inventory import AiInventoryReader
from importers.formats.archimate import ArchiMateReader
from importers.formats.backstage import BackstageReader
from importers.base import FormatReader
from importers.formats.bpmn import BpmnReader
from importers.formats.cmdb import CmdbReader
from importers.formats.excel import ExcelRegisterReader
from importers.formats.native import NativeReader
from importers.formats.register import CsvRegisterReader

# Files with these suffixes are read when a folder is imported; others are
# passed over (a file named explicitly is always read).
FOLDER_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".csv", ".xlsx", ".xlsm", ".xml", ".bpmn", ".archimate"})

READERS: list[FormatReader] = [
    ExcelRegisterReader(),
    BackstageReader(),
    CmdbReader(),
    AiInventoryReader(),
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
