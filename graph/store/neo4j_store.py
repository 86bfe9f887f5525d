"""The Neo4j store: the same graph as the embedded store, in a Neo4j 5 server.

Layout, so that users' own Cypher can read it:

- A node has the label of its kind (``Kind``'s value: ``Team``, ``System``…)
  and the label ``Entity``; ``id``, its properties and its provenance
  (``source``, ``importer``, ``first_seen``, ``last_seen``) are plain node
  properties. Every property the store keeps that is not one of those five
  keys is an entity property, so records read back exactly as written.
- ``Entity`` exists for lookups by id when the kind is unknown (relationship
  endpoints, ``get``, ``delete``): it carries a uniqueness constraint on
  ``id``, so an id names one node whatever its kind, and MERGE on it lets a
  node change kind the way the embedded store allows. Each kind label has its
  own uniqueness constraint on ``id`` too, for users' queries.
- A relationship has the type of its ``Rel`` value, its properties (``role``)
  and provenance, and ``key`` (the role, or ""), which is part of its identity:
  ``MERGE (a)-[r:OWNS {key: …}]->(b)``, so an owner in two roles is two
  relationships.
- The embedded store keeps relationships whose ends are not (yet) stored; so
  does this one: a missing end becomes a bare ``Entity`` node with only an
  ``id`` (no kind label, no provenance), which no node read returns and which
  becomes the real node when a record with that id arrives. ``delete`` removes
  such placeholders once nothing points at them.

Every Cypher text is generated from the schema declaration (labels and types
come only from ``Kind`` and ``Rel``); every value is a parameter.

Writes: one ``upsert`` is one write transaction, retried on transient errors
like the driver's managed transactions, its rows sent in batches of
``batch_size``. One transaction holds everything in the server's heap until it
commits; see ``upsert`` for the limit that follows from.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, ManagedTransaction, Session, Transaction
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Forbidden,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.claims import Claim, RelClaim, node_claims, rel_claims
from graph.errors import StoreError, UnstorableValue
from graph.records import NodeRecord, PendingRecord, RelRecord, timestamp
from graph.schema import REL_SPECS, RESERVED_NODE_KEYS, RESERVED_REL_KEYS, Kind, Rel
from graph.store.base import ACCOUNTABLE_KEYS, Counts, Direction, Store
from graph.store.projection import EdgeRow, TypedRows

log = logging.getLogger(__name__)

ENTITY = "Entity"
"""The label every aimap node carries beside its kind, for lookups by id."""
PENDING = "AimapPending"
"""The label of a pending reference (``graph.records.PendingRecord``): a node
apart from the graph (no ``Entity`` label, no relationship), holding the
relationship's type and ends as values, so no read of the graph sees it."""

META = "AimapMeta"
"""The label of the one node that holds the store's revision (not an Entity)."""
_BUMP_REVISION = f"MERGE (m:{META} {{key: 'store'}}) SET m.revision = coalesce(m.revision, 0) + 1"
_READ_REVISION = f"MATCH (m:{META} {{key: 'store'}}) RETURN m.revision AS revision"

CLAIM = "AimapClaim"
"""The label of the nodes that keep each source's claims (``graph.claims``):
not Entities, so no graph read, count or analysis sees them. ``key`` is the
claim's identity; node claims have ``entity``, ``field`` and ``value``,
relationship claims ``type``, ``from_id``, ``to_id`` and ``rkey``."""

def _claim_key(*parts: str) -> str:
    """A claim's identity as a short digest: ids can be longer than Neo4j
    indexes a property (about 32 KB), and the key is only ever matched."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

_CLAIM_FIELDS = "c.entity, c.field, c.value, c.source, c.importer, c.first_seen, c.last_seen"
_REL_CLAIM_FIELDS = "c.type, c.from_id, c.to_id, c.rkey, c.source, c.importer, c.first_seen, c.last_seen"
"""A claim node's fields, in the order of ``Claim`` and ``RelClaim``."""

# A claim keeps the latest thing its source said; first_seen moves only when the value changes.
# A new claim gets its properties once, from the SET that updates a stored one
# (its empty last_seen lets it through, its missing value makes first_seen $now).
_UPSERT_CLAIMS = (
    f"UNWIND $rows AS row MERGE (c:{CLAIM} {{key: row.key}}) "
    "ON CREATE SET c.first_seen = $now, c.last_seen = '' "
    "WITH c, row WHERE $now >= c.last_seen "
    "SET c.first_seen = CASE WHEN coalesce(c.value, '') = coalesce(row.props.value, '') "
    "THEN c.first_seen ELSE $now END, c += row.props, c.last_seen = $now"
)

SUPPORTED_MAJOR = 5
BATCH_SIZE = 10_000
RETRY_SECONDS = 30.0  # as the driver's max_transaction_retry_time
START_HINT = "start one with scripts/neo4j start"

