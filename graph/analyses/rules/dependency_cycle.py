"""dependency-cycle: systems that depend on each other in a circle."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.components import strongly_connected
from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Rel

RULE = "dependency-cycle"


@rule(RULE, Severity.LOW, "Circular dependency")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """A cycle of DEPENDS_ON. Reported once per strongly connected component
    (every node of it lies on a cycle; a self-loop is a component of one), not
    once per simple cycle, whose number explodes at scale. The subject is the
    member with the smallest id, the id comes from all members, and the
    evidence is the shortest cycle through the subject."""
    def targets(node: str) -> list[str]:
        return [e.to_id for e in ctx.out_edges(node, Rel.DEPENDS_ON)]

    starts = [e.from_id for e in ctx.edges(Rel.DEPENDS_ON)]
    for component in strongly_connected(dict.fromkeys(starts), targets):
        members = sorted(component)
        first = members[0]
        if len(members) == 1 and ctx.find_edge(first, first, Rel.DEPENDS_ON) is None:
            continue
        cycle = ctx.shortest_path(first, first, Rel.DEPENDS_ON, within=set(component))
        shown = " → ".join(ctx.name(node) for node in cycle)
        if len(members) > len(cycle) - 1:
            message = (f"{len(members)} systems depend on each other in cycles: {ctx.names(members)}; "
                       f"for example {shown}.")
        elif len(members) == 1:
            message = f"{ctx.name(first)} depends on itself."
        else:
            message = f"{len(members)} systems depend on each other in a cycle: {shown}."
        yield ctx.finding(
            RULE,
            Severity.LOW,
            first,
            related=members,
            identity=members,
            message=message,
            evidence=ctx.path_steps(cycle, Rel.DEPENDS_ON),
            remediation=(f"The owners of {ctx.names(members)} should have an architect break the cycle, "
                         "so each can be changed, moved or retired without the others."),
        )
