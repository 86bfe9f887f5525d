"""From raw records to schema records: validation, aliases, references.

Every check that needs the whole import (or the store) happens here, so a
format reader only maps fields. Problems name the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from graph.records import NodeRecord, RelRecord
from graph.schema import NODE_MODELS, REL_SPECS, Rel, Relationship
from graph.store.base import Store
from importers.base import Extract, Location, Problem, RawEntity, RawRelationship


@dataclass
class Validated:
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    relationships: dict[tuple, RelRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    existing: dict[str, NodeRecord] = field(default_factory=dict)
    first_stated: dict[str, RawEntity] = field(default_factory=dict)


def _short(value: Any, limit: int = 60) -> str:
    """A value for a message: repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(error: Any) -> tuple[str, str]:
    """A pydantic error as (field, message) in words a user understands."""
    field_name = ".".join(str(part) for part in error["loc"]) or "(record)"
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return field_name, "unknown field"
    if kind == "missing":
        return field_name, "required field is missing"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return field_name, f"{_short(value)} is not one of {expected.replace(chr(39), '')}"
    message = error["msg"].removeprefix("Value error, ")
    return field_name, f"{message} (got {_short(value)})" if not isinstance(value, dict) else message


class AliasResolver:
    """Maps any declared alias (from options, documents, entities or the store)
    to the id it stands for, following chains."""

    def __init__(self, *maps: dict[str, str]):
        self._map: dict[str, str] = {}
        for mapping in maps:
            self._map.update({k: v for k, v in mapping.items() if k != v})

    def add(self, alias: str, target: str) -> None:
        if alias != target:
            self._map.setdefault(alias, target)

    def __call__(self, entity_id: str) -> str:
        seen = {entity_id}
        while entity_id in self._map:
            entity_id = self._map[entity_id]
            if entity_id in seen:  # a cycle of aliases: stop where it closes
                break
            seen.add(entity_id)
        return entity_id


def validate(extract: Extract, store: Store, options_aliases: dict[str, str], partial: bool) -> Validated:
    result = Validated(problems=list(extract.problems))
    resolve = AliasResolver(store.aliases(), extract.aliases, options_aliases)
    for raw in extract.entities:
        declared = raw.fields.get("aliases")
        if isinstance(raw.fields.get("id"), str) and isinstance(declared, list):
            for alias in declared:
                if isinstance(alias, str):
                    resolve.add(alias.strip(), raw.fields["id"].strip())

    rejected: set[str] = set()
    for raw in extract.entities:
        _validate_entity(raw, resolve, result, rejected)

    _warn_normalisation_twins(result, store)
    result.existing = store.get_many(result.nodes)
    for node_id, node in list(result.nodes.items()):
        existing = result.existing.get(node_id)
        if existing is not None and existing.kind is not node.kind:
            result.problems.append(Problem(
                Location(node.source), f"id {node_id!r} is a {node.kind.value} here but a "
                f"{existing.kind.value} in the store (from {existing.source}); ids are unique across kinds"))
            del result.nodes[node_id]
            rejected.add(node_id)

    unknown_ends = [end for raw in extract.relationships for end in (resolve(raw.source_id), resolve(raw.target_id))
                    if end not in result.nodes and end not in result.existing]
    result.existing.update(store.get_many(unknown_ends))
    for raw_rel in extract.relationships:
        _validate_relationship(raw_rel, resolve, result, rejected, partial)
    return result


def _validate_entity(raw: RawEntity, resolve: AliasResolver, result: Validated, rejected: set[str]) -> None:
    model = NODE_MODELS[raw.kind]
    fields = dict(raw.fields)
    if isinstance(fields.get("id"), str):
        fields["id"] = resolve(fields["id"].strip())
    try:
        entity = model.model_validate(fields)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field_name, message = _describe(error)
            top = str(error["loc"][0]) if error["loc"] else None
            line = raw.field_lines.get(top) if top else None
            if error["type"] == "extra_forbidden":
                allowed = ", ".join(name for name in model.model_fields)
                message = f"unknown field for {raw.kind.value}; expected one of {allowed}"
            result.problems.append(Problem(raw.location.at(field_name, line), message))
        if isinstance(fields.get("id"), str):
            rejected.add(fields["id"])
        return
    _warn_unlikely_dates(entity, raw, result)
    record = NodeRecord.from_entity(entity, raw.source, "")
    previous = result.nodes.get(entity.id)
    if previous is None:
        result.nodes[entity.id] = record
    elif previous.kind is not entity.kind:
        result.problems.append(Problem(
            raw.location.at("id", raw.field_lines.get("id")),
            f"id {entity.id!r} is already a {previous.kind.value} (in {previous.source}); ids are unique across kinds"))
    else:
        first = result.first_stated[entity.id]
        if first.location.file == raw.location.file:
            conflicts = sorted(key for key, value in record.properties.items()
                               if key in previous.properties and previous.properties[key] != value)
            if conflicts:
                key = conflicts[0]
                where = f"line {first.location.line}" if first.location.line else "earlier"
                result.problems.append(Problem(
                    raw.location.at(key, raw.field_lines.get(key)),
                    f"id {entity.id!r} is stated twice in this file with different {key} "
                    f"({_short(previous.properties[key])} on {where}, {_short(record.properties[key])} here); "
                    "one would be lost: keep one of them"))
                return
        previous.properties.update(record.properties)
        return
    result.first_stated[entity.id] = raw