# Keys the store writes on a node or relationship beside the record's
# properties; everything else on an aimap node or relationship is a property.
NODE_STORE_KEYS = frozenset({"id", "source", "importer", "first_seen", "last_seen"})
REL_STORE_KEYS = frozenset({"key", "source", "importer", "first_seen", "last_seen"})
# Property names a record may not use: the schema's reserved keys, and what
# the store itself writes.
FORBIDDEN_NODE_PROPS = RESERVED_NODE_KEYS | NODE_STORE_KEYS
FORBIDDEN_REL_PROPS = RESERVED_REL_KEYS | REL_STORE_KEYS

_KIND_BY_LABEL = {kind.value: kind for kind in Kind}
_INT64 = (-(2**63), 2**63 - 1)
_OUT_OF_MEMORY = ("MemoryPoolOutOfMemoryError", "TransactionOutOfMemoryError", "OutOfMemoryError")

T = TypeVar("T")
Tx = ManagedTransaction | Transaction


# -- query builders: Cypher generated from the schema declaration --------------

def _is_kinded(var: str) -> str:
    """A predicate: ``var`` carries a kind label (is a stored node, not a placeholder)."""
    return "(" + " OR ".join(f"{var}:{kind.value}" for kind in Kind) + ")"


def _label(kind: Kind | None) -> str:
    return Kind(kind).value if kind is not None else ENTITY


@functools.cache
def node_upsert_query(kind: Kind) -> str:
    """Creates or updates one batch of nodes of ``kind``: properties merged,
    provenance replaced, ``first_seen`` kept, any other kind label removed."""
    others = ":".join(k.value for k in Kind if k is not kind)
    return (
        "UNWIND $rows AS row "
        f"MERGE (n:{ENTITY} {{id: row.id}}) "
        "SET n.first_seen = coalesce(n.first_seen, $now), n += row.props, "
        "n.source = row.source, n.importer = row.importer, n.last_seen = $now, "
        f"n:{kind.value} "
        f"REMOVE n:{others}"
    )


@functools.cache
def rel_upsert_query(rel: Rel) -> str:
    """Creates or updates one batch of relationships of type ``rel``: properties
    merged as on nodes, provenance replaced, ``first_seen`` kept. Both ends
    exist: ``upsert`` writes the nodes, and the placeholders of missing ends
    (``PLACEHOLDER_UPSERT``), first, so the ends are matched, not merged
    (a merge locks and checks each end, twice per relationship)."""
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{ENTITY} {{id: row.from_id}}) "
        f"MATCH (b:{ENTITY} {{id: row.to_id}}) "
        f"MERGE (a)-[r:{Rel(rel).value} {{key: row.key}}]->(b) "
        "SET r.first_seen = coalesce(r.first_seen, $now), r += row.props, "
        "r.source = row.source, r.importer = row.importer, r.last_seen = $now"
    )


PLACEHOLDER_UPSERT = f"UNWIND $ids AS id MERGE (:{ENTITY} {{id: id}})"
"""The node of each relationship end an upsert does not write itself: the
stored node, or a placeholder for a missing end (see the module docstring)."""


@functools.cache
def node_scan_query(kind: Kind | None) -> str:
    """Every stored node (of ``kind``), in id order from the id index."""
    label = _label(kind)
    kinded = f" AND {_is_kinded('n')}" if kind is None else ""
    return (
        f"MATCH (n:{label}) USING INDEX n:{label}(id) WHERE n.id IS NOT NULL{kinded} "
        "RETURN n ORDER BY n.id"
    )


@functools.cache
def rel_scan_query(rel: Rel, fields: str = "properties(r)") -> str:
    """Every relationship of type ``rel`` in identity order, one row per start
    node: ``[end id, fields…]`` per relationship. Walking the start nodes in
    id order from the index lets the server sort each start node's
    relationships only, so the result streams without a full sort; one row
    per start node rather than per relationship saves the driver a third of
    its decoding work."""
    return (
        f"MATCH (a:{ENTITY}) USING INDEX a:{ENTITY}(id) WHERE a.id IS NOT NULL "
        f"MATCH (a)-[r:{Rel(rel).value}]->(b) "
        "WITH a, b, r ORDER BY a.id, b.id, r.key "
        f"RETURN a.id AS from_id, collect([b.id, {fields}]) AS out"
    )


def analysis_scan_query(rel: Rel) -> str:
    """``rel_scan_query`` of only what an analysis row holds
    (``graph.store.projection.EdgeRow``): the role where the type has one, and provenance."""
    role = "r.role" if REL_SPECS[rel].has_role else "null"
    return rel_scan_query(rel, f"{role}, coalesce(r.source, ''), coalesce(r.importer, ''), r.last_seen")


