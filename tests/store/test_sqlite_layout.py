"""The embedded store's file layout: a store written by an earlier layout opens
and reads the same after its migration."""

from __future__ import annotations

import sqlite3

from graph.schema import Kind, Rel
from graph.store.sqlite_store import SCHEMA_VERSION, SQLiteStore

LAYOUT_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, props TEXT NOT NULL,
    source TEXT NOT NULL, importer TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
CREATE INDEX nodes_by_kind ON nodes (kind, id);
CREATE TABLE rels (type TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, key TEXT NOT NULL,
    props TEXT NOT NULL, source TEXT NOT NULL, importer TEXT NOT NULL, first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL, PRIMARY KEY (type, src, dst, key));
CREATE INDEX rels_by_src ON rels (src);
CREATE INDEX rels_by_dst ON rels (dst);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO nodes VALUES ('s1', 'System', 'One', '{"name": "One"}', 'a.yaml', 'native', '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z');
INSERT INTO nodes VALUES ('s2', 'System', 'Two', '{"name": "Two"}', 'a.yaml', 'native', '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z');
INSERT INTO rels VALUES ('DEPENDS_ON', 's2', 's1', '', '{}', 'a.yaml', 'native', '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z');
"""


def test_a_layout_1_store_is_migrated_when_opened_and_reads_the_same(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(LAYOUT_1)
    store = SQLiteStore(path)
    assert [(r.type, r.from_id, r.to_id) for r in store.iter_relationships()] == [(Rel.DEPENDS_ON, "s2", "s1")]
    assert [n.id for n in store.iter_nodes(Kind.SYSTEM)] == ["s1", "s2"]
    assert store.neighbours("s1").relationships[0].from_id == "s2"
    store.close()
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(rels)")}
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert {"from_id", "to_id"} <= columns and not {"src", "dst"} & columns
    assert version == SCHEMA_VERSION
