"""The same commands give the same answers on the embedded store and on Neo4j."""

from __future__ import annotations

import json

from api.cli.main import run
from graph.store.base import Store
from graph.store.sqlite_store import SQLiteStore
from importers.example import AS_OF

SOURCE = """\
teams:
  - {id: bu, name: "O'Brien & Co", type: business_unit}
systems:
  - {id: "s}) DETACH DELETE n //", name: "`weird` system", owners: bu}
  - {id: s2, name: Two, depends_on: "s}) DETACH DELETE n //"}
"""


def _url(store: Store, request, monkeypatch) -> str:
    if isinstance(store, SQLiteStore):
        return store.url
    server = request.getfixturevalue("neo4j_server")
    monkeypatch.setenv("NEO4J_USER", server["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", server["password"])
    return server["uri"]


def _json(capsys, argv: list[str]) -> dict:
    capsys.readouterr()
    assert run(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_import_and_stats(store, request, monkeypatch, tmp_path, capsys):
    url = _url(store, request, monkeypatch)
    (tmp_path / "in.yaml").write_text(SOURCE, encoding="utf-8")
    assert run(["import", str(tmp_path / "in.yaml"), "--store", url]) == 0
    stats = _json(capsys, ["stats", "--format", "json", "--store", url])
    assert stats["nodes"]["System"] == 2 and stats["relationships"]["DEPENDS_ON"] == 1
    again = _json(capsys, ["import", str(tmp_path / "in.yaml"), "--store", url, "--format", "json"])
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again["nodes"].values())
    assert store.get("s}) DETACH DELETE n //").name == "`weird` system"


def test_demo_then_analyze_gives_the_same_counts_and_findings_on_both_stores(store, request, monkeypatch,
                                                                             tmp_path, capsys):
    url = _url(store, request, monkeypatch)
    monkeypatch.chdir(tmp_path)
    assert run(["demo", "--store", url]) == 0
    stats = _json(capsys, ["stats", "--format", "json", "--store", url])
    findings = _json(capsys, ["analyze", "--format", "json", "--as-of", AS_OF.isoformat(), "--store", url])
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    monkeypatch.chdir(reference_dir)
    reference = "sqlite:///reference.db"
    assert run(["demo", "--store", reference]) == 0
    assert _json(capsys, ["stats", "--format", "json", "--store", reference]) == stats
    expected = _json(capsys, ["analyze", "--format", "json", "--as-of", AS_OF.isoformat(), "--store", reference])
    assert [f["id"] for f in findings["findings"]] == [f["id"] for f in expected["findings"]]
    assert len(findings["findings"]) > 0
