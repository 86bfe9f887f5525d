"""The store conformance suite: one set of expectations, run on every store.

Each test gets an empty store from the ``store`` fixture (``tests/conftest.py``),
once as the embedded SQLite store and once as Neo4j.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import networkx as nx
import pytest

from graph.errors import StoreError
from graph.records import NodeRecord, PendingRecord, RelRecord, Subgraph, timestamp
from graph.schema import Kind, Rel
from graph.store import open_store
from graph.store.base import Store

T0 = dt.datetime(2024, 1, 1, 9, 0, 0, tzinfo=dt.timezone.utc)
T1 = dt.datetime(2024, 2, 1, 9, 0, 0, tzinfo=dt.timezone.utc)
T2 = dt.datetime(2024, 3, 1, 9, 0, 0, tzinfo=dt.timezone.utc)

HOSTILE = {
    "single quote": "O'Brien's team",
    "double quote": 'the "core" platform',
    "backtick": "`Team`",
    "cypher injection": "x'}) DETACH DELETE n //",
    "cypher injection 2": "`}) MATCH (m) DETACH DELETE m RETURN 1 //",
    "sql injection": "'); DROP TABLE nodes; --",
    "parameter": "$param",
    "parameter 2": "$rows {id: $now}",
    "braces": "{a: 1}",
    "backslash": "C:\\temp\\new\\x00",
    "like metacharacters": "100% of a_b",
    "emoji": "AI 🤖 pilots 🚀👩🏽‍💻",
    "right to left": "\u202eמערכת الذكاء الاصطناعي",
    "combining marks": "Cafe\u0301 Z\u0335\u0321a\u0336lgo",
    "newlines": "line one\nline two\r\nline three\ttabbed",
    "nul": "before\x00after",
    "very long": "long " + "ab✓" * 33_334,
}


def node(kind: Kind, node_id: str, source: str = "src-a", importer: str = "native", **props) -> NodeRecord:
    return NodeRecord(kind, node_id, props, source, importer)


def rel(rel_type: Rel, start: str, end: str, role: str | None = None, source: str = "src-a",
        importer: str = "native", **props) -> RelRecord:
    if role is not None:
        props["role"] = role
    return RelRecord(rel_type, start, end, props, source, importer)


def snapshot(store: Store) -> tuple[list[NodeRecord], list[RelRecord]]:
    return list(store.iter_nodes()), list(store.iter_relationships())


def ids(records) -> list[str]:
    return [record.id for record in records]


def identities(rels) -> list[tuple]:
    return [r.identity for r in rels]


# A small enterprise used by the read tests:
#
#   bu ──PART_OF── dept (dept PART_OF bu)      alice MEMBER_OF dept
#   dept OWNS crm (accountable), dept OWNS crm (risk), alice OWNS bot (accountable)
#   bot SUPPORTS claims, bot INTEGRATES_WITH crm, bot DEPENDS_ON llm,
#   crm DEPENDS_ON db, llm DEPENDS_ON db, claims USES crm, bot MEASURED_BY m1
ENTERPRISE_NODES = [
    node(Kind.TEAM, "bu", name="Business Unit", type="business_unit"),
    node(Kind.TEAM, "dept", name="Claims Department", type="department"),
    node(Kind.PERSON, "alice", name="Alice Martin", email="alice@example.com"),
    node(Kind.SYSTEM, "crm", name="CRM", lifecycle="active", criticality="high"),
    node(Kind.SYSTEM, "db", name="Claims DB"),
    node(Kind.SYSTEM, "llm", name="LLM Platform", category="ai-platform"),
    node(Kind.WORKFLOW, "claims", name="Claims Handling", friction=4, volume=12000, repetitive=True),
    node(Kind.INITIATIVE, "bot", name="Claims Bot", stage="pilot", stage_since="2024-01-15",
         aliases=["claims-bot", "cb"]),
    node(Kind.METRIC, "m1", name="Cycle time", type="cycle_time", unit="days", baseline=12.5, target=4.0),
]
ENTERPRISE_RELS = [
    rel(Rel.PART_OF, "dept", "bu"),
    rel(Rel.MEMBER_OF, "alice", "dept"),
    rel(Rel.OWNS, "dept", "crm", "accountable"),
    rel(Rel.OWNS, "dept", "crm", "risk"),
    rel(Rel.OWNS, "alice", "bot", "accountable"),
    rel(Rel.SUPPORTS, "bot", "claims"),
    rel(Rel.INTEGRATES_WITH, "bot", "crm"),
    rel(Rel.DEPENDS_ON, "bot", "llm"),
    rel(Rel.DEPENDS_ON, "crm", "db"),
    rel(Rel.DEPENDS_ON, "llm", "db"),
    rel(Rel.USES, "claims", "crm"),
    rel(Rel.MEASURED_BY, "bot", "m1"),
]


@pytest.fixture
def enterprise(store: Store) -> Store:
    store.upsert(ENTERPRISE_NODES, ENTERPRISE_RELS, T0)
    return store


# -- upsert: create, update, merge ----------------------------------------------

def test_a_new_store_is_empty(store: Store):
    assert list(store.iter_nodes()) == []
    assert list(store.iter_relationships()) == []
    assert store.counts().total_nodes == 0
    assert store.counts().total_relationships == 0


def test_upsert_creates_nodes_with_properties_and_provenance(store: Store):
    store.upsert([node(Kind.SYSTEM, "crm", "cmdb.csv", "csv", name="CRM", criticality="high",
                       aliases=["crm-prod"], active=True, volume=3, baseline=1.5)], [], T0)
    got = store.get("crm")
    assert got == NodeRecord(
        Kind.SYSTEM, "crm",
        {"name": "CRM", "criticality": "high", "aliases": ["crm-prod"], "active": True, "volume": 3, "baseline": 1.5},
        "cmdb.csv", "csv", timestamp(T0), timestamp(T0),
    )
    assert type(got.properties["volume"]) is int
    assert type(got.properties["baseline"]) is float
    assert type(got.properties["active"]) is bool


def test_upsert_creates_relationships_with_properties_and_provenance(store: Store):
    store.upsert([node(Kind.TEAM, "t"), node(Kind.SYSTEM, "s")],
                 [rel(Rel.OWNS, "t", "s", "risk", "backstage.yaml", "backstage")], T0)
    assert store.relationships() == [
        RelRecord(Rel.OWNS, "t", "s", {"role": "risk"}, "backstage.yaml", "backstage", timestamp(T0), timestamp(T0))
    ]
    store.upsert([], [rel(Rel.DEPENDS_ON, "s", "t")], T0)
    assert store.relationships(type=Rel.DEPENDS_ON)[0].properties == {}


def test_given_properties_overwrite_and_absent_ones_are_kept(store: Store):
    store.upsert([node(Kind.SYSTEM, "crm", "a.yaml", "native", name="CRM", category="sales", vendor="Acme")], [], T0)
    store.upsert([node(Kind.SYSTEM, "crm", "cmdb.csv", "csv", name="CRM Suite", criticality="high")], [], T1)
    got = store.get("crm")
    assert got.properties == {"name": "CRM Suite", "category": "sales", "vendor": "Acme", "criticality": "high"}
    assert (got.source, got.importer) == ("cmdb.csv", "csv")
    assert (got.first_seen, got.last_seen) == (timestamp(T0), timestamp(T1))


def test_reupserting_the_same_records_changes_nothing_but_last_seen(store: Store):
    store.upsert(ENTERPRISE_NODES, ENTERPRISE_RELS, T0)
    nodes_before, rels_before = snapshot(store)
    counts_before = store.counts()
    store.upsert(ENTERPRISE_NODES, ENTERPRISE_RELS, T1)
    nodes_after, rels_after = snapshot(store)
    assert store.counts() == counts_before
    assert len(nodes_after) == len(nodes_before) and len(rels_after) == len(rels_before)
    for before, after in zip(nodes_before + rels_before, nodes_after + rels_after, strict=True):
        assert after.last_seen == timestamp(T1)
        assert after.first_seen == before.first_seen == timestamp(T0)
        after.last_seen = before.last_seen
        assert after == before


def test_first_seen_is_set_once_and_last_seen_every_time(store: Store):
    for moment in (T0, T1, T2):
        store.upsert([node(Kind.TEAM, "t"), node(Kind.SYSTEM, "s")], [rel(Rel.OWNS, "t", "s")], moment)
    for record in [store.get("t"), store.get("s"), *store.relationships()]:
        assert (record.first_seen, record.last_seen) == (timestamp(T0), timestamp(T2))


def test_seen_at_is_kept_as_utc_seconds(store: Store):
    local = dt.datetime(2024, 6, 1, 12, 30, 15, 999_999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    store.upsert([node(Kind.TEAM, "t")], [], local)
    assert store.get("t").first_seen == "2024-06-01T10:30:15Z"


def test_a_node_can_change_kind_and_keeps_its_properties(store: Store):
    store.upsert([node(Kind.TEAM, "x", name="X", type="vendor")], [], T0)
    store.upsert([node(Kind.SYSTEM, "x", vendor="Acme")], [], T1)
    got = store.get("x")
    assert got.kind is Kind.SYSTEM
    assert got.properties == {"name": "X", "type": "vendor", "vendor": "Acme"}
    assert got.first_seen == timestamp(T0)
    counts = store.counts()
    assert (counts.nodes[Kind.TEAM], counts.nodes[Kind.SYSTEM]) == (0, 1)
    assert store.list_nodes(Kind.TEAM) == [] and ids(store.list_nodes(Kind.SYSTEM)) == ["x"]


def test_the_later_of_two_records_for_one_id_wins(store: Store):
    store.upsert(
        [node(Kind.TEAM, "x", "first", name="First", type="team"),
         node(Kind.SYSTEM, "y", name="Between"),
         node(Kind.TEAM, "x", "second", name="Second", active=False)],
        [rel(Rel.OWNS, "x", "y", "risk", "first"), rel(Rel.OWNS, "x", "y", "risk", "second")],
        T0,
    )
    got = store.get("x")
    assert got.properties == {"name": "Second", "type": "team", "active": False}
    assert got.source == "second"
    assert [(r.key, r.source) for r in store.relationships()] == [("risk", "second")]


def test_relationship_identity_is_type_ends_and_role(store: Store):
    store.upsert(
        [node(Kind.TEAM, "t"), node(Kind.SYSTEM, "s"), node(Kind.SYSTEM, "u")],
        [rel(Rel.OWNS, "t", "s", "accountable"), rel(Rel.OWNS, "t", "s", "risk"),
         rel(Rel.OWNS, "t", "s", "accountable"),  # the same as the first
         rel(Rel.DEPENDS_ON, "s", "u"), rel(Rel.DEPENDS_ON, "s", "u"), rel(Rel.DEPENDS_ON, "u", "s")],
        T0,
    )
    assert identities(store.relationships()) == [
        ("DEPENDS_ON", "s", "u", ""), ("DEPENDS_ON", "u", "s", ""),
        ("OWNS", "t", "s", "accountable"), ("OWNS", "t", "s", "risk"),
    ]
    store.upsert([], [rel(Rel.OWNS, "t", "s", "risk", "later")], T1)
    assert store.counts().relationships[Rel.OWNS] == 2
    risk = store.relationships(type=Rel.OWNS)[1]
    assert (risk.key, risk.source, risk.first_seen, risk.last_seen) == ("risk", "later", timestamp(T0), timestamp(T1))


def test_relationship_properties_merge_like_node_properties(store: Store):
    store.upsert([node(Kind.TEAM, "t"), node(Kind.SYSTEM, "s")],
                 [rel(Rel.OWNS, "t", "s", "risk", note="from the CMDB")], T0)
    store.upsert([], [rel(Rel.OWNS, "t", "s", "risk", since="2023")], T1)
    assert store.relationships()[0].properties == {"role": "risk", "note": "from the CMDB", "since": "2023"}


def test_upsert_takes_any_iterables(store: Store):
    store.upsert((n for n in ENTERPRISE_NODES), iter(ENTERPRISE_RELS), T0)
    assert store.counts().total_nodes == len(ENTERPRISE_NODES)
    assert store.counts().total_relationships == len(ENTERPRISE_RELS)
    store.upsert([], [], T1)
    assert store.counts().total_nodes == len(ENTERPRISE_NODES)


def test_a_relationship_to_a_missing_node_is_kept_without_inventing_the_node(store: Store):
    store.upsert([node(Kind.SYSTEM, "a")], [rel(Rel.DEPENDS_ON, "a", "ghost"), rel(Rel.DEPENDS_ON, "ghost", "a")], T0)
    assert ids(store.iter_nodes()) == ["a"]
    assert store.get("ghost") is None and store.search("ghost") == []
    assert store.counts().total_nodes == 1 and store.counts().relationships[Rel.DEPENDS_ON] == 2
    assert identities(store.relationships("ghost")) == [
        ("DEPENDS_ON", "a", "ghost", ""), ("DEPENDS_ON", "ghost", "a", "")]
    assert store.neighbours("ghost").nodes == []
    sub = store.neighbours("a", depth=1)
    assert ids(sub.nodes) == ["a"] and len(sub.relationships) == 2
    # the node arrives later: it is a node from then on, first seen then
    store.upsert([node(Kind.SYSTEM, "ghost", name="Ghost")], [], T1)
    assert store.get("ghost").first_seen == timestamp(T1)
    assert ids(store.neighbours("a").nodes) == ["a", "ghost"]
    assert store.delete(["ghost"]) == 1
    assert store.relationships() == [] and ids(store.iter_nodes()) == ["a"]


def test_deleting_a_missing_node_removes_the_relationships_that_name_it(store: Store):
    store.upsert([node(Kind.SYSTEM, "a"), node(Kind.SYSTEM, "b")],
                 [rel(Rel.DEPENDS_ON, "a", "ghost"), rel(Rel.DEPENDS_ON, "b", "a")], T0)
    assert store.delete(["ghost"]) == 0
    assert identities(store.relationships()) == [("DEPENDS_ON", "b", "a", "")]
    assert store.delete(["b"]) == 1
    store.upsert([], [rel(Rel.DEPENDS_ON, "a", "ghost")], T1)  # a missing end again, then its only neighbour goes
    assert store.delete(["a"]) == 1
    assert snapshot(store) == ([], []) and store.counts().total_relationships == 0


# -- reads --------------------------------------------------------------------

def test_get_and_get_many(enterprise: Store):
    assert enterprise.get("crm").name == "CRM"
    assert enterprise.get("nope") is None
    found = enterprise.get_many(["crm", "bot", "nope", "crm"])
    assert sorted(found) == ["bot", "crm"]
    assert found["bot"].properties["aliases"] == ["claims-bot", "cb"]
    assert enterprise.get_many([]) == {}
    assert enterprise.get_many(iter(["m1"]))["m1"].kind is Kind.METRIC


def test_get_many_with_many_ids(store: Store):
    store.upsert([node(Kind.PERSON, f"p{i:05}") for i in range(1_200)], [], T0)
    wanted = [f"p{i:05}" for i in range(0, 1_300, 3)]
    assert sorted(store.get_many(wanted)) == [i for i in wanted if i < "p01200"]


def test_list_nodes_pages_in_id_order(store: Store):
    kinds = list(Kind)
    records = [node(kinds[i % len(kinds)], f"n{i:02}", name=f"Node {i}") for i in range(25)]
    store.upsert(reversed(records), [], T0)
    all_ids = [f"n{i:02}" for i in range(25)]
    assert ids(store.list_nodes()) == all_ids
    assert ids(store.list_nodes(limit=10)) == all_ids[:10]
    assert ids(store.list_nodes(limit=10, offset=10)) == all_ids[10:20]
    assert ids(store.list_nodes(limit=10, offset=20)) == all_ids[20:]
    assert store.list_nodes(limit=10, offset=30) == []
    assert store.list_nodes(limit=0) == []
    teams = store.list_nodes(Kind.TEAM)
    assert ids(teams) == [f"n{i:02}" for i in range(0, 25, len(kinds))]
    assert all(n.kind is Kind.TEAM for n in teams)
    assert ids(store.list_nodes(Kind.TEAM, limit=2, offset=1)) == ids(teams)[1:3]
    assert store.list_nodes(Kind.METRIC, offset=100) == []


def test_ids_are_ordered_by_code_point(store: Store):
    odd = ["b", "B", "a", "é", "Z", "ab", "a b", "a-b", "\ufffd", "😀", "\ue000", "中", "10", "9"]
    store.upsert([node(Kind.TEAM, i) for i in odd], [], T0)
    assert ids(store.iter_nodes()) == sorted(odd)
    assert ids(store.list_nodes(limit=5, offset=5)) == sorted(odd)[5:10]


def test_search_ignores_case_on_id_and_name_and_orders_by_id(enterprise: Store):
    assert ids(enterprise.search("claims")) == ["bot", "claims", "db", "dept"]
    assert ids(enterprise.search("CLAIMS")) == ["bot", "claims", "db", "dept"]
    assert ids(enterprise.search("Cr")) == ["crm"]  # id and name both match: once
    assert ids(enterprise.search("alice MARTIN")) == ["alice"]
    assert ids(enterprise.search("zzz")) == []
    assert len(enterprise.search("")) == len(ENTERPRISE_NODES)


def test_search_kind_filter_and_limit(enterprise: Store):
    assert ids(enterprise.search("claims", kind=Kind.SYSTEM)) == ["db"]
    assert ids(enterprise.search("claims", kind=Kind.METRIC)) == []
    assert ids(enterprise.search("claims", limit=2)) == ["bot", "claims"]
    assert ids(enterprise.search("", kind=Kind.TEAM, limit=1)) == ["bu"]
    assert enterprise.search("claims", limit=0) == []


def test_search_takes_like_metacharacters_literally(store: Store):
    store.upsert([
        node(Kind.SYSTEM, "pct", name="100% uptime"),
        node(Kind.SYSTEM, "under_score", name="plain"),
        node(Kind.SYSTEM, "axb", name="a.b"),
        node(Kind.SYSTEM, "back", name="C:\\path"),
        node(Kind.SYSTEM, "other", name="nothing special"),
    ], [], T0)
    assert ids(store.search("%")) == ["pct"]
    assert ids(store.search("_")) == ["under_score"]
    assert ids(store.search("r_s")) == ["under_score"]
    assert ids(store.search("a_b")) == []
    assert ids(store.search("0%")) == ["pct"]
    assert ids(store.search("\\")) == ["back"]
    assert ids(store.search("a.b")) == ["axb"]
    assert ids(store.search(".*")) == []


def test_search_finds_a_name_kept_from_an_earlier_source(store: Store):
    store.upsert([node(Kind.SYSTEM, "sys-17", name="Payroll")], [], T0)
    store.upsert([node(Kind.SYSTEM, "sys-17", criticality="high")], [], T1)
    assert store.get("sys-17").properties["name"] == "Payroll"
    assert ids(store.search("payroll")) == ["sys-17"]


def test_search_ignores_case_beyond_ascii(store: Store):
    store.upsert([node(Kind.TEAM, "ÉQUIPE-1", name="Ärztliche Dienste")], [], T0)
    assert ids(store.search("équipe")) == ["ÉQUIPE-1"]
    assert ids(store.search("ärztliche")) == ["ÉQUIPE-1"]


def test_search_sees_past_a_nul_character(store: Store):
    store.upsert([node(Kind.SYSTEM, "nul", name="before\x00after"), node(Kind.SYSTEM, "other", name="other")], [], T0)
    assert ids(store.search("after")) == ["nul"]
    assert ids(store.search("\x00")) == ["nul"]


def test_relationships_by_node_type_and_direction(enterprise: Store):
    assert identities(enterprise.relationships("crm", direction="out")) == [("DEPENDS_ON", "crm", "db", "")]
    assert identities(enterprise.relationships("crm", direction="in")) == [
        ("INTEGRATES_WITH", "bot", "crm", ""),
        ("OWNS", "dept", "crm", "accountable"),
        ("OWNS", "dept", "crm", "risk"),
        ("USES", "claims", "crm", ""),
    ]
    assert identities(enterprise.relationships("crm")) == [
        ("DEPENDS_ON", "crm", "db", ""),
        ("INTEGRATES_WITH", "bot", "crm", ""),
        ("OWNS", "dept", "crm", "accountable"),
        ("OWNS", "dept", "crm", "risk"),
        ("USES", "claims", "crm", ""),
    ]
    assert identities(enterprise.relationships("crm", type=Rel.OWNS)) == [
        ("OWNS", "dept", "crm", "accountable"), ("OWNS", "dept", "crm", "risk")]
    assert enterprise.relationships("crm", type=Rel.OWNS, direction="out") == []
    assert enterprise.relationships("nope") == []
    everything = enterprise.relationships()
    assert identities(everything) == sorted(r.identity for r in ENTERPRISE_RELS if r.identity)
    assert len(everything) == len({r.identity for r in ENTERPRISE_RELS})
    assert identities(enterprise.relationships(type=Rel.DEPENDS_ON)) == [
        ("DEPENDS_ON", "bot", "llm", ""), ("DEPENDS_ON", "crm", "db", ""), ("DEPENDS_ON", "llm", "db", "")]


def test_a_self_relationship_is_listed_once(store: Store):
    store.upsert([node(Kind.SYSTEM, "s")], [rel(Rel.DEPENDS_ON, "s", "s")], T0)
    for direction in ("out", "in", "both"):
        assert identities(store.relationships("s", direction=direction)) == [("DEPENDS_ON", "s", "s", "")]
    sub = store.neighbours("s", depth=3)
    assert ids(sub.nodes) == ["s"] and len(sub.relationships) == 1


def expected_neighbours(store: Store, node_ids: list[str], rel_ids: list[tuple]) -> Subgraph:
    """The subgraph of these ids, read from the store itself."""
    nodes = store.get_many(node_ids)
    rels = {r.identity: r for r in store.relationships()}
    return Subgraph([nodes[i] for i in sorted(node_ids)], [rels[k] for k in sorted(rel_ids)])


def test_neighbours_at_depth_0_1_2(enterprise: Store):
    assert enterprise.neighbours("bot", depth=0) == expected_neighbours(enterprise, ["bot"], [])
    one = [("DEPENDS_ON", "bot", "llm", ""), ("INTEGRATES_WITH", "bot", "crm", ""), ("MEASURED_BY", "bot", "m1", ""),
           ("OWNS", "alice", "bot", "accountable"), ("SUPPORTS", "bot", "claims", "")]
    assert enterprise.neighbours("bot") == expected_neighbours(
        enterprise, ["alice", "bot", "claims", "crm", "llm", "m1"], one)
    # depth 2: every relationship touching a node at distance 1 as well
    two = one + [("DEPENDS_ON", "crm", "db", ""), ("DEPENDS_ON", "llm", "db", ""), ("MEMBER_OF", "alice", "dept", ""),
                 ("OWNS", "dept", "crm", "accountable"), ("OWNS", "dept", "crm", "risk"), ("USES", "claims", "crm", "")]
    assert enterprise.neighbours("bot", depth=2) == expected_neighbours(
        enterprise, ["alice", "bot", "claims", "crm", "db", "dept", "llm", "m1"], two)
    assert ids(enterprise.neighbours("bot", depth=10).nodes) == sorted(n.id for n in ENTERPRISE_NODES)


def test_neighbours_direction_and_types(enterprise: Store):
    out = enterprise.neighbours("bot", depth=2, direction="out")
    assert ids(out.nodes) == ["bot", "claims", "crm", "db", "llm", "m1"]
    assert identities(out.relationships) == [
        ("DEPENDS_ON", "bot", "llm", ""), ("DEPENDS_ON", "crm", "db", ""), ("DEPENDS_ON", "llm", "db", ""),
        ("INTEGRATES_WITH", "bot", "crm", ""), ("MEASURED_BY", "bot", "m1", ""), ("SUPPORTS", "bot", "claims", ""),
        ("USES", "claims", "crm", "")]
    upstream = enterprise.neighbours("db", depth=2, direction="in", types=[Rel.DEPENDS_ON])
    assert ids(upstream.nodes) == ["bot", "crm", "db", "llm"]
    assert identities(upstream.relationships) == [
        ("DEPENDS_ON", "bot", "llm", ""), ("DEPENDS_ON", "crm", "db", ""), ("DEPENDS_ON", "llm", "db", "")]
    owners = enterprise.neighbours("crm", direction="both", types=iter([Rel.OWNS, Rel.USES]))
    assert ids(owners.nodes) == ["claims", "crm", "dept"]
    assert len(owners.relationships) == 3
    assert enterprise.neighbours("bot", types=[]) == enterprise.neighbours("bot")


def test_neighbours_of_a_missing_node_is_empty(enterprise: Store):
    assert enterprise.neighbours("nope", depth=2) == Subgraph([], [])
    assert enterprise.neighbours("bot", depth=-1) == expected_neighbours(enterprise, ["bot"], [])


def test_iter_nodes_streams_in_id_order_with_kind_filter(enterprise: Store):
    stream = enterprise.iter_nodes()
    assert isinstance(stream, Iterator)
    assert next(stream).id == "alice"
    stream.close()  # abandoning a stream leaves the store usable
    assert ids(enterprise.iter_nodes()) == sorted(n.id for n in ENTERPRISE_NODES)
    assert ids(enterprise.iter_nodes(Kind.SYSTEM)) == ["crm", "db", "llm"]
    assert ids(enterprise.iter_nodes(Kind.SYSTEM)) == ids(enterprise.list_nodes(Kind.SYSTEM))


def test_iter_relationships_streams_in_identity_order_with_type_filter(enterprise: Store):
    stream = enterprise.iter_relationships()
    assert isinstance(stream, Iterator)
    first = next(stream)
    assert first.identity == ("DEPENDS_ON", "bot", "llm", "")
    rest = list(stream)
    assert identities([first, *rest]) == sorted(r.identity for r in ENTERPRISE_RELS)
    assert [first, *rest] == enterprise.relationships()
    assert identities(enterprise.iter_relationships(Rel.OWNS)) == [
        ("OWNS", "alice", "bot", "accountable"), ("OWNS", "dept", "crm", "accountable"),
        ("OWNS", "dept", "crm", "risk")]


def test_iterating_while_reading_and_writing(enterprise: Store):
    seen = []
    for n in enterprise.iter_nodes():
        seen.append((n.id, len(enterprise.relationships(n.id))))
        enterprise.upsert([node(n.kind, n.id, touched=True)], [], T1)
    assert len(seen) == len(ENTERPRISE_NODES)
    assert all(n.properties["touched"] for n in enterprise.iter_nodes())


def test_counts_include_zeros(enterprise: Store):
    counts = enterprise.counts()
    assert set(counts.nodes) == set(Kind) and set(counts.relationships) == set(Rel)
    assert counts.nodes == {Kind.TEAM: 2, Kind.PERSON: 1, Kind.SYSTEM: 3, Kind.WORKFLOW: 1, Kind.INITIATIVE: 1,
                            Kind.METRIC: 1}
    assert counts.relationships[Rel.OWNS] == 3 and counts.relationships[Rel.DEPENDS_ON] == 3
    assert counts.relationships[Rel.PERFORMS] == 0
    assert (counts.total_nodes, counts.total_relationships) == (9, 12)


def test_aliases_map_each_declared_alias_to_its_entity(enterprise: Store):
    assert enterprise.aliases() == {"claims-bot": "bot", "cb": "bot"}
    enterprise.upsert([node(Kind.SYSTEM, "crm", aliases=["salesforce", "cb"])], [], T1)  # later id wins "cb"
    assert enterprise.aliases() == {"claims-bot": "bot", "cb": "crm", "salesforce": "crm"}


def test_existing_relationships_leaving_some_nodes(enterprise: Store):
    assert enterprise.existing_relationships(["dept", "crm", "nope", "dept"]) == {
        ("OWNS", "dept", "crm", "accountable"), ("OWNS", "dept", "crm", "risk"),
        ("PART_OF", "dept", "bu", ""), ("DEPENDS_ON", "crm", "db", "")}
    assert enterprise.existing_relationships([]) == set()
    everything = enterprise.existing_relationships(n.id for n in ENTERPRISE_NODES)
    assert everything == {r.identity for r in ENTERPRISE_RELS}


# -- delete and clear -----------------------------------------------------------

def test_delete_detaches_and_counts_deleted_nodes(enterprise: Store):
    assert enterprise.delete(["crm", "nope", "crm"]) == 1
    assert enterprise.get("crm") is None
    assert all("crm" not in (r.from_id, r.to_id) for r in enterprise.iter_relationships())
    assert enterprise.counts().total_relationships == 12 - 5
    assert enterprise.delete([]) == 0
    assert enterprise.delete(iter(["bot", "alice"])) == 2
    assert ids(enterprise.iter_nodes()) == ["bu", "claims", "db", "dept", "llm", "m1"]
    assert identities(enterprise.relationships()) == [("DEPENDS_ON", "llm", "db", ""), ("PART_OF", "dept", "bu", "")]


def test_clear_deletes_everything_and_the_store_stays_usable(enterprise: Store):
    enterprise.clear()
    assert snapshot(enterprise) == ([], [])
    assert enterprise.counts().total_nodes == 0 and enterprise.counts().total_relationships == 0
    enterprise.clear()
    enterprise.upsert(ENTERPRISE_NODES[:1], [], T1)
    assert enterprise.get("bu").first_seen == timestamp(T1)


# -- atomicity ------------------------------------------------------------------

class Unstorable:
    """A value no store can keep."""


def test_a_failing_upsert_leaves_the_store_unchanged(enterprise: Store):
    before = snapshot(enterprise)
    many = [node(Kind.PERSON, f"p{i:05}", name=f"Person {i}") for i in range(12_000)]
    bad_node = node(Kind.SYSTEM, "bad", name="Bad", oops=Unstorable())
    with pytest.raises((TypeError, ValueError)):
        enterprise.upsert([node(Kind.SYSTEM, "crm", name="renamed"), *many, bad_node], ENTERPRISE_RELS, T1)
    assert snapshot(enterprise) == before
    bad_rel = rel(Rel.DEPENDS_ON, "bot", "db", oops=Unstorable())
    with pytest.raises((TypeError, ValueError)):
        enterprise.upsert(many, [rel(Rel.USES, "claims", "db"), bad_rel], T1)
    assert snapshot(enterprise) == before


def test_a_generator_that_raises_half_way_writes_nothing(enterprise: Store):
    before = snapshot(enterprise)

    def records():
        yield node(Kind.SYSTEM, "crm", name="renamed")
        yield from (node(Kind.PERSON, f"p{i:05}") for i in range(6_000))
        raise RuntimeError("the source file is truncated")

    with pytest.raises(RuntimeError, match="truncated"):
        enterprise.upsert(records(), [], T1)
    assert snapshot(enterprise) == before

    def rels():
        yield rel(Rel.USES, "claims", "db")
        raise RuntimeError("broken relationship source")

    with pytest.raises(RuntimeError, match="broken"):
        enterprise.upsert([node(Kind.SYSTEM, "new")], rels(), T1)
    assert snapshot(enterprise) == before


def test_every_committed_write_bumps_the_revision_and_a_failed_one_does_not(store: Store):
    start = store.revision()
    store.upsert([node(Kind.SYSTEM, "crm")], [], T0)
    after_upsert = store.revision()
    assert after_upsert > start
    with pytest.raises((TypeError, ValueError)):
        store.upsert([node(Kind.SYSTEM, "bad", oops=Unstorable())], [], T1)
    assert store.revision() == after_upsert
    assert store.delete(["crm"]) == 1
    after_delete = store.revision()
    assert after_delete > after_upsert
    store.clear()
    assert store.revision() > after_delete
    assert list(store.iter_nodes()) == []


# -- pending references -------------------------------------------------------------

def pending(rel_type: Rel, start: str, end: str, role: str | None = None, file: str = "cat.yaml",
            line: int | None = 3, source: str = "cat.yaml", importer: str = "backstage") -> PendingRecord:
    return PendingRecord(rel_type, start, end, {"role": role} if role else {}, file, line, source, importer)


def test_pending_references_are_kept_apart_from_the_graph(enterprise: Store):
    before = snapshot(enterprise), enterprise.counts()
    refs = [pending(Rel.OWNS, "group-x", "bot", "accountable", line=7), pending(Rel.DEPENDS_ON, "bot", "nowhere", line=None)]
    enterprise.upsert([], [], T1, pending=refs)
    assert (snapshot(enterprise), enterprise.counts()) == before
    assert [r for r in before[0][1] if "bot" in (r.from_id, r.to_id)] == enterprise.relationships("bot")
    assert "group-x" not in enterprise.to_networkx() and "nowhere" not in enterprise.to_networkx()
    [depends, owns] = enterprise.pending_references()  # in identity order
    assert depends.identity == ("DEPENDS_ON", "bot", "nowhere", "") and depends.line is None
    assert (owns.identity, owns.file, owns.line, owns.source, owns.importer) == (
        ("OWNS", "group-x", "bot", "accountable"), "cat.yaml", 7, "cat.yaml", "backstage")
    assert owns.first_seen == owns.last_seen == timestamp(T1) and owns.location == "cat.yaml:7"
    assert [ref.identity for ref in enterprise.to_networkx().graph["pending"]] == [depends.identity, owns.identity]


def test_a_pending_reference_stated_again_takes_its_new_place_and_keeps_first_seen(store: Store):
    store.upsert([], [], T0, pending=[pending(Rel.OWNS, "g", "s", "risk", line=3)])
    store.upsert([], [], T1, pending=[pending(Rel.OWNS, "g", "s", "risk", file="other.yaml", line=9)])
    [ref] = store.pending_references()
    assert (ref.file, ref.line, ref.first_seen, ref.last_seen) == ("other.yaml", 9, timestamp(T0), timestamp(T1))
    store.upsert([], [], T1, pending=[pending(Rel.OWNS, "g", "s", "accountable")])
    assert [r.key for r in store.pending_references()] == ["accountable", "risk"]  # the role is part of identity


def test_resolving_writes_the_relationship_and_removes_the_reference_in_one_upsert(store: Store):
    ref = pending(Rel.OWNS, "g", "s", "accountable")
    store.upsert([node(Kind.SYSTEM, "s", name="S")], [], T0, pending=[ref])
    store.upsert([node(Kind.TEAM, "g", name="G")], [ref.as_relationship()], T1, resolved=[ref.identity])
    assert store.pending_references() == []
    [owns] = store.relationships("s", Rel.OWNS)
    assert (owns.from_id, owns.key, owns.source, owns.importer) == ("g", "accountable", "cat.yaml", "backstage")


def test_a_failing_upsert_keeps_its_pending_references_unwritten_and_unresolved(store: Store):
    ref = pending(Rel.OWNS, "g", "s", "accountable")
    store.upsert([node(Kind.SYSTEM, "s", name="S")], [], T0, pending=[ref])
    with pytest.raises((TypeError, ValueError)):
        store.upsert([node(Kind.TEAM, "g", name="G", oops=Unstorable())], [ref.as_relationship()], T1,
                     pending=[pending(Rel.DEPENDS_ON, "s", "x")], resolved=[ref.identity])
    assert [r.identity for r in store.pending_references()] == [ref.identity]
    assert store.get("g") is None and store.relationships("s") == []


def test_delete_and_clear_remove_pending_references(store: Store):
    store.upsert([node(Kind.SYSTEM, "s", name="S"), node(Kind.SYSTEM, "t", name="T")], [], T0,
                 pending=[pending(Rel.OWNS, "g", "s"), pending(Rel.DEPENDS_ON, "t", "x")])
    store.delete(["s"])
    assert [r.from_id for r in store.pending_references()] == ["t"]
    store.clear()
    assert store.pending_references() == []


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_pending_references_are_values_never_queries(store: Store, text: str):
    ref = PendingRecord(Rel.OWNS, text, "s" + text, {"role": "risk"}, text, 1, text, text)
    store.upsert([node(Kind.SYSTEM, "s", name="S")], [], T0, pending=[ref])
    [back] = store.pending_references()
    assert (back.from_id, back.to_id, back.file, back.source, back.importer) == (text, "s" + text, text, text, text)
    assert store.get("s") is not None and store.counts().total_nodes == 1


# -- hostile values ---------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_values_are_stored_and_read_back_verbatim(store: Store, text: str):
    node_id = text if len(text) <= 512 and "\x00" not in text and "\n" not in text else "plain-id"
    key = text[:50].replace("\x00", "")  # Neo4j cannot name a property with a NUL
    props = {"name": text, "description": text, "aliases": [text, "other"], key: text}
    store.upsert(
        [node(Kind.SYSTEM, node_id, text, text, **props), node(Kind.TEAM, "team"), node(Kind.SYSTEM, "bystander")],
        [rel(Rel.OWNS, "team", node_id, text, text, text), rel(Rel.DEPENDS_ON, node_id, "bystander", source=text)],
        T0,
    )
    got = store.get(node_id)
    assert got.properties == props
    assert (got.id, got.source, got.importer) == (node_id, text, text)
    assert store.get_many([node_id, "bystander"])[node_id] == got
    assert [r.properties for r in store.relationships(node_id, type=Rel.OWNS)] == [{"role": text}]
    assert store.relationships(node_id, direction="out")[0].source == text
    assert ids(store.search(text[:200])) == [node_id]
    assert ids(store.search(text[:200], kind=Kind.SYSTEM)) == [node_id]
    assert ids(store.iter_nodes()) == sorted([node_id, "team", "bystander"])
    assert store.counts().total_relationships == 2
    assert ids(store.neighbours(node_id).nodes) == sorted([node_id, "team", "bystander"])
    assert store.delete([node_id]) == 1
    assert ids(store.iter_nodes()) == ["bystander", "team"]


@pytest.mark.parametrize("key", ["a`b", "x y", "$k", "}) DETACH DELETE n //", "ключ", "n.name", "role"])
def test_hostile_property_names_are_kept(store: Store, key: str):
    store.upsert([node(Kind.SYSTEM, "s", **{key: "v"}), node(Kind.SYSTEM, "t")], [], T0)
    assert store.get("s").properties == {key: "v"}
    assert store.counts().total_nodes == 2


# -- the graph for the analyses -------------------------------------------------

def graph_dump(graph: nx.MultiDiGraph) -> tuple[list, list]:
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


def test_to_networkx(enterprise: Store):
    graph = enterprise.to_networkx()
    assert list(graph.nodes) == sorted(n.id for n in ENTERPRISE_NODES)
    assert graph.nodes["crm"] == {
        "name": "CRM", "description": None, "category": None, "lifecycle": "active", "criticality": "high",
        "vendor": None, "kind": Kind.SYSTEM, "source": "src-a", "importer": "native",
        "first_seen": timestamp(T0), "last_seen": timestamp(T0),
    }
    assert set(graph["dept"]["crm"]) == {"OWNS:accountable", "OWNS:risk"}
    assert graph.edges["dept", "crm", "OWNS:risk"] == {
        "type": Rel.OWNS, "role": "risk", "source": "src-a", "importer": "native",
        "first_seen": timestamp(T0), "last_seen": timestamp(T0),
    }
    assert graph.edges["bot", "llm", "DEPENDS_ON"]["role"] is None
    assert graph.number_of_edges() == 12


@pytest.mark.neo4j
def test_both_stores_give_the_same_graph(sqlite_store: Store, neo4j_store: Store):
    hostile_nodes = [node(Kind.WORKFLOW, f"w-{name}", text, text, name=text, friction=3, volume=10**12,
                          decision_heavy=True, aliases=[text])
                     for name, text in HOSTILE.items()]
    hostile_rels = [rel(Rel.OWNS, "dept", f"w-{name}", "outcomes", text, text) for name, text in HOSTILE.items()]
    for store in (sqlite_store, neo4j_store):
        store.upsert(ENTERPRISE_NODES + hostile_nodes, ENTERPRISE_RELS + hostile_rels, T0)
        store.upsert([node(Kind.SYSTEM, "crm", "cmdb", "csv", vendor="Acme"), node(Kind.TEAM, "dept", type="team")],
                     [rel(Rel.DEPENDS_ON, "crm", "missing")], T1,
                     pending=[pending(Rel.OWNS, "group-x", "crm", "accountable"), pending(Rel.USES, "w-x", "crm")])
        store.delete(["m1"])
    assert graph_dump(sqlite_store.to_networkx()) == graph_dump(neo4j_store.to_networkx())
    assert snapshot(sqlite_store) == snapshot(neo4j_store)
    assert sqlite_store.counts() == neo4j_store.counts()
    assert sqlite_store.neighbours("crm", 2) == neo4j_store.neighbours("crm", 2)
    for text in ("w-", "'", "%", "🤖", "É", "quote"):
        assert sqlite_store.search(text) == neo4j_store.search(text)
    assert sqlite_store.aliases() == neo4j_store.aliases()
    assert sqlite_store.pending_references() == neo4j_store.pending_references()


# -- Neo4j only: opening the store ------------------------------------------------

@pytest.mark.neo4j
def test_open_store_reaches_neo4j_with_credentials_from_the_url_or_the_environment(
        neo4j_server: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    from urllib.parse import quote

    uri, user, password = neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"]
    scheme, rest = uri.split("://", 1)
    with open_store(f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{rest}") as store:
        assert store.url == uri  # the password is not kept in the URL
        store.counts()
    monkeypatch.setenv("NEO4J_USER", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    with open_store(uri) as store:
        store.counts()
    monkeypatch.setenv("AIMAP_STORE", uri)
    with open_store() as store:
        store.counts()


@pytest.mark.neo4j
def test_wrong_credentials_are_a_one_line_store_error(neo4j_server: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "certainly-not-the-password")
    with pytest.raises(StoreError) as caught:
        open_store(neo4j_server["uri"])
    message = str(caught.value)
    assert "\n" not in message and "NEO4J_PASSWORD" in message and "certainly" not in message


def test_an_unreachable_neo4j_is_a_one_line_store_error():
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError) as caught:
        open_store(f"bolt://neo4j:pw@127.0.0.1:{port}")
    message = str(caught.value)
    assert "\n" not in message and "scripts/neo4j start" in message and f"127.0.0.1:{port}" in message
    assert "pw" not in message.split(f"{port}")[0]


@pytest.mark.neo4j
def test_a_server_other_than_neo4j_5_is_refused(neo4j_server: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    from neo4j.api import ServerInfo

    from graph.store.neo4j_store import Neo4jStore

    monkeypatch.setattr(ServerInfo, "agent", property(lambda self: "Neo4j/4.4.30"))
    with pytest.raises(StoreError) as caught:
        Neo4jStore(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"])
    message = str(caught.value)
    assert "\n" not in message and "4.4.30" in message and "5.x" in message


# -- stage history (issue 15) ---------------------------------------------------------


def test_a_stage_history_round_trips_as_a_list_of_observations(store: Store) -> None:
    history = ["2024-12-31 pilot", "2025-12-31 production"]
    store.upsert([node(Kind.INITIATIVE, "ini", name="I", stage="production", stage_history=history,
                       high_impact=True, contact="caio@example.gov")], [], T0)
    got = store.get("ini").properties
    assert got["stage_history"] == history and got["high_impact"] is True and got["contact"] == "caio@example.gov"
    assert store.to_networkx().nodes["ini"]["stage_history"] == history


def test_imports_on_two_dates_keep_both_observations(store: Store, tmp_path) -> None:
    from importers.loader import ImportOptions, import_paths

    path = tmp_path / "ini.yaml"
    for day, stage in ((T0, "pilot"), (T1, "pilot"), (T2, "production"), (T2, "production")):
        path.write_text(f"initiatives:\n  - id: ini\n    name: I\n    stage: {stage}\n", encoding="utf-8")
        import_paths([path], store, ImportOptions(now=day))
    props = store.get("ini").properties
    assert props["stage_history"] == ["2024-01-01 pilot", "2024-02-01 pilot", "2024-03-01 production"]
    assert props["stage"] == "production" and props["stage_since"] == "2024-03-01"


def test_an_alias_of_a_stored_entity_merges_into_it(store: Store, tmp_path) -> None:
    """A new record that declares a stored id as an alias is that entity, on every store."""
    from importers.loader import import_paths

    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("initiatives:\n  - id: old-id\n    name: Old\n    stage: pilot\n", encoding="utf-8")
    second.write_text("initiatives:\n  - id: new-id\n    name: New\n    stage: pilot\n    aliases: [old-id]\n",
                      encoding="utf-8")
    import_paths([first], store)
    import_paths([second], store)
    assert store.get("new-id") is None
    assert store.get("old-id").properties["aliases"] == ["new-id"]
    import_paths([second], store)  # by its own id, now an alias: still the one entity
    assert [n.id for n in store.iter_nodes()] == ["old-id"]
