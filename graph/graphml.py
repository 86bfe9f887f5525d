"""GraphML written as the records stream past, never held as a document.

The bytes are those networkx's ``write_graphml`` (ElementTree, pretty-printed)
writes for a ``MultiDiGraph`` built from the same records — the export's format
since the first release, which yEd, Gephi and Cytoscape read — but networkx
builds the graph, then a tree of every element, before writing a byte: 2.8 GB
at 100,000 entities. Here memory holds the keys, the node ids and one node's
relationships at a time. tests/test_export.py checks the bytes against
networkx's writer.

What networkx's writer does, and this module with it:

* ``<key>`` elements for each (attribute name, Python type, node or edge) in the
  order first met (nodes before edges), listed at the top in reverse order
  (each new key is inserted first);
* attribute types by Python type: str ``string``, int ``long``, float
  ``double``, bool ``boolean``; values as ``str(value)`` (``True``, not ``true``);
* edges grouped by source node in node order, then by target in the order the
  targets were first met, then in the order given; an edge id is its key;
* a relationship end that is no node becomes a bare ``<node>`` after the others
  (neither store keeps such a relationship).

So that keys can come first, nodes and edges are written to temporary files
beside the destination and copied after the keys.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any, TextIO

NAMESPACES = ('xmlns="http://graphml.graphdrawing.org/xmlns" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"')
XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
"""networkx's GraphML type for each Python type (the last of its synonyms)."""

Attributes = dict[str, Any]
Edge = tuple[str, str, str, Attributes]  # source, target, key (the edge id), attributes


def escape_text(text: str) -> str:
    """Character data as ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attribute(text: str) -> str:
    """An attribute value as ElementTree escapes it."""
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


class _Keys:
    """The ``<key>`` declarations, made as attributes are first met."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, type, str], str] = {}
        self._declarations: list[str] = []

    def data(self, name: str, value: Any, scope: str) -> str:
        """One ``<data>`` element (its key declared if new)."""
        value_type = type(value)
        key = self._ids.get((name, value_type, scope))
        if key is None:
            if value_type not in XML_TYPES:
                raise TypeError(f"GraphML does not support type {value_type} as data values.")
            key = self._ids[(name, value_type, scope)] = f"d{len(self._ids)}"
            self._declarations.append(f'<key id="{key}" for="{scope}" attr.name="{escape_attribute(name)}" '
                                      f'attr.type="{XML_TYPES[value_type]}" />')
        text = str(value)
        return f'<data key="{key}">{escape_text(text)}</data>' if text else f'<data key="{key}" />'

    def declarations(self) -> list[str]:
        return self._declarations[::-1]


def _element(out: TextIO, opening: str, data: list[str]) -> None:
    """One ``<node>`` or ``<edge>`` at the graph's indentation, with its data."""
    if not data:
        out.write(f"\n    <{opening} />")
        return
    out.write(f"\n    <{opening}>")
    for item in data:
        out.write("\n      ")
        out.write(item)
    out.write(f"\n    </{opening.split(' ', 1)[0]}>")


def _in_network_order(edges: list[Edge]) -> Iterator[Edge]:
    """One source's edges as networkx iterates them: by target, targets in the
    order first met, each target's edges in the order given."""
    by_target: dict[str, list[Edge]] = {}
    for edge in edges:
        by_target.setdefault(edge[1], []).append(edge)
    for group in by_target.values():
        yield from group


def write_graphml(nodes: Iterable[tuple[str, Attributes]], edges: Iterable[Edge], path: Path) -> None:
    """GraphML of ``nodes`` (id, attributes; in the graph's order) and
    ``edges`` (grouped by source, the sources in node order) to ``path``."""
    keys = _Keys()
    known: set[str] = set()
    extra: dict[str, None] = {}  # ends that are no node, in the order met
    late: list[Edge] = []  # edges from such ends: after the others, as networkx has them
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=path.parent) as node_part, \
            tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=path.parent) as edge_part:
        for node_id, attributes in nodes:
            known.add(node_id)
            _element(node_part, f'node id="{escape_attribute(node_id)}"',
                     [keys.data(name, value, "node") for name, value in attributes.items()])
        for source, group in groupby(edges, key=lambda edge: edge[0]):
            ordered = list(_in_network_order(list(group)))
            if source not in known:
                extra.setdefault(source, None)
                late.extend(ordered)
                continue
            _write_edges(edge_part, keys, ordered, known, extra)
        for source in list(extra):  # edges from ends that are no node, in networkx's node order
            _write_edges(edge_part, keys, list(_in_network_order([e for e in late if e[0] == source])), known, extra)
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(f"<?xml version='1.0' encoding='utf-8'?>\n<graphml {NAMESPACES}>")
            for declaration in keys.declarations():
                out.write("\n  ")
                out.write(declaration)
            empty = not known and not extra
            out.write('\n  <graph edgedefault="directed"' + (" />" if empty else ">"))
            for part in (node_part, None, edge_part):
                if part is None:
                    for node_id in extra:
                        _element(out, f'node id="{escape_attribute(node_id)}"', [])
                    continue
                part.seek(0)
                shutil.copyfileobj(part, out, 1 << 20)
            out.write("\n</graphml>\n" if empty else "\n  </graph>\n</graphml>\n")


def _write_edges(out: TextIO, keys: _Keys, edges: list[Edge], known: set[str], extra: dict[str, None]) -> None:
    for source, target, key, attributes in edges:
        if target not in known:
            extra.setdefault(target, None)
        _element(out, f'edge source="{escape_attribute(source)}" target="{escape_attribute(target)}" '
                      f'id="{escape_attribute(key)}"', [keys.data(name, value, "edge") for name, value in attributes.items()])
