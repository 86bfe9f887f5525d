"""Exports of the whole graph for other tools: GraphML, JSON, and the CSV register.

Every export is deterministic (nodes by id, relationships by identity), so two
exports of the same graph are byte-identical and diff well. The CSV register is
the one ``aimap import`` reads back; its cells are escaped against formula
injection, since spreadsheets open CSV files and evaluate ``=``, ``+``, ``-``
and ``@`` at the start of a cell.

Every file is written atomically: into a temporary file beside it, then
renamed over the destination. A failed export (a full disk) leaves the
destination as it was; the CSV register renames its files only once all of
them are written.
"""

from __future__ import annotations

import contextlib
import csv
import heapq
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from graph.errors import AimapError
from graph.graphml import Attributes, Edge, write_graphml
from graph.records import NodeRecord, RelRecord
from graph.schema import REL_ENDS, Kind, Rel, property_names, plural
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
    if (text.startswith(FORMULA_TRIGGERS) and not _is_number(text)) or text.startswith("'"):
        return "'" + text  # a leading ' is doubled, so that the import removes exactly one
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class ExportError(AimapError):
    """An export could not be written; the destination is unchanged."""


def _temporary_beside(path: Path) -> Path:
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(descriptor)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(name, 0o666 & ~mask)  # the mode a plain open() would give, not mkstemp's 0600
    return Path(name)


def _write_failed(path: Path, exc: OSError) -> ExportError:
    return ExportError(f"cannot write {path}: {exc.strerror or exc}; nothing was written "
                       "(an existing file there is unchanged)")


@contextlib.contextmanager
def atomic_paths(paths: list[Path]) -> Iterator[list[Path]]:
    """Temporary files beside ``paths``, renamed over them once the block ends
    without an error; on any error all are removed and the error is raised
    (an ``OSError`` as an :class:`ExportError` naming the file)."""
    temporaries: list[Path] = []
    try:
        for path in paths:
            temporaries.append(_temporary_beside(path))
        yield temporaries
        for temporary in temporaries:
            with open(temporary, "rb+") as handle:
                os.fsync(handle.fileno())
        for temporary, path in zip(temporaries, paths, strict=True):
            os.replace(temporary, path)
    except OSError as exc:
        raise _write_failed(Path(exc.filename) if exc.filename else paths[0], exc) from exc
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A text file written into a temporary file beside ``path``, then renamed."""
    with atomic_paths([Path(path)]) as [temporary]:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            yield handle


def write_json_file(store: Store, path: Path) -> None:
    with atomic_text_file(path) as handle:
        export_json(store, handle)


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


def export_graphml(store: Store, path: Path) -> int:
    """GraphML for yEd, Gephi or Cytoscape: lists joined with ``;``, unknown values left out.
    Characters XML cannot carry (NUL, ESC, other C0 controls) are written as
    ``\\xNN``; returns how many values needed that, for a warning.

    Streamed from the store to the file (``graph.graphml``): the relationships
    of each type come by source, and merging the types by source gives each
    node's relationships together, in the order networkx would hold them."""

    def nodes() -> Iterator[tuple[str, Attributes]]:
        for node in store.iter_nodes():
            yield node.id, _graphml_attributes(node.as_dict(), skip=_NODE_ENDS)

    def edges() -> Iterator[Edge]:
        by_type = [store.iter_relationships(rel) for rel in sorted(Rel, key=lambda rel: rel.value)]
        for rel in heapq.merge(*by_type, key=lambda rel: rel.from_id):
            yield (rel.from_id, rel.to_id, rel.type.value + (f":{rel.key}" if rel.key else ""),
                   _graphml_attributes(rel.as_dict(), skip=_REL_ENDS))

    with atomic_paths([Path(path)]) as [temporary]:
        return write_graphml(nodes(), edges(), temporary)


_NODE_ENDS = frozenset({"id"})
_REL_ENDS = frozenset(REL_ENDS)


def _graphml_attributes(values: dict[str, Any], skip: frozenset[str]) -> Attributes:
    return [(key, LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else value)
            for key, value in values.items() if value is not None and key not in skip]


def export_register(store: Store, folder: Path) -> list[Path]:
    """The CSV register ``aimap import`` reads: one file per kind, and relationships.csv."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_failed(folder, exc) from exc
    written = [folder / f"{plural(kind)}.csv" for kind in Kind] + [folder / "relationships.csv"]
    with atomic_paths(written) as temporaries:
        for kind, temporary in zip(Kind, temporaries, strict=False):
            _write_nodes(temporary, kind, store.iter_nodes(kind))
        _write_relationships(temporaries[-1], store.iter_relationships())
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
