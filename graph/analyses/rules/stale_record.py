"""stale-record: entities no import has confirmed for a long time."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext, parse_date
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule

RULE = "stale-record"


@rule(RULE, Severity.LOW, "Record not confirmed by any import for a long time")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """An entity whose ``last_seen`` (the last import that confirmed it) is
    more than ``stale_days`` (default 90) before ``as_of``: the map no longer
    matches the enterprise. An entity without ``last_seen`` is not judged."""
    for node in ctx.ids():
        attrs = ctx.attrs(node)
        seen = parse_date(attrs.get("last_seen"))
        if seen is None:
            continue
        age = (config.as_of - seen).days
        if age <= config.stale_days:
            continue
        name = ctx.name(node)
        source = attrs.get("source") or "an unnamed source"
        kind = ctx.kind(node)
        what = f"{kind.value} {name}" if kind else name
        yield ctx.finding(
            RULE,
            Severity.LOW,
            node,
            message=f"{what} was last confirmed by {source} on {seen.isoformat()}, {age} days ago.",
            evidence=[ctx.node_step(node, f"last seen {seen.isoformat()}: {age} days > {config.stale_days}")],
            remediation=(f"Whoever keeps {source} should re-import it; if {name} no longer exists, "
                         "delete it from the map."),
        )
