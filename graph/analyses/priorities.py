"""Which workflows to fund: ranked by opportunity, so money goes to bottlenecks, not demos.

The score (0–100) is the sum of five factors, each shown with its points:

=========================  ======  ===============================================
factor                     points  how
=========================  ======  ===============================================
friction                   30      (friction − 1) / 4 × 30: 1 (smooth) gives 0, 5 gives 30
volume                     25      log10(1 + runs a month) / log10(1 + 10,000) × 25, capped at 25
repetitive or decisions    15      15 if the workflow is repetitive or decision-heavy
owned                      15      15 if it has an active accountable owner
systems to integrate with  15      15 if it USES at least one system that is not retired
=========================  ======  ===============================================

Unknown friction or volume scores 0 for that factor. The scale is absolute
(not relative to the other workflows), so a workflow's score does not move
when others are added. Ties are broken by workflow id.
"""

from __future__ import annotations

import heapq
import math

import networkx as nx

from graph.analyses.context import AnalysisContext
from graph.gc_pause import collector_paused
from graph.analyses.model import PriorityFactor, WorkflowPriority
from graph.schema import Kind, Rel

FRICTION_POINTS = 30.0
VOLUME_POINTS = 25.0
WORK_TYPE_POINTS = 15.0
OWNED_POINTS = 15.0
SYSTEMS_POINTS = 15.0
FULL_VOLUME = 10_000  # runs a month that earn the full volume points


Factor = tuple[str, str, float, float]  # name, value in words, points, max points


def _friction(value: object) -> Factor:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return ("friction", f"{value} of 5", round((value - 1) / 4 * FRICTION_POINTS, 2), FRICTION_POINTS)
    return ("friction", "unknown", 0.0, FRICTION_POINTS)


def _volume(value: object) -> Factor:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        share = min(1.0, math.log10(1 + value) / math.log10(1 + FULL_VOLUME))
        return ("volume", f"{value:g} runs a month", round(share * VOLUME_POINTS, 2), VOLUME_POINTS)
    return ("volume", "unknown", 0.0, VOLUME_POINTS)


def _work_type(attrs: dict) -> Factor:
    kinds = [label for label, flag in (("repetitive", attrs.get("repetitive")),
                                       ("decision-heavy", attrs.get("decision_heavy"))) if flag is True]
    return ("repetitive or decision-heavy", " and ".join(kinds) or "neither",
            WORK_TYPE_POINTS if kinds else 0.0, WORK_TYPE_POINTS)


def _factors(ctx: AnalysisContext, workflow: str) -> tuple[float, list[Factor]]:
    """The score and its factors as plain tuples, the owners and systems named."""
    attrs = ctx.attrs(workflow)
    owners = ctx.active_accountable_owners(workflow)
    systems = _systems(ctx, workflow)
    factors = [
        _friction(attrs.get("friction")),
        _volume(attrs.get("volume")),
        _work_type(attrs),
        ("owned", ctx.names(owners) if owners else "no active accountable owner",
         OWNED_POINTS if owners else 0.0, OWNED_POINTS),
        ("systems to integrate with", ctx.names(systems) if systems else "none",
         SYSTEMS_POINTS if systems else 0.0, SYSTEMS_POINTS),
    ]
    return _total(factors), factors


def _score(ctx: AnalysisContext, workflow: str) -> float:
    """The score alone, as ``_factors`` sums it: ranking 40,000 workflows needs
    only this (no names, no lists), and models only for the ones returned."""
    attrs = ctx.attrs(workflow)
    owned = OWNED_POINTS if ctx.active_accountable_owners(workflow) else 0.0
    integrable = SYSTEMS_POINTS if any(not ctx.is_retired_system(s)
                                       for s in ctx.targets(workflow, Rel.USES, Kind.SYSTEM)) else 0.0
    return _total([_friction(attrs.get("friction")), _volume(attrs.get("volume")), _work_type(attrs),
                   ("owned", "", owned, OWNED_POINTS), ("systems to integrate with", "", integrable, SYSTEMS_POINTS)])


def _total(factors: list[Factor]) -> float:
    return round(sum(f[2] for f in factors), 2)


def _systems(ctx: AnalysisContext, workflow: str) -> list[str]:
    return [s for s in ctx.targets(workflow, Rel.USES, Kind.SYSTEM) if not ctx.is_retired_system(s)]


def workflow_priority(ctx: AnalysisContext, workflow: str) -> WorkflowPriority:
    score, factors = _factors(ctx, workflow)
    unit = ctx.business_unit(workflow)
    return WorkflowPriority(
        workflow=workflow,
        name=ctx.name(workflow),
        business_unit=unit,
        business_unit_name=ctx.unit_name(unit),
        score=score,
        factors=[PriorityFactor(name=name, value=value, points=points, max_points=most)
                 for name, value, points, most in factors],
        systems=_systems(ctx, workflow),
        initiatives=[i for i in ctx.sources(workflow, Rel.SUPPORTS, Kind.INITIATIVE)
                     if not ctx.is_retired_initiative(i)],
    )


def ranked_workflows(ctx: AnalysisContext) -> list[str]:
    """Every workflow's id by opportunity, highest first (ties by id): the
    order ``rank_workflows`` returns, without building a model per workflow."""
    with collector_paused():
        return sorted(ctx.ids(Kind.WORKFLOW), key=lambda w: (-_score(ctx, w), w))


def rank_workflows(
    graph: nx.MultiDiGraph | AnalysisContext,
    limit: int | None = None,
) -> list[WorkflowPriority]:
    """Workflows by opportunity, highest first (ties by id); the first
    ``limit`` if given. (The read side filters by business unit.)"""
    with collector_paused():
        ctx = AnalysisContext.of(graph)
        ranked = ranked_workflows(ctx)
        return [workflow_priority(ctx, w) for w in (ranked if limit is None else ranked[:limit])]


def top_per_unit(graph: nx.MultiDiGraph | AnalysisContext, per_unit: int) -> dict[str | None, list[WorkflowPriority]]:
    """The best ``per_unit`` workflows of each business unit (``None``: no
    unit), ranked as ``rank_workflows`` ranks them. A report's sections need a
    handful per unit; scoring every workflow without words and building models
    only for those kept spares building 40,000 models at 100,000 entities."""
    with collector_paused():
        ctx = AnalysisContext.of(graph)
        by_unit: dict[str | None, list[tuple[float, str]]] = {}
        for workflow in ctx.ids(Kind.WORKFLOW):
            by_unit.setdefault(ctx.business_unit(workflow), []).append((-_score(ctx, workflow), workflow))
        return {unit: [workflow_priority(ctx, w) for _, w in heapq.nsmallest(per_unit, ranked)]
                for unit, ranked in by_unit.items()}
