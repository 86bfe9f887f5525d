"""``GET /report``: the gap report as JSON, the same model ``aimap report
--format json`` writes, assembled by the same call (``graph.reports``), so it
honours the same suppressions file and compares with the same saved history.

The settings are read on each request (``report_settings`` below), so
accepting a finding (editing the suppressions file) needs no restart.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from api.http.deps import Service, require_read
from api.http.problems import PROBLEM_RESPONSES
from graph.reports import ReportSettings, generate_report, load_report_settings
from graph.reports.model import Report

router = APIRouter(dependencies=[Depends(require_read)], responses=PROBLEM_RESPONSES, tags=["analyses"])


def report_settings(request: Request) -> ReportSettings:
    """The application's ``report_settings`` if given; else the ``[report]``
    table of its ``config_file`` (``aimap serve --config``), else of the config
    file in the working directory, read on each request."""
    settings = getattr(request.app.state, "report_settings", None)
    if settings is not None:
        return settings
    return load_report_settings(getattr(request.app.state, "config_file", None))


@router.get("/report", response_model=Report,
            summary="The gap report: summary, a section per business unit, accepted findings, changes")
def report(service: Service, settings: Annotated[ReportSettings, Depends(report_settings)],
           business_unit: Annotated[str | None, Query(max_length=500, description="a business unit's id or name")]
           = None) -> Report:
    return generate_report(service, settings, business_unit).report
