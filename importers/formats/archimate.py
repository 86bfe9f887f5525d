"""The Open Group ArchiMate Model Exchange File Format, 3.x and 2.1.

What becomes what (docs/importers/archimate.md says why):

* BusinessActor → Team, or Person when it carries an e-mail property (or a
  type property saying person); BusinessRole → Team;
* ApplicationComponent, Node, Device, SystemSoftware → System (category from the type);
* BusinessProcess, BusinessFunction, BusinessInteraction → Workflow;
* CommunicationNetwork, Path → System (category network); a node associated
  with a network DEPENDS_ON it;
* services, interfaces and application/technology behaviour (functions,
  processes…) are not nodes but stand for their providers, to any depth
  with cycles guarded: a component assigned to a function that realizes a
  service serves whatever the service serves; a data object stands for the
  systems that realize or access it, so a process accessing it USES them;
  junctions join the relationships on both sides;
* collaborations (business, application, technology) are not nodes: their
  members (aggregated or composed roles, actors, components) get the
  collaboration's relationships;
* Assignment: actor/role → workflow PERFORMS, → system OWNS, person → team
  MEMBER_OF; system → workflow is USES (an automated process), system → system
  DEPENDS_ON (deployed on); an actor assigned to a role gets what the role is
  assigned to (PERFORMS, OWNS), and the role is PART_OF its only actor;
* Association between two actors is the organisation chart (the source is
  the superior: the target is PART_OF it, a person MEMBER_OF it), unless the
  import setting ``archimate.actor_associations`` is ``ignore``;
* Serving, Flow, Realization between systems → DEPENDS_ON (the served, the
  receiving, the realized depends on the other); Serving from a system to a
  workflow → the workflow USES the system;
* Composition, Aggregation between two nodes of one kind → PART_OF (the part
  is the target);
* everything else is skipped with a warning grouped by relationship type.

Properties are read through the model's property definitions; well-known names
(lifecycle or status, criticality, vendor, e-mail, owner…) set schema fields,
see ``PROPERTY_FIELDS`` and ``OWNER_ROLES``.

Ids are ``archimate:<model identifier>:<element identifier>``: the exchange
file is an export, and the tool keeps both identifiers across exports.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from graph.schema import REL_SPECS, Criticality, Kind, Lifecycle, OwnerRole, Rel, TeamType
from importers.base import Extract, Location
from importers.xml_safety import (
    XML_NAMESPACE,
    XSI_NAMESPACE,
    XmlDocument,
    claim_scope,
    clean_name,
    clean_text,
    load_xml,
    local_name,
    namespace_of,
    sniff_root,
)

NAMESPACE_3 = "http://www.opengroup.org/xsd/archimate/3.0/"
NAMESPACE_2 = "http://www.opengroup.org/xsd/archimate"
ARCHI_NATIVE_NAMESPACE = "http://www.archimatetool.com/archimate"
ROOT = "model"
DETECT_SUFFIXES = (".xml", ".archimate")

XSI_TYPE = f"{{{XSI_NAMESPACE}}}type"
XML_LANG = f"{{{XML_NAMESPACE}}}lang"

ELEMENT_KINDS: dict[str, Kind] = {
    "BusinessActor": Kind.TEAM,
    "BusinessRole": Kind.TEAM,
    "ApplicationComponent": Kind.SYSTEM,
    "Node": Kind.SYSTEM,
    "Device": Kind.SYSTEM,
    "SystemSoftware": Kind.SYSTEM,
    "CommunicationNetwork": Kind.SYSTEM,
    "Path": Kind.SYSTEM,
    "BusinessProcess": Kind.WORKFLOW,
    "BusinessFunction": Kind.WORKFLOW,
    "BusinessInteraction": Kind.WORKFLOW,
}
SYSTEM_CATEGORIES = {
    "ApplicationComponent": "application",
    "Node": "node",
    "Device": "device",
    "SystemSoftware": "system software",
    "CommunicationNetwork": "network",
    "Path": "network",
}
NETWORKS = frozenset({"CommunicationNetwork", "Path"})
# Not nodes, but stand-ins for the nodes that provide them: what a service,
# an interface or a component's internal behaviour serves, flows to or
# accesses, its providers do (ArchiMate's derivation rules), to any depth.
INTERMEDIARIES = frozenset({
    "ApplicationService", "ApplicationInterface", "TechnologyService", "TechnologyInterface",
    "BusinessService", "BusinessInterface",
    "ApplicationFunction", "ApplicationProcess", "ApplicationInteraction", "ApplicationEvent",
    "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction", "TechnologyEvent",
})
# Passive structure: a data object stands for the systems that realize or
# access it, so a process accessing it USES them.
PASSIVE = frozenset({"DataObject", "BusinessObject", "Artifact", "Contract", "Representation"})
COLLABORATIONS = frozenset({"BusinessCollaboration", "ApplicationCollaboration", "TechnologyCollaboration"})
JUNCTIONS = frozenset({"Junction", "AndJunction", "OrJunction"})
PROVIDING = frozenset({"Realization", "Assignment", "Composition", "Aggregation"})
MEMBERSHIP = frozenset({"Aggregation", "Composition"})

# ArchiMate 2.1 names of the types ArchiMate 3 renamed.
RENAMED_TYPES = {
    "InfrastructureService": "TechnologyService",
    "InfrastructureInterface": "TechnologyInterface",
    "InfrastructureFunction": "TechnologyFunction",
    "Network": "CommunicationNetwork",
    "UsedBy": "Serving",
    "Realisation": "Realization",
    "Specialisation": "Specialization",
}


def archimate_type(value: str | None) -> str:
    """``xsi:type`` as an ArchiMate 3 type name, whatever the version or prefix:
    ``archimate:UsedByRelationship`` → ``Serving``."""
    name = (value or "").rsplit(":", 1)[-1].strip().removesuffix("Relationship")
    return RENAMED_TYPES.get(name, name)


_NAMESPACE_3X = re.compile(r"http://www\.opengroup\.org/xsd/archimate/3\.\d+/?")


def is_exchange_namespace(namespace: str) -> bool:
    """The 2.1 namespace, or the 3.x one (3.1 and 3.2 files keep ``/3.0/``)."""
    return namespace == NAMESPACE_2 or _NAMESPACE_3X.fullmatch(namespace) is not None


def scoped_id(model: str, identifier: str) -> str:
    """The aimap id of an ArchiMate element: ``archimate:<model>:<element>``."""
    return f"archimate:{model}:{identifier}"


# -- properties ----------------------------------------------------------------

Converter = Callable[[str], Any]


def _key(name: str) -> str:
    """A property name compared loosely: ``Lifecycle Status`` = ``lifecycle_status``."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _choice(table: dict[str, Any]) -> Converter:
    def convert(value: str) -> Any:
        return table.get(_key(value))
    return convert


