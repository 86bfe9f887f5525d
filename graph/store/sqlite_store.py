"""The embedded store: one SQLite file in WAL mode, nothing to install.

Properties are kept as JSON; identity and provenance as columns. All writes of
one ``upsert`` happen in a single transaction, so a failed import leaves the
file as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import StoreError, StoreMissing
from graph.records import NodeRecord, PendingRecord, RelRecord, timestamp
from graph.schema import Kind, Rel
from graph.store.base import Counts, Direction, Store

SCHEMA_VERSION = "1"

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    props TEXT NOT NULL,
    source TEXT NOT NULL,
    importer TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_by_kind ON nodes (kind, id);
CREATE TABLE IF NOT EXISTS rels (
    type TEXT NOT NULL,
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    key TEXT NOT NULL,
    props TEXT NOT NULL,
    source TEXT NOT NULL,
    importer TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (type, src, dst, key)
);
CREATE INDEX IF NOT EXISTS rels_by_src ON rels (src);
CREATE INDEX IF NOT EXISTS rels_by_dst ON rels (dst);
CREATE TABLE IF NOT EXISTS pending (
    type TEXT NOT NULL,
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    key TEXT NOT NULL,
    props TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER,
    source TEXT NOT NULL,
    importer TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (type, src, dst, key)
);
"""

# Properties merge (RFC 7396 via json_patch): what a record states overwrites,
# what it leaves out is kept, so a second source adds to the first.
_UPSERT_NODE = """
INSERT INTO nodes (id, kind, name, props, source, importer, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,
  name = coalesce(json_extract(excluded.props, '$.name'), nodes.name),
  props = json_patch(nodes.props, excluded.props), source = excluded.source,
  importer = excluded.importer, last_seen = excluded.last_seen"""
_UPSERT_REL = """
INSERT INTO rels (type, src, dst, key, props, source, importer, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, src, dst, key) DO UPDATE SET props = json_patch(rels.props, excluded.props),
  source = excluded.source, importer = excluded.importer, last_seen = excluded.last_seen"""

# A pending reference (graph.records.PendingRecord): a table of its own, apart
# from rels, so no read of the graph sees a relationship with a missing end.
_UPSERT_PENDING = """
INSERT INTO pending (type, src, dst, key, props, file, line, source, importer, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, src, dst, key) DO UPDATE SET props = excluded.props,
  file = excluded.file, line = excluded.line, source = excluded.source, importer = excluded.importer,
  last_seen = excluded.last_seen"""
_DELETE_PENDING = "DELETE FROM pending WHERE type = ? AND src = ? AND dst = ? AND key = ?"
_PENDING_COLUMNS = "type, src, dst, props, file, line, source, importer, first_seen, last_seen"

_NODE_COLUMNS = "id, kind, props, source, importer, first_seen, last_seen"
_REL_COLUMNS = "type, src, dst, props, source, importer, first_seen, last_seen"
_REL_ORDER = "ORDER BY type, src, dst, key"
_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


