"""What every rule needs to know about the graph, computed once per run.

``AnalysisContext`` indexes a store's graph (read straight from the store,
``AnalysisContext.from_store``) or a ``networkx`` graph (``Store.to_networkx``,
``graph.synthetic``) by relationship type and direction, sorted, so rules
look things up instead of traversing, and their output never depends on the
order in which nodes and relationships were inserted. Answers that cost a walk
(the top-level team above a team, an entity's business unit) are memoised: the
whole context builds in one pass over the edges and every later answer is
amortised constant time, which keeps 100,000 nodes / 500,000 edges fast.

Decisions (PRODUCT.md leaves them open; they are deterministic and tested):

* **Owners.** An OWNS edge without a role is accountable (the schema's default).
  An owner counts as *active* only if it is a Team or Person whose ``active``
  is true: an owner who left, an inactive team, or an owner id that is not in
  the graph counts as no owner.
* **Pending owners.** An OWNS relationship whose owner no import has brought
  (a pending reference, ``graph.graph["pending"]``) is no owner; the
  ownership rules name it ("owned by X, which no import has brought").
* **Hierarchy.** A Team's parent is the Team it is PART_OF; with several, the
  one with the smallest id. The top-level team is the end of that chain; a
  chain that runs into a PART_OF cycle ends there, and the cycle's smallest id
  stands for the top. Workflow and System hierarchies follow the same rule.
* **Business unit of an entity** (``business_unit``):
  - a Team: its own top-level team (a top-level team is its own unit);
  - a Person: the top-level team above the teams it is MEMBER_OF;
  - anything else: the top-level team above its *accountable* owners (active
    ones first; if none is active, all of them), a Team owner through PART_OF
    and a Person owner through MEMBER_OF then PART_OF. Failing that, its
    owners in any other role (active first). Failing that, by kind: a Workflow
    takes the unit of the teams that PERFORM it, then of its parent workflow;
    a System the unit of its parent system; an Initiative the unit of the
    workflows it SUPPORTS; a Metric the unit of the initiatives MEASURED_BY it.
    Otherwise ``None`` (unknown).
  - **Ties** — candidates in several units — go to the unit with the smallest
    id; fragmented-ownership is the rule that reports the split.
* **Vendors are never business units** (PRODUCT.md). An owner that is a
  vendor Team, or sits under one, belongs to the ``VENDORS`` bucket, never to
  a unit; a real unit always wins over it, so an entity lands in ``vendors``
  only when a vendor is all that owns it, and vendors never make ownership
  "span business units".
* **Stage.** A stage the source left blank is ``unknown``; ``stage_since``
  is the source's date, else when the stage history first saw the current
  stage (``graph.stage_history.since``).
* ``owner_business_unit`` is the owner-only part of that (no fallback by
  kind); duplicate-initiatives uses it, because an unowned initiative that
  borrowed its workflow's unit did not "adopt a tool on its own".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx

from graph.analyses.model import EvidenceStep, Finding, Severity, finding_id
from graph.gc_pause import collector_paused
from graph import stage_history
from graph.schema import Kind, Lifecycle, OwnerRole, Rel, Stage, TeamType
from graph.store.projection import EdgeRow, NodeAttributes, TypedRows, graph_rows

if TYPE_CHECKING:
    from graph.store.base import Store

OWNER_KINDS = frozenset({Kind.TEAM, Kind.PERSON})
VENDORS = "vendors"
"""The bucket, beside the business units, for what only vendors own."""


class Edge(NamedTuple):
    """One relationship with its provenance, as the rules see it."""

    from_id: str
    to_id: str
    type: Rel
    role: OwnerRole | None
    source: str
    importer: str
    last_seen: str | None


def parse_date(value: Any) -> dt.date | None:
    """A date from what a store returns (a date, an ISO string, a driver type);
    ``None`` when absent or unreadable, so a bad value never crashes a run."""
    if isinstance(value, str):  # what the stores give: checked first
        return _iso_date(value[:10])
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_native"):
        return parse_date(value.to_native())
    return _iso_date(str(value)[:10])


@lru_cache(maxsize=8192)
def _iso_date(text: str) -> dt.date | None:
    """Memoised: a store's timestamps repeat (one per import), and parsing
    100,000 of them one by one is most of the stale-record rule's time."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# Value -> member; StrEnum members hash like their values, so either finds it.