def _text(value: str) -> str | None:
    return clean_name(value)


def _boolean(value: str) -> bool | None:
    return {"true": True, "yes": True, "y": True, "1": True,
            "false": False, "no": False, "n": False, "0": False}.get(_key(value))


def _whole(low: int, high: int | None) -> Converter:
    def convert(value: str) -> int | None:
        try:
            number = int(value.strip())
        except ValueError:
            return None
        return number if number >= low and (high is None or number <= high) else None
    return convert


LIFECYCLES = {
    **dict.fromkeys(["active", "production", "inproduction", "live", "operational", "inuse", "current"],
                    Lifecycle.ACTIVE.value),
    **dict.fromkeys(["deprecated", "phasingout", "phaseout", "sunset", "sunsetting", "legacy", "tolerate"],
                    Lifecycle.DEPRECATED.value),
    **dict.fromkeys(["retired", "decommissioned", "endoflife", "eol", "obsolete", "inactive"],
                    Lifecycle.RETIRED.value),
}
CRITICALITIES = {
    **{level.value: level.value for level in Criticality},
    "moderate": Criticality.MEDIUM.value,
    "missioncritical": Criticality.CRITICAL.value,
    "businesscritical": Criticality.CRITICAL.value,
}
TEAM_TYPES = {
    **dict.fromkeys(["businessunit", "bu", "division"], TeamType.BUSINESS_UNIT.value),
    **dict.fromkeys(["department", "dept"], TeamType.DEPARTMENT.value),
    "team": TeamType.TEAM.value,
    **dict.fromkeys(["vendor", "supplier", "external", "partner"], TeamType.VENDOR.value),
}
PERSON_TYPES = frozenset({"person", "individual", "employee", "user"})
EMAIL_KEYS = frozenset({"email", "emailaddress", "mail"})
TYPE_KEYS = frozenset({"type", "actortype", "teamtype", "unittype", "organizationtype", "organisationtype", "kind"})

