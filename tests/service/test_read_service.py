"""The read side, on both stores: one snapshot per revision, one filter
vocabulary, entity answers that agree with the findings."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.analyses import AnalysisConfig, Severity
from graph.records import NodeRecord, RelRecord
from graph.schema import Kind, Rel
from graph.service import EntityNotFound, Filters, InvalidRequest, ReadService, UnknownBusinessUnit
from graph.store.base import Store
from importers.example import AS_OF, load_example

SEEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


def node(kind: Kind, node_id: str, **props) -> NodeRecord:
    return NodeRecord(kind, node_id, {"name": node_id.title(), **props}, "test.yaml", "native")


def rel(rel_type: Rel, start: str, end: str, **props) -> RelRecord:
    return RelRecord(rel_type, start, end, props, "test.yaml", "native")


def chain(store: Store) -> ReadService:
    """bu ⊃ team; team owns db and performs wf; app depends on db; init
    integrates with app and supports wf; a person is a member of the team."""
    store.upsert(
        [node(Kind.TEAM, "bu", type="business_unit"), node(Kind.TEAM, "team"), node(Kind.PERSON, "ann"),
         node(Kind.SYSTEM, "db"), node(Kind.SYSTEM, "app"), node(Kind.WORKFLOW, "wf"),
         node(Kind.INITIATIVE, "init", stage="production")],
        [rel(Rel.PART_OF, "team", "bu"), rel(Rel.OWNS, "team", "db", role="accountable"),
         rel(Rel.OWNS, "team", "init", role="accountable"), rel(Rel.OWNS, "ann", "init", role="sponsor"),
         rel(Rel.MEMBER_OF, "ann", "team"), rel(Rel.PERFORMS, "team", "wf"), rel(Rel.USES, "wf", "app"),
         rel(Rel.DEPENDS_ON, "app", "db"), rel(Rel.INTEGRATES_WITH, "init", "app"), rel(Rel.SUPPORTS, "init", "wf")],
        SEEN)
    return ReadService(store, AnalysisConfig(as_of=AS_OF))


@pytest.fixture
def example(store: Store) -> ReadService:
    load_example(store)
    return ReadService(store, AnalysisConfig(as_of=AS_OF))


def test_the_snapshot_is_rebuilt_only_when_the_revision_moves(store: Store):
    service = chain(store)
    first = service.findings()
    service.entity("db"), service.neighbours("db"), service.scorecards()
    assert service.rebuilds == 1
    store.upsert([node(Kind.INITIATIVE, "orphan", stage="pilot")], [], SEEN)
    second = service.findings()
    assert service.rebuilds == 2
    assert second.revision > first.revision
    assert "orphan" in {f.subject for f in second.findings} - {f.subject for f in first.findings}


def test_a_new_day_rebuilds_a_server_that_follows_today(store: Store):
    today = [dt.date(2026, 11, 1)]
    service = ReadService(store, AnalysisConfig(as_of=dt.date(2026, 10, 1)), follow_today=True,
                          today=lambda: today[0])
    assert service.findings().as_of == "2026-11-01"
    assert service.findings().as_of == "2026-11-01"
    today[0] = dt.date(2026, 11, 2)
    assert service.findings().as_of == "2026-11-02"
    assert service.rebuilds == 2


def test_business_unit_by_id_or_name_and_an_unknown_unit_is_an_error(example: ReadService):
    by_id = example.findings(Filters(business_unit="bu-digital"))
    by_name = example.findings(Filters(business_unit="Digital & IT"))
    assert by_id.total and by_id.findings == by_name.findings
    assert {f.business_unit for f in by_id.findings} == {"bu-digital"}
    assert by_id.total < example.findings().total
    for question in (example.findings, example.scorecards, example.pipeline, example.priorities, example.entities):
        with pytest.raises(UnknownBusinessUnit, match="no business unit 'Pumps Divison'.*bu-digital"):
            question(Filters(business_unit="Pumps Divison"))


def test_one_vocabulary_for_every_question(example: ReadService):
    unit = Filters(business_unit="bu-digital")
    assert {c.business_unit for c in example.scorecards(unit).initiatives} == {"bu-digital"}
    assert [r.business_unit for r in example.pipeline(unit).business_units] == ["bu-digital"]
    assert example.pipeline(unit).total == example.pipeline(unit).business_units[0]
    assert {p.business_unit for p in example.priorities(unit, limit=None)} == {"bu-digital"}
    assert {e.business_unit for e in example.entities(unit, limit=1000).items} == {"bu-digital"}
    high = example.findings(Filters(severity="high"))
    assert high.total and all(f.severity >= Severity.HIGH for f in high.findings)
    cycles = example.findings(Filters(rule=("dependency-cycle",)))
    assert cycles.total == 2 and {f.rule for f in cycles.findings} == {"dependency-cycle"}
    systems = example.findings(Filters(kind=(Kind.SYSTEM,)))
    assert systems.total and {f.subject_kind for f in systems.findings} == {Kind.SYSTEM}
    text = example.findings(Filters(text="powerbi"))
    assert [f.subject for f in text.findings] == ["sys-powerbi"]


def test_scorecard_derived_values_are_serialised(example: ReadService):
    card = example.scorecards().initiatives[0].model_dump(mode="json")
    assert card["passed"] == sum(check["passed"] for check in card["checks"])
    assert card["ready"] == (card["passed"] == len(card["checks"]))
    assert card["score"] == round(card["passed"] / len(card["checks"]), 4)


def test_an_entity_in_detail_agrees_with_the_findings(store: Store):
    service = chain(store)
    detail = service.entity("init")
    assert detail.kind is Kind.INITIATIVE and detail.name == "Init"
    assert detail.business_unit == "bu" and detail.source == "test.yaml" and detail.last_seen
    assert [(o.id, o.role, o.active) for o in detail.owners] == [("team", "accountable", True),
                                                                   ("ann", "sponsor", True)]
    assert detail.owners_by_role == {"accountable": ["team"], "sponsor": ["ann"]}
    assert detail.properties["stage"] == "production"
    involving = [f for f in service.findings().findings if f.involves("init")]
    assert [f.id for f in detail.finding_details] == [f.id for f in involving]
    assert detail.findings == len(involving)
    with pytest.raises(EntityNotFound, match="no entity 'nope'"):
        service.entity("nope")


def test_neighbours_to_a_depth_and_cut_at_a_limit(store: Store):
    service = chain(store)
    assert [n.id for n in service.neighbours("db", depth=0).nodes] == ["db"]
    one = service.neighbours("db", depth=1)
    assert {n.id for n in one.nodes} == {"db", "team", "app"} and not one.truncated
    assert {(r.type, r.from_id, r.to_id) for r in one.relationships} == {
        (Rel.OWNS, "team", "db"), (Rel.DEPENDS_ON, "app", "db")}
    cut = service.neighbours("db", depth=3, limit=3)
    assert len(cut.nodes) == 3 and cut.truncated and cut.omitted == len(service.neighbours("db", 3).nodes) - 3
    only_depends = service.neighbours("db", depth=3, types=[Rel.DEPENDS_ON])
    assert {n.id for n in only_depends.nodes} == {"db", "app"}
    with pytest.raises(InvalidRequest, match="depth"):
        service.neighbours("db", depth=99)


def test_downstream_impact_is_what_breaks_with_the_paths(store: Store):
    service = chain(store)
    impact = service.impact("db", "downstream")
    reached = {a.entity.id: a for a in impact.affected}
    assert set(reached) == {"app", "init", "wf", "team"}
    assert [(r.from_id, r.label, r.to_id) for r in reached["wf"].path] == [("app", "depends on", "db"),
                                                                            ("wf", "uses", "app")]
    assert reached["init"].hops == 2 and reached["team"].hops == 3  # team performs wf, which uses app
    assert impact.counts == {"System": 1, "Workflow": 1, "Initiative": 1, "Team": 1}
    # ann is a member of an affected team: affected teams do not spread the break to their people
    assert "ann" not in reached


def test_upstream_impact_is_everything_it_needs(store: Store):
    service = chain(store)
    upstream = {a.entity.id for a in service.impact("init", "upstream").affected}
    assert upstream == {"app", "db", "team", "ann"}  # its platform, the platform's owner, its owners
    team_goes = {a.entity.id for a in service.impact("team", "downstream").affected}
    assert {"db", "init", "wf", "ann"} <= team_goes
    with pytest.raises(InvalidRequest, match="downstream or upstream"):
        service.impact("db", "sideways")


def test_entities_page_by_cursor_with_a_total(example: ReadService):
    pages, cursor = [], None
    while True:
        page = example.entities(Filters(kind=(Kind.SYSTEM,)), cursor=cursor, limit=20)
        pages.append(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    ids = [e.id for page in pages for e in page.items]
    assert len(ids) == len(set(ids)) == pages[0].total > 20
    assert ids == sorted(ids) and all(e.kind is Kind.SYSTEM for page in pages for e in page.items)
    with pytest.raises(InvalidRequest, match="cursor"):
        example.entities(cursor="not-a-cursor")


def test_search_ranks_exact_names_first(example: ReadService):
    found = example.search("power bi")
    assert found and found[0].id == "sys-powerbi"
    assert all("power bi" in e.name.casefold() or "power bi" in e.id for e in found)
    assert example.search("POWER BI", Filters(kind=(Kind.PERSON,))) == []


def test_relationships_by_type_and_ends(store: Store):
    service = chain(store)
    owns = service.relationships(type=Rel.OWNS)
    assert owns.total == 3 and {r.from_id for r in owns.items} == {"team", "ann"}
    from_team = service.relationships(from_id="team")
    assert {r.type for r in from_team.items} == {Rel.OWNS, Rel.PART_OF, Rel.PERFORMS}
    to_db = service.relationships(to_id="db")
    assert {(r.type, r.from_id) for r in to_db.items} == {(Rel.OWNS, "team"), (Rel.DEPENDS_ON, "app")}
    assert to_db.items[0].reverse_label in {"owned by", "dependency of"}
