"""What-if: the analyses of an imagined graph, compared with the real one.

The changes (retire a system, dissolve a team, a person leaves, stop an
initiative, add or remove a relationship) are applied to an *overlay* of the
current snapshot's analysis index (``AnalysisContext.overlay``): the store is
never written and the snapshot other questions are answered from is never
touched. The rules run again on the overlay, and the two runs are compared by
finding id — the ids are stable, so a finding that stays keeps its id — and by
scorecard. Each change also gets the downstream impact of the entity it
touches, with paths, from the service's impact walk.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from graph.analyses.context import AnalysisContext, Edge
from graph.analyses import AnalysisResult, run_analysis
from graph.analyses.model import Finding, Severity
from graph.analyses.scorecard import initiative_scorecard
from graph.gc_pause import collector_paused
from graph.schema import REL_READINGS, REL_SPECS, Kind, OwnerRole, Rel
from graph.service.read_service import InvalidRequest, ReadService
from graph.service.rule_reads import rules_moved
from graph.service.snapshot import Snapshot
from graph.service.whatif_models import (
    ENTITY_CHANGES,
    AddRelationship,
    ChangeOutcome,
    RemoveRelationship,
    ScorecardChange,
    SeverityChange,
    WhatIfAnswer,
    WhatIfRequest,
    describe,
)

WHATIF_SOURCE = "what-if"
"""The provenance of a relationship a what-if adds."""
IMPACT_LIMIT = 200


class _Plan:
    """The changes of a request, checked against the graph and turned into
    what an overlay takes: property updates, edges to add and to remove."""

    def __init__(self, ctx: AnalysisContext, request: WhatIfRequest):
        self.attrs: dict[str, dict[str, object]] = {}
        self.add: list[Edge] = []
        self.remove: list[Edge] = []
        # (words, entity, walk the imagined graph): the imagined one, so what is
        # reached shows its imagined findings, except for a removed relationship,
        # which only the real graph still has a path over.
        self.subjects: list[tuple[str, str, bool]] = []
        for index, change in enumerate(request.changes):
            where = f"changes[{index}]"
            if isinstance(change, (AddRelationship, RemoveRelationship)):
                self._relationship(ctx, change, where)
            else:
                kind, values = ENTITY_CHANGES[change.change]
                if ctx.kind(change.id) is not kind:
                    found = ctx.kind(change.id)
                    raise InvalidRequest(f"{where}.id: {change.change} needs a {kind.value}; {change.id!r} is "
                                         + (f"a {found.value}" if found else "not in the graph"))
                self.attrs.setdefault(change.id, {}).update(values)
                self.subjects.append((describe(change), change.id, True))

    def _relationship(self, ctx: AnalysisContext, change: AddRelationship | RemoveRelationship, where: str) -> None:
        spec = REL_SPECS[change.type]
        if change.role is not None and not spec.has_role:
            with_role = ", ".join(rel.value for rel, other in REL_SPECS.items() if other.has_role)
            raise InvalidRequest(f"{where}.role: only {with_role} carries a role, not {change.type.value}")
        for field, end, allowed in (("from_id", change.from_id, spec.sources), ("to_id", change.to_id, spec.targets)):
            kind = ctx.kind(end)
            if kind is None:
                raise InvalidRequest(f"{where}.{field}: no entity {end!r} in the graph")
            if kind not in allowed:
                raise InvalidRequest(f"{where}.{field}: {change.type.value} cannot "
                                     f"{'leave' if field == 'from_id' else 'reach'} the {kind.value} {end!r}")
        role = change.role
        if isinstance(change, AddRelationship):
            role = role or (OwnerRole.ACCOUNTABLE if spec.has_role else None)
            self.add.append(Edge(change.from_id, change.to_id, change.type, role, WHATIF_SOURCE, WHATIF_SOURCE, None))
        else:
            present = [e for e in ctx.out_edges(change.from_id, change.type)
                       if e.to_id == change.to_id and (role is None or e.role is role)]
            if not present:
                raise InvalidRequest(f"{where}: there is no {change.type.value} from {change.from_id!r} "
                                     f"to {change.to_id!r}{f' in the role {role.value}' if role else ''} to remove")
            self.remove.append(Edge(change.from_id, change.to_id, change.type, role, "", "", None))
        needs = REL_READINGS[change.type].needs
        subject = change.to_id if needs == "target" else change.from_id
        self.subjects.append((describe(change), subject, isinstance(change, AddRelationship)))


def what_if(service: ReadService, request: WhatIfRequest, impact_limit: int = IMPACT_LIMIT) -> WhatIfAnswer:
    """What would appear, disappear and stay, and what each change reaches.
    The collector is paused: the answer makes many short-lived objects beside
    a large graph, and every collection would rescan the whole graph."""
    before = service.snapshot()
    with collector_paused():
        return _what_if(service, before, request, impact_limit)


def _what_if(service: ReadService, before: Snapshot, request: WhatIfRequest, impact_limit: int) -> WhatIfAnswer:
    plan = _Plan(before.ctx, request)
    ctx = before.ctx.overlay(plan.attrs, plan.add, plan.remove)
    after = Snapshot(ctx, before.config, before.revision, _findings(before, ctx, plan))
    was = {f.id: f for f in before.result.findings}
    now = {f.id: f for f in after.result.findings}
    staying = [fid for fid in now if fid in was]
    changed = [f for f in [*now.values(), *was.values()]
               if f.id not in was or f.id not in now or was[f.id].severity != now[f.id].severity]
    return WhatIfAnswer(
        as_of=before.config.as_of.isoformat(),
        revision=before.revision,
        changes=[ChangeOutcome(change=words, subject=entity,
                               impact=service.impact_in(after if imagined else before, entity, "downstream",
                                                        limit=impact_limit))
                 for words, entity, imagined in plan.subjects],
        appearing=[f for fid, f in now.items() if fid not in was],
        disappearing=[f for fid, f in was.items() if fid not in now],
        staying=staying,
        severity_changes=[SeverityChange(id=fid, rule=now[fid].rule, subject=now[fid].subject,
                                         before=was[fid].severity, after=now[fid].severity)
                          for fid in staying if was[fid].severity != now[fid].severity],
        scorecards=_scorecard_changes(before, after, _touched_initiatives(after.ctx, plan) | {
            entity for finding in changed if finding.severity.at_least(Severity.HIGH)
            for entity in (finding.subject, *finding.related)}),
    )


def _touched_initiatives(ctx: AnalysisContext, plan: _Plan, hops: int = 2) -> set[str]:
    """Initiatives within ``hops`` relationships (either way) of an entity a
    change touches: every scorecard check reads at most two hops from its
    initiative (its owner, its workflow's systems, its systems, its metrics)."""
    frontier = set(plan.attrs) | {e.from_id for e in [*plan.add, *plan.remove]} | {e.to_id for e in [*plan.add, *plan.remove]}
    seen = set(frontier)
    for _ in range(hops):
        reached: set[str] = set()
        for node in frontier:
            for rel in Rel:
                reached.update(e.to_id for e in ctx.out_edges(node, rel))
                reached.update(e.from_id for e in ctx.in_edges(node, rel))
        frontier = reached - seen
        seen |= frontier
    return {node for node in seen if ctx.kind(node) is Kind.INITIATIVE}


def _findings(before: Snapshot, ctx: AnalysisContext, plan: _Plan) -> AnalysisResult:
    """The overlay's findings: the rules the changes can move run again
    (``graph.service.rule_reads``), the others keep their findings."""
    fields = {name for values in plan.attrs.values() for name in values}
    rels = {edge.type for edge in [*plan.add, *plan.remove]}
    moved = rules_moved(before.result.rules, fields, rels)
    fresh = run_analysis(ctx, before.config, rules=moved) if moved else None
    kept = [f for f in before.result.findings if f.rule not in set(moved)]
    findings = sorted([*kept, *(fresh.findings if fresh else [])], key=Finding.sort_key)
    return AnalysisResult(as_of=before.result.as_of, rules=before.result.rules, findings=findings)


def _scorecard_changes(before: Snapshot, after: Snapshot, candidates: set[str]) -> list[ScorecardChange]:
    """Initiatives whose checks would pass or fail differently. Only the
    candidates are scored again (the touched ones, and those a high or
    critical finding appears or disappears on): the others read nothing
    that changed, and scoring all of them again costs seconds at scale."""
    serious: dict[str, list[Finding]] = defaultdict(list)
    for finding in after.result.findings:
        if finding.severity.at_least(Severity.HIGH):
            for entity in {finding.subject, *finding.related}:
                serious[entity].append(finding)
    old = {card.initiative: card for card in before.scorecards.initiatives}
    changes = []
    for initiative in sorted(candidates):
        previous = old.get(initiative)
        if previous is None or after.ctx.is_retired_initiative(initiative):
            continue
        card = initiative_scorecard(after.ctx, initiative, serious.get(initiative, []))
        was = {check.name.value: check.passed for check in previous.checks}
        now = {check.name.value: check.passed for check in card.checks}
        if was == now:
            continue
        changes.append(ScorecardChange(
            initiative=card.initiative, name=card.name, passed_before=previous.passed, passed_after=card.passed,
            ready_before=previous.ready, ready_after=card.ready,
            checks_lost=[name for name, passed in was.items() if passed and not now.get(name, False)],
            checks_gained=[name for name, passed in now.items() if passed and not was.get(name, False)]))
    return changes


def request_of(changes: list[BaseModel | dict]) -> WhatIfRequest:
    """A request from changes given as models or plain mappings (validated)."""
    return WhatIfRequest.model_validate({"changes": [c.model_dump() if isinstance(c, BaseModel) else c
                                                     for c in changes]})
