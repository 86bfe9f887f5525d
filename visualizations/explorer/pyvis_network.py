"""Everything aimap asks of pyvis, in one module so it can be replaced.

pyvis builds the network (the node and edge objects vis-network reads) and
ships vis-network itself, which the page inlines. Its traps, measured with
pyvis 0.3.2, and how this module avoids them:

* every ``cdn_resources`` mode of its template still links Bootstrap from a
  CDN: its template and ``write_html``/``show`` are never used; the page has
  its own template (``page.py``) and only vis-network's script is taken;
* ``show()`` assumes a notebook: never called;
* ``set_options()`` replaces the whole options object: never called; the page
  gets its options from ``network_options`` whole;
* output is written without an explicit encoding: aimap writes the page itself
  as UTF-8;
* default physics does not settle on 1,500 nodes: aimap computes positions
  (``layout.py``) and switches physics off;
* ``add_node`` and ``add_edge`` look ids up in a list, which is quadratic on
  thousands of nodes: the id list is replaced by one with a set behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from pyvis.network import Network

VIS_NETWORK = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


@dataclass
class NodeSpec:
    id: str
    label: str
    shape: str
    colour: Any
    x: float
    y: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class EdgeSpec:
    from_id: str
    to_id: str
    extra: dict[str, Any] = field(default_factory=dict)


class _IdIndex(list):
    """pyvis's list of node ids, answering ``in`` from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set = set()

    def append(self, item: Any) -> None:
        self._seen.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._seen


def build(nodes: Iterable[NodeSpec], edges: Iterable[EdgeSpec]) -> tuple[list[dict], list[dict]]:
    """The vis-network node and edge objects, built by pyvis."""
    net = Network(directed=True)
    net.node_ids = _IdIndex()
    for node in nodes:
        net.add_node(node.id, label=node.label, shape=node.shape, color=node.colour, x=node.x, y=node.y,
                     physics=False, **node.extra)
    for edge in edges:
        net.add_edge(edge.from_id, edge.to_id, **edge.extra)
    return net.nodes, net.edges


@cache
def vis_network_js() -> str:
    """The vis-network script pyvis bundles (standalone, no outside requests)."""
    resource = files("pyvis")
    for part in VIS_NETWORK:
        resource = resource / part
    return resource.read_text(encoding="utf-8")


def network_options() -> dict[str, Any]:
    """The whole vis-network options object: positions are given, so no physics
    and no layout pass; hover for tooltips; straight edges draw fastest."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "multiselect": False},
        "nodes": {"size": 14, "font": {"size": 13, "face": "system-ui, sans-serif"}, "borderWidth": 1,
                  "widthConstraint": {"maximum": 150}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "color": {"color": "#94a3b8", "highlight": "#334155", "hover": "#334155"},
                  "font": {"size": 10, "color": "#475569", "strokeWidth": 2, "align": "middle"}},
    }
