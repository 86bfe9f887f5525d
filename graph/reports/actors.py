"""Who should act on a finding: a report a manager reads must name a person or
a team, not only a rule.

The subject's active accountable owners first; failing them (an orphaned
initiative has none), its active sponsors, who can name one; failing those, the
head of the business unit the finding belongs to; and for what no unit owns,
or only vendors do (the ``vendors`` bucket), the AI programme office, which
holds the map.
"""

from __future__ import annotations

from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding
from graph.reports.model import Actor
from graph.schema import OwnerRole

PROGRAMME_OFFICE = "the AI programme office"


def who_should_act(ctx: AnalysisContext, finding: Finding, vendor_units: set[str]) -> Actor:
    subject = finding.subject
    accountable = ctx.active_accountable_owners(subject) if ctx.has(subject) else []
    if accountable:
        return Actor(who=ctx.names(accountable, limit=3), ids=accountable, basis="accountable owner")
    sponsors = sorted({edge.src for edge in ctx.owner_edges(subject, [OwnerRole.SPONSOR])
                       if ctx.is_active_owner(edge.src)}) if ctx.has(subject) else []
    if sponsors:
        return Actor(who=ctx.names(sponsors, limit=3), ids=sponsors, basis="sponsor")
    unit = finding.business_unit
    if unit is not None and unit not in vendor_units:
        return Actor(who=f"the head of {finding.business_unit_name or unit}", ids=[unit], basis="business unit")
    if unit is not None:
        return Actor(who=f"{PROGRAMME_OFFICE} (only vendors own it)", basis="programme office")
    return Actor(who=PROGRAMME_OFFICE, basis="programme office")
