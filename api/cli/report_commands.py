"""``aimap report`` and ``aimap trend``: the periodic gap report on the command line.

The report is assembled by ``graph.reports`` (the same call ``GET /report``
makes) and rendered by ``visualizations.report``; this module only reads
options, writes files and sets the exit code. Files are written atomically,
so a scheduler's reader never sees half a report, and JSON never passes
through rich's console (which would wrap or colour it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.analysis_commands import SEVERITIES, AsOfOption, ConfigOption, UnitOption, read_service
from api.cli.analysis_commands import _config as analysis_config
from api.cli.analysis_commands import _severity as parse_severity
from api.cli.common import StoreOption, check_choice, console, err_console
from graph.reports import ReportSettings, generate_report, load_report_settings, report_json, save_report, saved_reports
from graph.reports.atomic import write_atomic
from graph.reports.compare import headline_numbers
from graph.reports.model import Report
from graph.service import ReadService
from visualizations.report import render_html, render_markdown
from visualizations.report.words import number

FORMATS = ("md", "html", "json")
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}

HistoryOption = Annotated[
    Path | None,
    typer.Option("--history-dir", metavar="DIR", show_default=False,
                 help="Where saved reports are kept (default: history_dir in the config file's "
                      "\\[report] table, else reports/history)."),
]


def render(report: Report, format: str) -> str:
    if format == "html":
        return render_html(report)
    if format == "json":
        return report_json(report)
    return render_markdown(report)


def _format(format: str | None, out: Path | None) -> str:
    if format is not None:
        return check_choice(format, FORMATS, "--format")
    return SUFFIX_FORMATS.get(out.suffix.lower(), "md") if out is not None else "md"


def report_command(
    store: StoreOption = None,
    format: Annotated[str | None, typer.Option("--format", "-f", metavar="md|html|json", show_default=False,
                                               help="Default: from --out's suffix, else md.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", show_default=False,
                                             help="Write here (atomically) instead of standard output.")] = None,
    previous: Annotated[Path | None, typer.Option("--previous", metavar="FILE", show_default=False,
                                                  help="An earlier JSON report to compare with (default: the "
                                                       "last saved report before this one's date).")] = None,
    as_of: AsOfOption = None,
    business_unit: UnitOption = None,
    save: Annotated[bool, typer.Option("--save", help="Keep this report's JSON in the history folder.")] = False,
    suppressions: Annotated[Path | None, typer.Option("--suppressions", metavar="FILE", show_default=False,
                                                      help="Accepted findings (default: suppressions in the "
                                                           "config file's \\[report] table).")
                            ] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", metavar=SEVERITIES, show_default=False,
                                                help="Exit with 1 when an open (not accepted) finding is at or "
                                                     "above this severity; the report is written first.")] = None,
    history_dir: HistoryOption = None,
    config: ConfigOption = None,
) -> None:
    """The gap report: a summary, then each business unit; what changed since the last one.

    Examples:

      aimap report -o report.html --save

      aimap report --format json --previous last-week.json

      aimap report --business-unit "Pumps Division" --fail-on high
    """
    chosen = _format(format, out)
    threshold = parse_severity(fail_on, "--fail-on")
    settings = load_report_settings(config, history_dir=history_dir, suppressions=suppressions)
    with read_service(store, analysis_config(config, as_of)) as service:
        generated = generate_report(service, settings, business_unit, previous)
    report = generated.report
    for warning in generated.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")
    if generated.previous_path is not None and report.comparison is not None:
        c = report.comparison
        err_console.print(f"compared with {escape(str(generated.previous_path))}: {len(c.new)} new, "
                          f"{len(c.resolved)} resolved, {len(c.persisting)} persisting")
    text = render(report, chosen)
    if out is not None:
        err_console.print(f"wrote the {chosen} report to {escape(str(write_atomic(out, text)))}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if save:
        err_console.print(f"saved {escape(str(save_report(report, settings.history_dir)))}")
    if threshold is not None:
        failing = sum(count for severity, count in report.summary.headline.by_severity.items()
                      if severity.at_least(threshold))
        if failing:
            err_console.print(f"{failing} open finding(s) at or above {threshold.value}: failing "
                              f"(--fail-on {threshold.value})")
            raise typer.Exit(1)


TREND_COLUMNS = {"findings": "open", "critical": "critical", "high": "high", "suppressed": "accepted",
                 "scale_ready_share": "ready", "in_pilot": "pilots", "reached_production": "live",
                 "pilots_over_threshold": "old pilots"}


def trend_command(
    format: Annotated[str, typer.Option("--format", "-f", metavar="table|json")] = "table",
    business_unit: UnitOption = None,
    history_dir: HistoryOption = None,
    config: ConfigOption = None,
) -> None:
    """The headline numbers of saved reports (aimap report --save) over time, oldest first.

    --business-unit takes the unit's id here: saved reports are filed by id.
    """
    check_choice(format, ("table", "json"), "--format")
    settings = load_report_settings(config, history_dir=history_dir)
    saved, warnings = saved_reports(settings.history_dir, business_unit)
    for warning in warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")
    if format == "json":
        json.dump([{"file": s.path.name, **s.headline.model_dump(mode="json")} for s in saved], sys.stdout,
                  indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if not saved:
        err_console.print(f"no saved reports in {escape(str(settings.history_dir))}: run aimap report --save")
        return
    table = Table(title=f"saved reports in {escape(str(settings.history_dir))}", title_justify="left",
                  caption="ready: share of initiatives scale-ready; live: in production or scaled")
    table.add_column("as of", no_wrap=True)
    for label in TREND_COLUMNS.values():
        table.add_column(label, justify="right")
    for s in saved:
        numbers = headline_numbers(s.headline)
        table.add_row(s.as_of.isoformat(), *(number(name, numbers[name]) for name in TREND_COLUMNS))
    console.print(table)


DEMO_FOLDER = Path("reports")


def write_demo_reports(service: ReadService, folder: Path = DEMO_FOLDER) -> list[Path]:
    """``aimap demo``'s reports: HTML and Markdown of the example, without history
    or suppressions (the demo shows the same thing on every run)."""
    report = generate_report(service, ReportSettings(), use_history=False).report
    return [write_atomic(folder / f"aimap-report.{suffix}", render(report, suffix)) for suffix in ("html", "md")]


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
    app.command("trend")(trend_command)
