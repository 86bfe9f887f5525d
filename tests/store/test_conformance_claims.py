"""The conformance suite, continued: each source's claims (``graph.claims``),
kept beside the merged graph, the same on every store."""

from __future__ import annotations

import datetime as dt

from graph.claims import Claim, RelClaim
from graph.records import timestamp
from graph.schema import Kind, Rel
from graph.store.base import Store

from test_conformance import T0, T1, T2, node, rel


def test_each_source_keeps_its_own_lifecycle_while_the_graph_merges(store: Store):
    store.upsert([node(Kind.SYSTEM, "crm", "backstage.yaml", "backstage", lifecycle="active")], [], T0)
    store.upsert([node(Kind.SYSTEM, "crm", "cmdb.csv", "cmdb", lifecycle="retired")], [], T1)
    assert store.get("crm").properties["lifecycle"] == "retired"
    assert store.claims() == [
        Claim("crm", "lifecycle", "active", "backstage.yaml", "backstage", timestamp(T0), timestamp(T0)),
        Claim("crm", "lifecycle", "retired", "cmdb.csv", "cmdb", timestamp(T1), timestamp(T1)),
    ]


def test_a_claim_repeated_keeps_first_seen_and_a_changed_value_restarts_it(store: Store):
    store.upsert([node(Kind.INITIATIVE, "bot", "reg.csv", "register", stage="pilot")], [], T0)
    store.upsert([node(Kind.INITIATIVE, "bot", "reg.csv", "register", stage="pilot")], [], T1)
    assert [(c.value, c.first_seen, c.last_seen) for c in store.claims()] == [
        ("pilot", timestamp(T0), timestamp(T1))]
    store.upsert([node(Kind.INITIATIVE, "bot", "reg.csv", "register", stage="production")], [], T2)
    assert [(c.value, c.first_seen, c.last_seen) for c in store.claims()] == [
        ("production", timestamp(T2), timestamp(T2))]


def test_an_older_export_imported_later_does_not_overwrite_a_claim(store: Store):
    store.upsert([node(Kind.SYSTEM, "crm", "cmdb.csv", "cmdb", lifecycle="retired")], [], T2)
    store.upsert([node(Kind.SYSTEM, "crm", "cmdb.csv", "cmdb", lifecycle="active")], [], T0)
    assert [(c.value, c.last_seen) for c in store.claims()] == [("retired", timestamp(T2))]


def test_fields_nobody_disputes_and_unstated_fields_claim_nothing(store: Store):
    store.upsert([node(Kind.SYSTEM, "crm", name="CRM", criticality="high"),
                  node(Kind.TEAM, "t", name="T", active=False)], [], T0)
    assert store.claims() == []


def test_every_source_that_states_a_relationship_is_kept_with_its_dates(store: Store):
    owns = [rel(Rel.OWNS, "t", "crm", "accountable", "backstage.yaml", "backstage")]
    store.upsert([node(Kind.TEAM, "t"), node(Kind.SYSTEM, "crm")], owns, T0)
    store.upsert([], [rel(Rel.OWNS, "t", "crm", "accountable", "cmdb.csv", "cmdb")], T1)
    store.upsert([], owns, T2)
    assert [r.source for r in store.relationships()] == ["backstage.yaml"]
    assert store.relationship_claims() == [
        RelClaim("OWNS", "t", "crm", "accountable", "backstage.yaml", "backstage", timestamp(T0), timestamp(T2)),
        RelClaim("OWNS", "t", "crm", "accountable", "cmdb.csv", "cmdb", timestamp(T1), timestamp(T1)),
    ]


def test_claims_go_with_delete_and_clear(store: Store):
    store.upsert([node(Kind.SYSTEM, "crm", lifecycle="active"), node(Kind.SYSTEM, "db", lifecycle="active"),
                  node(Kind.TEAM, "t")],
                 [rel(Rel.DEPENDS_ON, "crm", "db"), rel(Rel.OWNS, "t", "db")], T0)
    store.delete(["crm"])
    assert [c.entity for c in store.claims()] == ["db"]
    assert [c.identity for c in store.relationship_claims()] == [("OWNS", "t", "db", "")]
    store.clear()
    assert store.claims() == [] and store.relationship_claims() == []


def test_claims_are_not_entities(store: Store):
    store.upsert([node(Kind.SYSTEM, "crm", lifecycle="active")], [rel(Rel.DEPENDS_ON, "crm", "db")],
                 dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc))
    assert [n.id for n in store.iter_nodes()] == ["crm"]
    assert store.counts().total_nodes == 1 and store.counts().total_relationships == 1
    assert list(store.to_networkx().nodes) == ["crm", "db"]


def test_an_embedded_store_from_before_claims_reads_none_and_gains_them_on_its_next_import(sqlite_store):
    sqlite_store.upsert([node(Kind.SYSTEM, "crm", lifecycle="active")], [], T0)
    db = sqlite_store._db
    db.execute("DROP TABLE claims")
    db.execute("DROP TABLE rel_claims")
    assert sqlite_store.claims() == [] and sqlite_store.relationship_claims() == []
    sqlite_store.delete(["nothing"])
    sqlite_store.upsert([node(Kind.SYSTEM, "crm", "cmdb.csv", "cmdb", lifecycle="retired")], [], T1)
    assert [(c.source, c.value) for c in sqlite_store.claims()] == [("cmdb.csv", "retired")]
