"""``aimap explore``: writes the interactive explorer as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.analysis_commands import AsOfOption, ConfigOption, UnitOption, _config, read_service
from api.cli.common import StoreOption, check_choice, console
from graph.schema import Kind
from graph.service.read_service import MAX_DEPTH, MAX_NODE_LIMIT
from visualizations.explorer import DEFAULT_MAX_NODES, ExplorerRequest, View, write_explorer

DEFAULT_OUT = Path("aimap-explorer.html")
KINDS = tuple(kind.value for kind in Kind)
VIEWS = tuple(view.value for view in View)


def explore_command(
    store: StoreOption = None,
    focus: Annotated[str | None, typer.Option("--focus", metavar="ID", show_default=False,
                                              help="Draw this entity's neighbourhood only.")] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, max=MAX_DEPTH, help="Hops around --focus.")] = 2,
    business_unit: UnitOption = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", metavar="|".join(KINDS), show_default=False,
                                                   help="Only these kinds (repeatable).")] = None,
    view: Annotated[str, typer.Option("--view", metavar="|".join(VIEWS),
                                      help="ownership: teams, people, what they own; dependency: initiatives, "
                                           "workflows, systems; gaps: what the findings involve; all: everything.")]
    = View.ALL.value,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=10, max=MAX_NODE_LIMIT,
                                           help="Past this many entities, group them into clusters.")]
    = DEFAULT_MAX_NODES,
    out: Annotated[Path, typer.Option("--output", "--out", "-o", metavar="FILE", help="Where to write the page.")] = DEFAULT_OUT,
    as_of: AsOfOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the interactive HTML explorer of the graph (or of one entity's neighbourhood).

    The page works offline: open it in a browser. Hover shows an entity's
    properties, owners, business unit and findings; click focuses; clusters
    open on click. aimap serve serves the same explorer at /explorer, where
    the view, focus and filters change in the page.
    """
    kinds = tuple(Kind(check_choice(k, KINDS, "--kind")) for k in kind or ())
    request = ExplorerRequest(view=View(check_choice(view, VIEWS, "--view")), focus=focus, depth=depth,
                              business_unit=business_unit, kind=kinds, max_nodes=max_nodes)
    with read_service(store, _config(config, as_of)) as service:
        path = write_explorer(service, request, out)
    console.print(f"Wrote the explorer to {path} — open it in a browser: {path.resolve().as_uri()}")


def register(app: typer.Typer) -> None:
    app.command("explore")(explore_command)
