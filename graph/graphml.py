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

import functools
import re
import shutil
import tempfile
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import Any, TextIO

NAMESPACES = ('xmlns="http://graphml.graphdrawing.org/xmlns" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"')
XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
"""networkx's GraphML type for each Python type (the last of its synonyms)."""

Attributes = list[tuple[str, Any]]  # (name, value) in the order networkx holds them
Edge = tuple[str, str, str, Attributes]  # source, target, key (the edge id), attributes
FLUSH_EVERY = 2_000
"""Elements gathered before a write: one write per element costs more than the XML."""


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


# XML 1.0 cannot carry these characters at all, not even as character references.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPECIAL = re.compile('[&<>"\r\n\t]')


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot carry written as ``\\xNN``
    (a backslash escape people and tools can read), so the file stays valid XML."""
    return XML_ILLEGAL.sub(lambda match: f"\\x{ord(match.group()):02x}"
                           if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}", text)


class _Part:
    """Elements of one scope (``node`` or ``edge``) written to a temporary
    file, declaring the keys of their data as they are first met.

    Text XML cannot carry is made safe (``xml_safe``) and counted, once per
    value written. Relationships repeat their data (type, role, source,
    import dates), so an edge's data block is kept by its values and reused."""

    MAX_REMEMBERED = 100_000

    def __init__(self, scope: str, keys: list[str], out: TextIO, remember: bool):
        self.scope = scope
        self.keys = keys  # the key declarations of both scopes: one numbering, one list
        self.out = out
        self.remember = remember
        self.opening: dict[tuple[str, type], str] = {}  # (name, type) -> '<data key="dN">'
        self.blocks: dict[tuple, tuple[str, int]] = {}  # attributes -> (their XML, values made safe)
        self.pending: list[str] = []
        self.escaped = 0

    def element(self, tag: str, identity: str, attributes: Attributes) -> None:
        """One ``<node>`` or ``<edge>`` at the graph's indentation, with its data
        (``identity``: its XML attributes, written safe and escaped)."""
        if not attributes:
            self.pending.append(f"\n    <{tag} {identity} />")
        else:
            if self.remember:
                remembered = tuple(attributes)
                block, escaped = self.blocks.get(remembered) or self._block(remembered)
            else:
                block, escaped = self._data(attributes)
            self.escaped += escaped
            self.pending.append(f"\n    <{tag} {identity}>{block}\n    </{tag}>")
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def _block(self, attributes: tuple) -> tuple[str, int]:
        if len(self.blocks) >= self.MAX_REMEMBERED:
            self.blocks.clear()
        block = self.blocks[attributes] = self._data(attributes)
        return block

    def _data(self, attributes: Iterable[tuple[str, Any]]) -> tuple[str, int]:
        pieces = []
        escaped = 0
        for name, value in attributes:
            opening = self.opening.get((name, type(value))) or self._key(name, type(value))
            text = value if type(value) is str else str(value)
            if not text:
                pieces.append(f"\n      {opening[:-1]} />")
                continue
            if isinstance(value, str) and XML_ILLEGAL.search(text):
                text = xml_safe(text)
                escaped += 1
            if "&" in text or "<" in text or ">" in text:
                text = escape_text(text)
            pieces.append(f"\n      {opening}{text}</data>")
        return "".join(pieces), escaped

    def _key(self, name: str, value_type: type) -> str:
        if value_type not in XML_TYPES:
            raise TypeError(f"GraphML does not support type {value_type} as data values.")
        key = f"d{len(self.keys)}"
        self.keys.append(f'<key id="{key}" for="{self.scope}" attr.name="{escape_attribute(name)}" '
                         f'attr.type="{XML_TYPES[value_type]}" />')
        opening = self.opening[(name, value_type)] = f'<data key="{key}">'
        return opening

    def flush(self) -> None:
        self.out.write("".join(self.pending))
        self.pending.clear()


