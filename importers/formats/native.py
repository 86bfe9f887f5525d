"""aimap's native format: YAML (multi-document) or JSON.

A document is one of:

* a mapping of collections — ``teams``, ``people``, ``systems``, ``workflows``,
  ``initiatives``, ``metrics`` (lists of entities), ``relationships`` (a list of
  ``{type, from, to, role}``) and ``aliases`` (a mapping ``other-id: our-id``);
* a single entity with a ``kind`` key;
* a list of entities, each with a ``kind`` key.

An entity states its properties and, by the keys the schema declares
(``part_of``, ``uses``, ``owners``…), its relationships. The JSON Schema that
``aimap schema`` prints is generated from the same declaration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.schema import (
    KIND_BY_PLURAL, REL_ENDS, REL_SPECS, Kind, Rel, RelSpec, allowed_values, relation_fields, with_current_ends,
)
from importers.base import Extract, Location
from importers.structured import LocatedDict, StructureError, load_json, load_yaml_documents

RELATIONSHIPS_KEY = "relationships"
ALIASES_KEY = "aliases"
KIND_KEY = "kind"
SECTIONS = [*KIND_BY_PLURAL, RELATIONSHIPS_KEY, ALIASES_KEY]
YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


EXPORT_NODES_KEY = "nodes"
PROVENANCE_KEYS = ("source", "importer", "first_seen", "last_seen")


def _without_provenance(item: Any) -> Any:
    """An exported node or relationship without the keys the store writes."""
    if not isinstance(item, dict):
        return item
    kept = LocatedDict({k: v for k, v in item.items() if k not in PROVENANCE_KEYS}, line=_line(item))
    if isinstance(item, LocatedDict):
        kept.key_lines = {k: v for k, v in item.key_lines.items() if k not in PROVENANCE_KEYS}
    return kept


def _line(mapping: Any, key: str | None = None) -> int | None:
    if isinstance(mapping, LocatedDict):
        return mapping.line_of(key) if key else mapping.line
    return None


def _kind_named(value: Any) -> Kind | None:
    for kind in Kind:
        if isinstance(value, str) and value.lower() in {kind.value.lower(), kind.name.lower()}:
            return kind
    return None


class NativeReader:
    name = "native"
    binary = False
    description = "aimap's own YAML or JSON documents (see `aimap schema`)"

    def detect(self, path: Path, head: str) -> bool:
        return path.suffix.lower() in YAML_SUFFIXES + JSON_SUFFIXES

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        try:
            if path.suffix.lower() in JSON_SUFFIXES:
                documents = [(load_json(text), 1)]
            else:
                documents = load_yaml_documents(text)
        except StructureError as exc:
            extract.error(Location(display, exc.line), str(exc))
            return
        for document, line in documents:
            DocumentReader(extract, display).document(document, line)


class DocumentReader:
    """Walks one parsed document and emits raw records with their locations."""

    def __init__(self, extract: Extract, file: str):
        self.extract = extract
        self.file = file

    def where(self, container: Any, key: str | None = None, element: str | None = None) -> Location:
        return Location(self.file, _line(container, key), element, key)

    def document(self, document: Any, line: int) -> None:
        if document is None:
            return
        if isinstance(document, list):
            for index, item in enumerate(document):
                self.entity(None, item, f"[{index}]")
            return
        if not isinstance(document, dict):
            self.extract.error(Location(self.file, line),
                               "expected a mapping of collections, an entity or a list of entities")
            return
        if KIND_KEY in document:
            self.entity(None, document, None)
            return
        if EXPORT_NODES_KEY in document:
            self.export_document(document)
            return
        for section, value in document.items():
            if section in KIND_BY_PLURAL:
                self.collection(KIND_BY_PLURAL[section], value, document, section)
            elif section == RELATIONSHIPS_KEY:
                self.relationships(value, document)
            elif section == ALIASES_KEY:
                self.aliases(value, document)
            else:
                self.extract.error(self.where(document, str(section)),
                                   f"unknown section {section!r}; expected one of {', '.join(SECTIONS)}")

    def export_document(self, document: Any) -> None:
        """What ``aimap export`` writes: ``{"nodes": [...], "relationships": [...]}``,
        each item with its provenance, which the import records anew."""
        unknown = set(document) - {EXPORT_NODES_KEY, RELATIONSHIPS_KEY}
        if unknown:
            self.extract.error(self.where(document, str(sorted(unknown)[0])),
                               "unknown key in an aimap export; expected nodes and relationships")
            return
        nodes = document.get(EXPORT_NODES_KEY)
        if not isinstance(nodes, list):
            self.extract.error(self.where(document, EXPORT_NODES_KEY), "expected a list of nodes")
            return
        for index, item in enumerate(nodes):
            self.entity(None, _without_provenance(item), f"{EXPORT_NODES_KEY}[{index}]")
        rels = document.get(RELATIONSHIPS_KEY, [])
        self.relationships([_without_provenance(item) for item in rels] if isinstance(rels, list) else rels,
                           document)

    def collection(self, kind: Kind, items: Any, parent: Any, section: str) -> None:
        if not isinstance(items, list):
            self.extract.error(self.where(parent, section), f"expected a list of {section}")
            return
        for index, item in enumerate(items):
            self.entity(kind, item, f"{section}[{index}]", parent_line=_line(parent, section))

    def entity(self, kind: Kind | None, item: Any, element: str | None, parent_line: int | None = None) -> None:
        if not isinstance(item, dict):
            self.extract.error(Location(self.file, parent_line, element), "expected an entity (a mapping of fields)")
            return
        fields = dict(item)
        stated_kind = fields.pop(KIND_KEY, None)
        if stated_kind is not None:
            named = _kind_named(stated_kind)
            if named is None:
                self.extract.error(self.where(item, KIND_KEY, element),
                                   f"unknown kind {stated_kind!r}; expected one of {allowed_values(Kind)}")
                return
            if kind is not None and named is not kind:
                self.extract.error(self.where(item, KIND_KEY, element),
                                   f"kind {named.value} inside the {kind.value} collection")
                return
            kind = named
        if kind is None:
            self.extract.error(self.where(item, None, element), f"missing 'kind' (one of {allowed_values(Kind)})")
            return
        entity_id = fields.get("id")
        location = self.where(item, None, element)
        for key, (spec, outgoing) in relation_fields(kind).items():
            if key in fields:
                value = fields.pop(key)
                if isinstance(entity_id, str) and entity_id.strip():
                    self.references(spec, outgoing, entity_id.strip(), value, self.where(item, key, element))
        lines = dict(item.key_lines) if isinstance(item, LocatedDict) else {}
        self.extract.entity(kind, fields, location, lines)

    def references(self, spec: RelSpec, outgoing: bool, entity_id: str, value: Any, location: Location) -> None:
        """``uses: [a, b]``, ``part_of: a`` or ``owners: [{id: t, role: risk}]``."""
        items = value if isinstance(value, list) else [value]
        for item in items:
            role: Any = None
            if isinstance(item, dict) and spec.has_role:
                unknown = set(item) - {"id", "role"}
                if unknown:
                    self.extract.error(location, f"unexpected keys {sorted(unknown)}; write {{id: ..., role: ...}}")
                    continue
                entry: dict[str, Any] = item
                item, role = entry.get("id"), entry.get("role")
            if not isinstance(item, str) or not item.strip():
                example = "an id, or {id: ..., role: ...}" if spec.has_role else "an id or a list of ids"
                self.extract.error(location, f"expected {example}, got {item!r}")
                continue
            source, target = (entity_id, item.strip()) if outgoing else (item.strip(), entity_id)
            self.extract.relate(spec.type, source, target, location, role)

    def relationships(self, items: Any, parent: Any) -> None:
        if not isinstance(items, list):
            self.extract.error(self.where(parent, RELATIONSHIPS_KEY), "expected a list of relationships")
            return
        for index, item in enumerate(items):
            element = f"{RELATIONSHIPS_KEY}[{index}]"
            if not isinstance(item, dict):
                self.extract.error(Location(self.file, _line(parent, RELATIONSHIPS_KEY), element),
                                   "expected {type, from_id, to_id, role}")
                continue
            fields = with_current_ends(item)
            unknown = set(fields) - {"type", *REL_ENDS, "role"}
            if unknown:
                self.extract.error(self.where(item, sorted(unknown)[0], element),
                                   "unknown field; a relationship has type, from_id, to_id and role")
                continue
            rel_type = item.get("type")
            if not isinstance(rel_type, str) or rel_type.upper() not in REL_SPECS:
                self.extract.error(self.where(item, "type", element),
                                   f"unknown relationship type {rel_type!r}; expected one of {allowed_values(Rel)}")
                continue
            ends = [fields.get("from_id"), fields.get("to_id")]
            missing = [key for key, end in zip(REL_ENDS, ends, strict=True)
                       if not isinstance(end, str) or not end.strip()]
            if missing:
                self.extract.error(self.where(item, missing[0], element), "expected the id of an entity")
                continue
            from_id, to_id = str(ends[0]), str(ends[1])  # both checked to be text above
            self.extract.relate(Rel(rel_type.upper()), from_id.strip(), to_id.strip(),
                                self.where(item, None, element), item.get("role"))

    def aliases(self, value: Any, parent: Any) -> None:
        if not isinstance(value, dict):
            self.extract.error(self.where(parent, ALIASES_KEY), "expected a mapping of other-id: our-id")
            return
        for alias, target in value.items():
            if not isinstance(alias, str) or not isinstance(target, str):
                self.extract.error(self.where(value, str(alias)), "an alias maps one id to another id")
                continue
            self.extract.aliases[alias.strip()] = target.strip()
