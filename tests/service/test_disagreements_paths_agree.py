"""The disagreements read only the claims that can disagree
(``Store.disputed_claims``, ``Store.disputed_relationship_claims``,
``Store.sources_latest``, one grouped query each on both stores), and answer
exactly what comparing every claim answers: on a synthetic enterprise told by
three sources that differ in stages, lifecycles, owners and relationships."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from graph.analyses import AnalysisContext
from graph.records import NodeRecord, RelRecord
from graph.schema import Kind, Rel
from graph.service.disagreements import compare, disagreements
from graph.store.base import Store
from graph.synthetic import generate_enterprise

JAN = dt.datetime(2026, 1, 15, tzinfo=dt.timezone.utc)
APR = dt.datetime(2026, 4, 15, tzinfo=dt.timezone.utc)
JUL = dt.datetime(2026, 7, 15, tzinfo=dt.timezone.utc)


def told_by(source: str, nodes: list[NodeRecord], rels: list[RelRecord]) -> tuple[list, list]:
    return ([dataclasses.replace(n, source=source, importer=source.split(".")[0], properties=dict(n.properties))
             for n in nodes],
            [dataclasses.replace(r, source=source, importer=source.split(".")[0]) for r in rels])


def three_sources(store: Store) -> None:
    """A register says everything in January; a CMDB retells a part in April,
    with other stages, lifecycles and owners; in July the register drops a
    tenth of its relationships."""
    enterprise = generate_enterprise(600, seed=11)
    rng = random.Random(4)
    nodes, rels = told_by("register.csv", enterprise.nodes, enterprise.relationships)
    store.upsert(nodes, rels, JAN)
    other_nodes, other_rels = told_by("cmdb.csv", rng.sample(enterprise.nodes, 300),
                                      rng.sample(enterprise.relationships, 800))
    for node in other_nodes:
        if node.kind is Kind.INITIATIVE and rng.random() < 0.5:
            node.properties["stage"] = rng.choice(["idea", "pilot", "production", "retired"])
        if node.kind is Kind.SYSTEM and rng.random() < 0.5:
            node.properties["lifecycle"] = rng.choice(["active", "retired", "planned"])
    people = [n.id for n in enterprise.nodes if n.kind is Kind.PERSON]
    other_rels += [RelRecord(Rel.OWNS, rng.choice(people), r.to_id, {"role": "accountable"}, "cmdb.csv", "cmdb")
                   for r in rng.sample([r for r in rels if r.type is Rel.OWNS], 60)]
    store.upsert(other_nodes, other_rels, APR)
    store.upsert(nodes, [r for r in rels if rng.random() < 0.9], JUL)


def test_the_disputed_claims_are_those_that_can_disagree(store: Store):
    three_sources(store)
    assert store.disputed_claims() == Store.disputed_claims(store)
    assert store.disputed_relationship_claims() == Store.disputed_relationship_claims(store)
    sources = ["register.csv", "cmdb.csv", "nobody.csv"]
    assert store.sources_latest(sources) == Store.sources_latest(store, sources)
    assert set(store.sources_latest(sources)) == {"register.csv", "cmdb.csv"}


def test_disputed_claims_give_the_disagreements_every_claim_gives(store: Store):
    three_sources(store)
    ctx = AnalysisContext.from_store(store)
    every_claim, every_rel_claim = store.claims(), store.relationship_claims()
    latest: dict[str, str] = {}
    for claim in [*every_claim, *every_rel_claim]:
        latest[claim.source] = max(latest.get(claim.source, ""), claim.last_seen)

    answer = disagreements(store, ctx)
    assert answer == compare(every_claim, every_rel_claim, latest, ctx)
    assert {"owner", "stage", "lifecycle", "relationship"} <= set(answer.counts)
    assert len(store.disputed_relationship_claims()) < len(every_rel_claim) * 0.75


def test_one_source_never_disagrees(store: Store):
    enterprise = generate_enterprise(300, seed=2)
    store.upsert(*told_by("register.csv", enterprise.nodes, enterprise.relationships), JAN)
    store.upsert(*told_by("register.csv", enterprise.nodes, enterprise.relationships[::2]), APR)
    assert store.disputed_claims() == store.disputed_relationship_claims() == []
    assert disagreements(store, AnalysisContext.from_store(store)).total == 0
