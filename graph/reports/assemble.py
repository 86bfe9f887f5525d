"""Assembling the gap report from the read side.

Everything comes from one analysed snapshot of ``ReadService`` (findings,
scorecards, pipeline, priorities), so the numbers of the summary and of the
sections are counts of the same findings and add up. Each finding lands in
exactly one place: the section of its business unit, or the list of
suppressed findings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from weakref import WeakKeyDictionary

from graph.analyses.context import AnalysisContext, parse_date
from graph.analyses.model import Finding, Severity, WorkflowPriority
from graph.analyses.priorities import top_per_unit
from graph.reports.actors import who_should_act
from graph.reports.compare import compare
from graph.reports.model import (
    Headline,
    Notice,
    PipelineSummary,
    Report,
    ReportFinding,
    Scope,
    Summary,
    Suppression,
    TopGap,
    UnitSection,
)
from graph.reports.suppressions import apply_suppressions
from graph.schema import Kind, Stage
from graph.service import Filters, ReadService, Snapshot

TOP_GAPS = 3
OPPORTUNITIES_PER_UNIT = 5
NO_UNIT = "No business unit"
VENDORS_TITLE = "Vendors"


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _severity_counts(findings: list[Finding]) -> dict[Severity, int]:
    counts = {severity: 0 for severity in sorted(Severity, reverse=True)}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def old_pilots(ctx: AnalysisContext, filters: Filters, as_of: dt.date, threshold: int) -> tuple[int, int]:
    """(pilots in scope, those whose ``stage_since`` is over ``threshold`` days
    before ``as_of``): the age half of pilot-purgatory, counted for the summary."""
    pilots = old = 0
    for initiative in ctx.ids(Kind.INITIATIVE):
        if ctx.stage(initiative) is not Stage.PILOT:
            continue
        unit = ctx.business_unit(initiative)
        if not filters.unit_matches(unit, ctx.unit_name(unit)):
            continue
        pilots += 1
        since = parse_date(ctx.attrs(initiative).get("stage_since"))
        if since is not None and (as_of - since).days > threshold:
            old += 1
    return pilots, old


def top_gaps(findings: list[ReportFinding], count: int = TOP_GAPS) -> list[TopGap]:
    """The gaps that matter most: the most severe first; within a severity, one
    of each rule before a second of any (a manager learns more from three kinds
    of gap than from one kind three times); then the widest (most entities)."""
    seen: dict[tuple[Severity, str], int] = defaultdict(int)
    ranked = []
    for item in sorted(findings, key=lambda i: (-i.finding.severity.rank, -len(i.finding.related),
                                                  i.finding.rule, i.finding.subject, i.finding.id)):
        f = item.finding
        ranked.append(((-f.severity.rank, seen[(f.severity, f.rule)], -len(f.related), f.rule, f.subject, f.id),
                       item))
        seen[(f.severity, f.rule)] += 1
    ranked.sort(key=lambda pair: pair[0])
    return [TopGap(finding=item.finding.id, rule=item.finding.rule, severity=item.finding.severity,
                   business_unit_name=item.finding.business_unit_name, message=item.finding.message,
                   remediation=item.finding.remediation, act=item.act)
            for _, item in ranked[:count]]


def build_report(service: ReadService, business_unit: str | None = None,
                 suppressions: list[Suppression] | None = None, previous: tuple[Report, str] | None = None,
                 history: list[Headline] | None = None) -> Report:
    """The report of the graph behind ``service``, as of its config's date.

    ``previous`` is an earlier report and where it came from; ``history`` the
    headlines of saved reports before this one, oldest first."""
    snapshot = service.snapshot()
    ctx, config = snapshot.ctx, snapshot.config
    filters = service.check_filters(Filters(business_unit=business_unit), snapshot)
    everything = service.analysis(Filters(), snapshot)
    scoped = service.analysis(filters, snapshot) if business_unit is not None else everything
    applied = apply_suppressions(scoped.findings, suppressions or [], config.as_of,
                                 {f.id for f in everything.findings})
    units = {unit.id: unit for unit in service.business_units()}
    vendors = {uid for uid, unit in units.items() if unit.vendor}
    scope_unit = None if business_unit is None else next(
        uid for uid, unit in units.items() if business_unit in (uid, unit.name))

    open_items = [ReportFinding(finding=f, act=who_should_act(ctx, f, vendors),
                                suppression_expired=applied.expired.get(f.id)) for f in applied.open]
    scorecards = service.scorecards(filters)
    pipeline = service.pipeline(filters)
    pilots, old = old_pilots(ctx, filters, config.as_of, config.pilot_age_days)
    ready = sum(card.ready for card in scorecards.initiatives)
    headline = Headline(
        as_of=config.as_of, findings=len(open_items), by_severity=_severity_counts(applied.open),
        suppressed=len(applied.suppressed), initiatives=len(scorecards.initiatives), scale_ready=ready,
        scale_ready_share=_share(ready, len(scorecards.initiatives)), in_pilot=pipeline.total.in_pilot,
        reached_production=pipeline.total.reached_production, conversion=pipeline.total.conversion,
        pilots_over_threshold=old, pilots_over_threshold_share=_share(old, pilots))

    notices: list[Notice] = list(applied.notices)
    comparison = None
    current_ids = [f.id for f in scoped.findings]
    if previous is not None:
        earlier, name = previous
        comparison = compare(current_ids, headline, earlier, name)
        if earlier.scope.business_unit != scope_unit:
            notices.append(Notice(kind="comparison", message=(
                f"the previous report ({name}) covered {earlier.scope.business_unit_name or 'every business unit'}, "
                f"this one {units[scope_unit].name if scope_unit else 'every business unit'}: "
                "findings outside the narrower one show as new or resolved")))
        new = set(comparison.new)
        open_items = [item.model_copy(update={"status": "new" if item.finding.id in new else "persisting"})
                      for item in open_items]

    by_rule = {rule: 0 for rule in scoped.rules}
    for item in open_items:
        by_rule[item.finding.rule] = by_rule.get(item.finding.rule, 0) + 1

    return Report(
        as_of=config.as_of,
        scope=Scope(business_unit=scope_unit, business_unit_name=units[scope_unit].name if scope_unit else None),
        rules=scoped.rules,
        pilot_age_days=config.pilot_age_days,
        summary=Summary(headline=headline, by_rule=by_rule,
                        pipeline=PipelineSummary(row=pipeline.total, pilot_age_days=config.pilot_age_days,
                                                 pilots_over_threshold=old,
                                                 pilots_over_threshold_share=_share(old, pilots)),
                        top_gaps=top_gaps(open_items)),
        units=_sections(service, filters, units, open_items, scorecards, pipeline),
        suppressed=applied.suppressed,
        notices=notices,
        comparison=comparison,
        history=[*(history or []), headline],
    )


def _section_name(unit: str | None, units: dict) -> str:
    if unit is None:
        return NO_UNIT
    if unit not in units:
        return unit
    return VENDORS_TITLE if units[unit].vendor else units[unit].name


_OPPORTUNITIES: WeakKeyDictionary[Snapshot, dict] = WeakKeyDictionary()


def _opportunities(snapshot: Snapshot) -> dict[str | None, list[WorkflowPriority]]:
    """Each unit's top workflows, kept as long as the snapshot lives: ranking
    scores every workflow (seconds at 100,000 entities), and a server answers
    ``GET /report`` many times from one snapshot."""
    if snapshot not in _OPPORTUNITIES:
        _OPPORTUNITIES[snapshot] = top_per_unit(snapshot.ctx, OPPORTUNITIES_PER_UNIT)
    return _OPPORTUNITIES[snapshot]


def _sections(service, filters, units, open_items, scorecards, pipeline) -> list[UnitSection]:
    """One section per unit with anything to say: business units by name, then
    vendors by name, then what belongs to no unit."""
    findings: dict[str | None, list[ReportFinding]] = defaultdict(list)
    for item in open_items:
        findings[item.finding.business_unit].append(item)
    cards = defaultdict(list)
    for card in scorecards.initiatives:
        cards[card.business_unit].append(card)
    rollups = {row.business_unit: row for row in scorecards.business_units}
    rows = {row.business_unit: row for row in pipeline.business_units}
    opportunities = _opportunities(service.snapshot())

    present = set(findings) | set(cards) | {unit for unit, row in rows.items() if row.total}
    ordered = sorted((u for u in present if u is not None),
                     key=lambda u: (u in units and units[u].vendor, (units[u].name if u in units else u).casefold(), u))
    if None in present:
        ordered.append(None)
    sections = []
    for unit in ordered:
        items = findings.get(unit, [])
        sections.append(UnitSection(
            business_unit=unit,
            name=_section_name(unit, units),
            vendor=unit in units and units[unit].vendor,
            counts=_severity_counts([item.finding for item in items]),
            pipeline=rows.get(unit),
            scorecard=rollups.get(unit),
            initiatives=sorted(cards.get(unit, []), key=lambda c: (c.passed, c.name.casefold(), c.initiative)),
            findings=items,
            opportunities=opportunities.get(unit, []),
        ))
    return sections
