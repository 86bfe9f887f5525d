"""What the analyses produce, as data: findings, scorecards, the pipeline, priorities.

Everything here is a pydantic model so that the faces (command line, HTTP API,
report, explorer) render or serialise it without knowing how it was computed.
Nothing here reads the graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, computed_field

from graph.schema import Kind, Rel, Stage


class Severity(StrEnum):
    """How urgent a finding is. Compares by urgency, not alphabetically:
    ``Severity.LOW < Severity.CRITICAL``."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: "Severity | str") -> "Severity":
        """A severity from its name, ignoring case; ``ValueError`` names the choices."""
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r}: use one of {', '.join(s.value for s in cls)}"
            ) from None

    def at_least(self, other: "Severity | str") -> bool:
        return self.rank >= Severity.parse(other).rank

    def __lt__(self, other: object) -> bool:
        return self.rank < Severity.parse(other).rank  # type: ignore[arg-type]

    def __le__(self, other: object) -> bool:
        return self.rank <= Severity.parse(other).rank  # type: ignore[arg-type]

    def __gt__(self, other: object) -> bool:
        return self.rank > Severity.parse(other).rank  # type: ignore[arg-type]

    def __ge__(self, other: object) -> bool:
        return self.rank >= Severity.parse(other).rank  # type: ignore[arg-type]

    __hash__ = str.__hash__


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


def finding_id(rule: str, entity_ids: Iterable[str]) -> str:
    """The stable id of a gap: the rule and a short hash of the sorted ids that
    identify it. The same gap has the same id in every run, on every store and
    whatever the import order, which is what trends and suppressions rely on."""
    canonical = json.dumps(sorted(set(entity_ids)), ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{rule}:{digest[:16]}"


class EvidenceStep(BaseModel):
    """One step of the path in the graph that shows a gap.

    A relationship step has ``from``, ``type``, ``to`` (and ``role`` for
    OWNS); a fact about one node (a stale record, a pilot's age) has no
    ``type`` and no ``to``, and says what it is in ``note``. ``source`` and
    ``importer`` say where the relationship or node came from, so where two
    catalogues disagree the evidence shows which said what.
    """

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True, frozen=True)

    from_: str = Field(alias="from")
    from_name: str
    type: Rel | None = None
    role: str | None = None
    to: str | None = None
    to_name: str | None = None
    source: str = ""
    importer: str = ""
    last_seen: str | None = None
    note: str | None = None


class Finding(BaseModel):
    """One gap: which rule, how bad, about what, why, and who should act."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="stable: the rule and a hash of the entities that identify the gap")
    rule: str
    severity: Severity
    subject: str
    subject_name: str
    subject_kind: Kind | None
    related: list[str] = Field(default_factory=list, description="other entities involved, sorted")
    business_unit: str | None = None
    business_unit_name: str | None = None
    message: str
    evidence: list[EvidenceStep] = Field(default_factory=list)
    remediation: str

    def sort_key(self) -> tuple:
        """Most severe first, then by rule, subject and id."""
        return (-self.severity.rank, self.rule, self.subject, self.id)

    def involves(self, entity_id: str) -> bool:
        return entity_id == self.subject or entity_id in self.related


class AnalysisResult(BaseModel):
    """The findings of one run, sorted, with the inputs that make it reproducible."""

    as_of: dt.date
    rules: list[str] = Field(description="the rules that ran, sorted")
    findings: list[Finding]
    notes: list[str] = Field(default_factory=list,
                             description="what the rules could not judge, and why (initiatives of unknown stage)")

    def counts_by_severity(self) -> dict[Severity, int]:
        counts = {severity: 0 for severity in Severity}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def counts_by_rule(self) -> dict[str, int]:
        counts = {rule: 0 for rule in self.rules}
        for finding in self.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return counts

    def worst(self) -> Severity | None:
        return max((finding.severity for finding in self.findings), default=None)

    def filter(
        self,
        rule: str | Iterable[str] | None = None,
        severity: Severity | str | None = None,
    ) -> "AnalysisResult":
        """The findings of some rules, at or above a severity. (Business units,
        kinds and text are filtered by the read side: ``graph.service.Filters``.)"""
        rules = {rule} if isinstance(rule, str) else set(rule) if rule is not None else None
        minimum = Severity.parse(severity) if severity is not None else None
        kept = [
            finding
            for finding in self.findings
            if (rules is None or finding.rule in rules)
            and (minimum is None or finding.severity.at_least(minimum))
        ]
        return self.model_copy(update={"findings": kept})


# -- scorecards ---------------------------------------------------------------


class CheckName(StrEnum):
    """The six scale-readiness checks of the operating model, in report order."""

    OWNER = "active_accountable_owner"
    WORKFLOW = "supported_workflow"
    INTEGRATION = "integrated_into_workflow_systems"
    OUTCOME_METRIC = "outcome_metric"
    PATH_TO_PRODUCTION = "path_to_production"
    NO_SERIOUS_FINDING = "no_high_or_critical_finding"


class Check(BaseModel):
    name: CheckName
    passed: bool
    reason: str


class InitiativeScorecard(BaseModel):
    initiative: str
    name: str
    stage: str
    business_unit: str | None
    business_unit_name: str | None
    checks: list[Check]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> int:
        """How many checks pass."""
        return sum(check.passed for check in self.checks)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ready(self) -> bool:
        """Scale-ready: every check passes."""
        return all(check.passed for check in self.checks)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float:
        """The share of checks passed, 0 to 1."""
        return round(self.passed / len(self.checks), 4) if self.checks else 0.0


class BusinessUnitScorecard(BaseModel):
    business_unit: str | None
    business_unit_name: str | None
    initiatives: int
    ready: int = Field(description="initiatives that pass every check")
    average_score: float = Field(description="mean share of checks passed, 0 to 1")
    failing: dict[CheckName, int] = Field(description="initiatives failing each check")


class ScorecardReport(BaseModel):
    as_of: dt.date
    initiatives: list[InitiativeScorecard]
    business_units: list[BusinessUnitScorecard]


# -- pipeline -----------------------------------------------------------------


class StageMovement(BaseModel):
    """How many initiatives went from one stage to another between two years
    in which their stage was observed (the same stage counts too: a pilot
    still a pilot)."""

    from_year: int
    to_year: int
    from_stage: Stage
    to_stage: Stage
    initiatives: int


class PipelineRow(BaseModel):
    """Initiatives by stage in one business unit (``None``: no known unit), or in all."""

    business_unit: str | None
    business_unit_name: str | None
    stages: dict[Stage, int]
    total: int
    reached_production: int = Field(description="initiatives now in production or scaled")
    in_pilot: int
    conversion: float | None = Field(
        description="reached_production / (reached_production + in_pilot); None when both are 0"
    )
    movements: list[StageMovement] = Field(
        default_factory=list, description="stage to stage between consecutive years observed, from stage histories")


class Pipeline(BaseModel):
    business_units: list[PipelineRow]
    total: PipelineRow


# -- priorities ---------------------------------------------------------------


class PriorityFactor(BaseModel):
    name: str
    value: str = Field(description="what the graph says, in words")
    points: float
    max_points: float


class WorkflowPriority(BaseModel):
    workflow: str
    name: str
    business_unit: str | None
    business_unit_name: str | None
    score: float = Field(description="0 to 100, the sum of the factors' points")
    factors: list[PriorityFactor]
    systems: list[str] = Field(description="the non-retired systems it uses, sorted")
    initiatives: list[str] = Field(description="non-retired initiatives already supporting it, sorted")