# An OWNS edge without a role is accountable; an unknown role is kept as None.
_KINDS: dict[str, Kind] = {kind.value: kind for kind in Kind}
_STAGES: dict[str, Stage] = {stage.value: stage for stage in Stage}
_ROLES: dict[str, OwnerRole] = {role.value: role for role in OwnerRole}
_OWNER_ROLES: dict[str | None, OwnerRole] = {None: OwnerRole.ACCOUNTABLE, "": OwnerRole.ACCOUNTABLE}
_OWNER_ROLES.update(_ROLES)
"""An OWNS row's role: none is accountable, an unknown one is None."""
_NO_ROLE: dict[str | None, OwnerRole] = {}
"""Any other type's row: no role."""


class AnalysisContext:
    """An index of one graph for the rules. Build it once with
    ``AnalysisContext.from_store(store)``, or ``AnalysisContext(graph)`` (or
    ``AnalysisContext.of(graph_or_context)``) for a networkx graph."""

    def __init__(self, graph: nx.MultiDiGraph):
        """The index of a networkx graph (``graph.store.base.build_networkx``,
        ``graph.synthetic``). It is not kept: the rules read only the index."""
        self._index(graph.nodes(data=True), graph_rows(graph), graph.graph.get("pending", ()))

    @classmethod
    def from_store(cls, store: Store) -> "AnalysisContext":
        """The index of a store's whole graph, read straight into it: every
        node, and of each relationship only what the rules see
        (``graph.store.projection``), with no networkx graph in between.
        The same index as ``AnalysisContext(store.to_networkx())``."""
        ctx = cls.__new__(cls)
        with collector_paused():
            ctx._index(store.analysis_nodes(), store.analysis_edges(), store.pending_references())
        return ctx

    def _index(self, nodes: Iterable[NodeAttributes], edges: Iterable[TypedRows], pending: Iterable[Any]) -> None:
        self._attrs: dict[str, dict[str, Any]] = {}
        self._kind: dict[str, Kind] = {}
        kinds: dict[Kind, list[str]] = {kind: [] for kind in Kind}
        for node_id, attrs in nodes:
            self._attrs[node_id] = attrs
            kind = attrs.get("kind")
            if kind is not None:
                kind = _KINDS[kind]
                self._kind[node_id] = kind
                kinds[kind].append(node_id)
        self._by_kind = {kind: sorted(ids) for kind, ids in kinds.items()}

        self._out: dict[Rel, dict[str, list[Edge]]] = {rel: {} for rel in Rel}
        self._in: dict[Rel, dict[str, list[Edge]]] = {rel: {} for rel in Rel}
        with collector_paused():  # half a million tuples: the collector would rescan them again and again
            for rel, rows in edges:
                self._index_edges(Rel(rel), rows)
        for index in (self._out, self._in):
            for by_node in index.values():
                for node_id in by_node.keys() - self._attrs.keys():  # an end no node record has brought
                    self._attrs[node_id] = {}
        self._ids = sorted(self._attrs)

        self._top: dict[str, str] = {}
        self._bu: dict[str, str | None] = {}
        self._pending_owners: dict[str, list[Any]] = defaultdict(list)
        for ref in pending:
            if ref.type == Rel.OWNS and ref.to_id in self._attrs and ref.from_id not in self._attrs:
                self._pending_owners[ref.to_id].append(ref)

    def _index_edges(self, rel: Rel, rows: Iterable[EdgeRow]) -> None:
        """Index the rows of one type both ways, each node's edges sorted
        (``_edge_order``). The hot loop of a run, one pass over every edge:
        plain tuples, a dict lookup for the role rather than Enum calls.

        Rows that come by their ends (as the stores give them) leave every
        list in order already: an edge's list is only looked up when its
        start changes, and only parallel edges (one owner in several roles)
        need sorting, to break their ties. Rows in any other order (a graph's
        adjacency) are sorted whole."""
        out, into = self._out[rel], self._in[rel]
        role_of = _OWNER_ROLES if rel is Rel.OWNS else _NO_ROLE
        new = tuple.__new__
        parallel_out: set[str] = set()
        parallel_in: set[str] = set()
        in_order = True
        last_src: str | None = None
        last_dst = ""
        out_edges: list[Edge] = []
        for src, dst, role, source, importer, last_seen in rows:
            edge: Edge = new(Edge, (src, dst, rel, role_of.get(role), source, importer, last_seen))
            if src != last_src:
                if last_src is not None and src < last_src:
                    in_order = False
                out_edges = out.setdefault(src, [])
                last_src = src
            elif dst == last_dst:
                parallel_out.add(src)
                parallel_in.add(dst)
            elif dst < last_dst:
                in_order = False
            last_dst = dst
            out_edges.append(edge)
            if (edges := into.get(dst)) is None:
                into[dst] = [edge]
            else:
                edges.append(edge)
        if in_order:
            for by_node, ids in ((out, parallel_out), (into, parallel_in)):
                for node_id in ids:
                    by_node[node_id].sort(key=_edge_order)
            return
        for by_node in (out, into):
            for edges in by_node.values():
                if len(edges) > 1:
                    edges.sort(key=_edge_order)

    def overlay(self, attrs: dict[str, dict[str, Any]] | None = None, add: Iterable[Edge] = (),
                remove: Iterable[Edge] = ()) -> "AnalysisContext":
        """This graph with some changes, as a new context that shares every
        unchanged part with this one (``graph.service.whatif``).

        Copying a 100,000-node graph and indexing it again costs seconds; an
        overlay copies the id-to-attributes map (references, not the
        attribute dicts) and only the relationship indexes of the types that
        change, so a what-if costs about one run of the rules. ``attrs`` gives
        new values for some properties of existing nodes (merged over the old
        ones; this context's dicts are never touched). An edge in ``remove``
        matches by type, ends and role; a role of None removes every role.
        The memoised units are started afresh, since any change can move them.
        """
        clone = object.__new__(AnalysisContext)
        clone._attrs = dict(self._attrs)
        for node_id, changed in (attrs or {}).items():
            clone._attrs[node_id] = {**self._attrs.get(node_id, {}), **changed}
        clone._kind, clone._by_kind, clone._ids = self._kind, self._by_kind, self._ids
        clone._out, clone._in = dict(self._out), dict(self._in)
        copied: set[Rel] = set()

        def lists(rel: Rel) -> tuple[dict[str, list[Edge]], dict[str, list[Edge]]]:
            if rel not in copied:
                copied.add(rel)
                clone._out[rel], clone._in[rel] = dict(self._out[rel]), dict(self._in[rel])
            return clone._out[rel], clone._in[rel]

        for edge in remove:
            out, into = lists(edge.type)

            def kept(candidate: Edge, edge: Edge = edge) -> bool:
                return not (candidate.to_id == edge.to_id and candidate.from_id == edge.from_id
                            and (edge.role is None or candidate.role is edge.role))

            out[edge.from_id] = [e for e in out.get(edge.from_id, _NONE) if kept(e)]
            into[edge.to_id] = [e for e in into.get(edge.to_id, _NONE) if kept(e)]
        for edge in add:
            out, into = lists(edge.type)
            out[edge.from_id] = sorted([*out.get(edge.from_id, _NONE), edge], key=_edge_order)
            into[edge.to_id] = sorted([*into.get(edge.to_id, _NONE), edge], key=_edge_order)
        clone._top, clone._bu = {}, {}
        clone._pending_owners = self._pending_owners  # what no import has brought stays pending
        return clone

    @classmethod
    def of(cls, graph_or_context: "nx.MultiDiGraph | AnalysisContext") -> "AnalysisContext":
        if isinstance(graph_or_context, AnalysisContext):
            return graph_or_context
        return cls(graph_or_context)

    # -- nodes ---------------------------------------------------------------
    def ids(self, kind: Kind | None = None) -> list[str]:
        """Node ids, sorted; of one kind if given."""
        return self._ids if kind is None else self._by_kind[kind]

    def has(self, node_id: str) -> bool:
        return node_id in self._attrs

    def attrs(self, node_id: str) -> dict[str, Any]:
        attrs = self._attrs.get(node_id)
        return {} if attrs is None else attrs

    def kind(self, node_id: str) -> Kind | None:
        return self._kind.get(node_id)

    def name(self, node_id: str | None) -> str:
        if node_id is None:
            return ""
        attrs = self._attrs.get(node_id)
        return str(attrs and attrs.get("name") or node_id)

    def names(self, node_ids: Iterable[str], limit: int = 5) -> str:
        """Names for a message: "A, B and C", or "A, B, C and 4 more" past ``limit``."""
        names = [self.name(node_id) for node_id in node_ids]
        if len(names) > limit:
            names = names[:limit] + [f"{len(names) - limit} more"]
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]

    def stage(self, node_id: str) -> Stage | None:
        attrs = self._attrs.get(node_id)
        return _STAGES.get(str(attrs.get("stage") if attrs else None))

    def stage_since(self, initiative: str) -> tuple[dt.date | None, str]:
        """When the initiative entered its current stage, and where that date
        comes from: the source's ``stage_since``, else the stage history."""
        attrs = self.attrs(initiative)
        given = parse_date(attrs.get("stage_since"))
        if given is not None:
            return given, "stage_since"
        observed = stage_history.since(attrs.get("stage_history"), self.stage(initiative))
        return observed, "stage history" if observed else ""

    def is_high_impact(self, initiative: str) -> bool:
        return self.attrs(initiative).get("high_impact") is True

    def is_unknown_stage(self, initiative: str) -> bool:
        return self.stage(initiative) is Stage.UNKNOWN

    def stage_phrase(self, initiative: str) -> str:
        """The stage in words for a message: "in production", "scaled", "a pilot"."""
        stage = self.stage(initiative)
        return {Stage.IDEA: "an idea", Stage.PILOT: "a pilot", Stage.PRODUCTION: "in production",
                Stage.SCALED: "scaled", Stage.RETIRED: "retired"}.get(stage, "of unknown stage")  # type: ignore[arg-type]

    def is_live(self, initiative: str) -> bool:
        return self.stage(initiative) in (Stage.PRODUCTION, Stage.SCALED)

    def is_retired_initiative(self, initiative: str) -> bool:
        return self.stage(initiative) is Stage.RETIRED

    def live_initiatives(self) -> list[str]:
        return [i for i in self.ids(Kind.INITIATIVE) if self.is_live(i)]

    def open_initiatives(self) -> list[str]:
        """Initiatives that are not retired, sorted."""
        return [i for i in self.ids(Kind.INITIATIVE) if not self.is_retired_initiative(i)]

    def is_retired_system(self, system: str) -> bool:
        return self.attrs(system).get("lifecycle") == Lifecycle.RETIRED

    def is_active_owner(self, owner: str) -> bool:
        """A Team or Person that is still active; anything else owns nothing."""
        return self._kind.get(owner) in OWNER_KINDS and self._attrs[owner].get("active", True) is True

    # -- relationships -------------------------------------------------------
    def out_edges(self, node_id: str, rel: Rel) -> list[Edge]:
        """Relationships of type ``rel`` from ``node_id``, sorted by target."""
        return self._out[rel].get(node_id, _NONE)

    def in_edges(self, node_id: str, rel: Rel) -> list[Edge]:
        """Relationships of type ``rel`` into ``node_id``, sorted by source."""
        return self._in[rel].get(node_id, _NONE)

    def targets(self, node_id: str, rel: Rel, kind: Kind | None = None) -> list[str]:
        """Distinct targets, sorted; of one kind if given."""
        edges = self._out[rel].get(node_id, _NONE)
        if kind is None:
            return _distinct([e.to_id for e in edges])
        kind_of = self._kind
        return _distinct([e.to_id for e in edges if kind_of.get(e.to_id) is kind])

    def sources(self, node_id: str, rel: Rel, kind: Kind | None = None) -> list[str]:
        """Distinct sources, sorted; of one kind if given."""
        edges = self._in[rel].get(node_id, _NONE)
        if kind is None:
            return _distinct([e.from_id for e in edges])
        kind_of = self._kind
        return _distinct([e.from_id for e in edges if kind_of.get(e.from_id) is kind])

    def edges(self, rel: Rel) -> Iterable[Edge]:
        """Every relationship of a type, by source id then target."""
        by_source = self._out[rel]
        for src in sorted(by_source):
            yield from by_source[src]

    def find_edge(self, src: str, dst: str, rel: Rel) -> Edge | None:
        for edge in self.out_edges(src, rel):
            if edge.to_id == dst:
                return edge
        return None

    def shortest_path(self, start: str, goal: str, rel: Rel, within: set[str] | None = None) -> list[str]:
        """The shortest path of ``rel`` edges from ``start`` to ``goal`` (a cycle
        when they are equal), trying targets in id order so the answer is
        deterministic; ``[]`` if there is none. ``within`` limits the nodes."""
        parents: dict[str, str] = {}
        frontier = [start]
        seen = {start}
        while frontier:
            reached: list[str] = []
            for node in frontier:
                for edge in self.out_edges(node, rel):
                    nxt = edge.to_id
                    if within is not None and nxt not in within:
                        continue
                    if nxt == goal:
                        path = [goal, node]
                        while path[-1] != start:
                            path.append(parents[path[-1]])
                        return path[::-1]
                    if nxt not in seen:
                        seen.add(nxt)
                        parents[nxt] = node
                        reached.append(nxt)
            frontier = reached
        return []

    # -- ownership -----------------------------------------------------------
    def owner_edges(self, entity: str, roles: Iterable[OwnerRole] | None = None) -> list[Edge]:
        """OWNS edges into ``entity``, in the given roles, sorted by owner."""
        wanted = None if roles is None else frozenset(roles)
        return [e for e in self.in_edges(entity, Rel.OWNS) if wanted is None or e.role in wanted]

    def accountable_owners(self, entity: str) -> list[str]:
        """Every accountable owner, active or not, sorted."""
        accountable = OwnerRole.ACCOUNTABLE
        return _distinct([e.from_id for e in self._in[Rel.OWNS].get(entity, _NONE) if e.role is accountable])

    def active_accountable_owners(self, entity: str) -> list[str]:
        """The accountable owners that count: active Teams and Persons, sorted."""
        return [o for o in self.accountable_owners(entity) if self.is_active_owner(o)]

    def pending_owners(self, entity: str, role: OwnerRole = OwnerRole.ACCOUNTABLE) -> list[Any]:
        """Pending references (``graph.records.PendingRecord``) naming an owner
        of ``entity`` in ``role`` that no import has brought: no owner for any
        rule, but worth naming in a finding. Sorted by owner id."""
        refs = [ref for ref in self._pending_owners.get(entity, ())
                if (ref.properties.get("role") or OwnerRole.ACCOUNTABLE) == role]
        return sorted(refs, key=lambda ref: ref.identity)

    def pending_owner_phrase(self, entity: str) -> str:
        """"owned by X, which no import has brought", or "" without pending owners."""
        owners = _distinct(ref.from_id for ref in self.pending_owners(entity))
        if not owners:
            return ""
        return f"owned by {' and '.join(owners)}, which no import has brought"

    def pending_steps(self, entity: str) -> list[EvidenceStep]:
        """The pending accountable owners of ``entity`` as evidence, each with the file and line that named it."""
        return [EvidenceStep(from_id=ref.from_id, from_name=ref.from_id, type=Rel.OWNS,
                             role=ref.properties.get("role") or OwnerRole.ACCOUNTABLE.value, to_id=entity,
                             to_name=self.name(entity), source=ref.source, importer=ref.importer,
                             last_seen=ref.last_seen,
                             note=f"pending: no import has brought {ref.from_id} (named at {ref.location})")
                for ref in self.pending_owners(entity)]

    # -- hierarchy and business units ---------------------------------------
    def team_parent(self, team: str) -> str | None:
        """The Team ``team`` is PART_OF (the smallest id if several)."""
        for edge in self.out_edges(team, Rel.PART_OF):
            if edge.to_id != team and self.kind(edge.to_id) is Kind.TEAM:
                return edge.to_id
        return None

    def top_team(self, team: str) -> str:
        """The top-level team above ``team`` (itself if it has no parent)."""
        if team in self._top:
            return self._top[team]
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = team
        top: str
        while current is not None:
            if current in self._top:
                top = self._top[current]
                break
            if current in on_path:  # a PART_OF cycle: its smallest member is the top
                cycle = path[path.index(current):]
                top = min(cycle)
                break
            path.append(current)
            on_path.add(current)
            parent = self.team_parent(current)
            if parent is None:
                top = current
                break
            current = parent
        for member in path:
            self._top[member] = top
        return top

    def teams_of(self, person: str) -> list[str]:
        """The Teams a person is MEMBER_OF, sorted."""
        return self.targets(person, Rel.MEMBER_OF, Kind.TEAM)

    def is_vendor(self, team: str) -> bool:
        return self.kind(team) is Kind.TEAM and self.attrs(team).get("type") == TeamType.VENDOR

    def team_unit(self, team: str) -> str:
        """A Team's business unit: its top-level team, or ``VENDORS`` when it
        or that top is a vendor (a vendor is never a business unit)."""
        top = self.top_team(team)
        return VENDORS if self.is_vendor(team) or self.is_vendor(top) else top

    def owner_unit(self, owner: str) -> str | None:
        """The business unit an owner belongs to: a Team's top-level team, a
        Person's through their teams (the smallest if several, a real unit
        before ``VENDORS``)."""
        kind = self.kind(owner)
        if kind is Kind.TEAM:
            return self.team_unit(owner)
        if kind is Kind.PERSON:
            return min((self.team_unit(t) for t in self.teams_of(owner)), default=None, key=_unit_order)
        return None

    def _units(self, owners: Iterable[str]) -> list[str]:
        """Distinct units, sorted, ``VENDORS`` last."""
        return sorted(_distinct(unit for unit in map(self.owner_unit, owners) if unit is not None), key=_unit_order)

    def owner_business_unit(self, entity: str) -> str | None:
        """The unit of ``entity``'s owners: accountable ones (active first), then
        owners in any other role (active first); ties to the smallest id."""
        accountable = self.accountable_owners(entity)
        others = _distinct(e.from_id for e in self.in_edges(entity, Rel.OWNS) if e.role is not OwnerRole.ACCOUNTABLE)
        for group in (accountable, others):
            for owners in ([o for o in group if self.is_active_owner(o)], group):
                units = self._units(owners)
                if units:
                    return units[0]
        return None

    def accountable_units(self, entity: str) -> list[str]:
        """The distinct business units of ``entity``'s active accountable
        owners; vendors are no business unit and are left out."""
        return [u for u in self._units(self.active_accountable_owners(entity)) if u != VENDORS]

    def business_unit(self, entity: str) -> str | None:
        """The business unit of any entity (see the module docstring)."""
        if entity in self._bu:
            return self._bu[entity]
        kind = self.kind(entity)
        if kind is Kind.WORKFLOW or kind is Kind.SYSTEM:
            return self._unit_up_the_chain(entity, kind)
        unit = self._direct_unit(entity, kind)
        if unit is None and kind is Kind.INITIATIVE:
            unit = min(filter(None, map(self.business_unit, self.targets(entity, Rel.SUPPORTS))), default=None,
                       key=_unit_order)
        elif unit is None and kind is Kind.METRIC:
            unit = min(filter(None, map(self.business_unit, self.sources(entity, Rel.MEASURED_BY))), default=None,
                       key=_unit_order)
        self._bu[entity] = unit
        return unit

    def _direct_unit(self, entity: str, kind: Kind | None) -> str | None:
        if kind is Kind.TEAM:
            return self.team_unit(entity)
        if kind is Kind.PERSON:
            return self.owner_unit(entity)
        unit = self.owner_business_unit(entity)
        if unit is None and kind is Kind.WORKFLOW:
            unit = min((self.team_unit(t) for t in self.sources(entity, Rel.PERFORMS, Kind.TEAM)), default=None,
                       key=_unit_order)
        return unit

    def _parent(self, node: str, kind: Kind) -> str | None:
        for edge in self.out_edges(node, Rel.PART_OF):
            if edge.to_id != node and self.kind(edge.to_id) is kind:
                return edge.to_id
        return None

    def _unit_up_the_chain(self, entity: str, kind: Kind) -> str | None:
        """A workflow's or system's unit, else its parent's, walked iteratively
        (hierarchies can be deep) and memoised for every node on the way."""
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = entity
        unit: str | None = None
        while current is not None:
            if current in self._bu:
                unit = self._bu[current]
                break
            if current in on_path:
                break
            path.append(current)
            on_path.add(current)
            unit = self._direct_unit(current, kind)
            if unit is not None:
                break
            current = self._parent(current, kind)
        for member in path:
            self._bu[member] = unit
        return unit

    def unit_name(self, unit: str | None) -> str | None:
        if unit == VENDORS and not self.has(VENDORS):
            return VENDORS
        return None if unit is None else self.name(unit)

    # -- building findings ----------------------------------------------------
    def step(self, edge: Edge, note: str | None = None) -> EvidenceStep:
        """A relationship as evidence, with its source."""
        return EvidenceStep(
            from_id=edge.from_id, from_name=self.name(edge.from_id), type=edge.type,
            role=edge.role.value if edge.role else None, to_id=edge.to_id, to_name=self.name(edge.to_id),
            source=edge.source, importer=edge.importer, last_seen=edge.last_seen, note=note,
        )

    def node_step(self, node_id: str, note: str) -> EvidenceStep:
        """A fact about one node as evidence, with the node's source."""
        attrs = self.attrs(node_id)
        return EvidenceStep(
            from_id=node_id, from_name=self.name(node_id), source=attrs.get("source") or "",
            importer=attrs.get("importer") or "", last_seen=attrs.get("last_seen"), note=note,
        )

    def path_steps(self, path: Sequence[str], rel: Rel) -> list[EvidenceStep]:
        """Evidence for a path of ``rel`` edges through ``path``'s nodes."""
        steps = []
        for src, dst in zip(path, path[1:], strict=False):
            edge = self.find_edge(src, dst, rel)
            if edge is not None:
                steps.append(self.step(edge))
        return steps

    def finding(
        self,
        rule: str,
        severity: Severity,
        subject: str,
        *,
        message: str,
        remediation: str,
        related: Iterable[str] = (),
        identity: Iterable[str] = (),
        evidence: Iterable[EvidenceStep] = (),
        business_unit: str | None = None,
    ) -> Finding:
        """A finding about ``subject``. Its id comes from the rule, the subject
        and ``identity`` (the other ids that make the gap this gap, not every
        related entity, so adding a bystander does not make it a new gap).
        The business unit defaults to the subject's."""
        unit = business_unit if business_unit is not None else self.business_unit(subject)
        return Finding(
            id=finding_id(rule, [subject, *identity]),
            rule=rule,
            severity=severity,
            subject=subject,
            subject_name=self.name(subject),
            subject_kind=self.kind(subject),
            related=_distinct(r for r in related if r != subject),
            business_unit=unit,
            business_unit_name=self.unit_name(unit),
            message=message,
            evidence=list(evidence),
            remediation=remediation,
        )


_NONE: list[Edge] = []


def _unit_order(unit: str) -> tuple[bool, str]:
    return (unit == VENDORS, unit)


def unit_sort_key(unit: str | None) -> tuple[int, str]:
    """Business units by id, then ``VENDORS``, then the unknown unit (None)."""
    return (2 if unit is None else 1 if unit == VENDORS else 0, unit or "")


def _edge_order(edge: Edge) -> tuple:
    return (edge.from_id, edge.to_id, edge.role.value if edge.role else "", edge.source)


def _distinct(values: Iterable[str]) -> list[str]:
    """Sorted, each once; a list of fewer than two is returned as it is (the
    common case, and the rules ask this hundreds of thousands of times)."""
    if isinstance(values, list) and len(values) < 2:
        return values
    return sorted(set(values))
