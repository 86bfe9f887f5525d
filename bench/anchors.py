"""The Neo4j anchors: how fast the same register loads without aimap.

What a careful person would write by hand, on the same CSV register and the
same server, each into an empty database with a uniqueness constraint on
``Entity.id`` (as aimap's store has):

* ``naive``: one auto-committed ``MERGE`` per record, the way a first script
  does it; run on a sample and extrapolated to the whole register (it would
  take hours at scale), and labelled so;
* ``unwind``: ``UNWIND $rows AS row MERGE …`` in transactions of 10,000 rows;
* ``load-csv``: the server reads the files itself, ``LOAD CSV … CALL { … } IN
  TRANSACTIONS OF 10000 ROWS`` (the files copied into its import directory).

The offline importer (``neo4j-admin database import full``) is the fourth
anchor; bench/run.py drives it through ``scripts/neo4j admin-import``.
Labels and types come from the schema (``Kind``, ``Rel``); values are parameters.
"""

from __future__ import annotations

import csv
import itertools
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase

from graph.schema import Kind, Rel, plural

BATCH = 10_000
WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def driver() -> Driver:
    """The server of the environment (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)."""
    return GraphDatabase.driver(os.environ["NEO4J_URI"],
                                auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"]))


def prepare(db: Driver) -> None:
    """An empty database with the constraint aimap's store keeps."""
    with db.session() as session:
        session.run(WIPE).consume()
        session.run("CREATE CONSTRAINT anchor_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE").consume()
        session.run("CALL db.awaitIndexes(300)").consume()


def node_files(folder: Path) -> Iterator[tuple[Kind, Path]]:
    for kind in Kind:
        path = folder / f"{plural(kind)}.csv"
        if path.is_file():
            yield kind, path


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _node_row(row: dict[str, str]) -> dict[str, Any]:
    return {"id": row["id"], "props": {k: v for k, v in row.items() if v not in ("", None)}}


def _rel_row(row: dict[str, str]) -> dict[str, Any]:
    return {"from": row["from_id"], "to": row["to_id"], "key": row.get("role") or "", "role": row.get("role") or None}


def node_merge(kind: Kind) -> str:
    return f"UNWIND $rows AS row MERGE (n:Entity {{id: row.id}}) SET n += row.props, n:{kind.value}"


def rel_merge(rel: Rel, match: str = "MATCH") -> str:
    return (f"UNWIND $rows AS row {match} (a:Entity {{id: row.from}}) {match} (b:Entity {{id: row.to}}) "
            f"MERGE (a)-[r:{rel.value} {{key: row.key}}]->(b) SET r.role = row.role")


def _by_type(folder: Path) -> dict[Rel, list[dict[str, Any]]]:
    rels: dict[Rel, list[dict[str, Any]]] = {}
    for row in _rows(folder / "relationships.csv"):
        rels.setdefault(Rel(row["type"]), []).append(_rel_row(row))
    return rels


def unwind(db: Driver, folder: Path) -> dict[str, Any]:
    """UNWIND … MERGE in transactions of BATCH rows: nodes, then relationships."""
    start = time.perf_counter()
    with db.session() as session:
        for kind, path in node_files(folder):
            rows = _rows(path)
            while batch := [_node_row(r) for r in itertools.islice(rows, BATCH)]:
                session.execute_write(lambda tx, q=node_merge(kind), b=batch: tx.run(q, rows=b).consume())
        for rel, rows_of_type in _by_type(folder).items():
            for offset in range(0, len(rows_of_type), BATCH):
                batch = rows_of_type[offset:offset + BATCH]
                session.execute_write(lambda tx, q=rel_merge(rel), b=batch: tx.run(q, rows=b).consume())
    return {"seconds": time.perf_counter() - start}


def load_csv(db: Driver, folder: Path, import_dir: Path) -> dict[str, Any]:
    """LOAD CSV from the server's import directory, IN TRANSACTIONS of BATCH rows."""
    target = import_dir / "anchor-register"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("*.db*", "admin"))
    start = time.perf_counter()
    with db.session() as session:
        for kind, path in node_files(folder):
            session.run(
                f"LOAD CSV WITH HEADERS FROM $url AS row CALL (row) {{ MERGE (n:Entity {{id: row.id}}) "
                f"SET n += row, n:{kind.value} }} IN TRANSACTIONS OF {BATCH} ROWS",
                url=f"file:///anchor-register/{path.name}").consume()
        for rel in Rel:
            session.run(
                f"LOAD CSV WITH HEADERS FROM $url AS row WITH row WHERE row.type = $type "
                f"CALL (row) {{ MATCH (a:Entity {{id: row.from_id}}) MATCH (b:Entity {{id: row.to_id}}) "
                f"MERGE (a)-[r:{rel.value} {{key: coalesce(row.role, '')}}]->(b) SET r.role = row.role }} "
                f"IN TRANSACTIONS OF {BATCH} ROWS",
                url="file:///anchor-register/relationships.csv", type=rel.value).consume()
    return {"seconds": time.perf_counter() - start}


def naive(db: Driver, folder: Path, sample: int) -> dict[str, Any]:
    """One auto-committed MERGE per record on ``sample`` nodes and ``sample``
    relationships spread over the register; extrapolated to all of it."""
    nodes = [(kind, _node_row(row)) for kind, path in node_files(folder) for row in _rows(path)]
    rels = [(Rel(row["type"]), _rel_row(row)) for row in _rows(folder / "relationships.csv")]
    node_sample = nodes[:: max(1, len(nodes) // sample)][:sample]
    rel_sample = rels[:: max(1, len(rels) // sample)][:sample]
    with db.session() as session:
        start = time.perf_counter()
        for kind, row in node_sample:
            session.run(node_merge(kind), rows=[row]).consume()
        node_seconds = time.perf_counter() - start
        start = time.perf_counter()
        for rel, row in rel_sample:
            session.run(rel_merge(rel, "MERGE"), rows=[row]).consume()
        rel_seconds = time.perf_counter() - start
    seconds = node_seconds * len(nodes) / len(node_sample) + rel_seconds * len(rels) / len(rel_sample)
    return {"seconds": seconds, "extrapolated": True, "sample_nodes": len(node_sample),
            "sample_relationships": len(rel_sample), "sample_seconds": node_seconds + rel_seconds}


def run(name: str, folder: Path, import_dir: Path | None, sample: int) -> dict[str, Any]:
    """Run the anchor ``name`` into an emptied database (emptying not timed)."""
    with driver() as db:
        prepare(db)
        if name == "unwind":
            return unwind(db, folder)
        if name == "load-csv":
            assert import_dir is not None, "load-csv needs the server's import directory"
            return load_csv(db, folder, import_dir)
        if name == "naive":
            return naive(db, folder, sample)
    raise SystemExit(f"unknown anchor {name!r}")
