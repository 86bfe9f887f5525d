"""Store-neutral records: what the stores write and read back.

Importers turn validated schema models into these records; stores persist
them; readers get them back with their provenance filled in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from graph.schema import Entity, Kind, Rel, Relationship


@dataclass(slots=True)
class NodeRecord:
    kind: Kind
    id: str
    properties: dict[str, Any]
    source: str = ""
    importer: str = ""
    first_seen: str | None = None
    last_seen: str | None = None

    @property
    def name(self) -> str:
        return self.properties.get("name") or self.id

    @classmethod
    def from_entity(cls, entity: Entity, source: str, importer: str) -> "NodeRecord":
        return cls(entity.kind, entity.id, entity.properties(), source, importer)

    def as_dict(self) -> dict[str, Any]:
        """A flat view for APIs and exports: identity, properties, provenance."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            **self.properties,
            "source": self.source,
            "importer": self.importer,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


@dataclass(slots=True)
class RelRecord:
    type: Rel
    source_id: str
    target_id: str
    properties: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    importer: str = ""
    first_seen: str | None = None
    last_seen: str | None = None

    @property
    def key(self) -> str:
        """Tells parallel relationships of one type apart (an owner in two roles)."""
        return self.properties.get("role") or ""

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.type.value, self.source_id, self.target_id, self.key)

    @classmethod
    def from_relationship(cls, rel: Relationship, source: str, importer: str) -> "RelRecord":
        return cls(rel.type, rel.source, rel.target, rel.properties(), source, importer)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "from": self.source_id,
            "to": self.target_id,
            **self.properties,
            "source": self.source,
            "importer": self.importer,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


@dataclass(slots=True)
class Subgraph:
    """A set of nodes and the relationships among them (a neighbourhood)."""

    nodes: list[NodeRecord]
    relationships: list[RelRecord]


def timestamp(moment: dt.datetime) -> str:
    """The one textual form of a moment both stores keep: UTC, ISO 8601, seconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
