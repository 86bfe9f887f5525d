"""Disagreements from the stores' claims, on both stores: stages, owners, and
a relationship one source dropped while another still states it."""

from __future__ import annotations

import datetime as dt

from graph.analyses import AnalysisConfig
from graph.records import NodeRecord, RelRecord, timestamp
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.store.base import Store

JAN = dt.datetime(2026, 1, 15, tzinfo=dt.timezone.utc)
APR = dt.datetime(2026, 4, 15, tzinfo=dt.timezone.utc)
JUL = dt.datetime(2026, 7, 15, tzinfo=dt.timezone.utc)


def node(kind: Kind, node_id: str, source: str, **props) -> NodeRecord:
    return NodeRecord(kind, node_id, {"name": node_id.title(), **props}, source, source.split(".")[0])


def rel(rel_type: Rel, start: str, end: str, source: str, **props) -> RelRecord:
    return RelRecord(rel_type, start, end, props, source, source.split(".")[0])


def service(store: Store) -> ReadService:
    return ReadService(store, AnalysisConfig(as_of=JUL.date()))


def test_two_registers_giving_different_stages(store: Store):
    store.upsert([node(Kind.INITIATIVE, "bot", "register.csv", stage="pilot")], [], JAN)
    store.upsert([node(Kind.INITIATIVE, "bot", "inventory.csv", stage="production")], [], APR)
    [found] = service(store).disagreements().disagreements
    assert (found.entity, found.about, found.graph_value) == ("bot", "stage", "production")
    assert [(c.source, c.value, c.last_seen) for c in found.claims] == [
        ("inventory.csv", "production", timestamp(APR)), ("register.csv", "pilot", timestamp(JAN))]


def test_sources_that_agree_are_no_disagreement(store: Store):
    for source, moment in (("a.yaml", JAN), ("b.csv", APR)):
        store.upsert([node(Kind.SYSTEM, "crm", source, lifecycle="active"), node(Kind.TEAM, "t", source)],
                     [rel(Rel.OWNS, "t", "crm", source, role="accountable")], moment)
    assert service(store).disagreements().total == 0


def test_a_relationship_one_source_dropped_and_another_still_states(store: Store):
    teams = [node(Kind.TEAM, "t", "cmdb.csv"), node(Kind.SYSTEM, "crm", "cmdb.csv"), node(Kind.SYSTEM, "db", "cmdb.csv")]
    store.upsert(teams, [rel(Rel.DEPENDS_ON, "crm", "db", "cmdb.csv"), rel(Rel.OWNS, "t", "crm", "cmdb.csv")], JAN)
    store.upsert([], [rel(Rel.DEPENDS_ON, "crm", "db", "archimate.xml")], APR)
    # the CMDB's next export no longer has crm -> db
    store.upsert(teams, [rel(Rel.OWNS, "t", "crm", "cmdb.csv")], JUL)
    answer = service(store).disagreements(about=["relationship"])
    [found] = answer.disagreements
    assert found.entity == "crm" and found.relationship.type is Rel.DEPENDS_ON
    assert (found.relationship.from_id, found.relationship.to_id) == ("crm", "db")
    assert [(c.source, c.value, c.current, c.last_seen, c.source_latest) for c in found.claims] == [
        ("archimate.xml", "states", True, timestamp(APR), timestamp(APR)),
        ("cmdb.csv", "no longer states", False, timestamp(JAN), timestamp(JUL)),
    ]


def test_an_owner_dropped_by_its_only_source_is_no_disagreement(store: Store):
    store.upsert([node(Kind.TEAM, "t", "a.yaml"), node(Kind.SYSTEM, "crm", "a.yaml")],
                 [rel(Rel.OWNS, "t", "crm", "a.yaml", role="accountable")], JAN)
    store.upsert([node(Kind.SYSTEM, "crm", "a.yaml")], [], APR)
    assert service(store).disagreements().total == 0


def test_newest_first_across_entities(store: Store):
    store.upsert([node(Kind.SYSTEM, "old", "a.yaml", lifecycle="active"),
                  node(Kind.SYSTEM, "new", "a.yaml", lifecycle="active")], [], JAN)
    store.upsert([node(Kind.SYSTEM, "old", "b.csv", lifecycle="deprecated")], [], APR)
    store.upsert([node(Kind.SYSTEM, "new", "c.csv", lifecycle="retired")], [], JUL)
    answer = service(store).disagreements()
    assert [d.entity for d in answer.disagreements] == ["new", "old"]
    assert answer.counts == {"lifecycle": 2}
