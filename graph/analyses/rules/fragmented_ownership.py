"""fragmented-ownership: several owners, or none with the roles spread thin."""

from __future__ import annotations

from collections.abc import Iterator

from graph.analyses.config import AnalysisConfig
from graph.analyses.context import AnalysisContext, Edge
from graph.analyses.model import Finding, Severity
from graph.analyses.registry import rule
from graph.schema import OPERATING_ROLES, Kind, OwnerRole, Rel

RULE = "fragmented-ownership"
SPREAD = 3  # teams over which the operating roles are spread


def _team_of(ctx: AnalysisContext, owner: str) -> str:
    """The team an owner stands for: a Team itself, a Person's first team
    (smallest id), or the person alone when they belong to none."""
    if ctx.kind(owner) is Kind.PERSON:
        teams = ctx.teams_of(owner)
        return teams[0] if teams else owner
    return owner


def _with_unit(ctx: AnalysisContext, owner: str) -> str:
    unit = ctx.owner_unit(owner)
    return f"{ctx.name(owner)} ({ctx.name(unit)})" if unit else ctx.name(owner)


def _evidence(ctx: AnalysisContext, edges: list[Edge]) -> list:
    return [ctx.step(e) for e in edges if ctx.is_active_owner(e.from_id)]


@rule(RULE, Severity.MEDIUM, "Split or unclear ownership")
def check(ctx: AnalysisContext, config: AnalysisConfig) -> Iterator[Finding]:
    """An entity with more than one accountable owner (active ones; an owner
    who left counts as none), which includes owners in different business
    units; or, with no active accountable owner, the roles deployment,
    outcomes, standards and risk held by active owners spread over three or
    more teams (a person counts as their team). One finding per entity."""
    for entity in ctx.ids():
        if not ctx.in_edges(entity, Rel.OWNS):
            continue
        owners = ctx.active_accountable_owners(entity)
        name = ctx.name(entity)
        if len(owners) > 1:
            units = ctx.accountable_units(entity)
            edges = ctx.owner_edges(entity, [OwnerRole.ACCOUNTABLE])
            if len(units) > 1:
                listed = ", ".join(_with_unit(ctx, o) for o in owners)
                message = (f"{name} has {len(owners)} accountable owners in {len(units)} "
                           f"business units: {listed}.")
                remediation = (f"The leaders of {ctx.names(units)} should agree on one accountable owner for "
                               f"{name}; the others can hold responsible or sponsor roles.")
            else:
                message = f"{name} has {len(owners)} accountable owners: {ctx.names(owners)}."
                remediation = (f"{ctx.names(owners)} should agree which of them is accountable for {name} "
                               "and record the others in another role.")
            yield ctx.finding(RULE, Severity.MEDIUM, entity, related=owners, message=message,
                              evidence=_evidence(ctx, edges), remediation=remediation)
        elif not owners:
            edges = [e for e in ctx.owner_edges(entity, OPERATING_ROLES) if ctx.is_active_owner(e.from_id)]
            teams = sorted({_team_of(ctx, e.from_id) for e in edges})
            if len(teams) < SPREAD:
                continue
            roles = sorted({e.role.value for e in edges if e.role})
            holders = sorted({e.from_id for e in edges})
            yield ctx.finding(
                RULE,
                Severity.MEDIUM,
                entity,
                related=sorted(set(holders) | set(teams)),
                message=(f"Nobody is accountable for {name}, and its {', '.join(roles)} roles are split "
                         f"over {len(teams)} teams: {ctx.names(teams)}."),
                evidence=_evidence(ctx, edges),
                remediation=(f"The business unit leader should make one of {ctx.names(teams)} accountable "
                             f"for {name} end to end."),
            )
