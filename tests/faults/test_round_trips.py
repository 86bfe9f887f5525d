"""Round trips (issue 13): what ``aimap export`` writes as JSON or as the CSV
register imports back to the same graph, hostile values included."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from graph.export import export_json, export_register
from graph.store.base import Store
from graph.store.sqlite_store import SQLiteStore
from importers.loader import import_paths

EXAMPLE = Path(__file__).resolve().parents[2] / "importers" / "example"
HOSTILE_NAMES = [
    '=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "'quoted", "''twice",
    "'=already", 'comma, "quotes" and ;semicolon', "two\nlines", "tab\there", "\u202eevil.exe", "🔥 :fire:",
    "[red]markup[/]", "esc \x1b[31m", "café", "-3.5",
]


def graph_of(store: Store) -> tuple[list, list]:
    """Identity, kind and properties of every node and relationship (provenance
    is left out: the copy records the file it was imported from)."""
    return ([(n.id, n.kind.value, n.properties) for n in store.iter_nodes()],
            [(r.type.value, r.from_id, r.to_id, r.properties) for r in store.iter_relationships()])


@pytest.fixture
def hostile_store(store: Store, tmp_path: Path) -> Store:
    teams = [{"id": f"team-{i:02}", "name": name, "type": "team", "description": name}
             for i, name in enumerate(HOSTILE_NAMES)]
    systems = [{"id": "sys-=1", "name": "=1+1", "owners": ["team-00", {"id": "team-01", "role": "risk"}],
                "aliases": ["@legacy", "-old"]},
               {"id": "sys-'q", "name": "'q", "depends_on": "sys-=1", "criticality": "high"}]
    metrics = [{"id": "m-1", "name": "Downtime", "type": "downtime", "baseline": -0.5, "target": 1e-9,
                "current": 12345678901234}]
    (tmp_path / "hostile.json").write_text(json.dumps({"teams": teams, "systems": systems, "metrics": metrics}),
                                           encoding="utf-8")
    import_paths(sorted(EXAMPLE.glob("[!e]*.yaml")) + [tmp_path / "hostile.json"], store)
    return store


def test_the_json_export_imports_back_to_the_same_graph(hostile_store: Store, tmp_path: Path) -> None:
    out = io.StringIO()
    export_json(hostile_store, out)
    (tmp_path / "export.json").write_text(out.getvalue(), encoding="utf-8")
    with SQLiteStore(tmp_path / "copy.db") as copy:
        report = import_paths([tmp_path / "export.json"], copy)
        assert not [group for group in report.problems if group.fatal]
        assert graph_of(copy) == graph_of(hostile_store)
        assert copy.get("team-13").properties["name"] == "esc \x1b[31m"


def test_the_csv_register_imports_back_to_the_same_graph(hostile_store: Store, tmp_path: Path) -> None:
    export_register(hostile_store, tmp_path / "register")
    with SQLiteStore(tmp_path / "copy.db") as copy:
        report = import_paths([tmp_path / "register"], copy)
        assert not [group for group in report.problems if group.fatal]
        assert graph_of(copy) == graph_of(hostile_store)
        assert copy.get("team-00").properties["name"] == '=HYPERLINK("http://evil","x")'
        assert copy.get("team-05").properties["name"] == "''twice"
