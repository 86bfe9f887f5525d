"""duplicate-initiatives: business units building the same AI on their own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import VENDORS, AnalysisContext
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Kind, Rel

RULE = "duplicate-initiatives"


@rule(RULE, Severity.MEDIUM, "Business units running separate initiatives for one workflow")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """Two or more non-retired initiatives of different business units
    SUPPORTing the same workflow. An initiative's unit here comes from its
    owners only (``owner_business_unit``); an initiative with no owner in any
    unit cannot be said to be another unit's and is left out. One finding per
    workflow: its id does not change when a third unit joins."""
    for workflow in ctx.ids(Kind.WORKFLOW):
        by_unit: dict[str, list[str]] = defaultdict(list)
        for initiative in ctx.sources(workflow, Rel.SUPPORTS, Kind.INITIATIVE):
            if ctx.is_retired_initiative(initiative):
                continue
            unit = ctx.owner_business_unit(initiative)
            if unit is not None and unit != VENDORS:  # a vendor is no business unit adopting tools
                by_unit[unit].append(initiative)
        if len(by_unit) < 2:
            continue
        units = sorted(by_unit)
        initiatives = sorted(i for unit in units for i in by_unit[unit])
        w = ctx.name(workflow)
        listed = "; ".join(f"{ctx.name(unit)}: {ctx.names(by_unit[unit])}" for unit in units)
        yield ctx.finding(
            RULE,
            Severity.MEDIUM,
            workflow,
            related=initiatives,
            message=f"{len(units)} business units run separate AI initiatives for {w} — {listed}.",
            evidence=[ctx.step(e) for e in ctx.in_edges(workflow, Rel.SUPPORTS) if e.src in set(initiatives)],
            remediation=(
                f"The AI programme office should bring the owners of {ctx.names(initiatives)} together "
                f"to merge them or agree one shared solution for {w}."
            ),
            business_unit=ctx.business_unit(workflow) or units[0],
        )
