"""The US federal AI use-case inventory, in every shape it is published.

Use-case tables (``importers.formats.ai_inventory_shapes`` names the shapes: the 2025,
2024 and 2023 consolidated files and the 2025 agency template, CSV or Excel,
UTF-8 or Windows-1252, with banner rows above the header): each use case
becomes an Initiative owned (accountable) by the bureau or bureaus that
reported it — the data dictionary defines the bureau as the organisation
"responsible for the AI use case" — or by the agency when none is named.
Agencies are business units, bureaus departments PART_OF their agency. The
systems named for the use case's Authorization to Operate become Systems the
initiative DEPENDS_ON; vendors become vendor Teams that OWN it as
``responsible``. The stage, its date, the high-impact flag and the contact are
kept; a blank stage is ``unknown``.

The ``…consolidated_COTS_AI_use_cases.csv`` file: each standard use an agency
answered "Y" to becomes a production Initiative owned by the agency that
DEPENDS_ON the commercial products it names. The data dictionary
(``data_dictionary.json``) is recognised and holds nothing to import.

Ids never depend on row order: a use case is ``<agency>/<id>``, or
``<agency>/named-<name>`` where the file has no id; ids that several different
rows share are told apart by the rows' bureau and name, all of them alike.
Bureaus and systems are keyed by the agency's abbreviation, which every
year spells alike. A use case with an id also declares its ``named-`` id as an alias (when the
name is unique in its agency), so the 2024 inventory, which has no ids,
links to it by agency and name. docs/importers/ai-inventory.md explains each
decision.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.schema import Kind, OwnerRole, Rel, Stage, TeamType
from importers.formats.ai_inventory_shapes import AGENCIES, Mapping, agency_from, detect, infer_agency
from importers.formats.ai_inventory_values import (
    is_placeholder, high_impact_of, parse_date, slug, split_names, split_vendors, squash, stage_of, vendor_key,
)
from importers.base import Extract, Location
from importers.reading import UnreadableFile, read_bytes

__all__ = ["AiInventoryReader", "agency_key", "parse_date", "short_hash", "split_vendors", "stage_of"]

ID_PREFIX = "ai-inventory"
COTS_COLUMNS = ("Agency", "AI Use Case", "Agency Use (Y/N)?", "Name of Commercial Product or Service Used")
DICTIONARY_MARKERS = ('"development_stage"', '"excel_header"')
PRODUCT_CATEGORY = "commercial AI product"
SNIFF_BYTES = 65536
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

DATED_STAGES = {Stage.PILOT: ("operational_date", "date_initiated"), Stage.PRODUCTION: ("operational_date",),
                Stage.RETIRED: ("date_retired",)}
"""The columns that date a stage: 2025's operational date is "when the use case
became operational or the pilot's start date"; 2024 dates initiation,
implementation and retirement apart."""


def short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:10]


def agency_key(name: str) -> str:
    """The id part of an agency, from its name, so that both files and both
    spellings ("Department of the Treasury", "Department of Treasury";
    "United States Office of Special Counsel", "Office of Special Counsel")
    meet on one Team."""
    text = re.sub(r"^(the\s+)?(united states|u\.s\.)\s+", "", name.strip(), flags=re.IGNORECASE)
    return slug(re.sub(r"\bthe\b", " ", text, flags=re.IGNORECASE))


def agency_id(name: str) -> str:
    return f"{ID_PREFIX}:agency:{agency_key(name)}"


def name_key(name: str) -> str:
    """A use-case name as compared across years: case, punctuation and spacing ignored."""
    return slug(name)


# -- reading a table, whatever the shape -------------------------------------------------

def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding it was in: the one named (``--encoding``), else
    UTF-8 (with or without a byte-order mark) when it decodes as such, else
    Windows-1252, the encoding of agencies' Excel exports (bytes it leaves
    undefined read as Latin-1)."""
    if encoding:
        try:
            return data.decode(encoding), f"{encoding} (as named)"
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Windows-1252 (Latin-1 for undefined bytes)"


@dataclass
class Table:
    """A file's rows as text cells, each with the line or row it starts on."""

    rows: list[tuple[int, list[str]]]
    encoding: str
    sheet: str | None = None


