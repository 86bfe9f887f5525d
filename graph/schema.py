"""The graph's schema, declared once.

Every node kind, relationship kind, enumerated value and property lives here.
Validation (pydantic), storage (both stores), the native file format, its JSON
Schema and the analyses all derive from this module; nothing else spells a kind
or relationship name as a string literal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator


class Kind(StrEnum):
    """Node kinds; the value is the Neo4j label."""

    TEAM = "Team"
    PERSON = "Person"
    SYSTEM = "System"
    WORKFLOW = "Workflow"
    INITIATIVE = "Initiative"
    METRIC = "Metric"


class Rel(StrEnum):
    """Relationship kinds; the value is the Neo4j relationship type."""

    OWNS = "OWNS"
    MEMBER_OF = "MEMBER_OF"
    PART_OF = "PART_OF"
    PERFORMS = "PERFORMS"
    USES = "USES"
    SUPPORTS = "SUPPORTS"
    INTEGRATES_WITH = "INTEGRATES_WITH"
    DEPENDS_ON = "DEPENDS_ON"
    MEASURED_BY = "MEASURED_BY"


class TeamType(StrEnum):
    BUSINESS_UNIT = "business_unit"
    DEPARTMENT = "department"
    TEAM = "team"
    VENDOR = "vendor"


class Lifecycle(StrEnum):
    """A system's lifecycle; ``experimental`` runs but is not production (Backstage's lifecycle)."""

    EXPERIMENTAL = "experimental"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Criticality(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Stage(StrEnum):
    """Initiative stages, in pipeline order."""

    IDEA = "idea"
    PILOT = "pilot"
    PRODUCTION = "production"
    SCALED = "scaled"
    RETIRED = "retired"
    UNKNOWN = "unknown"
    """The source gives no stage: never silently an idea (PRODUCT.md)."""


LIVE_STAGES = frozenset({Stage.PRODUCTION, Stage.SCALED})


class MetricType(StrEnum):
    """What a metric measures. Pilot metrics describe the model or its use;
    outcome metrics describe the business result (see ``OUTCOME_METRIC_TYPES``)."""

    ACCURACY = "accuracy"
    PRECISION = "precision"
    USAGE = "usage"
    ADOPTION = "adoption"
    LATENCY = "latency"
    USER_SATISFACTION = "user_satisfaction"
    DOWNTIME = "downtime"
    THROUGHPUT = "throughput"
    CYCLE_TIME = "cycle_time"
    COST = "cost"
    REVENUE = "revenue"
    QUALITY = "quality"
    RISK = "risk"
    CUSTOMER_SATISFACTION = "customer_satisfaction"


OUTCOME_METRIC_TYPES = frozenset(
    {
        MetricType.DOWNTIME,
        MetricType.THROUGHPUT,
        MetricType.CYCLE_TIME,
        MetricType.COST,
        MetricType.REVENUE,
        MetricType.QUALITY,
        MetricType.RISK,
        MetricType.CUSTOMER_SATISFACTION,
    }
)


class OwnerRole(StrEnum):
    ACCOUNTABLE = "accountable"
    RESPONSIBLE = "responsible"
    DEPLOYMENT = "deployment"
    OUTCOMES = "outcomes"
    STANDARDS = "standards"
    RISK = "risk"
    SPONSOR = "sponsor"


# The four operating-model roles whose spread over many teams signals
# fragmented ownership (PRODUCT.md, fragmented-ownership).
OPERATING_ROLES = frozenset(
    {OwnerRole.DEPLOYMENT, OwnerRole.OUTCOMES, OwnerRole.STANDARDS, OwnerRole.RISK}
)

# Provenance and identity keys every stored node carries beside its properties;
# no entity property may use these names.
RESERVED_NODE_KEYS = frozenset({"id", "kind", "source", "importer", "first_seen", "last_seen"})
RESERVED_REL_KEYS = frozenset({"type", "key", "source", "importer", "first_seen", "last_seen"})

MAX_TEXT = 10_000
INT64_MAX = 2**63 - 1
"""The largest integer both stores keep (Neo4j's integers are 64-bit)."""
FiniteNumber = Annotated[float, Field(allow_inf_nan=False)]
"""A number both stores keep: no infinity, no NaN (JSON has neither)."""

EntityId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=512),
]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]


