"""A seeded synthetic enterprise: a plausible graph with every kind of gap planted.

``generate(n_entities, seed)`` gives records ready for ``Store.upsert``; the
same arguments always give the same records. The background is a healthy
enterprise (business units > departments > teams, people in teams, systems with
owners and an acyclic web of dependencies, process trees of workflows, AI
initiatives at every stage with owners, workflows, integrations and metrics);
on top of it ``generate_enterprise`` plants a few instances of every gap the
analyses look for and says where (``planted``: rule id -> subject ids). It is
what tests and benchmarks use: 100,000 entities and ~500,000 relationships take
a few seconds.

Shapes: ``shape`` bends the enterprise into the graphs that stress the
analyses' algorithms rather than their volume (``SHAPES``): ``giant-cycle``
closes every system into one DEPENDS_ON ring (one strongly connected component
of thousands), ``heavy-tailed`` makes a few hub systems that tens of thousands
of workflows, systems and initiatives use or depend on, ``deep`` chains teams,
workflows and systems into PART_OF trees hundreds of levels deep. The default,
``enterprise``, draws exactly the records it always drew (the figures and
tests measured on it hold); ``shape_profile`` measures what a shape promises.

Times: every record is "last seen" the day before ``as_of`` except the planted
stale ones, seen ``STALE_AGE_DAYS`` before it. ``load_into`` writes the records
into a store with exactly those timestamps, and ``graph_from_records`` builds
the same graph in memory, so both give the same findings.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx

from graph.gc_pause import collector_paused
from graph.records import NodeRecord, RelRecord, timestamp
from graph.schema import (
    OPERATING_ROLES,
    OUTCOME_METRIC_TYPES,
    Criticality,
    Kind,
    Lifecycle,
    MetricType,
    OwnerRole,
    Rel,
    Stage,
    TeamType,
)
from graph.store.base import Store, build_networkx

AS_OF = dt.date(2026, 6, 30)
SOURCE = "synthetic"
IMPORTER = "synthetic"
STALE_AGE_DAYS = 200
OLD_PILOT_DAYS = 400
EDGES_PER_ENTITY = 5.0
SHAPES = ("enterprise", "giant-cycle", "heavy-tailed", "deep")
HUBS = 3
"""Hub systems of the ``heavy-tailed`` shape."""
DEEP_CHAIN = 400
"""The longest PART_OF chain of the ``deep`` shape: hundreds of levels, not
one chain through a whole unit (thousands of workflows at 100,000 entities)."""

BU_NAMES = ["Retail Banking", "Corporate Banking", "Wealth Management", "Insurance", "Operations", "Finance",
            "Human Resources", "Technology", "Risk & Compliance", "Marketing", "Supply Chain", "Customer Service"]
AREAS = ["Claims", "Underwriting", "Payments", "Lending", "Onboarding", "Procurement", "Payroll", "Analytics",
         "Security", "Billing", "Logistics", "Collections", "Fraud", "Treasury", "Pricing", "Sales"]
PRODUCTS = ["SAP S/4HANA", "Salesforce", "ServiceNow", "Workday", "Snowflake", "Databricks", "Azure OpenAI",
            "Oracle EBS", "Guidewire", "Temenos", "Kafka", "PostgreSQL", "SharePoint", "Jira", "Power BI"]
CATEGORIES = ["erp", "crm", "itsm", "data platform", "ai platform", "database", "document management",
              "analytics", "core banking", "messaging"]
VERBS = ["Review", "Approve", "Triage", "Reconcile", "Onboard", "Forecast", "Route", "Verify", "Classify",
         "Schedule", "Invoice", "Audit"]
OBJECTS = ["claims", "invoices", "loan applications", "supplier contracts", "support tickets", "payments",
           "expense reports", "purchase orders", "KYC documents", "shipments"]
TECHS = ["GenAI assistant", "ML scoring", "Document AI", "Forecasting model", "Chatbot", "Anomaly detection",
         "Copilot", "OCR extraction", "Recommendation engine", "Agentic workflow"]
FIRST = ["Ana", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kai", "Lena", "Mateo",
         "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Yara", "Zoe"]
LAST = ["Adams", "Baker", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hansen", "Ivanova", "Jensen", "Kim",
        "Lopez", "Müller", "Nakamura", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Weber"]
T = TypeVar("T")

PILOT_METRICS = [MetricType.ACCURACY, MetricType.USAGE, MetricType.ADOPTION, MetricType.USER_SATISFACTION]
OUTCOME_METRICS = sorted(OUTCOME_METRIC_TYPES)
STAGE_WEIGHTS = {Stage.IDEA: 25, Stage.PILOT: 35, Stage.PRODUCTION: 25, Stage.SCALED: 8, Stage.RETIRED: 7}


@dataclass
class SyntheticEnterprise:
    nodes: list[NodeRecord]
    relationships: list[RelRecord]
    planted: dict[str, list[str]] = field(default_factory=dict)
    as_of: dt.date = AS_OF


def generate(
    n_entities: int = 10_000, seed: int = 42, as_of: dt.date = AS_OF
) -> tuple[list[NodeRecord], list[RelRecord]]:
    """The records of a synthetic enterprise of about ``n_entities`` entities."""
    enterprise = generate_enterprise(n_entities, seed, as_of)
    return enterprise.nodes, enterprise.relationships


def generate_enterprise(n_entities: int = 10_000, seed: int = 42, as_of: dt.date = AS_OF,
                        edges_per_entity: float = EDGES_PER_ENTITY, shape: str = "enterprise") -> SyntheticEnterprise:
    """A synthetic enterprise with its planted gaps (rule id -> sorted subject ids),
    of one of the ``SHAPES`` (see the module docstring)."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose one of {', '.join(SHAPES)}")
    with collector_paused():  # hundreds of thousands of records, no reference cycles
        return _Generator(n_entities, seed, as_of, edges_per_entity, shape).run()


