"""BPMN 2.0 process models (Camunda, Signavio, bpmn.io, ARIS, Bonita, Trisotech…).

What becomes what (docs/importers/bpmn.md says why):

* each ``process`` → a Workflow;
* each activity — ``task``, ``userTask``, ``serviceTask``, ``scriptTask``,
  ``manualTask``, ``businessRuleTask``, ``sendTask``, ``receiveTask``,
  ``callActivity`` — and each ``subProcess`` (``adHocSubProcess``,
  ``transaction``) → a Workflow step PART_OF its process or sub-process;
* each pool (a collaboration ``participant``) → a Team that PERFORMS its
  process (a black-box pool, without a process, is a Team only);
* each named ``lane`` → a Team that PERFORMS the steps it lists
  (``flowNodeRef``; the innermost lane wins), PART_OF its parent lane or pool;
* each named ``dataStore`` (or ``dataStoreReference`` without a store) → a
  System; the process holding the reference and every step with a data
  association to it USES it;
* each ``interface`` → a System that the service, send and receive tasks
  calling one of its operations (``operationRef``) USE;
* an extension property ``aimap:system`` (Camunda, Zeebe or Signavio
  properties) on a process or step → USES the System with that aimap id.

Ids are ``bpmn:<file stem>:<element id>``: the model's own ids, scoped by the
file name, so a re-import finds the same nodes and two models never collide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from graph.schema import Kind, Rel
from importers.base import Extract, Location
from importers.xml_safety import (
    XmlDocument,
    children,
    clean_name,
    claim_scope,
    clean_text,
    load_xml,
    local_name,
    namespace_of,
    sniff_root,
)

BPMN_NAMESPACE = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ROOT = "definitions"
SUFFIXES = (".bpmn", ".bpmn2")
DETECT_SUFFIXES = (*SUFFIXES, ".xml")

TASKS = frozenset({
    "task", "userTask", "serviceTask", "scriptTask", "manualTask",
    "businessRuleTask", "sendTask", "receiveTask", "callActivity",
})
SUB_PROCESSES = frozenset({"subProcess", "adHocSubProcess", "transaction"})
STEPS = TASKS | SUB_PROCESSES
OPERATION_TASKS = frozenset({"serviceTask", "sendTask", "receiveTask"})
DECISION_TASKS = frozenset({"businessRuleTask"})
LOOPS = frozenset({"standardLoopCharacteristics", "multiInstanceLoopCharacteristics"})

SYSTEM_PROPERTY = "aimap:system"
_ID_SEPARATORS = re.compile(r"[;,]")


def scoped_id(scope: str, element_id: str) -> str:
    """The aimap id of a BPMN element: ``bpmn:<file stem>:<element id>``."""
    return f"bpmn:{scope}:{element_id}"


class BpmnReader:
    name = "bpmn"
    binary = True  # reads bytes, so the XML declaration decides the encoding
    description = "BPMN 2.0 process models (.bpmn, or .xml with a BPMN definitions root)"

    def detect(self, path: Path, head: str) -> bool:
        """A .bpmn file, or an .xml file whose root is BPMN ``definitions``."""
        suffix = path.suffix.lower()
        if suffix in SUFFIXES:
            return True
        return suffix in DETECT_SUFFIXES and sniff_root(path) == (BPMN_NAMESPACE, ROOT)

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None:
        document = load_xml(path, display, extract)
        if document is None:
            return
        root = document.root
        if (namespace_of(root.tag), local_name(root.tag)) != (BPMN_NAMESPACE, ROOT):
            extract.error(Location(display, document.line(root)),
                          f"not a BPMN 2.0 model: the root element is {local_name(root.tag)!r} in namespace "
                          f"{namespace_of(root.tag) or '(none)'!r}; expected {ROOT!r} in {BPMN_NAMESPACE}")
            return
        _ModelReader(extract, display, document, path.stem).read()


@dataclass
class _ModelReader:
    """Maps one parsed BPMN file onto raw records."""

    extract: Extract
    file: str
    document: XmlDocument
    scope: str
    by_id: dict[str, Element] = field(default_factory=dict)
    steps: dict[str, str] = field(default_factory=dict)
    """BPMN id of each mapped step → its aimap id."""
    emitted: set[str] = field(default_factory=set)

    # -- helpers -------------------------------------------------------------
    def id(self, element_id: str) -> str:
        return scoped_id(self.scope, element_id)

    def where(self, element: Element, field_name: str | None = None) -> Location:
        return Location(self.file, self.document.line(element), element.get("id"), field_name)

    def bpmn(self, element: Element, *names: str) -> Iterator[Element]:
        return children(element, BPMN_NAMESPACE, *names)

    def name_of(self, element: Element, *fallbacks: str | None) -> str:
        """The ``name`` attribute, else the first fallback, else the id."""
        for candidate in (element.get("name"), *fallbacks):
            name = clean_name(candidate)
            if name:
                return name
        return clean_name(element.get("id")) or "(unnamed)"

    def description_of(self, element: Element) -> str | None:
        return clean_text(doc.text for doc in self.bpmn(element, "documentation"))

    def node(self, kind: Kind, element: Element, fields: dict[str, Any]) -> str:
        """Emit a node once per aimap id (a data store referenced twice is one System)."""
        node_id = fields["id"]
        if node_id not in self.emitted:
            self.emitted.add(node_id)
            self.extract.entity(kind, {key: value for key, value in fields.items() if value is not None},
                                self.where(element))
        return node_id

    def reference(self, element: Element, attribute: str, expected: str) -> Element | None:
        """The element an id attribute points at; an error when it points nowhere."""
        target_id = element.get(attribute)
        if not target_id:
            return None
        target = self.by_id.get(target_id)
        if target is None or local_name(target.tag) != expected:
            self.extract.error(self.where(element, attribute),
                               f"refers to {expected} {target_id!r}, which this file does not define")
            return None
        return target

    # -- the model -----------------------------------------------------------
    def read(self) -> None:
        self.index()
        other = claim_scope(self.extract, scoped_id(self.scope, ""), self.file)
        if other:
            self.extract.warn(Location(self.file),
                              f"{other} has the same file name; BPMN ids are made from the file name, so "
                              "elements with the same id in both files become one node — rename one file",
                              group="two BPMN files with the same name")
        root = self.document.root
        pools = self.pools(root)
        interfaces = self.interfaces(root)
        for process in self.bpmn(root, "process"):
            self.process(process, pools.get(process.get("id", ""), []), interfaces)
        for store in self.bpmn(root, "dataStore"):
            self.data_store(store, None)

    def index(self) -> None:
        """Every BPMN element by id; a duplicate id is an error (ids are XML IDs)."""
        for element in self.document.root.iter():
            element_id = element.get("id")
            if not element_id or namespace_of(element.tag) != BPMN_NAMESPACE:
                continue
            if element_id in self.by_id:
                first = self.document.line(self.by_id[element_id])
                self.extract.error(self.where(element, "id"),
                                   f"duplicate id {element_id!r} (first used on line {first})")
                continue
            self.by_id[element_id] = element

    def pools(self, root: Element) -> dict[str, list[tuple[str, str]]]:
        """A Team per participant; returns the pool teams (id, name) of each process id."""
        pools: dict[str, list[tuple[str, str]]] = {}
        for collaboration in self.bpmn(root, "collaboration"):
            for participant in self.bpmn(collaboration, "participant"):
                if not participant.get("id"):
                    continue
                process = self.reference(participant, "processRef", "process")
                name = self.name_of(participant, process.get("name") if process is not None else None)
                team = self.node(Kind.TEAM, participant, {
                    "id": self.id(participant.get("id", "")),
                    "name": name,
                    "description": self.description_of(participant),
                })
                if process is not None:
                    pools.setdefault(process.get("id", ""), []).append((team, name))
        return pools

    def interfaces(self, root: Element) -> dict[str, Element]:
        """Each operation id → its interface (the service a task calls)."""
        operations: dict[str, Element] = {}
        for interface in self.bpmn(root, "interface"):
            for operation in self.bpmn(interface, "operation"):
                if operation.get("id"):
                    operations[operation.get("id", "")] = interface
        return operations

    def process(self, process: Element, pools: list[tuple[str, str]], operations: dict[str, Element]) -> None:
        """A process → a Workflow performed by its pools, with its steps, data
        stores and lanes. An unnamed process takes its pool's name."""
        if not process.get("id"):
            return
        workflow = self.node(Kind.WORKFLOW, process, {
            "id": self.id(process.get("id", "")),
            "name": self.name_of(process, *(name for _, name in pools)),
            "description": self.description_of(process),
        })
        for team, _ in pools:
            self.extract.relate(Rel.PERFORMS, team, workflow, self.where(process))
        self.system_properties(process, workflow)
        containers = [(process, workflow)]
        while containers:  # iterative, so deeply nested sub-processes cannot exhaust the stack
            container, container_id = containers.pop()
            for child in self.bpmn(container, *STEPS):
                step = self.step(child, container_id, operations)
                if step and local_name(child.tag) in SUB_PROCESSES:
                    containers.append((child, step))
            for reference in self.bpmn(container, "dataStoreReference"):
                system = self.data_store_reference(reference)
                if system:
                    self.extract.relate(Rel.USES, container_id, system, self.where(reference))
        self.data_associations(process)
        self.lanes(process, pools[0][0] if pools else None)

    def step(self, element: Element, parent_id: str, operations: dict[str, Element]) -> str | None:
        """A task or sub-process → a Workflow step PART_OF its container."""
        if not element.get("id"):
            return None
        kind = local_name(element.tag)
        fields: dict[str, Any] = {
            "id": self.id(element.get("id", "")),
            "name": self.name_of(element),
            "description": self.description_of(element),
        }
        if kind in DECISION_TASKS:
            fields["decision_heavy"] = True  # the step exists to take a decision (a rule or DMN table)
        if any(True for _ in self.bpmn(element, *LOOPS)):
            fields["repetitive"] = True  # the model says the step runs over and over (loop, once per item)
        step = self.node(Kind.WORKFLOW, element, fields)
        self.steps[element.get("id", "")] = step
        self.extract.relate(Rel.PART_OF, step, parent_id, self.where(element))
        if kind in OPERATION_TASKS and element.get("operationRef"):
            self.operation(element, step, operations)
        self.system_properties(element, step)
        return step

    def operation(self, task: Element, step: str, operations: dict[str, Element]) -> None:
        """A task calling an interface's operation USES the interface as a System."""
        interface = operations.get(task.get("operationRef", ""))
        if interface is None:
            self.reference(task, "operationRef", "operation")  # reports the dangling reference
            return
        system = self.node(Kind.SYSTEM, interface, {
            "id": self.id(interface.get("id", "")),
            "name": self.name_of(interface),
        })
        self.extract.relate(Rel.USES, step, system, self.where(task, "operationRef"))

    def system_properties(self, element: Element, workflow: str) -> None:
        """``aimap:system`` extension properties: the ids of Systems the step uses."""
        for holder in self.bpmn(element, "extensionElements"):
            for prop in holder.iter():
                name = prop.get("name") if local_name(prop.tag) == "property" else prop.get("metaKey")
                if name is None or name.strip().lower() != SYSTEM_PROPERTY:
                    continue
                value = prop.get("value") if prop.get("value") is not None else prop.get("metaValue")
                for system_id in _ID_SEPARATORS.split(value or ""):
                    if system_id.strip():
                        self.extract.relate(Rel.USES, workflow, system_id.strip(),
                                            Location(self.file, self.document.line(prop), element.get("id"),
                                                     SYSTEM_PROPERTY))

    # -- data stores ---------------------------------------------------------
    def data_store(self, store: Element, reference: Element | None) -> str | None:
        """A named data store → a System (unnamed ones name no system)."""
        name = clean_name(store.get("name")) or (clean_name(reference.get("name")) if reference is not None else None)
        if not name or not store.get("id"):
            return None
        return self.node(Kind.SYSTEM, store, {"id": self.id(store.get("id", "")), "name": name,
                                              "description": self.description_of(store)})

    def data_store_reference(self, reference: Element) -> str | None:
        """The System a data store reference stands for: its store, or itself."""
        if reference.get("dataStoreRef"):
            store = self.reference(reference, "dataStoreRef", "dataStore")
            return self.data_store(store, reference) if store is not None else None
        return self.data_store(reference, None)

    def data_associations(self, process: Element) -> None:
        """A step reading from or writing to a data store USES its System."""
        for element in process.iter():
            step = self.steps.get(element.get("id", ""))
            if step is None or local_name(element.tag) not in STEPS:
                continue
            for association in self.bpmn(element, "dataInputAssociation", "dataOutputAssociation"):
                end = "sourceRef" if local_name(association.tag) == "dataInputAssociation" else "targetRef"
                for ref in self.bpmn(association, end):
                    target = self.by_id.get((ref.text or "").strip())
                    if target is not None and local_name(target.tag) == "dataStoreReference":
                        system = self.data_store_reference(target)
                        if system:
                            self.extract.relate(Rel.USES, step, system, self.where(association))

    # -- lanes ---------------------------------------------------------------
    def lanes(self, process: Element, pool: str | None) -> None:
        """Named lanes → Teams PART_OF their parent lane or pool, performing the
        steps they list. A step in nested lanes belongs to the innermost one;
        an unnamed lane says nothing about who, so its steps stay with the pool."""
        performer: dict[str, tuple[str, Element]] = {}
        pending = [(lane, pool) for lane_set in self.bpmn(process, "laneSet") for lane in self.bpmn(lane_set, "lane")]
        pending.reverse()
        while pending:  # parents before children, so the innermost lane is written last
            lane, parent = pending.pop()
            team = parent
            if clean_name(lane.get("name")) and lane.get("id"):
                team = self.node(Kind.TEAM, lane, {"id": self.id(lane.get("id", "")), "name": self.name_of(lane),
                                                   "description": self.description_of(lane)})
                if parent:
                    self.extract.relate(Rel.PART_OF, team, parent, self.where(lane))
                for ref in self.bpmn(lane, "flowNodeRef"):
                    node_id = (ref.text or "").strip()
                    if node_id not in self.by_id:
                        self.extract.error(Location(self.file, self.document.line(ref), lane.get("id"), "flowNodeRef"),
                                           f"lane refers to {node_id!r}, which this file does not define")
                    elif node_id in self.steps:
                        performer[node_id] = (team, ref)
            children_sets = list(self.bpmn(lane, "childLaneSet"))
            for child in reversed([c for s in children_sets for c in self.bpmn(s, "lane")]):
                pending.append((child, team))
        for node_id, (team, ref) in performer.items():
            self.extract.relate(Rel.PERFORMS, team, self.steps[node_id],
                                Location(self.file, self.document.line(ref), node_id, "flowNodeRef"))
