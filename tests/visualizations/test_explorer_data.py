"""What the explorer draws, checked against the read side's own answers."""

from __future__ import annotations

import json

import pytest

from graph.schema import Kind, Rel
from graph.service import EntityNotFound, Filters, UnknownBusinessUnit
from visualizations.explorer import ExplorerRequest, View, explorer_data
from visualizations.explorer.clusters import CLUSTER_PREFIX
from visualizations.explorer.style import KIND_STYLES, LAYERS, SEVERITY_COLOURS
from visualizations.explorer.views import VIEW_RELS


def entities(data: dict) -> dict[str, dict]:
    return {n["id"]: n for n in data["nodes"] if n["aimap"]["cluster"] is None}


def clusters(data: dict, level: str) -> dict[str, dict]:
    return {n["id"]: n for n in data["nodes"] if n["aimap"]["cluster"] == level}


def all_entity_ids(service, **filters) -> set[str]:
    page = service.entities(Filters(**filters), limit=1000)
    assert page.next_cursor is None
    return {e.id for e in page.items}


def test_the_whole_graph_draws_every_entity_and_relationship_between_them(example):
    data = explorer_data(example, ExplorerRequest())
    drawn = entities(data)
    assert set(drawn) == all_entity_ids(example)
    assert not data["meta"]["clustered"] and data["notes"] == []
    ctx = example.snapshot().ctx
    expected = {(e.from_id, e.to_id, e.type.value) for rel in Rel for e in ctx.edges(rel) if e.from_id in drawn and e.to_id in drawn}
    assert {(e["from"], e["to"], e["type"]) for e in data["edges"]} == expected


def test_each_kind_has_its_own_shape_and_colour_and_the_legend_lists_them():
    assert set(KIND_STYLES) == set(Kind) == set(LAYERS)
    assert len({s.shape for s in KIND_STYLES.values()}) == len(Kind)
    assert len({s.colour for s in KIND_STYLES.values()}) == len(Kind)


def test_nodes_carry_their_kind_style_and_a_marker_in_their_worst_severity(example):
    data = explorer_data(example, ExplorerRequest())
    assert [item["kind"] for item in data["legend"]] == [k.value for k in LAYERS]
    snapshot = example.snapshot()
    marked = 0
    for entity_id, node in entities(data).items():
        style = KIND_STYLES[Kind(node["aimap"]["kind"])]
        assert node["shape"] == style.shape and node["color"] == style.colour
        worst = snapshot.worst(entity_id)
        assert node["aimap"]["marker"] == (SEVERITY_COLOURS[worst] if worst else None)
        assert node["aimap"]["findings_total"] == len(snapshot.findings_by_entity.get(entity_id, []))
        marked += worst is not None
    assert marked > 0


def test_hover_has_properties_owners_and_business_unit(example):
    data = explorer_data(example, ExplorerRequest())
    owned = next(i for i in example.snapshot().ctx.ids(Kind.INITIATIVE) if example.owners(i))
    node = entities(data)[owned]["aimap"]
    detail = example.entity(owned)
    assert node["unit_name"] == detail.business_unit_name
    assert [o[0] for o in node["owners"]] == [o.name for o in detail.owners]
    assert node["properties"]["stage"] == detail.properties["stage"]


def test_the_layout_puts_kinds_in_layers_and_no_two_entities_in_one_place(example):
    drawn = entities(explorer_data(example, ExplorerRequest())).values()
    assert len({(n["x"], n["y"]) for n in drawn}) == len(drawn)
    top = {kind: min(n["y"] for n in drawn if n["aimap"]["kind"] == kind.value) for kind in LAYERS}
    bottom = {kind: max(n["y"] for n in drawn if n["aimap"]["kind"] == kind.value) for kind in LAYERS}
    for upper, lower in zip(LAYERS, LAYERS[1:], strict=False):
        assert bottom[upper] < top[lower], (upper, lower)
    assert all(n["physics"] is False for n in drawn)


@pytest.mark.parametrize("view", [View.OWNERSHIP, View.DEPENDENCY])
def test_a_view_keeps_its_own_relationships(example, view):
    data = explorer_data(example, ExplorerRequest(view=view))
    drawn = entities(data)
    assert drawn and {Rel(e["type"]) for e in data["edges"]} <= VIEW_RELS[view]
    kinds = {n["aimap"]["kind"] for n in drawn.values()}
    if view is View.DEPENDENCY:
        assert kinds == {Kind.INITIATIVE.value, Kind.WORKFLOW.value, Kind.SYSTEM.value}
    else:
        ctx = example.snapshot().ctx
        assert all(ctx.kind(i) in (Kind.TEAM, Kind.PERSON) or ctx.in_edges(i, Rel.OWNS) for i in drawn)


def test_the_gaps_view_shows_what_findings_involve_with_evidence_highlighted(example):
    data = explorer_data(example, ExplorerRequest(view=View.GAPS))
    snapshot = example.snapshot()
    drawn = entities(data)
    assert {f.subject for f in snapshot.result.findings if snapshot.ctx.kind(f.subject)} <= set(drawn)
    assert set(drawn) <= set(snapshot.findings_by_entity) | {s.to_id for f in snapshot.result.findings
                                                            for s in f.evidence if s.to_id} | \
        {s.from_id for f in snapshot.result.findings for s in f.evidence}
    evidence = [e for e in data["edges"] if e.get("evidence")]
    assert evidence
    steps = {(s.from_id, s.to_id, s.type.value) for f in snapshot.result.findings for s in f.evidence if s.type}
    assert all((e["from"], e["to"], e["type"]) in steps for e in evidence)


