"""Exports: deterministic, faithful, and safe to open in a spreadsheet."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from graph.export import escape_cell, export_graphml, export_json, export_register
from graph.schema import Kind, Rel
from graph.store.sqlite_store import SQLiteStore
from importers.loader import import_paths

SOURCE = """\
teams:
  - {id: t1, name: '=HYPERLINK("http://evil","x")', type: business_unit}
systems:
  - {id: s1, name: "+cmd|' /C calc'!A0", owners: [t1, {id: t1, role: risk}], aliases: [crm, "@legacy"]}
  - {id: s2, name: Two, depends_on: s1, criticality: high}
"""


@pytest.fixture
def store(tmp_path):
    (tmp_path / "in.yaml").write_text(SOURCE, encoding="utf-8")
    with SQLiteStore(tmp_path / "t.db") as db:
        import_paths([tmp_path / "in.yaml"], db)
        yield db


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=x", "'\t=x"),
    ("-3.5", "-3.5"), ("plain", "plain"), (None, ""), (True, "true"), (["a", "b"], "a;b"),
])
def test_cells_that_would_be_formulas_are_escaped(value, cell):
    assert escape_cell(value) == cell


def test_csv_register_escapes_formulas_and_reimports(store, tmp_path):
    files = export_register(store, tmp_path / "out")
    teams = (tmp_path / "out" / "teams.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in teams and "\n=HYPERLINK" not in teams
    assert {p.name for p in files} >= {"teams.csv", "systems.csv", "relationships.csv"}
    with SQLiteStore(tmp_path / "copy.db") as copy:
        import_paths([tmp_path / "out"], copy)
        assert copy.counts() == store.counts()
        assert copy.get("s2").properties["criticality"] == "high"
        assert {r.properties["role"] for r in copy.relationships("s1", Rel.OWNS)} == {"accountable", "risk"}


def test_json_export_is_complete_and_deterministic(store):
    first, second = io.StringIO(), io.StringIO()
    export_json(store, first)
    export_json(store, second)
    assert first.getvalue() == second.getvalue()
    data = json.loads(first.getvalue())
    assert [n["id"] for n in data["nodes"]] == ["s1", "s2", "t1"]
    assert {(r["type"], r["from_id"], r["to_id"]) for r in data["relationships"]} >= {("DEPENDS_ON", "s2", "s1")}
    assert all(n["source"].endswith("in.yaml") for n in data["nodes"])


def test_graphml_reads_back_with_networkx(store, tmp_path):
    export_graphml(store, tmp_path / "g.graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == store.counts().total_relationships
    assert graph.nodes["s1"]["kind"] == Kind.SYSTEM.value and graph.nodes["s1"]["aliases"] == "crm;@legacy"


def test_graphml_with_nul_and_esc_in_names_stays_valid_xml(tmp_path):
    with SQLiteStore(tmp_path / "h.db") as db:
        (tmp_path / "h.json").write_text(json.dumps({"teams": [{"id": "t-esc", "name": "a\x1b[31mred\x00b"}]}))
        report = import_paths([tmp_path / "h.json"], db)
        assert report.written, report.problems
        escaped = export_graphml(db, tmp_path / "h.graphml")
        graph = nx.read_graphml(tmp_path / "h.graphml")  # raises on invalid XML
    assert escaped == 1
    assert graph.nodes["t-esc"]["name"] == "a\\x1b[31mred\\x00b"


def test_a_failed_export_leaves_the_destination_unchanged(store, tmp_path, monkeypatch):
    """A write that fails half-way (a full disk) leaves neither a truncated file
    nor an empty one behind: the old file stays, no temporary file remains."""
    import graph.export as export_module
    from graph.export import ExportError, write_json_file

    out = tmp_path / "out.json"
    out.write_text("previous export\n")
    register = tmp_path / "reg"
    register.mkdir()
    (register / "teams.csv").write_text("old teams\n")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "x"))

    monkeypatch.setattr(export_module, "_write_items", full_disk)
    with pytest.raises(ExportError, match="No space left on device; nothing was written"):
        write_json_file(store, out)
    monkeypatch.setattr(export_module, "_write_relationships", full_disk)
    with pytest.raises(ExportError, match="No space left on device"):
        export_register(store, register)
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert sorted(p.name for p in register.iterdir()) == ["teams.csv"]
    assert (register / "teams.csv").read_text() == "old teams\n"
