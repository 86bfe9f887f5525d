"""What every importer produces: raw records with their location, and problems.

An importer parses an outside format and maps it onto the schema's vocabulary
(kinds, property names, relationship types) as plain dicts; it never validates
values or touches a store. ``importers.loader`` validates every record against
the schema, resolves references and writes the store in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from graph.errors import AimapError
from graph.schema import Kind, Rel

SAMPLE_SIZE = 5  # locations kept per problem message


class Location(NamedTuple):
    """Where a record or value came from: file, line or row, element, field.

    A named tuple rather than a frozen dataclass: immutable, ordered and
    hashable alike, and made five times faster (an import makes one per row)."""

    file: str
    line: int | None = None
    element: str | None = None
    field: str | None = None

    def at(self, field: str | None = None, line: int | None = None) -> "Location":
        """The same place, narrowed to a field (and its own line when known)."""
        return Location(self.file, line or self.line, self.element, field or self.field)

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
        if self.element:
            text += f" [{self.element}]"
        if self.field:
            text += f": {self.field}"
        return text


@dataclass
class RawEntity:
    """An entity as a source states it: schema field names, unvalidated values."""

    kind: Kind
    fields: dict[str, Any]
    location: Location
    field_lines: dict[str, int] = field(default_factory=dict)
    source: str = ""


@dataclass
class RawRelationship:
    type: Rel
    from_id: str
    to_id: str
    location: Location
    role: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input. ``group`` names the kind of problem
    (e.g. "unknown Backstage kind, skipped") so reports can count alike ones."""

    location: Location
    message: str
    fatal: bool = True
    group: str | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class Extract:
    """Everything read from the files of one import, before validation."""

    entities: list[RawEntity] = field(default_factory=list)
    relationships: list[RawRelationship] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    """The text encoding the user named (``--encoding``); None: detect."""
    observed_on: dict[str, dt.date] = field(default_factory=dict)
    """The date a file's contents describe, by file, when the file says (an
    inventory's year): stage observations take it unless ``--seen-at`` is given."""
    details: dict[str, str] = field(default_factory=dict)
    """What a reader found in a file beyond its format (the shape of a register,
    its encoding, how its rows were accounted for), by file, for the report."""
    formats: dict[str, str] = field(default_factory=dict)
    """Each file read, with the name of the format it was read as."""

    def error(self, location: Location, message: str, group: str | None = None) -> None:
        self.problems.append(Problem(location, message, True, group))

    def warn(self, location: Location, message: str, group: str | None = None) -> None:
        """A problem that does not stop the import (unless ``--strict``)."""
        self.problems.append(Problem(location, message, False, group))

    def entity(self, kind: Kind, fields: dict[str, Any], location: Location,
               field_lines: dict[str, int] | None = None) -> RawEntity:
        record = RawEntity(kind, fields, location, field_lines or {}, location.file)
        self.entities.append(record)
        return record

    def relate(self, type: Rel, from_id: str, to_id: str, location: Location,
               role: str | None = None) -> None:
        self.relationships.append(
            RawRelationship(type, from_id, to_id, location, role, location.file)
        )


class ImportFailed(AimapError):
    """The import was refused; nothing was written."""

    def __init__(self, problems: list[Problem], shown: int = 20):
        self.problems = problems
        lines = [str(problem) for problem in problems[:shown]]
        if len(problems) > shown:
            lines.append(f"… and {len(problems) - shown} more problems")
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"import refused, nothing was written ({len(problems)} {noun}):\n  " + "\n  ".join(lines))


class FormatReader(Protocol):
    """One outside format. ``detect`` sniffs a file's name and start; ``read``
    parses it into ``extract``, naming locations by ``display``.

    A ``binary`` reader (a workbook) gets ``head`` and ``text`` empty and reads
    the file itself, through ``importers.reading.read_bytes``."""

    name: str
    description: str
    binary: bool

    def detect(self, path: Path, head: str) -> bool: ...

    def read(self, path: Path, text: str, extract: Extract, display: str) -> None: ...


@dataclass
class ProblemGroup:
    message: str
    fatal: bool
    count: int
    sample: list[str]


def group_problems(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """Problems grouped by message with a bounded sample of where they occurred."""
    groups: dict[tuple[str, bool], list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[(problem.group or problem.message, problem.fatal)].append(problem)
    return [
        ProblemGroup(message, fatal, len(items), [str(p) for p in items[:SAMPLE_SIZE]])
        for (message, fatal), items in sorted(groups.items(), key=lambda kv: (not kv[0][1], -len(kv[1]), kv[0][0]))
    ]
