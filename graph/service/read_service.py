"""The read side: the one service every face asks (command line, HTTP API,
explorer, report).

``ReadService`` keeps an analysed ``Snapshot`` of the graph and rebuilds it
only when the store's revision has moved (any committed write, by this
process or another), so a question costs a lookup, not a read of the whole
graph and a run of every rule. It is safe to share between threads: one
thread rebuilds while the others wait for the result instead of rebuilding
too.

Entity answers (an entity, a neighbourhood, impact, search) are read from the
same snapshot as the findings, so an entity's findings, business unit and
relationships always agree with each other.
"""

from __future__ import annotations

import base64
import datetime as dt
import gc
import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from graph.analyses import AnalysisConfig, AnalysisResult
from graph.analyses.context import AnalysisContext, Edge
from graph.analyses.model import Pipeline, PipelineRow, ScorecardReport, WorkflowPriority
from graph.analyses.priorities import workflow_priority
from graph.errors import AimapError
from graph.schema import REL_READINGS, Rel
from graph.service.filters import Filters, UnknownBusinessUnit
from graph.service.models import (
    BusinessUnit,
    EntityDetail,
    EntitySummary,
    FindingsAnswer,
    Health,
    Impact,
    ImpactPath,
    Neighbourhood,
    Owner,
    Page,
    RelationshipOut,
)
from graph.service.snapshot import Snapshot
from graph.store.base import Store

if TYPE_CHECKING:
    from graph.service.disagreements import DisagreementsAnswer
    from graph.service.whatif_models import WhatIfAnswer, WhatIfRequest

MAX_DEPTH = 6
DEFAULT_NODE_LIMIT = 500
MAX_NODE_LIMIT = 5_000
MAX_PAGE = 1_000


class EntityNotFound(AimapError, LookupError):
    """An id no import has brought."""


class InvalidRequest(AimapError, ValueError):
    """A question that cannot be answered as asked (a bad cursor, a depth out of range)."""


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"o:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The position a cursor stands for; a cursor this service did not make is refused."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, _, number = text.partition(":")
        position = int(number)
        if tag != "o" or position < 0:
            raise ValueError
        return position
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest(f"cursor {cursor[:40]!r} is not one this server gave out: start without a cursor") from None


def _page(items: list, cursor: str | None, limit: int) -> tuple[list, str | None]:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE}, not {limit}")
    start = decode_cursor(cursor)
    chosen = items[start : start + limit]
    following = start + limit
    return chosen, encode_cursor(following) if following < len(items) else None


