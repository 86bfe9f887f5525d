"""The Backstage software catalog: ``catalog-info.yaml`` files, multi-document.

What becomes what (docs/importers/backstage.md has the full table):

* Group → Team (``spec.type`` → Team.type), User → Person;
* Component, Resource, API, System and Domain → System, with the Backstage
  kind (or ``spec.type``) as category, so the catalog's grouping survives;
* AiResource (skills, rules… for AI tools) → Initiative: ``spec.lifecycle`` →
  stage, ``spec.type`` kept in the description, ``spec.system`` and
  ``dependsOn`` → DEPENDS_ON;
* ``spec.owner`` → OWNS (accountable); ``memberOf``/``members`` → MEMBER_OF;
  ``parent``/``children``, ``system``, ``domain``, ``subcomponentOf``,
  ``subdomainOf`` → PART_OF; ``dependsOn``/``dependencyOf`` → DEPENDS_ON;
  ``consumesApis`` → the consumer DEPENDS_ON the API, ``providesApis`` → the
  API DEPENDS_ON its provider (what breaks if the provider goes away);
* Location entities are followed to files on disk (never URLs), inside the
  folder of the file that was imported (a missing target is a warning: the
  catalogue arrives in pieces); other kinds are reported and skipped.
* A reference to an entity of no file of this import is kept as a pending
  reference by the loader and resolved when an import brings it; one to a
  kind aimap does not import (a Location, a Template…) is a warning.
  Records read on the way keep the imported file as their provenance (its
  importer is known), while problems name the file and line they are in.

References are read the way Backstage reads them: ``[kind:][namespace/]name``
or ``{kind, namespace, name}``, with the field's default kind and the
referring entity's namespace. Every entity's id is
``backstage:<kind>:<namespace>/<name>`` in lower case, so each form of a
reference lands on the same id.
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.schema import REL_SPECS, Kind, Lifecycle, OwnerRole, Rel, Stage, TeamType
from importers.base import Extract, Location, RawEntity, RawRelationship
from importers.reading import UnreadableFile, read_text
from importers.structured import LocatedDict, StructureError, load_yaml_documents

ID_PREFIX = "backstage"
DEFAULT_NAMESPACE = "default"
YAML_SUFFIXES = (".yaml", ".yml")
HEAD = re.compile(r"^\s*['\"]?apiVersion['\"]?\s*:\s*['\"]?([a-z0-9-]+\.)*backstage\.io/", re.MULTILINE | re.IGNORECASE)
API_VERSION = re.compile(r"^([a-z0-9-]+\.)*backstage\.io/", re.IGNORECASE)
URL_TARGET = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
GLOB_CHARS = frozenset("*?[")

NODE_KINDS: dict[str, Kind] = {
    "group": Kind.TEAM,
    "user": Kind.PERSON,
    "component": Kind.SYSTEM,
    "resource": Kind.SYSTEM,
    "api": Kind.SYSTEM,
    "system": Kind.SYSTEM,
    "domain": Kind.SYSTEM,
    "airesource": Kind.INITIATIVE,
}
"""Backstage kinds (lower case) that become aimap nodes."""

CATEGORY_OF_KIND = {"api": "api", "system": "system", "domain": "domain"}
"""The category of kinds whose ``spec.type`` is not a useful category (an API's
type is its protocol); components and resources use their ``spec.type``."""

TEAM_TYPES: dict[str, TeamType] = {
    "organization": TeamType.BUSINESS_UNIT,
    "organisation": TeamType.BUSINESS_UNIT,
    "business-unit": TeamType.BUSINESS_UNIT,
    "businessunit": TeamType.BUSINESS_UNIT,
    "division": TeamType.BUSINESS_UNIT,
    "department": TeamType.DEPARTMENT,
    "sub-department": TeamType.DEPARTMENT,
    "subdepartment": TeamType.DEPARTMENT,
    "product-area": TeamType.DEPARTMENT,
    "vendor": TeamType.VENDOR,
}
"""Group ``spec.type`` → Team.type; anything else (team, squad…) is a team."""

LIFECYCLES: dict[str, Lifecycle] = {
    "production": Lifecycle.ACTIVE,
    "experimental": Lifecycle.EXPERIMENTAL,
    "development": Lifecycle.EXPERIMENTAL,
    "beta": Lifecycle.EXPERIMENTAL,
    "deprecated": Lifecycle.DEPRECATED,
    "retired": Lifecycle.RETIRED,
    "decommissioned": Lifecycle.RETIRED,
    "end-of-life": Lifecycle.RETIRED,
    "eol": Lifecycle.RETIRED,
}
"""Backstage ``spec.lifecycle`` → System.lifecycle. Backstage's well-known
values are experimental, production and deprecated; experimental software
runs but is not production, and the analyses can tell it apart."""

STAGES: dict[str, Stage] = {
    "experimental": Stage.PILOT,
    "development": Stage.PILOT,
    "beta": Stage.PILOT,
    "production": Stage.PRODUCTION,
    "deprecated": Stage.PRODUCTION,
    "retired": Stage.RETIRED,
    "decommissioned": Stage.RETIRED,
    "end-of-life": Stage.RETIRED,
    "eol": Stage.RETIRED,
}
"""An AiResource's ``spec.lifecycle`` → Initiative.stage: experimental is a
pilot; deprecated is still in use (production) until it is retired."""


@dataclass(frozen=True)
class RelationField:
    """One ``spec`` field that states relationships: the Backstage kinds it
    appears on, the kind a bare reference means, the aimap relationship and
    whether the entity is its source (``outgoing``) or its target."""

    kinds: frozenset[str]
    field: str
    default_kind: str | None
    rel: Rel
    outgoing: bool
    role: OwnerRole | None = None


SYSTEM_LIKE = frozenset({"component", "resource", "api", "system", "domain"})
AI_RESOURCE = frozenset({"airesource"})

RELATION_FIELDS: tuple[RelationField, ...] = (
    RelationField(SYSTEM_LIKE | AI_RESOURCE, "owner", "group", Rel.OWNS, False, OwnerRole.ACCOUNTABLE),
    RelationField(AI_RESOURCE, "system", "system", Rel.DEPENDS_ON, True),
    RelationField(AI_RESOURCE, "dependsOn", None, Rel.DEPENDS_ON, True),
    RelationField(frozenset({"component", "resource", "api"}), "system", "system", Rel.PART_OF, True),
    RelationField(frozenset({"system"}), "domain", "domain", Rel.PART_OF, True),
    RelationField(frozenset({"domain"}), "subdomainOf", "domain", Rel.PART_OF, True),
    RelationField(frozenset({"component"}), "subcomponentOf", "component", Rel.PART_OF, True),
    RelationField(frozenset({"component", "resource"}), "dependsOn", None, Rel.DEPENDS_ON, True),
    RelationField(frozenset({"component", "resource"}), "dependencyOf", None, Rel.DEPENDS_ON, False),
    RelationField(frozenset({"component"}), "consumesApis", "api", Rel.DEPENDS_ON, True),
    RelationField(frozenset({"component"}), "providesApis", "api", Rel.DEPENDS_ON, False),
    RelationField(frozenset({"group"}), "parent", "group", Rel.PART_OF, True),
    RelationField(frozenset({"group"}), "children", "group", Rel.PART_OF, False),
    RelationField(frozenset({"group"}), "members", "user", Rel.MEMBER_OF, False),
    RelationField(frozenset({"user"}), "memberOf", "group", Rel.MEMBER_OF, True),
)

ASSUMED_DEPENDENCY_KIND = "component"
"""Backstage requires a kind in ``dependsOn``; a bare name is read as a component."""


class RefError(ValueError):
    """An entity reference Backstage would not accept."""


@dataclass(frozen=True)
class EntityRef:
    kind: str
    namespace: str
    name: str

    @property
    def id(self) -> str:
        """The aimap id: lower case, because Backstage compares references
        without regard to case."""
        return f"{ID_PREFIX}:{self.kind}:{self.namespace}/{self.name}".lower()


def parse_ref(value: Any, default_kind: str | None, default_namespace: str) -> EntityRef:
    """An entity reference in any form Backstage accepts: ``name``,
    ``kind:name``, ``namespace/name``, ``kind:namespace/name`` or a mapping
    ``{kind, namespace, name}``. Raises ``RefError`` when the kind is missing
    and the field has no default, or a part is empty."""
    if isinstance(value, dict):
        kind, namespace, name = value.get("kind"), value.get("namespace"), value.get("name")
        if not isinstance(name, str) or not name.strip():
            raise RefError(f"a reference mapping needs a name (got {dict(value)!r})")
    elif isinstance(value, str):
        kind, namespace, name = _split_ref(value.strip())
    else:
        raise RefError(f"expected an entity reference, got {value!r}")
    kind = kind if kind is not None else default_kind
    if not kind:
        raise RefError(f"the reference {value!r} has no kind (write e.g. 'component:{name}')")
    namespace = namespace if namespace is not None else default_namespace
    if not str(namespace).strip():
        raise RefError(f"the reference {value!r} has an empty namespace")
    return EntityRef(str(kind).strip().lower(), str(namespace).strip().lower(), str(name).strip().lower())


def _split_ref(text: str) -> tuple[str | None, str | None, str]:
    """``[kind:][namespace/]name`` split as Backstage's parseEntityRef does
    (a colon after the first slash belongs to the name)."""
    colon, slash = text.find(":"), text.find("/")
    if slash != -1 and slash < colon:
        colon = -1
    kind = text[:colon] if colon != -1 else None
    namespace = text[colon + 1:slash] if slash != -1 else None
    name = text[max(colon + 1, slash + 1):]
    if kind == "" or namespace == "" or not name:
        raise RefError(f"malformed entity reference {text!r} (expected [kind:][namespace/]name)")
    return kind, namespace, name


def _line(mapping: Any, key: str | None = None) -> int | None:
    if isinstance(mapping, LocatedDict):
        return mapping.line_of(key) if key else mapping.line
    return None


def _text(value: Any) -> str | None:
    """A scalar as stripped text; None for blanks and non-scalars."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


