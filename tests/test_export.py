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


def previous_graphml(store, path) -> int:
    """The GraphML writer before streaming: a networkx graph of the records,
    written by networkx. The streamed export must give the same bytes."""
    from graph.export import LIST_SEPARATOR, REL_ENDS
    from graph.graphml import XML_ILLEGAL, xml_safe

    escaped = 0

    def _graphml_attributes(values, skip):
        return {key: LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else value
                for key, value in values.items() if key not in skip and value is not None}

    def safe(value):
        nonlocal escaped
        if isinstance(value, str) and XML_ILLEGAL.search(value):
            escaped += 1
            return xml_safe(value)
        return value

    graph = nx.MultiDiGraph()
    for node in store.iter_nodes():
        graph.add_node(safe(node.id), **{k: safe(v) for k, v in _graphml_attributes(node.as_dict(), {"id"}).items()})
    for rel in store.iter_relationships():
        graph.add_edge(safe(rel.from_id), safe(rel.to_id), key=rel.type.value + (f":{rel.key}" if rel.key else ""),
                       **{k: safe(v) for k, v in _graphml_attributes(rel.as_dict(), set(REL_ENDS)).items()})
    nx.write_graphml(graph, path, encoding="utf-8")
    return escaped


def awkward_records():
    """Records no import would write but a store holds as they are: XML's
    special characters, controls, empty text, an int and a float in one
    property, parallel owners, a source with relationships of several types."""
    from graph.records import NodeRecord, RelRecord

    nodes = [
        NodeRecord(Kind.TEAM, "t-amp", {"name": 'A & B <"quoted"> \'x\'', "type": "business_unit"}, "a.yaml", "native"),
        NodeRecord(Kind.TEAM, "t-esc", {"name": "a\x1b[31mred\x00b\ttab\nline\r"}, "a.yaml", "native"),
        NodeRecord(Kind.TEAM, 't"odd <id> & more', {"name": ""}, "a.yaml", "native"),
        NodeRecord(Kind.PERSON, "p-1", {"name": "Zoë", "active": False}, "a.yaml", "native"),
        NodeRecord(Kind.SYSTEM, "s-z", {"name": "Zed"}, "a.yaml", "native"),
        NodeRecord(Kind.SYSTEM, "s-a", {"name": "Aye", "aliases": ["x", "y"]}, "a.yaml", "native"),
        NodeRecord(Kind.WORKFLOW, "wf-1", {"name": "Flow", "friction": 3, "volume": 12.5, "repetitive": True},
                   "a.yaml", "native"),
        NodeRecord(Kind.WORKFLOW, "wf-2", {"name": "Flow two", "friction": 5, "volume": 7}, "a.yaml", "native"),
    ]
    rels = [RelRecord(Rel.PART_OF, "t-esc", "t-amp"), RelRecord(Rel.PART_OF, 't"odd <id> & more', "t-amp"),
            RelRecord(Rel.MEMBER_OF, "p-1", "t-esc"), RelRecord(Rel.MEMBER_OF, "p-1", "t-amp"),
            RelRecord(Rel.OWNS, "t-amp", "s-z", {"role": "accountable"}),
            RelRecord(Rel.OWNS, "t-esc", "s-z", {"role": "risk"}), RelRecord(Rel.OWNS, "t-esc", "s-z", {"role": "accountable"}),
            RelRecord(Rel.OWNS, "t-esc", "s-a", {"role": "accountable"}), RelRecord(Rel.OWNS, "t-amp", "wf-1", {"role": "accountable"}),
            RelRecord(Rel.DEPENDS_ON, "s-a", "s-z"), RelRecord(Rel.USES, "wf-1", "s-z"), RelRecord(Rel.USES, "wf-1", "s-a"),
            RelRecord(Rel.USES, "wf-2", "s-a")]
    for rel in rels:
        rel.source, rel.importer = "a.yaml", "native"
    return nodes, rels


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_graphml_is_streamed_with_the_bytes_networkx_wrote(kind, request, tmp_path):
    """Awkward values (XML's special characters, controls, empty text, parallel
    owners, int and float in one property) and a generated enterprise, on both stores."""
    from graph.synthetic import generate_enterprise, load_into

    store = request.getfixturevalue(f"{kind}_store")
    load_into(store, *awkward_records())
    enterprise = generate_enterprise(600, seed=3)
    load_into(store, enterprise.nodes, enterprise.relationships)
    assert export_graphml(store, tmp_path / "streamed.graphml") == previous_graphml(store, tmp_path / "nx.graphml") > 0
    streamed, before = (tmp_path / "streamed.graphml").read_bytes(), (tmp_path / "nx.graphml").read_bytes()
    assert len(streamed) > 100_000
    assert streamed == before


def test_graphml_of_an_empty_store(tmp_path):
    with SQLiteStore(tmp_path / "e.db") as db:
        export_graphml(db, tmp_path / "streamed.graphml")
        previous_graphml(db, tmp_path / "nx.graphml")
    assert (tmp_path / "streamed.graphml").read_bytes() == (tmp_path / "nx.graphml").read_bytes()
