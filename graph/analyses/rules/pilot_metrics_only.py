"""pilot-metrics-only: AI measured by accuracy and usage, not by business outcome."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import OUTCOME_METRIC_TYPES, Kind, Rel, Stage

RULE = "pilot-metrics-only"

# "Past idea": pilot, production and scaled. A retired initiative is no longer
# measured, so it is left out like in the rules that say "non-retired".
PAST_IDEA = frozenset({Stage.PILOT, Stage.PRODUCTION, Stage.SCALED})


def is_outcome_metric(ctx: AnalysisContext, metric: str) -> bool:
    return ctx.kind(metric) is Kind.METRIC and ctx.attrs(metric).get("type") in OUTCOME_METRIC_TYPES


@rule(RULE, Severity.MEDIUM, "Initiative with no outcome metric", needs_stage=True)
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """An initiative past idea (pilot, production, scaled) that is MEASURED_BY
    no outcome metric (downtime, throughput, cycle time, cost…): pilot metrics
    such as accuracy or usage do not show a business result."""
    for initiative in ctx.ids(Kind.INITIATIVE):
        if ctx.stage(initiative) not in PAST_IDEA:
            continue
        metrics = ctx.targets(initiative, Rel.MEASURED_BY)
        if any(is_outcome_metric(ctx, m) for m in metrics):
            continue
        name = ctx.name(initiative)
        if metrics:
            kinds = sorted({str(ctx.attrs(m).get("type")).replace("_", " ") for m in metrics})
            message = f"{name} ({ctx.stage(initiative)}) is measured only by pilot metrics ({', '.join(kinds)})."
        else:
            message = f"{name} ({ctx.stage(initiative)}) has no metric at all."
        evidence = [ctx.step(e) for e in ctx.out_edges(initiative, Rel.MEASURED_BY)]
        yield ctx.finding(
            RULE,
            Severity.MEDIUM,
            initiative,
            related=metrics,
            message=message,
            evidence=evidence or [ctx.node_step(initiative, "no MEASURED_BY relationship")],
            remediation=(
                f"The owner of {name}'s outcomes should define an outcome metric (downtime, throughput, "
                "cycle time, cost…) with a baseline and a target."
            ),
        )
