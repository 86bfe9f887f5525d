"""The format readers aimap knows, and detection of a file's format.

Readers are tried in order; the first whose ``detect`` accepts the file's name
and first few kilobytes reads it. Specific formats come before the generic
native YAML/JSON reader, which accepts any .yaml/.yml/.json file.
"""

from __future__ import annotations

from pathlib import Path

from importers.ai_inventory import AiInventoryReader
from importers.archimate import ArchiMateReader
from importers.backstage import BackstageReader
from importers.base import FormatReader
from importers.bpmn import BpmnReader
from importers.cmdb import CmdbReader
from importers.excel import ExcelRegisterReader
from importers.native import NativeReader
from importers.register import CsvRegisterReader

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


def format_names() -> list[str]:
    return [reader.name for reader in READERS]


def detect_reader(path: Path, head: str, binary: bool) -> FormatReader | None:
    """The first reader of the given sort (binary or text) that accepts the file."""
    for reader in READERS:
        if reader.binary == binary and reader.detect(path, head):
            return reader
    return None
