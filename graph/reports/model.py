"""The gap report as data: what ``aimap report --format json`` writes, what
``GET /report`` answers, and what the Markdown and HTML renderers draw.

It is one pydantic model so that a saved report can be read back (for the
comparison with the next one, and for ``aimap trend``) without knowing how it
was assembled. ``FORMAT_VERSION`` changes only when an old saved report could
no longer be read as this model.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from graph.analyses.model import (
    BusinessUnitScorecard,
    Finding,
    InitiativeScorecard,
    PipelineRow,
    Severity,
    WorkflowPriority,
)

FORMAT_VERSION = 1


class Headline(BaseModel):
    """The numbers a programme office follows from week to week (``aimap trend``)."""

    as_of: dt.date
    findings: int = Field(description="open findings (suppressed ones left out)")
    by_severity: dict[Severity, int]
    suppressed: int
    initiatives: int = Field(description="non-retired initiatives, as scored")
    scale_ready: int = Field(description="initiatives that pass every scale-readiness check")
    scale_ready_share: float | None = Field(description="scale_ready / initiatives; None without initiatives")
    in_pilot: int
    reached_production: int = Field(description="initiatives in production or scaled")
    conversion: float | None = Field(description="reached_production / (reached_production + in_pilot)")
    pilots_over_threshold: int = Field(description="pilots whose stage_since is older than pilot_age_days")
    pilots_over_threshold_share: float | None


class PipelineSummary(BaseModel):
    """The pipeline from idea to production, and how long pilots stay pilots."""

    row: PipelineRow
    pilot_age_days: int
    pilots_over_threshold: int
    pilots_over_threshold_share: float | None


class Actor(BaseModel):
    """Who should act on a finding, in words, and the ids behind the words."""

    who: str
    ids: list[str] = Field(default_factory=list)
    basis: Literal["accountable owner", "sponsor", "business unit", "programme office"]


class ReportFinding(BaseModel):
    """A finding as the report shows it: who should act, and how it moved."""

    finding: Finding
    act: Actor
    status: Literal["new", "persisting"] | None = Field(
        None, description="with a previous report: new since it, or already in it")
    suppression_expired: dt.date | None = Field(
        None, description="an accepted finding whose acceptance ran out on this date: it is back")


class TopGap(BaseModel):
    """One of the gaps that matter most, in plain words."""

    finding: str
    rule: str
    severity: Severity
    business_unit_name: str | None
    message: str
    remediation: str
    act: Actor


class Summary(BaseModel):
    headline: Headline
    by_rule: dict[str, int]
    pipeline: PipelineSummary
    top_gaps: list[TopGap]


class UnitSection(BaseModel):
    """Everything the report says about one business unit (or vendor, or no unit)."""

    business_unit: str | None = Field(description="the unit's id; None for what no unit owns")
    name: str
    vendor: bool = False
    counts: dict[Severity, int]
    pipeline: PipelineRow | None
    scorecard: BusinessUnitScorecard | None
    initiatives: list[InitiativeScorecard]
    findings: list[ReportFinding]
    opportunities: list[WorkflowPriority]


class Suppression(BaseModel):
    """An accepted finding: who accepted it, why, and until when."""

    finding: str
    accepted_by: str
    reason: str
    until: dt.date


class SuppressedFinding(BaseModel):
    finding: Finding
    suppression: Suppression


class Notice(BaseModel):
    """Something the reader should know about the report itself (an expired or
    unknown suppression, a comparison with a report of another scope)."""

    kind: Literal["suppression-expired", "suppression-unknown", "comparison"]
    finding: str | None = None
    message: str


class ResolvedFinding(BaseModel):
    """A finding of the previous report that is gone, as that report told it."""

    id: str
    rule: str
    severity: Severity
    subject: str
    subject_name: str
    business_unit_name: str | None
    message: str


class Change(BaseModel):
    before: float | None
    after: float | None
    delta: float | None


class Comparison(BaseModel):
    """What changed since a previous report, by finding id. Suppressed findings
    count as present: accepting a gap does not resolve it."""

    previous_as_of: dt.date
    previous: str = Field(description="where the previous report came from (a file name)")
    new: list[str]
    resolved: list[ResolvedFinding]
    persisting: list[str]
    headline: dict[str, Change] = Field(description="each headline number then and now")


class Scope(BaseModel):
    business_unit: str | None = None
    business_unit_name: str | None = None


class Report(BaseModel):
    """A gap report: summary first, then a section per business unit."""

    format_version: int = FORMAT_VERSION
    title: str = "AI adoption gap report"
    as_of: dt.date
    scope: Scope = Field(default_factory=Scope)
    rules: list[str]
    pilot_age_days: int
    summary: Summary
    units: list[UnitSection]
    suppressed: list[SuppressedFinding]
    notices: list[Notice]
    comparison: Comparison | None = None
    history: list[Headline] = Field(default_factory=list,
                                    description="saved reports' headlines, oldest first, this one last")

    def finding_ids(self) -> list[str]:
        """Every finding the report holds, open or suppressed, each once."""
        return [item.finding.id for unit in self.units for item in unit.findings] + \
               [item.finding.id for item in self.suppressed]

    def all_findings(self) -> list[Finding]:
        return [item.finding for unit in self.units for item in unit.findings] + \
               [item.finding for item in self.suppressed]
