"""Grouping a selection too large to draw: by business unit, then by kind.

Past ``max_nodes`` entities the page starts from one cluster per business unit;
a unit opens into one cluster per kind, and a kind cluster opens into its
entities. A kind cluster can open only if its entities are in the page
(``embedded``): the smaller clusters are, up to a budget, so the page stays a
few megabytes on a graph of 100,000 entities; the others say how many they
hold and ask for a focus or a filter. Relationships between clusters are
counted per pair of kind clusters and relationship type (``cluster_edges``);
the page adds them up to whatever is open.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graph.analyses.context import Edge
from graph.schema import Kind, Rel
from visualizations.explorer.selection import Selection
from visualizations.explorer.style import LAYERS

CLUSTER_PREFIX = "\x1fcluster/"
"""Cluster ids start with a control character, which no entity id may contain."""
NO_UNIT = ""
EDGES_PER_NODE = 4
"""Clusters open only while the page holds at most this many relationships per
entity in it: a cluster of hubs (teams own hundreds of things) would fill the
page with relationships to clusters that are closed anyway."""
NO_UNIT_NAME = "no business unit"


@dataclass
class KindCluster:
    id: str
    unit: str
    kind: Kind
    members: list[str]
    expandable: bool = False


@dataclass
class UnitCluster:
    id: str
    unit: str
    name: str
    vendor: bool
    kinds: list[KindCluster] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(c.members) for c in self.kinds)


@dataclass
class Clustering:
    clustered: bool
    units: list[UnitCluster]
    cluster_of: dict[str, str]
    embedded: set[str]
    cluster_edges: list[tuple[str, str, Rel, int]]
    entity_edges: list[Edge]
    notes: list[str]


def unit_cluster_id(unit: str) -> str:
    return f"{CLUSTER_PREFIX}{unit}"


def kind_cluster_id(unit: str, kind: Kind) -> str:
    return f"{CLUSTER_PREFIX}{unit}\x1f{kind.value}"


def group(selection: Selection, max_nodes: int, embed_limit: int | None = None) -> Clustering:
    """The clusters of ``selection`` (none when it fits in ``max_nodes``).

    ``embed_limit`` (default three times ``max_nodes``) bounds how many entities
    of clustered graphs go into the page (and ``EDGES_PER_NODE`` times that,
    how many relationships touch them); no single kind cluster larger than
    ``max_nodes`` can open, since drawing it alone would break the bound."""
    snapshot = selection.snapshot
    ctx = snapshot.ctx
    units: dict[str, UnitCluster] = {}
    members: dict[tuple[str, Kind], list[str]] = {}
    for entity in selection.entities:
        unit = ctx.business_unit(entity) or NO_UNIT
        members.setdefault((unit, ctx.kind(entity)), []).append(entity)  # type: ignore[arg-type]
        if unit not in units:
            name = (ctx.unit_name(unit) or unit) if unit else NO_UNIT_NAME
            units[unit] = UnitCluster(unit_cluster_id(unit), unit, name, bool(unit) and snapshot.is_vendor(unit))
    order = sorted(units.values(), key=lambda u: (u.unit == NO_UNIT, u.vendor, u.name.casefold(), u.unit))
    for cluster in order:
        cluster.kinds = [KindCluster(kind_cluster_id(cluster.unit, kind), cluster.unit, kind,
                                     members[(cluster.unit, kind)])
                         for kind in LAYERS if (cluster.unit, kind) in members]

    def by_name(kc: KindCluster) -> None:
        """Entities in a cluster that opens are laid out by name (only those: sorting 100,000 names costs)."""
        kc.members.sort(key=lambda e: (ctx.name(e).casefold(), e))

    if len(selection.entities) <= max_nodes:
        for cluster in order:
            for kc in cluster.kinds:
                kc.expandable = True
                by_name(kc)
        return Clustering(False, order, {}, set(selection.entities), [], selection.edges, [])

    budget = embed_limit if embed_limit is not None else 3 * max_nodes
    edge_budget = EDGES_PER_NODE * budget
    # Counter(iterable) counts in C; an edge's ``type._value_`` is a plain
    # attribute where ``.value`` and hashing an Enum are Python calls
    degree: Counter[str] = Counter(edge.from_id for edge in selection.edges)
    degree.update(edge.to_id for edge in selection.edges)
    embedded: set[str] = set()
    edges_in_page = 0
    for kc in sorted((kc for u in order for kc in u.kinds), key=lambda c: (len(c.members), c.id)):
        touching = sum(degree[m] for m in kc.members)
        if len(kc.members) < max_nodes and len(embedded) + len(kc.members) <= budget \
                and edges_in_page + touching <= edge_budget:
            kc.expandable = True
            by_name(kc)
            embedded.update(kc.members)
            edges_in_page += touching
    cluster_of = {entity: kc.id for u in order for kc in u.kinds for entity in kc.members}
    counts: Counter[tuple[str, str, str]] = Counter(
        (cluster_of[edge.from_id], cluster_of[edge.to_id], edge.type._value_) for edge in selection.edges)
    closed = sum(len(kc.members) for u in order for kc in u.kinds if not kc.expandable)
    notes = [f"{len(selection.entities):,} entities are too many to draw at once (the limit is {max_nodes:,}): "
             f"they are grouped by business unit, then kind; click a cluster to open it."]
    if closed:
        notes.append(f"{closed:,} entities are in clusters too large to open here: "
                     "focus on an entity or filter by business unit and kind to see them.")
    return Clustering(True, order, cluster_of, embedded,
                      [(a, b, Rel(rel), n) for (a, b, rel), n in sorted(counts.items())],
                      [e for e in selection.edges if e.from_id in embedded or e.to_id in embedded], notes)