class Entity(BaseModel):
    """Fields every node kind has. Unknown fields are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, str_strip_whitespace=True)
    kind: ClassVar[Kind]

    id: EntityId
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]
    description: Text | None = None
    aliases: list[EntityId] = Field(
        default_factory=list,
        description="Other ids this entity is known by in other sources; references to them resolve here.",
    )

    @field_validator("id")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        if any(ord(ch) < 32 for ch in value):
            raise ValueError("an id may not contain control characters")
        return value

    def properties(self) -> dict[str, Any]:
        """The fields this record states explicitly, as JSON-compatible values.

        Only fields that were set to a value are returned, so that a second
        source that says less about an entity does not erase what the first
        one said (``None`` means unknown, never "remove").
        """
        data = self.model_dump(mode="json", exclude_unset=True, exclude_none=True)
        data.pop("id", None)
        if not data.get("aliases"):
            data.pop("aliases", None)
        return data


class Team(Entity):
    kind: ClassVar[Kind] = Kind.TEAM
    type: TeamType = TeamType.TEAM
    active: bool = True


class Person(Entity):
    kind: ClassVar[Kind] = Kind.PERSON
    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    title: Annotated[str, StringConstraints(max_length=300)] | None = None
    active: bool = Field(True, description="false once the person has left")


class System(Entity):
    kind: ClassVar[Kind] = Kind.SYSTEM
    category: Annotated[str, StringConstraints(max_length=200)] | None = None
    lifecycle: Lifecycle = Lifecycle.ACTIVE
    criticality: Criticality | None = None
    vendor: Annotated[str, StringConstraints(max_length=300)] | None = None


class Workflow(Entity):
    kind: ClassVar[Kind] = Kind.WORKFLOW
    friction: Annotated[int, Field(ge=1, le=5)] | None = Field(
        None, description="how painful the work is today, 1 (smooth) to 5 (a bottleneck)"
    )
    volume: Annotated[int, Field(ge=0, le=INT64_MAX)] | None = Field(None, description="runs a month")
    repetitive: bool = False
    decision_heavy: bool = False


STAGE_OBSERVATION = re.compile(r"^(\d{4}-\d{2}-\d{2}) ([a-z]+)$")
"""One stage observation as stored: ``"2025-12-31 pilot"`` (a list of strings
keeps the same shape in SQLite's JSON and as a Neo4j list property)."""


def stage_observation(day: dt.date, stage: "Stage | str") -> str:
    return f"{day.isoformat()} {Stage(stage).value}"


def parse_stage_observation(text: str) -> tuple[dt.date, Stage] | None:
    """``(date, stage)`` of a stored observation, or None when it is not one."""
    match = STAGE_OBSERVATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[1]), Stage(match[2])
    except ValueError:
        return None


class Initiative(Entity):
    kind: ClassVar[Kind] = Kind.INITIATIVE
    stage: Stage = Field(Stage.UNKNOWN, description="a stage the source leaves blank is unknown, never idea")
    stage_since: dt.date | None = Field(None, description="the date the initiative entered its stage")
    stage_history: list[Annotated[str, StringConstraints(pattern=STAGE_OBSERVATION.pattern)]] = Field(
        default_factory=list,
        description="every observation of the stage, as 'YYYY-MM-DD stage', oldest first; "
                    "each import records the stage it saw on its date",
    )
    high_impact: bool | None = Field(
        None, description="affects rights, safety or critical services (as AI registers record it)")
    contact: Annotated[str, StringConstraints(max_length=320)] | None = Field(
        None, description="who answers for it: an e-mail address or a named contact point")
    objective: Text | None = None

    @field_validator("stage_history")
    @classmethod
    def _valid_observations(cls, value: list[str]) -> list[str]:
        for item in value:
            if parse_stage_observation(item) is None:
                raise ValueError(f"{item!r} is not 'YYYY-MM-DD stage' with a real date and one of "
                                 f"{allowed_values(Stage)}")
        return sorted(set(value))