class ReadService:
    """Answers about one store, from an analysed snapshot kept current by revision.

    ``config`` fixes the analysis settings; with ``follow_today`` (a server
    that runs for days) its ``as_of`` moves to the current UTC date, and a new
    day rebuilds the findings too.
    """

    def __init__(self, store: Store, config: AnalysisConfig | None = None, follow_today: bool = False,
                 today: Callable[[], dt.date] | None = None):
        self.store = store
        self.config = config or AnalysisConfig()
        self.follow_today = follow_today
        self._today = today or (lambda: dt.datetime.now(dt.timezone.utc).date())
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self.rebuilds = 0

    # -- the snapshot ------------------------------------------------------------
    def _config(self) -> AnalysisConfig:
        if self.follow_today:
            today = self._today()
            if self.config.as_of != today:
                return self.config.model_copy(update={"as_of": today})
        return self.config

    def is_current(self) -> bool:
        """Whether the snapshot answers the store as it is now (so a question
        costs a lookup, not a rebuild)."""
        current = self._snapshot
        return current is not None and current.revision == self.store.revision() and current.config == self._config()

    def snapshot(self) -> Snapshot:
        """The analysed graph at the store's current revision (rebuilt only if it moved)."""
        revision = self.store.revision()
        config = self._config()
        current = self._snapshot
        if current is not None and current.revision == revision and current.config == config:
            return current
        with self._lock:
            current = self._snapshot
            if current is None or current.revision != self.store.revision() or current.config != config:
                gc.unfreeze()  # the snapshot being replaced becomes collectable again
                current = self._snapshot = Snapshot.read(self.store, config)
                self.rebuilds += 1
                # A snapshot is millions of long-lived objects: left to the cyclic
                # collector, every full collection walks them all (about a second
                # at 100,000 entities) while requests wait. Frozen, it walks none.
                gc.freeze()
            return current

    # -- vocabulary ----------------------------------------------------------------
    def check_filters(self, filters: Filters, snapshot: Snapshot | None = None) -> Filters:
        """``filters`` with the business unit checked: an id or name no unit has is
        an ``UnknownBusinessUnit`` error that lists some that exist."""
        if filters.business_unit is None:
            return filters
        units = (snapshot or self.snapshot()).business_units
        wanted = filters.business_unit
        if wanted in units or wanted in units.values():
            return filters
        known = ", ".join(f"{uid} ({name})" if name != uid else uid for uid, name in list(units.items())[:8])
        raise UnknownBusinessUnit(f"no business unit {wanted!r}: use the id or name of one of "
                                  f"{known}{' …' if len(units) > 8 else ''}" if units else
                                  f"no business unit {wanted!r}: the graph has none yet")

    def business_units(self) -> list[BusinessUnit]:
        snapshot = self.snapshot()
        return [BusinessUnit(id=uid, name=name, vendor=snapshot.is_vendor(uid))
                for uid, name in snapshot.business_units.items()]

    # -- analyses ------------------------------------------------------------------
    def analysis(self, filters: Filters = Filters(), snapshot: Snapshot | None = None) -> AnalysisResult:
        """The findings, filtered by rule, severity, business unit, kind of subject and text."""
        snapshot = snapshot or self.snapshot()
        filters = self.check_filters(filters, snapshot)
        result = snapshot.result.filter(rule=filters.rule or None, severity=filters.severity)
        kept = [f for f in result.findings
                if filters.unit_matches(f.business_unit, f.business_unit_name)
                and filters.kind_matches(f.subject_kind)
                and filters.text_matches(f.subject, f.subject_name, f.message)]
        return result.model_copy(update={"findings": kept})

    def findings(self, filters: Filters = Filters()) -> FindingsAnswer:
        snapshot = self.snapshot()
        result = self.analysis(filters, snapshot)
        return FindingsAnswer(as_of=result.as_of.isoformat(), revision=snapshot.revision,
                              rules=result.rules, total=len(result.findings),
                              counts=result.counts_by_severity(), findings=result.findings)

    def scorecards(self, filters: Filters = Filters()) -> ScorecardReport:
        snapshot = self.snapshot()
        filters = self.check_filters(filters, snapshot)
        report = snapshot.scorecards
        return report.model_copy(update={
            "initiatives": [c for c in report.initiatives
                            if filters.unit_matches(c.business_unit, c.business_unit_name)
                            and filters.text_matches(c.initiative, c.name)],
            "business_units": [u for u in report.business_units
                               if filters.unit_matches(u.business_unit, u.business_unit_name)],
        })

    def pipeline(self, filters: Filters = Filters()) -> Pipeline:
        """Initiatives by stage per unit; with a unit filter, that unit's row is also the total."""
        snapshot = self.snapshot()
        filters = self.check_filters(filters, snapshot)
        pipeline = snapshot.pipeline
        if filters.business_unit is None:
            return pipeline
        rows = [r for r in pipeline.business_units if filters.unit_matches(r.business_unit, r.business_unit_name)]
        total = rows[0] if len(rows) == 1 else _empty_row(pipeline.total)
        return Pipeline(business_units=rows, total=total)

    def priorities(self, filters: Filters = Filters(), limit: int | None = 20) -> list[WorkflowPriority]:
        snapshot = self.snapshot()
        filters = self.check_filters(filters, snapshot)
        ctx = snapshot.ctx

        def wanted(workflow: str) -> bool:
            unit = ctx.business_unit(workflow) if filters.business_unit is not None else None
            return (filters.unit_matches(unit, ctx.unit_name(unit)) and filters.text_matches(workflow, ctx.name(workflow)))

        kept = itertools.islice(filter(wanted, snapshot.priority_order), limit)
        return [workflow_priority(ctx, workflow) for workflow in kept]

    # -- entities ------------------------------------------------------------------
    def _summary(self, snapshot: Snapshot, entity: str) -> EntitySummary:
        ctx = snapshot.ctx
        unit = ctx.business_unit(entity) if ctx.kind(entity) else None
        findings = snapshot.findings_by_entity.get(entity, ())
        return EntitySummary(id=entity, kind=ctx.kind(entity), name=ctx.name(entity), business_unit=unit,
                             business_unit_name=ctx.unit_name(unit), findings=len(findings),
                             worst_severity=snapshot.worst(entity))

    def _require(self, snapshot: Snapshot, entity: str) -> None:
        if not snapshot.ctx.has(entity) or snapshot.ctx.kind(entity) is None:
            raise EntityNotFound(f"no entity {entity!r} in the graph")

    def entities(self, filters: Filters = Filters(), cursor: str | None = None,
                 limit: int = 100) -> Page[EntitySummary]:
        """Entities in id order, filtered by kind, business unit and text, a page at a time."""
        snapshot = self.snapshot()
        filters = self.check_filters(filters, snapshot)
        ctx = snapshot.ctx
        ids: Iterable[str] = ctx.ids() if not filters.kind else sorted(i for k in filters.kind for i in ctx.ids(k))
        kept = [i for i in ids if ctx.kind(i) is not None and filters.text_matches(i, ctx.name(i))]
        if filters.business_unit is not None:
            kept = [i for i in kept if filters.unit_matches(ctx.business_unit(i), ctx.unit_name(ctx.business_unit(i)))]
        chosen, following = _page(kept, cursor, limit)
        return Page[EntitySummary](items=[self._summary(snapshot, i) for i in chosen], total=len(kept),
                                   next_cursor=following)

    def search(self, text: str, filters: Filters = Filters(), limit: int = 20) -> list[EntitySummary]:
        """Entities whose name or id contains ``text`` (any case): exact names
        first, then names that start with it, then the rest, each by name."""
        if not text.strip():
            raise InvalidRequest("search needs some text")
        snapshot = self.snapshot()
        ctx = snapshot.ctx
        wanted = text.strip().casefold()
        found = []
        for entity in ctx.ids():
            kind = ctx.kind(entity)
            if kind is None or not filters.kind_matches(kind):
                continue
            name = ctx.name(entity).casefold()
            if wanted in name or wanted in entity.casefold():
                rank = 0 if name == wanted or entity.casefold() == wanted else 1 if name.startswith(wanted) else 2
                found.append((rank, name, entity))
        found.sort()
        return [self._summary(snapshot, entity) for _, _, entity in found[: max(1, min(limit, MAX_PAGE))]]

    def entity(self, entity: str) -> EntityDetail:
        snapshot = self.snapshot()
        self._require(snapshot, entity)
        ctx = snapshot.ctx
        attrs = ctx.attrs(entity)
        provenance = {"kind", "source", "importer", "first_seen", "last_seen"}
        return EntityDetail(
            **self._summary(snapshot, entity).model_dump(),
            properties={k: v for k, v in attrs.items() if k not in provenance},
            source=attrs.get("source", ""), importer=attrs.get("importer", ""),
            first_seen=attrs.get("first_seen"), last_seen=attrs.get("last_seen"),
            owners=self._owners(ctx, entity),
            finding_details=snapshot.findings_by_entity.get(entity, []),
        )

    def owners(self, entity: str) -> list[Owner]:
        snapshot = self.snapshot()
        self._require(snapshot, entity)
        return self._owners(snapshot.ctx, entity)

    @staticmethod
    def _owners(ctx: AnalysisContext, entity: str) -> list[Owner]:
        owners = [Owner(id=edge.from_id, name=ctx.name(edge.from_id), kind=ctx.kind(edge.from_id),
                        role=(edge.role.value if edge.role else "accountable"),
                        active=ctx.is_active_owner(edge.from_id), source=edge.source)
                  for edge in ctx.owner_edges(entity)]
        return sorted(owners, key=lambda o: (o.role != "accountable", o.role, o.id))

    def relationships(self, type: Rel | None = None, from_id: str | None = None, to_id: str | None = None,
                      cursor: str | None = None, limit: int = 100) -> Page[RelationshipOut]:
        """Relationships by type and ends, ordered by type, from and to."""
        ctx = self.snapshot().ctx
        rels = [type] if type else list(Rel)
        edges: list[Edge] = []
        for rel in rels:
            if from_id is not None:
                candidates = ctx.out_edges(from_id, rel) if ctx.has(from_id) else []
            elif to_id is not None:
                candidates = ctx.in_edges(to_id, rel) if ctx.has(to_id) else []
            else:
                candidates = list(ctx.edges(rel))
            edges.extend(e for e in candidates if to_id is None or e.to_id == to_id)
        chosen, following = _page(edges, cursor, limit)
        return Page[RelationshipOut](items=[_relationship(e) for e in chosen], total=len(edges),
                                     next_cursor=following)

    # -- walks ---------------------------------------------------------------------
    def neighbours(self, entity: str, depth: int = 1, types: Iterable[Rel] | None = None,
                   limit: int = DEFAULT_NODE_LIMIT) -> Neighbourhood:
        """Entities within ``depth`` hops (either direction), nearest first,
        cut at ``limit`` entities; the answer says when and how much it cut."""
        _check_walk(depth, limit)
        snapshot = self.snapshot()
        self._require(snapshot, entity)
        ctx = snapshot.ctx
        wanted = set(types) if types else set(Rel)
        order, _ = _breadth_first(ctx, entity, depth, wanted, "both")
        kept = order[:limit]
        inside = set(kept)
        rels: dict[tuple, Edge] = {}
        for node in kept:
            for rel in wanted:
                for edge in ctx.out_edges(node, rel):
                    if edge.to_id in inside:
                        rels[(edge.type.value, edge.from_id, edge.to_id, edge.role or "")] = edge
        return Neighbourhood(
            center=entity, depth=depth, limit=limit,
            nodes=[self._summary(snapshot, n) for n in kept if ctx.kind(n) is not None],
            relationships=[_relationship(rels[key]) for key in sorted(rels)],
            truncated=len(order) > limit, omitted=max(len(order) - limit, 0),
        )

    def impact(self, entity: str, direction: str = "downstream", depth: int = MAX_DEPTH,
               limit: int = DEFAULT_NODE_LIMIT) -> Impact:
        """Downstream: every entity that needs ``entity``, directly or through
        others (what breaks if it goes), with the path to each. Upstream:
        everything ``entity`` needs. Which end needs which is the schema's
        ``REL_READINGS``."""
        return self.impact_in(self.snapshot(), entity, direction, depth, limit)

    def impact_in(self, snapshot: Snapshot, entity: str, direction: str = "downstream", depth: int = MAX_DEPTH,
                  limit: int = DEFAULT_NODE_LIMIT) -> Impact:
        """``impact`` over a given snapshot (a what-if's imagined graph, say)."""
        if direction not in ("downstream", "upstream"):
            raise InvalidRequest(f"direction must be downstream or upstream, not {direction!r}")
        _check_walk(depth, limit)
        self._require(snapshot, entity)
        ctx = snapshot.ctx
        order, parent = _breadth_first(ctx, entity, depth, set(Rel), direction, enough=limit)
        # Order and cut on plain tuples first: a system many things need can
        # reach thousands of entities, and only ``limit`` of them are answered.
        reached: list[tuple[int, str, str, list[Edge]]] = []
        for node in order[1:]:
            kind = ctx.kind(node)
            if kind is None:
                continue  # a pending reference: nothing there to break
            path: list[Edge] = []
            step = node
            while step != entity:
                edge = parent[step]
                path.append(edge)
                step = edge.from_id if edge.to_id == step else edge.to_id
            path.reverse()
            reached.append((len(path), kind.value, node, path))
        reached.sort(key=lambda r: r[:3])
        affected = [ImpactPath(entity=self._summary(snapshot, node), hops=hops, path=[_relationship(e) for e in path])
                    for hops, _, node, path in reached[:limit]]
        return Impact(subject=self._summary(snapshot, entity), direction=direction,
                      affected=affected, truncated=len(reached) > limit, limit=limit)

    # -- what if, and who says what --------------------------------------------------
    def what_if(self, request: "WhatIfRequest") -> "WhatIfAnswer":
        """The findings, scorecards and impact if ``request``'s changes were
        made, from an overlay of the current snapshot; nothing is written."""
        from graph.service.whatif import what_if

        return what_if(self, request)

    def disagreements(self, about: Iterable[str] = ()) -> "DisagreementsAnswer":
        """Where sources state different owners, lifecycles, stages or
        relationships (only those ``about`` names, if any), from the store's
        per-source claims, newest first."""
        from graph.service.disagreements import disagreements

        return disagreements(self.store, self.snapshot().ctx, frozenset(about))

    # -- the store -----------------------------------------------------------------
    def health(self, version: str, read_only: bool) -> Health:
        counts = self.store.counts()
        return Health(version=version, store=self.store.url, revision=self.store.revision(),
                      nodes=counts.total_nodes, relationships=counts.total_relationships, read_only=read_only)


