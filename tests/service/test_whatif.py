"""What-if on small graphs whose gaps are known: each kind of change makes the
findings it should appear and disappear, a change that alters nothing alters
nothing, and the store is never written (on both stores)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from graph.analyses import AnalysisConfig
from graph.records import NodeRecord, RelRecord
from graph.schema import Kind, Rel
from graph.service import InvalidRequest, ReadService
from graph.service.whatif import request_of
from graph.store.base import Store

SEEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
AS_OF = dt.date(2026, 11, 15)


def node(kind: Kind, node_id: str, **props) -> NodeRecord:
    return NodeRecord(kind, node_id, {"name": node_id.title(), **props}, "test.yaml", "native")


def rel(rel_type: Rel, start: str, end: str, **props) -> RelRecord:
    return RelRecord(rel_type, start, end, props, "test.yaml", "native")


def small(store: Store) -> ReadService:
    """bu ⊃ team ∋ ann. team owns db, app, spare, wf and the pilot ``trial``;
    ann owns ``init`` (production), which supports wf, integrates with app
    (the system wf uses), depends on db and is measured by an outcome metric.
    app depends on db. The only gaps: ``trial`` has no metric and no system."""
    store.upsert(
        [node(Kind.TEAM, "bu", type="business_unit"), node(Kind.TEAM, "team"), node(Kind.PERSON, "ann"),
         node(Kind.SYSTEM, "db"), node(Kind.SYSTEM, "app"), node(Kind.SYSTEM, "spare"), node(Kind.WORKFLOW, "wf"),
         node(Kind.INITIATIVE, "init", stage="production"), node(Kind.METRIC, "m", type="downtime"),
         node(Kind.INITIATIVE, "trial", stage="pilot", stage_since="2026-10-01")],
        [rel(Rel.PART_OF, "team", "bu"), rel(Rel.MEMBER_OF, "ann", "team"),
         rel(Rel.OWNS, "team", "db", role="accountable"), rel(Rel.OWNS, "team", "app", role="accountable"),
         rel(Rel.OWNS, "team", "spare", role="accountable"), rel(Rel.OWNS, "team", "wf", role="accountable"),
         rel(Rel.OWNS, "ann", "init", role="accountable"), rel(Rel.OWNS, "team", "trial", role="accountable"),
         rel(Rel.PERFORMS, "team", "wf"), rel(Rel.USES, "wf", "app"), rel(Rel.DEPENDS_ON, "app", "db"),
         rel(Rel.SUPPORTS, "init", "wf"), rel(Rel.INTEGRATES_WITH, "init", "app"),
         rel(Rel.DEPENDS_ON, "init", "db"), rel(Rel.MEASURED_BY, "init", "m")],
        SEEN)
    return ReadService(store, AnalysisConfig(as_of=AS_OF))


BASE = {("pilot-metrics-only", "trial"), ("pilot-purgatory", "trial")}


def pairs(findings) -> set[tuple[str, str]]:
    return {(f.rule, f.subject) for f in findings}


def test_the_small_graph_has_the_gaps_it_is_built_with(store: Store):
    assert pairs(small(store).findings().findings) == BASE


CASES = {
    "retire a system something depends on": (
        [{"change": "retire-system", "id": "db"}], {("retired-dependency", "init")}, set()),
    "a person who owns an initiative leaves": (
        [{"change": "person-leaves", "id": "ann"}], {("orphaned-initiative", "init")}, set()),
    "dissolve the team that owns a dependency": (
        [{"change": "dissolve-team", "id": "team"}],
        {("unowned-dependency", "db"), ("orphaned-initiative", "trial")}, set()),
    "stop an initiative": (
        [{"change": "stop-initiative", "id": "trial"}], set(), BASE),
    "add a relationship": (
        [{"change": "add-relationship", "type": "INTEGRATES_WITH", "from_id": "trial", "to_id": "app"}],
        set(), {("pilot-purgatory", "trial")}),
    "remove a relationship": (
        [{"change": "remove-relationship", "type": "SUPPORTS", "from_id": "init", "to_id": "wf"}],
        {("unanchored-initiative", "init")}, set()),
    "remove an owner": (
        [{"change": "remove-relationship", "type": "OWNS", "from_id": "ann", "to_id": "init"}],
        {("orphaned-initiative", "init")}, set()),
    "retire a system nothing needs": (
        [{"change": "retire-system", "id": "spare"}], set(), set()),
}


@pytest.mark.parametrize("name", CASES)
def test_each_change_makes_the_findings_it_should(sqlite_store: Store, name: str):
    changes, appear, disappear = CASES[name]
    service = small(sqlite_store)
    answer = service.what_if(request_of(changes))
    assert pairs(answer.appearing) == appear
    assert pairs(answer.disappearing) == disappear
    before = {f.id for f in service.findings().findings}
    assert set(answer.staying) == before - {f.id for f in answer.disappearing}
    assert answer.counts["appearing"] == len(appear)


def test_a_change_that_alters_nothing_changes_no_scorecard_either(sqlite_store: Store):
    answer = small(sqlite_store).what_if(request_of([{"change": "retire-system", "id": "spare"}]))
    assert answer.appearing == [] and answer.disappearing == [] and answer.scorecards == []
    assert answer.severity_changes == []


def test_an_owner_leaving_costs_the_initiative_its_owner_check(sqlite_store: Store):
    answer = small(sqlite_store).what_if(request_of([{"change": "person-leaves", "id": "ann"}]))
    [card] = answer.scorecards
    assert card.initiative == "init"
    assert "active_accountable_owner" in card.checks_lost
    assert card.passed_after < card.passed_before


def test_impact_names_what_needs_the_changed_entity_with_paths(sqlite_store: Store):
    answer = small(sqlite_store).what_if(request_of([{"change": "retire-system", "id": "db"}]))
    [outcome] = answer.changes
    assert outcome.subject == "db" and outcome.change == "retire-system db"
    reached = {a.entity.id: a for a in outcome.impact.affected}
    assert {"app", "init", "wf"} <= set(reached)
    assert [(step.from_id, step.to_id) for step in reached["wf"].path] == [("app", "db"), ("wf", "app")]


def test_changes_apply_together(sqlite_store: Store):
    answer = small(sqlite_store).what_if(request_of([
        {"change": "person-leaves", "id": "ann"},
        {"change": "add-relationship", "type": "OWNS", "from_id": "team", "to_id": "init"}]))
    assert pairs(answer.appearing) == set()
    assert [c.subject for c in answer.changes] == ["ann", "init"]


def test_the_snapshot_answers_as_before_after_a_what_if(sqlite_store: Store):
    service = small(sqlite_store)
    service.what_if(request_of([{"change": "dissolve-team", "id": "team"}]))
    assert pairs(service.findings().findings) == BASE
    assert service.snapshot().ctx.attrs("team").get("active", True) is True
    assert service.rebuilds == 1


@pytest.mark.parametrize("changes, field", [
    ([{"change": "retire-system", "id": "team"}], "changes[0].id: retire-system needs a System; 'team' is a Team"),
    ([{"change": "person-leaves", "id": "nobody"}], "changes[0].id: person-leaves needs a Person; 'nobody' is not"),
    ([{"change": "stop-initiative", "id": "init"},
      {"change": "add-relationship", "type": "DEPENDS_ON", "from_id": "init", "to_id": "ghost"}],
     "changes[1].to_id: no entity 'ghost'"),
    ([{"change": "add-relationship", "type": "USES", "from_id": "init", "to_id": "app"}],
     "changes[0].from_id: USES cannot leave the Initiative 'init'"),
    ([{"change": "remove-relationship", "type": "DEPENDS_ON", "from_id": "db", "to_id": "app"}],
     "changes[0]: there is no DEPENDS_ON from 'db' to 'app'"),
    ([{"change": "add-relationship", "type": "USES", "from_id": "wf", "to_id": "db", "role": "risk"}],
     "changes[0].role: only OWNS carries a role"),
])
def test_a_change_the_graph_cannot_take_is_refused_naming_it(sqlite_store: Store, changes, field):
    with pytest.raises(InvalidRequest, match=re.escape(field)):
        small(sqlite_store).what_if(request_of(changes))


def test_a_what_if_never_writes_the_store(store: Store):
    service = small(store)
    revision = store.revision()
    nodes, rels = list(store.iter_nodes()), list(store.iter_relationships())
    claims, rel_claims = store.claims(), store.relationship_claims()
    for changes, _, _ in CASES.values():
        service.what_if(request_of(changes))
    assert store.revision() == revision
    assert list(store.iter_nodes()) == nodes and list(store.iter_relationships()) == rels
    assert store.claims() == claims and store.relationship_claims() == rel_claims


def test_what_a_change_reaches_shows_its_imagined_gaps(sqlite_store: Store):
    answer = small(sqlite_store).what_if(request_of([{"change": "retire-system", "id": "db"}]))
    reached = {a.entity.id: a.entity for a in answer.changes[0].impact.affected}
    assert reached["init"].worst_severity is not None and reached["init"].findings >= 1


def test_a_removed_dependency_reaches_what_needs_the_end_that_needed_it(sqlite_store: Store):
    answer = small(sqlite_store).what_if(request_of([
        {"change": "remove-relationship", "type": "DEPENDS_ON", "from_id": "app", "to_id": "db"}]))
    [outcome] = answer.changes
    assert outcome.subject == "app"
    assert "wf" in {a.entity.id for a in outcome.impact.affected}
