"""The US federal AI use-case inventory (OMB, 2024 and 2025 consolidated files).

Two CSV files are read, told apart by their header:

* ``…individually_reported_AI_use_cases.csv`` (columns as in the data
  dictionary: ``agency``, ``agency_name``, ``id``, ``use_case_name``,
  ``agency_bureau``, ``development_stage``…): each use case becomes an
  Initiative, owned (accountable) by the bureau that reported it — the data
  dictionary defines the bureau as the organisation "responsible for the AI use
  case" — or by the agency when no bureau is named. Agencies are business
  units, bureaus departments PART_OF their agency. The system named for the
  use case's Authorization to Operate becomes a System the initiative
  DEPENDS_ON (the AI runs inside that system's boundary); vendors become
  vendor Teams that OWN the initiative as ``responsible`` (they do the work
  under the bureau's accountability).
* ``…consolidated_COTS_AI_use_cases.csv`` (``Agency``, ``AI Use Case``,
  ``Agency Use (Y/N)?``, ``Name of Commercial Product or Service Used``):
  each standard use an agency answered "Y" to becomes a production Initiative
  owned by the agency that DEPENDS_ON the commercial products it names.

The data dictionary (``data_dictionary.json``) is recognised and holds nothing
to import. docs/importers/ai-inventory.md explains each decision, the stage
mapping and how ids are made; the files are UTF-8 with a byte-order mark,
which the reading layer accepts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.schema import Kind, OwnerRole, Rel, Stage, TeamType
from importers.base import Extract, Location
from importers.formats.register import csv_header, csv_rows

ID_PREFIX = "ai-inventory"
USE_CASE_COLUMNS = frozenset({"agency", "id", "use_case_name", "development_stage"})
COTS_COLUMNS = frozenset({"Agency", "AI Use Case", "Agency Use (Y/N)?", "Name of Commercial Product or Service Used"})
DICTIONARY_MARKERS = ('"development_stage"', '"excel_header"')
PRODUCT_CATEGORY = "commercial AI product"

STAGE_PREFIXES: tuple[tuple[str, Stage], ...] = (
    ("pre-deployment", Stage.IDEA),
    ("pre deployment", Stage.IDEA),
    ("acquisition and/or development", Stage.IDEA),
    ("pilot", Stage.PILOT),
    ("initiated", Stage.PILOT),
    ("deployed", Stage.PRODUCTION),
    ("operation and maintenance", Stage.PRODUCTION),
    ("retired", Stage.RETIRED),
)
"""Development stage (after any ``a)`` prefixes) → aimap stage. The values and
variants are the data dictionary's ``recoding_map``, which maps "Initiated"
to Pilot and "Operation and Maintenance" to Deployed. Pre-deployment ("in a
development or acquisition status") is before any pilot: aimap's idea."""

DATED_STAGES = frozenset({Stage.PILOT, Stage.PRODUCTION})
"""The operational date is "when the use case became operational or the
pilot's start date": the date a pilot or deployed use case entered its stage."""

PLACEHOLDER_WORDS = frozenset({
    "n/a", "na", "none", "no", "not available", "not applicable", "unknown", "tbd", "to be determined",
    "multiple", "various", "other", "redacted", "contractor teams", "third party vendor", "vendor proprietary",
    "ai model provider", "ai service provider", "no vendor involved", "internally created", "python", "nlp",
})
PLACEHOLDER_PREFIXES = ("redacted", "in-house", "in house", "internal ", "open source", "open-source",
                        "law enforcement sensitive", "not ", "n/a", "no vendor", "multiple", "various",
                        "deployed on multiple", "these tools include")
"""Values of the free-text vendor and system columns that name no vendor or
system (withheld, in-house, or generic)."""

LEGAL_SUFFIX = re.compile(r"^(inc|inc\.|llc|l\.l\.c\.|ltd|ltd\.|corp|corp\.|co\.|plc)$", re.IGNORECASE)
VENDOR_SEPARATORS = re.compile(r"[;,/\n]")


def slug(text: str) -> str:
    """A readable id part: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120] or "x"


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


def is_placeholder(text: str) -> bool:
    value = " ".join(text.lower().split()).strip(" .;:-")
    return not value or value in PLACEHOLDER_WORDS or value.startswith(PLACEHOLDER_PREFIXES)


def stage_of(text: str) -> Stage | None:
    value = " ".join(text.lower().split())
    value = re.sub(r"^([a-d]\)\s*)+", "", value)
    for prefix, stage in STAGE_PREFIXES:
        if value.startswith(prefix):
            return stage
    return None


MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def parse_date(text: str) -> dt.date | None:
    """A date in any of the inventory's forms: ``2024-10-01 00:00:00``,
    ``10/1/2023``, ``01/01/2026 00:00:00``, ``01/2024``, ``Jul-25``. Dates
    without a day are the first of the month (US order: month first). A year
    alone is too vague to date a stage and gives None, as do impossible dates."""
    value = text.strip()
    patterns = (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", lambda m: (m[1], m[2], m[3])),
        (r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?", lambda m: (m[3], m[1], m[2])),
        (r"(\d{1,2})/(\d{4})", lambda m: (m[2], m[1], 1)),
        (r"([A-Za-z]{3})[a-z]*[-\s](\d{2}|\d{4})", lambda m: (_year(m[2]), MONTHS.get(m[1].lower(), 0), 1)),
    )
    for pattern, parts in patterns:
        match = re.fullmatch(pattern, value)
        if match:
            try:
                year, month, day = (int(part) for part in parts(match))
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def split_vendors(text: str) -> list[str]:
    """Vendor names from a free-text cell ("Microsoft, OpenAI"; "AWS; Azure"):
    split on commas, semicolons, slashes and line breaks outside parentheses
    ("NEC (Nippon Electric Company)" stays whole), a legal suffix
    ("ServiceNow, Inc.") kept with its name, generic entries dropped."""
    names: list[str] = []
    for part in _split_outside_parentheses(text):
        name = re.sub(r"^(and|&)\s+", "", " ".join(part.split()), flags=re.IGNORECASE).strip()
        if not name:
            continue
        if LEGAL_SUFFIX.match(name) and names:
            names[-1] = f"{names[-1]}, {name}"
        elif not is_placeholder(name):
            names.append(name)
    return names


SHORT_SLASH = re.compile(r"\b(\w)/(\w)\b")
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
KEPT_SLASH = "\u2044"
"""Stands in for a slash that joins rather than separates: in "N/A", "I/O" and URLs."""


def _protect_slashes(text: str) -> str:
    text = URL.sub(lambda match: match[0].replace("/", KEPT_SLASH), text)
    return SHORT_SLASH.sub(rf"\1{KEPT_SLASH}\2", text)


def _split_outside_parentheses(text: str) -> list[str]:
    parts, current, depth = [], [], 0
    for char in _protect_slashes(text):
        depth += (char == "(") - (char == ")" and depth > 0)
        if depth == 0 and VENDOR_SEPARATORS.match(char):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.replace(KEPT_SLASH, "/") for part in parts]


def vendor_key(name: str) -> str:
    """Vendor ids ignore a trailing legal form: "ServiceNow, Inc." is ServiceNow."""
    return slug(re.sub(r"[,\s]+(inc|llc|l\.l\.c|ltd|corp|corporation|co|plc)\.?$", "", name, flags=re.IGNORECASE))


@dataclass
class Emitter:
    """Emits each Team and System once per file and remembers use-case ids."""

    extract: Extract
    display: str
    emitted: set[str] = field(default_factory=set)
    use_cases: dict[str, str] = field(default_factory=dict)

    def where(self, line: int | None, column: str | None = None) -> Location:
        return Location(self.display, line, None, column)

    def once(self, kind: Kind, fields: dict[str, Any], line: int, column: str | None = None) -> str:
        if fields["id"] not in self.emitted:
            self.emitted.add(fields["id"])
            self.extract.entity(kind, fields, self.where(line, column))
        return fields["id"]

    def agency(self, name: str, line: int, abbreviation: str | None = None) -> str:
        fields: dict[str, Any] = {"id": agency_id(name), "name": name, "type": TeamType.BUSINESS_UNIT.value}
        if abbreviation and slug(abbreviation) != agency_key(name):
            fields["aliases"] = [f"{ID_PREFIX}:agency:{slug(abbreviation)}"]
        return self.once(Kind.TEAM, fields, line, "agency")


class AiInventoryReader:
    name = "ai-inventory"
    binary = False
    description = "the US federal AI use-case inventory (individual use cases, commercial AI products)"

    def detect(self, path: Path, head: str) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".json":
            return all(marker in head for marker in DICTIONARY_MARKERS)
        if suffix != ".csv":
            return False
        header = set(csv_header(head))
        return USE_CASE_COLUMNS <= header or COTS_COLUMNS <= header

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        if path.suffix.lower() == ".json":
            return  # the data dictionary: documentation of the columns, nothing to import
        parsed = csv_rows(text, display, extract)
        if parsed is None:
            return
        header, raw_rows = parsed
        rows = [(line, {key: (value or "").strip() for key, value in row.items()}) for line, row in raw_rows]
        emitter = Emitter(extract, display)
        if USE_CASE_COLUMNS <= set(header):
            for line, row in rows:
                UseCaseRow(emitter, line, row).read()
        else:
            for line, row in rows:
                cots_row(emitter, line, row)


class UseCaseRow:
    """One individually reported use case."""

    def __init__(self, emitter: Emitter, line: int, row: dict[str, str]):
        self.emitter = emitter
        self.extract = emitter.extract
        self.line = line
        self.row = row

    def read(self) -> None:
        abbreviation = self.row.get("agency", "")
        agency_name = self.row.get("agency_name") or abbreviation
        name = self.row.get("use_case_name", "") or self.row.get("id", "")
        if not abbreviation or not name:
            column = "agency" if not abbreviation else "use_case_name"
            self.extract.error(self.emitter.where(self.line, column), "a use case needs an agency, and a name or an id")
            return
        if not self.row.get("use_case_name"):
            self.extract.warn(self.emitter.where(self.line, "use_case_name"), f"no use-case name; named by its id {name!r}",
                              group="use case without a name, named by its id")
        initiative_id = self.initiative_id(abbreviation, name)
        if initiative_id is None:
            return
        owner = self.owner(agency_name, abbreviation)
        self.extract.entity(Kind.INITIATIVE, {"id": initiative_id, "name": name, **self.properties()},
                            self.emitter.where(self.line))
        self.extract.relate(Rel.OWNS, owner, initiative_id, self.emitter.where(self.line, "agency_bureau"),
                            OwnerRole.ACCOUNTABLE.value)
        self.dependencies(initiative_id, agency_name)

    def initiative_id(self, abbreviation: str, name: str) -> str | None:
        """``ai-inventory:use-case:<agency>/<id>``; a use case without an id is
        keyed by its bureau and name. A repeated id on an identical row is read
        once; on a different row the later one gets a suffix from its content."""
        given = self.row.get("id", "")
        key = slug(given) if given else "unnumbered-" + short_hash(self.row.get("agency_bureau", ""), name.lower())
        base = f"{ID_PREFIX}:use-case:{slug(abbreviation)}/{key}"
        fingerprint = short_hash(*(f"{k}={v}" for k, v in sorted(self.row.items())))
        seen = self.emitter.use_cases.get(base)
        if seen is None:
            self.emitter.use_cases[base] = fingerprint
            return base
        where = self.emitter.where(self.line, "id")
        if seen == fingerprint:
            self.extract.warn(where, f"this row repeats an earlier one ({given or name!r}); read once",
                              group="repeated use-case row, read once")
            return None
        unique = f"{base}~{fingerprint[:8]}"
        described = f"use-case id {given!r}" if given else f"use case {name!r} without an id, in the same bureau,"
        self.extract.warn(where, f"{described} is used by an earlier, different row; this one is {unique!r}",
                          group="duplicate use-case id, given a suffix")
        self.emitter.use_cases[unique] = fingerprint
        return unique

    def owner(self, agency_name: str, abbreviation: str) -> str:
        """The bureau that reported the use case, PART_OF its agency; the
        agency itself when no bureau (or the agency's own name) is given."""
        agency = self.emitter.agency(agency_name, self.line, abbreviation)
        bureau = self.row.get("agency_bureau", "")
        if not bureau or slug(bureau) in {agency_key(agency_name), slug(abbreviation)}:
            return agency
        bureau_id = f"{ID_PREFIX}:bureau:{agency_key(agency_name)}/{slug(bureau)}"
        if bureau_id not in self.emitter.emitted:
            self.emitter.once(Kind.TEAM, {"id": bureau_id, "name": " ".join(bureau.split()),
                                          "type": TeamType.DEPARTMENT.value}, self.line, "agency_bureau")
            self.extract.relate(Rel.PART_OF, bureau_id, agency, self.emitter.where(self.line, "agency_bureau"))
        return bureau_id

    def properties(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        stage = self.stage()
        if stage is not None:
            fields["stage"] = stage.value
            since = self.stage_since(stage)
            if since is not None:
                fields["stage_since"] = since.isoformat()
        if self.row.get("problem_solved"):
            fields["objective"] = self.row["problem_solved"]
        if self.row.get("benefits"):
            fields["description"] = self.row["benefits"]
        return fields

    def stage(self) -> Stage | None:
        text = self.row.get("development_stage", "")
        stage = stage_of(text) if text else None
        if stage is None:
            message = f"development stage {text!r} is not one the inventory defines" if text else "no development stage"
            self.extract.warn(self.emitter.where(self.line, "development_stage"), f"{message}; read as idea",
                              group="use case without a known development stage, read as idea")
        return stage

    def stage_since(self, stage: Stage) -> dt.date | None:
        text = self.row.get("operational_date", "")
        if stage not in DATED_STAGES or not text:
            return None
        date = parse_date(text)
        if date is None:
            self.extract.warn(self.emitter.where(self.line, "operational_date"),
                              f"operational date {text!r} is not a date with a month; stage_since left unknown",
                              group="operational date without a month, stage_since left unknown")
        return date

    def dependencies(self, initiative_id: str, agency_name: str) -> None:
        system = " ".join(self.row.get("system_name_ato", "").split())
        if system and not is_placeholder(system):
            system_id = self.emitter.once(Kind.SYSTEM, {
                "id": f"{ID_PREFIX}:system:{agency_key(agency_name)}/{slug(system)}", "name": system},
                self.line, "system_name_ato")
            self.extract.relate(Rel.DEPENDS_ON, initiative_id, system_id,
                                self.emitter.where(self.line, "system_name_ato"))
        for vendor in split_vendors(self.row.get("vendor_name", "")):
            vendor_id = self.emitter.once(Kind.TEAM, {"id": f"{ID_PREFIX}:vendor:{vendor_key(vendor)}",
                                                      "name": vendor, "type": TeamType.VENDOR.value},
                                          self.line, "vendor_name")
            self.extract.relate(Rel.OWNS, vendor_id, initiative_id, self.emitter.where(self.line, "vendor_name"),
                                OwnerRole.RESPONSIBLE.value)


def cots_row(emitter: Emitter, line: int, row: dict[str, str]) -> None:
    """One agency's answer for one standard commercial AI use: "Y" is an
    initiative in production that depends on the products named."""
    agency_name, use, answer = row.get("Agency", ""), row.get("AI Use Case", ""), row.get("Agency Use (Y/N)?", "")
    if not agency_name or not use:
        emitter.extract.error(emitter.where(line, "Agency" if not agency_name else "AI Use Case"),
                              "a row needs an agency and a use case")
        return
    if answer.upper() in {"N", "NO"}:
        return
    if answer.upper() not in {"Y", "YES"}:
        emitter.extract.warn(emitter.where(line, "Agency Use (Y/N)?"), f"use {answer!r} is neither Y nor N; skipped",
                             group="commercial AI use without a Y/N answer, skipped")
        return
    agency = emitter.agency(agency_name, line)
    initiative_id = f"{ID_PREFIX}:cots:{agency_key(agency_name)}/{slug(use)}"
    licences = row.get("Estimated # of Licenses/Users", "")
    description = f"Commercial AI use reported by {agency_name}" + (f"; estimated licences/users: {licences}" if licences else "")
    if initiative_id in emitter.emitted:
        return
    emitter.once(Kind.INITIATIVE, {"id": initiative_id, "name": " ".join(use.split()), "stage": Stage.PRODUCTION.value,
                                   "description": description}, line)
    emitter.extract.relate(Rel.OWNS, agency, initiative_id, emitter.where(line, "Agency"), OwnerRole.ACCOUNTABLE.value)
    product_column = "Name of Commercial Product or Service Used"
    for product in split_vendors(row.get(product_column, "")):
        product_id = emitter.once(Kind.SYSTEM, {"id": f"{ID_PREFIX}:product:{vendor_key(product)}", "name": product,
                                                "category": PRODUCT_CATEGORY}, line, product_column)
        emitter.extract.relate(Rel.DEPENDS_ON, initiative_id, product_id, emitter.where(line, product_column))
