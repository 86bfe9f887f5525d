"""Every read route through FastAPI's test client, on both stores: answers,
each filter, pagination, and errors as problem details."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from api_client import READ, assert_problem

from graph.schema import Kind


def test_health_needs_no_token_and_reports_the_store(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok" and body["nodes"] == 345 and body["relationships"] == 733
    assert body["revision"] >= 1 and body["read_only"] is False and body["version"]


def test_entities_filtered_and_paged_with_a_total(client):
    first = client.get("/api/v1/entities", params={"kind": "System", "limit": 25}, headers=READ).json()
    assert first["total"] > 25 and len(first["items"]) == 25 and first["next_cursor"]
    second = client.get("/api/v1/entities", params={"kind": "System", "limit": 25, "cursor": first["next_cursor"]},
                        headers=READ).json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert len(set(ids)) == len(ids) and ids == sorted(ids)
    assert {e["kind"] for e in first["items"]} == {"System"}
    unit = client.get("/api/v1/entities", params={"business_unit": "Digital & IT", "limit": 1000},
                      headers=READ).json()
    assert unit["total"] and {e["business_unit"] for e in unit["items"]} == {"bu-digital"}
    text = client.get("/api/v1/entities", params={"text": "POWER BI"}, headers=READ).json()
    assert [e["id"] for e in text["items"]] == ["sys-powerbi"]


def test_one_entity_with_its_owners_unit_and_findings(client):
    body = client.get("/api/v1/entities/init-energy-optimization", headers=READ).json()
    assert body["kind"] == "Initiative" and body["properties"]["stage"] == "production"
    assert body["finding_details"] and body["worst_severity"] == "critical"
    assert all(body["id"] == f["subject"] or body["id"] in f["related"] for f in body["finding_details"])
    owners = client.get("/api/v1/owners/init-energy-optimization", headers=READ).json()
    assert owners == body["owners"] and any(not o["active"] for o in owners)


def test_ids_with_slashes_and_spaces_reach_their_entity(make_client, store):
    import datetime as dt

    from graph.records import NodeRecord

    store.upsert([NodeRecord(Kind.SYSTEM, "backstage:component:default/a b", {"name": "A B"})], [],
                 dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    client = make_client(example=False)
    for path in (quote("backstage:component:default/a b"), quote("backstage:component:default/a b", safe="")):
        assert client.get(f"/api/v1/entities/{path}", headers=READ).json()["name"] == "A B"


def test_neighbours_to_a_depth_capped(client):
    one = client.get("/api/v1/neighbours/sys-s4hana", params={"depth": 1}, headers=READ).json()
    two = client.get("/api/v1/neighbours/sys-s4hana", params={"depth": 2, "limit": 10}, headers=READ).json()
    assert one["center"] == "sys-s4hana" and not one["truncated"]
    assert len(two["nodes"]) == 10 and two["truncated"] and two["omitted"] > 0
    typed = client.get("/api/v1/neighbours/sys-s4hana", params={"type": "DEPENDS_ON"}, headers=READ).json()
    assert {r["type"] for r in typed["relationships"]} == {"DEPENDS_ON"}
    assert all(r["label"] == "depends on" and r["reverse_label"] == "dependency of" for r in typed["relationships"])


def test_impact_downstream_and_upstream_with_paths(client):
    down = client.get("/api/v1/impact/sys-s4hana", headers=READ).json()
    assert down["direction"] == "downstream" and down["counts"]["Initiative"] > 0
    for item in down["affected"]:
        path = item["path"]
        assert len(path) == item["hops"]
        ends = {path[-1]["from_id"], path[-1]["to_id"]}
        assert item["entity"]["id"] in ends
    up = client.get("/api/v1/impact/init-energy-optimization", params={"direction": "upstream"},
                    headers=READ).json()
    assert up["direction"] == "upstream" and up["affected"]


def test_search_relationships(client):
    found = client.get("/api/v1/search", params={"q": "power bi"}, headers=READ).json()
    assert found[0]["id"] == "sys-powerbi"
    rels = client.get("/api/v1/relationships", params={"type": "OWNS", "to_id": "sys-powerbi"}, headers=READ).json()
    assert rels["total"] == 2 and {r["role"] for r in rels["items"]} == {"accountable"}


def test_findings_each_filter(client):
    everything = client.get("/api/v1/findings", headers=READ).json()
    assert everything["total"] == 28 == len(everything["findings"]) == sum(everything["counts"].values())
    critical = client.get("/api/v1/findings", params={"severity": "critical"}, headers=READ).json()
    assert critical["total"] and {f["severity"] for f in critical["findings"]} == {"critical"}
    two_rules = client.get("/api/v1/findings", params=[("rule", "dependency-cycle"), ("rule", "stale-record")],
                           headers=READ).json()
    assert {f["rule"] for f in two_rules["findings"]} == {"dependency-cycle", "stale-record"}
    by_unit = client.get("/api/v1/findings", params={"business_unit": "bu-digital"}, headers=READ).json()
    assert by_unit["total"] and {f["business_unit"] for f in by_unit["findings"]} == {"bu-digital"}
    by_kind = client.get("/api/v1/findings", params={"kind": "System"}, headers=READ).json()
    assert {f["subject_kind"] for f in by_kind["findings"]} == {"System"}


def test_scorecards_pipeline_priorities_business_units(client):
    cards = client.get("/api/v1/scorecards", params={"business_unit": "bu-digital"}, headers=READ).json()
    assert cards["initiatives"] and all(c["business_unit"] == "bu-digital" for c in cards["initiatives"])
    assert all(c["passed"] == sum(x["passed"] for x in c["checks"]) for c in cards["initiatives"])
    pipeline = client.get("/api/v1/pipeline", headers=READ).json()
    assert pipeline["total"]["total"] == sum(r["total"] for r in pipeline["business_units"])
    ranked = client.get("/api/v1/priorities", params={"limit": 5}, headers=READ).json()
    assert len(ranked) == 5 and [p["score"] for p in ranked] == sorted((p["score"] for p in ranked), reverse=True)
    units = client.get("/api/v1/business-units", headers=READ).json()
    assert {"id": "bu-digital", "name": "Digital & IT", "vendor": False} in units


@pytest.mark.parametrize("path, params, status, words", [
    ("/api/v1/entities/nope", {}, 404, ("no entity 'nope'",)),
    ("/api/v1/neighbours/nope", {}, 404, ("nope",)),
    ("/api/v1/impact/nope", {}, 404, ("nope",)),
    ("/api/v1/owners/nope", {}, 404, ("nope",)),
    ("/api/v1/findings", {"business_unit": "Pumps Divison"}, 422, ("no business unit 'Pumps Divison'",)),
    ("/api/v1/findings", {"severity": "dire"}, 422, ("severity",)),
    ("/api/v1/entities", {"kind": "Robot"}, 422, ("kind",)),
    ("/api/v1/entities", {"limit": 0}, 422, ("limit",)),
    ("/api/v1/entities", {"cursor": "forged"}, 422, ("cursor",)),
    ("/api/v1/neighbours/sys-s4hana", {"depth": 99}, 422, ("depth",)),
    ("/api/v1/impact/sys-s4hana", {"direction": "sideways"}, 422, ("direction",)),
    ("/api/v1/search", {}, 422, ("q",)),
    ("/api/v1/no-such-route", {}, 404, ()),
    ("/api/v1/findings", {"busines_unit": "bu-digital"}, 422, ("busines_unit: unknown query parameter",)),
    ("/api/v1/findings", {"rule": "no-such-rule"}, 422, ("rule",)),
    ("/api/v1/relationships", [("from_id", "a"), ("from_id", "b")], 422, ("from_id: given more than once",)),
])
def test_errors_are_problem_details_with_fitting_statuses(client, path, params, status, words):
    body = assert_problem(client.get(path, params=params, headers=READ), status, *words)
    assert body["instance"] == path
    if status == 422 and "errors" in body:
        assert all(error["field"] and error["message"] for error in body["errors"])
