"""pilot-purgatory: pilots that stay pilots."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Kind, Rel, Stage

RULE = "pilot-purgatory"


@rule(RULE, Severity.MEDIUM, "Pilot stuck without a way to production", needs_stage=True)
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """A pilot that entered its stage more than ``pilot_age_days`` (default
    180) before ``as_of`` — by its ``stage_since``, else by the earliest
    observation of the pilot stage in its stage history (a 2024 pilot still a
    pilot in 2025) — or a pilot that INTEGRATES_WITH no system at all (no path
    to production). A pilot with neither date is not judged by age. One
    finding per pilot, giving every reason that applies."""
    for initiative in ctx.ids(Kind.INITIATIVE):
        if ctx.stage(initiative) is not Stage.PILOT:
            continue
        since, origin = ctx.stage_since(initiative)
        age = (config.as_of - since).days if since else None
        too_old = age is not None and age > config.pilot_age_days
        unintegrated = not ctx.out_edges(initiative, Rel.INTEGRATES_WITH)
        if not (too_old or unintegrated):
            continue
        name = ctx.name(initiative)
        reasons, evidence = [], []
        if too_old and since is not None:
            reasons.append(f"has been a pilot for {age} days (since {since.isoformat()})")
            evidence.append(ctx.node_step(initiative, f"pilot since {since.isoformat()} (from its {origin}): "
                                                      f"{age} days > {config.pilot_age_days}"))
        if unintegrated:
            reasons.append("integrates with no system, so it has no path to production")
            evidence.append(ctx.node_step(initiative, "no INTEGRATES_WITH relationship"))
        yield ctx.finding(
            RULE,
            Severity.MEDIUM,
            initiative,
            message=f"{name} {' and '.join(reasons)}.",
            evidence=evidence,
            remediation=(
                f"{name}'s accountable owner should decide: plan its integration and move it to "
                "production with a date, or stop it."
            ),
        )
