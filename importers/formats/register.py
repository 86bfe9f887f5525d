"""Registers: one table per node kind plus one for relationships.

The CSV register is a folder of files named after the kind (``teams.csv``,
``people.csv``, ``systems.csv``, ``workflows.csv``, ``initiatives.csv``,
``metrics.csv``) and ``relationships.csv`` (columns ``type, from_id, to_id, role``;
``from`` and ``to`` are still read, as registers written before aimap 0.2 have them).
Entity columns are the kind's properties; relationship columns named by the
schema (``part_of``, ``uses``, ``owners``…) and ``aliases`` hold one id or
several separated by ``;``. Empty cells are unknown values, not blanks.
The Excel reader feeds its sheets through the same mapping.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.schema import KIND_BY_PLURAL, REL_ENDS, REL_SPECS, Kind, Rel, allowed_values, relation_fields, with_current_ends
from importers.base import Extract, Location

LIST_SEPARATOR = ";"
RELATIONSHIP_TABLES = {"relationships", "relationship", "relations", "edges"}
RELATIONSHIP_COLUMNS = ("type", *REL_ENDS, "role")
LIST_COLUMNS = {"aliases", "stage_history"}
ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
"""A cell that starts with ' and then one of these was escaped by ``aimap export``."""


def table_kind(name: str) -> Kind | str | None:
    """The kind a table (file stem or sheet name) holds, ``"relationships"``, or None."""
    key = name.strip().lower().replace(" ", "_")
    if key in RELATIONSHIP_TABLES:
        return "relationships"
    if key in KIND_BY_PLURAL:
        return KIND_BY_PLURAL[key]
    for kind in Kind:
        if key == kind.value.lower():
            return kind
    return None


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def _cell(value: Any) -> Any:
    """A cell's value, or None when empty; text is stripped, never evaluated."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value[:1] == "'" and value[1:2] in ESCAPED_STARTS:
            value = value[1:]  # aimap export's guard against spreadsheet formulas
        return value or None
    return value


def read_table(extract: Extract, table: str, rows: Iterable[tuple[int | None, dict[str, Any]]], file: str) -> None:
    """Map the rows of one register table onto raw records."""
    kind = table_kind(table)
    if kind is None:
        names = ", ".join([*KIND_BY_PLURAL, "relationships"])
        extract.error(Location(file, element=table), f"unknown table {table!r}; name it one of {names}")
        return
    for line, row in rows:
        cells = {str(key).strip(): _cell(value) for key, value in row.items() if key is not None}
        if all(value is None for value in cells.values()):
            continue
        location = Location(file, line, table if not file.endswith(".csv") else None)
        if isinstance(kind, Kind):
            _entity_row(extract, kind, cells, location)
        else:
            _relationship_row(extract, cells, location)


def _entity_row(extract: Extract, kind: Kind, cells: dict[str, Any], location: Location) -> None:
    fields: dict[str, Any] = {}
    relation_columns = relation_fields(kind)
    entity_id = cells.get("id")
    entity_id = str(entity_id).strip() if entity_id is not None else None
    for column, value in cells.items():
        if value is None:
            continue
        if column in relation_columns:
            spec, outgoing = relation_columns[column]
            for other in split_list(str(value)):
                if entity_id:
                    ends = (entity_id, other) if outgoing else (other, entity_id)
                    extract.relate(spec.type, *ends, location.at(column))
        elif column in LIST_COLUMNS:
            fields[column] = split_list(str(value))
        else:
            fields[column] = value
    if entity_id is not None:
        fields["id"] = entity_id
    extract.entity(kind, fields, location, {})


def _relationship_row(extract: Extract, cells: dict[str, Any], location: Location) -> None:
    cells = with_current_ends(cells)
    unknown = sorted(set(cells) - set(RELATIONSHIP_COLUMNS))
    if unknown:
        extract.error(location.at(unknown[0]), f"unknown column; relationships have {', '.join(RELATIONSHIP_COLUMNS)}")
        return
    rel_type = str(cells.get("type") or "").upper()
    if rel_type not in REL_SPECS:
        extract.error(location.at("type"),
                      f"unknown relationship type {cells.get('type')!r}; expected one of {allowed_values(Rel)}")
        return
    for column in REL_ENDS:
        if cells.get(column) is None:
            extract.error(location.at(column), "expected the id of an entity")
            return
    extract.relate(Rel(rel_type), str(cells["from_id"]), str(cells["to_id"]), location, cells.get("role"))


CsvRows = tuple[list[str], list[tuple[int, dict[str, Any]]]]


def csv_header(head: str) -> list[str]:
    """The column names (stripped) on the first line of a CSV text, for detection."""
    return [name.strip() for name in next(csv.reader(io.StringIO(head.split("\n", 1)[0])), [])]


def csv_rows(text: str, display: str, extract: Extract) -> CsvRows | None:
    """The header (names stripped) and rows of a CSV text, each row with the
    line it starts on (a quoted cell may span lines). A row with more cells
    than the header is an error; malformed CSV is an error and gives None."""
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey=_EXTRA)
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        start = reader.line_num + 1
        for row in reader:
            if _EXTRA in row:
                extract.error(Location(display, start), "more cells than the header has columns")
            else:
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        extract.error(Location(display, reader.line_num), f"malformed CSV: {exc}")
        return None
    return header, rows


_EXTRA = "\x00extra"  # DictReader's key for cells beyond the header


class CsvRegisterReader:
    name = "csv"
    binary = False
    description = "a CSV register: teams.csv, people.csv, … and relationships.csv"

    def detect(self, path: Path, head: str) -> bool:
        return path.suffix.lower() == ".csv" and table_kind(path.stem) is not None

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        parsed = csv_rows(text, display, extract)
        if parsed is None:
            return
        header, rows = parsed
        if "id" not in header and table_kind(path.stem) != "relationships":
            extract.error(Location(display, 1), f"the header has no 'id' column (columns: {', '.join(header)})")
            return
        read_table(extract, path.stem, rows, display)
