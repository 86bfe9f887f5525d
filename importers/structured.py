"""YAML and JSON parsing that remembers line numbers and refuses hostile input.

Mappings come back as ``LocatedDict``: a dict that knows the line it starts on
and the line of each key, so errors can point at the field. YAML goes through
PyYAML's safe loader (no Python tags) and refuses documents whose aliases
would expand beyond ``MAX_EXPANDED_NODES`` (the "billion laughs" attack).
"""

from __future__ import annotations

import bisect
import json
import json.scanner
from collections.abc import Iterator
from typing import Any

import yaml

MAX_EXPANDED_NODES = 1_000_000


class StructureError(Exception):
    """Malformed YAML or JSON; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class LocatedDict(dict):
    """A mapping that knows where it was written."""

    line: int | None = None
    key_lines: dict[str, int]

    def __init__(self, *args: Any, line: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines = {}

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


def _short(value: Any, limit: int = 60) -> str:
    """A value for a message: repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _LocatingLoader(yaml.SafeLoader):
    """The safe loader, building LocatedDicts. Dates stay text: the schema
    parses them, with an error that names the field instead of a crash."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> Iterator[LocatedDict]:
    data = LocatedDict(line=node.start_mark.line + 1)
    yield data
    own_keys: dict[Any, int] = {}  # a key written twice in one mapping; merged (<<) keys may be overridden
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            key = loader.construct_object(key_node)
            if key in own_keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {_short(key)} (first on line {own_keys[key]}); "
                    "one of the two values would be lost", key_node.start_mark)
            own_keys[key] = key_node.start_mark.line + 1
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[str(key)] = key_node.start_mark.line + 1


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes a document holds once every alias is expanded."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a recursive alias counts once, and stops the recursion
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        size = 1
    memo[id(node)] = min(size, MAX_EXPANDED_NODES + 1)
    return memo[id(node)]


def load_yaml_documents(text: str) -> list[tuple[Any, int]]:
    """Every document of a (multi-document) YAML text, with its first line."""
    try:
        loader = _LocatingLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character in the text
        raise StructureError(f"invalid YAML: {exc.reason} (U+{exc.character:04X})",
                             text.count("\n", 0, exc.position) + 1) from exc
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
                raise StructureError(
                    "the document's anchors and aliases expand to over "
                    f"{MAX_EXPANDED_NODES:,} values; refusing it (an alias bomb?)",
                    node.start_mark.line + 1,
                )
            documents.append((loader.construct_document(node), node.start_mark.line + 1))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "malformed YAML"
        if "could not determine a constructor" in problem:
            tag = problem.rsplit(" ", 1)[-1].replace("tag:yaml.org,2002:", "!!")
            problem = f"unsupported YAML tag {tag}; only plain YAML is read"
        raise StructureError(f"invalid YAML: {problem}", mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise StructureError(f"invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise StructureError("invalid YAML: nested too deeply") from exc
    finally:
        loader.dispose()
    return documents


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def load_json(text: str) -> Any:
    """A JSON document whose objects are LocatedDicts (line of the object)."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_at(offset: int) -> int:
        return bisect.bisect_left(newlines, offset) + 1

    def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
        return dict(pairs)

    decoder: Any = json.JSONDecoder(object_pairs_hook=refuse_duplicates)  # its scanner hooks are not typed
    base_parse_object = decoder.parse_object

    def parse_object(s_and_end, *args, **kwargs):
        _, start = s_and_end
        try:
            obj, end = base_parse_object(s_and_end, *args, **kwargs)
        except _DuplicateKey as exc:
            raise StructureError(f"invalid JSON: duplicate key {_short(exc.key)} in the object starting on "
                                 f"this line; one of the two values would be lost", line_at(start)) from None
        located = LocatedDict(obj, line=line_at(start))
        return located, end

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    start = len(text) - len(text.lstrip())
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise StructureError(f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from exc
    except RecursionError as exc:
        raise StructureError("invalid JSON: nested too deeply") from exc
    if text[end:].strip():
        raise StructureError("invalid JSON: extra data after the document", line_at(end))
    return value
