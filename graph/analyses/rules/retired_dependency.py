"""retired-dependency: AI built on a system that is being switched off."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext, Edge
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Rel

RULE = "retired-dependency"


@rule(RULE, Severity.HIGH, "Initiative depends on a retired system")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """A non-retired initiative that DEPENDS_ON or INTEGRATES_WITH (directly) a
    system whose lifecycle is retired. One finding per initiative and system."""
    for initiative in ctx.open_initiatives():
        links: dict[str, list[Edge]] = defaultdict(list)
        for rel in (Rel.DEPENDS_ON, Rel.INTEGRATES_WITH):
            for edge in ctx.out_edges(initiative, rel):
                if ctx.is_retired_system(edge.to_id):
                    links[edge.to_id].append(edge)
        for system in sorted(links):
            i, s = ctx.name(initiative), ctx.name(system)
            how = " and ".join("depends on" if e.type is Rel.DEPENDS_ON else "integrates with"
                               for e in links[system])
            yield ctx.finding(
                RULE,
                Severity.HIGH,
                initiative,
                related=[system],
                identity=[system],
                message=f"{i} ({ctx.stage(initiative)}) {how} {s}, which is retired.",
                evidence=[ctx.step(e) for e in links[system]]
                + [ctx.node_step(system, "lifecycle retired")],
                remediation=f"{i}'s accountable owner should move it off {s} to the system that replaced it.",
            )
