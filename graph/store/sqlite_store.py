"""The embedded store: one SQLite file in WAL mode, nothing to install.

Properties are kept as JSON; identity and provenance as columns. All writes of
one ``upsert`` happen in a single transaction, so a failed import leaves the
file as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from graph.claims import Claim, RelClaim, node_claims, rel_claims
from graph.errors import StoreBusy, StoreError, StoreMissing, UnstorableValue
from graph.records import NodeRecord, PendingRecord, RelRecord, timestamp
from graph.schema import REL_SPECS, Kind, Rel
from graph.store.base import ACCOUNTABLE_KEYS, Counts, Direction, Store
from graph.store.projection import NodeAttributes, TypedRows, attributes, kind_defaults

SCHEMA_VERSION = "2"
"""2: a relationship's ends are the columns ``from_id`` and ``to_id`` (1 named them
``src`` and ``dst``); a layout-1 store is migrated when opened."""
log = logging.getLogger(__name__)

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
    from_id TEXT NOT NULL,
    to_id TEXT NOT NULL,
    key TEXT NOT NULL,
    props TEXT NOT NULL,
    source TEXT NOT NULL,
    importer TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (type, from_id, to_id, key)
);
CREATE INDEX IF NOT EXISTS rels_by_src ON rels (from_id);
CREATE INDEX IF NOT EXISTS rels_by_dst ON rels (to_id);
CREATE TABLE IF NOT EXISTS pending (
    type TEXT NOT NULL,
    from_id TEXT NOT NULL,
    to_id TEXT NOT NULL,
    key TEXT NOT NULL,
    props TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER,
    source TEXT NOT NULL,
    importer TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (type, from_id, to_id, key)
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
INSERT INTO rels (type, from_id, to_id, key, props, source, importer, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, from_id, to_id, key) DO UPDATE SET props = json_patch(rels.props, excluded.props),
  source = excluded.source, importer = excluded.importer, last_seen = excluded.last_seen"""

_TABLES = frozenset({"meta", "nodes", "rels", "pending", "claims", "rel_claims"})
"""The tables of a current store; an older file gains the missing ones when opened."""

# Per-source claims (graph.claims): a claim keeps the latest thing its source
# said, and its first_seen moves only when the value changes.
_CLAIMS_DDL = (
    """CREATE TABLE IF NOT EXISTS claims (
    entity TEXT NOT NULL, field TEXT NOT NULL, source TEXT NOT NULL, value TEXT NOT NULL,
    importer TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    PRIMARY KEY (entity, field, source))""",
    """CREATE TABLE IF NOT EXISTS rel_claims (
    type TEXT NOT NULL, from_id TEXT NOT NULL, to_id TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL,
    importer TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    PRIMARY KEY (type, from_id, to_id, key, source))""",
)
_UPSERT_CLAIM = """
INSERT INTO claims (entity, field, value, source, importer, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (entity, field, source) DO UPDATE SET
  first_seen = CASE WHEN claims.value = excluded.value THEN claims.first_seen ELSE excluded.first_seen END,
  value = excluded.value, importer = excluded.importer, last_seen = excluded.last_seen
WHERE excluded.last_seen >= claims.last_seen"""
# The claims that can disagree (Store.disputed_claims, Store.disputed_relationship_claims),
# grouped over the primary keys' indexes rather than read whole.
_CLAIM_COLUMNS = "entity, field, value, source, importer, first_seen, last_seen"
_REL_CLAIM_COLUMNS = "type, from_id, to_id, key, source, importer, first_seen, last_seen"
_DISPUTED_CLAIMS = (
    f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE (entity, field) IN "
    "(SELECT entity, field FROM claims GROUP BY entity, field HAVING count(DISTINCT value) > 1) "
    "ORDER BY entity, field, source")
_ACCOUNTABLE_OWNS = f"type = ?1 AND key IN ({', '.join(f'?{n + 2}' for n in range(len(ACCOUNTABLE_KEYS)))})"
_DISPUTED_REL_CLAIMS = (  # parameters: the OWNS type, then the accountable keys
    f"SELECT {_REL_CLAIM_COLUMNS} FROM rel_claims WHERE (type, from_id, to_id, key) IN "
    "(SELECT type, from_id, to_id, key FROM rel_claims GROUP BY type, from_id, to_id, key HAVING count(*) > 1) "
    f"UNION SELECT {_REL_CLAIM_COLUMNS} FROM rel_claims WHERE {_ACCOUNTABLE_OWNS} AND to_id IN "
    f"(SELECT to_id FROM rel_claims WHERE {_ACCOUNTABLE_OWNS} GROUP BY to_id HAVING count(DISTINCT source) > 1) "
    "ORDER BY type, from_id, to_id, key, source")