# Property name (loosely compared) → (schema field, converter), per kind.
PROPERTY_FIELDS: dict[Kind, dict[str, tuple[str, Converter]]] = {
    Kind.SYSTEM: {
        **dict.fromkeys(["lifecycle", "lifecyclestatus", "lifecyclestate", "lifecyclephase", "status"],
                        ("lifecycle", _choice(LIFECYCLES))),
        **dict.fromkeys(["criticality", "businesscriticality"], ("criticality", _choice(CRITICALITIES))),
        "category": ("category", _text),
        **dict.fromkeys(["vendor", "supplier", "manufacturer"], ("vendor", _text)),
    },
    Kind.PERSON: {
        **dict.fromkeys(EMAIL_KEYS, ("email", _text)),
        **dict.fromkeys(["title", "jobtitle", "position"], ("title", _text)),
        "active": ("active", _boolean),
    },
    Kind.TEAM: {
        **dict.fromkeys(TYPE_KEYS, ("type", _choice(TEAM_TYPES))),
        "active": ("active", _boolean),
    },
    Kind.WORKFLOW: {
        "friction": ("friction", _whole(1, 5)),
        **dict.fromkeys(["volume", "runspermonth"], ("volume", _whole(0, None))),
        "repetitive": ("repetitive", _boolean),
        "decisionheavy": ("decision_heavy", _boolean),
    },
}
OWNER_ROLES: dict[str, OwnerRole] = {
    **dict.fromkeys(["owner", "owneremail", "ownedby", "accountable", "accountableowner", "businessowner",
                     "systemowner", "applicationowner", "processowner"], OwnerRole.ACCOUNTABLE),
    **dict.fromkeys(["technicalowner", "itowner", "responsible"], OwnerRole.RESPONSIBLE),
}
EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


# -- relationships -------------------------------------------------------------

@dataclass(frozen=True)
class Mapped:
    """One aimap relationship an ArchiMate relationship stands for."""

    type: Rel
    source: str
    target: str
    role: OwnerRole | None = None


def map_relationship(kind: str, source: tuple[str, Kind], target: tuple[str, Kind]) -> Mapped | None:
    """The aimap meaning of ``source --kind--> target`` (each an (id, Kind)),
    or None when the schema has none. See the module docstring for the table."""
    (from_id, source_kind), (to_id, target_kind) = source, target
    system, workflow, team, person = Kind.SYSTEM, Kind.WORKFLOW, Kind.TEAM, Kind.PERSON
    if kind == "Assignment":
        if source_kind is team and target_kind is workflow:
            return Mapped(Rel.PERFORMS, from_id, to_id)
        if source_kind in (team, person) and target_kind is system:
            return Mapped(Rel.OWNS, from_id, to_id, OwnerRole.ACCOUNTABLE)
        if source_kind is person and target_kind is team:
            return Mapped(Rel.MEMBER_OF, from_id, to_id)
        if source_kind is system and target_kind is workflow:
            return Mapped(Rel.USES, to_id, from_id)
        if source_kind is system and target_kind is system:
            return Mapped(Rel.DEPENDS_ON, to_id, from_id)
        return None
    if kind in ("Serving", "Flow", "Realization"):
        if source_kind is system and target_kind is system:
            return Mapped(Rel.DEPENDS_ON, to_id, from_id)
        if kind == "Serving" and source_kind is system and target_kind is workflow:
            return Mapped(Rel.USES, to_id, from_id)
        return None
    if kind in ("Composition", "Aggregation") and REL_SPECS[Rel.PART_OF].connects(target_kind, source_kind):
        return Mapped(Rel.PART_OF, to_id, from_id)  # the source is the whole
    if kind == "Access" and source_kind is workflow and target_kind is system:
        return Mapped(Rel.USES, from_id, to_id)  # derived: the data object's systems
    return None


@dataclass
class _Item:
    """An element of the model as read: its ArchiMate type and where it is."""

    identifier: str
    type: str
    name: str
    element: Element
    kind: Kind | None = None


@dataclass
class _Link:
    """A relationship, direct from the file or derived through a service or junction."""

    identifier: str
    type: str
    source: str
    target: str
    element: Element
    origins: tuple[str, ...] = ()


