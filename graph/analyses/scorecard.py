"""The scale-readiness scorecard: can each AI initiative leave the pilot stage?

Six checks from the operating model (PRODUCT.md), each passed or failed with a
reason, per non-retired initiative, rolled up per business unit:

1. an active accountable owner (an owner who left counts as none);
2. a supported workflow (SUPPORTS);
3. integration into that workflow's systems: for every supported workflow, the
   initiative INTEGRATES_WITH at least one system the workflow USES;
4. an outcome metric (MEASURED_BY a metric of an outcome type);
5. a path to production: already in production or scaled, or integrating with
   at least one system that is not retired (somewhere for its output to land);
6. no high or critical finding naming it (as subject or related entity).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from graph.analyses import run_analysis
from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext, unit_sort_key
from graph.gc_pause import collector_paused
from graph.analyses.model import (
    AnalysisResult,
    BusinessUnitScorecard,
    Check,
    CheckName,
    Finding,
    InitiativeScorecard,
    ScorecardReport,
    Severity,
)
from graph.analyses.rules.pilot_metrics_only import is_outcome_metric
from graph.schema import Kind, Rel


def _owner(ctx: AnalysisContext, initiative: str) -> Check:
    owners = ctx.active_accountable_owners(initiative)
    if owners:
        return Check(name=CheckName.OWNER, passed=True, reason=f"{ctx.names(owners)} accountable")
    former = ctx.accountable_owners(initiative)
    reason = (f"accountable owner {ctx.names(former)} left or is inactive" if former
              else "nobody is accountable")
    return Check(name=CheckName.OWNER, passed=False, reason=reason)


def _workflow(ctx: AnalysisContext, initiative: str) -> Check:
    workflows = ctx.targets(initiative, Rel.SUPPORTS, Kind.WORKFLOW)
    if workflows:
        return Check(name=CheckName.WORKFLOW, passed=True, reason=f"supports {ctx.names(workflows)}")
    return Check(name=CheckName.WORKFLOW, passed=False, reason="supports no workflow")


def _integration(ctx: AnalysisContext, initiative: str) -> Check:
    workflows = ctx.targets(initiative, Rel.SUPPORTS, Kind.WORKFLOW)
    if not workflows:
        return Check(name=CheckName.INTEGRATION, passed=False, reason="no supported workflow to integrate into")
    lands = set(ctx.targets(initiative, Rel.INTEGRATES_WITH))
    missing = [w for w in workflows if not lands & set(ctx.targets(w, Rel.USES))]
    if missing:
        return Check(name=CheckName.INTEGRATION, passed=False,
                     reason=f"not integrated with the systems of {ctx.names(missing)}")
    return Check(name=CheckName.INTEGRATION, passed=True, reason="lands in the systems of every workflow it supports")


def _metric(ctx: AnalysisContext, initiative: str) -> Check:
    outcome = [m for m in ctx.targets(initiative, Rel.MEASURED_BY) if is_outcome_metric(ctx, m)]
    if outcome:
        return Check(name=CheckName.OUTCOME_METRIC, passed=True, reason=f"measured by {ctx.names(outcome)}")
    return Check(name=CheckName.OUTCOME_METRIC, passed=False, reason="no outcome metric")


def _path(ctx: AnalysisContext, initiative: str) -> Check:
    if ctx.is_live(initiative):
        return Check(name=CheckName.PATH_TO_PRODUCTION, passed=True, reason=f"in {ctx.stage(initiative)}")
    systems = [s for s in ctx.targets(initiative, Rel.INTEGRATES_WITH) if not ctx.is_retired_system(s)]
    if systems:
        return Check(name=CheckName.PATH_TO_PRODUCTION, passed=True, reason=f"can land in {ctx.names(systems)}")
    if ctx.is_unknown_stage(initiative):
        return Check(name=CheckName.PATH_TO_PRODUCTION, passed=False,
                     reason="stage unknown (the source gives none) and integrates with no live system")
    return Check(name=CheckName.PATH_TO_PRODUCTION, passed=False, reason="integrates with no live system")


def _serious(findings: list[Finding]) -> Check:
    if not findings:
        return Check(name=CheckName.NO_SERIOUS_FINDING, passed=True, reason="no high or critical finding")
    rules = sorted({f.rule for f in findings})
    return Check(name=CheckName.NO_SERIOUS_FINDING, passed=False,
                 reason=f"{len(findings)} high or critical finding(s): {', '.join(rules)}")


def initiative_scorecard(ctx: AnalysisContext, initiative: str, serious: list[Finding]) -> InitiativeScorecard:
    unit = ctx.business_unit(initiative)
    return InitiativeScorecard(
        initiative=initiative,
        name=ctx.name(initiative),
        stage=str(ctx.stage(initiative) or ""),
        business_unit=unit,
        business_unit_name=ctx.unit_name(unit),
        checks=[_owner(ctx, initiative), _workflow(ctx, initiative), _integration(ctx, initiative),
                _metric(ctx, initiative), _path(ctx, initiative), _serious(serious)],
    )


def _roll_up(ctx: AnalysisContext, cards: list[InitiativeScorecard]) -> list[BusinessUnitScorecard]:
    by_unit: dict[str | None, list[InitiativeScorecard]] = defaultdict(list)
    for card in cards:
        by_unit[card.business_unit].append(card)
    rows = []
    for unit in sorted(by_unit, key=unit_sort_key):
        group = by_unit[unit]
        rows.append(BusinessUnitScorecard(
            business_unit=unit,
            business_unit_name=ctx.unit_name(unit),
            initiatives=len(group),
            ready=sum(card.ready for card in group),
            average_score=round(sum(card.score for card in group) / len(group), 4),
            failing={name: sum(not c.passed for card in group for c in card.checks if c.name is name)
                     for name in CheckName},
        ))
    return rows


def build_scorecards(
    graph: nx.MultiDiGraph | AnalysisContext,
    config: AnalysisConfig | None = None,
    result: AnalysisResult | None = None,
) -> ScorecardReport:
    """Scorecards for every non-retired initiative, sorted by id, and per
    business unit (sorted by id, the unknown unit last). Pass the
    ``AnalysisResult`` of the same graph to avoid running the rules twice."""
    config = config or AnalysisConfig()
    with collector_paused():
        ctx = AnalysisContext.of(graph)
        result = result if result is not None else run_analysis(ctx, config)
        serious: dict[str, list[Finding]] = defaultdict(list)
        for finding in result.findings:
            if finding.severity.at_least(Severity.HIGH):
                for entity in {finding.subject, *finding.related}:
                    serious[entity].append(finding)
        cards = [initiative_scorecard(ctx, i, serious.get(i, [])) for i in ctx.open_initiatives()]
        return ScorecardReport(as_of=config.as_of, initiatives=cards, business_units=_roll_up(ctx, cards))
