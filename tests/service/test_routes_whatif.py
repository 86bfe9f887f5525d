"""POST /api/v1/whatif and GET /api/v1/disagreements: read scope, a validated
body (422 naming the field), a 422 naming the change the graph cannot take."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.deps import Access
from graph.records import NodeRecord
from graph.schema import Kind
from graph.store.sqlite_store import SQLiteStore
from test_whatif import small

READER, WRITER = "read-token", "write-token"


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "aimap.db") as store:
        yield store


@pytest.fixture
def client(store):
    service = small(store)
    access = Access({READER: frozenset({"read"}), WRITER: frozenset({"read", "write"})})
    return TestClient(create_app(service, access))


def auth(token: str = READER) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_read_token_may_ask_what_if(client, store):
    revision = store.revision()
    response = client.post("/api/v1/whatif", headers=auth(),
                           json={"changes": [{"change": "retire-system", "id": "db"}]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {(f["rule"], f["subject"]) for f in body["appearing"]} == {("retired-dependency", "init")}
    assert body["counts"]["appearing"] == 1
    assert store.revision() == revision


def test_no_token_no_answer(client):
    response = client.post("/api/v1/whatif", json={"changes": [{"change": "retire-system", "id": "db"}]})
    assert response.status_code == 401


@pytest.mark.parametrize("body, field", [
    ({"changes": []}, "changes"),
    ({"changes": [{"change": "explode", "id": "db"}]}, "changes"),
    ({"changes": [{"change": "add-relationship", "type": "LIKES", "from_id": "a", "to_id": "b"}]}, "type"),
    ({"changes": [{"change": "retire-system"}]}, "id"),
    ({"changes": [{"change": "retire-system", "id": "db", "when": "soon"}]}, "when"),
])
def test_a_bad_body_is_a_422_naming_the_field(client, body, field):
    response = client.post("/api/v1/whatif", headers=auth(), json=body)
    assert response.status_code == 422
    assert field in response.text


def test_a_change_the_graph_cannot_take_is_a_422_naming_it(client):
    response = client.post("/api/v1/whatif", headers=auth(),
                           json={"changes": [{"change": "dissolve-team", "id": "db"}]})
    assert response.status_code == 422
    assert "changes[0].id" in response.json()["detail"]


def test_disagreements_by_query_parameter(client, store):
    store.upsert([NodeRecord(Kind.SYSTEM, "db", {"lifecycle": "active"}, "backstage.yaml", "backstage")], [],
                 dt.datetime(2026, 11, 9, tzinfo=dt.timezone.utc))
    store.upsert([NodeRecord(Kind.SYSTEM, "db", {"lifecycle": "retired"}, "cmdb.csv", "cmdb")], [],
                 dt.datetime(2026, 11, 10, tzinfo=dt.timezone.utc))
    body = client.get("/api/v1/disagreements", headers=auth()).json()
    assert [(d["entity"], d["about"]) for d in body["disagreements"]] == [("db", "lifecycle")]
    assert [c["source"] for c in body["disagreements"][0]["claims"]] == ["cmdb.csv", "backstage.yaml"]
    assert client.get("/api/v1/disagreements", headers=auth(), params={"about": "owner"}).json()["total"] == 0
    assert client.get("/api/v1/disagreements", headers=auth(), params={"about": "colour"}).status_code == 422


def test_the_openapi_document_lists_both(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/whatif"] and "get" in paths["/api/v1/disagreements"]
