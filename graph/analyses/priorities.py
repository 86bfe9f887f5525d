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

import math

import networkx as nx

from graph.analyses.context import AnalysisContext
from graph.analyses.model import PriorityFactor, WorkflowPriority
from graph.schema import Kind, Rel

FRICTION_POINTS = 30.0
VOLUME_POINTS = 25.0
WORK_TYPE_POINTS = 15.0
OWNED_POINTS = 15.0
SYSTEMS_POINTS = 15.0
FULL_VOLUME = 10_000  # runs a month that earn the full volume points


def _friction(value: object) -> PriorityFactor:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return PriorityFactor(name="friction", value=f"{value} of 5",
                              points=round((value - 1) / 4 * FRICTION_POINTS, 2), max_points=FRICTION_POINTS)
    return PriorityFactor(name="friction", value="unknown", points=0.0, max_points=FRICTION_POINTS)


def _volume(value: object) -> PriorityFactor:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        share = min(1.0, math.log10(1 + value) / math.log10(1 + FULL_VOLUME))
        return PriorityFactor(name="volume", value=f"{value:g} runs a month",
                              points=round(share * VOLUME_POINTS, 2), max_points=VOLUME_POINTS)
    return PriorityFactor(name="volume", value="unknown", points=0.0, max_points=VOLUME_POINTS)


def _work_type(attrs: dict) -> PriorityFactor:
    kinds = [label for label, flag in (("repetitive", attrs.get("repetitive")),
                                       ("decision-heavy", attrs.get("decision_heavy"))) if flag is True]
    return PriorityFactor(name="repetitive or decision-heavy", value=" and ".join(kinds) or "neither",
                          points=WORK_TYPE_POINTS if kinds else 0.0, max_points=WORK_TYPE_POINTS)


def workflow_priority(ctx: AnalysisContext, workflow: str) -> WorkflowPriority:
    attrs = ctx.attrs(workflow)
    owners = ctx.active_accountable_owners(workflow)
    systems = [s for s in ctx.targets(workflow, Rel.USES, Kind.SYSTEM) if not ctx.is_retired_system(s)]
    initiatives = [i for i in ctx.sources(workflow, Rel.SUPPORTS, Kind.INITIATIVE)
                   if not ctx.is_retired_initiative(i)]
    factors = [
        _friction(attrs.get("friction")),
        _volume(attrs.get("volume")),
        _work_type(attrs),
        PriorityFactor(name="owned", value=ctx.names(owners) if owners else "no active accountable owner",
                       points=OWNED_POINTS if owners else 0.0, max_points=OWNED_POINTS),
        PriorityFactor(name="systems to integrate with", value=ctx.names(systems) if systems else "none",
                       points=SYSTEMS_POINTS if systems else 0.0, max_points=SYSTEMS_POINTS),
    ]
    unit = ctx.business_unit(workflow)
    return WorkflowPriority(
        workflow=workflow,
        name=ctx.name(workflow),
        business_unit=unit,
        business_unit_name=ctx.unit_name(unit),
        score=round(sum(f.points for f in factors), 2),
        factors=factors,
        systems=systems,
        initiatives=initiatives,
    )


def rank_workflows(
    graph: nx.MultiDiGraph | AnalysisContext,
    limit: int | None = None,
    business_unit: str | None = None,
) -> list[WorkflowPriority]:
    """Workflows by opportunity, highest first (ties by id); only those of
    one business unit (by id or name) if given; the first ``limit`` if given."""
    ctx = AnalysisContext.of(graph)
    ranked = [workflow_priority(ctx, w) for w in ctx.ids(Kind.WORKFLOW)]
    if business_unit is not None:
        ranked = [p for p in ranked if business_unit in (p.business_unit, p.business_unit_name)]
    ranked.sort(key=lambda p: (-p.score, p.workflow))
    return ranked if limit is None else ranked[:limit]