PENDING_UPSERT = (
    "UNWIND $rows AS row "
    f"MERGE (p:{PENDING} {{type: row.type, from_id: row.from_id, to_id: row.to_id, key: row.key}}) "
    "SET p.first_seen = coalesce(p.first_seen, $now), p.props = row.props, p.file = row.file, "
    "p.line = row.line, p.source = row.source, p.importer = row.importer, p.last_seen = $now"
)
PENDING_DELETE = (
    "UNWIND $rows AS row "
    f"MATCH (p:{PENDING} {{type: row[0], from_id: row[1], to_id: row[2], key: row[3]}}) DELETE p"
)
PENDING_SCAN = f"MATCH (p:{PENDING}) RETURN p ORDER BY p.type, p.from_id, p.to_id, p.key"


def _pending_row(ref: PendingRecord) -> dict[str, Any]:
    """Values only: the type is a string property, never a relationship type."""
    return {"type": Rel(ref.type).value, "from_id": ref.from_id, "to_id": ref.to_id, "key": ref.key,
            "props": json.dumps(ref.properties, sort_keys=True, ensure_ascii=False), "file": ref.file,
            "line": ref.line, "source": ref.source, "importer": ref.importer}


def _pending(value: Any) -> PendingRecord:
    props = dict(value)
    return PendingRecord(Rel(props["type"]), props["from_id"], props["to_id"], json.loads(props.get("props") or "{}"),
                         props.get("file", ""), props.get("line"), props.get("source", ""),
                         props.get("importer", ""), props.get("first_seen"), props.get("last_seen"))


def _rel_pattern(direction: Direction, rel: Rel | None) -> str:
    typed = f":{Rel(rel).value}" if rel is not None else ""
    return {"out": f"(n)-[r{typed}]->(m)", "in": f"(n)<-[r{typed}]-(m)", "both": f"(n)-[r{typed}]-(m)"}[direction]


_REL_RETURN = (
    "WITH DISTINCT r "
    "RETURN type(r) AS type, startNode(r).id AS from_id, endNode(r).id AS to_id, properties(r) AS props"
)


@functools.cache
def counts_query() -> str:
    parts = [f"MATCH (n:{kind.value}) RETURN 'node' AS what, '{kind.value}' AS name, count(n) AS n" for kind in Kind]
    parts += [f"MATCH ()-[r:{rel.value}]->() RETURN 'rel' AS what, '{rel.value}' AS name, count(r) AS n" for rel in Rel]
    return " UNION ALL ".join(parts)


# -- values -------------------------------------------------------------------

def _storable(value: Any) -> Any:
    """The value as Neo4j stores it, or TypeError: a property is a string,
    boolean, 64-bit integer or float, or a list of one of those."""
    if value is None or isinstance(value, (str, bool, float)):
        return value
    if isinstance(value, int):
        if _INT64[0] <= value <= _INT64[1]:
            return value
        raise TypeError(f"integer {value} does not fit in 64 bits")
    if isinstance(value, (list, tuple)):
        items = list(value)
        kinds = {bool if isinstance(item, bool) else type(item) for item in items}
        if kinds - {str, bool, int, float} or len(kinds) > 1:
            raise TypeError(f"a list must hold only strings, only numbers or only booleans, not {value!r:.80}")
        return [_storable(item) for item in items]
    raise TypeError(f"{type(value).__name__} is not a storable property value")


def _properties(props: dict[str, Any], forbidden: frozenset[str], what: str) -> dict[str, Any]:
    checked = {}
    for key, value in props.items():
        if not isinstance(key, str):
            raise TypeError(f"{what}: property name {key!r} is not a string")
        if not key or "\0" in key:
            raise ValueError(f"{what}: Neo4j cannot name a property {key!r}")
        if key in forbidden:
            raise ValueError(f"{what}: {key!r} is a reserved name, not a property")
        try:
            checked[key] = _storable(value)
        except TypeError as exc:
            raise TypeError(f"{what}: property {key!r}: {exc}") from None
    return checked


def _node_row(node: NodeRecord) -> dict[str, Any]:
    what = f"node {node.id!r}"
    return {
        "id": node.id,
        "props": _properties(node.properties, FORBIDDEN_NODE_PROPS, what),
        "source": node.source,
        "importer": node.importer,
    }


def _rel_row(rel: RelRecord) -> dict[str, Any]:
    what = f"relationship {rel.identity!r}"
    return {
        "from_id": rel.from_id,
        "to_id": rel.to_id,
        "key": _storable(rel.key),
        "props": _properties(rel.properties, FORBIDDEN_REL_PROPS, what),
        "source": rel.source,
        "importer": rel.importer,
    }


def _runs(records: Iterable[T], group: Callable[[T], Any], size: int) -> Iterator[tuple[Any, list[T]]]:
    """Consecutive records of one group, at most ``size`` at a time: one query
    per batch, in input order, so later records win as in the embedded store."""
    for key, run in itertools.groupby(records, group):
        while batch := list(itertools.islice(run, size)):
            yield key, batch


def _reiterable(items: Iterable[T]) -> Sequence[T]:
    """A sequence the transaction function can walk again if the driver retries
    it; a generator is read to the end first (so if it raises, nothing is written)."""
    return items if isinstance(items, (list, tuple)) else list(items)


