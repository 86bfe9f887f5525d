"""unintegrated-workflow: the AI lands outside the tools people work in."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Kind, Rel

RULE = "unintegrated-workflow"


@rule(RULE, Severity.HIGH, "AI that does not land in the workflow's systems")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """A workflow supported by a non-retired initiative that integrates with
    none of the systems the workflow USES (directly; a workflow that records no
    system at all counts too): people must leave their tools to use the AI.
    One finding per workflow and initiative, so each team sees its own gap."""
    for workflow in ctx.ids(Kind.WORKFLOW):
        used = ctx.targets(workflow, Rel.USES)
        used_set = set(used)
        for support in ctx.in_edges(workflow, Rel.SUPPORTS):
            initiative = support.from_id
            if ctx.kind(initiative) is not Kind.INITIATIVE or ctx.is_retired_initiative(initiative):
                continue
            integrations = ctx.out_edges(initiative, Rel.INTEGRATES_WITH)
            if used_set & {e.to_id for e in integrations}:
                continue
            w, i = ctx.name(workflow), ctx.name(initiative)
            if used and integrations:
                message = (f"{i} supports {w} but lands in {ctx.names(e.to_id for e in integrations)}, "
                           f"not in {ctx.names(used)} where the work is done.")
            elif used:
                message = f"{i} supports {w} but is not integrated with {ctx.names(used)}, where the work is done."
            else:
                message = f"{i} supports {w}, but {w} records no system people work in, so {i} cannot be embedded."
            yield ctx.finding(
                RULE,
                Severity.HIGH,
                workflow,
                related=[initiative, *used],
                identity=[initiative],
                message=message,
                evidence=[ctx.step(support)]
                + [ctx.step(e) for e in ctx.out_edges(workflow, Rel.USES)]
                + [ctx.step(e) for e in integrations],
                remediation=(
                    f"The team deploying {i} should integrate it with "
                    f"{ctx.names(used) if used else 'the system the workflow runs in (record it with USES)'}, "
                    f"with {w}'s owner agreeing where the output appears."
                ),
                business_unit=ctx.business_unit(workflow) or ctx.business_unit(initiative),
            )
