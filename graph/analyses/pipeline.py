"""The pipeline from idea to production, per business unit.

"Pilots that reached production" is read from the current stage: initiatives
now in production or scaled (every one of them passed the pilot stage). Where
imports recorded a stage history (two years of a register, dated with
``--seen-at``), ``movements`` counts the moves between stages from one year
observed to the next — how many 2024 pilots were still pilots in 2025, how
many were deployed, how many retired. The conversion ratio is
``reached / (reached + in pilot)``: of the initiatives that got to pilot and
are still running, the share now live. Retired initiatives are counted by
stage but left out of the ratio, as the graph cannot say how far they got.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from graph import stage_history
from graph.analyses.context import AnalysisContext, unit_sort_key
from graph.gc_pause import collector_paused
from graph.analyses.model import Pipeline, PipelineRow, StageMovement
from graph.schema import LIVE_STAGES, Kind, Stage


def _row(ctx: AnalysisContext, unit: str | None, initiatives: list[str]) -> PipelineRow:
    stages = {stage: 0 for stage in Stage}
    for initiative in initiatives:
        stage = ctx.stage(initiative)
        if stage is not None:
            stages[stage] += 1
    reached = sum(stages[stage] for stage in LIVE_STAGES)
    pilots = stages[Stage.PILOT]
    moves: Counter = Counter()
    for initiative in initiatives:
        moves.update(_movements(ctx.attrs(initiative).get("stage_history")))
    return PipelineRow(
        business_unit=unit,
        business_unit_name=ctx.unit_name(unit),
        stages=stages,
        total=len(initiatives),
        reached_production=reached,
        in_pilot=pilots,
        conversion=round(reached / (reached + pilots), 4) if reached + pilots else None,
        movements=[StageMovement(from_year=a, to_year=b, from_stage=x, to_stage=y, initiatives=n)
                   for (a, b, x, y), n in sorted(moves.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                               _ORDER[kv[0][2]], _ORDER[kv[0][3]]))],
    )


_ORDER = {stage: number for number, stage in enumerate(Stage)}


def _movements(history: object) -> list[tuple[int, int, Stage, Stage]]:
    """(year, next year observed, stage then, stage after) for one initiative:
    the last stage observed in each year it was observed."""
    by_year: dict[int, Stage] = {}
    for when, stage in stage_history.observations(history):
        by_year[when.year] = stage
    years = sorted(by_year)
    return [(a, b, by_year[a], by_year[b]) for a, b in zip(years, years[1:], strict=False)]


def build_pipeline(graph: nx.MultiDiGraph | AnalysisContext) -> Pipeline:
    """Initiatives by stage per business unit (sorted by id, then vendors,
    the unknown unit last) and in total."""
    with collector_paused():
        return _pipeline(AnalysisContext.of(graph))


def _pipeline(ctx: AnalysisContext) -> Pipeline:
    by_unit: dict[str | None, list[str]] = defaultdict(list)
    for initiative in ctx.ids(Kind.INITIATIVE):
        by_unit[ctx.business_unit(initiative)].append(initiative)
    units = sorted(by_unit, key=unit_sort_key)
    return Pipeline(
        business_units=[_row(ctx, unit, by_unit[unit]) for unit in units],
        total=_row(ctx, None, ctx.ids(Kind.INITIATIVE)),
    )