class _Ids:
    """Ids as written in an XML attribute: made safe (counted each time one is
    written, as every other value) and escaped; each id worked out once."""

    def __init__(self) -> None:
        self.written: dict[str, tuple[str, bool]] = {}
        self.escaped = 0

    def __call__(self, node_id: str) -> str:
        """The id as written, counted."""
        text, unsafe = self._work_out(node_id)
        self.escaped += unsafe
        return text

    def text(self, node_id: str) -> str:
        """The id as written, not counted (nothing is written)."""
        return self._work_out(node_id)[0]

    def _work_out(self, node_id: str) -> tuple[str, bool]:
        known = self.written.get(node_id)
        if known is None:
            unsafe = bool(XML_ILLEGAL.search(node_id))
            text = xml_safe(node_id) if unsafe else node_id
            known = self.written[node_id] = (escape_attribute(text) if _SPECIAL.search(text) else text, unsafe)
        return known


def _in_network_order(edges: list[Edge]) -> list[Edge]:
    """One source's edges as networkx iterates them: by target, targets in the
    order first met, each target's edges in the order given."""
    by_target: dict[str, list[Edge]] = {}
    for edge in edges:
        by_target.setdefault(edge[1], []).append(edge)
    return [edge for group in by_target.values() for edge in group]


def write_graphml(nodes: Iterable[tuple[str, Attributes]], edges: Iterable[Edge], path: Path) -> int:
    """GraphML of ``nodes`` (id, attributes; in the graph's order) and
    ``edges`` (grouped by source, the sources in node order) to ``path``;
    returns how many values held characters XML cannot carry (written as
    ``\\xNN``). Two ids that differ only there would be one node to networkx."""
    keys: list[str] = []
    ids = _Ids()
    known: set[str] = set()
    extra: dict[str, None] = {}  # ends that are no node (as written), in the order met
    late: list[Edge] = []  # edges from such ends: after the others, as networkx has them
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=path.parent) as node_file, \
            tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=path.parent) as edge_file:
        node_part = _Part("node", keys, node_file, remember=False)
        edge_part = _Part("edge", keys, edge_file, remember=True)
        for node_id, attributes in nodes:
            written = ids(node_id)
            known.add(written)
            node_part.element("node", f'id="{written}"', attributes)
        node_part.flush()
        for source, group in groupby(edges, key=lambda edge: edge[0]):
            ordered = _in_network_order(list(group))
            if ids.text(source) not in known:
                extra.setdefault(ids.text(source), None)
                late.extend(ordered)
                continue
            _write_edges(edge_part, ids, ordered, known, extra)
        for source in list(extra):  # edges from ends that are no node, in networkx's node order
            _write_edges(edge_part, ids, _in_network_order([e for e in late if ids.text(e[0]) == source]),
                         known, extra)
        edge_part.flush()
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(f"<?xml version='1.0' encoding='utf-8'?>\n<graphml {NAMESPACES}>")
            out.write("".join(f"\n  {declaration}" for declaration in reversed(keys)))
            empty = not known and not extra
            out.write('\n  <graph edgedefault="directed"' + (" />" if empty else ">"))
            node_file.seek(0)
            shutil.copyfileobj(node_file, out, 1 << 20)
            out.write("".join(f'\n    <node id="{node_id}" />' for node_id in extra))
            edge_file.seek(0)
            shutil.copyfileobj(edge_file, out, 1 << 20)
            out.write("\n</graphml>\n" if empty else "\n  </graph>\n</graphml>\n")
    return ids.escaped + node_part.escaped + edge_part.escaped


def _write_edges(part: _Part, ids: _Ids, edges: list[Edge], known: set[str], extra: dict[str, None]) -> None:
    for source, target, key, attributes in edges:
        written_target = ids(target)
        if written_target not in known:
            extra.setdefault(written_target, None)
        part.element("edge", f'source="{ids(source)}" target="{written_target}" id="{_edge_id(key)}"', attributes)


@functools.lru_cache(maxsize=1024)
def _edge_id(key: str) -> str:
    """An edge's key as written: a type, or a type and a role, so few of them."""
    return escape_attribute(key)
