"""The served explorer: the page at /explorer, its data at /explorer/data."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.deps import Access
from visualizations.explorer import ExplorerRequest, View, explorer_data


@pytest.fixture(scope="module")
def client(example):
    return TestClient(create_app(example))


def test_the_page_is_served_at_the_root_and_carries_no_data(client):
    response = client.get("/explorer")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert '"mode":"served"' in response.text and re.search(r'id="aimap-data">null<', response.text)
    assert client.get("/api/v1/explorer").status_code == 404


def test_the_data_is_what_aimap_explore_inlines(client, example):
    response = client.get("/explorer/data", params={"view": "gaps", "business_unit": "Pumps Division",
                                                     "kind": ["Initiative", "System"], "max_nodes": 50})
    assert response.status_code == 200
    expected = explorer_data(example, ExplorerRequest(view=View.GAPS, business_unit="Pumps Division",
                                                      kind=("Initiative", "System"), max_nodes=50))
    assert response.json() == expected


def test_focus_and_depth(client, example):
    data = client.get("/explorer/data", params={"focus": "sys-s4hana", "depth": 1}).json()
    assert data["meta"]["focus"] == "sys-s4hana"
    assert {n["id"] for n in data["nodes"] if n["aimap"]["cluster"] is None} == \
        {n.id for n in example.neighbours("sys-s4hana", 1).nodes}


@pytest.mark.parametrize("params, status, words", [
    ({"focus": "no-such-entity"}, 404, "no-such-entity"),
    ({"business_unit": "no-such-unit"}, 422, "no-such-unit"),
    ({"view": "everything"}, 422, "view"),
    ({"depth": 99}, 422, "depth"),
    ({"max_nodes": 1}, 422, "max_nodes"),
])
def test_bad_requests_are_problem_details(client, params, status, words):
    response = client.get("/explorer/data", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.text


def test_with_tokens_the_data_needs_read_access_and_the_page_does_not(example):
    client = TestClient(create_app(example, Access(tokens={"secret": frozenset({"read"})})))
    assert client.get("/explorer").status_code == 200
    assert client.get("/explorer/data").status_code == 401
    assert client.get("/explorer/data", headers={"Authorization": "Bearer secret"}).status_code == 200
