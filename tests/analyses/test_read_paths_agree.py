"""The lean read path (``AnalysisContext.from_store``: rows straight from the
store) gives the index and the findings that the networkx path
(``AnalysisContext(store.to_networkx())``) gives, on both stores: for the
synthetic enterprise, the bundled example, and the awkward corners (parallel
owners, a relationship whose end no record brought, a pending owner)."""

from __future__ import annotations

import datetime as dt
import random

from graph.analyses import AnalysisConfig, AnalysisContext, run_analysis
from graph.analyses.context import Edge
from graph.analyses.pipeline import build_pipeline
from graph.analyses.priorities import rank_workflows
from graph.analyses.scorecard import build_scorecards
from graph.records import NodeRecord, PendingRecord, RelRecord
from graph.schema import Kind, Rel
from graph.store.base import Store, build_networkx
from graph.synthetic import generate_enterprise, load_into
from importers import example

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
T1 = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)


def in_order(edges: list[Edge]) -> bool:
    """Each node's edges come by their ends, then role and source (``AnalysisContext.out_edges``)."""
    return edges == sorted(edges, key=lambda e: (e.from_id, e.to_id, e.role.value if e.role else "", e.source))


def assert_same_index(lean: AnalysisContext, full: AnalysisContext) -> None:
    assert lean.ids() == full.ids()
    for kind in Kind:
        assert lean.ids(kind) == full.ids(kind)
    for node_id in full.ids():
        assert (lean.kind(node_id), lean.attrs(node_id)) == (full.kind(node_id), full.attrs(node_id)), node_id
        for rel in Rel:
            assert lean.out_edges(node_id, rel) == full.out_edges(node_id, rel), (node_id, rel)
            assert lean.in_edges(node_id, rel) == full.in_edges(node_id, rel), (node_id, rel)
            assert in_order(lean.out_edges(node_id, rel)) and in_order(lean.in_edges(node_id, rel))
        assert lean.pending_owners(node_id) == full.pending_owners(node_id)


def assert_same_answers(store: Store, config: AnalysisConfig) -> None:
    lean, full = AnalysisContext.from_store(store), AnalysisContext(store.to_networkx())
    assert_same_index(lean, full)
    lean_result, full_result = run_analysis(lean, config), run_analysis(full, config)
    assert full_result.findings
    assert lean_result.model_dump(mode="json") == full_result.model_dump(mode="json")
    assert build_scorecards(lean, config).model_dump() == build_scorecards(full, config).model_dump()
    assert build_pipeline(lean) == build_pipeline(full)
    assert rank_workflows(lean, limit=50) == rank_workflows(full, limit=50)


def test_the_synthetic_enterprise_reads_alike_both_ways(store):
    enterprise = generate_enterprise(2_000, seed=7)
    load_into(store, enterprise.nodes, enterprise.relationships)
    assert_same_answers(store, AnalysisConfig(as_of=enterprise.as_of))


def test_rows_in_any_order_give_the_same_index(store):
    """A graph whose relationships were added shuffled (its adjacency in no
    order) is indexed as the store's rows, which come by their ends."""
    enterprise = generate_enterprise(500, seed=3)
    load_into(store, enterprise.nodes, enterprise.relationships)
    shuffled = list(store.iter_relationships())
    random.Random(1).shuffle(shuffled)
    assert_same_index(AnalysisContext.from_store(store),
                      AnalysisContext(build_networkx(store.iter_nodes(), shuffled)))


def test_the_example_reads_alike_both_ways(store):
    example.load_example(store)
    assert_same_answers(store, AnalysisConfig(as_of=example.AS_OF))


def test_parallel_owners_missing_ends_and_pending_owners_read_alike(store):
    def node(kind: Kind, node_id: str, **props) -> NodeRecord:
        return NodeRecord(kind, node_id, {"name": node_id.upper(), **props}, "corners.csv", "csv")

    def rel(rel_type: Rel, start: str, end: str, source: str = "corners.csv", **props) -> RelRecord:
        return RelRecord(rel_type, start, end, props, source, "csv")

    nodes = [node(Kind.TEAM, "bu"), node(Kind.TEAM, "team", type="delivery"), node(Kind.PERSON, "ann"),
             node(Kind.PERSON, "bob", active=False), node(Kind.SYSTEM, "crm", lifecycle="active"),
             node(Kind.SYSTEM, "db"), node(Kind.INITIATIVE, "bot", stage="production", high_impact=True)]
    store.upsert(nodes, [
        rel(Rel.PART_OF, "team", "bu"), rel(Rel.MEMBER_OF, "ann", "team"), rel(Rel.MEMBER_OF, "bob", "team"),
        rel(Rel.OWNS, "ann", "crm", source="zeta.csv"), rel(Rel.OWNS, "ann", "crm", source="alpha.csv", role="accountable"),
        rel(Rel.OWNS, "ann", "crm", source="other.yaml", role="risk"), rel(Rel.OWNS, "bob", "crm", role="sponsor"),
        rel(Rel.OWNS, "bob", "bot", role="accountable"), rel(Rel.DEPENDS_ON, "bot", "crm"),
        rel(Rel.DEPENDS_ON, "crm", "db"), rel(Rel.DEPENDS_ON, "crm", "ghost-system"),
        rel(Rel.OWNS, "team", "ghost-app"),
    ], T0, pending=[PendingRecord(Rel.OWNS, "nobody-yet", "db", {"role": "accountable"}, "owners.csv", 3,
                                  "owners.csv", "csv")])
    store.upsert([node(Kind.SYSTEM, "db", lifecycle="active")], [rel(Rel.OWNS, "team", "db", role="risk")], T1)
    assert_same_answers(store, AnalysisConfig(as_of=T1.date()))