class Metric(Entity):
    kind: ClassVar[Kind] = Kind.METRIC
    type: MetricType
    unit: Annotated[str, StringConstraints(max_length=100)] | None = None
    baseline: FiniteNumber | None = None
    target: FiniteNumber | None = None
    current: FiniteNumber | None = None


NODE_MODELS: dict[Kind, type[Entity]] = {
    model.kind: model for model in (Team, Person, System, Workflow, Initiative, Metric)
}


@dataclass(frozen=True)
class RelSpec:
    """How a relationship kind may connect nodes, and how the native format writes it.

    ``field`` is the key on the *source* entity in the native format
    (``depends_on: [sys-a]``); ``inverse_field``, when set, is the key on the
    *target* entity (``owners: [team-x]`` on the owned entity).
    """

    type: Rel
    sources: frozenset[Kind]
    targets: frozenset[Kind]
    field: str
    inverse_field: str | None = None
    has_role: bool = False
    description: str = ""

    def connects(self, source: Kind, target: Kind) -> bool:
        if self.type is Rel.PART_OF:
            return source == target and source in self.sources
        return source in self.sources and target in self.targets


ALL_KINDS = frozenset(Kind)

REL_SPECS: dict[Rel, RelSpec] = {
    spec.type: spec
    for spec in (
        RelSpec(Rel.OWNS, frozenset({Kind.TEAM, Kind.PERSON}), ALL_KINDS, "owns", "owners", True,
                "a team or person owns anything, in a role"),
        RelSpec(Rel.MEMBER_OF, frozenset({Kind.PERSON}), frozenset({Kind.TEAM}), "member_of", "members",
                description="a person belongs to a team"),
        RelSpec(Rel.PART_OF, frozenset({Kind.TEAM, Kind.WORKFLOW, Kind.SYSTEM}),
                frozenset({Kind.TEAM, Kind.WORKFLOW, Kind.SYSTEM}), "part_of", "parts",
                description="hierarchy, between nodes of the same kind"),
        RelSpec(Rel.PERFORMS, frozenset({Kind.TEAM}), frozenset({Kind.WORKFLOW}), "performs", "performed_by",
                description="who does the work"),
        RelSpec(Rel.USES, frozenset({Kind.WORKFLOW}), frozenset({Kind.SYSTEM}), "uses",
                description="the systems people work in for that workflow"),
        RelSpec(Rel.SUPPORTS, frozenset({Kind.INITIATIVE}), frozenset({Kind.WORKFLOW}), "supports",
                description="the workflow the initiative is meant to change"),
        RelSpec(Rel.INTEGRATES_WITH, frozenset({Kind.INITIATIVE}), frozenset({Kind.SYSTEM}), "integrates_with",
                description="where the initiative's output lands"),
        RelSpec(Rel.DEPENDS_ON, frozenset({Kind.SYSTEM, Kind.INITIATIVE}), frozenset({Kind.SYSTEM}), "depends_on",
                description="technical dependency"),
        RelSpec(Rel.MEASURED_BY, frozenset({Kind.INITIATIVE}), frozenset({Kind.METRIC}), "measured_by", "measures",
                description="how the initiative is measured"),
    )
}


class Relationship(BaseModel):
    """One relationship between two entities, by id."""

    model_config = ConfigDict(extra="forbid")

    type: Rel
    from_id: EntityId
    to_id: EntityId
    role: OwnerRole | None = None

    @model_validator(mode="after")
    def _role_only_on_owns(self) -> "Relationship":
        if REL_SPECS[self.type].has_role:
            self.role = self.role or OwnerRole.ACCOUNTABLE
        elif self.role is not None:
            raise ValueError(f"role: only {Rel.OWNS.value} carries a role, not {self.type.value}")
        return self

    def properties(self) -> dict[str, Any]:
        return {"role": self.role.value} if self.role else {}


def node_model(kind: Kind | str) -> type[Entity]:
    return NODE_MODELS[Kind(kind)]


