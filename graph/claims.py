"""What each source said, kept apart from the merged graph.

A node's properties are merged across sources (the last write wins), so the
graph alone cannot say that Backstage calls a system active while the CMDB
calls it retired. Both stores therefore keep, beside the graph, the *claims*
each source made: per entity, the value of each contested field (a system's
lifecycle, an initiative's stage) per source; per relationship, every source
that stated it. Each claim carries the importer and when the source first and
last said it, so the read side can show disagreements between sources
(``graph.service.disagreements``) without guessing.

A claim keeps the latest thing its source said: an older export imported
after a newer one (``--seen-at``) does not overwrite it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.records import NodeRecord, RelRecord
from graph.schema import Kind

CLAIMED_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.SYSTEM: ("lifecycle",),
    Kind.INITIATIVE: ("stage",),
}
"""The node properties sources disagree about that matter to the analyses;
owners are claimed through relationships (OWNS), not here."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's value for one field of one entity."""

    entity: str
    field: str
    value: str
    source: str
    importer: str
    first_seen: str
    last_seen: str


@dataclass(frozen=True, slots=True)
class RelClaim:
    """One source's statement of one relationship (by its identity)."""

    type: str
    src: str
    dst: str
    key: str
    source: str
    importer: str
    first_seen: str
    last_seen: str

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.type, self.src, self.dst, self.key)


def node_claims(nodes: Iterable[NodeRecord]) -> Iterator[tuple[str, str, str, str, str]]:
    """``(entity, field, value, source, importer)`` for every claimed field a
    record states (a field it leaves out claims nothing)."""
    for node in nodes:
        for name in CLAIMED_FIELDS.get(node.kind, ()):
            value = node.properties.get(name)
            if value is not None and value != "":
                yield node.id, name, str(value), node.source, node.importer


def rel_claims(rels: Iterable[RelRecord]) -> Iterator[tuple[str, str, str, str, str, str]]:
    """``(type, src, dst, key, source, importer)`` for every relationship record."""
    for rel in rels:
        yield rel.type.value, rel.source_id, rel.target_id, rel.key, rel.source, rel.importer
