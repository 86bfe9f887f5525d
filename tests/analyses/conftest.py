"""Small graphs for the analysis tests, built through a real store.

``g`` is a ``GraphBuilder`` on the ``store`` fixture (``tests/conftest.py``:
an empty store, once per implementation), so every analysis test runs on the
embedded store and on Neo4j. Entities are made with the schema's own models
and written with ``Store.upsert``; ``g.graph()`` reads the graph back with
``Store.to_networkx``, exactly as the commands do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

import networkx as nx
import pytest

from graph.analyses import AnalysisConfig, Finding, run_analysis
from graph.records import NodeRecord, RelRecord
from graph.schema import (
    Entity,
    Initiative,
    Lifecycle,
    Metric,
    MetricType,
    OwnerRole,
    Person,
    Rel,
    Relationship,
    Stage,
    System,
    Team,
    TeamType,
    Workflow,
)
from graph.store.base import Store

AS_OF = dt.date(2026, 6, 30)
FRESH = dt.datetime(2026, 6, 29, 12, 0, tzinfo=dt.timezone.utc)


def ago(days: int) -> dt.datetime:
    """A moment ``days`` days before AS_OF (noon UTC)."""
    return dt.datetime.combine(AS_OF - dt.timedelta(days=days), dt.time(12), tzinfo=dt.timezone.utc)


class GraphBuilder:
    """Declare entities and relationships, then ``graph()`` writes them to the
    store and reads the graph back. Names default to a readable form of the id."""

    as_of = AS_OF
    fresh = FRESH

    def __init__(self, store: Store):
        self.store = store
        self._nodes: dict[dt.datetime, list[NodeRecord]] = defaultdict(list)
        self._rels: list[RelRecord] = []

    @staticmethod
    def ago(days: int) -> dt.datetime:
        return ago(days)

    @staticmethod
    def days_before(days: int) -> dt.date:
        return AS_OF - dt.timedelta(days=days)

    # -- entities ----------------------------------------------------------
    def add(self, entity: Entity, source: str = "test", seen: dt.datetime = FRESH) -> str:
        self._nodes[seen].append(NodeRecord.from_entity(entity, source, "test"))
        return entity.id

    def unit(self, id: str, name: str | None = None, **kw) -> str:
        return self.team(id, name, type=TeamType.BUSINESS_UNIT, **kw)

    def team(self, id: str, name: str | None = None, *, part_of: str | None = None,
             type: TeamType = TeamType.TEAM, active: bool = True, seen: dt.datetime = FRESH) -> str:
        self.add(Team(id=id, name=name or _title(id), type=type, active=active), seen=seen)
        if part_of:
            self.rel(Rel.PART_OF, id, part_of)
        return id

    def person(self, id: str, name: str | None = None, *, member_of: Iterable[str] = (), active: bool = True,
               seen: dt.datetime = FRESH) -> str:
        self.add(Person(id=id, name=name or _title(id), active=active), seen=seen)
        for team in member_of:
            self.rel(Rel.MEMBER_OF, id, team)
        return id

    def system(self, id: str, name: str | None = None, *, owner: str | None = None,
               lifecycle: Lifecycle = Lifecycle.ACTIVE, depends_on: Iterable[str] = (),
               part_of: str | None = None, seen: dt.datetime = FRESH) -> str:
        self.add(System(id=id, name=name or _title(id), lifecycle=lifecycle), seen=seen)
        if owner:
            self.owns(owner, id)
        for target in depends_on:
            self.rel(Rel.DEPENDS_ON, id, target)
        if part_of:
            self.rel(Rel.PART_OF, id, part_of)
        return id

    def workflow(self, id: str, name: str | None = None, *, owner: str | None = None, uses: Iterable[str] = (),
                 performed_by: Iterable[str] = (), part_of: str | None = None, seen: dt.datetime = FRESH,
                 **props) -> str:
        self.add(Workflow(id=id, name=name or _title(id), **props), seen=seen)
        if owner:
            self.owns(owner, id)
        for system in uses:
            self.rel(Rel.USES, id, system)
        for team in performed_by:
            self.rel(Rel.PERFORMS, team, id)
        if part_of:
            self.rel(Rel.PART_OF, id, part_of)
        return id

    def initiative(self, id: str, name: str | None = None, *, stage: Stage = Stage.PILOT,
                   since: dt.date | None = None, owner: str | None = None, supports: Iterable[str] = (),
                   integrates_with: Iterable[str] = (), depends_on: Iterable[str] = (),
                   measured_by: Iterable[str] = (), seen: dt.datetime = FRESH, history: Iterable[str] = (),
                   high_impact: bool | None = None) -> str:
        extra = {"stage_history": list(history)} if history else {}
        if high_impact is not None:
            extra["high_impact"] = high_impact
        self.add(Initiative(id=id, name=name or _title(id), stage=stage, stage_since=since, **extra), seen=seen)
        if owner:
            self.owns(owner, id)
        for rel, targets in ((Rel.SUPPORTS, supports), (Rel.INTEGRATES_WITH, integrates_with),
                             (Rel.DEPENDS_ON, depends_on), (Rel.MEASURED_BY, measured_by)):
            for target in targets:
                self.rel(rel, id, target)
        return id

    def metric(self, id: str, type: MetricType, name: str | None = None) -> str:
        return self.add(Metric(id=id, name=name or _title(id), type=type))

    # -- relationships -----------------------------------------------------
    def rel(self, type: Rel, source: str, target: str, role: OwnerRole | None = None, via: str = "test") -> None:
        relationship = Relationship(type=type, source=source, target=target, role=role)
        self._rels.append(RelRecord.from_relationship(relationship, via, "test"))

    def owns(self, owner: str, entity: str, role: OwnerRole = OwnerRole.ACCOUNTABLE, via: str = "test") -> None:
        self.rel(Rel.OWNS, owner, entity, role, via)

    # -- the graph ---------------------------------------------------------
    def graph(self) -> nx.MultiDiGraph:
        """Write everything (each node with its own last-seen time) and read it back."""
        for seen in sorted(self._nodes):
            self.store.upsert(self._nodes[seen], [], seen)
        self.store.upsert([], self._rels, FRESH)
        return self.store.to_networkx()


def _title(node_id: str) -> str:
    return node_id.replace("-", " ").title()


@pytest.fixture
def g(store: Store) -> GraphBuilder:
    return GraphBuilder(store)


Analyze = Callable[..., list[Finding]]


@pytest.fixture
def analyze() -> Analyze:
    """``analyze(graph, rule=None, **config)``: the findings (of one rule if
    given) with ``as_of`` = AS_OF unless the config says otherwise."""

    def run(graph: nx.MultiDiGraph, rule: str | None = None, **config) -> list[Finding]:
        config.setdefault("as_of", AS_OF)
        result = run_analysis(graph, AnalysisConfig(**config), rules=[rule] if rule else None)
        return result.findings

    return run
