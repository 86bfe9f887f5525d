"""``aimap stats``: what the graph holds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.common import FormatOption, StoreOption, check_choice, connect, console, err_console
from api.cli.console import write_json
from graph.export import export_graphml, export_json, export_register, write_json_file
from graph.store.base import Counts
from importers.loader import PendingReference


def counts_as_dict(counts: Counts) -> dict:
    return {
        "nodes": {kind.value: n for kind, n in counts.nodes.items()},
        "relationships": {rel.value: n for rel, n in counts.relationships.items()},
        "total_nodes": counts.total_nodes,
        "total_relationships": counts.total_relationships,
    }


def print_counts(counts: Counts, title: str) -> None:
    table = Table(title=title, title_justify="left")
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind, n in counts.nodes.items():
        table.add_row(kind.value, str(n))
    table.add_row("[bold]entities[/]", f"[bold]{counts.total_nodes}[/]")
    for rel, n in counts.relationships.items():
        table.add_row(rel.value, str(n))
    table.add_row("[bold]relationships[/]", f"[bold]{counts.total_relationships}[/]")
    console.print(table)


def pending_list(graph_store) -> list[PendingReference]:
    """The store's pending references, each with the ends still missing."""
    refs = graph_store.pending_references()
    present = graph_store.get_many({end for ref in refs for end in (ref.from_id, ref.to_id)})
    return [PendingReference.of(ref, present) for ref in refs]


def stats_command(store: StoreOption = None, format: FormatOption = "table") -> None:
    """Count the entities by kind and the relationships by type, and list the
    pending references (relationships waiting for an import to bring their
    other end) with the file and line that stated them."""
    check_choice(format, ("table", "json"), "--format")
    with connect(store) as graph_store:
        counts = graph_store.counts()
        pending = pending_list(graph_store)
        if format == "json":
            data = {**counts_as_dict(counts), "pending": [ref.model_dump() for ref in pending]}
            write_json(data)
        else:
            print_counts(counts, f"{graph_store.url}")
            if pending:
                console.print(f"pending references: {len(pending)} (resolved when an import brings the "
                              "missing end)", markup=False)
                for ref in pending:
                    console.print(f"    {ref}", markup=False)


EXPORT_FORMATS = ("json", "graphml", "csv")


def export_command(
    store: StoreOption = None,
    format: Annotated[str, typer.Option("--format", "-f", metavar="json|graphml|csv",
                                        help="json: nodes and relationships with provenance; graphml: for yEd, "
                                        "Gephi, Cytoscape; csv: the CSV register that aimap import reads.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (a folder for csv); "
                                                "json goes to stdout without it.")] = None,
) -> None:
    """Export the whole graph for other tools.

    Output is deterministic (sorted by id), so two exports of the same graph are
    identical. CSV cells that a spreadsheet would run as a formula (=, +, -, @)
    are written with a leading ' so they stay text.
    """
    check_choice(format, EXPORT_FORMATS, "--format")
    if output is None:
        if format != "json":
            raise typer.BadParameter(f"{format} needs a destination", param_hint="--output")
        with connect(store) as graph_store:
            export_json(graph_store, sys.stdout)
        return
    with connect(store) as graph_store:
        if format == "json":
            write_json_file(graph_store, output)
        elif format == "graphml":
            if escaped := export_graphml(graph_store, output):
                err_console.print(f"[yellow]warning:[/] {escaped} value(s) held characters XML cannot carry "
                                  "(NUL, ESC, other control characters); written as \\xNN escapes")
        else:
            export_register(graph_store, output)
    err_console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.command("stats")(stats_command)
    app.command("export", epilog=(
        "Examples: aimap export > graph.json · aimap export -f graphml -o graph.graphml · "
        "aimap export -f csv -o register/  (then: aimap import register/ --store ...)"
    ))(export_command)
