"""``aimap demo``: the bundled example enterprise, end to end."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import ProgressBar, StoreOption, connect, console
from api.cli.store_commands import print_counts
from importers.loader import ImportOptions, import_paths


def demo_command(
    store: StoreOption = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Empty the store first.")] = False,
) -> None:
    """Load the example enterprise (Northwind Industrial) and show what aimap sees.

    Imports the bundled example into the store (by default ./aimap.db in this
    folder) and prints what it holds. Running it again changes nothing.
    """
    from importers.example import example_files

    with connect(store) as graph_store, ProgressBar() as progress:
        if fresh:
            graph_store.clear()
        report = import_paths(example_files(), graph_store, ImportOptions(progress=progress))
        console.print(f"Imported the example enterprise: {report.total_nodes} entities and "
                      f"{report.total_relationships} relationships from {len(report.files)} files into {graph_store.url}")
        print_counts(graph_store.counts(), "the graph now holds")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
