"""orphaned-initiative: nobody active is accountable for an AI initiative."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import Kind, OwnerRole

RULE = "orphaned-initiative"


def _why_inactive(ctx: AnalysisContext, owner: str) -> str:
    kind = ctx.kind(owner)
    if kind is Kind.PERSON:
        return "has left"
    if kind is Kind.TEAM:
        return "is an inactive team"
    return "is not a team or a person"


@rule(RULE, Severity.HIGH, "AI initiative without an active accountable owner")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """A non-retired initiative with no accountable owner who is an active Team
    or active Person: an owner who left, an inactive team, or an owner no
    import has brought (a pending reference, named in the message) counts as
    none. High; one step up, critical, when the initiative is in production or
    scaled or is high-impact (affects rights, safety or critical services)."""
    for initiative in ctx.open_initiatives():
        if ctx.active_accountable_owners(initiative):
            continue
        former = ctx.accountable_owners(initiative)
        live = ctx.is_live(initiative)
        high_impact = ctx.is_high_impact(initiative)
        stage = f"{ctx.stage(initiative)}, high-impact" if high_impact else f"{ctx.stage(initiative)}"
        name = ctx.name(initiative)
        if former:
            gone = "; ".join(f"{ctx.name(o)} {_why_inactive(ctx, o)}" for o in former)
            message = f"Nobody active is accountable for {name} ({stage}): {gone}."
        else:
            message = f"Nobody is accountable for {name} ({stage})."
        if pending := ctx.pending_owner_phrase(initiative):
            message = message[:-1] + f"; it is {pending}."
        evidence = [ctx.step(e, note=_why_inactive(ctx, e.src))
                    for e in ctx.owner_edges(initiative, [OwnerRole.ACCOUNTABLE])]
        evidence += ctx.pending_steps(initiative)
        evidence += [ctx.step(e) for e in ctx.owner_edges(initiative) if e.role is not OwnerRole.ACCOUNTABLE]
        if not evidence:
            evidence = [ctx.node_step(initiative, "no OWNS relationship in role accountable")]
        yield ctx.finding(
            RULE,
            Severity.CRITICAL if live or high_impact else Severity.HIGH,
            initiative,
            related=former,
            message=message,
            evidence=evidence,
            remediation=(
                f"The sponsor or the business unit's AI lead should name an active team or person "
                f"accountable for {name} and record it as its accountable owner."
            ),
        )
