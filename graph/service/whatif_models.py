"""What a what-if asks and answers, as pydantic models every face shares.

A request is a list of changes, each a small tagged object (``change`` names
what happens), so the HTTP body, a YAML file and command-line options all
validate the same way and a bad field is named by pydantic's location.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from graph.analyses.model import Finding, Severity
from graph.schema import Kind, Lifecycle, OwnerRole, Rel, Stage
from graph.service.models import Impact

MAX_CHANGES = 1_000
Id = Annotated[str, Field(min_length=1, max_length=1_000)]


class _EntityChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Id = Field(description="the entity's id")


class RetireSystem(_EntityChange):
    """The system's lifecycle becomes retired."""

    change: Literal["retire-system"]


class DissolveTeam(_EntityChange):
    """The team becomes inactive: what it owns loses an owner."""

    change: Literal["dissolve-team"]


class PersonLeaves(_EntityChange):
    """The person becomes inactive: what they own loses an owner."""

    change: Literal["person-leaves"]


class StopInitiative(_EntityChange):
    """The initiative's stage becomes retired."""

    change: Literal["stop-initiative"]


class _RelationshipChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Rel
    from_id: Id = Field(description="the entity the relationship leaves")
    to_id: Id = Field(description="the entity it reaches")
    role: OwnerRole | None = Field(None, description=f"for {Rel.OWNS.value}: the owner's role "
                                   "(adding: accountable when left out; removing: every role when left out)")


class AddRelationship(_RelationshipChange):
    change: Literal["add-relationship"]


class RemoveRelationship(_RelationshipChange):
    change: Literal["remove-relationship"]


Change = Annotated[
    RetireSystem | DissolveTeam | PersonLeaves | StopInitiative | AddRelationship | RemoveRelationship,
    Field(discriminator="change"),
]

ENTITY_CHANGES: dict[str, tuple[Kind, dict[str, object]]] = {
    "retire-system": (Kind.SYSTEM, {"lifecycle": Lifecycle.RETIRED.value}),
    "dissolve-team": (Kind.TEAM, {"active": False}),
    "person-leaves": (Kind.PERSON, {"active": False}),
    "stop-initiative": (Kind.INITIATIVE, {"stage": Stage.RETIRED.value}),
}
"""Each entity change: the kind it applies to and the properties it sets."""


def describe(change: BaseModel) -> str:
    """A change in words, for tables and for ``ChangeOutcome.change``."""
    if isinstance(change, _EntityChange):
        return f"{change.change} {change.id}"  # type: ignore[attr-defined]
    assert isinstance(change, _RelationshipChange)
    role = f" ({change.role.value})" if change.role else ""
    return f"{change.change} {change.type.value}{role} {change.from_id} -> {change.to_id}"  # type: ignore[attr-defined]


class WhatIfRequest(BaseModel):
    """The changes to imagine, applied together in order."""

    model_config = ConfigDict(extra="forbid")

    changes: list[Change] = Field(min_length=1, max_length=MAX_CHANGES)


class ChangeOutcome(BaseModel):
    """One change, and what needs the entity it touches (with paths)."""

    change: str = Field(description="the change in words")
    subject: str = Field(description="the entity it touches (for a relationship: the end that needs the other)")
    impact: Impact = Field(description="downstream of the subject: what needs it, directly or through others")


class ScorecardChange(BaseModel):
    """An initiative whose scale-readiness scorecard would change."""

    initiative: str
    name: str
    passed_before: int
    passed_after: int
    ready_before: bool
    ready_after: bool
    checks_lost: list[str] = Field(description="checks that pass now and would fail")
    checks_gained: list[str] = Field(description="checks that fail now and would pass")


class SeverityChange(BaseModel):
    """A finding that stays but would change severity."""

    id: str
    rule: str
    subject: str
    before: Severity
    after: Severity


class WhatIfAnswer(BaseModel):
    """What would change; nothing is written."""

    as_of: str
    revision: int = Field(description="the store revision the what-if starts from")
    changes: list[ChangeOutcome]
    appearing: list[Finding] = Field(description="findings that would appear")
    disappearing: list[Finding] = Field(description="findings that would go away")
    staying: list[str] = Field(description="ids of the findings there before and after")
    severity_changes: list[SeverityChange] = Field(description="staying findings whose severity would change")
    scorecards: list[ScorecardChange] = Field(description="initiatives whose scorecard would change")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        return {"appearing": len(self.appearing), "disappearing": len(self.disappearing),
                "staying": len(self.staying), "scorecards": len(self.scorecards)}