def node_defaults(kind: Kind) -> dict[str, Any]:
    """Default values of a kind's optional properties, JSON-compatible."""
    model = NODE_MODELS[kind]
    defaults: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in {"id", "name", "aliases"} or field.is_required():
            continue
        value = field.get_default(call_default_factory=True)
        defaults[name] = value.value if isinstance(value, StrEnum) else value
    return defaults


def property_names(kind: Kind) -> list[str]:
    """A kind's property names in declaration order (id first)."""
    return list(NODE_MODELS[kind].model_fields)


def allowed_values(enum: type[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)


def relation_fields(kind: Kind) -> dict[str, tuple[RelSpec, bool]]:
    """Native-format keys on an entity of ``kind`` that declare relationships.

    Maps the key to its spec and whether the entity is the relationship's
    source (``True``) or target (``False``, an inverse field).
    """
    fields: dict[str, tuple[RelSpec, bool]] = {}
    for spec in REL_SPECS.values():
        if kind in spec.sources:
            fields[spec.field] = (spec, True)
        if spec.inverse_field and kind in spec.targets:
            fields[spec.inverse_field] = (spec, False)
    return fields


def plural(kind: Kind) -> str:
    """The native format's collection key for a kind: ``teams``, ``people``…"""
    return "people" if kind is Kind.PERSON else kind.value.lower() + "s"


KIND_BY_PLURAL: dict[str, Kind] = {plural(kind): kind for kind in Kind}


def _check_declaration() -> None:
    """Fail at import if the declaration contradicts itself."""
    for kind, model in NODE_MODELS.items():
        clash = (set(model.model_fields) - {"id"}) & RESERVED_NODE_KEYS
        assert not clash, f"{kind}: reserved property names {clash}"
        clash = set(model.model_fields) & set(relation_fields(kind))
        assert not clash, f"{kind}: property names also used for relationships {clash}"


_check_declaration()


@dataclass(frozen=True)
class RelReading:
    """How a relationship reads in words, both ways, and which end needs the other.

    ``needs`` names the end that is affected when the other end goes: a system
    that DEPENDS_ON another needs it (``source``); an entity that a team OWNS
    needs its owner (``target``). Impact follows it: downstream of X is every
    entity that needs X, directly or through others; upstream is what X needs.
    ``propagates`` says whether a break travels on past the entity reached:
    a system's dependants break in turn, but a team that performs a broken
    workflow, or a system that lost its owner, is affected and goes no further.
    A team and the workflow it performs need each other (``both``): the team is
    affected when the workflow breaks, the workflow when the team dissolves.
    """

    forward: str
    reverse: str
    needs: Literal["source", "target", "both"]
    propagates: bool = True


REL_READINGS: dict[Rel, RelReading] = {
    Rel.OWNS: RelReading("owns", "owned by", "target", propagates=False),
    Rel.MEMBER_OF: RelReading("member of", "has member", "source", propagates=False),
    Rel.PART_OF: RelReading("part of", "has part", "source"),
    Rel.PERFORMS: RelReading("performs", "performed by", "both", propagates=False),
    Rel.USES: RelReading("uses", "used by", "source"),
    Rel.SUPPORTS: RelReading("supports", "supported by", "target"),
    Rel.INTEGRATES_WITH: RelReading("integrates with", "integrated into by", "source"),
    Rel.DEPENDS_ON: RelReading("depends on", "dependency of", "source"),
    Rel.MEASURED_BY: RelReading("measured by", "measures", "target", propagates=False),
}


REL_ENDS = ("from_id", "to_id")
"""The one name of a relationship's two ends, in code, store rows, JSON, CSV and YAML."""
LEGACY_REL_ENDS = {"from": "from_id", "to": "to_id"}
"""The names files written before ``REL_ENDS`` used; still read."""


def with_current_ends(fields: dict[str, Any]) -> dict[str, Any]:
    """A relationship's fields with ``from``/``to`` read as ``from_id``/``to_id``
    (unless those are given too)."""
    if not any(key in fields for key in LEGACY_REL_ENDS):
        return fields
    return {LEGACY_REL_ENDS.get(key, key) if key not in REL_ENDS and LEGACY_REL_ENDS.get(key) not in fields
            else key: value for key, value in fields.items()}
