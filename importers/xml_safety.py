"""Parsing XML files safely, for the XML format readers (BPMN, ArchiMate).

Every XML file goes through ``defusedxml`` with entity declarations and
external references forbidden: a billion-laughs bomb or an external entity
(``<!ENTITY xxe SYSTEM "file:///etc/passwd">``) is refused before it expands,
and nothing is ever fetched from the network or the disk. A plain DOCTYPE
without entities is allowed (some tools write one).

The parser gets the file's *bytes*, so the XML declaration decides the
encoding as the XML standard says (``encoding="windows-1252"`` is honoured;
without a declaration the file must be UTF-8 or carry a UTF-16 byte-order
mark). Problems come back as one sentence with the line, for the report.

ElementTree drops line numbers; ``XmlDocument.line`` keeps the line of every
element's start tag, recorded from expat while the tree is built.
"""

from __future__ import annotations

import re
import weakref
import xml.parsers.expat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from graph.schema import MAX_TEXT
from importers.base import Extract, Location
from importers.reading import UnreadableFile, read_bytes

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
SNIFF_BYTES = 16 * 1024
MAX_NAME = 1_000  # the schema's longest name

ENTITIES_REFUSED = (
    "the file declares XML entities (a DOCTYPE with ENTITY); aimap refuses them for safety "
    "— remove the DOCTYPE"
)
BINARY_REFUSED = "this is a binary file, not XML (wrong file or format?)"

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class XmlRefused(Exception):
    """The file is not XML aimap will read; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class XmlDocument:
    """A parsed file: its root element and the line of each element."""

    root: Element
    lines: dict[Element, int] = field(default_factory=dict)

    def line(self, element: Element) -> int | None:
        return self.lines.get(element)


class _LineRecordingBuilder(TreeBuilder):
    """A tree builder that notes the line of each start tag, which expat knows
    at the moment it reports the tag (ElementTree itself keeps no lines)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.expat: object | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        if self.expat is not None:
            self.lines[element] = self.expat.CurrentLineNumber  # type: ignore[attr-defined]
        return element


def parse_xml(data: bytes) -> XmlDocument:
    """Parse ``data`` with entities and external references forbidden.

    Raises ``XmlRefused`` with a user-facing sentence (and the line) for
    binary data, entity declarations, external references and malformed XML."""
    if b"\x00" in data[:SNIFF_BYTES] and not data.startswith(_UTF16_BOMS):
        raise XmlRefused(BINARY_REFUSED)
    builder = _LineRecordingBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden as exc:
        raise XmlRefused(ENTITIES_REFUSED, parser.parser.CurrentLineNumber) from exc
    except ExternalReferenceForbidden as exc:
        raise XmlRefused(
            f"the file refers to an external resource ({exc.sysid or exc.pubid}); aimap never fetches "
            "them — remove the reference", parser.parser.CurrentLineNumber) from exc
    except DTDForbidden as exc:  # not raised with forbid_dtd=False; kept should the policy tighten
        raise XmlRefused("the file has a DOCTYPE; aimap refuses it for safety — remove the DOCTYPE") from exc
    except ParseError as exc:
        raise _malformed(exc, data) from exc
    return XmlDocument(root, builder.lines)


def _malformed(exc: ParseError, data: bytes) -> XmlRefused:
    """A parse error as "malformed XML: … at line L, column C", or, when the
    real cause is an undeclared encoding, a sentence that says so."""
    line, column = exc.position
    reason = xml.parsers.expat.ErrorString(exc.code) if exc.code else str(exc)
    if exc.code == xml.parsers.expat.errors.codes[xml.parsers.expat.errors.XML_ERROR_INVALID_TOKEN]:
        hint = _encoding_hint(data)
        if hint:
            return XmlRefused(hint, line)
    return XmlRefused(f"malformed XML: {reason} at line {line}, column {column + 1}", line)


