"""The gap analyses: rules over the graph that produce findings, and the
scorecard, pipeline and priorities beside them.

One entry point::

    from graph.analyses import AnalysisContext, run_analysis, load_config
    result = run_analysis(AnalysisContext.from_store(store), load_config(as_of=date(2026, 6, 30)))
    result.filter(severity="high").findings

The faces ask ``graph.service.ReadService`` instead, which keeps the analysed
graph between questions and filters by business unit, kind and text too.

Findings are sorted by severity (most severe first), rule, subject and id; the
same graph and config always give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.analyses.config import AnalysisConfig, load_config
from graph.analyses.context import AnalysisContext
from graph.gc_pause import collector_paused
from graph.schema import Kind
from graph.analyses.model import AnalysisResult, Finding, Severity
from graph.analyses.registry import Rule, all_rules, get_rule, rule_ids


def run_analysis(
    graph: nx.MultiDiGraph | AnalysisContext,
    config: AnalysisConfig | None = None,
    rules: Iterable[str] | None = None,
) -> AnalysisResult:
    """Run every enabled rule (or only ``rules``) over ``graph``.

    A severity override in the config replaces the severity of every finding
    of that rule, escalations included.
    """
    with collector_paused():
        return _run(graph, config or AnalysisConfig(), rules)


def _run(
    graph: nx.MultiDiGraph | AnalysisContext, config: AnalysisConfig, rules: Iterable[str] | None
) -> AnalysisResult:
    ctx = AnalysisContext.of(graph)
    wanted = None if rules is None else {get_rule(r).id for r in rules}
    ran: list[str] = []
    findings: dict[str, Finding] = {}
    for rule in all_rules():
        if not config.enabled(rule.id) or (wanted is not None and rule.id not in wanted):
            continue
        ran.append(rule.id)
        override = config.severity.get(rule.id)
        for finding in rule.check(ctx, config):
            if override is not None and finding.severity != override:
                finding = finding.model_copy(update={"severity": override})
            findings[finding.id] = finding
    ordered = sorted(findings.values(), key=Finding.sort_key)
    return AnalysisResult(as_of=config.as_of, rules=ran, findings=ordered, notes=_unknown_stage_notes(ctx, ran))


def _unknown_stage_notes(ctx: AnalysisContext, ran: list[str]) -> list[str]:
    """Why the rules that judge by stage passed over some initiatives: a stage
    the source left blank is unknown, never silently an idea (PRODUCT.md)."""
    unknown = [i for i in ctx.ids(Kind.INITIATIVE) if ctx.is_unknown_stage(i)]
    needing = [rule_id for rule_id in ran if get_rule(rule_id).needs_stage]
    if not unknown or not needing:
        return []
    return [f"{', '.join(needing)}: {len(unknown)} initiative(s) of unknown stage not judged, because their "
            f"sources give no stage (e.g. {ctx.names(unknown, limit=3)}); record a stage to have them checked."]


__all__ = [
    "AnalysisConfig",
    "AnalysisContext",
    "AnalysisResult",
    "Finding",
    "Rule",
    "Severity",
    "all_rules",
    "load_config",
    "rule_ids",
    "run_analysis",
]
