"""The what-if's shortcuts give the answer a full run gives: only the rules a
change can move run again (``graph.service.rule_reads``) and only touched
initiatives are scored again. Checked on a seeded synthetic enterprise with
random changes of every kind."""

from __future__ import annotations

import random

import pytest

from graph.analyses import AnalysisConfig, rule_ids, run_analysis
from graph.analyses.scorecard import build_scorecards
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.service.rule_reads import READS
from graph.service.whatif import _Plan, request_of, what_if
from graph.store.projection import graph_rows
from graph.synthetic import generate_enterprise, graph_from_records


class GraphOnly:
    """A store that only hands over a graph (the what-if never writes)."""

    url = "memory"

    def __init__(self, graph):
        self.graph = graph

    def revision(self) -> int:
        return 1

    def to_networkx(self):
        return self.graph

    def analysis_nodes(self):
        return iter(self.graph.nodes(data=True))

    def analysis_edges(self):
        return graph_rows(self.graph)

    def pending_references(self) -> list:
        return []


@pytest.fixture(scope="module")
def service() -> ReadService:
    enterprise = generate_enterprise(2_000, seed=7)
    store = GraphOnly(graph_from_records(enterprise.nodes, enterprise.relationships))
    return ReadService(store, AnalysisConfig(as_of=enterprise.as_of))  # type: ignore[arg-type]


def random_changes(service: ReadService, rng: random.Random) -> list[dict]:
    ctx = service.snapshot().ctx
    edge_type = rng.choice([Rel.OWNS, Rel.DEPENDS_ON, Rel.SUPPORTS, Rel.INTEGRATES_WITH, Rel.USES, Rel.MEMBER_OF,
                            Rel.MEASURED_BY, Rel.PART_OF])
    edge = rng.choice(list(ctx.edges(edge_type)))
    initiative = rng.choice(ctx.ids(Kind.INITIATIVE))
    return rng.sample([
        {"change": "retire-system", "id": rng.choice(ctx.ids(Kind.SYSTEM))},
        {"change": "dissolve-team", "id": rng.choice(ctx.ids(Kind.TEAM))},
        {"change": "person-leaves", "id": rng.choice([p for p in ctx.ids(Kind.PERSON) if ctx.out_edges(p, Rel.OWNS)])},
        {"change": "stop-initiative", "id": initiative},
        {"change": "remove-relationship", "type": edge.type.value, "from_id": edge.from_id, "to_id": edge.to_id},
        {"change": "add-relationship", "type": "DEPENDS_ON", "from_id": initiative,
         "to_id": rng.choice(ctx.ids(Kind.SYSTEM))},
        {"change": "add-relationship", "type": "OWNS", "from_id": rng.choice(ctx.ids(Kind.PERSON)),
         "to_id": initiative},
    ], k=rng.randint(1, 3))


def test_the_table_names_only_rules_that_exist():
    assert set(READS) <= set(rule_ids())


@pytest.mark.parametrize("seed", range(12))
def test_shortcuts_agree_with_a_full_run(service: ReadService, seed: int):
    request = request_of(random_changes(service, random.Random(seed)))
    answer = what_if(service, request)
    before = service.snapshot()
    plan = _Plan(before.ctx, request)
    full = run_analysis(before.ctx.overlay(plan.attrs, plan.add, plan.remove), before.config)
    was = {f.id: f.severity for f in before.result.findings}
    now = {f.id: f.severity for f in full.findings}
    assert {f.id for f in answer.appearing} == set(now) - set(was)
    assert {f.id for f in answer.disappearing} == set(was) - set(now)
    assert {(c.id, c.after) for c in answer.severity_changes} == {
        (fid, now[fid]) for fid in set(now) & set(was) if now[fid] != was[fid]}
    overlay = before.ctx.overlay(plan.attrs, plan.add, plan.remove)
    cards = {c.initiative: c for c in build_scorecards(overlay, before.config, full).initiatives}
    old = {c.initiative: c for c in before.scorecards.initiatives}
    expected = {i for i, card in cards.items() if i in old
                and [c.passed for c in card.checks] != [c.passed for c in old[i].checks]}
    assert {c.initiative for c in answer.scorecards} == expected


def test_an_impact_cut_short_lists_what_the_whole_walk_lists_first(service: ReadService):
    snapshot = service.snapshot()
    ctx = snapshot.ctx
    system = max(ctx.ids(Kind.SYSTEM), key=lambda s: (len(ctx.in_edges(s, Rel.DEPENDS_ON)), s))
    whole = service.impact_in(snapshot, system, "downstream", limit=5_000)
    short = service.impact_in(snapshot, system, "downstream", limit=20)
    assert len(whole.affected) > 20 and short.truncated
    assert [a.entity.id for a in short.affected] == [a.entity.id for a in whole.affected[:20]]
    assert [a.path for a in short.affected] == [a.path for a in whole.affected[:20]]
