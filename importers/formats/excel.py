"""The Excel register: the CSV register as one workbook.

One sheet per kind (``teams``, ``people``, ``systems``, ``workflows``,
``initiatives``, ``metrics``) plus ``relationships``, each with its header in
the first row. The rows go through the same mapping as the CSV register
(``importers.formats.register.read_table``), so a workbook and a folder of CSV files
say the same thing in the same words.

Cells are turned into the text a CSV export of them would hold (numbers
without a spurious ``.0``, dates as ISO dates), so validation treats both
registers alike. Formulas are never evaluated: the workbook is opened with
``data_only=True``, which gives the value Excel last computed and saved, and a
cell whose text starts with ``=`` stays that text. The file is read through
``importers.reading.read_bytes`` (the size limit) and its unpacked size is
checked before openpyxl parses it (a zip bomb is refused, not unpacked).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from importers.base import Extract, Location
from importers.reading import UnreadableFile, max_bytes, read_bytes
from importers.formats.register import read_table, table_kind

SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
ZIP_MAGIC = b"PK\x03\x04"
UNPACK_FACTOR = 10
"""A workbook may unpack to this many times the file size limit, no more."""
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})


def cell_text(value: Any) -> str | None:
    """A cell's value as the text a CSV export would hold, or None when empty.

    Excel stores every number as a float and every date as a datetime; the
    register's columns are validated from text, so ``3.0`` becomes ``"3"`` and
    a midnight datetime becomes ``"2024-05-01"``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


class WorkbookRefused(Exception):
    """A workbook refused before any row was read."""

    def __init__(self, display: str, message: str):
        super().__init__(message)
        self.location = Location(display)
        self.message = message


def _is_zip(path: Path) -> bool:
    """Whether the file starts like a zip archive (an Office Open XML package)."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ZIP_MAGIC
    except OSError:
        return False


def _has_workbook(path: Path) -> bool:
    """Whether a zip file without a suffix is an Excel workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _check_unpacked_size(archive: zipfile.ZipFile, display: str) -> None:
    """Refuse a workbook that would unpack to far more than the size limit:
    a small file can hide gigabytes of XML (a zip bomb)."""
    limit = max_bytes() * UNPACK_FACTOR
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > limit:
        raise WorkbookRefused(display, f"the workbook unpacks to {unpacked / 1048576:.0f} MB, over the "
                                       f"{limit / 1048576:.0f} MB limit (a zip bomb? or split the workbook)")


def _open_workbook(data: bytes, display: str):
    """The workbook, read-only and with cached values instead of formulas."""
    from openpyxl import load_workbook  # imported here: only Excel imports pay for it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked_size(archive, display)
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused(display, "not a valid Excel workbook (.xlsx): the file is not a zip package "
                                       "(corrupt, or saved in another format such as .xls or CSV)") from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged package
        raise WorkbookRefused(display, f"not a valid Excel workbook (.xlsx): {type(exc).__name__}: "
                                       f"{str(exc)[:200]}") from exc


def _header(row: tuple) -> list[str | None]:
    """Column names from a sheet's first row; blank headers are None."""
    names = [cell_text(cell.value) for cell in row]
    return [name.strip() if isinstance(name, str) and name.strip() else None for name in names]


def _duplicate(header: list[str | None]) -> str | None:
    """The first column named twice (its second value would overwrite the first)."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            return name
        if name:
            seen.add(name)
    return None


def _row_values(row: tuple, header: list[str | None], title: str, display: str,
                extract: Extract) -> dict[str, Any]:
    """One data row as {header: text}. Error values (``#N/A``, ``#REF!``…)
    are reported and read as empty rather than stored as text."""
    values: dict[str, Any] = {}
    for index, cell in enumerate(row):
        value = cell.value
        if value is None:
            continue
        column = header[index] if index < len(header) else None
        where = Location(display, getattr(cell, "row", None), title, column)
        if cell.data_type == "e" or (isinstance(value, str) and value in ERROR_VALUES):
            extract.warn(where, f"Excel error value {value} read as empty", group="Excel error value read as empty")
        elif column is None:
            extract.error(where, f"a value in column {index + 1}, which has no header")
        else:
            values[column] = cell_text(value)
    return values


def _row_number(row: tuple) -> int | None:
    return next((cell.row for cell in row if getattr(cell, "row", None) is not None), None)


class ExcelRegisterReader:
    name = "excel"
    binary = True
    description = "an Excel register: one sheet per kind (teams, people, …) and relationships"

    def detect(self, path: Path, head: str) -> bool:
        """By suffix: a file named .xlsx is claimed even when it is not a zip
        package, so that it is refused with a clear message instead of being
        read as text. A zip without a suffix is claimed if it holds a workbook."""
        return path.suffix.lower() in SUFFIXES or (path.suffix == "" and _is_zip(path) and _has_workbook(path))

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        try:
            workbook = _open_workbook(read_bytes(path, display), display)
        except UnreadableFile as exc:
            extract.problems.append(exc.problem)
            return
        except WorkbookRefused as exc:
            extract.error(exc.location, exc.message)
            return
        try:
            self._read_sheets(workbook, extract, display)
        finally:
            workbook.close()

    def _read_sheets(self, workbook, extract: Extract, display: str) -> None:
        known = 0
        for sheet in workbook.worksheets:
            if table_kind(sheet.title) is None:
                extract.warn(Location(display, element=sheet.title),
                             f"sheet {sheet.title!r} is not a register table; skipped",
                             group="sheet that is not a register table, skipped")
                continue
            known += 1
            self._read_sheet(sheet, extract, display)
        if known == 0:
            extract.error(Location(display), "no sheet of this workbook is a register table; name the sheets "
                                             "teams, people, systems, workflows, initiatives, metrics or relationships")

    def _read_sheet(self, sheet, extract: Extract, display: str) -> None:
        title = sheet.title
        rows = sheet.iter_rows()
        first = next(rows, None)
        if first is None:
            return
        header = _header(first)
        duplicate = _duplicate(header)
        if duplicate:
            extract.error(Location(display, 1, title, duplicate), "this column header appears twice")
            return
        if table_kind(title) != "relationships" and "id" not in header:
            names = ", ".join(name for name in header if name)
            extract.error(Location(display, 1, title), f"the header has no 'id' column (columns: {names})")
            return
        records = []
        for row in rows:
            values = _row_values(row, header, title, display, extract)
            if values:
                records.append((_row_number(row), values))
        read_table(extract, title, records, display)
