"""From raw records to schema records: validation, aliases, references.

Every check that needs the whole import (or the store) happens here, so a
format reader only maps fields. Problems name the file, the line and the field.

A relationship whose other end is neither in the import nor in the store is
kept as a pending reference (``Validated.pending``), with a warning that
``--strict`` makes an error; ``importers.pending`` resolves the stored ones
whose ends have arrived.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from graph.records import NodeRecord, PendingRecord, RelRecord
from graph.schema import NODE_MODELS, REL_SPECS, EntityId, Kind, OwnerRole, Rel, Relationship
from graph.store.base import Store
from importers.base import Extract, Location, Problem, RawEntity, RawRelationship


@dataclass
class Validated:
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    relationships: dict[tuple, RelRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    existing: dict[str, NodeRecord] = field(default_factory=dict)
    first_stated: dict[str, RawEntity] = field(default_factory=dict)
    pending: dict[tuple, PendingRecord] = field(default_factory=dict)
    """Relationships of this import with an end no import has brought, by identity."""
    resolved: list[PendingRecord] = field(default_factory=list)
    """Stored pending references this import completes (now in ``relationships``)."""

PENDING_GROUP = "pending reference: the other end is in no import yet (kept; resolved when an import brings it)"


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
        if entity_id not in self._map:  # most ids are no alias: one lookup
            return entity_id
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
    _merge_into_stored(extract, store, resolve, result)
    for raw in extract.entities:
        declared = raw.fields.get("aliases")
        if isinstance(raw.fields.get("id"), str) and isinstance(declared, list):
            for alias in declared:
                if isinstance(alias, str):
                    resolve.add(alias.strip(), resolve(raw.fields["id"].strip()))

    rejected: set[str] = set()
    for raw in extract.entities:
        _validate_entity(raw, resolve, result, rejected)

    _warn_normalisation_twins(result, store)
    result.existing = store.get_many(result.nodes)
    for node_id, node in result.nodes.items():
        stored = result.existing.get(node_id)
        if stored is not None and node.properties.get("aliases") and stored.properties.get("aliases"):
            # a list property is replaced when written: add to the stored aliases, never drop one
            node.properties["aliases"] = list(dict.fromkeys([*stored.properties["aliases"], *node.properties["aliases"]]))
    for node_id, node in list(result.nodes.items()):
        existing = result.existing.get(node_id)
        if existing is not None and existing.kind is not node.kind:
            result.problems.append(Problem(
                Location(node.source), f"id {node_id!r} is a {node.kind.value} here but a "
                f"{existing.kind.value} in the store (from {existing.source}); ids are unique across kinds"))
            del result.nodes[node_id]
            rejected.add(node_id)

    unknown_ends = [end for raw in extract.relationships for end in (resolve(raw.from_id), resolve(raw.to_id))
                    if end not in result.nodes and end not in result.existing]
    result.existing.update(store.get_many(unknown_ends))
    for raw_rel in extract.relationships:
        _validate_relationship(raw_rel, resolve, result, rejected, partial)
    resolve_stored(store, resolve, result)
    return result


def _merge_into_stored(extract: Extract, store: Store, resolve: AliasResolver, result: Validated) -> None:
    """An entity new to the store that declares, as an alias, the id of one
    stored entity of its kind *is* that entity (PRODUCT.md: a second import
    merges by id and by declared aliases): it is written under the stored id,
    keeping its own id as an alias, so a later import by either id finds it.
    Two new entities claiming one stored entity are reported, not guessed."""
    candidates: dict[str, RawEntity] = {}
    for raw in extract.entities:
        declared = raw.fields.get("aliases")
        if isinstance(raw.fields.get("id"), str) and isinstance(declared, list) and declared:
            candidates[raw.fields["id"].strip()] = raw
    if not candidates:
        return
    wanted = {resolve(a.strip()) for raw in candidates.values() for a in raw.fields["aliases"] if isinstance(a, str)}
    stored = store.get_many([*wanted, *map(resolve, candidates)])
    claims: dict[str, list[tuple[str, RawEntity]]] = {}
    for own, raw in candidates.items():
        if resolve(own) in stored:
            continue
        hits = sorted({resolve(a.strip()) for a in raw.fields["aliases"] if isinstance(a, str)
                       and resolve(a.strip()) in stored and stored[resolve(a.strip())].kind is raw.kind})
        if len(hits) == 1:
            claims.setdefault(hits[0], []).append((own, raw))
    for target, claimants in sorted(claims.items()):
        if len(claimants) > 1:
            names = ", ".join(repr(own) for own, _ in claimants)
            result.problems.append(Problem(
                claimants[0][1].location, f"{names} all declare the stored {target!r} as an alias; "
                "none is merged into it", fatal=False, group="stored entity claimed by several new ones, not merged"))
            continue
        own, raw = claimants[0]
        others = [a for a in raw.fields["aliases"] if not isinstance(a, str) or resolve(a.strip()) != target]
        kept = [a for a in stored[target].properties.get("aliases") or () if a not in others and a != own]
        raw.fields = {**raw.fields, "id": target, "aliases": [own, *others, *kept]}


def _validate_entity(raw: RawEntity, resolve: AliasResolver, result: Validated, rejected: set[str]) -> None:
    model = NODE_MODELS[raw.kind]
    fields = dict(raw.fields)
    if isinstance(fields.get("id"), str):
        own = fields["id"].strip()
        fields["id"] = resolve(own)
        if fields["id"] != own and isinstance(fields.get("aliases", []), list):
            # known by an alias: keep its own id as one more, never its canonical id
            fields["aliases"] = [a for a in [*fields.get("aliases", []), own] if a != fields["id"]]
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


def _date_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model whose annotation admits a date."""
    def admits_date(annotation: Any) -> bool:
        return annotation is dt.date or any(admits_date(arg) for arg in get_args(annotation))
    return tuple(name for name, info in model.model_fields.items() if admits_date(info.annotation))


