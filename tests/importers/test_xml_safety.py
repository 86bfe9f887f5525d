"""Safe XML parsing, and hostile or odd XML files refused (or read) cleanly:
each refusal names the file and the place, and leaves the store unchanged."""

from __future__ import annotations

import gc
import textwrap
from pathlib import Path

import pytest

from graph.store.sqlite_store import SQLiteStore
from importers.base import ImportFailed
from importers.loader import import_paths
from importers.base import Extract
from importers.xml_safety import (
    _SCOPES,
    ENTITIES_REFUSED,
    XmlRefused,
    claim_scope,
    local_name,
    parse_xml,
    sniff_root_bytes,
)

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ARCHIMATE_NS = "http://www.opengroup.org/xsd/archimate/3.0/"

EXISTING = """\
teams:
  - id: team-ops
    name: Operations
systems:
  - id: sys-erp
    name: ERP
"""

BILLION_LAUGHS = f"""\
<?xml version="1.0"?>
<!DOCTYPE definitions [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<definitions xmlns="{BPMN_NS}" id="d"><process id="P" name="&lol9;"/></definitions>
"""

XXE = f"""\
<?xml version="1.0"?>
<!DOCTYPE definitions [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<definitions xmlns="{BPMN_NS}" id="d"><process id="P" name="&xxe;"/></definitions>
"""

PARAMETER_ENTITY = f"""\
<?xml version="1.0"?>
<!DOCTYPE model [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<model xmlns="{ARCHIMATE_NS}" identifier="m"><elements/></model>
"""

MALFORMED = f"""\
<?xml version="1.0"?>
<definitions xmlns="{BPMN_NS}" id="d">
  <process id="P" name="Broken">
    <task id="T1" name="no end tag">
  </process>
</definitions>
"""

SMALL_BPMN = f"""\
<?xml version="1.0" encoding="{{encoding}}"?>
<definitions xmlns="{BPMN_NS}" id="d">
  <process id="P" name="{{name}}"><task id="T" name="Step"/></process>
</definitions>
"""


@pytest.fixture
def store(tmp_path: Path):
    """A store that already holds something, to prove refusals leave it alone."""
    with SQLiteStore(tmp_path / "t.db") as db:
        seed = tmp_path / "seed.yaml"
        seed.write_text(EXISTING, encoding="utf-8")
        import_paths([seed], db)
        yield db


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    return path


def refused(store, path: Path) -> str:
    """Import ``path``, expect a refusal, check nothing changed; the message."""
    before = store.counts()
    with pytest.raises(ImportFailed) as caught:
        import_paths([path], store)
    assert store.counts() == before
    assert store.counts().total_nodes == 2
    message = str(caught.value)
    assert str(path) in message
    return message


# -- the parser itself ----------------------------------------------------------

def test_parse_records_the_line_of_every_element():
    document = parse_xml(b'<?xml version="1.0"?>\n<a>\n  <b/>\n  <c x="1"\n     y="2"/>\n</a>')
    lines = {local_name(element.tag): document.line(element) for element in document.root.iter()}
    assert lines == {"a": 2, "b": 3, "c": 4}


def test_parse_refuses_entity_declarations_with_the_line():
    with pytest.raises(XmlRefused) as caught:
        parse_xml(BILLION_LAUGHS.encode())
    assert caught.value.message == ENTITIES_REFUSED
    assert caught.value.line == 3


def test_parse_reports_malformed_xml_with_line_and_column():
    with pytest.raises(XmlRefused) as caught:
        parse_xml(MALFORMED.encode())
    assert caught.value.message == "malformed XML: mismatched tag at line 5, column 5"
    assert caught.value.line == 5