@dataclass
class Walk:
    """One import of a catalog file and the Location files it leads to:
    the folder they must stay in, the files already read (loops), and the
    imported file, which is the provenance of everything read on the way
    (problems still name the file and line each record came from)."""

    source: str
    root: Path
    display_root: str
    seen: set[Path]
    queue: deque[tuple[Path, str]]

    def display(self, path: Path) -> str:
        """How a followed file is named in problems: relative to the imported
        file's folder, as the user named that folder."""
        return os.path.normpath(os.path.join(self.display_root, os.path.relpath(path, self.root)))


class BackstageReader:
    name = "backstage"
    binary = False
    description = "a Backstage catalog (catalog-info.yaml; Location entities are followed on disk)"

    def detect(self, path: Path, head: str) -> bool:
        return path.suffix.lower() in YAML_SUFFIXES and HEAD.search(head) is not None

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        resolved = path.resolve()
        walk = Walk(display, resolved.parent, os.path.dirname(display) or ".", {resolved}, deque())
        self._read_text(text, extract, display, resolved, walk)
        while walk.queue:
            followed, followed_display = walk.queue.popleft()
            try:
                followed_text = read_text(followed, followed_display)
            except UnreadableFile as exc:
                extract.problems.append(exc.problem)
                continue
            self._read_text(followed_text, extract, followed_display, followed, walk)

    def _read_text(self, text: str, extract: Extract, display: str, path: Path, walk: Walk) -> None:
        try:
            documents = load_yaml_documents(text)
        except StructureError as exc:
            extract.error(Location(display, exc.line), str(exc))
            return
        for document, line in documents:
            if document is None:
                continue
            EntityReader(extract, display, path, walk).document(document, line)


