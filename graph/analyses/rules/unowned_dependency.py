"""unowned-dependency: live AI resting on a system nobody is accountable for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from graph.analyses.components import strongly_connected
from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext, unit_sort_key
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Kind, Rel

RULE = "unowned-dependency"


def unowned_reach(ctx: AnalysisContext, unowned: set[str]) -> dict[str, frozenset[str]]:
    """For every system, the unowned systems it reaches through DEPENDS_ON
    (itself included). Computed once over the condensation of the dependency
    graph, sinks first, so cycles and shared sub-dependencies cost nothing extra."""
    systems = ctx.ids(Kind.SYSTEM)
    below: dict[str, list[str]] = {
        system: [e.to_id for e in ctx.out_edges(system, Rel.DEPENDS_ON) if ctx.kind(e.to_id) is Kind.SYSTEM]
        for system in systems}
    component_of: dict[str, int] = {}
    reach: list[frozenset[str]] = []
    empty: frozenset[str] = frozenset()
    for number, members in enumerate(strongly_connected(systems, below.__getitem__)):
        component_of.update(dict.fromkeys(members, number))
        own = unowned.intersection(members)
        lower = {component_of[target] for member in members for target in below[member]} - {number}
        reached = [reach[c] for c in lower if reach[c]]
        reach.append(frozenset(own).union(*reached) if own or reached else empty)
    return {system: reach[component_of[system]] for system in systems}


def _count(n: int) -> str:
    return "1 AI initiative" if n == 1 else f"{n} AI initiatives"


@rule(RULE, Severity.HIGH, "Live AI depends on a system nobody owns", needs_stage=True)
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """A system with no active accountable owner that an initiative in
    production or scaled DEPENDS_ON, directly or through other systems'
    DEPENDS_ON. One finding per system, naming the initiatives that depend on
    it; the evidence is the shortest dependency path from the first of them.
    High; one step up, critical, when a high-impact initiative depends on it."""
    unowned = {s for s in ctx.ids(Kind.SYSTEM) if not ctx.active_accountable_owners(s)}
    if not unowned:
        return
    reach = unowned_reach(ctx, unowned)
    dependents: dict[str, set[str]] = defaultdict(set)
    for initiative in ctx.live_initiatives():
        for system in ctx.targets(initiative, Rel.DEPENDS_ON, Kind.SYSTEM):
            for reached in reach[system]:
                dependents[reached].add(initiative)
    for system in sorted(dependents):
        initiatives = sorted(dependents[system])
        first = initiatives[0]
        path = ctx.shortest_path(first, system, Rel.DEPENDS_ON)
        name = ctx.name(system)
        former = ctx.accountable_owners(system)
        nobody = f"Nobody active is accountable for {name}" if former else f"Nobody is accountable for {name}"
        if pending := ctx.pending_owner_phrase(system):
            nobody += f" ({pending})"
        via = f" (through {ctx.names(path[1:-1])})" if len(path) > 2 else ""
        high_impact = [i for i in initiatives if ctx.is_high_impact(i)]
        impact = f" High-impact: {ctx.names(high_impact)}." if high_impact else ""
        yield ctx.finding(
            RULE,
            Severity.CRITICAL if high_impact else Severity.HIGH,
            system,
            related=initiatives,
            message=(f"{nobody}, yet {_count(len(initiatives))} in production depend"
                     f"{'s' if len(initiatives) == 1 else ''} on it: {ctx.names(initiatives)}{via}.{impact}"),
            evidence=ctx.path_steps(path, Rel.DEPENDS_ON) + ctx.pending_steps(system),
            remediation=(f"The platform or architecture lead should name an accountable owner for {name}; "
                         f"until then the owners of {ctx.names(initiatives)} carry its risk."),
            business_unit=ctx.business_unit(system)
            or min(filter(None, map(ctx.business_unit, initiatives)), default=None, key=unit_sort_key),
        )
