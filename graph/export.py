"""Exports of the whole graph for other tools: GraphML, JSON, and the CSV register.

Every export is deterministic (nodes by id, relationships by identity), so two
exports of the same graph are byte-identical and diff well. The CSV register is
the one ``aimap import`` reads back; its cells are escaped against formula
injection, since spreadsheets open CSV files and evaluate ``=``, ``+``, ``-``
and ``@`` at the start of a cell.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from graph.records import NodeRecord, RelRecord
from graph.schema import REL_ENDS, Kind, property_names, plural
from graph.store.base import Store

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"


def escape_cell(value: Any) -> str:
    """A value as a CSV cell a spreadsheet shows as text, never as a formula
    (OWASP's advice: prefix a quote to a cell that starts with a trigger)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = LIST_SEPARATOR.join(str(item) for item in value)
    else:
        text = str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def export_json(store: Store, out: TextIO) -> None:
    """``{"nodes": [...], "relationships": [...]}`` with properties and provenance."""
    out.write('{"nodes": [')
    _write_items(out, (node.as_dict() for node in store.iter_nodes()))
    out.write('],\n"relationships": [')
    _write_items(out, (rel.as_dict() for rel in store.iter_relationships()))
    out.write("]}\n")


def _write_items(out: TextIO, items: Iterable[dict[str, Any]]) -> None:
    for index, item in enumerate(items):
        out.write(("\n" if index == 0 else ",\n") + json.dumps(item, ensure_ascii=False, sort_keys=True))


def export_graphml(store: Store, path: Path) -> None:
    """GraphML for yEd, Gephi or Cytoscape: lists joined with ``;``, unknown values left out."""
    graph = nx.MultiDiGraph()
    for node in store.iter_nodes():
        graph.add_node(node.id, **_graphml_attributes(node.as_dict(), skip={"id"}))
    for rel in store.iter_relationships():
        attributes = _graphml_attributes(rel.as_dict(), skip=set(REL_ENDS))
        graph.add_edge(rel.from_id, rel.to_id, key=rel.type.value + (f":{rel.key}" if rel.key else ""),
                       **attributes)
    nx.write_graphml(graph, path, encoding="utf-8")


def _graphml_attributes(values: dict[str, Any], skip: set[str]) -> dict[str, Any]:
    attributes = {}
    for key, value in values.items():
        if key in skip or value is None:
            continue
        attributes[key] = LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else value
    return attributes


def export_register(store: Store, folder: Path) -> list[Path]:
    """The CSV register ``aimap import`` reads: one file per kind, and relationships.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in Kind:
        path = folder / f"{plural(kind)}.csv"
        _write_nodes(path, kind, store.iter_nodes(kind))
        written.append(path)
    path = folder / "relationships.csv"
    _write_relationships(path, store.iter_relationships())
    written.append(path)
    return written


def _write_nodes(path: Path, kind: Kind, nodes: Iterable[NodeRecord]) -> None:
    columns = property_names(kind)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for node in nodes:
            values = {"id": node.id, **node.properties}
            writer.writerow([escape_cell(values.get(column)) for column in columns])


def _write_relationships(path: Path, rels: Iterable[RelRecord]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["type", *REL_ENDS, "role"])
        for rel in rels:
            writer.writerow([rel.type.value, escape_cell(rel.from_id), escape_cell(rel.to_id),
                             rel.properties.get("role", "")])
