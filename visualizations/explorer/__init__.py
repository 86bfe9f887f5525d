"""The interactive graph explorer: a self-contained HTML page over the read side.

``explorer_data(service, request)`` is what one request draws (JSON);
``render(data)`` the page that draws it; ``write_explorer`` both, to a file.
The modules, in the order data flows: ``views`` and ``selection`` (what to
draw), ``clusters`` (grouping past the node limit), ``layout`` (positions),
``pyvis_network`` (the only module that knows pyvis), ``data`` (the payload),
``page`` (the HTML, with ``template.html``, ``explorer.js``, ``explorer.css``).
``whatif`` lays a what-if's answer on the graph as marks.
"""

from __future__ import annotations

from pathlib import Path

from graph.service import ReadService
from visualizations.explorer.data import explorer_data
from visualizations.explorer.page import render, write
from visualizations.explorer.request import DEFAULT_MAX_NODES, ExplorerRequest
from visualizations.explorer.views import View


def write_explorer(service: ReadService, request: ExplorerRequest, path: Path) -> Path:
    """The self-contained explorer page of ``request``, written to ``path``."""
    return write(path, render(explorer_data(service, request)))


def write_page(data: dict, path: Path, title: str = "aimap explorer") -> Path:
    """A self-contained explorer page of a payload already built (a what-if's, say)."""
    return write(path, render(data, title=title))


__all__ = ["DEFAULT_MAX_NODES", "ExplorerRequest", "View", "explorer_data", "render", "write_explorer", "write_page"]