DATE_FIELDS = {kind: _date_fields(model) for kind, model in NODE_MODELS.items()}


def _warn_unlikely_dates(entity: Any, raw: RawEntity, result: Validated) -> None:
    """A date before 1970 or more than a year ahead is kept, with a warning:
    9999-12-31 and 0001-01-01 are placeholders more often than facts."""
    names = DATE_FIELDS[entity.kind]
    if not names:
        return
    latest = dt.date.today() + dt.timedelta(days=366 * LIKELY_YEARS_AHEAD)
    for name in names:
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
    from_id, to_id = resolve(raw.from_id), resolve(raw.to_id)
    rel = well_formed_relationship(raw.type, from_id, to_id, raw.role, raw.source)
    if rel is None:
        try:
            checked = Relationship(type=raw.type, from_id=from_id, to_id=to_id, role=raw.role)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field_name, message = _describe(error)
                result.problems.append(Problem(raw.location.at(raw.location.field or field_name), message))
            return
        rel = RelRecord.from_relationship(checked, raw.source, "")
    ends: list[Kind | None] = []
    skipped = False
    for end_id in (rel.from_id, rel.to_id):
        node = result.nodes.get(end_id) or result.existing.get(end_id)
        if node is not None:
            ends.append(node.kind)
        elif end_id in rejected:
            skipped = True
        else:
            ends.append(None)
    if not skipped and None in ends:
        _keep_pending(raw, rel, ends, result)
        return
    if skipped:
        if partial:
            result.problems.append(Problem(raw.location, f"{rel.type.value} {rel.from_id!r} → {rel.to_id!r} skipped",
                                           fatal=False, group="relationship to a rejected entity skipped"))
        return
    problem = connection_problem(rel.type, rel.from_id, rel.to_id, ends[0], ends[1])
    if problem:
        result.problems.append(Problem(raw.location, problem))
        return
    result.relationships[rel.identity] = rel


_ROLES = {role.value: role for role in OwnerRole}
MAX_ID_LENGTH: int = next(m.max_length for m in get_args(EntityId)[1:] if getattr(m, "max_length", None))


def _plain_id(value: Any) -> bool:
    """An id ``EntityId`` takes as it is: text, no surrounding space, 1 to 512 characters."""
    return type(value) is str and 0 < len(value) <= MAX_ID_LENGTH and not value[0].isspace() \
        and not value[-1].isspace()