def _node(value: Any) -> NodeRecord:
    labels = sorted(label for label in value.labels if label in _KIND_BY_LABEL)
    props = dict(value)
    return NodeRecord(
        _KIND_BY_LABEL[labels[0]],
        props["id"],
        {key: val for key, val in props.items() if key not in NODE_STORE_KEYS},
        props.get("source", ""),
        props.get("importer", ""),
        props.get("first_seen"),
        props.get("last_seen"),
    )


def _rel(rel_type: str | Rel, from_id: str, to_id: str, props: dict[str, Any]) -> RelRecord:
    return RelRecord(
        Rel(rel_type),
        from_id,
        to_id,
        {key: val for key, val in props.items() if key not in REL_STORE_KEYS},
        props.get("source", ""),
        props.get("importer", ""),
        props.get("first_seen"),
        props.get("last_seen"),
    )


def _claim_rows(nodes: Iterable[NodeRecord], rels: Iterable[RelRecord]) -> Iterator[dict[str, Any]]:
    """The claims of an upsert as rows for ``_UPSERT_CLAIMS``."""
    for entity, field, value, source, importer in node_claims(nodes):
        yield {"key": _claim_key("node", entity, field, source),
               "props": {"entity": entity, "field": field, "value": value, "source": source, "importer": importer}}
    for rel_type, from_id, to_id, key, source, importer in rel_claims(rels):
        yield {"key": _claim_key("rel", rel_type, from_id, to_id, key, source),
               "props": {"type": rel_type, "from_id": from_id, "to_id": to_id, "rkey": key, "source": source,
                         "importer": importer}}


def _identity(rel: RelRecord) -> tuple:
    return rel.identity


def _limit(limit: int) -> int | None:
    """SQLite's LIMIT: negative means no limit."""
    return None if limit < 0 else limit


def _out_of_memory(exc: Exception) -> bool:
    return any((getattr(exc, "code", None) or "").endswith(name) for name in _OUT_OF_MEMORY)


def _server_version(agent: str) -> tuple[int, str]:
    match = re.match(r"Neo4j/((\d+)\.[\w.\-]*)", agent or "")
    if not match:
        return -1, agent or "unknown"
    return int(match.group(2)), match.group(1)


