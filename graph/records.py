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
    from_id: str
    to_id: str
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
        # _value_ is what .value returns, without the enum's descriptor (an import asks 500,000 times)
        return (self.type._value_, self.from_id, self.to_id, self.properties.get("role") or "")

    @classmethod
    def from_relationship(cls, rel: Relationship, source: str, importer: str) -> "RelRecord":
        return cls(rel.type, rel.from_id, rel.to_id, rel.properties(), source, importer)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "from_id": self.from_id,
            "to_id": self.to_id,
            **self.properties,
            "source": self.source,
            "importer": self.importer,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


@dataclass(slots=True)
class PendingRecord:
    """A relationship one end of which no import has brought yet.

    Catalogues arrive in pieces: a ``catalog-info.yaml`` names an owner group
    defined in another repository. Such a relationship is kept apart from the
    graph (never a dangling edge the analyses would trip over) with the place
    it was written, and becomes a ``RelRecord`` when an import brings the
    missing end. Its identity is the relationship's identity.
    """

    type: Rel
    from_id: str
    to_id: str
    properties: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    line: int | None = None
    source: str = ""
    importer: str = ""
    first_seen: str | None = None
    last_seen: str | None = None

    @property
    def key(self) -> str:
        return self.properties.get("role") or ""

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.type.value, self.from_id, self.to_id, self.key)

    @property
    def location(self) -> str:
        """``file:line``, as problems name places."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def as_relationship(self) -> RelRecord:
        """The relationship it stands for, with the provenance of the file that stated it."""
        return RelRecord(self.type, self.from_id, self.to_id, dict(self.properties), self.source, self.importer)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "from_id": self.from_id,
            "to_id": self.to_id,
            **self.properties,
            "file": self.file,
            "line": self.line,
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
