"""The one way every face makes a report: settings in, report out.

The command line and ``GET /report`` both call ``generate_report`` so that
they honour the same suppressions file and compare with the same history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.reports.assemble import build_report
from graph.reports.history import before, read_report, saved_reports
from graph.reports.model import Report
from graph.reports.settings import ReportSettings
from graph.reports.suppressions import read_suppressions
from graph.service import Filters, ReadService


@dataclass
class Generated:
    report: Report
    warnings: list[str] = field(default_factory=list)
    previous_path: Path | None = None


def generate_report(service: ReadService, settings: ReportSettings, business_unit: str | None = None,
                    previous: Path | None = None, use_history: bool = True) -> Generated:
    """The report, compared with ``previous`` if given, else with the last saved
    report before this one's date (when ``use_history``)."""
    suppressions = read_suppressions(settings.suppressions) if settings.suppressions else []
    as_of = service.snapshot().config.as_of
    unit = _unit_id(service, business_unit) if business_unit is not None else None
    saved, warnings = saved_reports(settings.history_dir, unit) if use_history else ([], [])
    earlier = before(saved, as_of)
    previous_path = previous or (earlier[-1].path if earlier else None)
    baseline = (read_report(previous_path), previous_path.name) if previous_path else None
    report = build_report(service, business_unit, suppressions, baseline, [s.headline for s in earlier])
    warnings += [notice.message for notice in report.notices]
    return Generated(report, warnings, previous_path)


def _unit_id(service: ReadService, business_unit: str) -> str:
    """The id of the unit named by id or name (``UnknownBusinessUnit`` if none)."""
    service.check_filters(Filters(business_unit=business_unit))
    return next(u.id for u in service.business_units() if business_unit in (u.id, u.name))