def well_formed_relationship(rel_type: Any, from_id: Any, to_id: Any, role: Any, source: str) -> RelRecord | None:
    """The record a well-formed raw relationship (a ``Rel``, plain ids, no
    role or a role's value where one belongs) makes, without running the
    ``Relationship`` validator: most of an import's rows are such, and
    validating 500,000 of them took seconds. Anything else gives None, and
    goes through pydantic, whose errors say what is wrong; the two agree
    (``tests/test_import_fast_paths.py``)."""
    if type(rel_type) is not Rel or not _plain_id(from_id) or not _plain_id(to_id):
        return None
    if REL_SPECS[rel_type].has_role:
        owner_role = _ROLES.get(role) if role is not None else OwnerRole.ACCOUNTABLE
        if owner_role is None:
            return None
        return RelRecord(rel_type, from_id, to_id, {"role": owner_role.value}, source)
    if role is not None:
        return None
    return RelRecord(rel_type, from_id, to_id, {}, source)


def connection_problem(rel_type: Rel, source: str, target: str, source_kind: Kind | None,
                       target_kind: Kind | None) -> str | None:
    """Why the schema refuses ``source -rel_type-> target``, or None. An end of
    unknown kind (None: not brought yet) is judged by the other end alone."""
    spec = REL_SPECS[rel_type]
    if source_kind is not None and target_kind is not None:
        fits = spec.connects(source_kind, target_kind)
    else:
        fits = (source_kind is None or source_kind in spec.sources) and \
               (target_kind is None or target_kind in spec.targets)
    if fits:
        return None
    allowed = f"{'/'.join(sorted(spec.sources))} → {'/'.join(sorted(spec.targets))}"
    if rel_type is Rel.PART_OF:
        allowed = "two entities of the same kind"
    described = [f"{kind.value} {end!r}" if kind else repr(end) for kind, end in
                 ((source_kind, source), (target_kind, target))]
    return f"{rel_type.value} cannot connect {described[0]} to {described[1]}; it connects {allowed}"


def _keep_pending(raw: RawRelationship, rel: RelRecord, ends: list[Kind | None], result: Validated) -> None:
    """A relationship with an end no import has brought: kept as pending (never
    dropped), with a warning naming the place; ``--strict`` makes it an error."""
    problem = connection_problem(rel.type, rel.from_id, rel.to_id, ends[0], ends[1])
    if problem:
        result.problems.append(Problem(raw.location, problem))
        return
    missing = [end for end, kind in zip((rel.from_id, rel.to_id), ends, strict=True) if kind is None]
    record = PendingRecord(rel.type, rel.from_id, rel.to_id, rel.properties, raw.location.file,
                           raw.location.line, raw.source, "")
    result.pending[record.identity] = record
    result.problems.append(Problem(
        raw.location, f"{rel.type.value} refers to unknown id {' and '.join(repr(end) for end in missing)}, "
        "which no import has brought yet: a pending reference",
        fatal=False, group=PENDING_GROUP))


def resolve_stored(store: Store, resolve: AliasResolver, result: Validated) -> None:
    """Stored pending references whose ends this import (or the store) now
    holds become relationships, written in the same transaction; one that
    this import states again stays pending with its new place. A reference
    whose arrived end is of a kind the relationship cannot connect stays
    pending, with a warning at the place it was written."""
    stored = [ref for ref in store.pending_references() if ref.identity not in result.pending]
    ends = {resolve(end) for ref in stored for end in (ref.from_id, ref.to_id)}
    unknown = [end for end in ends if end not in result.nodes and end not in result.existing]
    result.existing.update(store.get_many(unknown))
    for ref in stored:
        source, target = resolve(ref.from_id), resolve(ref.to_id)
        found = [(result.nodes.get(end) or result.existing.get(end)) for end in (source, target)]
        start_node, end_node = found
        if start_node is None or end_node is None:
            continue
        problem = connection_problem(ref.type, source, target, start_node.kind, end_node.kind)
        if problem:
            result.problems.append(Problem(
                Location(ref.file, ref.line), f"pending reference not resolved: {problem}", fatal=False,
                group="pending reference whose other end arrived as the wrong kind, still pending"))
            continue
        record = RelRecord(ref.type, source, target, dict(ref.properties), ref.source, ref.importer)
        result.relationships.setdefault(record.identity, record)
        result.resolved.append(ref)