class _Generator:
    def __init__(self, n: int, seed: int, as_of: dt.date, edges_per_entity: float, shape: str = "enterprise"):
        self.n = max(n, 200)
        self.shape = shape
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.fresh = timestamp(dt.datetime.combine(as_of - dt.timedelta(days=1), dt.time()))
        self.stale = timestamp(dt.datetime.combine(as_of - dt.timedelta(days=STALE_AGE_DAYS), dt.time()))
        self.edge_target = int(self.n * edges_per_entity)
        self.nodes: dict[str, NodeRecord] = {}
        self.rels: dict[tuple, RelRecord] = {}
        self.counters: dict[str, int] = defaultdict(int)
        self.planted: dict[str, set[str]] = defaultdict(set)
        self.unit_teams: dict[str, list[str]] = defaultdict(list)
        self.unit_people: dict[str, list[str]] = defaultdict(list)
        self.unit_workflows: dict[str, list[str]] = defaultdict(list)
        self.workflow_systems: dict[str, list[str]] = {}
        self.supported: dict[str, list[str]] = {}

    # -- primitives ------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}-{self.counters[prefix]:06d}"

    def node(self, kind: Kind, prefix: str, name: str, **props: Any) -> str:
        node_id = self._id(prefix)
        props = {key: value for key, value in props.items() if value is not None}
        self.nodes[node_id] = NodeRecord(kind, node_id, {"name": name, **props}, SOURCE, IMPORTER,
                                         self.fresh, self.fresh)
        return node_id

    def rel(self, rel: Rel, src: str, dst: str, role: OwnerRole | None = None) -> None:
        if rel is Rel.OWNS:
            role = role or OwnerRole.ACCOUNTABLE
        record = RelRecord(rel, src, dst, {"role": role.value} if role else {}, SOURCE, IMPORTER,
                           self.fresh, self.fresh)
        self.rels.setdefault(record.identity, record)

    def pick(self, items: list[T]) -> T:
        return items[self.rng.randrange(len(items))]

    # -- the healthy enterprise -----------------------------------------------------
    def run(self) -> SyntheticEnterprise:
        n = self.n
        self.organisation(teams=max(20, n * 3 // 100), people=n * 25 // 100)
        self.systems(max(30, n * 8 // 100))
        self.workflows(max(40, n * 38 // 100))
        self.initiatives(max(20, n * 6 // 100))
        self.plant(max(2, n // 5_000))
        self.fill()
        self.reshape()
        self.top_up()
        nodes = [self.nodes[key] for key in sorted(self.nodes)]
        rels = [self.rels[key] for key in sorted(self.rels)]
        planted = {rule: sorted(ids) for rule, ids in sorted(self.planted.items())}
        return SyntheticEnterprise(nodes, rels, planted, self.as_of)

    def organisation(self, teams: int, people: int) -> None:
        units = min(len(BU_NAMES), max(4, self.n // 8_000))
        self.units = [self.node(Kind.TEAM, "bu", BU_NAMES[k], type=TeamType.BUSINESS_UNIT.value)
                      for k in range(units)]
        self.departments: list[tuple[str, str]] = []
        for k in range(max(units * 3, teams // 8)):
            unit = self.units[k % units]
            dept = self.node(Kind.TEAM, "dept", f"{AREAS[k % len(AREAS)]} {self.nodes[unit].name} {k}",
                             type=TeamType.DEPARTMENT.value)
            self.rel(Rel.PART_OF, dept, unit)
            self.departments.append((dept, unit))
        self.team_unit: dict[str, str] = {}
        self.active_teams: list[str] = []
        for k in range(teams):
            dept, unit = self.departments[self.rng.randrange(len(self.departments))]
            parent = dept
            if self.unit_teams[unit] and self.rng.random() < 0.2:  # a squad inside a team: four levels
                parent = self.pick(self.unit_teams[unit])
            team = self.node(Kind.TEAM, "team", f"{AREAS[k % len(AREAS)]} team {k}", type=TeamType.TEAM.value)
            self.rel(Rel.PART_OF, team, parent)
            self.unit_teams[unit].append(team)
            self.team_unit[team] = unit
            self.active_teams.append(team)
        self.vendors = [self.node(Kind.TEAM, "vendor", f"{PRODUCTS[k]} vendor", type=TeamType.VENDOR.value)
                        for k in range(3)]
        self.inactive_teams = []
        for k in range(max(2, teams // 100)):
            dept, unit = self.departments[k % len(self.departments)]
            team = self.node(Kind.TEAM, "team", f"Disbanded team {k}", type=TeamType.TEAM.value, active=False)
            self.rel(Rel.PART_OF, team, dept)
            self.inactive_teams.append(team)
        self.people_left: list[str] = []
        teams_list = self.active_teams
        for k in range(people):
            first, last = self.pick(FIRST), self.pick(LAST)
            left = self.rng.random() < 0.02
            person = self.node(Kind.PERSON, "person", f"{first} {last}",
                               email=f"{first.lower()}.{last.lower()}.{k}@example.com", active=False if left else None)
            team = self.pick(teams_list)
            self.rel(Rel.MEMBER_OF, person, team)
            if self.rng.random() < 0.1:
                self.rel(Rel.MEMBER_OF, person, self.pick(self.unit_teams[self.team_unit[team]]))
            if left:
                self.people_left.append(person)
            else:
                self.unit_people[self.team_unit[team]].append(person)

    def owner_in(self, unit: str) -> str:
        """An active accountable owner in ``unit``: a team mostly, sometimes a person."""
        if self.unit_people[unit] and self.rng.random() < 0.25:
            return self.pick(self.unit_people[unit])
        return self.pick(self.unit_teams[unit])

    def systems(self, count: int) -> None:
        self.all_systems: list[str] = []
        self.live_systems: list[str] = []
        for k in range(count):
            roll = self.rng.random()
            lifecycle = Lifecycle.RETIRED if roll < 0.03 else Lifecycle.DEPRECATED if roll < 0.08 else Lifecycle.ACTIVE
            product = self.pick(PRODUCTS)
            system = self.node(Kind.SYSTEM, "sys", f"{product} {AREAS[k % len(AREAS)]} {k}",
                               category=self.pick(CATEGORIES), lifecycle=lifecycle.value,
                               criticality=self.pick(list(Criticality)).value,
                               vendor=product.split()[0])
            owner = self.pick(self.vendors) if self.rng.random() < 0.05 else self.owner_in(self.pick(self.units))
            self.rel(Rel.OWNS, owner, system)
            if self.all_systems and self.rng.random() < 0.15:
                self.rel(Rel.PART_OF, system, self.pick(self.all_systems))
            for _ in range(self.rng.randint(0, 4) if self.all_systems else 0):  # only older systems: acyclic
                self.rel(Rel.DEPENDS_ON, system, self.pick(self.all_systems))
            self.all_systems.append(system)
            if lifecycle is not Lifecycle.RETIRED:
                self.live_systems.append(system)

    def workflows(self, count: int) -> None:
        processes: dict[str, list[str]] = defaultdict(list)
        for k in range(count):
            unit = self.units[k % len(self.units)]
            name = f"{self.pick(VERBS)} {self.pick(OBJECTS)} {k}"
            workflow = self.node(
                Kind.WORKFLOW, "wf", name, friction=self.rng.randint(1, 5),
                volume=int(math.exp(self.rng.uniform(0, 10))), repetitive=self.rng.random() < 0.5,
                decision_heavy=self.rng.random() < 0.3,
            )
            if processes[unit] and self.rng.random() < 0.9:
                self.rel(Rel.PART_OF, workflow, self.pick(processes[unit][-50:]))
            if self.rng.random() < 0.15:
                processes[unit].append(workflow)
            self.rel(Rel.PERFORMS, self.pick(self.unit_teams[unit]), workflow)
            self.rel(Rel.OWNS, self.owner_in(unit), workflow)
            used = [self.pick(self.live_systems)]
            used += [self.pick(self.all_systems) for _ in range(self.rng.randint(0, 3))]
            for system in used:
                self.rel(Rel.USES, workflow, system)
            self.workflow_systems[workflow] = used
            self.unit_workflows[unit].append(workflow)

    def metric(self, initiative: str, kind: MetricType, owner: str) -> None:
        metric = self.node(Kind.METRIC, "metric", f"{kind.value.replace('_', ' ')} of {self.nodes[initiative].name}",
                           type=kind.value, unit="%", baseline=round(self.rng.uniform(10, 60), 1),
                           target=round(self.rng.uniform(60, 95), 1))
        self.rel(Rel.MEASURED_BY, initiative, metric)
        self.rel(Rel.OWNS, owner, metric)

    def initiative(self, unit: str, stage: Stage | None = None, since_days: int | None = None, *,
                   owned: bool = True, supports: bool = True, integrated: bool = True,
                   measured: bool = True) -> str:
        """An initiative of ``unit``, healthy unless told otherwise: owned,
        anchored in its unit's workflows, integrated with their systems, measured."""
        stage = stage or self.rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
        since = self.as_of - dt.timedelta(days=since_days if since_days is not None else self.rng.randint(5, 150))
        initiative = self.node(Kind.INITIATIVE, "init",
                               f"{self.pick(TECHS)} for {self.pick(OBJECTS)} {self.counters['init'] + 1}",
                               stage=stage.value, stage_since=since.isoformat(),
                               objective="cut cycle time and manual effort")
        owner = self.owner_in(unit)
        if owned:
            self.rel(Rel.OWNS, owner, initiative)
            if self.unit_people[unit]:
                self.rel(Rel.OWNS, self.pick(self.unit_people[unit]), initiative, OwnerRole.SPONSOR)
            self.rel(Rel.OWNS, self.pick(self.unit_teams[unit]), initiative, OwnerRole.DEPLOYMENT)
        workflows = sorted({self.pick(self.unit_workflows[unit]) for _ in range(self.rng.randint(1, 2))})
        self.supported[initiative] = workflows if supports else []
        for workflow in self.supported[initiative]:
            self.rel(Rel.SUPPORTS, initiative, workflow)
            if integrated:
                live_used = [s for s in self.workflow_systems[workflow] if s in self.live_set]
                self.rel(Rel.INTEGRATES_WITH, initiative, self.pick(live_used))
        if integrated and not self.supported[initiative]:
            self.rel(Rel.INTEGRATES_WITH, initiative, self.pick(self.live_systems))
        for _ in range(self.rng.randint(1, 3)):
            self.rel(Rel.DEPENDS_ON, initiative, self.pick(self.live_systems))
        if stage is not Stage.IDEA and measured:
            self.metric(initiative, self.pick(OUTCOME_METRICS), owner)
            self.metric(initiative, self.pick(PILOT_METRICS), owner)
        return initiative

    def initiatives(self, count: int) -> None:
        self.live_set = set(self.live_systems)
        for k in range(count):
            self.initiative(self.units[k % len(self.units)])

    # -- the gaps ---------------------------------------------------------------------
    def mark(self, rule: str, *subjects: str) -> None:
        self.planted[rule].update(subjects)

    def unit_pair(self, k: int) -> tuple[str, str]:
        return self.units[k % len(self.units)], self.units[(k + 1) % len(self.units)]

    def plant(self, copies: int) -> None:
        for k in range(copies):
            unit, other = self.unit_pair(k)
            # orphaned-initiative: no owner; an owner who left (live: critical); an inactive team
            lone = self.initiative(unit, Stage.PILOT, owned=False)
            left = self.initiative(unit, Stage.PRODUCTION, owned=False)
            self.rel(Rel.OWNS, self.pick(self.people_left), left)
            disbanded = self.initiative(unit, Stage.PILOT, owned=False)
            self.rel(Rel.OWNS, self.pick(self.inactive_teams), disbanded)
            self.mark("orphaned-initiative", lone, left, disbanded)

            # unintegrated-workflow: lands in a system the workflow does not use
            initiative = self.initiative(unit, Stage.PILOT, integrated=False)
            for workflow in self.supported[initiative]:
                elsewhere = [s for s in self.live_systems[:50] if s not in self.workflow_systems[workflow]]
                self.rel(Rel.INTEGRATES_WITH, initiative, elsewhere[k % len(elsewhere)])
                self.mark("unintegrated-workflow", workflow)

            # unanchored-initiative: live, supports nothing
            self.mark("unanchored-initiative", self.initiative(unit, Stage.PRODUCTION, supports=False))

            # fragmented-ownership: two accountable owners in two units; roles spread, nobody accountable
            system = self.pick(self.live_systems)
            self.rel(Rel.OWNS, self.pick(self.unit_teams[other]), system)
            self.rel(Rel.OWNS, self.pick(self.unit_teams[unit]), system)
            spread = self.initiative(unit, Stage.PILOT, owned=False)
            teams = self.unit_teams[unit]
            for index, role in enumerate(sorted(OPERATING_ROLES)):
                self.rel(Rel.OWNS, teams[(k * 7 + index) % len(teams)], spread, role)
            self.mark("fragmented-ownership", system, spread)

            # duplicate-initiatives: two units, one workflow
            workflow = self.pick(self.unit_workflows[unit])
            for initiative in (self.initiative(unit, Stage.PILOT), self.initiative(other, Stage.PILOT)):
                self.rel(Rel.SUPPORTS, initiative, workflow)
                self.rel(Rel.INTEGRATES_WITH, initiative, self.workflow_systems[workflow][0])
            self.mark("duplicate-initiatives", workflow)

            # pilot-purgatory: too old; integrated with nothing
            old = self.initiative(unit, Stage.PILOT, since_days=OLD_PILOT_DAYS + k)
            nowhere = self.initiative(unit, Stage.PILOT, integrated=False)
            self.mark("pilot-purgatory", old, nowhere)

            # pilot-metrics-only: only accuracy and usage
            measured = self.initiative(unit, Stage.SCALED, measured=False)
            for kind in (MetricType.ACCURACY, MetricType.USAGE):
                self.metric(measured, kind, self.pick(self.unit_teams[unit]))
            self.mark("pilot-metrics-only", measured)

            # unowned-dependency: live initiative -> owned system -> system nobody owns
            unowned = self.node(Kind.SYSTEM, "sys", f"Legacy data feed {k}", lifecycle=Lifecycle.ACTIVE.value)
            middle = self.node(Kind.SYSTEM, "sys", f"Integration hub {k}", lifecycle=Lifecycle.ACTIVE.value)
            self.rel(Rel.OWNS, self.owner_in(unit), middle)
            self.rel(Rel.DEPENDS_ON, middle, unowned)
            self.rel(Rel.DEPENDS_ON, self.initiative(unit, Stage.PRODUCTION), middle)
            self.mark("unowned-dependency", unowned)

            # retired-dependency
            retired = self.node(Kind.SYSTEM, "sys", f"Mainframe batch {k}", lifecycle=Lifecycle.RETIRED.value)
            self.rel(Rel.OWNS, self.owner_in(unit), retired)
            dependent = self.initiative(unit, Stage.PILOT)
            self.rel(Rel.DEPENDS_ON, dependent, retired)
            self.mark("retired-dependency", dependent)

            # dependency-cycle: three systems in a ring, and one that depends on itself
            ring = [self.node(Kind.SYSTEM, "sys", f"Ring service {k}.{i}", lifecycle=Lifecycle.ACTIVE.value)
                    for i in range(3)]
            for index, system in enumerate(ring):
                self.rel(Rel.OWNS, self.owner_in(unit), system)
                self.rel(Rel.DEPENDS_ON, system, ring[(index + 1) % 3])
            selfish = self.node(Kind.SYSTEM, "sys", f"Self-referencing cache {k}", lifecycle=Lifecycle.ACTIVE.value)
            self.rel(Rel.OWNS, self.owner_in(unit), selfish)
            self.rel(Rel.DEPENDS_ON, selfish, selfish)
            self.mark("dependency-cycle", min(ring), selfish)

            # stale-record: not confirmed for STALE_AGE_DAYS
            for node_id in (self.pick(self.all_systems), self.pick(self.unit_people[unit] or self.people_left)):
                self.nodes[node_id].first_seen = self.nodes[node_id].last_seen = self.stale
                self.mark("stale-record", node_id)

    def fill(self) -> None:
        """More people until there are ``n`` entities: plausible and gap-free."""
        units = [u for u in self.units if self.unit_teams[u]]
        while len(self.nodes) < self.n:
            unit = units[len(self.nodes) % len(units)]
            first, last = self.pick(FIRST), self.pick(LAST)
            person = self.node(Kind.PERSON, "person", f"{first} {last}",
                               email=f"{first.lower()}.{last.lower()}.{len(self.nodes)}@example.com")
            self.rel(Rel.MEMBER_OF, person, self.pick(self.unit_teams[unit]))

    # -- the other shapes ---------------------------------------------------------------
    def reshape(self) -> None:
        """Bend the healthy enterprise into ``self.shape``, before ``top_up``
        so the relationship count stays about the same; draws nothing from
        the random generator, so the default shape is untouched."""
        if self.shape == "giant-cycle":
            self.giant_cycle()
        elif self.shape == "heavy-tailed":
            self.hubs()
        elif self.shape == "deep":
            self.deepen()

    def giant_cycle(self) -> None:
        """Every system depends on the next, the last on the first: one
        strongly connected component holding every system."""
        ring = sorted(key for key, node in self.nodes.items() if node.kind is Kind.SYSTEM)
        for index, system in enumerate(ring):
            self.rel(Rel.DEPENDS_ON, system, ring[(index + 1) % len(ring)])

    def hubs(self) -> None:
        """``HUBS`` active systems: every workflow uses the first, every later
        system depends on the second (older ones do not: the dependency web
        stays acyclic), every initiative depends on the third."""
        live = [s for s in self.live_systems if self.nodes[s].properties.get("lifecycle") == Lifecycle.ACTIVE.value]
        used, depended, initiatives = live[:HUBS]
        for workflow in sorted(self.workflow_systems):
            self.rel(Rel.USES, workflow, used)
        for system in self.all_systems[self.all_systems.index(depended) + 1:]:
            self.rel(Rel.DEPENDS_ON, system, depended)
        for initiative in sorted(self.supported):
            self.rel(Rel.DEPENDS_ON, initiative, initiatives)

    def deepen(self) -> None:
        """Teams, workflows and systems re-parented into PART_OF chains of up
        to ``DEEP_CHAIN`` levels: each team under the previous team of its
        unit, each workflow under the previous workflow of its unit, each
        system under the previous system."""
        chained = {node_id for node_id, node in self.nodes.items()
                   if node.kind in (Kind.WORKFLOW, Kind.SYSTEM)} | set(self.active_teams)
        for key in [key for key, rel in self.rels.items() if rel.type is Rel.PART_OF and rel.from_id in chained]:
            del self.rels[key]
        units_teams = [self.unit_teams[unit] for unit in self.units]
        units_workflows = [self.unit_workflows[unit] for unit in self.units]
        for members in [*units_teams, *units_workflows, self.all_systems]:
            for index, member in enumerate(members):
                if index % DEEP_CHAIN:
                    self.rel(Rel.PART_OF, member, members[index - 1])
        for unit, teams in zip(self.units, units_teams, strict=True):
            departments = [dept for dept, owner in self.departments if owner == unit]
            for index in range(0, len(teams), DEEP_CHAIN):
                self.rel(Rel.PART_OF, teams[index], departments[0])

    def top_up(self) -> None:
        """Extra USES and responsible ownership until the relationship target
        is met; never on planted entities, so no gap is hidden by accident."""
        protected = {w for ids in self.planted.values() for w in ids}
        workflows = [w for w in sorted(self.workflow_systems) if w not in protected]
        people = [p for unit in self.units for p in self.unit_people[unit]]
        attempts = 0
        while len(self.rels) < self.edge_target and attempts < self.edge_target * 2:
            attempts += 1
            workflow = self.pick(workflows)
            if self.rng.random() < 0.5:
                self.rel(Rel.USES, workflow, self.pick(self.all_systems))
            else:
                self.rel(Rel.OWNS, self.pick(people), workflow, OwnerRole.RESPONSIBLE)


# -- writing and reading the records ---------------------------------------------


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def load_into(store: Store, nodes: Iterable[NodeRecord], relationships: Iterable[RelRecord],
              batch: int = 50_000) -> None:
    """Write records into ``store`` so that every node and relationship keeps its
    ``last_seen``: one ``upsert`` per timestamp, oldest first, nodes before
    the relationships that need them."""
    by_time: dict[str, tuple[list[NodeRecord], list[RelRecord]]] = defaultdict(lambda: ([], []))
    for node in nodes:
        by_time[node.last_seen or timestamp(dt.datetime.now(dt.timezone.utc))][0].append(node)
    for rel in relationships:
        by_time[rel.last_seen or timestamp(dt.datetime.now(dt.timezone.utc))][1].append(rel)
    times = sorted(by_time)
    for moment in times:
        for chunk in _chunks(by_time[moment][0], batch):
            store.upsert(chunk, [], _moment(moment))
    for moment in times:
        for chunk in _chunks(by_time[moment][1], batch):
            store.upsert([], chunk, _moment(moment))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def shape_profile(relationships: Iterable[RelRecord]) -> dict[str, int]:
    """What the shapes promise, measured: the largest DEPENDS_ON strongly
    connected component, the most relationships into one entity, and the
    longest PART_OF chain (in edges). The harness reports it beside each
    shape's figures; tests check it."""
    depends = nx.DiGraph()
    part_of = nx.DiGraph()
    into: dict[str, int] = defaultdict(int)
    for rel in relationships:
        into[rel.to_id] += 1
        if rel.type is Rel.DEPENDS_ON:
            depends.add_edge(rel.from_id, rel.to_id)
        elif rel.type is Rel.PART_OF and rel.from_id != rel.to_id:
            part_of.add_edge(rel.from_id, rel.to_id)
    largest = max((len(c) for c in nx.strongly_connected_components(depends)), default=0)
    depth = nx.dag_longest_path_length(part_of) if nx.is_directed_acyclic_graph(part_of) else -1
    return {"largest_dependency_scc": largest, "max_in_degree": max(into.values(), default=0),
            "max_part_of_depth": depth}


def graph_from_records(nodes: Iterable[NodeRecord], relationships: Iterable[RelRecord]) -> nx.MultiDiGraph:
    """The graph ``Store.to_networkx`` would give for these records, without a
    store, inserted in the order given."""
    return build_networkx(nodes, relationships)