def _chunks(items: list[str], size: int = _CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _node(row: tuple) -> NodeRecord:
    node_id, kind, props, source, importer, first_seen, last_seen = row
    return NodeRecord(Kind(kind), node_id, json.loads(props), source, importer, first_seen, last_seen)


def _rel(row: tuple) -> RelRecord:
    rel_type, src, dst, props, source, importer, first_seen, last_seen = row
    return RelRecord(Rel(rel_type), src, dst, json.loads(props), source, importer, first_seen, last_seen)


def _pending(row: tuple) -> PendingRecord:
    rel_type, src, dst, props, file, line, source, importer, first_seen, last_seen = row
    return PendingRecord(Rel(rel_type), src, dst, json.loads(props), file, line, source, importer,
                         first_seen, last_seen)


def _folded_contains(text: str | None, part: str) -> bool:
    return isinstance(text, str) and part in text.lower()


class SQLiteStore(Store):
    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        if not self.path.exists():
            if not create:
                raise StoreMissing(f"no store at {self.path}: import something first (aimap import, or aimap demo)")
            if not self.path.parent.is_dir():
                raise StoreError(f"cannot create the store {self.path}: the folder {self.path.parent} does not exist")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=OFF")
            # SQLite's lower() folds ASCII only and LIKE stops at a NUL character;
            # search matches like Neo4j's toLower(…) CONTAINS toLower(…).
            self._db.create_function("folded_contains", 2, _folded_contains, deterministic=True)
            self._db.executescript(_DDL)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc} (is it an aimap database?)") from exc

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} has layout version {row[0]}, this aimap reads {SCHEMA_VERSION}: "
                "export it with the aimap that wrote it, or start a new store"
            )

    # -- writing -----------------------------------------------------------
    def upsert(self, nodes: Iterable[NodeRecord], relationships: Iterable[RelRecord], seen_at: dt.datetime,
               pending: Iterable[PendingRecord] = (), resolved: Iterable[tuple[str, str, str, str]] = ()) -> None:
        now = timestamp(seen_at)
        cursor = self._db.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(_UPSERT_NODE, (
                (node.id, node.kind.value, node.properties.get("name") or node.id,
                 json.dumps(node.properties, sort_keys=True, ensure_ascii=False),
                 node.source, node.importer, now, now)
                for node in nodes))
            cursor.executemany(_UPSERT_REL, (
                (rel.type.value, rel.source_id, rel.target_id, rel.key,
                 json.dumps(rel.properties, sort_keys=True, ensure_ascii=False),
                 rel.source, rel.importer, now, now)
                for rel in relationships))
            cursor.executemany(_DELETE_PENDING, (tuple(identity) for identity in resolved))
            cursor.executemany(_UPSERT_PENDING, (
                (ref.type.value, ref.source_id, ref.target_id, ref.key,
                 json.dumps(ref.properties, sort_keys=True, ensure_ascii=False),
                 ref.file, ref.line, ref.source, ref.importer, now, now)
                for ref in pending))
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise

    def delete(self, ids: Iterable[str]) -> int:
        wanted = sorted(set(ids))
        deleted = 0
        cursor = self._db.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            for chunk in _chunks(wanted):
                marks = ",".join("?" * len(chunk))
                cursor.execute(f"DELETE FROM rels WHERE src IN ({marks}) OR dst IN ({marks})", chunk + chunk)
                cursor.execute(f"DELETE FROM pending WHERE src IN ({marks}) OR dst IN ({marks})", chunk + chunk)
                deleted += cursor.execute(f"DELETE FROM nodes WHERE id IN ({marks})", chunk).rowcount
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        return deleted

    def clear(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("DELETE FROM rels")
        self._db.execute("DELETE FROM nodes")
        self._db.execute("DELETE FROM pending")
        self._db.execute("COMMIT")

    # -- reading -----------------------------------------------------------
    def get_many(self, ids: Iterable[str]) -> dict[str, NodeRecord]:
        found: dict[str, NodeRecord] = {}
        for chunk in _chunks(sorted(set(ids))):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"SELECT {_NODE_COLUMNS} FROM nodes WHERE id IN ({marks})", chunk):
                found[row[0]] = _node(row)
        return found

    def list_nodes(self, kind: Kind | None = None, limit: int = 100, offset: int = 0) -> list[NodeRecord]:
        where, params = ("WHERE kind = ?", [kind.value]) if kind else ("", [])
        rows = self._db.execute(
            f"SELECT {_NODE_COLUMNS} FROM nodes {where} ORDER BY id LIMIT ? OFFSET ?", [*params, limit, offset]
        )
        return [_node(row) for row in rows]

    def search(self, text: str, kind: Kind | None = None, limit: int = 50) -> list[NodeRecord]:
        part = text.lower()
        sql = f"SELECT {_NODE_COLUMNS} FROM nodes WHERE (folded_contains(id, ?) OR folded_contains(name, ?))"
        params: list = [part, part]
        if kind:
            sql += " AND kind = ?"
            params.append(kind.value)
        rows = self._db.execute(sql + " ORDER BY id LIMIT ?", [*params, limit])
        return [_node(row) for row in rows]

    def relationships(self, node_id: str | None = None, type: Rel | None = None,
                      direction: Direction = "both") -> list[RelRecord]:
        clauses, params = [], []
        if node_id is not None:
            ends = {"out": "src = ?", "in": "dst = ?", "both": "(src = ? OR dst = ?)"}[direction]
            clauses.append(ends)
            params += [node_id] * ends.count("?")
        if type is not None:
            clauses.append("type = ?")
            params.append(type.value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(f"SELECT {_REL_COLUMNS} FROM rels {where} {_REL_ORDER}", params)
        return [_rel(row) for row in rows]

    def relationships_touching(self, ids: list[str], direction: Direction,
                               types: list[str] | None) -> Iterator[RelRecord]:
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            ends = {"out": f"src IN ({marks})", "in": f"dst IN ({marks})",
                    "both": f"(src IN ({marks}) OR dst IN ({marks}))"}[direction]
            params = chunk * (2 if direction == "both" else 1)
            if types:
                ends += f" AND type IN ({','.join('?' * len(types))})"
                params = params + types
            for row in self._db.execute(f"SELECT {_REL_COLUMNS} FROM rels WHERE {ends}", params):
                yield _rel(row)

    def iter_nodes(self, kind: Kind | None = None) -> Iterator[NodeRecord]:
        where, params = ("WHERE kind = ?", [kind.value]) if kind else ("", [])
        for row in self._db.execute(f"SELECT {_NODE_COLUMNS} FROM nodes {where} ORDER BY id", params):
            yield _node(row)

    def iter_relationships(self, type: Rel | None = None) -> Iterator[RelRecord]:
        where, params = ("WHERE type = ?", [type.value]) if type else ("", [])
        for row in self._db.execute(f"SELECT {_REL_COLUMNS} FROM rels {where} {_REL_ORDER}", params):
            yield _rel(row)

    def aliases(self) -> dict[str, str]:
        rows = self._db.execute(
            "SELECT id, json_extract(props, '$.aliases') FROM nodes "
            "WHERE json_extract(props, '$.aliases') IS NOT NULL ORDER BY id")
        return {alias: node_id for node_id, listed in rows for alias in json.loads(listed)}

    def pending_references(self) -> list[PendingRecord]:
        rows = self._db.execute(f"SELECT {_PENDING_COLUMNS} FROM pending ORDER BY type, src, dst, key")
        return [_pending(row) for row in rows]

    def counts(self) -> Counts:
        nodes = {kind: 0 for kind in Kind}
        for kind, count in self._db.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"):
            nodes[Kind(kind)] = count
        rels = {rel: 0 for rel in Rel}
        for rel, count in self._db.execute("SELECT type, count(*) FROM rels GROUP BY type"):
            rels[Rel(rel)] = count
        return Counts(nodes, rels)

    def close(self) -> None:
        self._db.close()