def test_parse_refuses_binary_data():
    with pytest.raises(XmlRefused, match="binary file, not XML"):
        parse_xml(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize("head, expected", [
    (f'<?xml version="1.0"?>\n<bpmn2:definitions xmlns:bpmn2="{BPMN_NS}">'.encode(), (BPMN_NS, "definitions")),
    (f'<!-- <model xmlns="x"> --><definitions xmlns="{BPMN_NS}" id="a">'.encode(), (BPMN_NS, "definitions")),
    (b"\xef\xbb\xbf" + f'<model xmlns="{ARCHIMATE_NS}" identifier="m">'.encode(), (ARCHIMATE_NS, "model")),
    (f'<model xmlns="{ARCHIMATE_NS}">'.encode("utf-16"), (ARCHIMATE_NS, "model")),
    (b"<definitions>", ("", "definitions")),
    (b"\x00\x01\x02 not xml at all", None),
])
def test_sniff_finds_the_root_without_parsing(head, expected):
    assert sniff_root_bytes(head) == expected


def test_a_scope_is_claimed_once_per_import_and_forgotten_with_it():
    first, second = Extract(), Extract()
    assert claim_scope(first, "bpmn:order:", "a/order.bpmn") is None
    assert claim_scope(first, "bpmn:order:", "a/order.bpmn") is None  # the same file again
    assert claim_scope(first, "bpmn:order:", "b/order.bpmn") == "a/order.bpmn"
    assert claim_scope(second, "bpmn:order:", "b/order.bpmn") is None  # another import
    key = id(first)
    del first
    gc.collect()
    assert key not in _SCOPES


# -- hostile files, end to end ------------------------------------------------

def test_billion_laughs_is_refused_before_it_expands(store, tmp_path):
    message = refused(store, write(tmp_path, "laughs.bpmn", BILLION_LAUGHS))
    assert f"laughs.bpmn:3: {ENTITIES_REFUSED}" in message


def test_billion_laughs_in_an_xml_file_is_detected_and_refused(store, tmp_path):
    message = refused(store, write(tmp_path, "laughs.xml", BILLION_LAUGHS))
    assert "declares XML entities" in message


def test_external_entity_is_refused_and_nothing_is_read(store, tmp_path):
    message = refused(store, write(tmp_path, "xxe.bpmn", XXE))
    assert "xxe.bpmn:3:" in message and "remove the DOCTYPE" in message
    assert "root:" not in message  # no line of /etc/passwd leaked into the message
    assert store.search("root") == []


def test_external_parameter_entity_in_archimate_is_refused(store, tmp_path):
    message = refused(store, write(tmp_path, "remote.xml", PARAMETER_ENTITY))
    assert "remote.xml:2:" in message and "declares XML entities" in message


def test_malformed_xml_names_file_line_and_column(store, tmp_path):
    message = refused(store, write(tmp_path, "broken.bpmn", MALFORMED))
    assert "broken.bpmn:5: malformed XML: mismatched tag at line 5, column 5" in message


def test_binary_garbage_named_bpmn_is_refused(store, tmp_path):
    message = refused(store, write(tmp_path, "garbage.bpmn", bytes(range(256)) * 8))
    assert "garbage.bpmn: this is a binary file, not XML" in message


def test_binary_garbage_named_xml_is_refused_by_the_reading_layer(store, tmp_path):
    message = refused(store, write(tmp_path, "garbage.xml", b"\x00\xff\xfe" + bytes(range(256)) * 8))
    assert "garbage.xml: this is a binary file, not text" in message


def test_an_oversized_file_is_refused_before_parsing(store, tmp_path, monkeypatch):
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", "0.0001")
    path = write(tmp_path, "big.bpmn", SMALL_BPMN.format(encoding="UTF-8", name="x" * 500))
    assert "over the 0 MB limit" in refused(store, path)


def test_empty_file_is_malformed(store, tmp_path):
    assert "empty.bpmn:1: malformed XML: no element found" in refused(store, write(tmp_path, "empty.bpmn", b""))


# -- encodings ----------------------------------------------------------------

def test_utf8_byte_order_mark_imports(store, tmp_path):
    data = b"\xef\xbb\xbf" + SMALL_BPMN.format(encoding="UTF-8", name="Zahlung prüfen").encode("utf-8")
    report = import_paths([write(tmp_path, "bom.bpmn", data)], store)
    assert report.files == {str(tmp_path / "bom.bpmn"): "bpmn"}
    assert store.get("bpmn:bom:P").properties["name"] == "Zahlung prüfen"


def test_utf8_byte_order_mark_in_an_xml_file_is_still_detected(store, tmp_path):
    data = b"\xef\xbb\xbf" + SMALL_BPMN.format(encoding="UTF-8", name="BOM").encode("utf-8")
    report = import_paths([write(tmp_path, "bom.xml", data)], store)
    assert report.files[str(tmp_path / "bom.xml")] == "bpmn"
    assert store.get("bpmn:bom:T") is not None


def test_windows_1252_file_that_declares_it_imports(store, tmp_path):
    data = SMALL_BPMN.format(encoding="windows-1252", name="Café – 5 €").encode("cp1252")
    assert b"\x80" in data and b"\x96" in data  # bytes that are not UTF-8
    import_paths([write(tmp_path, "cp1252.bpmn", data)], store)
    assert store.get("bpmn:cp1252:P").properties["name"] == "Café – 5 €"


def test_windows_1252_file_that_does_not_declare_it_is_refused(store, tmp_path):
    data = SMALL_BPMN.replace(' encoding="{encoding}"', "").format(name="Café – 5 €").encode("cp1252")
    message = refused(store, write(tmp_path, "undeclared.bpmn", data))
    assert "undeclared.bpmn:3: not valid UTF-8 (byte 0xe9 on line 3)" in message
    assert 'encoding="windows-1252"' in message


def test_utf16_with_byte_order_mark_imports(store, tmp_path):
    data = SMALL_BPMN.format(encoding="UTF-16", name="Überweisung").encode("utf-16")
    import_paths([write(tmp_path, "wide.bpmn", data)], store)
    assert store.get("bpmn:wide:P").properties["name"] == "Überweisung"


def test_deeply_nested_sub_processes_do_not_exhaust_the_stack(store, tmp_path):
    depth = 2000
    body = "".join(f'<subProcess id="S{i}" name="level {i}">' for i in range(depth)) + "</subProcess>" * depth
    document = f'<definitions xmlns="{BPMN_NS}"><process id="P">{body}</process></definitions>'
    path = write(tmp_path, "deep.bpmn", document)
    import_paths([path], store)
    assert store.counts().total_nodes == 2 + depth + 1
    assert [r.to_id for r in store.relationships("bpmn:deep:S1999", direction="out")] == ["bpmn:deep:S1998"]
