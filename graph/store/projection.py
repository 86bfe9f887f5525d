"""What the analyses read from a store: a projection, not the whole graph.

The analyses (``graph.analyses.context``) need every node with its properties
(an entity's page shows them all), but of a relationship only its type, its
ends, its role and its provenance. Reading each relationship as a
``RelRecord`` (its property JSON parsed) into a networkx graph, only for the
analysis index to be built from that graph again, cost twice the rules' own
time at 500,000 relationships; so a store streams relationships as
``EdgeRow`` tuples, one stream per type (``Store.analysis_edges``), and the
index is built straight from them. A networkx graph (what tests and
``graph.synthetic`` build) gives the same streams, so both ways give the same index.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from graph.records import NodeRecord, RelRecord
from graph.schema import Kind, Rel, node_defaults

EdgeRow = tuple[str, str, Any, str, str, Any]
"""One relationship of a known type as the analyses read it: ``(from_id,
to_id, role, source, importer, last_seen)``. The role is the ``role``
property (None when absent; a store may leave it None on a type that carries
no role, ``RelSpec.has_role``); source and importer are strings ("" when absent).
A store streams them by ends and key, as ``Store.iter_relationships`` does:
the index then needs no sorting (it checks, and sorts rows in any other
order). Rows between the same two ends must come by key whatever the order,
so that parallel edges (an owner named in several roles) that sort alike keep
one order whichever way the rows came."""

TypedRows = tuple[Rel, Iterable[EdgeRow]]
"""The rows of one relationship type."""

NodeAttributes = tuple[str, dict[str, Any]]
"""A node's id and attributes: its properties over the schema's defaults, then
``kind`` and provenance (``Store.to_networkx``'s node attributes)."""


def kind_defaults() -> dict[Kind, dict[str, Any]]:
    """Each kind's property defaults (found by the kind's value too: a ``StrEnum``)."""
    return {kind: node_defaults(kind) for kind in Kind}


def attributes(kind: Kind, properties: dict[str, Any], source: str, importer: str, first_seen: Any,
               last_seen: Any, defaults: dict[Kind, dict[str, Any]]) -> dict[str, Any]:
    """One node's attributes (``NodeAttributes``); ``defaults`` from ``kind_defaults``."""
    return {**defaults[kind], **properties, "kind": kind, "source": source, "importer": importer,
            "first_seen": first_seen, "last_seen": last_seen}


def node_attributes(nodes: Iterable[NodeRecord]) -> Iterator[NodeAttributes]:
    """``NodeAttributes`` per record, in the order given."""
    defaults = kind_defaults()
    for node in nodes:
        yield node.id, attributes(node.kind, node.properties, node.source, node.importer, node.first_seen,
                                  node.last_seen, defaults)


def typed_rows(relationships: Iterable[RelRecord]) -> Iterator[TypedRows]:
    """The rows of these relationships, a stream for each run of one type."""
    for rel_type, rels in itertools.groupby(relationships, key=lambda rel: rel.type):
        yield rel_type, ((rel.from_id, rel.to_id, rel.properties.get("role"), rel.source or "",
                          rel.importer or "", rel.last_seen) for rel in rels)


def graph_rows(graph: nx.MultiDiGraph) -> list[TypedRows]:
    """The rows of a graph ``graph.store.base.build_networkx`` made, by type,
    from its own adjacency dicts (its views cost a call per edge)."""
    rows: dict[Rel, list[EdgeRow]] = {}
    adjacency = getattr(graph, "_succ", None) or graph.succ
    for src, neighbours in adjacency.items():
        for dst, parallel in neighbours.items():
            for data in parallel.values():
                rows.setdefault(Rel(data["type"]), []).append(
                    (src, dst, data.get("role"), data.get("source") or "", data.get("importer") or "",
                     data.get("last_seen")))
    return list(rows.items())