_UPSERT_REL_CLAIM = """
INSERT INTO rel_claims (type, from_id, to_id, key, source, importer, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, from_id, to_id, key, source) DO UPDATE SET importer = excluded.importer, last_seen = excluded.last_seen
WHERE excluded.last_seen >= rel_claims.last_seen"""
_BUMP_REVISION = ("INSERT INTO meta VALUES ('revision', '1') "
                  "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
_FIRST_WAIT_MS = 200  # a short wait before saying that another writer holds the store
_WRITE_TIMEOUT = 60.0  # seconds a writer waits for another before giving up


def _default_write_timeout() -> float:
    """``AIMAP_WRITE_TIMEOUT`` seconds, else 60."""
    try:
        return max(float(os.environ.get("AIMAP_WRITE_TIMEOUT", "")), 0.0)
    except ValueError:
        return _WRITE_TIMEOUT


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


_INT64 = (-(2**63), 2**63 - 1)


def _described(record: NodeRecord | RelRecord) -> str:
    """A record as an error names it (made only for an error: 600,000 reprs took a second)."""
    return f"node {record.id!r}" if isinstance(record, NodeRecord) else f"relationship {record.identity!r}"


def _props_json(props: dict, record: NodeRecord | RelRecord) -> str:
    """Properties as JSON, refusing what Neo4j could not keep either (an
    integer past 64 bits; SQLite's JSON would turn it into an inexact real)."""
    for key, value in props.items():
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, int) and not isinstance(item, bool) and not _INT64[0] <= item <= _INT64[1]:
                raise ValueError(f"{_described(record)}: property {key!r}: integer {item} does not fit in 64 bits")
    return json.dumps(props, sort_keys=True, ensure_ascii=False, allow_nan=False)


_JSON_OF_FLAT: dict[tuple, str] = {}
"""The JSON of flat property dicts seen before, by their items and types:
relationships' properties take a handful of values (a role, or none), and
dumping each of 500,000 cost seconds."""


def _rel_props_json(props: dict, rel: RelRecord) -> str:
    """``_props_json`` of a relationship's properties, remembered when they are
    flat text (a role): the key holds each value's type, so 1, 1.0 and True
    never share an entry."""
    if not props:
        return "{}"
    key = tuple((name, type(value), value) for name, value in props.items())
    try:
        return _JSON_OF_FLAT[key]
    except KeyError:
        text = _props_json(props, rel)
        if len(_JSON_OF_FLAT) < 1024 and all(type(value) is str for _, _, value in key):
            _JSON_OF_FLAT[key] = text
        return text
    except TypeError:  # a list value: not hashable, not remembered
        return _props_json(props, rel)


def _is_full(exc: sqlite3.Error) -> bool:
    return "disk is full" in str(exc) or getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


def _is_read_only(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return "readonly" in text or "read-only" in text or "unable to open database file" in text


def _writable(path: Path) -> bool:
    """Whether SQLite can write the file and create its -wal and -shm files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a store that cannot be written. A WAL store
    needs its -shm file, which a read-only folder cannot hold: then the file
    is opened as immutable (nobody can be writing to it there)."""
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(f"cannot read the store {path}: it is read-only and its last writes are still in "
                         f"{wal.name} (the last writer did not close it); open it once where it can be written")
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False)


# A pending reference (graph.records.PendingRecord): a table of its own, apart
# from rels, so no read of the graph sees a relationship with a missing end.
_UPSERT_PENDING = """
INSERT INTO pending (type, from_id, to_id, key, props, file, line, source, importer, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, from_id, to_id, key) DO UPDATE SET props = excluded.props,
  file = excluded.file, line = excluded.line, source = excluded.source, importer = excluded.importer,
  last_seen = excluded.last_seen"""
_DELETE_PENDING = "DELETE FROM pending WHERE type = ? AND from_id = ? AND to_id = ? AND key = ?"
_PENDING_COLUMNS = "type, from_id, to_id, props, file, line, source, importer, first_seen, last_seen"

