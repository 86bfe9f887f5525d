"""The bulk path (neo4j-admin import) gives the graph a normal import gives."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import write_register
from graph.analyses import AnalysisConfig, run_analysis
from graph.store import open_store
from graph.store.neo4j_bulk import bulk_load, write_admin_files
from graph.synthetic import generate_enterprise
from importers.loader import import_paths

LAUNCHER = Path(__file__).resolve().parents[2] / "scripts" / "neo4j"


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("register")
    enterprise = generate_enterprise(600, seed=3)
    write_register(folder, enterprise.nodes, enterprise.relationships)
    return folder


def _content(records: list) -> list[tuple]:
    """Records without their timestamps (two imports happen at two moments)."""
    return sorted((repr(getattr(r, "kind", getattr(r, "type", None))), getattr(r, "id", None),
                   getattr(r, "from_id", None), getattr(r, "to_id", None), sorted(r.properties.items()),
                   r.source, r.importer) for r in records)


def test_admin_files_carry_the_neo4j_store_layout(register: Path, tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        import_paths(sorted(register.glob("*.csv")), store)
        files = write_admin_files(store, tmp_path)
        nodes = store.counts().total_nodes
    headers = {path.name: next(csv.reader(path.open(encoding="utf-8"))) for path in files.nodes + files.relationships}
    entity_files = [h for name, h in headers.items() if name.startswith("nodes-")]
    assert all(h[:2] == ["id:ID", ":LABEL"] and {"source", "importer", "first_seen", "last_seen"} <= set(h)
               for h in entity_files)
    assert any("friction:long" in h for h in entity_files) and any("repetitive:boolean" in h for h in entity_files)
    assert all(h[:4] == [":START_ID", ":END_ID", ":TYPE", "key"] for name, h in headers.items()
               if name.startswith("rels-"))
    assert files.counts["nodes"] == nodes and files.counts["meta"] == 1 and files.counts["claims"] > 0


@pytest.mark.neo4j
@pytest.mark.skipif(os.environ.get("AIMAP_SKIP_NEO4J") == "1", reason="AIMAP_SKIP_NEO4J=1")
def test_bulk_load_then_aimap_reads_the_same_graph_and_findings(register: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state.json"
    started = subprocess.run([sys.executable, str(LAUNCHER), "start", "--state", str(state)],
                             capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert started.returncode == 0, started.stderr
    values = dict(line.split("=", 1) for line in started.stdout.splitlines())
    try:
        bulk_load(sorted(register.glob("*.csv")), state)
        config = AnalysisConfig(as_of=generate_enterprise(600, seed=3).as_of)
        with open_store(f"sqlite:///{tmp_path / 'ref.db'}") as reference:
            import_paths(sorted(register.glob("*.csv")), reference)
            expected = run_analysis(reference.to_networkx(), config)
            nodes, rels = list(reference.iter_nodes()), list(reference.iter_relationships())
            claims = len(reference.claims()) + len(reference.relationship_claims())
        monkeypatch.setenv("NEO4J_USER", "neo4j")
        monkeypatch.setenv("NEO4J_PASSWORD", values["NEO4J_PASSWORD"].strip("'"))
        with open_store(values["NEO4J_URI"]) as loaded:
            assert [f.id for f in run_analysis(loaded.to_networkx(), config).findings] == \
                [f.id for f in expected.findings]
            assert _content(list(loaded.iter_nodes())) == _content(nodes)
            assert _content(list(loaded.iter_relationships())) == _content(rels)
            assert len(loaded.claims()) + len(loaded.relationship_claims()) == claims
            again = import_paths(sorted(register.glob("*.csv")), loaded)
            assert sum(c.created + c.updated for c in again.nodes.values()) == 0
            assert sum(c.created + c.updated for c in again.relationships.values()) == 0
    finally:
        subprocess.run([sys.executable, str(LAUNCHER), "stop", "--state", str(state)], capture_output=True)
