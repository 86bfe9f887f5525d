"""Disagreements between sources: who says what, and when each last said it.

The graph merges sources (the last write wins), so it cannot show that
Backstage names one owner and the CMDB another, or that one source calls a
system retired while another still lists it as active. The stores keep each
source's claims beside the graph (``graph.claims``); this module compares
them. Four kinds, each listed per entity with every source's claim:

* ``owner`` — sources name different accountable owners (each source's claim
  is the set of owners it stated on the last day it spoke about the entity);
* ``lifecycle`` / ``stage`` — sources give a system or initiative different values;
* ``relationship`` — a source states a relationship that another source's
  latest import no longer has (it stated it once, then dropped it).

A source's latest import is the last time it claimed anything at all; a claim
is *current* when it was made then. This is not a gap rule: a disagreement is
a question for the people who keep the catalogues, not a finding.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from graph.analyses.context import AnalysisContext
from graph.claims import Claim, RelClaim
from graph.schema import REL_READINGS, Kind, Rel
from graph.store.base import ACCOUNTABLE_KEYS, Store

About = Literal["owner", "lifecycle", "stage", "relationship"]
_ACCOUNTABLE_KEYS = frozenset(ACCOUNTABLE_KEYS)


class SourceClaim(BaseModel):
    """What one source said, and when."""

    source: str
    importer: str
    value: str | list[str] = Field(description="the value it gives; for owner, the owner ids; for a relationship, "
                                   "'states' or 'no longer states'")
    first_seen: str = Field(description="when it first said this")
    last_seen: str = Field(description="when it last said this")
    source_latest: str = Field(description="the source's latest import")
    current: bool = Field(description="said in the source's latest import")


class RelationshipRef(BaseModel):
    type: Rel
    from_id: str
    to_id: str
    role: str | None = None


class Disagreement(BaseModel):
    """One entity on which sources disagree about one thing."""

    entity: str
    name: str
    kind: Kind | None
    about: About
    relationship: RelationshipRef | None = None
    graph_value: str | list[str] | None = Field(description="what the merged graph holds now")
    last_said: str = Field(description="the newest of the claims")
    claims: list[SourceClaim] = Field(description="every source's claim, newest first")


class DisagreementsAnswer(BaseModel):
    total: int
    counts: dict[str, int]
    disagreements: list[Disagreement] = Field(description="the most recently said first, then by entity")


def disagreements(store: Store, ctx: AnalysisContext, about: frozenset[str] = frozenset()) -> DisagreementsAnswer:
    """Every disagreement (only those ``about`` names, if any), newest first.
    Only the claims that can disagree are read (``Store.disputed_claims``,
    ``Store.disputed_relationship_claims``): at 500,000 relationships from
    one source, none; then the latest import of their sources."""
    node_claims, rel_claims = store.disputed_claims(), store.disputed_relationship_claims()
    latest = store.sources_latest({c.source for c in node_claims} | {c.source for c in rel_claims})
    return compare(node_claims, rel_claims, latest, ctx, about)


def compare(node_claims: list[Claim], rel_claims: list[RelClaim], latest: dict[str, str], ctx: AnalysisContext,
            about: frozenset[str] = frozenset()) -> DisagreementsAnswer:
    """The disagreements among these claims; ``latest``: each of their
    sources' latest import. Claims that cannot disagree may be left out."""
    found = [*_field_disagreements(node_claims, latest, ctx), *_owner_disagreements(rel_claims, latest, ctx),
             *_relationship_disagreements(rel_claims, latest, ctx)]
    if about:
        found = [d for d in found if d.about in about]
    found.sort(key=lambda d: (_descending(d.last_said), d.entity, d.about,
                              d.relationship.model_dump_json() if d.relationship else ""))
    counts: dict[str, int] = defaultdict(int)
    for item in found:
        counts[item.about] += 1
    return DisagreementsAnswer(total=len(found), counts=dict(sorted(counts.items())), disagreements=found)


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


def _said(source: str, importer: str, value: str | list[str], first: str, last: str,
          latest: dict[str, str]) -> SourceClaim:
    return SourceClaim(source=source, importer=importer, value=value, first_seen=first, last_seen=last,
                       source_latest=latest[source], current=last == latest[source])


def _entry(ctx: AnalysisContext, entity: str, about: About, claims: list[SourceClaim],
           graph_value: str | list[str] | None, relationship: RelationshipRef | None = None) -> Disagreement:
    claims.sort(key=lambda c: (_descending(c.last_seen), c.source))
    return Disagreement(entity=entity, name=ctx.name(entity), kind=ctx.kind(entity), about=about,
                        relationship=relationship, graph_value=graph_value, last_said=claims[0].last_seen,
                        claims=claims)


def _field_disagreements(claims: list[Claim], latest: dict[str, str], ctx: AnalysisContext) -> list[Disagreement]:
    grouped: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        grouped[(claim.entity, claim.field)].append(claim)
    found = []
    for (entity, field), said in grouped.items():
        if len({c.value for c in said}) > 1:
            value = ctx.attrs(entity).get(field)
            found.append(_entry(ctx, entity, field, [  # type: ignore[arg-type]
                _said(c.source, c.importer, c.value, c.first_seen, c.last_seen, latest) for c in said],
                None if value is None else str(value)))
    return found


def _owner_disagreements(claims: list[RelClaim], latest: dict[str, str],
                         ctx: AnalysisContext) -> list[Disagreement]:
    """Per owned entity and source: the accountable owners it stated on the
    last day it stated any; a disagreement when two sources' sets differ."""
    by_entity: dict[str, dict[str, list[RelClaim]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        if claim.type == Rel.OWNS.value and claim.key in _ACCOUNTABLE_KEYS:
            by_entity[claim.to_id][claim.source].append(claim)
    found = []
    for entity, sources in by_entity.items():
        if len(sources) < 2:
            continue
        said = []
        for source, stated in sources.items():
            last = max(c.last_seen for c in stated)
            newest = [c for c in stated if c.last_seen == last]
            said.append(_said(source, newest[0].importer, sorted({c.from_id for c in newest}),
                              min(c.first_seen for c in newest), last, latest))
        if len({tuple(c.value) for c in said}) > 1:
            found.append(_entry(ctx, entity, "owner", said, ctx.accountable_owners(entity)))
    return found


def _relationship_disagreements(claims: list[RelClaim], latest: dict[str, str],
                                ctx: AnalysisContext) -> list[Disagreement]:
    """A relationship some source states today and another source stated
    once but left out of its latest import."""
    grouped: dict[tuple[str, str, str, str], list[RelClaim]] = defaultdict(list)
    for claim in claims:
        grouped[claim.identity].append(claim)
    found = []
    for (rel_type, src, dst, key), said in grouped.items():
        current = [c for c in said if c.last_seen == latest[c.source]]
        if not current or len(current) == len(said):
            continue
        rel = Rel(rel_type)
        entity = dst if REL_READINGS[rel].needs == "target" else src
        found.append(_entry(ctx, entity, "relationship", [
            _said(c.source, c.importer, "states" if c.last_seen == latest[c.source] else "no longer states",
                  c.first_seen, c.last_seen, latest) for c in said],
            None, RelationshipRef(type=rel, from_id=src, to_id=dst, role=key or None)))
    return found