class EntityReader:
    """Maps one Backstage entity document onto raw records."""

    def __init__(self, extract: Extract, display: str, path: Path, walk: Walk):
        self.extract = extract
        self.display = display
        self.path = path
        self.walk = walk

    def where(self, line: int | None, element: str | None = None, field: str | None = None) -> Location:
        return Location(self.display, line, element, field)

    def document(self, document: Any, line: int) -> None:
        if not isinstance(document, dict):
            self.extract.error(self.where(line), "a Backstage entity must be a mapping with apiVersion, kind and metadata")
            return
        api_version = _text(document.get("apiVersion"))
        kind = _text(document.get("kind"))
        if not api_version or not API_VERSION.match(api_version):
            self.extract.warn(self.where(line, field="apiVersion"),
                              f"not a Backstage entity (apiVersion {api_version!r}); skipped",
                              group="document that is not a Backstage entity, skipped")
            return
        if not kind:
            self.extract.error(self.where(_line(document, "kind") or line, field="kind"), "the entity has no kind")
            return
        metadata = document.get("metadata")
        name = _text(metadata.get("name")) if isinstance(metadata, dict) else None
        if not isinstance(metadata, dict) or not name:
            self.extract.error(self.where(_line(metadata, "name") or line, kind, "metadata.name"),
                               "the entity has no metadata.name")
            return
        namespace = _text(metadata.get("namespace")) or DEFAULT_NAMESPACE
        raw_spec = document.get("spec")
        spec: dict = raw_spec if isinstance(raw_spec, dict) else {}
        self_ref = EntityRef(kind.lower(), namespace.lower(), name.lower())
        element = f"{kind} {namespace}/{name}" if namespace != DEFAULT_NAMESPACE else f"{kind} {name}"
        if self_ref.kind == "location":
            self.location(spec, element, line)
        elif self_ref.kind in NODE_KINDS:
            self.entity(self_ref, metadata, spec, element, line)
            self.relations(self_ref, spec, element)
        else:
            self.extract.warn(self.where(line, element, "kind"), f"Backstage kind {kind!r} has no aimap "
                              "counterpart; skipped", group=f"Backstage kind {kind} has no aimap counterpart, skipped")

    # -- nodes ---------------------------------------------------------------
    def entity(self, ref: EntityRef, metadata: dict, spec: dict, element: str, line: int) -> None:
        kind = NODE_KINDS[ref.kind]
        raw_profile = spec.get("profile")
        profile: dict = raw_profile if isinstance(raw_profile, dict) else {}
        fields: dict[str, Any] = {"id": ref.id, "name": self._name(ref, metadata, profile, kind)}
        description = _text(metadata.get("description"))
        if description:
            fields["description"] = description
        if kind is Kind.TEAM:
            fields["type"] = TEAM_TYPES.get((_text(spec.get("type")) or "team").lower(), TeamType.TEAM).value
        elif kind is Kind.PERSON:
            email = _text(profile.get("email"))
            if email:
                fields["email"] = email
        elif kind is Kind.INITIATIVE:
            fields.update(self._initiative_fields(spec, element, description))
        else:
            fields.update(self._system_fields(ref, spec, element))
        lines = {"id": _line(metadata, "name") or line, "name": _line(metadata, "name") or line,
                 "description": _line(metadata, "description") or line}
        self.extract.entities.append(RawEntity(kind, fields, self.where(line, element), lines, self.walk.source))

    @staticmethod
    def _name(ref: EntityRef, metadata: dict, profile: dict, kind: Kind) -> str:
        """The name people know: a group's or user's display name, else the
        entity's title, else its metadata.name."""
        display_name = _text(profile.get("displayName")) if kind in (Kind.TEAM, Kind.PERSON) else None
        if display_name:
            return display_name
        return _text(metadata.get("title")) or _text(metadata.get("name")) or ref.name

    def _system_fields(self, ref: EntityRef, spec: dict, element: str) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        category = CATEGORY_OF_KIND.get(ref.kind) or _text(spec.get("type")) or ref.kind
        fields["category"] = category
        lifecycle = _text(spec.get("lifecycle"))
        if lifecycle:
            mapped = LIFECYCLES.get(lifecycle.lower())
            if mapped is None:
                self.extract.warn(self.where(_line(spec, "lifecycle"), element, "spec.lifecycle"),
                                  f"lifecycle {lifecycle!r} is not one aimap knows; read as active",
                                  group="unknown Backstage lifecycle, read as active")
            else:
                fields["lifecycle"] = mapped.value
        return fields

    def _initiative_fields(self, spec: dict, element: str, description: str | None) -> dict[str, Any]:
        """An AiResource's stage from its lifecycle; its type (skill, rule…)
        kept in the description, since an Initiative has no type of its own."""
        fields: dict[str, Any] = {}
        resource_type = _text(spec.get("type"))
        if resource_type:
            fields["description"] = f"{description} (AI resource: {resource_type})" if description \
                else f"AI resource: {resource_type}"
        lifecycle = _text(spec.get("lifecycle"))
        if lifecycle:
            stage = STAGES.get(lifecycle.lower())
            if stage is None:
                self.extract.warn(self.where(_line(spec, "lifecycle"), element, "spec.lifecycle"),
                                  f"lifecycle {lifecycle!r} is not one aimap knows; the stage is left unset",
                                  group="unknown Backstage lifecycle of an AiResource, stage left unset")
            else:
                fields["stage"] = stage.value
        return fields

    # -- relationships ---------------------------------------------------------
    def relations(self, self_ref: EntityRef, spec: dict, element: str) -> None:
        for relation in RELATION_FIELDS:
            if self_ref.kind not in relation.kinds or spec.get(relation.field) is None:
                continue
            where = self.where(_line(spec, relation.field), element, f"spec.{relation.field}")
            for value in _as_list(spec[relation.field]):
                target = self._target(value, relation, self_ref, where)
                if target is None or not self._importable(target, relation, where):
                    continue
                ends = (self_ref.id, target.id) if relation.outgoing else (target.id, self_ref.id)
                role = relation.role.value if relation.role else None
                self.extract.relationships.append(
                    RawRelationship(relation.rel, *ends, where, role, self.walk.source))

    def _importable(self, target: EntityRef, relation: RelationField, where: Location) -> bool:
        """Whether aimap can hold the reference: the target is of a kind it
        imports, and one the relationship can reach (a Component depending on
        an AiResource cannot: an Initiative is no System). Otherwise a warning:
        the reference would stay pending for ever."""
        kind = NODE_KINDS.get(target.kind)
        spec = REL_SPECS[relation.rel]
        ends = spec.targets if relation.outgoing else spec.sources
        if kind is not None and (kind in ends or relation.rel in (Rel.PART_OF, Rel.OWNS)):
            return True  # (an owner that cannot own is a catalogue error: validation names it)
        what = "a kind aimap does not import" if kind is None else \
            f"an aimap {kind.value}, which {relation.rel.value} cannot reach"
        self.extract.warn(where, f"{target.kind}:{target.namespace}/{target.name} is of kind {target.kind}, "
                          f"{what}; not mapped",
                          group="Backstage reference aimap cannot hold, not mapped")
        return False

    def _target(self, value: Any, relation: RelationField, self_ref: EntityRef, where: Location) -> EntityRef | None:
        try:
            return parse_ref(value, relation.default_kind, self_ref.namespace)
        except RefError as exc:
            if relation.default_kind is None and isinstance(value, str) and value.strip():
                try:
                    assumed = parse_ref(value, ASSUMED_DEPENDENCY_KIND, self_ref.namespace)
                except RefError:
                    assumed = None
                if assumed is not None:
                    self.extract.warn(where, f"{value!r} has no kind, which Backstage requires here; read as "
                                      f"{assumed.kind}:{assumed.namespace}/{assumed.name}",
                                      group="dependsOn reference without a kind, read as a component")
                    return assumed
            self.extract.error(where, str(exc))
            return None

    # -- Location entities ---------------------------------------------------
    def location(self, spec: dict, element: str, line: int) -> None:
        """Queue the files a Location points at. Only files on disk are read,
        and only inside the folder of the file that was imported: a catalog
        cannot make aimap read files the user did not point it at."""
        location_type = (_text(spec.get("type")) or "").lower()
        if spec.get("target") is None and spec.get("targets") is None:
            self.extract.warn(self.where(line, element), "the Location has no target", group="Location without targets")
        for field in ("target", "targets"):
            for value in _as_list(spec.get(field)):
                where = self.where(_line(spec, field) or line, element, f"spec.{field}")
                target = _text(value)
                if target is None:
                    self.extract.error(where, f"expected a file path, got {value!r}")
                elif location_type not in ("", "file", "url"):
                    self.extract.warn(where, f"Location type {location_type!r} is not a file; {target!r} not read",
                                      group="Location target that is not a file, not read")
                elif URL_TARGET.match(target) or target.startswith("url:"):
                    self.extract.warn(where, f"{target!r} is a URL; aimap reads files on disk only (download it "
                                      "and import the file)", group="Location target that is a URL, not read")
                else:
                    self._queue(target, where)

    def _queue(self, target: str, where: Location) -> None:
        base = self.path.parent
        if GLOB_CHARS & set(target):
            if Path(target).is_absolute():
                matches: list[Path] = []
            else:
                matches = sorted(p for p in base.glob(target) if p.is_file())
            if not matches:
                self.extract.warn(where, f"no file matches {target!r}", group="Location target matching no file")
        else:
            matches = [base / target]
        for match in matches:
            self._queue_file(match, target, where)

    def _queue_file(self, candidate: Path, target: str, where: Location) -> None:
        resolved = candidate.resolve()
        if not resolved.is_relative_to(self.walk.root):
            self.extract.warn(where, f"{target!r} is outside the folder of the imported file "
                              f"({self.walk.display_root}); not read (import that file directly)",
                              group="Location target outside the imported folder, not read")
            return
        if resolved in self.walk.seen:
            return
        self.walk.seen.add(resolved)
        if not resolved.is_file():
            self.extract.warn(where, f"{target!r}: no such file; not read (the entities it would bring stay "
                              "pending until an import brings them)", group="Location target that is not there")
            return
        self.walk.queue.append((resolved, self.walk.display(resolved)))