EARLIEST_LIKELY = dt.date(1970, 1, 1)
LIKELY_YEARS_AHEAD = 1


def _warn_unlikely_dates(entity: Any, raw: RawEntity, result: Validated) -> None:
    """A date before 1970 or more than a year ahead is kept, with a warning:
    9999-12-31 and 0001-01-01 are placeholders more often than facts."""
    latest = dt.date.today() + dt.timedelta(days=366 * LIKELY_YEARS_AHEAD)
    for name in type(entity).model_fields:
        value = getattr(entity, name)
        if isinstance(value, dt.date) and not EARLIEST_LIKELY <= value <= latest:
            when = "before 1970" if value < EARLIEST_LIKELY else "more than a year from now"
            result.problems.append(Problem(
                raw.location.at(name, raw.field_lines.get(name)),
                f"{name} {value.isoformat()} is {when}: a placeholder? It is kept as written",
                fatal=False, group="an unlikely date"))


def _warn_normalisation_twins(result: Validated, store: Store) -> None:
    """Ids that differ only in Unicode normalisation ("café" typed as one
    character or as e + a combining accent) are two entities: say so."""
    forms: dict[str, set[str]] = {}
    variants: set[str] = set()
    for node_id in result.nodes:
        forms.setdefault(unicodedata.normalize("NFC", node_id), set()).add(node_id)
        if not node_id.isascii():
            variants.update(unicodedata.normalize(form, node_id) for form in ("NFC", "NFD", "NFKC"))
    for node_id in store.get_many(variants - set(result.nodes)):
        forms.setdefault(unicodedata.normalize("NFC", node_id), set()).add(node_id)
    for twins in forms.values():
        if len(twins) > 1:
            first, *others = sorted(twins)
            node = result.nodes.get(first) or result.nodes[sorted(twins & set(result.nodes))[0]]
            result.problems.append(Problem(
                Location(node.source),
                f"ids {', '.join(ascii(t) for t in sorted(twins))} differ only in how their accents are encoded "
                "(Unicode NFC/NFD): they are different entities; write them alike to merge them",
                fatal=False, group="ids that differ only in Unicode normalisation"))


def _validate_relationship(raw: RawRelationship, resolve: AliasResolver, result: Validated,
                           rejected: set[str], partial: bool) -> None:
    source_id, target_id = resolve(raw.source_id), resolve(raw.target_id)
    try:
        rel = Relationship(type=raw.type, source=source_id, target=target_id, role=raw.role)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field_name, message = _describe(error)
            result.problems.append(Problem(raw.location.at(raw.location.field or field_name), message))
        return
    ends, skipped = [], False
    for end_id in (rel.source, rel.target):
        node = result.nodes.get(end_id) or result.existing.get(end_id)
        if node is not None:
            ends.append(node.kind)
        elif end_id in rejected:
            skipped = True
        else:
            result.problems.append(Problem(
                raw.location, f"{rel.type.value} refers to unknown id {end_id!r} (no entity or alias has it)"))
            return
    if skipped:
        if partial:
            result.problems.append(Problem(raw.location, f"{rel.type.value} {rel.source!r} → {rel.target!r} skipped",
                                           fatal=False, group="relationship to a rejected entity skipped"))
        return
    spec = REL_SPECS[rel.type]
    if not spec.connects(*ends):
        allowed = f"{'/'.join(sorted(spec.sources))} → {'/'.join(sorted(spec.targets))}"
        if rel.type is Rel.PART_OF:
            allowed = "two entities of the same kind"
        result.problems.append(Problem(
            raw.location, f"{rel.type.value} cannot connect {ends[0].value} {rel.source!r} to "
            f"{ends[1].value} {rel.target!r}; it connects {allowed}"))
        return
    record = RelRecord.from_relationship(rel, raw.source, "")
    result.relationships[record.identity] = record

