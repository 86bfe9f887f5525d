"""Reading a what-if's changes from a small YAML file, with line-numbered errors.

The file holds the same objects as the HTTP body of ``POST /api/v1/whatif``::

    changes:
      - change: retire-system
        id: sys-edw
      - change: add-relationship
        type: OWNS
        from_id: team-data
        to_id: sys-lakehouse

(a bare list of changes is read too). YAML is read with the importers' safe,
line-remembering loader, and every error — malformed YAML, a field pydantic
refuses, or a change the graph cannot take — names the file and the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import AimapError
from importers.structured import LocatedDict, StructureError, load_yaml_documents

MAX_BYTES = 1_000_000


class ChangesFileError(AimapError, ValueError):
    """A changes file that cannot be read, with its file and line."""


class ChangesFile:
    """The changes of one file, as plain mappings, with their locations."""

    def __init__(self, path: Path):
        self.path = path
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ChangesFileError(f"{path}: larger than {MAX_BYTES:,} bytes; a what-if file is small")
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ChangesFileError(f"{path}: cannot read it: {exc}") from None
        try:
            documents = load_yaml_documents(text)
        except StructureError as exc:
            raise ChangesFileError(f"{path}:{exc.line or 1}: {exc}") from None
        if len(documents) != 1:
            raise ChangesFileError(f"{path}: expected one YAML document with a list of changes, "
                                   f"found {len(documents)}")
        self.document, _ = documents[0]
        if isinstance(self.document, list):
            self.document = LocatedDict({"changes": self.document}, line=1)
        if not isinstance(self.document, dict) or not isinstance(self.document.get("changes"), list):
            raise ChangesFileError(f"{path}:1: expected `changes:` followed by a list of changes")
        self.changes: list[Any] = self.document["changes"]

    def line(self, location: tuple[Any, ...]) -> int:
        """The line of the value at ``location`` (keys and indexes from the
        document's top), or of the nearest mapping above it."""
        node: Any = self.document
        line = getattr(node, "line", None) or 1
        for part in location:
            if isinstance(node, dict) and part in node:
                line = node.line_of(part) or line if isinstance(node, LocatedDict) else line
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                line = getattr(node, "line", None) or line
            # anything else is a tag pydantic adds (a union member's name): skip it
        return line

    def error(self, exc: ValidationError) -> ChangesFileError:
        """pydantic's errors with their lines, one per line of the message."""
        lines = []
        for error in exc.errors()[:20]:
            where = ".".join(str(p) for p in error["loc"] if not _is_tag(p))
            lines.append(f"{self.path}:{self.line(tuple(error['loc']))}: {where}: {error['msg']}")
        return ChangesFileError("\n".join(lines))

    def locate(self, message: str, offset: int = 0) -> str:
        """A message of the service's (``changes[2].to_id: …``) with the file
        and line of the change it names, when that change came from this file."""
        match = re.match(r"changes\[(\d+)\](?:\.(\w+))?", message)
        if not match or int(match.group(1)) - offset >= len(self.changes):
            return message
        location: tuple[Any, ...] = ("changes", int(match.group(1)) - offset)
        if match.group(2):
            location += (match.group(2),)
        return f"{self.path}:{self.line(location)}: {message}"


_TAGS = re.compile(r"^[a-z]+(-[a-z]+)+$")


def _is_tag(part: Any) -> bool:
    """A union member's name that pydantic puts in a location (``retire-system``)."""
    return isinstance(part, str) and bool(_TAGS.match(part))
