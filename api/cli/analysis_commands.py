"""``aimap analyze``, ``aimap scorecard``, ``aimap priorities`` and ``aimap pipeline``:
the gap analyses on the command line.

Only rendering lives here: every answer comes from the read side
(``graph.service.ReadService``), as the HTTP API's do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.common import FormatOption, StoreOption, check_choice, connect, console, err_console
from api.cli.console import DEFAULT_ROWS, print_rows_note, shown_rows, write_json
from graph.analyses import AnalysisConfig, AnalysisResult, Severity, load_config, rule_ids
from graph.analyses.model import CheckName, Pipeline, ScorecardReport, WorkflowPriority
from graph.schema import Stage
from graph.service import Filters, ReadService

SEVERITY_STYLE = {Severity.CRITICAL: "bold white on red", Severity.HIGH: "red", Severity.MEDIUM: "yellow",
                  Severity.LOW: "cyan"}
SEVERITIES = "|".join(s.value for s in Severity)

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD", show_default=False,
                 help='The "today" ages and staleness count up to (default: today, UTC), for reproducible runs.'),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE", show_default=False,
                 help="Analysis settings (\\[analysis] table); default: ./aimap.toml, else "
                      "\\[tool.aimap.analysis] in ./pyproject.toml."),
]
RowsOption = Annotated[
    int,
    typer.Option("--limit", "-n", metavar="N", min=0,
                 help="Rows the table shows (0: all of them); --format json always lists everything."),
]
UnitOption = Annotated[
    str | None,
    typer.Option("--business-unit", "-b", metavar="ID|NAME", show_default=False,
                 help="Only this business unit (its id or its name)."),
]


# -- options --------------------------------------------------------------------


def _severity(value: str | None, option: str) -> Severity | None:
    if value is None:
        return None
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _config(config: Path | None, as_of: str | None) -> AnalysisConfig:
    date = None
    if as_of is not None:
        try:
            date = dt.date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(f"{as_of!r} is not a date: write YYYY-MM-DD", param_hint="--as-of") from None
    return load_config(config, as_of=date)


@contextmanager
def read_service(store: str | None, config: AnalysisConfig | None = None) -> Iterator[ReadService]:
    """The read side over the store named on the command line."""
    with connect(store) as graph_store:
        yield ReadService(graph_store, config)


def _unit(unit: str | None, name: str | None) -> str:
    return escape(name or unit or "—")


# -- analyze --------------------------------------------------------------------


def _findings_table(result: AnalysisResult, title: str, limit: int) -> None:
    """The first ``limit`` findings (the most severe), and a note on the rest."""
    shown = shown_rows(limit, len(result.findings))
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("severity · rule", no_wrap=True)
    table.add_column("subject", ratio=2, overflow="fold")
    table.add_column("unit", ratio=1, min_width=10)
    table.add_column("finding", ratio=4, overflow="fold")
    for f in result.findings[:shown]:
        table.add_row(
            f"[{SEVERITY_STYLE[f.severity]}]{f.severity.value}[/]\n[dim]{f.rule}[/]",
            f"{escape(f.subject_name)}\n[dim]{escape(f.subject)}[/]",
            _unit(f.business_unit, f.business_unit_name),
            f"{escape(f.message)}\n[dim]→ {escape(f.remediation)}[/]",
        )
    console.print(table)
    print_rows_note(shown, len(result.findings), "findings")


def severity_summary(result: AnalysisResult) -> str:
    counts = result.counts_by_severity()
    parts = [f"[{SEVERITY_STYLE[s]}]{counts[s]} {s.value}[/]" for s in sorted(counts, reverse=True) if counts[s]]
    return f"{len(result.findings)} finding(s)" + (": " + ", ".join(parts) if parts else "")


def analyze_command(
    store: StoreOption = None,
    format: FormatOption = "table",
    rule: Annotated[list[str] | None, typer.Option("--rule", "-r", metavar="RULE", show_default=False,
                                                   help="Only this rule; repeatable. Rules: "
                                                        + ", ".join(rule_ids()))] = None,
    severity: Annotated[str | None, typer.Option("--severity", "-s", metavar=SEVERITIES, show_default=False,
                                                 help="Only findings at or above this severity.")] = None,
    business_unit: UnitOption = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", metavar=SEVERITIES, show_default=False,
                                                help="Exit with 1 when a finding shown is at or above this "
                                                     "severity (for schedulers and CI).")] = None,
    as_of: AsOfOption = None,
    config: ConfigOption = None,
    limit: RowsOption = DEFAULT_ROWS,
) -> None:
    """Find the gaps that keep AI in pilots: one finding per gap, most severe first."""
    check_choice(format, ("table", "json"), "--format")
    minimum = _severity(severity, "--severity")
    threshold = _severity(fail_on, "--fail-on")
    for name in rule or []:
        if name not in rule_ids():
            raise typer.BadParameter(f"{name!r} is not one of {', '.join(rule_ids())}", param_hint="--rule")
    settings = _config(config, as_of)
    with read_service(store, settings) as service:
        url = service.store.url
        result = service.analysis(Filters(rule=tuple(rule or ()), severity=minimum, business_unit=business_unit))
    if format == "json":
        write_json({
            "store": url,
            "as_of": result.as_of.isoformat(),
            "rules": result.rules,
            "counts": {s.value: n for s, n in result.counts_by_severity().items()},
            "findings": result.findings,
            "notes": result.notes,
        })
    else:
        _findings_table(result, f"gaps in {url} as of {result.as_of.isoformat()}", limit)
        console.print(severity_summary(result))
        for note in result.notes:
            console.print(f"[dim]note: {escape(note)}[/]")
    if threshold is not None and any(f.severity.at_least(threshold) for f in result.findings):
        err_console.print(f"findings at or above {threshold.value}: failing (--fail-on {threshold.value})")
        raise typer.Exit(1)


# -- scorecard ------------------------------------------------------------------

CHECK_LABELS = {
    CheckName.OWNER: "owner",
    CheckName.WORKFLOW: "workflow",
    CheckName.INTEGRATION: "integrated",
    CheckName.OUTCOME_METRIC: "outcome",
    CheckName.PATH_TO_PRODUCTION: "path",
    CheckName.NO_SERIOUS_FINDING: "no high",
}


def _scorecard_tables(report: ScorecardReport, limit: int) -> None:
    """Every business unit, then the first ``limit`` initiatives and a note on the rest."""
    units = Table(title=f"scale readiness by business unit as of {report.as_of.isoformat()}", title_justify="left")
    for column in ("business unit", "initiatives", "ready", "average", *CHECK_LABELS.values()):
        units.add_column(column, justify="left" if column == "business unit" else "right")
    for row in report.business_units:
        units.add_row(_unit(row.business_unit, row.business_unit_name), str(row.initiatives), str(row.ready),
                      f"{row.average_score:.0%}", *(f"{row.failing[name]} ✗" if row.failing[name] else "✓"
                                                     for name in CHECK_LABELS))
    console.print(units)
    cards = Table(title="initiatives (✓ passed, ✗ failed)", title_justify="left")
    for column in ("initiative", "stage", "business unit", "score", *CHECK_LABELS.values()):
        cards.add_column(column, overflow="fold")
    shown = shown_rows(limit, len(report.initiatives))
    for card in report.initiatives[:shown]:
        cards.add_row(f"{escape(card.name)}\n[dim]{escape(card.initiative)}[/]", card.stage,
                      _unit(card.business_unit, card.business_unit_name), f"{card.passed}/{len(card.checks)}",
                      *("[green]✓[/]" if c.passed else "[red]✗[/]" for c in card.checks))
    console.print(cards)
    print_rows_note(shown, len(report.initiatives), "initiatives")


def scorecard_command(
    store: StoreOption = None,
    format: FormatOption = "table",
    business_unit: UnitOption = None,
    as_of: AsOfOption = None,
    config: ConfigOption = None,
    limit: RowsOption = DEFAULT_ROWS,
) -> None:
    """Score each initiative on the six checks it needs to scale, rolled up per business unit."""
    check_choice(format, ("table", "json"), "--format")
    settings = _config(config, as_of)
    with read_service(store, settings) as service:
        report = service.scorecards(Filters(business_unit=business_unit))
    if format == "json":
        write_json(report)
    else:
        _scorecard_tables(report, limit)


# -- priorities -----------------------------------------------------------------


def _priorities_table(ranked: list[WorkflowPriority]) -> None:
    table = Table(title="workflows by opportunity (score out of 100)", title_justify="left")
    for column in ("#", "workflow", "business unit", "score", "friction", "volume", "work type", "owned", "systems"):
        table.add_column(column, overflow="fold", justify="right" if column in ("#", "score") else "left")
    for rank, p in enumerate(ranked, 1):
        factors = {f.name: f for f in p.factors}
        cells = [f"{escape(f.value)} [dim]({f.points:g})[/]" for f in factors.values()]
        table.add_row(str(rank), f"{escape(p.name)}\n[dim]{escape(p.workflow)}[/]",
                      _unit(p.business_unit, p.business_unit_name), f"{p.score:g}", *cells)
    console.print(table)


def priorities_command(
    store: StoreOption = None,
    format: FormatOption = "table",
    business_unit: UnitOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="How many workflows to show (0: all).")] = 20,
) -> None:
    """Rank workflows by opportunity: friction, volume, repetitive or decision-heavy work, an owner, systems."""
    check_choice(format, ("table", "json"), "--format")
    with read_service(store) as service:
        ranked = service.priorities(Filters(business_unit=business_unit), limit=limit or None)
    if format == "json":
        write_json({"workflows": ranked})
    else:
        _priorities_table(ranked)


# -- pipeline -------------------------------------------------------------------


def _pipeline_table(pipeline: Pipeline) -> None:
    table = Table(title="initiatives by stage", title_justify="left")
    for column in ("business unit", *(s.value for s in Stage), "total", "reached production", "conversion"):
        table.add_column(column, justify="left" if column == "business unit" else "right")
    for row, label in [*((r, _unit(r.business_unit, r.business_unit_name)) for r in pipeline.business_units),
                       (pipeline.total, "[bold]all[/]")]:
        table.add_row(label, *(str(row.stages[s]) for s in Stage), str(row.total), str(row.reached_production),
                      "—" if row.conversion is None else f"{row.conversion:.0%}")
    console.print(table)
    if pipeline.total.movements:
        moves = Table(title="movement between stages, year over year", title_justify="left")
        for column in ("business unit", "years", "from", "to", "initiatives"):
            moves.add_column(column, justify="right" if column == "initiatives" else "left")
        for row, label in [*((r, _unit(r.business_unit, r.business_unit_name)) for r in pipeline.business_units),
                           (pipeline.total, "[bold]all[/]")]:
            for move in row.movements:
                moves.add_row(label, f"{move.from_year}→{move.to_year}", move.from_stage.value, move.to_stage.value,
                              str(move.initiatives))
        console.print(moves)


def pipeline_command(store: StoreOption = None, format: FormatOption = "table",
                     business_unit: UnitOption = None) -> None:
    """Count initiatives by stage per business unit, and how many pilots reached production."""
    check_choice(format, ("table", "json"), "--format")
    with read_service(store) as service:
        pipeline = service.pipeline(Filters(business_unit=business_unit))
    if format == "json":
        write_json(pipeline)
    else:
        _pipeline_table(pipeline)


def register(app: typer.Typer) -> None:
    app.command("analyze", epilog=(
        "Examples: aimap analyze --severity high · aimap analyze --business-unit bu-pumps · "
        "aimap analyze --format json --fail-on high > findings.json  (exit 1 when a high or critical gap exists)"
    ))(analyze_command)
    app.command("scorecard")(scorecard_command)
    app.command("priorities")(priorities_command)
    app.command("pipeline")(pipeline_command)