def _encoding_hint(data: bytes) -> str | None:
    """Why undeclared non-UTF-8 bytes broke the parse, or None if they did not."""
    if data.startswith(_UTF16_BOMS) or declared_encoding(data) not in (None, "utf-8", "utf8"):
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return (f"not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line}) and the XML declaration names "
                "no other encoding; save the file as UTF-8, or declare its encoding, e.g. "
                "<?xml version=\"1.0\" encoding=\"windows-1252\"?>")
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by the XML declaration, lower-cased, if any."""
    match = _DECLARED_ENCODING.match(data.removeprefix(_UTF8_BOM))
    return match.group(1).decode("ascii").lower() if match else None


def load_xml(path: Path, display: str, extract: Extract) -> XmlDocument | None:
    """Read and parse a file for a reader, recording any refusal in ``extract``
    (with the file and line) and returning None, so one bad file never stops
    the others from being checked."""
    try:
        data = read_bytes(path, display)
    except UnreadableFile as exc:
        extract.problems.append(exc.problem)
        return None
    try:
        return parse_xml(data)
    except XmlRefused as exc:
        extract.error(Location(display, exc.line), exc.message)
        return None


# -- detection ---------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ROOT_TAG = re.compile(
    r"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>"
)
_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def sniff_root(path: Path) -> tuple[str, str] | None:
    """``(namespace, local name)`` of a file's root element, read from its first
    kilobytes without parsing (nothing is expanded); None when not found."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    return sniff_root_bytes(head)


def sniff_root_bytes(head: bytes) -> tuple[str, str] | None:
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.removeprefix(_UTF8_BOM).decode("latin-1")
    match = _ROOT_TAG.search(_COMMENT.sub("", text))
    if match is None:
        return None
    prefix, local, attributes = match.groups()
    declared = {name: first or second for name, first, second in _ATTRIBUTE.findall(attributes)}
    return declared.get(f"xmlns:{prefix}" if prefix else "xmlns", ""), local


# -- reading parsed XML ------------------------------------------------------

def local_name(tag: str) -> str:
    """``{namespace}name`` → ``name``: readers match on local names, so any
    prefix (``bpmn:``, ``bpmn2:``, ``semantic:``, none) reads the same."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace_of(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(element: Element, namespace: str, *names: str) -> Iterator[Element]:
    """Direct children in ``namespace`` with one of the local ``names`` (any, if none given)."""
    for child in element:
        if namespace_of(child.tag) == namespace and (not names or local_name(child.tag) in names):
            yield child


def clean_name(text: str | None, limit: int = MAX_NAME) -> str | None:
    """A display name: whitespace (the line breaks modelers put in labels)
    collapsed to single spaces; None when empty; cut to the schema's limit."""
    if text is None:
        return None
    name = " ".join(text.split())
    if len(name) > limit:
        name = name[: limit - 1] + "…"
    return name or None


def clean_text(parts: Iterable[str | None]) -> str | None:
    """Documentation as a description: paragraphs kept, cut to the schema's limit."""
    text = "\n\n".join(part.strip() for part in parts if part and part.strip())
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return text or None


# Scopes claimed per import: id(extract) → (a weak reference to it, scope → first file).
_SCOPES: dict[int, tuple[weakref.ref, dict[str, str]]] = {}


def claim_scope(extract: Extract, scope: str, display: str) -> str | None:
    """Note that ``display`` makes ids in ``scope`` during this import, and
    return the other file that already did, if any: two files sharing a scope
    would silently merge elements with equal ids. Kept beside the import
    (dropped with its ``Extract``), so each file costs one lookup, not a scan."""
    key = id(extract)
    entry = _SCOPES.get(key)
    if entry is None or entry[0]() is not extract:
        def forget(_: object, key: int = key) -> None:
            _SCOPES.pop(key, None)

        entry = (weakref.ref(extract, forget), {})
        _SCOPES[key] = entry
    first = entry[1].setdefault(scope, display)
    return first if first != display else None