_NODE_COLUMNS = "id, kind, props, source, importer, first_seen, last_seen"
_REL_COLUMNS = "type, from_id, to_id, props, source, importer, first_seen, last_seen"
_REL_ORDER = "ORDER BY type, from_id, to_id, key"
_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


def _chunks(items: list[str], size: int = _CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _node(row: tuple) -> NodeRecord:
    node_id, kind, props, source, importer, first_seen, last_seen = row
    return NodeRecord(Kind(kind), node_id, json.loads(props), source, importer, first_seen, last_seen)


def _rel(row: tuple) -> RelRecord:
    rel_type, from_id, to_id, props, source, importer, first_seen, last_seen = row
    return RelRecord(Rel(rel_type), from_id, to_id, json.loads(props), source, importer, first_seen, last_seen)


def _pending(row: tuple) -> PendingRecord:
    rel_type, from_id, to_id, props, file, line, source, importer, first_seen, last_seen = row
    return PendingRecord(Rel(rel_type), from_id, to_id, json.loads(props), file, line, source, importer,
                         first_seen, last_seen)


def _folded_contains(text: str | None, part: str) -> bool:
    return isinstance(text, str) and part in text.lower()


class SQLiteStore(Store):
    """One file, safe to share between threads and processes.

    Each thread gets its own connection (SQLite connections must not run two
    transactions at once), and every write is one ``BEGIN IMMEDIATE`` …
    ``COMMIT``: SQLite lets one writer in at a time, across threads and
    processes alike, while readers keep reading the last committed state (WAL).
    A writer that finds another one at work waits up to ``write_timeout``
    seconds, says so through ``logging``, and then gives up with a
    ``StoreBusy`` error that names the wait; nothing is half written either way.
    """

    def __init__(self, path: str | Path, create: bool = True, write_timeout: float | None = None):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.write_timeout = write_timeout if write_timeout is not None else _default_write_timeout()
        self._in_memory = str(path) == ":memory:"
        self.created = False
        """True when this object made the file (an import that is then refused removes it)."""
        self.read_only = False
        """Opened for reading only: the file or its folder cannot be written (a read-only mount)."""
        if not self._in_memory and not self.path.exists():
            if not create:
                raise StoreMissing(f"no store at {self.path}: import something first (aimap import, or aimap demo)")
            if not self.path.parent.is_dir():
                raise StoreError(f"cannot create the store {self.path}: the folder {self.path.parent} does not exist")
            self.created = True
        elif not self._in_memory and self.path.is_dir():
            raise StoreError(f"cannot open the store {self.path}: it is a folder; name a file: sqlite:///PATH.db")
        elif not self._in_memory and not create and not _writable(self.path):
            self.read_only = True
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        # An in-memory database lives in one connection: every thread shares it,
        # one at a time (it is only used to check a dry run).
        self._shared: sqlite3.Connection | None = None
        self._shared_lock = threading.RLock()
        try:
            self._prepare(self._db)
        except StoreError:
            self.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            if _is_read_only(exc):
                raise StoreError(f"cannot write to the store {self.path}: the file or its folder is read-only "
                                 "(reading commands still work)") from exc
            hint = "" if _is_full(exc) else " (is it an aimap database?)"
            raise StoreError(f"cannot open the store {self.path}: {exc}{hint}") from exc

    def _connect(self) -> sqlite3.Connection:
        if self._in_memory and self._shared is not None:
            return self._shared
        if self.read_only:
            db = _connect_read_only(self.path)
        else:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout={_FIRST_WAIT_MS}")
            # WAL mode is set once, by _prepare, and only on a file that is an aimap store.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=OFF")
            # SQLite's lower() folds ASCII only and LIKE stops at a NUL character;
            # search matches like Neo4j's toLower(…) CONTAINS toLower(…).
            db.create_function("folded_contains", 2, _folded_contains, deterministic=True)
        except BaseException:
            db.close()
            raise
        with self._connections_lock:
            self._connections.append(db)
        if self._in_memory:
            self._shared = db
        return db

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        if self._in_memory:
            return self._shared or self._connect()
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Create the tables in a new file (one write transaction); only read an
        existing store, so opening one for reading never waits for a writer. A
        database that holds other tables is not ours, and is left untouched."""
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path} is an SQLite database but not an aimap store "
                             f"(it holds {', '.join(sorted(tables)[:3])}…): it was left untouched; "
                             "point --store at another file")
        if "meta" in tables:
            if self._layout(db) == "1":
                self._migrate_from_layout_1(db, tables)
            self._check_version(db)
            if _TABLES <= tables:
                self._use_wal(db)
                return
        if self.read_only:
            raise StoreError(f"cannot write to the store {self.path}: the file or its folder is read-only "
                             "(and it lacks tables this aimap needs)")
        self._use_wal(db)
        with self._write_transaction(db) as cursor:  # a new store, or one from before a table was added
            for statement in [*_DDL.split(";"), *_CLAIMS_DDL]:
                if statement.strip():
                    cursor.execute(statement)
            cursor.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        self._check_version(db)

    @staticmethod
    def _layout(db: sqlite3.Connection) -> str | None:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return row[0] if row else None

    def _migrate_from_layout_1(self, db: sqlite3.Connection, tables: set[str]) -> None:
        """Rename the ``src``/``dst`` columns of layout 1 to ``from_id``/``to_id``,
        in one transaction (indexes follow the columns)."""
        with self._write_transaction(db) as cursor:
            if self._layout(db) != "1":
                return  # another process migrated it while this one waited
            for table in sorted(tables & {"rels", "pending", "rel_claims"}):
                columns = {row[1] for row in cursor.execute(f"PRAGMA table_info({table})")}
                for old, new in (("src", "from_id"), ("dst", "to_id")):
                    if old in columns:
                        cursor.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")
            cursor.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
        log.info("migrated the store %s to layout %s", self.path, SCHEMA_VERSION)

    def _use_wal(self, db: sqlite3.Connection) -> None:
        if not self._in_memory and not self.read_only:
            db.execute("PRAGMA journal_mode=WAL")

    def _check_version(self, db: sqlite3.Connection) -> None:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            raise StoreError(f"{self.path} is not an aimap store (its meta table has no schema_version)")
        if row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} has layout version {row[0]}, this aimap reads {SCHEMA_VERSION}: "
                "export it with the aimap that wrote it, or start a new store"
            )

    @contextmanager
    def _write_transaction(self, db: sqlite3.Connection | None = None) -> Iterator[sqlite3.Cursor]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` on this thread's connection, the
        revision bumped inside it; rolled back on any exception. The wait for
        another writer is bounded and logged; the error says which."""
        db = db or self._db
        lock = self._shared_lock if self._in_memory else nullcontext()
        with lock:
            cursor = db.cursor()
            self._begin(cursor)
            try:
                yield cursor
                cursor.execute(_BUMP_REVISION)
                cursor.execute("COMMIT")
            except BaseException as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise self._write_error(exc) from exc
                raise

    def _begin(self, cursor: sqlite3.Cursor) -> None:
        try:
            cursor.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise self._write_error(exc) from exc
        log.warning("the store %s is busy with another writer: waiting up to %g s", self.path, self.write_timeout)
        started = time.monotonic()
        cursor.execute(f"PRAGMA busy_timeout={max(int(self.write_timeout * 1000), 1)}")
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy(
                    f"the store {self.path} is busy: another aimap has been writing to it for more than "
                    f"{self.write_timeout:g} s (waited {time.monotonic() - started:.0f} s); nothing was written, "
                    "try again when it has finished (AIMAP_WRITE_TIMEOUT sets the wait)"
                ) from exc
            raise self._write_error(exc) from exc
        finally:
            cursor.execute(f"PRAGMA busy_timeout={_FIRST_WAIT_MS}")
        log.info("the store %s is free again after %.1f s", self.path, time.monotonic() - started)

    def _write_error(self, exc: sqlite3.OperationalError) -> StoreError:
        if _is_full(exc):
            return StoreError(f"cannot write to the store {self.path}: the disk (or the database's size limit) "
                              "is full; nothing was written, the store is as it was: free some space and "
                              "import again")
        if _is_read_only(exc):
            return StoreError(f"cannot write to the store {self.path}: the file or its folder is read-only; "
                              "nothing was written")
        return StoreError(f"cannot write to the store {self.path}: {exc}; nothing was written")

    def _read_pending_imports(self) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'pending_imports'").fetchone()
        return row[0] if row else None

    def _write_pending_imports(self, text: str | None) -> None:
        with self._write_transaction() as cursor:
            if text is None:
                cursor.execute("DELETE FROM meta WHERE key = 'pending_imports'")
            else:
                cursor.execute("INSERT INTO meta VALUES ('pending_imports', ?) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (text,))

    def revision(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        return int(row[0]) if row else 0

    # -- writing -----------------------------------------------------------
    def upsert(self, nodes: Iterable[NodeRecord], relationships: Iterable[RelRecord], seen_at: dt.datetime,
               pending: Iterable[PendingRecord] = (), resolved: Iterable[tuple[str, str, str, str]] = ()) -> None:
        now = timestamp(seen_at)
        nodes = nodes if isinstance(nodes, (list, tuple)) else list(nodes)
        relationships = relationships if isinstance(relationships, (list, tuple)) else list(relationships)
        try:
            self._upsert(nodes, relationships, now, pending, resolved)
        except (TypeError, ValueError) as exc:  # a value JSON cannot hold (the schema refuses those first)
            raise UnstorableValue(f"cannot write to the store {self.path}: {exc}; nothing was written") from exc

    def _upsert(self, nodes: Sequence[NodeRecord], relationships: Sequence[RelRecord], now: str,
                pending: Iterable[PendingRecord], resolved: Iterable[tuple[str, str, str, str]]) -> None:
        with self._write_transaction() as cursor:
            cursor.executemany(_UPSERT_CLAIM, ((*claim, now, now) for claim in node_claims(nodes)))
            cursor.executemany(_UPSERT_REL_CLAIM, ((*claim, now, now) for claim in rel_claims(relationships)))
            cursor.executemany(_UPSERT_NODE, (
                (node.id, node.kind.value, node.properties.get("name") or node.id,
                 _props_json(node.properties, node),
                 node.source, node.importer, now, now)
                for node in nodes))
            cursor.executemany(_UPSERT_REL, (
                (*rel.identity, _rel_props_json(rel.properties, rel),
                 rel.source, rel.importer, now, now)
                for rel in relationships))
            cursor.executemany(_DELETE_PENDING, (tuple(identity) for identity in resolved))
            cursor.executemany(_UPSERT_PENDING, (
                (ref.type.value, ref.from_id, ref.to_id, ref.key,
                 json.dumps(ref.properties, sort_keys=True, ensure_ascii=False),
                 ref.file, ref.line, ref.source, ref.importer, now, now)
                for ref in pending))

    def delete(self, ids: Iterable[str]) -> int:
        wanted = sorted(set(ids))
        deleted = 0
        with self._write_transaction() as cursor:
            for chunk in _chunks(wanted):
                marks = ",".join("?" * len(chunk))
                cursor.execute(f"DELETE FROM rels WHERE from_id IN ({marks}) OR to_id IN ({marks})", chunk + chunk)
                cursor.execute(f"DELETE FROM pending WHERE from_id IN ({marks}) OR to_id IN ({marks})", chunk + chunk)
                cursor.execute(f"DELETE FROM claims WHERE entity IN ({marks})", chunk)
                cursor.execute(f"DELETE FROM rel_claims WHERE from_id IN ({marks}) OR to_id IN ({marks})", chunk + chunk)
                deleted += cursor.execute(f"DELETE FROM nodes WHERE id IN ({marks})", chunk).rowcount
        return deleted

    def clear(self) -> None:
        with self._write_transaction() as cursor:
            cursor.execute("DELETE FROM rels")
            cursor.execute("DELETE FROM nodes")
            cursor.execute("DELETE FROM pending")
            cursor.execute("DELETE FROM claims")
            cursor.execute("DELETE FROM rel_claims")
            cursor.execute("DELETE FROM meta WHERE key = 'pending_imports'")

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
            ends = {"out": "from_id = ?", "in": "to_id = ?", "both": "(from_id = ? OR to_id = ?)"}[direction]
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
            ends = {"out": f"from_id IN ({marks})", "in": f"to_id IN ({marks})",
                    "both": f"(from_id IN ({marks}) OR to_id IN ({marks}))"}[direction]
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

    def analysis_nodes(self) -> Iterator[NodeAttributes]:
        """As ``Store.analysis_nodes``, the property texts parsed as one JSON
        array: one call to the decoder rather than one per node."""
        rows = self._db.execute(f"SELECT {_NODE_COLUMNS} FROM nodes ORDER BY id").fetchall()
        properties = json.loads("[" + ",".join([row[2] for row in rows]) + "]")
        defaults, kinds = kind_defaults(), {kind.value: kind for kind in Kind}
        for (node_id, kind, _, source, importer, first_seen, last_seen), props in zip(rows, properties, strict=True):
            yield node_id, attributes(kinds[kind], props, source, importer, first_seen, last_seen, defaults)

    def analysis_edges(self) -> Iterator[TypedRows]:
        """As ``Store.analysis_edges``: one query per type, of the columns the
        rows need, the role read from the JSON in SQL only on a type that has one."""
        for rel in sorted(Rel, key=lambda rel: rel.value):
            role = "json_extract(props, '$.role')" if REL_SPECS[rel].has_role else "NULL"
            yield rel, self._db.execute(
                f"SELECT from_id, to_id, {role}, source, importer, last_seen FROM rels WHERE type = ? "
                "ORDER BY from_id, to_id, key", (rel.value,))

    def aliases(self) -> dict[str, str]:
        rows = self._db.execute(
            "SELECT id, json_extract(props, '$.aliases') FROM nodes "
            "WHERE json_extract(props, '$.aliases') IS NOT NULL ORDER BY id")
        return {alias: node_id for node_id, listed in rows for alias in json.loads(listed)}

    def iter_relationship_identities(self, from_ids: Iterable[str]) -> Iterator[tuple[str, str, str, str]]:
        """As ``Store.iter_relationship_identities``: one query per 500 ids, no properties read."""
        for chunk in _chunks(sorted(set(from_ids))):
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(f"SELECT type, from_id, to_id, key FROM rels WHERE from_id IN ({marks})", chunk)

    def pending_references(self) -> list[PendingRecord]:
        rows = self._db.execute(f"SELECT {_PENDING_COLUMNS} FROM pending ORDER BY type, from_id, to_id, key")
        return [_pending(row) for row in rows]

    def claims(self) -> list[Claim]:
        rows = self._db.execute("SELECT entity, field, value, source, importer, first_seen, last_seen FROM claims "
                                "ORDER BY entity, field, source")
        return [Claim(*row) for row in rows]

    def relationship_claims(self) -> list[RelClaim]:
        rows = self._db.execute("SELECT type, from_id, to_id, key, source, importer, first_seen, last_seen FROM rel_claims "
                                "ORDER BY type, from_id, to_id, key, source")
        return [RelClaim(*row) for row in rows]

    def disputed_claims(self) -> list[Claim]:
        rows = self._db.execute(_DISPUTED_CLAIMS)
        return [Claim(*row) for row in rows]

    def disputed_relationship_claims(self) -> list[RelClaim]:
        """As ``Store.disputed_relationship_claims``; claims of one source
        never disagree, and finding a second source is a quick scan."""
        sources = self._db.execute("SELECT count(*) FROM (SELECT DISTINCT source FROM rel_claims LIMIT 2)")
        if sources.fetchone()[0] < 2:
            return []
        rows = self._db.execute(_DISPUTED_REL_CLAIMS, [Rel.OWNS.value, *ACCOUNTABLE_KEYS])
        return [RelClaim(*row) for row in rows]

    def sources_latest(self, sources: Iterable[str]) -> dict[str, str]:
        latest: dict[str, str] = {}
        for chunk in _chunks(sorted(set(sources))):
            marks = ",".join("?" * len(chunk))
            latest.update(self._db.execute(
                f"SELECT source, max(last_seen) FROM (SELECT source, last_seen FROM claims WHERE source IN ({marks}) "
                f"UNION ALL SELECT source, last_seen FROM rel_claims WHERE source IN ({marks})) GROUP BY source",
                chunk + chunk))
        return latest

    def counts(self) -> Counts:
        nodes = {kind: 0 for kind in Kind}
        for kind, count in self._db.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"):
            nodes[Kind(kind)] = count
        rels = {rel: 0 for rel in Rel}
        for rel, count in self._db.execute("SELECT type, count(*) FROM rels GROUP BY type"):
            rels[Rel(rel)] = count
        return Counts(nodes, rels)

    def close(self) -> None:
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for db in connections:
            db.close()
        self._local = threading.local()
        self._shared = None
