"""The gap report as one self-contained HTML file: inline CSS, inline SVG
charts, no script, no font, no reference to anything outside the file, so it
can be mailed, archived and opened offline. Readable on a phone (one column
under 700 px) and printable (a page break before each business unit).

Jinja2 with autoescaping renders ``report.html``; values from the graph are
never marked safe, only the charts (built with ``markupsafe.escape``) are.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, StrictUndefined

from graph.analyses.model import Severity
from graph.reports.model import Report
from visualizations.report import charts
from visualizations.report.words import (CHECK_WORDS, HEADLINE_LABELS, delta, direction, number, percent,
                                         shown_stages)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(percent=percent)
    env.globals.update(HEADLINE_LABELS=HEADLINE_LABELS, CHECK_WORDS=CHECK_WORDS, shown_stages=shown_stages,
                       delta=delta, direction=direction, number=number)
    return env


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def report_charts(report: Report) -> dict[str, object]:
    """The charts, where a picture beats a table."""
    stages = report.summary.pipeline.row.stages
    drawn: dict[str, object] = {
        "pipeline": charts.bar_chart("Initiatives by stage", [(s, stages.get(s, 0)) for s in shown_stages(stages)]),
        "units": charts.stacked_bars("Open findings by business unit and severity", [
            (section.name, {s.value: n for s, n in section.counts.items()}) for section in report.units]),
    }
    passed: dict[int, int] = {}
    checks = 0
    for section in report.units:
        for card in section.initiatives:
            passed[card.passed] = passed.get(card.passed, 0) + 1
            checks = max(checks, len(card.checks))
    drawn["scores"] = charts.bar_chart("Initiatives by scale-readiness checks passed",
                                       [(f"{n} of {checks} checks", passed.get(n, 0)) for n in range(checks, -1, -1)],
                                       colour="#2e7d32")
    if len(report.history) > 1:
        drawn["history"] = charts.line_chart("Headline numbers over time", [p.as_of for p in report.history], {
            "open findings": [p.findings for p in report.history],
            "critical + high": [p.by_severity.get(Severity.CRITICAL, 0) + p.by_severity.get(Severity.HIGH, 0)
                                for p in report.history],
            "in pilot": [p.in_pilot for p in report.history],
            "in production": [p.reached_production for p in report.history],
        })
    return drawn


def render_html(report: Report) -> str:
    template = _environment().from_string(_asset("report.html"))
    return template.render(report=report, h=report.summary.headline, charts=report_charts(report),
                           css=_asset("report.css"))
