"""ServiceNow CMDB exports: the same CMDB exported with raw values and with
display values, as CSV and JSON (tests/fixtures/cmdb), the mapping rules one by
one, and broken or hostile exports refused with the file and line named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph.schema import Kind, Rel
from graph.store.base import Counts
from graph.store.sqlite_store import SQLiteStore
from importers.base import ImportFailed
from importers.formats.cmdb import CmdbReader, Value, criticality_of, relationship_of, value_of
from importers.loader import ImportOptions, import_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cmdb"
RAW, DISPLAY = FIXTURES / "raw", FIXTURES / "display"

SAP = "servicenow:ci:26da329f0a0a0bb400f69d8159bc753d"
CRM = "servicenow:ci:27d32778c0a8000b00db970eeaa60f16"
LNUX = "servicenow:ci:3a70f789c0a8ce010091b0ea635b982a"
EXCH = "servicenow:ci:3a5dd3dbc0a8ce0100655f1ec66ed42c"
EMAIL = "servicenow:ci:53fdbc8437201000deeabfc8bcbe5d10"
FAX = "servicenow:ci:9d385017c611228701d22104cc95c371"
CLUSTER = "servicenow:ci:82a3e21c0a0a0bb4006a42a6a13e4b56"
FRED = "servicenow:user:5137153cc611227c000bbd1bd8cd2005"
BETH = "servicenow:user:46d44a23a9fe19810012d100cca80666"
BOW = "servicenow:user:46c6f9efa9fe198101ddf5eed9adf6e7"
DESK = "servicenow:group:d625dccec0a8016700a222a0f7900d06"
DB_GROUP = "servicenow:group:287ee6fea9fe198100ada7950d0b1b73"
IT_OPS = "servicenow:group:019ad92ec7230010393d265c95c260dd"

CI_LINKS = {(SAP, CRM), (CRM, LNUX), (EMAIL, EXCH)}



@pytest.fixture
def seeded(store: SQLiteStore) -> Counts:
    import_paths([RAW / "sys_user.csv"], store)
    return store.counts()


def pairs(store: SQLiteStore, rel: Rel) -> set[tuple[str, str]]:
    return {(r.source_id, r.target_id) for r in store.relationships(type=rel)}


def owners(store: SQLiteStore, node_id: str) -> set[tuple[str, str]]:
    return {(r.source_id, r.properties["role"]) for r in store.relationships(node_id, Rel.OWNS, "in")}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- the raw export (sys_ids, choice codes; Table API JSON with links) -----------------
@pytest.fixture
def raw(store: SQLiteStore):
    return import_paths([RAW], store)


def test_the_raw_export_gives_the_expected_graph(store: SQLiteStore, raw) -> None:
    counts = store.counts()
    assert {k: v for k, v in counts.nodes.items() if v} == {Kind.TEAM: 4, Kind.PERSON: 3, Kind.SYSTEM: 7}
    assert {k: v for k, v in counts.relationships.items() if v} == {Rel.OWNS: 13, Rel.DEPENDS_ON: 3, Rel.PART_OF: 4}
    assert set(raw.files.values()) == {"cmdb"}


def test_configuration_items_become_systems(store: SQLiteStore, raw) -> None:
    assert store.get(SAP).properties == {
        "name": "SAP Enterprise Services", "category": "cmdb_ci_service", "criticality": "critical",
        "lifecycle": "active", "description": "SAP ERP services for finance and logistics",
        "aliases": ["servicenow:ci:name:sap enterprise services"]}
    assert store.get(CRM).properties["criticality"] == "high"
    assert store.get(EMAIL).properties["criticality"] == "medium"  # cmdb_ci_service's busines_criticality
    assert store.get(FAX).properties["criticality"] == "low"
    assert "vendor" not in store.get(CRM).properties  # a raw manufacturer is a sys_id, not a name


def test_statuses_give_the_lifecycle(store: SQLiteStore, raw) -> None:
    lifecycle = {node_id: store.get(node_id).properties["lifecycle"] for node_id in (SAP, EXCH, EMAIL, FAX)}
    assert lifecycle == {SAP: "active", EXCH: "retired", EMAIL: "active", FAX: "deprecated"}


def test_owner_fields_give_owners_in_their_roles(store: SQLiteStore, raw) -> None:
    assert owners(store, SAP) == {(FRED, "accountable"), (BETH, "responsible"), (DESK, "deployment"),
                                  (DB_GROUP, "responsible")}
    assert owners(store, LNUX) == {(BOW, "responsible"), ("servicenow:group:8a5055c9c61122780043563ef53438e3",
                                                          "deployment")}


def test_users_and_groups_come_from_their_tables(store: SQLiteStore, raw) -> None:
    fred = store.get(FRED)
    assert fred.kind is Kind.PERSON
    assert (fred.name, fred.properties["email"], fred.properties["active"]) == ("Fred Luddy", "fred.luddy@example.com", True)
    assert store.get(BOW).properties["active"] is False
    assert store.get(DESK).name == "Service Desk"
    assert pairs(store, Rel.PART_OF) >= {(DESK, IT_OPS), (DB_GROUP, IT_OPS)}


def test_baseline_relationship_types_are_known_by_sys_id(store: SQLiteStore, raw) -> None:
    assert pairs(store, Rel.DEPENDS_ON) == CI_LINKS
    assert (LNUX, CLUSTER) in pairs(store, Rel.PART_OF)
    [skipped] = [g for g in raw.problems if g.message == "relationship type known only by sys_id, skipped"]
    assert skipped.count == 2 and not skipped.fatal
    assert f"{RAW / 'cmdb_rel_ci.csv'}:6 [cmdb_rel_ci]: type" in skipped.sample[0]


# -- the display-value export (names and labels) ---------------------------------------------
@pytest.fixture
def display(store: SQLiteStore):
    return import_paths([DISPLAY / "cmdb_ci.csv", DISPLAY / "cmdb_rel_ci.json"], store)


def test_display_values_give_the_same_systems(store: SQLiteStore, display) -> None:
    sap = store.get(SAP).properties
    assert (sap["category"], sap["criticality"], sap["vendor"], sap["lifecycle"]) == (
        "Business Service", "critical", "SAP", "active")
    assert store.get(EXCH).properties["lifecycle"] == "retired"
    assert store.get(FAX).properties["lifecycle"] == "deprecated"
    assert store.get(CRM).properties["vendor"] == "Oracle"


def test_display_names_give_name_ids_for_people_and_groups(store: SQLiteStore, display) -> None:
    assert owners(store, SAP) == {("servicenow:user:name:fred luddy", "accountable"),
                                  ("servicenow:user:name:beth anglin", "responsible"),
                                  ("servicenow:group:name:service desk", "deployment"),
                                  ("servicenow:group:name:database", "responsible")}
    assert store.get("servicenow:user:name:fred luddy").kind is Kind.PERSON
    assert store.get("servicenow:group:name:service desk").kind is Kind.TEAM


def test_display_relationship_objects_use_the_sys_id_in_their_link(store: SQLiteStore, display) -> None:
    assert pairs(store, Rel.DEPENDS_ON) == CI_LINKS | {(EMAIL, FAX)}  # "Used by::Uses": the child depends
    assert pairs(store, Rel.PART_OF) == {(LNUX, CLUSTER)}
    [unmapped] = [g for g in display.problems if "Connects to" in g.message]
    assert not unmapped.fatal


def test_relationships_by_name_resolve_through_ci_name_aliases(store: SQLiteStore, tmp_path: Path) -> None:
    import_paths([DISPLAY / "cmdb_ci.csv", DISPLAY / "cmdb_rel_ci.csv"], store)
    by_name = {r.identity for r in store.relationships()}
    other = SQLiteStore(tmp_path / "other.db")
    import_paths([DISPLAY / "cmdb_ci.csv", DISPLAY / "cmdb_rel_ci.json"], other)

    assert by_name == {r.identity for r in other.relationships()}
    assert pairs(store, Rel.DEPENDS_ON) == CI_LINKS | {(EMAIL, FAX)}


def test_relationships_by_name_resolve_against_cis_already_in_the_store(store: SQLiteStore) -> None:
    import_paths([DISPLAY / "cmdb_ci.csv"], store)
    import_paths([DISPLAY / "cmdb_rel_ci.csv"], store)
    assert pairs(store, Rel.DEPENDS_ON) == CI_LINKS | {(EMAIL, FAX)}


def test_raw_and_display_exports_of_one_cmdb_meet_on_the_same_ids(store: SQLiteStore) -> None:
    import_paths([RAW, DISPLAY], store)

    counts = store.counts()
    assert {k: v for k, v in counts.nodes.items() if v} == {Kind.TEAM: 4, Kind.PERSON: 3, Kind.SYSTEM: 7}
    assert store.get("servicenow:user:name:fred luddy") is None
    assert owners(store, SAP) == {(FRED, "accountable"), (BETH, "responsible"), (DESK, "deployment"),
                                  (DB_GROUP, "responsible")}


def test_table_api_objects_with_both_value_and_display_value(store: SQLiteStore, tmp_path: Path) -> None:
    link = "https://dev1.service-now.com/api/now/table"
    record = {
        "sys_id": {"value": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "display_value": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        "name": {"value": "Payroll", "display_value": "Payroll"},
        "sys_class_name": {"value": "cmdb_ci_business_app", "display_value": "Business Application"},
        "install_status": {"value": "100", "display_value": "Absent"},
        "owned_by": {"value": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "display_value": "Ann Ode",
                     "link": f"{link}/sys_user/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
        "vendor": {"value": "cccccccccccccccccccccccccccccccc", "display_value": "Acme Corp",
                   "link": f"{link}/core_company/cccccccccccccccccccccccccccccccc"},
    }
    path = write(tmp_path / "cmdb_ci_business_app.json", json.dumps({"result": [record]}))

    import_paths([path], store)

    payroll = store.get("servicenow:ci:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").properties
    assert (payroll["category"], payroll["lifecycle"], payroll["vendor"]) == ("Business Application", "retired", "Acme Corp")
    ann = store.get("servicenow:user:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
    assert ann.name == "Ann Ode" and ann.properties["aliases"] == ["servicenow:user:name:ann ode"]


# -- the rules one by one ----------------------------------------------------------------
@pytest.mark.parametrize("type_name, expected", [
    ("Depends on::Used by", (Rel.DEPENDS_ON, True)),
    ("Runs on::Runs", (Rel.DEPENDS_ON, True)),
    ("Hosted on::Hosts", (Rel.DEPENDS_ON, True)),
    ("Uses::Used by", (Rel.DEPENDS_ON, True)),
    ("Consumes::Consumed by", (Rel.DEPENDS_ON, True)),
    ("Virtualized by::Virtualizes", (Rel.DEPENDS_ON, True)),
    ("Provided By::Provides", (Rel.DEPENDS_ON, True)),
    ("Used by::Uses", (Rel.DEPENDS_ON, False)),
    ("Runs::Runs on", (Rel.DEPENDS_ON, False)),
    ("Hosts::Hosted on", (Rel.DEPENDS_ON, False)),
    ("Contains::Contained by", (Rel.PART_OF, False)),
    ("Members::Member of", (Rel.PART_OF, False)),
    ("Contained by::Contains", (Rel.PART_OF, True)),
    ("Cluster of::Cluster", (Rel.PART_OF, True)),
    ("Connects to::Connected by", None),
    ("Located in::Houses", None),
    ("Managed by::Manages", None),
    ("Sends data to::Receives data from", None),
])
def test_relationship_types(type_name: str, expected) -> None:
    assert relationship_of(type_name) == expected


@pytest.mark.parametrize("cell, expected", [
    ("1 - most critical", "critical"), ("2 - somewhat critical", "high"), ("3 - less critical", "medium"),
    ("4 - not critical", "low"), ("1", "critical"), ("Most critical", "critical"), ("5 - whatever", None),
    ("", None),
])
def test_business_criticality(cell: str, expected) -> None:
    result = criticality_of(value_of(cell))
    assert (result.value if result else None) == expected


CI_HEADER = "sys_id,name,sys_class_name,install_status,operational_status,life_cycle_stage,life_cycle_stage_status\n"


@pytest.mark.parametrize("statuses, lifecycle", [
    ("1,1,,", "active"), ("Installed,Operational,,", "active"), ("1,2,,", "active"),  # non-operational: still alive
    ("7,,,", "retired"), ("100,,,", "retired"), ("8,,,", "retired"), ("Absent,,,", "retired"),
    ("1,6,,", "retired"), (",Retired,,", "retired"), ("1,1,End of Life,", "deprecated"),
    ("1,1,Operational,Pending Retirement", "deprecated"), ("1,1,Retired,", "retired"), (",,,", None),
])
def test_statuses_and_lifecycle(store: SQLiteStore, tmp_path: Path, statuses: str, lifecycle) -> None:
    path = write(tmp_path / "cmdb_ci.csv", CI_HEADER + f"dddddddddddddddddddddddddddddddd,Box,cmdb_ci_server,{statuses}\n")
    import_paths([path], store)
    assert store.get("servicenow:ci:dddddddddddddddddddddddddddddddd").properties.get("lifecycle") == lifecycle


def test_an_unknown_status_is_warned_and_ignored(store: SQLiteStore, tmp_path: Path) -> None:
    path = write(tmp_path / "cmdb_ci.csv", CI_HEADER + "dddddddddddddddddddddddddddddddd,Box,cmdb_ci_server,42,1,,\n")
    report = import_paths([path], store)

    assert store.get("servicenow:ci:dddddddddddddddddddddddddddddddd").properties["lifecycle"] == "active"
    [warning] = report.problems
    assert warning.message == "unknown install_status, ignored"
    assert f"{path}:2 [cmdb_ci]: install_status: install_status '42'" in warning.sample[0]


def test_values_in_every_form() -> None:
    assert value_of({"display_value": "Fred", "link": "https://x/api/now/table/sys_user/" + "a" * 32}) == Value(
        None, "Fred", "a" * 32)
    assert value_of("  Fred   Luddy ").label == "Fred Luddy"
    assert value_of("A" * 32).sys_id == "a" * 32 and value_of("A" * 32).label is None
    assert value_of({"link": "https://x/sys_user/not-an-id", "value": "v"}) == Value("v", None, None)
    assert value_of(None) == Value()


def test_cis_sharing_a_name_get_no_name_alias(store: SQLiteStore, tmp_path: Path) -> None:
    cis = write(tmp_path / "cmdb_ci.csv", "sys_id,name,sys_class_name\n" + "a" * 32 + ",db01,cmdb_ci_server\n"
                + "b" * 32 + ",DB01,cmdb_ci_server\n" + "c" * 32 + ",app,cmdb_ci_appl\n")
    rels = write(tmp_path / "cmdb_rel_ci.csv", "sys_id,parent,child,type\n" + "e" * 32 + ",app,db01,Runs on::Runs\n")

    with pytest.raises(ImportFailed) as failure:
        import_paths([cis, rels], store, ImportOptions(strict=True))

    assert f"{rels}:2 [cmdb_rel_ci]: type: DEPENDS_ON refers to unknown id 'servicenow:ci:name:db01'" in str(failure.value)
    report = import_paths([cis], store)
    [shared] = report.problems
    assert shared.message == "CI name shared by several CIs" and shared.count == 2


# -- unknown ends and missing tables -----------------------------------------------------------
def test_a_relationship_to_a_ci_not_imported_is_refused_with_its_line(store: SQLiteStore, seeded: Counts) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_paths([RAW / "cmdb_rel_ci.csv"], store, ImportOptions(strict=True))
    assert f"{RAW / 'cmdb_rel_ci.csv'}:2 [cmdb_rel_ci]: type: DEPENDS_ON refers to unknown id '{SAP}'" in str(failure.value)
    assert store.counts() == seeded


def test_relationships_before_their_cis_are_pending_until_the_cis_arrive(store: SQLiteStore) -> None:
    first = import_paths([RAW / "cmdb_rel_ci.csv"], store)
    assert first.written and store.counts().total_relationships == 0
    assert {ref.location for ref in first.pending} >= {f"{RAW / 'cmdb_rel_ci.csv'}:2"}
    assert len(store.pending_references()) == len(first.pending)

    second = import_paths([RAW / "cmdb_ci.json", RAW / "sys_user.csv", RAW / "sys_user_group.json"], store)
    assert len(second.resolved) == len(first.pending) and store.pending_references() == []
    assert pairs(store, Rel.DEPENDS_ON) == CI_LINKS


def test_partial_keeps_what_resolves(store: SQLiteStore, tmp_path: Path) -> None:
    rels = (RAW / "cmdb_rel_ci.csv").read_text(encoding="utf-8")
    missing = "0" * 32
    rels += f'"{"f" * 32}","{SAP.rsplit(":", 1)[1]}","{missing}","1a9cb166f1571100a92eb60da2bce5c5","always",""\n'
    path = write(tmp_path / "cmdb_rel_ci.csv", rels)

    report = import_paths([RAW / "cmdb_ci.json", RAW / "sys_user.csv", RAW / "sys_user_group.json", path], store,
                          ImportOptions(partial=True))

    assert report.written and pairs(store, Rel.DEPENDS_ON) == CI_LINKS
    assert [g for g in report.problems if g.fatal] == []
    [pending] = report.pending
    assert (pending.location, pending.missing) == (f"{path}:8", [f"servicenow:ci:{missing}"])


def test_a_raw_export_needs_the_user_and_group_tables(store: SQLiteStore) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_paths([RAW / "cmdb_ci.json"], store, ImportOptions(strict=True))
    message = str(failure.value)
    assert f"OWNS refers to unknown id '{FRED}'" in message
    assert f"{RAW / 'cmdb_ci.json'}:" in message and "[cmdb_ci]: owned_by" in message
    assert store.counts().total_nodes == 0


# -- hostile and broken exports -------------------------------------------------------------
@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
                                  "-2+3"])
def test_formula_injection_in_names_is_kept_as_text(store: SQLiteStore, tmp_path: Path, name: str) -> None:
    quoted = '"' + name.replace('"', '""') + '"'
    path = write(tmp_path / "cmdb_ci.csv", "sys_id,name,sys_class_name,owned_by\n"
                 f"{'a' * 32},{quoted},cmdb_ci_appl,{quoted}\n")
    import_paths([path], store)

    assert store.get("servicenow:ci:" + "a" * 32).name == name
    assert store.get(f"servicenow:user:name:{name.lower()}").name == name


def test_a_utf8_export_with_a_byte_order_mark_is_read(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "cmdb_ci.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"sys_id,name,sys_class_name\n{'a' * 32},Caf\u00e9,cmdb_ci_appl\n".encode())
    report = import_paths([path], store)
    assert report.files[str(path)] == "cmdb"
    assert store.get("servicenow:ci:" + "a" * 32).name == "Caf\u00e9"


def test_a_cp1252_export_is_refused_with_its_line(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    path = tmp_path / "cmdb_ci.csv"
    path.write_bytes(f"sys_id,name,sys_class_name\n{'a' * 32},Caf\u00e9,cmdb_ci_appl\n".encode("cp1252"))
    with pytest.raises(ImportFailed, match=re.escape(f"{path}:2: not valid UTF-8 (byte 0xe9")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_binary_garbage_is_refused(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    path = tmp_path / "cmdb_ci.csv"
    path.write_bytes(b"sys_id,name,sys_class_name\n\x00\x00\xff\xfe garbage" * 40)
    with pytest.raises(ImportFailed, match=re.escape(f"{path}: this is a binary file, not text")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_an_export_over_the_size_limit_is_refused(store: SQLiteStore, tmp_path: Path, monkeypatch,
                                                  seeded: Counts) -> None:
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", "0.001")
    with pytest.raises(ImportFailed, match=re.escape(f"{RAW / 'cmdb_ci.json'}: the file is 0 MB, over the 0 MB limit")):
        import_paths([RAW / "cmdb_ci.json"], store)
    assert store.counts() == seeded


@pytest.mark.parametrize("text, message", [
    ('{"result": [{"sys_id": "x", "name": }]}', ":1: invalid JSON"),
    ('{"records": "nothing", "sys_id": 1}', ':1: expected {"result": [...]} or {"records": [...]}'),
    ('{"result": [{"sys_id": "' + "a" * 32 + '", "sys_class_name": "cmdb_ci"}, 7]}', ": a record must be an object"),
])
def test_malformed_json_is_refused(store: SQLiteStore, tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "cmdb_ci.json", text)
    with pytest.raises(ImportFailed, match=re.escape(f"{path}{message}")):
        import_paths([path], store, ImportOptions(format="cmdb"))


@pytest.mark.parametrize("text, message", [
    ("sys_id,name,sys_class_name\n,Nameless id,cmdb_ci_appl\n", ":2 [cmdb_ci]: sys_id: a configuration item without a sys_id"),
    ("sys_id,parent,child,type\n" + "a" * 32 + ",,x,Runs on::Runs\n", ":2 [cmdb_rel_ci]: parent: a relationship without a parent"),
    ("sys_id,parent,child,type\n" + "a" * 32 + ",x,y,\n", ":2 [cmdb_rel_ci]: type: a relationship without a type"),
    ('sys_id,name,sys_class_name\n"' + "a" * 32 + '",x,y,z\n', ":2: more cells than the header has columns"),
])
def test_malformed_rows_are_refused_with_their_line(store: SQLiteStore, tmp_path: Path, text: str, message: str) -> None:
    stem = "cmdb_rel_ci" if "parent" in text.split("\n", 1)[0] else "cmdb_ci"
    path = write(tmp_path / f"{stem}.csv", text)
    with pytest.raises(ImportFailed, match=re.escape(f"{path}{message}")):
        import_paths([path], store)


def test_a_ci_without_a_name_is_named_by_its_sys_id(store: SQLiteStore, tmp_path: Path) -> None:
    path = write(tmp_path / "cmdb_ci.csv", f"sys_id,name,sys_class_name\n{'a' * 32},,cmdb_ci_appl\n")
    report = import_paths([path], store)
    assert store.get("servicenow:ci:" + "a" * 32).name == "a" * 32
    assert [g.message for g in report.problems] == ["configuration item without a name"]


def test_detection_by_content(tmp_path: Path) -> None:
    reader = CmdbReader()
    assert reader.detect(tmp_path / "export.csv", '"sys_id","name","sys_class_name"\n')
    assert reader.detect(tmp_path / "rels.csv", "sys_id,parent,child,type\n")
    assert reader.detect(tmp_path / "cmdb_rel_ci.csv", "parent,child,type\n")
    assert reader.detect(tmp_path / "people.csv", "sys_id,user_name,name,email\n")
    assert reader.detect(tmp_path / "sys_user_group.csv", "sys_id,name,parent\n")
    assert reader.detect(tmp_path / "x.json", '{\n  "result": [\n    {\n      "sys_class_name": "cmdb_ci_appl"')
    assert reader.detect(tmp_path / "x.json", '{"records":[{"sys_id":"1"}]}')
    assert not reader.detect(tmp_path / "teams.csv", "id,name,type\n")
    assert not reader.detect(tmp_path / "systems.csv", "id,name,parent,child,type\n")
    assert not reader.detect(tmp_path / "x.json", '{"teams": [{"id": "t", "name": "T"}]}')
    assert not reader.detect(tmp_path / "x.yaml", "sys_id: 1\n")


def test_reimporting_changes_nothing(store: SQLiteStore, raw) -> None:
    again = import_paths([RAW], store)
    assert all(c.created == 0 and c.updated == 0 for c in again.nodes.values())
    assert all(c.created == 0 for c in again.relationships.values())


# -- the same CMDB in the other forms -----------------------------------------------------------
def graph(store: SQLiteStore) -> tuple[set, set]:
    nodes = {(n.id, n.kind, n.name) for kind in Kind for n in store.list_nodes(kind, limit=100)}
    return nodes, {r.identity for r in store.relationships()}


def test_a_raw_csv_and_a_raw_table_api_json_give_the_raw_graph(store: SQLiteStore, raw, tmp_path: Path) -> None:
    other = SQLiteStore(tmp_path / "alt.db")
    report = import_paths([FIXTURES / "raw-alt", RAW / "sys_user.csv", RAW / "sys_user_group.json"], other)

    assert graph(other) == graph(store)
    assert other.get(SAP).properties == store.get(SAP).properties
    assert {g.message: g.count for g in report.problems} == {"relationship type known only by sys_id, skipped": 2}


def test_a_display_value_table_api_json_names_people_by_their_sys_id(store: SQLiteStore) -> None:
    import_paths([FIXTURES / "display-alt" / "cmdb_ci.json", DISPLAY / "cmdb_rel_ci.csv"], store)

    assert owners(store, SAP) == {(FRED, "accountable"), (BETH, "responsible"), (DESK, "deployment"),
                                  (DB_GROUP, "responsible")}
    assert store.get(FRED).name == "Fred Luddy"
    assert store.get(SAP).properties["vendor"] == "SAP"
    assert pairs(store, Rel.DEPENDS_ON) == CI_LINKS | {(EMAIL, FAX)}


# -- a list export without its key columns -------------------------------------------------
SYS_ID_HINT = "?CSV&sysparm_default_export_fields=all"


@pytest.mark.parametrize("file_name, table", [("cmdb_ci_appl.csv", "cmdb_ci_appl"), ("export.csv", "cmdb_ci"),
                                              ("sys_user.csv", "sys_user")])
def test_a_list_export_without_sys_id_is_one_error_saying_how_to_export_it(store, tmp_path, file_name, table):
    body = "name,sys_class_name,owned_by\nSAP,cmdb_ci_appl,Fred\nCRM,cmdb_ci_appl,Ann\n" if "user" not in file_name \
        else "name,user_name,email\nFred Luddy,fred,fred@example.com\n"
    path = write(tmp_path / file_name, body)
    for options in (ImportOptions(), ImportOptions(format="cmdb")):
        with pytest.raises(ImportFailed) as failure:
            import_paths([path], store, options)
        [problem] = failure.value.problems
        assert str(problem.location) == f"{path}:1 [{table.split('_appl')[0] if table != 'sys_user' else table}]: sys_id"
        assert "the export has no sys_id column" in problem.message
        assert f"https://INSTANCE.service-now.com/{table}_list.do{SYS_ID_HINT}" in problem.message
    assert store.counts().total_nodes == 0


def test_a_relationship_export_without_child_names_the_column(store, tmp_path):
    path = write(tmp_path / "cmdb_rel_ci.csv", "sys_id,parent,type\n" + "a" * 32 + ",x,Runs on::Runs\n")
    with pytest.raises(ImportFailed) as failure:
        import_paths([path], store)
    [problem] = failure.value.problems
    assert str(problem) == (f"{path}:1 [cmdb_rel_ci]: child: the export has no child column; export the list "
                            "with the parent, child columns")


def test_a_json_export_without_sys_id_is_one_error_and_an_empty_one_none(store, tmp_path):
    path = write(tmp_path / "cmdb_ci.json", '{"result": [{"name": "SAP", "sys_class_name": "cmdb_ci_appl"}]}')
    with pytest.raises(ImportFailed, match="the export has no sys_id column"):
        import_paths([path], store)
    empty = write(tmp_path / "cmdb_ci_2.json", '{"result": []}')
    assert import_paths([empty], store, ImportOptions(format="cmdb")).written is False
