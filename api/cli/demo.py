"""``aimap demo``: the bundled example enterprise, end to end."""

from __future__ import annotations

from typing import Annotated

import typer

from collections import Counter

from rich.table import Table

from api.cli.analysis_commands import severity_summary
from api.cli.report_commands import write_demo_reports
from api.cli.common import ProgressBar, StoreOption, connect, console
from api.cli.store_commands import print_counts
from graph.analyses import load_config
from graph.service import ReadService


def demo_command(
    store: StoreOption = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Empty the store first.")] = False,
) -> None:
    """Load the example enterprise (Northwind Industrial) and show what aimap sees.

    Imports the bundled example into the store (by default ./aimap.db in this
    folder), prints what it holds, and runs every analysis as of the example's
    date. Running it again changes nothing.
    """
    from importers.example import AS_OF, load_example

    with connect(store, write=True) as graph_store, ProgressBar() as progress:
        if fresh:
            graph_store.clear()
        load_example(graph_store, progress)
        counts = graph_store.counts()
        console.print(f"Imported the example enterprise, Northwind Industrial: {counts.total_nodes} entities and "
                      f"{counts.total_relationships} relationships in {graph_store.url}")
        print_counts(counts, "the graph now holds")
        service = ReadService(graph_store, load_config(as_of=AS_OF))
        result = service.analysis()
        overall = service.pipeline().total
        reports = write_demo_reports(service)
    by_rule = Counter(finding.rule for finding in result.findings)
    table = Table(title=f"gaps found as of {AS_OF.isoformat()}", title_justify="left")
    table.add_column("rule")
    table.add_column("findings", justify="right")
    for rule_id in result.rules:
        table.add_row(rule_id, str(by_rule.get(rule_id, 0)))
    console.print(table)
    console.print(severity_summary(result))
    console.print(f"pipeline: {overall.total} initiatives; {overall.in_pilot} in pilot, "
                  f"{overall.reached_production} in production or scaled")
    console.print("gap report: " + "  ·  ".join(str(path) for path in reports))
    console.print(f"\nNext: aimap analyze --as-of {AS_OF.isoformat()}   (every finding, with who should do what)\n"
                  f"      aimap scorecard --as-of {AS_OF.isoformat()}  ·  aimap priorities  ·  aimap pipeline")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