class ArchiMateReader:
    name = "archimate"
    binary = True  # reads bytes, so the XML declaration decides the encoding
    description = "ArchiMate Model Exchange File Format 3.x or 2.1 (.xml)"

    def __init__(self, actor_associations: bool = True):
        self.actor_associations = actor_associations

    def with_settings(self, settings: dict) -> "ArchiMateReader":
        """``[import.archimate]``: ``actor_associations`` "hierarchy" (default) or "ignore"."""
        return ArchiMateReader(settings.get("actor_associations", "hierarchy") == "hierarchy")

    def detect(self, path: Path, head: str) -> bool:
        """An exchange file by its root element; Archi's own format too, to say how to export it."""
        if path.suffix.lower() not in DETECT_SUFFIXES:
            return False
        root = sniff_root(path)
        if root is None:
            return False
        namespace, local = root
        return local == ROOT and (is_exchange_namespace(namespace) or namespace == ARCHI_NATIVE_NAMESPACE)

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        document = load_xml(path, display, extract)
        if document is None:
            return
        root = document.root
        namespace = namespace_of(root.tag)
        if namespace == ARCHI_NATIVE_NAMESPACE:
            extract.error(Location(display, document.line(root)),
                          "this is Archi's own model file, not the exchange format; in Archi use "
                          "File → Export → Model To Open Exchange File… and import that file")
            return
        if local_name(root.tag) != ROOT or not is_exchange_namespace(namespace):
            extract.error(Location(display, document.line(root)),
                          f"not an ArchiMate exchange file: the root element is {local_name(root.tag)!r} in "
                          f"namespace {namespace or '(none)'!r}; expected {ROOT!r} in {NAMESPACE_3} or {NAMESPACE_2}")
            return
        model = root.get("identifier") or path.stem
        _ModelReader(extract, display, document, namespace, model,
                     actor_associations=self.actor_associations).read()


