"""pilot-purgatory: pilots that stay pilots."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext, parse_date
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Kind, Rel, Stage

RULE = "pilot-purgatory"


@rule(RULE, Severity.MEDIUM, "Pilot stuck without a way to production")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """A pilot whose ``stage_since`` is more than ``pilot_age_days`` (default
    180) before ``as_of``, or a pilot that INTEGRATES_WITH no system at all (no
    path to production). A pilot without ``stage_since`` is not judged by age.
    One finding per pilot, giving every reason that applies."""
    for initiative in ctx.ids(Kind.INITIATIVE):
        if ctx.stage(initiative) is not Stage.PILOT:
            continue
        since = parse_date(ctx.attrs(initiative).get("stage_since"))
        age = (config.as_of - since).days if since else None
        too_old = age is not None and age > config.pilot_age_days
        unintegrated = not ctx.out_edges(initiative, Rel.INTEGRATES_WITH)
        if not (too_old or unintegrated):
            continue
        name = ctx.name(initiative)
        reasons, evidence = [], []
        if too_old and since is not None:
            reasons.append(f"has been a pilot for {age} days (since {since.isoformat()})")
            evidence.append(ctx.node_step(initiative, f"pilot since {since.isoformat()}: {age} days "
                                                      f"> {config.pilot_age_days}"))
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
