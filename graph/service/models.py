"""What the read side answers, as pydantic models every face serialises as is.

The analyses' own models (findings, scorecards, pipeline, priorities) are
reused; the models here are the answers about entities: one entity in detail,
pages of entities, neighbourhoods, impact, owners, health.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, computed_field

from graph.analyses.model import Finding, Severity
from graph.schema import REL_READINGS, Kind, Rel

T = TypeVar("T")


class EntitySummary(BaseModel):
    """An entity in a list: who it is, where it belongs, how bad its gaps are."""

    id: str
    kind: Kind
    name: str
    business_unit: str | None = None
    business_unit_name: str | None = None
    findings: int = Field(0, description="findings that involve it")
    worst_severity: Severity | None = Field(None, description="the most severe of those findings")


class RelationshipOut(BaseModel):
    """One relationship, with the words for it both ways and where it came from."""

    type: Rel
    from_id: str = Field(description="the entity the relationship leaves")
    to_id: str = Field(description="the entity it reaches")
    role: str | None = None
    source: str = Field("", description="the file or source that stated it")
    importer: str = ""
    last_seen: str | None = Field(None, description="when its source last stated it")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """How it reads from ``from_id``: "depends on"."""
        return REL_READINGS[self.type].forward

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reverse_label(self) -> str:
        """How it reads from ``to_id``: "dependency of"."""
        return REL_READINGS[self.type].reverse


class Owner(BaseModel):
    id: str
    name: str
    kind: Kind | None = Field(description="None when the owner is a pending reference no import has brought")
    role: str
    active: bool = Field(description="an active Team or Person; an owner who left counts as none")
    source: str = ""


class EntityDetail(EntitySummary):
    """Everything about one entity: properties, provenance, owners, its gaps."""

    properties: dict[str, Any]
    source: str = ""
    importer: str = ""
    first_seen: str | None = None
    last_seen: str | None = None
    owners: list[Owner] = Field(default_factory=list, description="owners in every role, by role then id")
    finding_details: list[Finding] = Field(default_factory=list, description="the findings that involve it")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def owners_by_role(self) -> dict[str, list[str]]:
        roles: dict[str, list[str]] = {}
        for owner in self.owners:
            roles.setdefault(owner.role, []).append(owner.id)
        return roles


class Page(BaseModel, Generic[T]):
    """A page of an ordered list: the items, how many there are in all, and
    the cursor that fetches the next page (None on the last)."""

    items: list[T]
    total: int
    next_cursor: str | None = None


class Neighbourhood(BaseModel):
    """The entities within ``depth`` hops of ``center`` and the relationships
    between them, cut at ``limit`` entities (nearest first)."""

    center: str
    depth: int
    nodes: list[EntitySummary]
    relationships: list[RelationshipOut]
    truncated: bool = Field(description="true when entities within depth were left out to stay under the limit")
    omitted: int = Field(0, description="how many entities within depth were left out")
    limit: int


class ImpactPath(BaseModel):
    """How an affected entity is reached: the relationships from the subject to it."""

    entity: EntitySummary
    hops: int
    path: list[RelationshipOut]


class Impact(BaseModel):
    """What breaks if ``subject`` goes (downstream), or what it needs (upstream)."""

    subject: EntitySummary
    direction: Literal["downstream", "upstream"]
    affected: list[ImpactPath] = Field(description="nearest first, then by kind and id")
    truncated: bool
    limit: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        """Affected entities per kind (of those listed)."""
        counts: dict[str, int] = {}
        for item in self.affected:
            counts[item.entity.kind.value] = counts.get(item.entity.kind.value, 0) + 1
        return counts


class FindingsAnswer(BaseModel):
    """Findings after the filters, with their counts."""

    as_of: str
    revision: int
    rules: list[str]
    total: int
    counts: dict[Severity, int]
    findings: list[Finding]


class BusinessUnit(BaseModel):
    id: str
    name: str
    vendor: bool = False


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    store: str
    revision: int
    nodes: int
    relationships: int
    read_only: bool
