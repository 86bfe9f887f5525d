"""The pipeline from idea to production, per business unit.

The graph holds each initiative's current stage, not its history, so "pilots
that reached production" is read as: initiatives now in production or scaled
(every one of them passed the pilot stage). The conversion ratio is
``reached / (reached + in pilot)``: of the initiatives that got to pilot and
are still running, the share now live. Retired initiatives are counted by
stage but left out of the ratio, as the graph cannot say how far they got.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from graph.analyses.context import AnalysisContext
from graph.gc_pause import collector_paused
from graph.analyses.model import Pipeline, PipelineRow
from graph.schema import LIVE_STAGES, Kind, Stage


def _row(ctx: AnalysisContext, unit: str | None, initiatives: list[str]) -> PipelineRow:
    stages = {stage: 0 for stage in Stage}
    for initiative in initiatives:
        stage = ctx.stage(initiative)
        if stage is not None:
            stages[stage] += 1
    reached = sum(stages[stage] for stage in LIVE_STAGES)
    pilots = stages[Stage.PILOT]
    return PipelineRow(
        business_unit=unit,
        business_unit_name=ctx.unit_name(unit),
        stages=stages,
        total=len(initiatives),
        reached_production=reached,
        in_pilot=pilots,
        conversion=round(reached / (reached + pilots), 4) if reached + pilots else None,
    )


def build_pipeline(graph: nx.MultiDiGraph | AnalysisContext) -> Pipeline:
    """Initiatives by stage per business unit (sorted by id, the unknown unit
    last) and in total."""
    with collector_paused():
        return _pipeline(AnalysisContext.of(graph))


def _pipeline(ctx: AnalysisContext) -> Pipeline:
    by_unit: dict[str | None, list[str]] = defaultdict(list)
    for initiative in ctx.ids(Kind.INITIATIVE):
        by_unit[ctx.business_unit(initiative)].append(initiative)
    units = sorted(by_unit, key=lambda u: (u is None, u or ""))
    return Pipeline(
        business_units=[_row(ctx, unit, by_unit[unit]) for unit in units],
        total=_row(ctx, None, ctx.ids(Kind.INITIATIVE)),
    )