@dataclass
class _ModelReader:
    """Maps one parsed exchange file onto raw records."""

    extract: Extract
    file: str
    document: XmlDocument
    namespace: str
    model: str
    items: dict[str, _Item] = field(default_factory=dict)
    links: dict[str, _Link] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    owners: list[tuple[str, str, OwnerRole, Element]] = field(default_factory=list)
    """(owned aimap id, owner as the property gives it, role, property element)."""
    actor_associations: bool = True
    """Read associations between actors as the organisation chart (see ArchiMateSettings)."""
    role_actors: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    chart: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    cycle_closers: set[str] = field(default_factory=set)
    """Associations not read as hierarchy because they would close a cycle."""
    """Team id → the teams it is PART_OF through associations, for the cycle guard."""

    # -- helpers -------------------------------------------------------------
    def id(self, identifier: str) -> str:
        return scoped_id(self.model, identifier)

    def where(self, element: Element, field_name: str | None = None) -> Location:
        return Location(self.file, self.document.line(element), element.get("identifier"), field_name)

    def children(self, element: Element, *names: str) -> Iterator[Element]:
        for child in element:
            if namespace_of(child.tag) == self.namespace and local_name(child.tag) in names:
                yield child

    def section(self, container: str, entry: str) -> Iterator[Element]:
        """The entries of a top-level container (``elements/element``…)."""
        for holder in self.children(self.document.root, container):
            yield from self.children(holder, entry)

    def lang_string(self, element: Element, *names: str) -> str | None:
        """The English text of a language-tagged field, else the first one."""
        values = [(child.get(XML_LANG) or "", child.text or "") for child in self.children(element, *names)]
        values = [(lang, text) for lang, text in values if text.strip()]
        english = [text for lang, text in values if lang.lower() == "en" or lang.lower().startswith("en-")]
        texts = english or [text for _, text in values]
        return texts[0] if texts else None

    # -- the model -----------------------------------------------------------
    def read(self) -> None:
        other = claim_scope(self.extract, scoped_id(self.model, ""), self.file)
        if other:
            self.extract.warn(Location(self.file),
                              f"{other} has the same model identifier {self.model!r}; elements with the same "
                              "identifier in both files become one node", group="two ArchiMate files of one model")
        self.property_definitions()
        self.elements()
        self.relationships()
        self.resolve_owners()

    def property_definitions(self) -> None:
        """Definition id → name: 3.x ``propertyDefinitions`` (a ``name`` child)
        and 2.1 ``propertydefs`` (a ``name`` attribute)."""
        for container in ("propertyDefinitions", "propertydefs"):
            for holder in self.children(self.document.root, container):
                for definition in self.children(holder, "propertyDefinition", "propertydef"):
                    name = definition.get("name") or self.lang_string(definition, "name")
                    if definition.get("identifier") and name:
                        self.definitions[definition.get("identifier", "")] = name

    def properties(self, element: Element) -> list[tuple[str, str, Element]]:
        """An element's properties as (definition name, value, property element)."""
        found = []
        for holder in self.children(element, "properties"):
            for prop in self.children(holder, "property"):
                ref = prop.get("propertyDefinitionRef") or prop.get("identifierref") or ""
                value = self.lang_string(prop, "value")
                if ref in self.definitions and value is not None:
                    found.append((self.definitions[ref], value.strip(), prop))
        return found

    def elements(self) -> None:
        for element in self.section("elements", "element"):
            identifier = element.get("identifier")
            if not identifier:
                self.extract.error(self.where(element), "element without an identifier")
                continue
            if identifier in self.items:
                first = self.document.line(self.items[identifier].element)
                self.extract.error(self.where(element, "identifier"),
                                   f"duplicate identifier {identifier!r} (first used on line {first})")
                continue
            kind_name = archimate_type(element.get(XSI_TYPE))
            name = clean_name(self.lang_string(element, "name", "label")) or identifier
            item = _Item(identifier, kind_name, name, element)
            self.items[identifier] = item
            if kind_name in ELEMENT_KINDS:
                self.node(item)

    def node(self, item: _Item) -> None:
        """A mapped element → a node, with the properties the schema knows."""
        props = self.properties(item.element)
        kind = ELEMENT_KINDS[item.type]
        if item.type == "BusinessActor" and self.is_person(props):
            kind = Kind.PERSON
        item.kind = kind
        node_id = self.id(item.identifier)
        fields: dict[str, Any] = {"id": node_id, "name": item.name}
        description = clean_text([self.lang_string(item.element, "documentation")])
        if description:
            fields["description"] = description
        if kind is Kind.SYSTEM:
            fields["category"] = SYSTEM_CATEGORIES[item.type]
        known = PROPERTY_FIELDS[kind]
        for name, value, prop in props:
            key = _key(name)
            if key in OWNER_ROLES:
                self.owners.extend((node_id, owner.strip(), OWNER_ROLES[key], prop)
                                   for owner in re.split(r"[;,]", value) if owner.strip())
            elif key in known and value:
                schema_field, convert = known[key]
                converted = convert(value)
                if converted is None:
                    self.extract.warn(Location(self.file, self.document.line(prop), item.identifier, name),
                                      f"{value!r} is not a {schema_field} aimap understands; ignored",
                                      group="ArchiMate property value not understood")
                else:
                    fields[schema_field] = converted
        self.extract.entity(kind, fields, self.where(item.element))

    @staticmethod
    def is_person(props: list[tuple[str, str, Element]]) -> bool:
        """An actor is a person when it has an e-mail or a type saying so; an
        actor in an enterprise model is otherwise an organisational unit."""
        for name, value, _ in props:
            key = _key(name)
            if (key in EMAIL_KEYS and EMAIL.match(value)) or (key in TYPE_KEYS and _key(value) in PERSON_TYPES):
                return True
        return False

    # -- relationships -------------------------------------------------------
    def relationships(self) -> None:
        for element in self.section("relationships", "relationship"):
            identifier = element.get("identifier") or ""
            link = _Link(identifier, archimate_type(element.get(XSI_TYPE)),
                         element.get("source") or "", element.get("target") or "", element, (identifier,))
            if not identifier:
                self.extract.error(self.where(element), "relationship without an identifier")
                continue
            if identifier in self.links or identifier in self.items:
                self.extract.error(self.where(element, "identifier"), f"duplicate identifier {identifier!r}")
                continue
            self.links[identifier] = link
        for link in self.links.values():
            for end in ("source", "target"):
                ref = getattr(link, end)
                if ref not in self.items and ref not in self.links:
                    self.extract.error(self.where(link.element, end),
                                       f"{link.type} refers to {ref!r}, which this file does not define")
        used: set[str] = set()
        for link in self.effective_links():
            mapped = self.map(link)
            if mapped is not None:
                used.update(link.origins)
                self.extract.relate(mapped.type, mapped.source, mapped.target, self.where(link.element),
                                    mapped.role.value if mapped.role else None)
        for link in self.links.values():
            if link.identifier not in used:
                self.skipped(link)

    def effective_links(self) -> list[_Link]:
        """The file's relationships, with junctions joined, then the ones a
        collaboration, a stand-in (service, interface, internal behaviour,
        data object) or a role stands for derived; each derived link keeps
        the identifiers of the relationships it came from (``origins``)."""
        links = self.through_junctions(list(self.links.values()))
        links += self.through_collaborations(links)
        links += self.through_stand_ins(links)
        links += self.through_roles(links)
        return links

    def kind_of(self, identifier: str) -> str:
        item = self.items.get(identifier)
        return item.type if item else ""

    def is_node(self, identifier: str) -> bool:
        item = self.items.get(identifier)
        return item is not None and item.kind is not None

    def stands_in(self, identifier: str) -> bool:
        return self.kind_of(identifier) in INTERMEDIARIES or self.kind_of(identifier) in PASSIVE

    def through_junctions(self, links: list[_Link]) -> list[_Link]:
        """A --T--> junction --T--> B stands for A --T--> B (ArchiMate requires
        one relationship type on both sides of a junction)."""
        into: dict[str, list[_Link]] = defaultdict(list)
        out_of: dict[str, list[_Link]] = defaultdict(list)
        direct = []
        for link in links:
            if self.kind_of(link.target) in JUNCTIONS:
                into[link.target].append(link)
            if self.kind_of(link.source) in JUNCTIONS:
                out_of[link.source].append(link)
            if self.kind_of(link.target) not in JUNCTIONS and self.kind_of(link.source) not in JUNCTIONS:
                direct.append(link)
        for junction, incoming in into.items():
            for before in incoming:
                for after in out_of.get(junction, []):
                    if before.type == after.type:
                        direct.append(_Link(after.identifier, after.type, before.source, after.target,
                                            after.element, before.origins + after.origins))
        return direct

    @staticmethod
    def _substitute(link: _Link, sources: list[tuple[str, tuple[str, ...]]],
                    targets: list[tuple[str, tuple[str, ...]]]) -> Iterator[_Link]:
        """``link`` with its ends replaced by what they stand for."""
        for source, before in sources:
            for target, after in targets:
                if source != target:
                    yield _Link(link.identifier, link.type, source, target, link.element,
                                link.origins + before + after)

    def through_collaborations(self, links: list[_Link]) -> list[_Link]:
        """A collaboration's relationships, given to each of its members (the
        roles, actors or components it aggregates or composes; nested
        collaborations are flattened, cycles guarded)."""
        parts: dict[str, list[_Link]] = defaultdict(list)
        for link in links:
            if link.type in MEMBERSHIP and self.kind_of(link.source) in COLLABORATIONS:
                parts[link.source].append(link)

        def members(collaboration: str, seen: set[str]) -> list[tuple[str, tuple[str, ...]]]:
            found = []
            for link in parts.get(collaboration, []):
                if self.kind_of(link.target) in COLLABORATIONS:
                    if link.target not in seen:
                        seen.add(link.target)
                        found += [(m, link.origins + o) for m, o in members(link.target, seen)]
                else:
                    found.append((link.target, link.origins))
            return found

        def ends(identifier: str) -> list[tuple[str, tuple[str, ...]]]:
            if self.kind_of(identifier) in COLLABORATIONS:
                return members(identifier, {identifier})
            return [(identifier, ())]

        derived: list[_Link] = []
        for link in links:
            if link.type == "Association" or (link.type in MEMBERSHIP and self.kind_of(link.source) in COLLABORATIONS):
                continue
            if self.kind_of(link.source) in COLLABORATIONS or self.kind_of(link.target) in COLLABORATIONS:
                derived.extend(self._substitute(link, ends(link.source), ends(link.target)))
        return derived

    def through_stand_ins(self, links: list[_Link]) -> list[_Link]:
        """What a service, interface, internal behaviour or data object does,
        its providers do: the nodes that realize it, are assigned to it or
        compose it (and, for a data object, the systems that access it),
        through any number of other stand-ins, each visited once per query
        so cycles end. Association is not derived (ArchiMate derives none)."""
        defining: dict[str, list[_Link]] = defaultdict(list)
        for link in links:
            if self.stands_in(link.target) and (
                    link.type in PROVIDING or (link.type == "Access" and self.kind_of(link.target) in PASSIVE)):
                defining[link.target].append(link)
        memo: dict[str, list[tuple[str, tuple[str, ...]]]] = {}

        def providers(stand_in: str) -> list[tuple[str, tuple[str, ...]]]:
            if stand_in in memo:
                return memo[stand_in]
            found: dict[str, tuple[str, ...]] = {}
            seen = {stand_in}
            queue: list[tuple[str, tuple[str, ...]]] = [(stand_in, ())]
            while queue:
                current, via = queue.pop(0)
                for link in defining.get(current, []):
                    origins = link.origins + via
                    if self.is_node(link.source):
                        if link.type == "Access" and self.items[link.source].kind is not Kind.SYSTEM:
                            continue  # a process reading a data object uses it, it does not provide it
                        found.setdefault(link.source, origins)
                    elif self.stands_in(link.source) and link.source not in seen:
                        seen.add(link.source)
                        queue.append((link.source, origins))
            memo[stand_in] = sorted(found.items())
            return memo[stand_in]

        def ends(identifier: str) -> list[tuple[str, tuple[str, ...]]]:
            return providers(identifier) if self.stands_in(identifier) else [(identifier, ())]

        derived: list[_Link] = []
        for link in links:
            if link.type == "Association" or not (self.stands_in(link.source) or self.stands_in(link.target)):
                continue
            if link in defining.get(link.target, ()) and link.type != "Access":
                continue  # it defines a provider; it has no meaning of its own
            derived.extend(self._substitute(link, ends(link.source), ends(link.target)))
        return derived

    def through_roles(self, links: list[_Link]) -> list[_Link]:
        """An actor assigned to a role is assigned to what the role is assigned
        to: the actor PERFORMS the role's processes (OWNS its systems)."""
        self.role_actors = defaultdict(list)
        for link in links:
            if link.type == "Assignment" and self.kind_of(link.source) == "BusinessActor" \
                    and self.kind_of(link.target) == "BusinessRole" and self.is_node(link.source):
                self.role_actors[link.target].append((link.source, link.origins))
        derived: list[_Link] = []
        for link in links:
            if link.type == "Assignment" and link.source in self.role_actors \
                    and self.kind_of(link.target) not in ("BusinessActor", "BusinessRole"):
                derived.extend(self._substitute(link, self.role_actors[link.source], [(link.target, ())]))
        return derived

    def map(self, link: _Link) -> Mapped | None:
        source, target = self.items.get(link.source), self.items.get(link.target)
        if source is None or target is None or source.kind is None or target.kind is None:
            return None
        source_end, target_end = (self.id(source.identifier), source.kind), (self.id(target.identifier), target.kind)
        if link.type == "Assignment" and source.type == "BusinessActor" and target.type == "BusinessRole":
            return self.role_of_actor(link, source_end, target_end)
        if link.type == "Association":
            return self.association(link, source, target, source_end, target_end)
        if link.type == "Access" and len(link.origins) == 1:
            return None  # only through a data object: access to an active element is not ArchiMate
        return map_relationship(link.type, source_end, target_end)

    def role_of_actor(self, link: _Link, actor: tuple[str, Kind], role: tuple[str, Kind]) -> Mapped | None:
        """A person holding a role is a MEMBER_OF it; a role held by one
        organisational actor is PART_OF it (held by several, it belongs to none)."""
        if actor[1] is Kind.PERSON:
            return Mapped(Rel.MEMBER_OF, actor[0], role[0])
        teams = {a for a, _ in self.role_actors.get(link.target, []) if self.items[a].kind is Kind.TEAM}
        return Mapped(Rel.PART_OF, role[0], actor[0]) if teams == {link.source} else None

    def association(self, link: _Link, source: _Item, target: _Item, source_end: tuple[str, Kind],
                    target_end: tuple[str, Kind]) -> Mapped | None:
        """A system associated with a network DEPENDS_ON it; two actors
        associated are the organisation chart (the source is the superior),
        unless the import setting says to ignore it. A hierarchy that would
        close a cycle is not mapped."""
        if len(link.origins) != 1:
            return None
        networks = [end for end, item in ((source_end, source), (target_end, target)) if item.type in NETWORKS]
        if len(networks) == 1 and source.kind is Kind.SYSTEM and target.kind is Kind.SYSTEM:
            other = target_end if networks[0] == source_end else source_end
            return Mapped(Rel.DEPENDS_ON, other[0], networks[0][0])
        if not self.actor_associations or source.type != "BusinessActor" or target.type != "BusinessActor":
            return None
        (superior, superior_kind), (member, member_kind) = source_end, target_end
        if superior_kind is Kind.TEAM and member_kind is Kind.PERSON:
            return Mapped(Rel.MEMBER_OF, member, superior)
        if superior_kind is Kind.PERSON and member_kind is Kind.TEAM:
            return Mapped(Rel.MEMBER_OF, superior, member)
        if superior_kind is not Kind.TEAM or member_kind is not Kind.TEAM:
            return None
        if self.above(superior, member):
            self.cycle_closers.add(link.identifier)
            return None
        self.chart[member].add(superior)
        return Mapped(Rel.PART_OF, member, superior)

    def above(self, team: str, candidate: str) -> bool:
        """Whether ``candidate`` is ``team`` or above it in the organisation chart read so far."""
        seen, stack = set(), [team]
        while stack:
            current = stack.pop()
            if current == candidate:
                return True
            if current not in seen:
                seen.add(current)
                stack.extend(self.chart.get(current, ()))
        return False

    def skipped(self, link: _Link) -> None:
        """A relationship with no aimap meaning: a warning, grouped by type."""
        def describe(ref: str) -> str:
            item = self.items.get(ref)
            return f"{item.type} {item.name!r}" if item else f"relationship {ref!r}"
        if link.source not in self.items and link.source not in self.links:
            return  # already an error
        if link.target not in self.items and link.target not in self.links:
            return
        why = "would close a cycle in the organisation chart" if link.identifier in self.cycle_closers \
            else "has no aimap meaning"
        self.extract.warn(self.where(link.element),
                          f"{link.type} from {describe(link.source)} to {describe(link.target)} {why}; skipped",
                          group=f"ArchiMate {link.type} relationship not mapped")

    # -- owners --------------------------------------------------------------
    def resolve_owners(self) -> None:
        """Owner properties → OWNS from the actor or role they name (by
        identifier, name or e-mail), or from a Person made for an e-mail address."""
        by_name: dict[str, list[_Item]] = defaultdict(list)
        by_email: dict[str, _Item] = {}
        for candidate in self.items.values():
            if candidate.kind in (Kind.TEAM, Kind.PERSON):
                by_name[_key(candidate.name)].append(candidate)
                for name, value, _ in self.properties(candidate.element):
                    if _key(name) in EMAIL_KEYS:
                        by_email.setdefault(value.lower(), candidate)
        made: set[str] = set()
        for owned, owner, role, prop in self.owners:
            where = Location(self.file, self.document.line(prop), self.where_owned(owned), "owner")
            item = self.items.get(owner)
            owner_id = None
            if item is not None and item.kind in (Kind.TEAM, Kind.PERSON):
                owner_id = self.id(item.identifier)
            elif owner.lower() in by_email:
                owner_id = self.id(by_email[owner.lower()].identifier)
            elif len(by_name.get(_key(owner), [])) == 1:
                owner_id = self.id(by_name[_key(owner)][0].identifier)
            elif len(by_name.get(_key(owner), [])) > 1:
                self.extract.warn(where, f"owner {owner!r} names {len(by_name[_key(owner)])} actors or roles; "
                                  "give the identifier instead", group="ArchiMate owner not mapped")
                continue
            elif EMAIL.match(owner):
                owner_id = self.id(f"person:{owner.lower()}")
                if owner_id not in made:
                    made.add(owner_id)
                    self.extract.entity(Kind.PERSON, {"id": owner_id, "name": owner, "email": owner}, where)
            else:
                self.extract.warn(where, f"owner {owner!r} is neither an actor or role of this model nor an "
                                  "e-mail address; not mapped", group="ArchiMate owner not mapped")
                continue
            self.extract.relate(Rel.OWNS, owner_id, owned, where, role.value)

    def where_owned(self, owned: str) -> str:
        return owned.removeprefix(scoped_id(self.model, ""))
