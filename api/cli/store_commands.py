"""``aimap stats``: what the graph holds."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from api.cli.common import FormatOption, StoreOption, check_choice, connect, console
from graph.store.base import Counts


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


def stats_command(store: StoreOption = None, format: FormatOption = "table") -> None:
    """Count the entities by kind and the relationships by type."""
    check_choice(format, ("table", "json"), "--format")
    with connect(store) as graph_store:
        counts = graph_store.counts()
        if format == "json":
            console.out(json.dumps(counts_as_dict(counts), indent=2))
        else:
            print_counts(counts, f"{graph_store.url}")


def register(app: typer.Typer) -> None:
    app.command("stats")(stats_command)
