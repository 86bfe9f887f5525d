"""ServiceNow CMDB exports: configuration items, their relationships, and the
users and groups that own them.

Tables read, as CSV (list export) or JSON (Table API ``{"result": [...]}`` or
list export ``{"records": [...]}``):

* ``cmdb_ci`` and every subclass (``cmdb_ci_service``, ``cmdb_ci_appl``,
  ``cmdb_ci_server``…) → System, id ``servicenow:ci:<sys_id>``;
* ``cmdb_rel_ci`` → DEPENDS_ON or PART_OF, by relationship type;
* ``sys_user`` → Person, ``sys_user_group`` → Team, ``sys_user_grmember`` →
  MEMBER_OF — needed only when the other exports hold bare sys_ids.

A field may hold a raw value (a sys_id, a choice code such as ``1``), a
display value (a name, a label such as ``Operational``), or a Table API object
``{"value", "display_value", "link"}``; every form is read. A reference known
by sys_id gets a ``servicenow:<table>:<sys_id>`` id; one known only by its
display name gets ``servicenow:<table>:name:<name>``, and entities known by
both declare the name form as an alias, so exports of either style meet.
docs/importers/cmdb.md has the mapping tables and what is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.schema import Criticality, Kind, Lifecycle, OwnerRole, Rel
from importers.base import Extract, Location
from importers.formats.register import csv_header, csv_rows
from importers.structured import LocatedDict, StructureError, load_json

ID_PREFIX = "servicenow"
SYS_ID = re.compile(r"^[0-9a-f]{32}$", re.IGNORECASE)
JSON_HEAD = re.compile(r'^\s*\{\s*"(result|records)"\s*:\s*[\[{]')

CI, REL, USER, GROUP, MEMBERSHIP = "cmdb_ci", "cmdb_rel_ci", "sys_user", "sys_user_group", "sys_user_grmember"
REL_COLUMNS = frozenset({"parent", "child", "type"})
GROUP_SIGNATURE = frozenset({"include_members", "exclude_manager", "default_assignee"})
TABLES = (CI, REL, USER, GROUP, MEMBERSHIP)
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    CI: ("sys_id",), USER: ("sys_id",), GROUP: ("sys_id",), REL: ("parent", "child"), MEMBERSHIP: ("user", "group"),
}
"""The columns each table's records cannot do without: a CI, user or group
is known across exports by its sys_id; a relationship by its two ends."""
SYS_ID_HOWTO = ("a list export leaves sys_id out unless asked: export from the list URL with "
                "?CSV&sysparm_default_export_fields=all (e.g. https://INSTANCE.service-now.com/{table}_list.do"
                "?CSV&sysparm_default_export_fields=all), or as JSON (…/{table}_list.do?JSONv2 or the Table API), "
                "which always includes it")


# -- values ------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """One field as exported: its raw value, its display value, and the
    sys_id a Table API reference link ends with."""

    raw: str | None = None
    display: str | None = None
    link_id: str | None = None

    @property
    def sys_id(self) -> str | None:
        """The sys_id of a reference, from the link or a raw value that is one."""
        if self.link_id:
            return self.link_id.lower()
        if self.raw and SYS_ID.match(self.raw):
            return self.raw.lower()
        return None

    @property
    def label(self) -> str | None:
        """The human-readable form: the display value, or a raw value that is
        not a sys_id (a CSV exported with display values holds names)."""
        if self.display:
            return self.display
        if self.raw and not SYS_ID.match(self.raw):
            return self.raw
        return None

    def forms(self) -> list[str]:
        """Every non-empty form, lower case, for matching choice values."""
        return [form.lower() for form in (self.raw, self.display) if form]


def _clean(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text or None


def value_of(cell: Any) -> Value:
    """A cell of either export style as a ``Value``."""
    if isinstance(cell, dict):
        link = _clean(cell.get("link"))
        link_id = link.rstrip("/").rsplit("/", 1)[-1] if link else None
        return Value(_clean(cell.get("value")), _clean(cell.get("display_value")),
                     link_id if link_id and SYS_ID.match(link_id) else None)
    return Value(raw=_clean(cell))


def _name_key(name: str) -> str:
    return " ".join(name.split()).lower()


ID_WORDS = {CI: "ci", USER: "user", GROUP: "group"}


def table_id(table: str, sys_id: str) -> str:
    """The id of a record known by its sys_id: ``servicenow:ci:<sys_id>``,
    ``servicenow:user:…``, ``servicenow:group:…``."""
    return f"{ID_PREFIX}:{ID_WORDS[table]}:{sys_id.lower()}"


def ci_id(sys_id: str) -> str:
    return table_id(CI, sys_id)


def name_id(table: str, name: str) -> str:
    """The id of a record known only by its display name:
    ``servicenow:user:name:fred luddy``."""
    return f"{ID_PREFIX}:{ID_WORDS[table]}:name:{_name_key(name)}"


# -- mapping tables ------------------------------------------------------------
RETIRED_STATUSES = frozenset({"retired", "stolen", "absent", "disposed", "decommissioned"})
DEPRECATED_STATUSES = frozenset({"end of life", "pending retirement", "retiring", "phase out"})
ACTIVE_STATUSES = frozenset({
    "installed", "on order", "in maintenance", "pending install", "pending repair", "in stock",
    "operational", "non-operational", "repair in progress", "dr standby", "ready", "pipeline", "catalog",
    "ideation", "design", "build", "development", "test", "deploy", "deployed", "in use",
})
STATUS_CODES: dict[str, dict[str, str]] = {
    "install_status": {"1": "installed", "2": "on order", "3": "in maintenance", "4": "pending install",
                       "5": "pending repair", "6": "in stock", "7": "retired", "8": "stolen", "100": "absent"},
    "operational_status": {"1": "operational", "2": "non-operational", "3": "repair in progress",
                           "4": "dr standby", "5": "ready", "6": "retired", "7": "pipeline", "8": "catalog"},
    "life_cycle_stage": {},
    "life_cycle_stage_status": {},
}
"""Status fields read for lifecycle, with their choice codes (raw values)."""

CRITICALITY_BY_RANK = {"1": Criticality.CRITICAL, "2": Criticality.HIGH, "3": Criticality.MEDIUM, "4": Criticality.LOW}
CRITICALITY_WORDS = {"most critical": Criticality.CRITICAL, "somewhat critical": Criticality.HIGH,
                     "less critical": Criticality.MEDIUM, "not critical": Criticality.LOW}
CRITICALITY_FIELDS = ("business_criticality", "busines_criticality")  # the second is cmdb_ci_service's spelling


@dataclass(frozen=True)
class OwnerField:
    field: str
    table: str
    role: OwnerRole


OWNER_FIELDS: tuple[OwnerField, ...] = (
    OwnerField("owned_by", USER, OwnerRole.ACCOUNTABLE),
    OwnerField("managed_by", USER, OwnerRole.RESPONSIBLE),
    OwnerField("it_application_owner", USER, OwnerRole.RESPONSIBLE),
    OwnerField("managed_by_group", GROUP, OwnerRole.RESPONSIBLE),
    OwnerField("assignment_group", GROUP, OwnerRole.RESPONSIBLE),
    OwnerField("support_group", GROUP, OwnerRole.DEPLOYMENT),
)
"""CI reference fields that name an owner, and the role each gives."""

DEPENDENCY_FORWARD = frozenset({"depends on", "depends upon", "runs on", "hosted on", "uses", "consumes",
                                "virtualized by", "provided by"})
DEPENDENCY_BACKWARD = frozenset({"used by", "runs", "hosts", "consumed by", "virtualizes", "provides"})
PART_OF_CHILD = frozenset({"contains", "members"})
PART_OF_PARENT = frozenset({"contained by", "member of", "cluster of"})
"""Relationship types by the parent's descriptor (the text before ``::``):
forward dependencies make the parent depend on the child, backward ones the
child on the parent; containment makes the child part of the parent (or the
parent part of the child for the inverse wording)."""

BASELINE_TYPE_IDS = {
    "1a9cb166f1571100a92eb60da2bce5c5": "Depends on::Used by",
    "60bc4e22c0a8010e01f074cbe6bd73c3": "Runs on::Runs",
    "55c95bf6c0a8010e0118ec7056ebc54d": "Contains::Contained by",
    "41008aa6ef32010098d5925495c0fb94": "Consumes::Consumed by",
}
"""sys_ids of baseline relationship types, for raw exports that hold only them."""


def relationship_of(type_name: str) -> tuple[Rel, bool] | None:
    """The aimap relationship for a ServiceNow type name, and whether the
    parent is its source; None for types that are neither dependency nor
    containment (Connects to, Located in, Managed by…)."""
    descriptor = type_name.split("::", 1)[0].strip().lower()
    if descriptor in DEPENDENCY_FORWARD:
        return Rel.DEPENDS_ON, True
    if descriptor in DEPENDENCY_BACKWARD:
        return Rel.DEPENDS_ON, False
    if descriptor in PART_OF_CHILD:
        return Rel.PART_OF, False
    if descriptor in PART_OF_PARENT:
        return Rel.PART_OF, True
    return None


def criticality_of(value: Value) -> Criticality | None:
    for form in value.forms():
        rank = re.match(r"^\s*([1-4])\b", form)
        if rank:
            return CRITICALITY_BY_RANK[rank.group(1)]
        for words, criticality in CRITICALITY_WORDS.items():
            if words in form:
                return criticality
    return None


def status_word(field: str, value: Value) -> str | None:
    """A status in words (``7`` and ``Retired`` both give ``retired``)."""
    for form in value.forms():
        word = STATUS_CODES[field].get(form, form)
        if word in RETIRED_STATUSES | DEPRECATED_STATUSES | ACTIVE_STATUSES:
            return word
    return None


# -- reading rows ----------------------------------------------------------------
def json_rows(text: str, display: str,
              extract: Extract) -> tuple[list[str], list[tuple[int | None, dict[str, Any]]]] | None:
    """The records of a Table API (``result``) or list (``records``) export."""
    try:
        document = load_json(text)
    except StructureError as exc:
        extract.error(Location(display, exc.line), str(exc))
        return None
    records = None
    if isinstance(document, dict):
        records = document.get("result", document.get("records"))
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list):
        extract.error(Location(display, 1), 'expected {"result": [...]} or {"records": [...]} holding the records')
        return None
    rows: list[tuple[int | None, dict[str, Any]]] = []
    columns: list[str] = []
    for record in records:
        line = record.line if isinstance(record, LocatedDict) else None
        if not isinstance(record, dict):
            extract.error(Location(display, line), "a record must be an object")
            continue
        columns.extend(key for key in record if key not in columns)
        rows.append((line, record))
    return columns, rows


def table_of(stem: str, columns: Iterable[str]) -> str | None:
    """Which table an export holds, from the file name ServiceNow gives it
    and, failing that, from its columns."""
    stem, columns = stem.lower(), set(columns)
    for table in (MEMBERSHIP, GROUP, REL, USER):
        if stem == table or stem.startswith(table + "_") and table != USER:
            return table
    if REL_COLUMNS <= columns:
        return REL
    if {"user", "group"} <= columns and "sys_id" in columns and "name" not in columns:
        return MEMBERSHIP
    if "user_name" in columns:
        return USER
    if GROUP_SIGNATURE & columns:
        return GROUP
    if "sys_class_name" in columns or stem.startswith(CI):
        return CI
    return None


# -- the reader --------------------------------------------------------------------
class CmdbReader:
    name = "cmdb"
    binary = False
    description = "ServiceNow CMDB exports (cmdb_ci*, cmdb_rel_ci, sys_user, sys_user_group) as CSV or JSON"

    def detect(self, path: Path, head: str) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".json":
            return JSON_HEAD.match(head) is not None and '"sys_' in head
        if suffix != ".csv":
            return False
        header = csv_header(head)
        columns = {column.strip().lower() for column in header}
        named = path.stem.lower().startswith(TABLES)
        if "sys_id" not in columns and not named and "sys_class_name" not in columns:
            return False  # (a ServiceNow file named after its table is read, to say what it lacks)
        return table_of(path.stem, columns) is not None

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        parsed = json_rows(text, display, extract) if path.suffix.lower() == ".json" else csv_rows(text, display, extract)
        if parsed is None:
            return
        columns, rows = parsed
        table = table_of(path.stem, columns)
        if table is None:
            extract.error(Location(display, 1), "cannot tell which ServiceNow table this export holds; name the "
                          "file after it (cmdb_ci…, cmdb_rel_ci, sys_user, sys_user_group, sys_user_grmember)")
            return
        missing = [column for column in KEY_COLUMNS[table] if column not in {c.strip().lower() for c in columns}]
        if missing and rows:
            where = Location(display, 1, table, missing[0])
            if missing == ["sys_id"]:
                extract.error(where, "the export has no sys_id column, which identifies each record across exports; "
                              + SYS_ID_HOWTO.format(table=path.stem.lower() if path.stem.lower().startswith(table) else table))
            else:
                extract.error(where, f"the export has no {' or '.join(missing)} column; export the list with the "
                              f"{', '.join(KEY_COLUMNS[table])} columns")
            return
        TableReader(extract, display, table).rows(rows)


class TableReader:
    """Maps the rows of one exported table; remembers the users and groups it
    has already emitted so each appears once per file."""

    def __init__(self, extract: Extract, display: str, table: str):
        self.extract = extract
        self.display = display
        self.table = table
        self.emitted: set[str] = set()

    def where(self, line: int | None, field: str | None = None) -> Location:
        return Location(self.display, line, self.table, field)

    def rows(self, rows: Sequence[tuple[int | None, dict[str, Any]]]) -> None:
        if self.table == CI:
            ambiguous = self._shared_names(rows)
            for line, row in rows:
                self.ci(line, row, ambiguous)
        else:
            handler = {REL: self.relationship, USER: self.user, GROUP: self.group, MEMBERSHIP: self.membership}
            for line, row in rows:
                handler[self.table](line, row)

    @staticmethod
    def _shared_names(rows: Sequence[tuple[int | None, dict[str, Any]]]) -> set[str]:
        """Names that several CIs share: a relationship naming one of them
        could mean any, so they get no name alias."""
        counts = Counter(_name_key(label) for _, row in rows if (label := value_of(row.get("name")).label))
        return {name for name, count in counts.items() if count > 1}

    # -- configuration items -------------------------------------------------
    def ci(self, line: int | None, row: dict[str, Any], ambiguous: set[str]) -> None:
        sys_id = value_of(row.get("sys_id")).raw
        if not sys_id:
            self.extract.error(self.where(line, "sys_id"), "a configuration item without a sys_id")
            return
        entity_id = ci_id(sys_id)
        name = value_of(row.get("name")).label
        fields: dict[str, Any] = {"id": entity_id, "name": name or sys_id}
        if not name:
            self.extract.warn(self.where(line, "name"), "a configuration item without a name; named by its sys_id",
                              group="configuration item without a name")
        elif _name_key(name) in ambiguous:
            self.extract.warn(self.where(line, "name"), f"several CIs are named {name!r}; relationships that name "
                              "it instead of giving its sys_id cannot be resolved", group="CI name shared by several CIs")
        else:
            fields["aliases"] = [name_id(CI, name)]
        fields.update(self._ci_properties(line, row))
        self.extract.entity(Kind.SYSTEM, fields, self.where(line))
        for owner in OWNER_FIELDS:
            owner_id = self.reference(line, row, owner.field, owner.table)
            if owner_id:
                self.extract.relate(Rel.OWNS, owner_id, entity_id, self.where(line, owner.field), owner.role.value)

    def _ci_properties(self, line: int | None, row: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        category = value_of(row.get("sys_class_name")).label or value_of(row.get("category")).label
        if category:
            fields["category"] = category
        description = value_of(row.get("short_description")).label or value_of(row.get("description")).label
        if description:
            fields["description"] = description
        vendor = value_of(row.get("manufacturer")).label or value_of(row.get("vendor")).label
        if vendor:
            fields["vendor"] = vendor
        criticality = self._criticality(line, row)
        if criticality:
            fields["criticality"] = criticality.value
        lifecycle = self._lifecycle(line, row)
        if lifecycle:
            fields["lifecycle"] = lifecycle.value
        return fields

    def _criticality(self, line: int | None, row: dict[str, Any]) -> Criticality | None:
        for field in CRITICALITY_FIELDS:
            value = value_of(row.get(field))
            if not value.forms():
                continue
            criticality = criticality_of(value)
            if criticality is None:
                self.extract.warn(self.where(line, field), f"business criticality {value.label or value.raw!r} "
                                  "is not one aimap knows (1 - most critical … 4 - not critical)",
                                  group="unknown business criticality, ignored")
            return criticality
        return None

    def _lifecycle(self, line: int | None, row: dict[str, Any]) -> Lifecycle | None:
        """Retired if any status says so, deprecated if any says it is being
        phased out, active if a status is known, otherwise unset."""
        words = []
        for field in STATUS_CODES:
            value = value_of(row.get(field))
            if not value.forms():
                continue
            word = status_word(field, value)
            if word is None:
                self.extract.warn(self.where(line, field), f"{field} {value.label or value.raw!r} is not a status "
                                  "aimap knows; ignored", group=f"unknown {field}, ignored")
            else:
                words.append(word)
        if any(word in RETIRED_STATUSES for word in words):
            return Lifecycle.RETIRED
        if any(word in DEPRECATED_STATUSES for word in words):
            return Lifecycle.DEPRECATED
        return Lifecycle.ACTIVE if words else None

    # -- users and groups named by reference ----------------------------------
    def reference(self, line: int | None, row: dict[str, Any], field: str, table: str) -> str | None:
        """The id of the user or group a reference field names, emitting the
        Person or Team when its name is known. A bare sys_id creates nothing:
        a node named by a hex string would overwrite the real name another
        export gives, so the sys_user/sys_user_group export must supply it
        (validation reports the id as unknown otherwise)."""
        value = value_of(row.get(field))
        sys_id, name = value.sys_id, value.label
        if sys_id:
            entity_id = table_id(table, sys_id)
        elif name:
            entity_id = name_id(table, name)
        else:
            return None
        if name and entity_id not in self.emitted:
            self.emitted.add(entity_id)
            fields: dict[str, Any] = {"id": entity_id, "name": name}
            if sys_id:
                fields["aliases"] = [name_id(table, name)]
            self.extract.entity(Kind.PERSON if table == USER else Kind.TEAM, fields, self.where(line, field))
        return entity_id

    # -- relationships ------------------------------------------------------------
    def relationship(self, line: int | None, row: dict[str, Any]) -> None:
        type_name = self._type_name(line, value_of(row.get("type")))
        if type_name is None:
            return
        mapped = relationship_of(type_name)
        if mapped is None:
            self.extract.warn(self.where(line, "type"), f"relationship type {type_name!r} is neither a dependency "
                              "nor containment; skipped", group=f"relationship type {type_name} not mapped, skipped")
            return
        parent, child = self._ci_end(line, row, "parent"), self._ci_end(line, row, "child")
        if parent is None or child is None:
            return
        rel, parent_is_source = mapped
        source, target = (parent, child) if parent_is_source else (child, parent)
        self.extract.relate(rel, source, target, self.where(line, "type"))

    def _type_name(self, line: int | None, value: Value) -> str | None:
        name = value.label or BASELINE_TYPE_IDS.get(value.sys_id or "")
        if name:
            return name
        if value.sys_id:
            self.extract.warn(self.where(line, "type"), f"relationship type {value.sys_id} is given only by sys_id; "
                              "export with display values", group="relationship type known only by sys_id, skipped")
        else:
            self.extract.error(self.where(line, "type"), "a relationship without a type")
        return None

    def _ci_end(self, line: int | None, row: dict[str, Any], field: str) -> str | None:
        value = value_of(row.get(field))
        if value.sys_id:
            return ci_id(value.sys_id)
        if value.label:
            return name_id(CI, value.label)
        self.extract.error(self.where(line, field), f"a relationship without a {field}")
        return None

    # -- the user and group tables -------------------------------------------------
    def user(self, line: int | None, row: dict[str, Any]) -> None:
        sys_id = value_of(row.get("sys_id")).raw
        full = " ".join(filter(None, (value_of(row.get(f)).label for f in ("first_name", "last_name"))))
        name = value_of(row.get("name")).label or full or value_of(row.get("user_name")).label
        if not sys_id or not name:
            self.extract.error(self.where(line, "sys_id" if not sys_id else "name"), "a user needs a sys_id and a name")
            return
        fields: dict[str, Any] = {"id": table_id(USER, sys_id), "name": name,
                                  "aliases": [name_id(USER, name)]}
        for field in ("email", "title", "active"):
            label = value_of(row.get(field)).label
            if label:
                fields[field] = label
        self.extract.entity(Kind.PERSON, fields, self.where(line))

    def group(self, line: int | None, row: dict[str, Any]) -> None:
        sys_id = value_of(row.get("sys_id")).raw
        name = value_of(row.get("name")).label
        if not sys_id or not name:
            self.extract.error(self.where(line, "sys_id" if not sys_id else "name"), "a group needs a sys_id and a name")
            return
        group_id = table_id(GROUP, sys_id)
        fields: dict[str, Any] = {"id": group_id, "name": name, "aliases": [name_id(GROUP, name)]}
        for field in ("description", "active"):
            label = value_of(row.get(field)).label
            if label:
                fields[field] = label
        self.extract.entity(Kind.TEAM, fields, self.where(line))
        parent = self.reference(line, row, "parent", GROUP)
        if parent:
            self.extract.relate(Rel.PART_OF, group_id, parent, self.where(line, "parent"))

    def membership(self, line: int | None, row: dict[str, Any]) -> None:
        user = self.reference(line, row, "user", USER)
        group = self.reference(line, row, "group", GROUP)
        if user and group:
            self.extract.relate(Rel.MEMBER_OF, user, group, self.where(line))
        else:
            self.extract.error(self.where(line), "a membership needs a user and a group")
