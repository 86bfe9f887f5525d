"""A what-if on the explorer: ``aimap whatif --explore`` and ``POST /explorer/whatif``
draw the graph around the changes, with the findings that would appear or go
marked apart, and write nothing to the store."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from api.cli.main import run
from api.http.app import create_app
from api.http.deps import Access
from explorer_fixtures import HOSTILE_ID, hostile_id_service
from graph.service import EntityNotFound
from graph.service.whatif_models import WhatIfRequest
from graph.store.sqlite_store import SQLiteStore
from importers.example import AS_OF, load_example
from visualizations.explorer import ExplorerRequest, View, explorer_data
from visualizations.explorer.whatif import whatif_explorer

LEAVES = {"change": "person-leaves", "id": "person-hannah-becker"}
OWNED = {"change": "add-relationship", "type": "OWNS", "from_id": "team-data-platform",
         "to_id": "init-energy-optimization"}


def inlined(path) -> dict:
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="aimap-data">(.*?)</script>', page, re.S).group(1))


def marked(data: dict, label: str) -> set[str]:
    return {m["entity"] for m in data["marks"] if m["label"] == label}


def entity_ids(data: dict) -> set[str]:
    return {n["id"] for n in data["nodes"] if n["aimap"]["cluster"] is None}


# -- drawing around several entities -------------------------------------------------


def test_around_draws_each_entity_with_its_neighbourhood(example):
    data = explorer_data(example, ExplorerRequest(around=("sys-s4hana", "person-hannah-becker"), depth=1))
    expected = {n.id for e in ("sys-s4hana", "person-hannah-becker") for n in example.neighbours(e, 1).nodes}
    assert entity_ids(data) == expected and data["meta"]["around"] == ["sys-s4hana", "person-hannah-becker"]


def test_around_keeps_its_entities_whatever_the_view_and_refuses_unknown_ones(example):
    # a person is no part of the dependency view, but is drawn when asked for
    data = explorer_data(example, ExplorerRequest(view=View.DEPENDENCY, around=("person-hannah-becker",), depth=1))
    assert "person-hannah-becker" in entity_ids(data)
    assert all(n["aimap"]["kind"] != "Person" for n in data["nodes"]
               if n["aimap"]["cluster"] is None and n["id"] != "person-hannah-becker")
    with pytest.raises(EntityNotFound):
        explorer_data(example, ExplorerRequest(around=("no-such-entity",)))
    with pytest.raises(ValueError):
        ExplorerRequest(focus="sys-s4hana", around=("sys-s4hana",))


# -- the what-if payload ------------------------------------------------------------------


def test_marks_are_exactly_the_appearing_and_going_findings_and_the_changes(example):
    request = WhatIfRequest.model_validate({"changes": [LEAVES, OWNED]})
    revision = example.snapshot().revision
    answer, data = whatif_explorer(example, request)
    # the README's example: Hannah Becker leaving orphans two initiatives; an
    # owner for the orphaned energy optimization resolves its finding
    assert marked(data, "would appear") == {f.subject for f in answer.appearing} == \
        {"init-demand-forecast", "init-sop-scenario-assistant"}
    assert marked(data, "would go") == {f.subject for f in answer.disappearing} == {"init-energy-optimization"}
    assert marked(data, "changed") == {"person-hannah-becker", "team-data-platform", "init-energy-optimization"}
    by_finding = {m["finding"]: m for m in data["marks"] if m["finding"]}
    assert set(by_finding) == {f.id for f in [*answer.appearing, *answer.disappearing]}
    for finding in [*answer.appearing, *answer.disappearing]:
        mark = by_finding[finding.id]
        assert mark["severity"] == finding.severity.value and finding.message in mark["detail"]
        assert mark["style"] == ("dashed" if finding in answer.appearing else "dotted")
    # every marked entity is drawn, and the panel says what was imagined
    assert {m["entity"] for m in data["marks"]} <= entity_ids(data)
    assert data["overlay"]["lines"][:2] == ["person-leaves person-hannah-becker",
                                            "add-relationship OWNS team-data-platform -> init-energy-optimization"]
    assert {item["style"] for item in data["overlay"]["legend"]} == {"solid", "dashed", "dotted"}
    assert example.snapshot().revision == revision == data["meta"]["revision"]


def test_a_change_that_alters_nothing_marks_only_itself(example):
    request = WhatIfRequest.model_validate({"changes": [
        {"change": "add-relationship", "type": "OWNS", "from_id": "person-hannah-becker",
         "to_id": "init-demand-forecast"}]})
    answer, data = whatif_explorer(example, request)
    assert not answer.appearing and not answer.disappearing
    assert {m["label"] for m in data["marks"]} == {"changed"}


# -- served -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(example):
    return TestClient(create_app(example))


def test_the_served_whatif_is_what_the_cli_writes(client, example):
    response = client.post("/explorer/whatif", json={"changes": [LEAVES], "view": "all", "depth": 1})
    assert response.status_code == 200
    _, expected = whatif_explorer(example, WhatIfRequest.model_validate({"changes": [LEAVES]}), depth=1)
    assert response.json() == expected


@pytest.mark.parametrize("body, words", [
    ({"changes": [{"change": "person-leaves", "id": "no-such-person"}]}, "no-such-person"),
    ({"changes": [{"change": "retire-system", "id": "person-hannah-becker"}]}, "needs a System"),
    ({"changes": []}, "changes"),
    ({"changes": [LEAVES], "depth": 99}, "depth"),
    ({"changes": [LEAVES], "business_unit": "no-such-unit"}, "no-such-unit"),
])
def test_a_served_whatif_the_graph_cannot_take_is_a_problem_detail(client, body, words):
    response = client.post("/explorer/whatif", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json") and words in response.text


def test_the_served_whatif_needs_read_access(example):
    client = TestClient(create_app(example, Access(tokens={"secret": frozenset({"read"})})))
    assert client.post("/explorer/whatif", json={"changes": [LEAVES]}).status_code == 401
    assert client.post("/explorer/whatif", json={"changes": [LEAVES]},
                       headers={"Authorization": "Bearer secret"}).status_code == 200


# -- aimap whatif --explore ----------------------------------------------------------------


@pytest.fixture
def example_db(tmp_path):
    path = tmp_path / "aimap.db"
    with SQLiteStore(path) as store:
        load_example(store)
    return path


def test_whatif_explore_writes_the_page_and_not_the_store(example_db, tmp_path, capsys):
    with SQLiteStore(example_db, create=False) as store:
        revision, counts = store.revision(), store.counts()
    page = tmp_path / "out" / "whatif.html"
    code = run(["whatif", "--store", f"sqlite:///{example_db}", "--as-of", AS_OF.isoformat(), "-f", "json",
                "--person-leaves", "person-hannah-becker", "--explore", str(page)])
    out, err = capsys.readouterr()
    assert code == 0, err
    answer = json.loads(out)  # stdout stays the JSON; where the page went is on stderr
    assert "Wrote the what-if explorer to" in err and page.resolve().as_uri() in err
    data = inlined(page)
    assert marked(data, "would appear") == {f["subject"] for f in answer["appearing"]} == \
        {"init-demand-forecast", "init-sop-scenario-assistant"}
    assert marked(data, "would go") == set() and marked(data, "changed") == {"person-hannah-becker"}
    assert data["meta"]["depth"] == 1 and "<title>aimap what-if</title>" in page.read_text(encoding="utf-8")
    with SQLiteStore(example_db, create=False) as store:
        assert (store.revision(), store.counts()) == (revision, counts)


def test_whatif_explore_takes_a_depth_and_a_changes_file(example_db, tmp_path, capsys):
    plan = tmp_path / "plan.yaml"
    plan.write_text("changes:\n  - change: retire-system\n    id: sys-lakehouse\n", encoding="utf-8")
    page = tmp_path / "w.html"
    assert run(["whatif", "--store", f"sqlite:///{example_db}", "--as-of", AS_OF.isoformat(), "--changes", str(plan),
                "-x", str(page), "--depth", "0"]) == 0
    out = capsys.readouterr().out
    assert "Findings that would appear" in out and "Wrote the what-if explorer to" in out
    data = inlined(page)
    # depth 0: only the changed system and the subjects of the changed findings
    assert entity_ids(data) == {m["entity"] for m in data["marks"]} and "sys-lakehouse" in entity_ids(data)
    assert run(["whatif", "--store", f"sqlite:///{example_db}", "--retire-system", "no-such-system",
                "-x", str(tmp_path / "none.html")]) == 1
    assert not (tmp_path / "none.html").exists()


def test_a_hostile_id_in_a_change_stays_data(tmp_path, capsys):
    hostile_id_service(tmp_path).store.close()
    db = tmp_path / "hostile-id.db"
    plan = tmp_path / "plan.yaml"
    plan.write_text("changes:\n  - change: person-leaves\n    id: " + json.dumps(HOSTILE_ID) + "\n", encoding="utf-8")
    page = tmp_path / "w.html"
    assert run(["whatif", "--store", f"sqlite:///{db}", "--as-of", AS_OF.isoformat(), "--changes", str(plan),
                "-x", str(page)]) == 0, capsys.readouterr().err
    text = page.read_text(encoding="utf-8")
    assert HOSTILE_ID not in text and "<img" not in text.split("<script>", 1)[0].split('id="aimap-data">', 1)[1]
    data = inlined(page)
    assert marked(data, "changed") == {HOSTILE_ID} and marked(data, "would appear") == {"i"}
    assert f"person-leaves {HOSTILE_ID}" in data["overlay"]["lines"]