# -- helpers ---------------------------------------------------------------------


def _relationship(edge: Edge) -> RelationshipOut:
    return RelationshipOut(type=edge.type, from_id=edge.from_id, to_id=edge.to_id,
                           role=edge.role.value if edge.role else None, source=edge.source,
                           importer=edge.importer, last_seen=edge.last_seen)


def _check_walk(depth: int, limit: int) -> None:
    if not 0 <= depth <= MAX_DEPTH:
        raise InvalidRequest(f"depth must be between 0 and {MAX_DEPTH}, not {depth}")
    if not 1 <= limit <= MAX_NODE_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_NODE_LIMIT}, not {limit}")


def _steps(ctx: AnalysisContext, node: str, rels: set[Rel], direction: str) -> Iterable[tuple[str, Edge]]:
    """The next entities from ``node``, with the relationship that leads there.

    ``both``: every relationship either way. ``downstream``: to the entities
    that need ``node``; ``upstream``: to the entities ``node`` needs."""
    for rel in sorted(rels):
        needs = REL_READINGS[rel].needs
        needs_source = needs == "source"
        if direction == "both" or needs == "both":
            go_out, go_in = True, True
        else:
            # downstream from X goes to whoever needs X: over out-edges when the
            # target is the needing end, over in-edges when the source is.
            go_out = needs_source == (direction == "upstream")
            go_in = not go_out
        if go_out:
            for edge in ctx.out_edges(node, rel):
                yield edge.to_id, edge
        if go_in:
            for edge in ctx.in_edges(node, rel):
                yield edge.from_id, edge


