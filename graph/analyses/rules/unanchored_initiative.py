"""unanchored-initiative: AI in production that changes no known workflow."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Rel

RULE = "unanchored-initiative"


@rule(RULE, Severity.MEDIUM, "Initiative in production that supports no workflow", needs_stage=True)
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """An initiative in production or scaled that SUPPORTS no workflow: nobody
    can say which work it changes, so nobody can measure what it changed."""
    for initiative in ctx.live_initiatives():
        if ctx.out_edges(initiative, Rel.SUPPORTS):
            continue
        name = ctx.name(initiative)
        yield ctx.finding(
            RULE,
            Severity.MEDIUM,
            initiative,
            message=f"{name} is {ctx.stage_phrase(initiative)} but supports no workflow.",
            evidence=[ctx.node_step(initiative, f"stage {ctx.stage(initiative)}, no SUPPORTS relationship")],
            remediation=(
                f"{name}'s accountable owner should record the workflow it changes "
                "(SUPPORTS), or retire it if it changes none."
            ),
        )