def csv_table(text: str, encoding: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    return Table(rows, encoding)


def excel_tables(path: Path, display: str, max_rows: int | None = None) -> list[Table]:
    """Each sheet as a table of text cells (``max_rows`` of each, for detection)."""
    from importers.formats.excel import WorkbookRefused, _open_workbook, cell_text

    with warnings.catch_warnings():  # openpyxl warns of the data-validation extensions it drops
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = _open_workbook(read_bytes(path, display), display)
        except WorkbookRefused as exc:
            raise UnreadableFile(_problem(display, exc.message)) from exc
        tables = []
        try:
            for sheet in workbook.worksheets:
                rows = [(number, [cell_text(value) or "" for value in row])
                        for number, row in enumerate(sheet.iter_rows(values_only=True, max_row=max_rows), start=1)]
                tables.append(Table(rows, "Excel", sheet.title))
        finally:
            workbook.close()
    return tables


def _problem(display: str, message: str):
    from importers.base import Problem
    return Problem(Location(display), message)


def _sniff_text(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    return decode(head)[0]


# -- the reader --------------------------------------------------------------------

class AiInventoryReader:
    name = "ai-inventory"
    binary = True  # reads its own bytes: Windows-1252 CSV and Excel workbooks
    description = ("the US federal AI use-case inventory: 2023, 2024 and 2025 consolidated files, the 2025 "
                   "agency template (CSV or Excel), commercial AI products")

    def detect(self, path: Path, head: str) -> bool:
        suffix = path.suffix.lower()
        try:
            if suffix == ".json":
                return all(marker in _sniff_text(path)[:4096] for marker in DICTIONARY_MARKERS)
            if suffix == ".csv":
                text = _sniff_text(path)
                rows = [row for _, row in csv_table(text.rsplit("\n", 1)[0] if len(text) >= SNIFF_BYTES else text,
                                                    "").rows[:12]]
                return bool(rows) and (set(COTS_COLUMNS) <= {c.strip() for c in rows[0]} or detect(rows) is not None)
            if suffix in EXCEL_SUFFIXES:
                return any(detect([row for _, row in table.rows]) for table in excel_tables(path, str(path), 12))
        except (OSError, UnreadableFile, csv.Error, ValueError):
            return False
        return False

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        try:
            self._read(path, extract, display)
        except UnreadableFile as exc:
            extract.problems.append(exc.problem)

    def _read(self, path: Path, extract: Extract, display: str) -> None:
        suffix = path.suffix.lower()
        if suffix == ".json":
            extract.details[display] = "the inventory's data dictionary: documentation of the columns, nothing to import"
            return
        if suffix in EXCEL_SUFFIXES:
            tables = excel_tables(path, display)
        else:
            data = read_bytes(path, display)
            if b"\x00" in data[:8192]:
                raise UnreadableFile(_problem(display, "this is a binary file, not text (wrong file or format?)"))
            try:
                tables = [csv_table(*decode(data, extract.encoding))]
            except csv.Error as exc:
                extract.error(Location(display), f"malformed CSV: {exc}")
                return
            except ValueError as exc:
                extract.error(Location(display), str(exc))
                return
        found = False
        for table in tables:
            rows = [row for _, row in table.rows[:12]]
            if table.sheet is None and rows and set(COTS_COLUMNS) <= {c.strip() for c in rows[0]}:
                read_cots(table, extract, display)
                return
            mapping = detect(rows)
            if mapping is None:
                if table.sheet is not None:
                    extract.details.setdefault(f"{display} [{table.sheet}]", "no use-case table; sheet passed over")
                continue
            found = True
            UseCaseFile(extract, display, path, table, mapping).read()
        if not found:
            extract.error(Location(display), "no use-case table found: no row among the first "
                          "ten has the columns of a known inventory shape (use case name, stage of development…)")


# -- use cases ---------------------------------------------------------------------

@dataclass
class Row:
    """One data row, mapped to machine names."""

    line: int
    cells: dict[str, str]
    agency: str = ""
    agency_name: str = ""
    name: str = ""
    given_id: str = ""
    id: str = ""
    name_alias: str | None = None

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def fingerprint(self) -> str:
        return short_hash(*(f"{k}={v}" for k, v in sorted(self.cells.items())))


@dataclass
class UseCaseFile:
    """One table of use cases: rows → records, with every row accounted for."""

    extract: Extract
    display: str
    path: Path
    table: Table
    mapping: Mapping
    emitted: set[str] = field(default_factory=set)
    outcome: Counter = field(default_factory=Counter)

    def where(self, line: int | None, column: str | None = None) -> Location:
        return Location(self.display, line, self.table.sheet, column)

    def read(self) -> None:
        self.extract.observed_on[self.display] = dt.date(self.mapping.shape.year, 12, 31)
        rows = self.data_rows()
        inferred = self.assign_agencies(rows)
        rows = [row for row in rows if self.identify(row)]
        self.assign_ids(rows)
        for row in sorted(rows, key=lambda r: r.line):
            if row.id:
                self.use_case(row)
        self.describe(inferred)

    @property
    def header(self) -> list[str]:
        return self.table.rows[self.mapping.header_row][1]

    def data_rows(self) -> list[Row]:
        header = self.mapping.header_row
        rows = []
        for line, cells in self.table.rows[header + 1:]:
            if not any(cell.strip() for cell in cells):
                self.outcome["blank rows"] += 1
                continue
            if any(cell.strip() for cell in cells[len(self.header):]):
                self.extract.error(self.where(line), "more cells than the header has columns")
                self.outcome["rows refused (more cells than the header)"] += 1
                continue
            mapped = {name: (cells[index] if index < len(cells) else "").strip()
                      for name, index in self.mapping.columns.items()}
            rows.append(Row(line, mapped))
        return rows

    def assign_agencies(self, rows: list[Row]) -> str | None:
        """Every row's agency abbreviation and name; a template file, which has
        none, takes the agency inferred from its ids, bureaus, e-mails or name."""
        inferred = None
        if not self.mapping.shape.has_agency:
            inferred = infer_agency(self.path.name, [r.get("id") for r in rows], [r.get("agency_bureau") for r in rows],
                                    [r.get("contact_email") for r in rows])
        for row in rows:
            abbreviation = row.get("agency") or inferred or ""
            name = row.get("agency_name")
            if not abbreviation and name:  # 2023: names only; else the prefix its ids share ("XA-1")
                prefix = re.match(r"^\s*([A-Za-z]{2,12})\s*[-–_]", row.get("id"))
                abbreviation = next((a for a, n in AGENCIES.items() if agency_key(n) == agency_key(name)),
                                    prefix[1] if prefix else name)
            known = agency_from(abbreviation) if abbreviation else None
            row.agency = known or abbreviation
            row.agency_name = name or AGENCIES.get(known or "", "") or abbreviation
        return inferred

    def identify(self, row: Row) -> bool:
        row.given_id = squash(row.get("id"))
        row.name = squash(row.get("use_case_name")) or row.given_id
        if not row.agency:
            message = ("a use case needs an agency" if self.mapping.shape.has_agency else
                       "the agency of this use case is unknown: the file has no agency column and none could be "
                       "read from its use-case ids, bureaus, e-mail addresses or file name")
            self.extract.error(self.where(row.line, "agency"), message)
            self.outcome["rows refused (no agency)"] += 1
            return False
        if not row.name:
            self.extract.error(self.where(row.line, "use_case_name"), "a use case needs a name or an id")
            self.outcome["rows refused (no name or id)"] += 1
            return False
        if not row.get("use_case_name"):
            self.extract.warn(self.where(row.line, "use_case_name"), f"no use-case name; named by its id {row.name!r}",
                              group="use case without a name, named by its id")
        return True

    def assign_ids(self, rows: list[Row]) -> None:
        """Ids from each row's content only, so any order of the same rows gives
        the same ids (see the module docstring)."""
        prefix = f"{ID_PREFIX}:use-case:"
        by_base: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            key = slug(row.given_id) if row.given_id else f"named-{name_key(row.name)}"
            by_base[f"{prefix}{slug(row.agency)}/{key}"].append(row)
        for base, group in by_base.items():
            distinct: dict[str, Row] = {}
            for row in sorted(group, key=lambda r: r.line):
                distinct.setdefault(row.fingerprint(), row)
            for row in group:
                if distinct[row.fingerprint()] is not row:
                    self.extract.warn(self.where(row.line, "id"), f"this row repeats another ({row.given_id or row.name!r}); "
                                      "read once", group="repeated use-case row, read once")
                    self.outcome["repeated rows, read once"] += 1
                    continue
                if len(distinct) == 1:
                    row.id = base
                    continue
                by_content = base + "~" + short_hash(row.get("agency_bureau").lower(), row.name.lower())[:8]
                clash = sum(short_hash(r.get("agency_bureau").lower(), r.name.lower()) ==
                            short_hash(row.get("agency_bureau").lower(), row.name.lower()) for r in distinct.values())
                row.id = by_content if clash == 1 else f"{base}~{row.fingerprint()[:8]}"
                described = f"use-case id {row.given_id!r}" if row.given_id else f"the name {row.name!r}"
                self.extract.warn(self.where(row.line, "id" if row.given_id else "use_case_name"),
                                  f"{described} is shared by {len(distinct)} different rows of {row.agency}; this one "
                                  f"is {row.id!r} (from its bureau and name), and is not linked to other years by it",
                                  group="use-case id or name shared by different rows, told apart by content")
        self.name_aliases(rows, prefix)

    def name_aliases(self, rows: list[Row], prefix: str) -> None:
        """A use case with an id is also known by its agency and name, so an
        inventory without ids (2024) links to it; a name shared by several use
        cases of the agency links none of them (reported, not guessed)."""
        names = Counter((row.agency, name_key(row.name)) for row in rows if row.id)
        for row in rows:
            if not row.id or not row.given_id:
                continue
            alias = f"{prefix}{slug(row.agency)}/named-{name_key(row.name)}"
            if names[(row.agency, name_key(row.name))] == 1:
                row.name_alias = alias
            else:
                self.extract.warn(self.where(row.line, "use_case_name"),
                                  f"{names[(row.agency, name_key(row.name))]} use cases of {row.agency} are named "
                                  f"{row.name!r}; none is linked by name to another year's inventory",
                                  group="use-case name shared in an agency, not linked across years by name")

    # -- one use case --------------------------------------------------------------
    def use_case(self, row: Row) -> None:
        agency = self.agency(row)
        fields: dict[str, Any] = {"id": row.id, "name": row.name, **self.properties(row)}
        if row.name_alias and row.name_alias != row.id:
            fields["aliases"] = [row.name_alias]
        self.extract.entity(Kind.INITIATIVE, fields, self.where(row.line))
        self.outcome["use cases"] += 1
        for owner in self.owners(row, agency):
            self.extract.relate(Rel.OWNS, owner, row.id, self.where(row.line, "agency_bureau"),
                                OwnerRole.ACCOUNTABLE.value)
        self.dependencies(row)

    def once(self, kind: Kind, fields: dict[str, Any], line: int, column: str | None = None) -> str:
        if fields["id"] not in self.emitted:
            self.emitted.add(fields["id"])
            self.extract.entity(kind, fields, self.where(line, column))
        return fields["id"]

    def agency(self, row: Row) -> str:
        fields: dict[str, Any] = {"id": agency_id(row.agency_name), "name": row.agency_name,
                                  "type": TeamType.BUSINESS_UNIT.value}
        if row.agency and slug(row.agency) != agency_key(row.agency_name):
            fields["aliases"] = [f"{ID_PREFIX}:agency:{slug(row.agency)}"]
        return self.once(Kind.TEAM, fields, row.line, "agency")

    def owners(self, row: Row, agency: str) -> list[str]:
        """The bureaus that reported the use case (a cell may list several),
        each PART_OF its agency; the agency itself when none is named."""
        bureaus = []
        for bureau in split_names(row.get("agency_bureau")):
            bureau = re.sub(rf"^{re.escape(row.agency)}\s*/\s*", "", bureau, flags=re.IGNORECASE).strip()
            if not bureau or slug(bureau) in {agency_key(row.agency_name), slug(row.agency)}:
                continue
            bureau_id = f"{ID_PREFIX}:bureau:{slug(row.agency)}/{slug(bureau)}"
            if bureau_id not in self.emitted:
                self.once(Kind.TEAM, {"id": bureau_id, "name": bureau, "type": TeamType.DEPARTMENT.value},
                          row.line, "agency_bureau")
                self.extract.relate(Rel.PART_OF, bureau_id, agency, self.where(row.line, "agency_bureau"))
            bureaus.append(bureau_id)
        return sorted(set(bureaus)) or [agency]

    def properties(self, row: Row) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        stage = self.stage(row)
        fields["stage"] = stage.value
        since = self.stage_since(row, stage)
        if since is not None:
            fields["stage_since"] = since.isoformat()
        impact = high_impact_of(row.get("is_high_impact"))
        if impact is not None:
            fields["high_impact"] = impact
        contact = squash(row.get("contact_email"))
        if contact and not is_placeholder(contact):
            fields["contact"] = contact[:320]
        if row.get("problem_solved"):
            fields["objective"] = row.get("problem_solved")
        if row.get("benefits"):
            fields["description"] = row.get("benefits")
        return fields

    def stage(self, row: Row) -> Stage:
        text = row.get("development_stage")
        stage = stage_of(text) if text else None
        if stage is None:
            message = f"development stage {text!r} is not one the inventory defines" if text else "no development stage"
            self.extract.warn(self.where(row.line, "development_stage"), f"{message}; read as unknown",
                              group="use case without a known development stage, read as unknown")
            return Stage.UNKNOWN
        return stage

    def stage_since(self, row: Row, stage: Stage) -> dt.date | None:
        for column in DATED_STAGES.get(stage, ()):
            text = row.get(column)
            if not text or is_placeholder(text):
                continue
            date = parse_date(text)
            if date is None:
                self.extract.warn(self.where(row.line, column),
                                  f"date {text!r} is not a date with a month; stage_since left unknown",
                                  group="stage date without a month, stage_since left unknown")
            return date
        return None

    def dependencies(self, row: Row) -> None:
        agency = slug(row.agency)
        for system in split_names(row.get("system_name_ato"), loose=True):
            if is_placeholder(system):
                continue
            system_id = self.once(Kind.SYSTEM, {"id": f"{ID_PREFIX}:system:{agency}/{slug(system)}", "name": system},
                                  row.line, "system_name_ato")
            self.extract.relate(Rel.DEPENDS_ON, row.id, system_id, self.where(row.line, "system_name_ato"))
        vendors = split_vendors(row.get("vendor_name"))
        for vendor in vendors.names:
            vendor_id = self.once(Kind.TEAM, {"id": f"{ID_PREFIX}:vendor:{vendor_key(vendor)}", "name": vendor,
                                              "type": TeamType.VENDOR.value}, row.line, "vendor_name")
            self.extract.relate(Rel.OWNS, vendor_id, row.id, self.where(row.line, "vendor_name"),
                                OwnerRole.RESPONSIBLE.value)
        for part in vendors.dropped:
            if not is_placeholder(part):
                self.extract.warn(self.where(row.line, "vendor_name"), f"{part[:80]!r} names no vendor; not read as one",
                                  group="vendor text that names no vendor (URL, contract number, date, sentence)")

    def describe(self, inferred: str | None) -> None:
        """The report's line for this table: shape, encoding, header, agency and
        how every row was accounted for."""
        mapping = self.mapping
        parts = [mapping.shape.name, self.table.encoding]
        if self.table.sheet:
            parts.append(f"sheet {self.table.sheet!r}")
        if mapping.header_row:
            parts.append(f"header on row {mapping.header_row + 1} under {mapping.header_row} banner row(s)")
        if inferred:
            parts.append(f"agency {inferred} (read from its ids, bureaus, e-mails or file name)")
        total = sum(self.outcome.values())
        counted = ", ".join(f"{n} {what}" for what, n in sorted(self.outcome.items()))
        parts.append(f"{total} rows: {counted}")
        if mapping.unknown:
            parts.append(f"{len(mapping.unknown)} columns not read")
        key = f"{self.display} [{self.table.sheet}]" if self.table.sheet else self.display
        self.extract.details[key] = "; ".join(parts)
        if mapping.unknown:
            shown = "; ".join(repr(c[:60]) for c in mapping.unknown[:8]) + (" …" if len(mapping.unknown) > 8 else "")
            self.extract.warn(self.where(mapping.header_row + 1), f"{len(mapping.unknown)} columns aimap does not read: "
                              f"{shown}", group="inventory columns not read")
        if mapping.renamed:
            renamed = "; ".join(f"{header!r} as {name}" for header, name in sorted(mapping.renamed.items()))
            self.extract.warn(self.where(mapping.header_row + 1), f"columns read by similar wording: {renamed}",
                              group="inventory column matched by similar wording")


# -- commercial products ------------------------------------------------------------

def read_cots(table: Table, extract: Extract, display: str) -> None:
    """Each agency's answer for each standard commercial AI use: "Y" is an
    initiative in production that depends on the products named."""
    header = [c.strip() for c in table.rows[0][1]]
    emitted: set[str] = set()
    outcome: Counter = Counter()
    for line, cells in table.rows[1:]:
        row = {name: (cells[i] if i < len(cells) else "").strip() for i, name in enumerate(header)}
        outcome[_cots_row(extract, display, emitted, line, row)] += 1
    counted = ", ".join(f"{n} {what}" for what, n in sorted(outcome.items()))
    extract.details[display] = f"2025 commercial AI products (COTS); {table.encoding}; {sum(outcome.values())} rows: {counted}"


def _cots_row(extract: Extract, display: str, emitted: set[str], line: int, row: dict[str, str]) -> str:
    where = lambda column=None: Location(display, line, None, column)  # noqa: E731
    agency_name, use, answer = row.get("Agency", ""), row.get("AI Use Case", ""), row.get("Agency Use (Y/N)?", "")
    if not any(row.values()):
        return "blank rows"
    if not agency_name or not use:
        extract.error(where("Agency" if not agency_name else "AI Use Case"), "a row needs an agency and a use case")
        return "rows refused"
    if answer.upper() in {"N", "NO"}:
        return "uses answered N (not in use)"
    if answer.upper() not in {"Y", "YES"}:
        extract.warn(where("Agency Use (Y/N)?"), f"use {answer!r} is neither Y nor N; skipped",
                     group="commercial AI use without a Y/N answer, skipped")
        return "uses without a Y/N answer, skipped"
    agency = agency_id(agency_name)
    if agency not in emitted:
        emitted.add(agency)
        extract.entity(Kind.TEAM, {"id": agency, "name": agency_name, "type": TeamType.BUSINESS_UNIT.value},
                       where("Agency"))
    initiative_id = f"{ID_PREFIX}:cots:{agency_key(agency_name)}/{slug(use)}"
    if initiative_id in emitted:
        return "uses repeated, read once"
    emitted.add(initiative_id)
    licences = row.get("Estimated # of Licenses/Users", "")
    description = f"Commercial AI use reported by {agency_name}" + (f"; estimated licences/users: {licences}" if licences else "")
    extract.entity(Kind.INITIATIVE, {"id": initiative_id, "name": squash(use), "stage": Stage.PRODUCTION.value,
                                     "description": description}, where())
    extract.relate(Rel.OWNS, agency, initiative_id, where("Agency"), OwnerRole.ACCOUNTABLE.value)
    product_column = "Name of Commercial Product or Service Used"
    for product in split_vendors(row.get(product_column, "")).names:
        product_id = f"{ID_PREFIX}:product:{vendor_key(product)}"
        if product_id not in emitted:
            emitted.add(product_id)
            extract.entity(Kind.SYSTEM, {"id": product_id, "name": product, "category": PRODUCT_CATEGORY},
                           where(product_column))
        extract.relate(Rel.DEPENDS_ON, initiative_id, product_id, where(product_column))
    return "uses answered Y"