class Neo4jStore(Store):
    """A ``Store`` on a Neo4j 5 server reached by Bolt."""

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str = "",
        database: str | None = None,
        *,
        batch_size: int = BATCH_SIZE,
    ):
        self.url = uri
        self.database = database or None
        self.batch_size = batch_size
        self._user = user
        self._driver = self._connect(uri, user, password, quiet=True)
        try:
            with self._errors("connect to"):
                try:
                    self._check_server()
                except ConfigurationError:  # a 5.x before 5.7 cannot filter notifications
                    self._driver.close()
                    self._driver = self._connect(uri, user, password, quiet=False)
                    self._check_server()
                self._ensure_schema()
        except ValueError as exc:  # e.g. a port that is not a number, found on connecting
            self._driver.close()
            raise StoreError(f"invalid Neo4j URL {uri!r}: {exc}; write bolt://HOST:7687 or neo4j://HOST:7687") from exc
        except BaseException:
            self._driver.close()
            raise

    @staticmethod
    def _connect(uri: str, user: str, password: str, quiet: bool) -> Driver:
        # The server's notifications (a relationship type not created yet, a
        # query plan hint) are meant for people writing Cypher, not for aimap's
        # users; the driver would log each one as a warning.
        config: dict[str, Any] = {"notifications_min_severity": "OFF"} if quiet else {}
        try:
            return GraphDatabase.driver(uri, auth=(user, password), connection_timeout=15.0, **config)
        except (ConfigurationError, ValueError) as exc:
            raise StoreError(f"invalid Neo4j URL {uri!r}: {exc}; write bolt://HOST:7687 or neo4j://HOST:7687") from exc

    @classmethod
    def from_url(cls, url: str) -> "Neo4jStore":
        """Opens ``bolt://[user:password@]host:port`` (or neo4j://, +s, +ssc).

        Credentials missing from the URL come from ``NEO4J_USER`` (default
        ``neo4j``) and ``NEO4J_PASSWORD``; the database from ``NEO4J_DATABASE``
        (default: the server's home database).
        """
        parts = urlsplit(url)
        user = unquote(parts.username) if parts.username else os.environ.get("NEO4J_USER") or "neo4j"
        if parts.password is not None:
            password = unquote(parts.password)
        else:
            password = os.environ.get("NEO4J_PASSWORD", "")
        host = parts.netloc.rsplit("@", 1)[-1]
        clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
        return cls(clean, user, password, os.environ.get("NEO4J_DATABASE") or None)

    # -- connection ----------------------------------------------------------
    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turns what a user can fix into one-line ``StoreError``s."""
        try:
            yield
        except (AuthError, ServiceUnavailable, SessionExpired, Forbidden) as exc:
            raise self._translate(exc, doing) from exc
        except Neo4jError as exc:
            translated = self._translate(exc, doing)
            if translated is exc:
                raise
            raise translated from exc

    def _translate(self, exc: Exception, doing: str) -> Exception:
        where = f"Neo4j at {self.url}"
        if isinstance(exc, AuthError):
            return StoreError(
                f"{where} refused the credentials of user {self._user!r}: set NEO4J_USER and NEO4J_PASSWORD "
                "or write them in the URL (bolt://USER:PASSWORD@HOST:PORT)"
            )
        if isinstance(exc, (ServiceUnavailable, SessionExpired)):
            tls = " (and does it speak TLS, as the +s in the URL asks?)" if "+s" in self.url.split("://")[0] else ""
            return StoreError(f"cannot {doing} {where}: is it running{tls}? {START_HINT}")
        if isinstance(exc, Forbidden):
            return StoreError(f"{where} refused to let user {self._user!r} {doing} it: {exc.message}")
        code = getattr(exc, "code", "") or ""
        if code.endswith("DatabaseNotFound"):
            return StoreError(
                f"{where} has no database {self.database!r}: set NEO4J_DATABASE to an existing one, or unset it"
            )
        if _out_of_memory(exc):
            return StoreError(
                f"{where} ran out of memory for this import, nothing was written: give it more heap "
                "(server.memory.heap.max_size; 4g holds 100,000 nodes and 500,000 relationships, "
                "scripts/neo4j start --heap 4g) or import fewer records at once"
            )
        return exc

    def _check_server(self) -> None:
        with self._session() as session:
            session.run("RETURN 1").consume()
        major, version = _server_version(self._driver.get_server_info().agent)
        if major != SUPPORTED_MAJOR:
            raise StoreError(
                f"Neo4j at {self.url} is version {version}; aimap supports Neo4j {SUPPORTED_MAJOR}.x: "
                f"point it at a {SUPPORTED_MAJOR}.x server ({START_HINT} runs 5.26)"
            )

    def _ensure_schema(self) -> None:
        """Uniqueness constraints on ``id`` for ``Entity`` and every kind label
        (each is also the index that id lookups and id-ordered scans use).
        Only missing ones are created, so a user without schema rights can
        use a database prepared once by an administrator."""
        with self._session() as session:
            existing = {
                label
                for labels, props, kind in session.run(
                    "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                    "RETURN labelsOrTypes, properties, type"
                )
                if props == ["id"] and "UNIQUE" in kind and kind.startswith(("UNIQUENESS", "NODE"))
                for label in labels or ()
            }
            missing = [label for label in [ENTITY, *(kind.value for kind in Kind)] if label not in existing]
            for label in missing:
                session.run(
                    f"CREATE CONSTRAINT aimap_{label.lower()}_id IF NOT EXISTS "
                    f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                ).consume()
            if not any(True for _ in session.run(
                    "SHOW CONSTRAINTS YIELD labelsOrTypes WHERE labelsOrTypes = [$label] RETURN 1", label=CLAIM)):
                session.run(f"CREATE CONSTRAINT aimap_claim_key IF NOT EXISTS "
                            f"FOR (c:{CLAIM}) REQUIRE c.key IS UNIQUE").consume()
                missing.append(CLAIM)
            if not any(True for _ in session.run(
                    "SHOW CONSTRAINTS YIELD labelsOrTypes WHERE labelsOrTypes = [$label] RETURN 1", label=META)):
                session.run(f"CREATE CONSTRAINT aimap_meta_key IF NOT EXISTS "
                            f"FOR (m:{META}) REQUIRE m.key IS UNIQUE").consume()
                missing.append(META)
            if missing:
                session.run("CALL db.awaitIndexes(300)").consume()

    def _session(self, access_mode: str = WRITE_ACCESS) -> Session:
        return self._driver.session(database=self.database, default_access_mode=access_mode)

    def _read(self, work: Callable[[Tx], T]) -> T:
        with self._errors("read from"), self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[Tx], T]) -> T:
        """Runs ``work`` in one write transaction and commits it, retrying the
        whole transaction on transient errors as the driver's ``execute_write``
        does, except on running out of memory: a transaction too large for the
        server's heap fails again, after as long, so it fails at once instead."""
        deadline = time.monotonic() + RETRY_SECONDS
        delay = 0.2
        with self._errors("write to"), self._session() as session:
            while True:
                try:
                    with session.begin_transaction() as tx:
                        result = work(tx)
                        tx.run(_BUMP_REVISION).consume()
                        tx.commit()
                    return result
                except (Neo4jError, DriverError) as exc:
                    if _out_of_memory(exc) or not exc.is_retryable() or time.monotonic() + delay > deadline:
                        raise
                    log.warning("Neo4j at %s: %s; retrying the transaction in %.1f s",
                                self.url, " ".join(str(exc).split()) or type(exc).__name__, delay)
                time.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 5.0)

    def close(self) -> None:
        self._driver.close()

    def _read_pending_imports(self) -> str | None:
        def work(tx: Tx) -> str | None:
            record = tx.run(f"MATCH (m:{META} {{key: 'store'}}) RETURN m.pending_imports AS pending").single()
            return record["pending"] if record else None

        return self._read(work)

    def _write_pending_imports(self, text: str | None) -> None:
        def work(tx: Tx) -> None:
            tx.run(f"MERGE (m:{META} {{key: 'store'}}) SET m.pending_imports = $text", text=text).consume()

        self._write(work)

    def revision(self) -> int:
        def work(tx: Tx) -> int:
            record = tx.run(_READ_REVISION).single()
            return int(record["revision"]) if record and record["revision"] is not None else 0

        return self._read(work)

    # -- writing -------------------------------------------------------------
    def upsert(self, nodes: Iterable[NodeRecord], relationships: Iterable[RelRecord], seen_at: dt.datetime,
               pending: Iterable[PendingRecord] = (), resolved: Iterable[tuple[str, str, str, str]] = ()) -> None:
        """All of it in one transaction, sent in batches of ``batch_size`` rows.

        The server keeps the whole transaction in its heap until the commit
        (measured on 5.26: about 3 KB per node and 1.4 KB per relationship,
        and the commit needs as much again), and refuses a transaction past
        ``db.memory.transaction.total.max`` (70% of the heap): a 512 MB heap
        takes about 10,000 nodes and 50,000 relationships at once, 100,000
        nodes and 500,000 relationships need a 4 GB heap. A refused upsert
        writes nothing and raises a ``StoreError`` that says so.
        """
        now = timestamp(seen_at)
        nodes = _reiterable(nodes)
        relationships = _reiterable(relationships)
        pending_rows = [_pending_row(ref) for ref in pending]
        resolved_rows = [list(identity) for identity in resolved]

        written = {node.id for node in nodes}
        other_ends = sorted({end for rel in relationships for end in (rel.from_id, rel.to_id)} - written)

        def work(tx: Tx) -> None:
            for kind, batch in _runs(nodes, lambda node: Kind(node.kind), self.batch_size):
                tx.run(node_upsert_query(kind), rows=[_node_row(node) for node in batch], now=now).consume()
            for start in range(0, len(other_ends), self.batch_size):
                tx.run(PLACEHOLDER_UPSERT, ids=other_ends[start : start + self.batch_size]).consume()
            for rel_type, rel_batch in _runs(relationships, lambda rel: Rel(rel.type), self.batch_size):
                tx.run(rel_upsert_query(rel_type), rows=[_rel_row(rel) for rel in rel_batch], now=now).consume()
            for start in range(0, len(resolved_rows), self.batch_size):
                tx.run(PENDING_DELETE, rows=resolved_rows[start : start + self.batch_size]).consume()
            for start in range(0, len(pending_rows), self.batch_size):
                tx.run(PENDING_UPSERT, rows=pending_rows[start : start + self.batch_size], now=now).consume()
            for _, claim_batch in _runs(_claim_rows(nodes, relationships), lambda row: None, self.batch_size):
                tx.run(_UPSERT_CLAIMS, rows=claim_batch, now=now).consume()

        try:
            self._write(work)
        except (TypeError, ValueError) as exc:  # a value Neo4j cannot keep (the schema refuses those first)
            raise UnstorableValue(f"cannot write to Neo4j at {self.url}: {exc}; nothing was written") from exc

    def delete(self, ids: Iterable[str]) -> int:
        wanted = sorted(set(ids))

        def work(tx: Tx) -> int:
            deleted = 0
            for start in range(0, len(wanted), self.batch_size):
                chunk = wanted[start : start + self.batch_size]
                ghosts = tx.run(
                    f"MATCH (n:{ENTITY}) WHERE n.id IN $ids MATCH (n)--(m:{ENTITY}) "
                    f"WHERE NOT {_is_kinded('m')} AND NOT m.id IN $ids RETURN collect(DISTINCT m.id) AS ghosts",
                    ids=chunk,
                ).single(strict=True)["ghosts"]
                deleted += tx.run(
                    f"MATCH (n:{ENTITY}) WHERE n.id IN $ids WITH n, {_is_kinded('n')} AS stored "
                    "DETACH DELETE n RETURN count(CASE WHEN stored THEN 1 END) AS deleted",
                    ids=chunk,
                ).single(strict=True)["deleted"]
                tx.run(
                    f"MATCH (m:{ENTITY}) WHERE m.id IN $ghosts AND NOT {_is_kinded('m')} AND NOT (m)--() DELETE m",
                    ghosts=ghosts,
                ).consume()
                tx.run(f"MATCH (p:{PENDING}) WHERE p.from_id IN $ids OR p.to_id IN $ids DELETE p", ids=chunk).consume()
                tx.run(f"MATCH (c:{CLAIM}) WHERE c.entity IN $ids OR c.from_id IN $ids OR c.to_id IN $ids DELETE c",
                       ids=chunk).consume()
            return deleted

        return self._write(work)

    def clear(self) -> None:
        """Deletes every aimap node (``Entity``) and relationship; other data in
        the database is left alone. Large graphs go in several transactions."""

        def work(tx: Tx) -> int:
            return tx.run(
                f"MATCH (n) WHERE n:{ENTITY} OR n:{CLAIM} WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
                limit=self.batch_size,
            ).single(strict=True)["deleted"]

        def pending_work(tx: Tx) -> int:
            return tx.run(
                f"MATCH (p:{PENDING}) WITH p LIMIT $limit DELETE p RETURN count(*) AS deleted", limit=self.batch_size
            ).single(strict=True)["deleted"]

        while self._write(work):
            pass
        while self._write(pending_work):
            pass
        self._write_pending_imports(None)

    # -- reading -------------------------------------------------------------
    def get_many(self, ids: Iterable[str]) -> dict[str, NodeRecord]:
        wanted = sorted(set(ids))

        def work(tx: Tx) -> dict[str, NodeRecord]:
            found: dict[str, NodeRecord] = {}
            for start in range(0, len(wanted), self.batch_size):
                for record in tx.run(
                    f"MATCH (n:{ENTITY}) WHERE n.id IN $ids AND {_is_kinded('n')} RETURN n",
                    ids=wanted[start : start + self.batch_size],
                ):
                    node = _node(record["n"])
                    found[node.id] = node
            return found

        return self._read(work) if wanted else {}

    def list_nodes(self, kind: Kind | None = None, limit: int = 100, offset: int = 0) -> list[NodeRecord]:
        query = node_scan_query(kind) + " SKIP $offset"
        if (count := _limit(limit)) is not None:
            query += " LIMIT $limit"
        return self._read(
            lambda tx: [_node(record["n"]) for record in tx.run(query, offset=max(offset, 0), limit=count)]
        )

    def search(self, text: str, kind: Kind | None = None, limit: int = 50) -> list[NodeRecord]:
        label = _label(kind)
        kinded = f"{_is_kinded('n')} AND " if kind is None else ""
        query = (
            f"MATCH (n:{label}) WHERE {kinded}(toLower(n.id) CONTAINS toLower($text) "
            "OR CASE WHEN n.name STARTS WITH '' THEN toLower(n.name) CONTAINS toLower($text) ELSE false END) "
            "RETURN n ORDER BY n.id"
        )
        if (count := _limit(limit)) is not None:
            query += " LIMIT $limit"
        return self._read(
            lambda tx: [_node(record["n"]) for record in tx.run(query, text=text, limit=count)]
        )

    def relationships(
        self, node_id: str | None = None, type: Rel | None = None, direction: Direction = "both"
    ) -> list[RelRecord]:
        if node_id is None:
            return list(self.iter_relationships(type))
        query = f"MATCH (n:{ENTITY} {{id: $id}}) MATCH {_rel_pattern(direction, type)} {_REL_RETURN}"
        rels = self._read(lambda tx: [_rel(*record.values()) for record in tx.run(query, id=node_id)])
        return sorted(rels, key=_identity)

    def relationships_touching(
        self, ids: list[str], direction: Direction, types: list[str] | None
    ) -> list[RelRecord]:
        typed = " WHERE type(r) IN $types" if types else ""
        query = f"MATCH (n:{ENTITY}) WHERE n.id IN $ids MATCH {_rel_pattern(direction, None)}{typed} {_REL_RETURN}"
        return self._read(lambda tx: [_rel(*record.values()) for record in tx.run(query, ids=ids, types=types)])

    def _stream(self, query: str, **params: Any) -> Iterator[Any]:
        """Records of one read query, fetched from the server as they are
        consumed (the driver pulls ``fetch_size`` records at a time)."""
        with self._errors("read from"), self._session(READ_ACCESS) as session:
            yield from session.run(query, params)

    def iter_nodes(self, kind: Kind | None = None) -> Iterator[NodeRecord]:
        for record in self._stream(node_scan_query(kind)):
            yield _node(record["n"])

    def iter_relationships(self, type: Rel | None = None) -> Iterator[RelRecord]:
        rel_types = [Rel(type)] if type is not None else sorted(Rel, key=lambda rel: rel.value)
        for rel_type in rel_types:
            for from_id, out in self._stream(rel_scan_query(rel_type)):
                for to_id, props in out:
                    yield _rel(rel_type, from_id, to_id, props)

    def analysis_edges(self) -> Iterator[TypedRows]:
        """As ``Store.analysis_edges``: one streamed query per type, of the
        fields the rows need, rather than every relationship's properties."""
        for rel_type in sorted(Rel, key=lambda rel: rel.value):
            yield rel_type, self._analysis_rows(rel_type)

    def _analysis_rows(self, rel_type: Rel) -> Iterator[EdgeRow]:
        for from_id, out in self._stream(analysis_scan_query(rel_type)):
            for to_id, role, source, importer, last_seen in out:
                yield from_id, to_id, role, source, importer, last_seen

    def aliases(self) -> dict[str, str]:
        """As ``Store.aliases``, reading only the nodes that declare aliases."""
        query = (
            f"MATCH (n:{ENTITY}) USING INDEX n:{ENTITY}(id) WHERE n.id IS NOT NULL AND n.aliases IS NOT NULL "
            f"AND {_is_kinded('n')} RETURN n.id AS id, n.aliases AS aliases ORDER BY n.id"
        )
        return {alias: node_id for node_id, aliases in self._stream(query) for alias in aliases or ()}

    def iter_relationship_identities(self, from_ids: Iterable[str]) -> Iterator[tuple[str, str, str, str]]:
        """As ``Store.iter_relationship_identities``, in one query per batch of
        ids that returns each relationship's identity only (one row per start
        node), not its properties."""
        wanted = sorted(set(from_ids))
        query = (
            f"UNWIND $ids AS id MATCH (a:{ENTITY} {{id: id}})-[r]->(b) "
            "RETURN a.id AS from_id, collect([type(r), b.id, r.role]) AS out"
        )

        for start in range(0, len(wanted), self.batch_size):
            for from_id, out in self._stream(query, ids=wanted[start : start + self.batch_size]):
                for rel_type, to_id, role in out:
                    yield rel_type, from_id, to_id, role or ""

    def pending_references(self) -> list[PendingRecord]:
        return self._read(lambda tx: [_pending(record["p"]) for record in tx.run(PENDING_SCAN)])

    def claims(self) -> list[Claim]:
        query = f"MATCH (c:{CLAIM}) WHERE c.entity IS NOT NULL RETURN {_CLAIM_FIELDS} ORDER BY c.entity, c.field, c.source"
        return self._read(lambda tx: [Claim(*record.values()) for record in tx.run(query)])

    def relationship_claims(self) -> list[RelClaim]:
        query = (f"MATCH (c:{CLAIM}) WHERE c.type IS NOT NULL RETURN {_REL_CLAIM_FIELDS} "
                 "ORDER BY c.type, c.from_id, c.to_id, c.rkey, c.source")
        return self._read(lambda tx: [RelClaim(*record.values()) for record in tx.run(query)])

    def disputed_claims(self) -> list[Claim]:
        query = (f"MATCH (c:{CLAIM}) WHERE c.entity IS NOT NULL "
                 "WITH c.entity AS entity, c.field AS field, count(DISTINCT c.value) AS values, collect(c) AS said "
                 f"WHERE values > 1 UNWIND said AS c RETURN {_CLAIM_FIELDS} ORDER BY c.entity, c.field, c.source")
        return self._read(lambda tx: [Claim(*record.values()) for record in tx.run(query)])

    def disputed_relationship_claims(self) -> list[RelClaim]:
        """As ``Store.disputed_relationship_claims``, grouped on the server;
        claims of one source never disagree, so with one there is no grouping."""
        sources = f"MATCH (c:{CLAIM}) WHERE c.type IS NOT NULL RETURN count(DISTINCT c.source) AS sources"
        stated = (f"MATCH (c:{CLAIM}) WHERE c.type IS NOT NULL "
                  "WITH c.type AS type, c.from_id AS from_id, c.to_id AS to_id, c.rkey AS rkey, collect(c) AS said "
                  f"WHERE size(said) > 1 UNWIND said AS c RETURN {_REL_CLAIM_FIELDS}")
        owners = (f"MATCH (c:{CLAIM}) WHERE c.type = $owns AND c.rkey IN $keys "
                  "WITH c.to_id AS entity, count(DISTINCT c.source) AS sources, collect(c) AS said "
                  f"WHERE sources > 1 UNWIND said AS c RETURN {_REL_CLAIM_FIELDS}")

        def work(tx: Tx) -> set[RelClaim]:
            if tx.run(sources).single(strict=True)["sources"] < 2:
                return set()
            found = {RelClaim(*record.values()) for record in tx.run(stated)}
            found.update(RelClaim(*record.values())
                         for record in tx.run(owners, owns=Rel.OWNS.value, keys=list(ACCOUNTABLE_KEYS)))
            return found

        return sorted(self._read(work), key=lambda c: (*c.identity, c.source))

    def sources_latest(self, sources: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(sources))
        query = (f"MATCH (c:{CLAIM}) WHERE c.source IN $sources "
                 "RETURN c.source AS source, max(c.last_seen) AS latest")
        return self._read(lambda tx: {r["source"]: r["latest"] for r in tx.run(query, sources=wanted)}) if wanted else {}

    def counts(self) -> Counts:
        rows = self._read(lambda tx: [(r["what"], r["name"], r["n"]) for r in tx.run(counts_query())])
        nodes = {kind: 0 for kind in Kind}
        rels = {rel: 0 for rel in Rel}
        for what, name, count in rows:
            if what == "node":
                nodes[Kind(name)] = count
            else:
                rels[Rel(name)] = count
        return Counts(nodes, rels)