def test_focus_draws_the_neighbourhood_within_depth(example):
    system = example.snapshot().ctx.ids(Kind.SYSTEM)[0]
    data = explorer_data(example, ExplorerRequest(focus=system, depth=1))
    hood = example.neighbours(system, depth=1)
    assert set(entities(data)) == {n.id for n in hood.nodes}
    assert data["meta"]["focus"] == system


def test_focus_past_the_limit_says_what_it_left_out(example):
    hub = max(example.snapshot().ctx.ids(Kind.TEAM), key=lambda t: len(example.neighbours(t, 2, limit=5000).nodes))
    data = explorer_data(example, ExplorerRequest(focus=hub, depth=2, max_nodes=10))
    assert len(entities(data)) == 10 and hub in entities(data)
    assert any("more entities lie within 2 hops" in note for note in data["notes"])


def test_unknown_focus_and_business_unit_are_errors(example):
    with pytest.raises(EntityNotFound):
        explorer_data(example, ExplorerRequest(focus="no-such-thing"))
    with pytest.raises(UnknownBusinessUnit):
        explorer_data(example, ExplorerRequest(business_unit="no-such-unit"))


def test_business_unit_and_kind_filters(example):
    unit = example.business_units()[0]
    data = explorer_data(example, ExplorerRequest(business_unit=unit.name, kind=(Kind.SYSTEM, Kind.INITIATIVE)))
    assert set(entities(data)) == all_entity_ids(example, business_unit=unit.id, kind=(Kind.SYSTEM, Kind.INITIATIVE))
    assert entities(data)


def test_past_the_node_limit_entities_are_grouped_by_business_unit_then_kind(example):
    every = all_entity_ids(example)
    data = explorer_data(example, ExplorerRequest(max_nodes=40))
    assert data["meta"]["clustered"] and "too many to draw" in data["notes"][0]
    units, kinds = clusters(data, "unit"), clusters(data, "kind")
    assert all(i.startswith(CLUSTER_PREFIX) for i in [*units, *kinds])
    assert sum(u["aimap"]["count"] for u in units.values()) == len(every)
    assert sorted(k for u in units.values() for k in u["aimap"]["children"]) == sorted(kinds)
    # entities in the page are exactly the members of the clusters that can open
    openable = sum(k["aimap"]["count"] for k in kinds.values() if k["aimap"]["expandable"])
    assert 0 < openable == len(entities(data)) <= 3 * 40
    # every relationship is counted once: between clusters, or from an entity in the page
    ctx = example.snapshot().ctx
    total = sum(1 for rel in Rel for e in ctx.edges(rel) if e.from_id in every and e.to_id in every)
    member = {i: n["aimap"]["member_of"] for i, n in entities(data).items()}
    between = sum(c[3] for c in data["cluster_edges"])
    assert between == total
    from_page = sum(e.get("count", 1) for e in data["edges"])
    closed_only = sum(c[3] for c in data["cluster_edges"]
                      if not kinds[c[0]]["aimap"]["expandable"] and not kinds[c[1]]["aimap"]["expandable"])
    assert from_page + closed_only == total
    assert set(member.values()) <= set(kinds)


def test_marks_are_a_hook_for_other_faces(example):
    entity = example.snapshot().ctx.ids(Kind.SYSTEM)[0]
    data = explorer_data(example, ExplorerRequest(), marks=[
        {"entity": entity, "severity": "HIGH", "label": "new"},
        {"entity": entity, "style": "solid", "colour": "#0f172a", "label": "changed", "detail": "retired"}])
    assert data["marks"] == [
        {"entity": entity, "severity": "high", "colour": SEVERITY_COLOURS["high"], "style": "dashed", "label": "new",
         "detail": "", "finding": None},
        {"entity": entity, "severity": None, "colour": "#0f172a", "style": "solid", "label": "changed",
         "detail": "retired", "finding": None}]
    assert data["overlay"] is None


@pytest.mark.parametrize("mark", [
    {"style": "wavy"},  # only the styles the page draws
    {"colour": "red;background:url(//evil)"},  # only #rrggbb reaches the canvas
])
def test_a_mark_the_page_cannot_draw_is_refused(example, mark):
    entity = example.snapshot().ctx.ids(Kind.SYSTEM)[0]
    with pytest.raises(ValueError):
        explorer_data(example, ExplorerRequest(), marks=[{"entity": entity, **mark}])


def test_the_payload_is_plain_json(example):
    data = explorer_data(example, ExplorerRequest(view=View.GAPS, max_nodes=40))
    assert json.loads(json.dumps(data)) == data


def test_pending_references_are_not_drawn(example):
    ctx = example.snapshot().ctx
    pending = [i for i in ctx.ids() if ctx.kind(i) is None]
    drawn = entities(explorer_data(example, ExplorerRequest()))
    assert not set(pending) & set(drawn)
