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
import operator
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.schema import KIND_BY_PLURAL, REL_ENDS, Kind, Rel, allowed_values, relation_fields, with_current_ends
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


def _text_cell(value: str) -> str | None:
    """``_cell`` of a CSV cell, which is always text."""
    value = value.strip()
    if value[:1] == "'" and value[1:2] in ESCAPED_STARTS:
        value = value[1:]
    return value or None


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
    _relate(extract, cells.get("type"), cells.get("from_id"), cells.get("to_id"), cells.get("role"), location)


_REL_BY_NAME = {rel.value: rel for rel in Rel}


def _relate(extract: Extract, rel_type: Any, from_id: Any, to_id: Any, role: Any, location: Location) -> None:
    """One relationship row's cells (already through ``_cell``) as a raw relationship, or its error."""
    rel = _REL_BY_NAME.get(str(rel_type or "").upper())
    if rel is None:
        extract.error(location.at("type"),
                      f"unknown relationship type {rel_type!r}; expected one of {allowed_values(Rel)}")
        return
    for column, value in zip(REL_ENDS, (from_id, to_id), strict=True):
        if value is None:
            extract.error(location.at(column), "expected the id of an entity")
            return
    extract.relate(rel, str(from_id), str(to_id), location, role)


def _relationship_table(extract: Extract, table: str, header: list[str], rows: list[tuple[int, list[str]]],
                        file: str) -> None:
    """The rows of a CSV relationships table whose header names only current
    columns, read by position: the per-row work of ``read_table`` and
    ``_relationship_row`` (a dict per row, the column checks) done once for
    the header. Another header goes the general way, row by row."""
    if len(set(header)) != len(header) or not set(header) <= set(RELATIONSHIP_COLUMNS):
        read_table(extract, table, _as_dicts(header, rows), file)
        return
    element = table if not file.endswith(".csv") else None
    width = len(header)
    pick = operator.itemgetter(*(header.index(c) if c in header else width for c in RELATIONSHIP_COLUMNS))
    padding = [""] * width
    for line, row in rows:
        cells = [_text_cell(value) for value in (row if len(row) == width else row + padding[len(row):])]
        if cells.count(None) == width:
            continue
        cells.append(None)  # the cell of a column the header lacks
        rel_type, from_id, to_id, role = pick(cells)
        rel = _REL_BY_NAME.get(rel_type.upper()) if rel_type is not None else None
        if rel is None or from_id is None or to_id is None:
            _relate(extract, rel_type, from_id, to_id, role, Location(file, line, element))  # says what is wrong
        else:
            extract.relate(rel, from_id, to_id, Location(file, line, element), role)


CsvRows = tuple[list[str], list[tuple[int, dict[str, Any]]]]
CsvTable = tuple[list[str], list[tuple[int, list[str]]]]


def csv_header(head: str) -> list[str]:
    """The column names (stripped) on the first line of a CSV text, for detection."""
    return [name.strip() for name in next(csv.reader(io.StringIO(head.split("\n", 1)[0])), [])]


def csv_table(text: str, display: str, extract: Extract) -> CsvTable | None:
    """The header (names stripped) and rows of a CSV text as lists of cells,
    each row with the line it starts on (a quoted cell may span lines; an
    empty line is passed over and counts towards the next row's line, as
    ``csv.DictReader`` did). A row with more cells than the header is an
    error; malformed CSV is an error and gives None."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        header = [name.strip() for name in next(reader, [])]
        width = len(header)
        start = reader.line_num + 1
        for row in reader:
            if not row:
                continue
            if len(row) > width:
                extract.error(Location(display, start), "more cells than the header has columns")
            else:
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        extract.error(Location(display, reader.line_num), f"malformed CSV: {exc}")
        return None
    return header, rows


def _as_dicts(header: list[str], rows: list[tuple[int, list[str]]]) -> list[tuple[int, dict[str, Any]]]:
    """Rows by column name, a missing cell None (``csv.DictReader``'s rows)."""
    missing = [None] * len(header)
    return [(line, dict(zip(header, [*row, *missing[len(row):]], strict=True))) for line, row in rows]


def csv_rows(text: str, display: str, extract: Extract) -> CsvRows | None:
    """As ``csv_table``, each row a dict by column name."""
    parsed = csv_table(text, display, extract)
    if parsed is None:
        return None
    header, rows = parsed
    return header, _as_dicts(header, rows)


class CsvRegisterReader:
    name = "csv"
    binary = False
    description = "a CSV register: teams.csv, people.csv, … and relationships.csv"

    def detect(self, path: Path, head: str) -> bool:
        return path.suffix.lower() == ".csv" and table_kind(path.stem) is not None

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        parsed = csv_table(text, display, extract)
        if parsed is None:
            return
        header, rows = parsed
        kind = table_kind(path.stem)
        if kind == "relationships":
            _relationship_table(extract, path.stem, header, rows, display)
            return
        if "id" not in header:
            extract.error(Location(display, 1), f"the header has no 'id' column (columns: {', '.join(header)})")
            return
        read_table(extract, path.stem, _as_dicts(header, rows), display)
