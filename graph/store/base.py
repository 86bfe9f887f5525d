"""The store interface every analysis, importer and face uses.

Two implementations keep the same behaviour: the embedded SQLite file
(``graph.store.sqlite_store``) and Neo4j (``graph.store.neo4j_store``).  One
conformance suite (``tests/store``) runs against both.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from graph.claims import Claim, RelClaim
from graph.gc_pause import collector_paused
from graph.records import NodeRecord, PendingRecord, RelRecord, Subgraph
from graph.schema import Kind, OwnerRole, Rel
from graph.store.projection import NodeAttributes, TypedRows, node_attributes, typed_rows

Direction = Literal["out", "in", "both"]
ACCOUNTABLE_KEYS = ("", OwnerRole.ACCOUNTABLE.value)
"""The keys of an OWNS relationship whose owner is accountable (no role is accountable)."""


@dataclass(frozen=True)
class Counts:
    nodes: dict[Kind, int]
    relationships: dict[Rel, int]

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())


class Store(ABC):
    """A graph of schema records with provenance.

    Writes are atomic: ``upsert`` writes everything it is given or nothing.
    Reads return records ordered by id (relationships by their identity), so
    both stores give identical answers.
    """

    url: str

    # -- writing -----------------------------------------------------------
    @abstractmethod
    def upsert(
        self,
        nodes: Iterable[NodeRecord],
        relationships: Iterable[RelRecord],
        seen_at: dt.datetime,
        pending: Iterable[PendingRecord] = (),
        resolved: Iterable[tuple[str, str, str, str]] = (),
    ) -> None:
        """Create or update nodes (by id) and relationships (by type, ends and
        role) in one transaction. Properties given overwrite, properties not
        given are kept; ``first_seen`` is set once, ``last_seen`` every time.

        In the same transaction, ``pending`` references are created or
        updated (by identity; their file and line replaced) and the pending
        references whose identities are in ``resolved`` are deleted, so an
        import that resolves them is all-or-nothing with them."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> int:
        """Delete nodes and their relationships (pending references from or to
        them too); returns how many nodes went."""

    @abstractmethod
    def clear(self) -> None:
        """Delete everything, pending references included."""

    # -- reading -----------------------------------------------------------
    @abstractmethod
    def get_many(self, ids: Iterable[str]) -> dict[str, NodeRecord]:
        """The nodes among ``ids`` that exist, by id."""

    def get(self, node_id: str) -> NodeRecord | None:
        return self.get_many([node_id]).get(node_id)

    @abstractmethod
    def list_nodes(self, kind: Kind | None = None, limit: int = 100, offset: int = 0) -> list[NodeRecord]:
        """A page of nodes, ordered by id."""

    @abstractmethod
    def search(self, text: str, kind: Kind | None = None, limit: int = 50) -> list[NodeRecord]:
        """Nodes whose id or name contains ``text``, ignoring case; ordered by id."""

    @abstractmethod
    def relationships(
        self,
        node_id: str | None = None,
        type: Rel | None = None,
        direction: Direction = "both",
    ) -> list[RelRecord]:
        """Relationships touching ``node_id`` (or all), ordered by identity."""

    def neighbours(
        self,
        node_id: str,
        depth: int = 1,
        direction: Direction = "both",
        types: Iterable[Rel] | None = None,
    ) -> Subgraph:
        """The nodes within ``depth`` hops of ``node_id`` (itself included) and
        the relationships traversed to reach them: a breadth-first walk, one
        ``relationships_touching`` query per hop."""
        type_values = sorted(Rel(t).value for t in types) if types else None
        seen = {node_id} if self.get(node_id) else set()
        frontier = set(seen)
        rels: dict[tuple, RelRecord] = {}
        for _ in range(max(depth, 0)):
            if not frontier:
                break
            reached: set[str] = set()
            for rel in self.relationships_touching(sorted(frontier), direction, type_values):
                rels[rel.identity] = rel
                reached.update(end for end in (rel.from_id, rel.to_id) if end not in seen)
            seen |= reached
            frontier = reached
        nodes = self.get_many(seen)
        return Subgraph([nodes[i] for i in sorted(nodes)], [rels[k] for k in sorted(rels)])

    @abstractmethod
    def relationships_touching(
        self, ids: list[str], direction: Direction, types: list[str] | None
    ) -> Iterable[RelRecord]:
        """The relationships that leave (``out``), reach (``in``) or touch
        (``both``) any of ``ids``, of the given type values (all when None)."""

    @abstractmethod
    def iter_nodes(self, kind: Kind | None = None) -> Iterator[NodeRecord]:
        """Every node, streamed in id order."""

    @abstractmethod
    def iter_relationships(self, type: Rel | None = None) -> Iterator[RelRecord]:
        """Every relationship, streamed."""

    def analysis_nodes(self) -> Iterator[NodeAttributes]:
        """Every node as the analyses read it (``graph.store.projection``), in id order."""
        return node_attributes(self.iter_nodes())

    def analysis_edges(self) -> Iterator[TypedRows]:
        """Every relationship as the analyses read it (``graph.store.projection``),
        one stream of rows per type. This reads whole records; a store
        overrides it to read only the rows' fields."""
        return typed_rows(self.iter_relationships())

    def aliases(self) -> dict[str, str]:
        """Every declared alias of a stored entity, mapped to the entity's id."""
        return {
            alias: node.id
            for node in self.iter_nodes()
            for alias in node.properties.get("aliases") or ()
        }

    def existing_relationships(self, from_ids: Iterable[str]) -> set[tuple[str, str, str, str]]:
        """Identities of the stored relationships that leave ``from_ids``."""
        return set(self.iter_relationship_identities(from_ids))

    def iter_relationship_identities(self, from_ids: Iterable[str]) -> Iterator[tuple[str, str, str, str]]:
        """As ``existing_relationships``, streamed (an import checks 500,000
        against its own without holding a second set); stores override this
        with a query per batch of ids that reads no properties."""
        for node_id in sorted(set(from_ids)):
            for rel in self.relationships(node_id, direction="out"):
                yield rel.identity

    # -- imports in several transactions (--commit-every) ----------------------
    @abstractmethod
    def _read_pending_imports(self) -> str | None:
        """The JSON text of the unfinished imports, or None."""

    @abstractmethod
    def _write_pending_imports(self, text: str | None) -> None:
        """Replace the JSON text of the unfinished imports (None: there are none)."""

    def pending_imports(self) -> dict[str, dict[str, str]]:
        """Imports written in several transactions that began and have not
        finished (interrupted, or still running), by key: ``{"what": …, "started": …}``.
        Their graph is partial: the analyses warn about it."""
        text = self._read_pending_imports()
        return json.loads(text) if text else {}

    def begin_pending_import(self, key: str, what: str, started: str) -> None:
        pending = self.pending_imports()
        pending[key] = {"what": what, "started": started}
        self._write_pending_imports(json.dumps(pending, sort_keys=True))

    def end_pending_import(self, key: str) -> None:
        """The import ``key`` wrote its last transaction: the graph is whole again."""
        pending = self.pending_imports()
        if pending.pop(key, None) is not None:
            self._write_pending_imports(json.dumps(pending, sort_keys=True) if pending else None)

    @abstractmethod
    def claims(self) -> list[Claim]:
        """Every source's latest value for each claimed field of each entity
        (``graph.claims``), ordered by entity, field and source."""

    @abstractmethod
    def relationship_claims(self) -> list[RelClaim]:
        """Every source's latest statement of each relationship, ordered by
        the relationship's identity, then source."""

    # The claims that can disagree (graph.service.disagreements), so that a
    # snapshot's disagreements do not read every claim of every source. The
    # stores answer these in one grouped query each; the definitions here, over
    # every claim, are the reference their answers are tested against.
    def disputed_claims(self) -> list[Claim]:
        """The claims of each entity field that sources give more than one
        value for, ordered as ``claims``."""
        values: dict[tuple[str, str], set[str]] = defaultdict(set)
        claims = self.claims()
        for claim in claims:
            values[(claim.entity, claim.field)].add(claim.value)
        return [c for c in claims if len(values[(c.entity, c.field)]) > 1]

    def disputed_relationship_claims(self) -> list[RelClaim]:
        """The relationship claims that can disagree, ordered as
        ``relationship_claims``: every claim of a relationship more than one
        source states, and every claim of an accountable owner (OWNS keyed
        ``ACCOUNTABLE_KEYS``) of an entity whose accountable owners more than
        one source names."""
        claims = self.relationship_claims()
        stated: dict[tuple[str, str, str, str], int] = defaultdict(int)
        owner_sources: dict[str, set[str]] = defaultdict(set)
        for claim in claims:
            stated[claim.identity] += 1
            if claim.type == Rel.OWNS.value and claim.key in ACCOUNTABLE_KEYS:
                owner_sources[claim.to_id].add(claim.source)
        return [c for c in claims if stated[c.identity] > 1 or (
            c.type == Rel.OWNS.value and c.key in ACCOUNTABLE_KEYS and len(owner_sources[c.to_id]) > 1)]

    def sources_latest(self, sources: Iterable[str]) -> dict[str, str]:
        """When each of ``sources`` last claimed anything (its latest import),
        for those that claimed something."""
        wanted, latest = set(sources), dict[str, str]()
        said = [(c.source, c.last_seen) for c in self.claims()]
        said += [(c.source, c.last_seen) for c in self.relationship_claims()]
        for source, last_seen in said:
            if source in wanted and last_seen > latest.get(source, ""):
                latest[source] = last_seen
        return latest

    @abstractmethod
    def revision(self) -> int:
        """A counter every committed write bumps (0 for a store never written),
        read from the store itself, so other processes' writes show: the read
        side rebuilds its analysed snapshot only when it has moved."""

    @abstractmethod
    def pending_references(self) -> list[PendingRecord]:
        """Every pending reference (see ``PendingRecord``), ordered by identity."""

    @abstractmethod
    def counts(self) -> Counts:
        """Nodes per kind and relationships per type (zeros included)."""

    def close(self) -> None:  # noqa: B027 - a store without connections has nothing to release
        """Release connections."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- shared ------------------------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph for the analyses, built the same way on every store.

        Node attributes are the properties with the schema's defaults filled
        in, plus ``kind`` and provenance. Edge keys are ``TYPE`` or
        ``TYPE:role``; edge attributes are ``type``, ``role`` and provenance.
        Pending references are not edges: they are listed in
        ``graph.graph["pending"]``, for the analyses to name a missing owner.
        """
        graph = build_networkx(self.iter_nodes(), self.iter_relationships())
        graph.graph["pending"] = self.pending_references()
        return graph


def build_networkx(nodes: Iterable[NodeRecord], relationships: Iterable[RelRecord]) -> nx.MultiDiGraph:
    """The analyses' graph of these records, inserted in the order given (see
    ``Store.to_networkx``); the garbage collector is paused while it grows."""
    with collector_paused():
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(node_attributes(nodes))
        for rel in relationships:
            key = rel.type.value + (f":{rel.key}" if rel.key else "")
            graph.add_edge(
                rel.from_id,
                rel.to_id,
                key=key,
                type=rel.type,
                role=rel.properties.get("role"),
                source=rel.source,
                importer=rel.importer,
                first_seen=rel.first_seen,
                last_seen=rel.last_seen,
            )
        return graph