def _breadth_first(ctx: AnalysisContext, start: str, depth: int, rels: set[Rel],
                   direction: str, enough: int | None = None) -> tuple[list[str], dict[str, Edge]]:
    """Nodes in the order reached (``start`` first) and the edge each was reached by.

    For impact, an entity reached over a relationship that does not propagate
    (``RelReading.propagates``) is listed but not walked on from, unless a
    propagating relationship also reaches it. With ``enough``, the walk stops
    at the end of the first hop that has reached more than ``enough`` nodes:
    every node of a later hop would sort after them (answers are nearest
    first), so a walk from a system half the enterprise needs stays short."""
    order = [start]
    parent: dict[str, Edge] = {}
    seen = {start}
    expanded = {start}
    frontier: deque[tuple[str, int]] = deque([(start, 0)])
    level = entities = 0
    while frontier:
        node, hops = frontier.popleft()
        if hops > level:
            level = hops
            if enough is not None and entities > enough:
                break
        if hops == depth:
            continue
        for nxt, edge in _steps(ctx, node, rels, direction):
            if nxt not in seen:
                seen.add(nxt)
                parent[nxt] = edge
                order.append(nxt)
                entities += ctx.kind(nxt) is not None
            if nxt not in expanded and (direction == "both" or REL_READINGS[edge.type].propagates):
                expanded.add(nxt)
                frontier.append((nxt, hops + 1))
    return order, parent


def _empty_row(total: PipelineRow) -> PipelineRow:
    return total.model_copy(update={"stages": {stage: 0 for stage in total.stages}, "total": 0,
                                    "reached_production": 0, "in_pilot": 0, "conversion": None})
