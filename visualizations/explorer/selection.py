"""Which entities and relationships a request draws, read from the read side.

The selection is the graph shaping that only the explorer needs: a view's
kinds and relationships, the business-unit and kind filters (the read side's
one vocabulary, ``Filters``, checked by the service so an unknown unit is an
error), and a focus (the service's own neighbourhood walk, cut nearest first).
Clustering and layout come after, on what is selected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.analyses.context import Edge
from graph.analyses.model import Severity
from graph.schema import Rel
from graph.service import EntityNotFound, Filters, ReadService, Snapshot
from graph.service.read_service import MAX_NODE_LIMIT
from visualizations.explorer.request import ExplorerRequest
from visualizations.explorer.views import OWNER_KINDS, VIEW_KINDS, VIEW_RELS, View, keeps_edge

EvidenceKey = tuple[str, str, Rel]


@dataclass
class Selection:
    snapshot: Snapshot
    entities: list[str]
    edges: list[Edge]
    evidence: dict[EvidenceKey, Severity] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    focus: str | None = None


def select(service: ReadService, request: ExplorerRequest) -> Selection:
    snapshot = service.snapshot()
    filters = service.check_filters(Filters(business_unit=request.business_unit, kind=request.kind), snapshot)
    ctx = snapshot.ctx
    view = request.view
    rels = VIEW_RELS[view]
    notes: list[str] = []
    if request.focus is not None:
        limit = min(request.max_nodes, MAX_NODE_LIMIT)
        hood = service.neighbours(request.focus, request.depth, types=rels, limit=limit)
        candidates = [node.id for node in hood.nodes]
        if hood.truncated:
            notes.append(f"{hood.omitted:,} more entities lie within {request.depth} hops of "
                         f"{ctx.name(request.focus)}: the nearest {limit:,} are drawn")
    elif request.around:
        candidates = _around(service, request, rels, notes)
    else:
        candidates = [i for i in ctx.ids() if ctx.kind(i) is not None]

    evidence = _evidence(snapshot) if view is View.GAPS else {}
    involved: set[str] = set()
    if view is View.GAPS:
        involved = _finding_entities(snapshot) | {end for key in evidence for end in key[:2]}
    kinds = VIEW_KINDS[view]

    def kept(entity: str) -> bool:
        kind = ctx.kind(entity)
        if kinds is not None and kind not in kinds:
            return False
        if view is View.OWNERSHIP and kind not in OWNER_KINDS and not ctx.in_edges(entity, Rel.OWNS):
            return False
        if view is View.GAPS and entity not in involved:
            return False
        if not filters.kind_matches(kind):
            return False
        if filters.business_unit is not None:
            unit = ctx.business_unit(entity)
            return filters.unit_matches(unit, ctx.unit_name(unit))
        return True

    centres = set(request.around) | ({request.focus} if request.focus is not None else set())
    chosen = [e for e in candidates if e in centres or kept(e)]
    inside = set(chosen)
    edges: list[Edge] = []
    for rel in sorted(rels):
        # the one rule that needs the ends' kinds (PART_OF between teams, for
        # ownership) is asked only where it applies: this loop meets every edge
        by_kind = not keeps_edge(view, rel, None, None)
        # a focus walks its few entities' edges; the whole graph walks every edge once
        candidates_edges = (e for entity in chosen for e in ctx.out_edges(entity, rel)) \
            if centres else ctx.edges(rel)
        for edge in candidates_edges:
            if edge.from_id in inside and edge.to_id in inside and \
                    (not by_kind or keeps_edge(view, rel, ctx.kind(edge.from_id), ctx.kind(edge.to_id))):
                edges.append(edge)
    return Selection(snapshot=snapshot, entities=sorted(inside), edges=edges,
                     evidence={k: v for k, v in evidence.items() if k[0] in inside and k[1] in inside},
                     notes=notes, focus=request.focus)


def _around(service: ReadService, request: ExplorerRequest, rels: frozenset[Rel], notes: list[str]) -> list[str]:
    """The entities of ``request.around`` (always drawn, whatever the view) and
    their neighbourhoods, nearest first; at most ``MAX_NODE_LIMIT`` in all."""
    ctx = service.snapshot().ctx
    centres = list(dict.fromkeys(request.around))
    for entity in centres:
        if ctx.kind(entity) is None:
            raise EntityNotFound(f"no entity {entity!r} in the graph")
    chosen = dict.fromkeys(centres)
    limit = min(request.max_nodes, MAX_NODE_LIMIT)
    cut = 0
    if request.depth > 0:
        for entity in centres:
            hood = service.neighbours(entity, request.depth, types=rels, limit=limit)
            for node in hood.nodes:
                if node.id in chosen:
                    continue
                if len(chosen) >= MAX_NODE_LIMIT:
                    cut += 1
                    continue
                chosen[node.id] = None
            cut += hood.omitted
    if cut:
        notes.append(f"more entities lie within {request.depth} hops of the {len(centres):,} entities drawn "
                     f"around: the nearest are drawn ({cut:,} left out)")
    return list(chosen)


def _finding_entities(snapshot: Snapshot) -> set[str]:
    return {entity for entity in snapshot.findings_by_entity if snapshot.ctx.kind(entity) is not None}


def _evidence(snapshot: Snapshot) -> dict[EvidenceKey, Severity]:
    """Every relationship a finding's evidence walks, with the worst severity that walks it."""
    steps: dict[EvidenceKey, Severity] = {}
    for finding in snapshot.result.findings:
        for step in finding.evidence:
            if step.type is None or step.to_id is None:
                continue
            key = (step.from_id, step.to_id, step.type)
            if key not in steps or finding.severity > steps[key]:
                steps[key] = finding.severity
    return steps
