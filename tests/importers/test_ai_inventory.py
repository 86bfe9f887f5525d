"""The US federal AI use-case inventory: the real 2025 files end to end (and
analysed), a fixture exercising each mapping rule and quirk, and hostile or
broken files refused with the file and line named and the store untouched."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from graph.analyses import load_config, run_analysis
from graph.schema import Kind, Rel
from graph.store.base import Counts
from graph.store.sqlite_store import SQLiteStore
from importers.formats.ai_inventory import AiInventoryReader, agency_key, parse_date, short_hash, split_vendors, stage_of
from importers.formats.ai_inventory_values import split_names
from importers.base import ImportFailed
from importers.loader import import_paths
from importer_checks import SHARED_DATA, write

DATA = SHARED_DATA / "ai-use-case-inventory"
INDIVIDUAL = DATA / "2025_individually_reported_AI_use_cases.csv"
COTS = DATA / "2025_consolidated_COTS_AI_use_cases.csv"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ai-inventory"

UC = "ai-inventory:use-case:"
XA = "ai-inventory:agency:example-agency"
TESTING = "ai-inventory:bureau:xa/office-of-testing"
AUDITS = "ai-inventory:bureau:xa/office-of-audits"
CPS = "ai-inventory:system:xa/claims-processing-system-cps"



@pytest.fixture
def seeded(store: SQLiteStore) -> Counts:
    import_paths([FIXTURES / "cots.csv"], store)
    return store.counts()


def accountable(store: SQLiteStore, node_id: str) -> set[str]:
    return {r.source_id for r in store.relationships(node_id, Rel.OWNS, "in") if r.properties["role"] == "accountable"}


def targets(store: SQLiteStore, node_id: str, rel: Rel) -> set[str]:
    return {r.target_id for r in store.relationships(node_id, rel, "out")}


def warnings(report) -> dict[str, int]:
    return {g.message: g.count for g in report.problems if not g.fatal}


# -- the real 2025 inventory ---------------------------------------------------------------
@pytest.fixture(scope="module")
def federal(tmp_path_factory: pytest.TempPathFactory):
    """The individually reported use cases, imported once into SQLite (timed)."""
    db = SQLiteStore(tmp_path_factory.mktemp("federal") / "t.db")
    started = time.perf_counter()
    report = import_paths([INDIVIDUAL], db)
    seconds = time.perf_counter() - started
    yield db, report, seconds
    db.close()


def test_the_real_file_is_utf8_with_a_byte_order_mark_and_3611_rows() -> None:
    data = INDIVIDUAL.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    import csv
    import io
    assert len(list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))) == 3611


def test_the_federal_inventory_gives_the_expected_graph(federal) -> None:
    db, report, seconds = federal
    counts = db.counts()
    assert report.files == {str(INDIVIDUAL): "ai-inventory"}
    assert report.details == {str(INDIVIDUAL): "2025 consolidated inventory; UTF-8; 3611 rows: 2 repeated rows, "
                                               "read once, 3609 use cases"}  # every row accounted for
    assert {k: v for k, v in counts.nodes.items() if v} == {Kind.TEAM: 828, Kind.SYSTEM: 413, Kind.INITIATIVE: 3609}
    assert {k: v for k, v in counts.relationships.items() if v} == {Rel.OWNS: 4538, Rel.PART_OF: 394, Rel.DEPENDS_ON: 782}
    teams = Counter(n.properties["type"] for n in db.list_nodes(Kind.TEAM, limit=5000))
    # list cells are several bureaus and systems; 29 junk vendors (URLs, contract numbers, dates) are gone
    assert teams == {"business_unit": 41, "department": 394, "vendor": 393}
    assert seconds < 60  # about a second on an ordinary machine


def test_the_federal_inventory_quirks_are_reported_not_fatal(federal) -> None:
    _, report, _ = federal
    assert not any(g.fatal for g in report.problems)
    assert warnings(report) == {
        "use case without a known development stage, read as unknown": 338,  # DOC, TVA and ED report none
        "stage date without a month, stage_since left unknown": 21,
        "use-case id or name shared by different rows, told apart by content": 50,
        "use-case name shared in an agency, not linked across years by name": 47,
        "vendor text that names no vendor (URL, contract number, date, sentence)": 30,
        "repeated use-case row, read once": 2,
        "use case without a name, named by its id": 1,
    }


def test_stages_of_the_federal_inventory(federal) -> None:
    db, _, _ = federal
    stages = Counter(n.properties.get("stage", "unset") for n in db.list_nodes(Kind.INITIATIVE, limit=5000))
    assert stages == {"idea": 1478, "unknown": 338, "production": 1040, "pilot": 440, "retired": 313}
    impact = Counter(n.properties.get("high_impact") for n in db.list_nodes(Kind.INITIATIVE, limit=5000))
    assert impact == {True: 445, False: 2738, None: 426}  # 110 of the False were presumed high-impact, judged not


def test_a_federal_use_case_with_its_bureau_system_and_vendors(federal) -> None:
    db, _, _ = federal
    translate = db.get(UC + "dhs/dhs-2388")
    assert translate.name == "CBP Translate"
    assert translate.properties["stage"] == "production" and translate.properties["stage_since"] == "2019-08-07"
    assert translate.properties["objective"].startswith("Assist officers and agents with immediate interpretation")
    cbp = "ai-inventory:bureau:dhs/cbp"
    assert accountable(db, translate.id) == {cbp}
    assert targets(db, cbp, Rel.PART_OF) == {"ai-inventory:agency:department-of-homeland-security"}
    assert targets(db, translate.id, Rel.DEPENDS_ON) == {"ai-inventory:system:dhs/cbp-translate"}
    vendors = {r.source_id for r in db.relationships(translate.id, Rel.OWNS, "in") if r.properties["role"] == "responsible"}
    assert vendors == {f"ai-inventory:vendor:{v}" for v in ("aneesh-technologies", "24x7", "ellumen", "deloitte", "niyamit")}
    assert db.get("ai-inventory:vendor:ellumen").properties["type"] == "vendor"


def test_federal_duplicates_are_kept_apart_or_read_once(federal) -> None:
    db, _, _ = federal
    pattern = [n for n in db.search("Prisoner Assessment Tool", Kind.INITIATIVE)]
    assert len(pattern) == 2  # DOJ-0160, reported by two bureaus with different answers
    assert {n.id.split("~")[0] for n in pattern} == {UC + "doj/doj-0160"}
    assert len(db.search("Creating and Maintaining IT Security Packages", Kind.INITIATIVE)) == 1  # DOJ-0357 twice, identical
    assert db.get(UC + "doi/doi-0015").name == "DOI-0015"  # no name reported


def test_agencies_are_business_units_known_also_by_their_abbreviation(federal) -> None:
    db, _, _ = federal
    justice = db.get("ai-inventory:agency:department-of-justice")
    assert justice.properties == {"name": "Department of Justice", "type": "business_unit",
                                  "aliases": ["ai-inventory:agency:doj"]}


def test_every_federal_initiative_has_an_accountable_owner_and_analysis_runs(federal) -> None:
    db, _, _ = federal
    result = run_analysis(db.to_networkx(), load_config(as_of=dt.date(2026, 1, 1)))
    rules = Counter(f.rule for f in result.findings)
    assert rules["orphaned-initiative"] == 0
    assert rules["unanchored-initiative"] == 1040  # deployed use cases name no workflow
    assert rules["pilot-purgatory"] > 0


def test_the_whole_folder_imports_with_the_commercial_products(store: SQLiteStore) -> None:
    report = import_paths([DATA], store)

    assert set(report.files.values()) == {"ai-inventory"}  # the data dictionary included, holding nothing
    counts = store.counts()
    assert {k: v for k, v in counts.nodes.items() if v} == {Kind.TEAM: 841, Kind.SYSTEM: 716, Kind.INITIATIVE: 4077}
    assert warnings(report)["commercial AI use without a Y/N answer, skipped"] == 16
    treasury = "ai-inventory:agency:department-of-treasury"  # "of the Treasury" and "of Treasury" meet
    assert store.get(treasury).name == "Department of the Treasury"
    copilot = store.get("ai-inventory:cots:department-of-treasury/generating-code-using-ai")
    assert copilot.properties["stage"] == "production" and accountable(store, copilot.id) == {treasury}


# -- the mapping rules, on a fixture ---------------------------------------------------------
@pytest.fixture
def fixture(store: SQLiteStore):
    return import_paths([FIXTURES / "use_cases.csv"], store)


def stage(store: SQLiteStore, number: str) -> tuple[str | None, str | None]:
    props = store.get(f"{UC}xa/xa-{number}").properties
    return props.get("stage"), props.get("stage_since")


def test_development_stages_map_onto_aimap_stages(store: SQLiteStore, fixture) -> None:
    assert [stage(store, f"{n:03d}") for n in range(1, 12)] == [
        ("idea", None),                    # Pre-deployment: a date then is a plan, not a stage date
        ("idea", None),                    # the long "a) Pre-deployment – …" form
        ("pilot", "2025-07-01"),           # "b)  Pilot – …", dated Jul-25
        ("production", "2024-10-01"),      # "c)  Deployed ñ …" (mis-encoded dash)
        ("pilot", "2025-03-01"),           # Initiated
        ("production", "2023-10-01"),      # Operation and Maintenance
        ("idea", None),                    # Acquisition and/or Development
        ("retired", None),                 # the operational date is not when it retired
        ("unknown", None),                 # no stage: unknown, never idea
        ("unknown", None),                 # a stage nobody defined
        ("production", None),              # a year alone is too vague for stage_since
    ]
    assert warnings(fixture)["use case without a known development stage, read as unknown"] == 2
    assert warnings(fixture)["stage date without a month, stage_since left unknown"] == 1


def test_the_bureau_is_accountable_and_part_of_its_agency(store: SQLiteStore, fixture) -> None:
    assert accountable(store, UC + "xa/xa-001") == {TESTING}
    assert targets(store, TESTING, Rel.PART_OF) == {XA}
    assert store.get(TESTING).properties["type"] == "department"
    assert store.get(XA).properties == {"name": "Example Agency", "type": "business_unit",
                                        "aliases": ["ai-inventory:agency:xa"]}
    assert accountable(store, UC + "xa/xa-014") == {XA}  # the bureau named is the agency itself
    assert accountable(store, UC + "xa/xa-015") == {XA}  # no bureau


def test_objective_and_description_come_from_purpose_and_benefits(store: SQLiteStore, fixture) -> None:
    props = store.get(UC + "xa/xa-001").properties
    assert (props["objective"], props["description"]) == ("Backlogs of claims", "Faster claims")


def test_systems_are_dependencies_and_vendors_are_responsible(store: SQLiteStore, fixture) -> None:
    assert targets(store, UC + "xa/xa-012", Rel.DEPENDS_ON) == {CPS}
    assert targets(store, UC + "xa/xa-016", Rel.DEPENDS_ON) == {CPS}  # another spacing, the same system
    assert store.get(CPS).name == "Claims Processing System (CPS)"
    vendors = {(r.source_id, r.properties["role"]) for r in store.relationships(UC + "xa/xa-012", Rel.OWNS, "in")}
    assert vendors == {(TESTING, "accountable"), ("ai-inventory:vendor:microsoft", "responsible"),
                       ("ai-inventory:vendor:openai", "responsible"), ("ai-inventory:vendor:servicenow", "responsible")}
    assert store.get("ai-inventory:vendor:servicenow").properties["type"] == "vendor"
    placeholders = store.relationships(UC + "xa/xa-013")
    assert {(r.type, r.source_id) for r in placeholders} == {(Rel.OWNS, TESTING)}  # in-house, redacted: nothing


def test_repeated_and_reused_ids(store: SQLiteStore, fixture) -> None:
    initiatives = [n.id for n in store.list_nodes(Kind.INITIATIVE, limit=100)]
    assert initiatives.count(UC + "xa/xa-017") == 1
    # an id two different rows use: both told apart by their own bureau and name, neither "first"
    reused = sorted(i for i in initiatives if i.startswith(UC + "xa/xa-018"))
    assert reused == sorted(UC + "xa/xa-018~" + short_hash(bureau, name)[:8] for bureau, name in (
        ("office of testing", "first of a reused id"), ("office of audits", "second of a reused id")))
    # no id: keyed by agency and name; a name two rows share is told apart the same way
    unnumbered = sorted(i for i in initiatives if i.startswith(UC + "xa/named-unnumbered-use-case"))
    assert len(unnumbered) == 2 and all("~" in i for i in unnumbered)
    assert warnings(fixture)["use-case id or name shared by different rows, told apart by content"] == 4
    assert warnings(fixture)["repeated use-case row, read once"] == 1
    assert {UC + "xb/7", UC + "xc/7"} <= set(initiatives)  # the same number in two agencies


def test_ids_do_not_depend_on_row_order(store: SQLiteStore, fixture, tmp_path: Path) -> None:
    lines = (FIXTURES / "use_cases.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    rows, row = [], ""
    for line in lines[1:]:  # one record may span lines (a quoted cell with a line break)
        row += line
        if row.count('"') % 2 == 0:
            rows.append(row)
            row = ""
    reversed_file = tmp_path / "use_cases.csv"
    reversed_file.write_text(lines[0] + "".join(reversed(rows)), encoding="utf-8")
    other = SQLiteStore(tmp_path / "reversed.db")
    import_paths([reversed_file], other)
    assert [n.id for n in other.list_nodes(limit=500)] == [n.id for n in store.list_nodes(limit=500)]
    assert {r.identity for r in other.iter_relationships()} == {r.identity for r in store.iter_relationships()}


def test_ids_are_deterministic(store: SQLiteStore, fixture, tmp_path: Path) -> None:
    other = SQLiteStore(tmp_path / "again.db")
    import_paths([FIXTURES / "use_cases.csv"], other)
    assert [n.id for n in other.list_nodes(limit=500)] == [n.id for n in store.list_nodes(limit=500)]
    again = import_paths([FIXTURES / "use_cases.csv"], store)
    assert all(c.created == 0 and c.updated == 0 for c in again.nodes.values())


def test_commercial_products(store: SQLiteStore) -> None:
    report = import_paths([FIXTURES / "cots.csv"], store)

    code = store.get("ai-inventory:cots:example-agency/generating-code-using-ai")
    assert code.properties == {"name": "Generating code using AI.", "stage": "production",
                               "stage_history": [f"{dt.date.today().isoformat()} production"],
                               "description": "Commercial AI use reported by Example Agency; estimated licences/users: 101-1000"}
    assert targets(store, code.id, Rel.DEPENDS_ON) == {"ai-inventory:product:github-copilot", "ai-inventory:product:chatgpt"}
    assert store.get("ai-inventory:product:github-copilot").properties["category"] == "commercial AI product"
    other = "ai-inventory:cots:other-example-agency/generating-code-using-ai"
    assert targets(store, other, Rel.DEPENDS_ON) == {"ai-inventory:product:github-copilot"}
    assert accountable(store, other) == {"ai-inventory:agency:other-example-agency"}
    assert store.get("ai-inventory:cots:example-agency/planning-travel-routes-using-ai-driven-map-applications") is None
    summaries = "ai-inventory:cots:example-agency/summarizing-the-key-points-of-a-lengthy-report-using-ai"
    assert store.relationships(summaries, Rel.DEPENDS_ON) == []  # "Various" names no product
    assert warnings(report) == {"commercial AI use without a Y/N answer, skipped": 1}


def test_both_files_meet_on_the_agency(store: SQLiteStore) -> None:
    import_paths([FIXTURES / "use_cases.csv", FIXTURES / "cots.csv"], store)
    # "The Other Example Agency" and "United States Other Example Agency" are one Team
    assert accountable(store, UC + "xb/7") == {"ai-inventory:bureau:xb/regional-office"}
    assert targets(store, "ai-inventory:bureau:xb/regional-office", Rel.PART_OF) == {
        "ai-inventory:agency:other-example-agency"}
    assert len([n for n in store.list_nodes(Kind.TEAM, limit=100) if n.properties["type"] == "business_unit"]) == 3


# -- helpers ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("2024-10-01 00:00:00", dt.date(2024, 10, 1)), ("10/1/2023", dt.date(2023, 10, 1)),
    ("01/01/2026 00:00:00", dt.date(2026, 1, 1)), ("6/30/2025 12:00:00 AM", dt.date(2025, 6, 30)),
    ("1/15/2025 9:30", dt.date(2025, 1, 15)), ("01/2024", dt.date(2024, 1, 1)), ("Jul-25", dt.date(2025, 7, 1)),
    ("Sept 2024", dt.date(2024, 9, 1)), ("2025", None), ("13/2024", None), ("2024-02-30", None), ("soon", None),
    ("", None),
])
def test_parse_date(text: str, expected) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Pre-deployment", "idea"), ("pilot", "pilot"), ("Deployed", "production"), ("retired", "retired"),
    ("a) a) Pre-deployment \u2013 The use case is in a development or acquisition status.", "idea"),
    ("b)  b)  Pilot \u2013 The use case has been deployed in a limited test or pilot capacity.", "pilot"),
    ("deployed - the use case is being actively authorized", "production"),
    ("d) Retired \u00f1 The use case was reported in the agency\u00eds prior year\u00eds inventory", "retired"),
    ("Initiated", "pilot"), ("Operation and Maintenance", "production"), ("Acquisition and/or Development", "idea"),
    ("Someday", None), ("", None),
])
def test_stage_of(text: str, expected) -> None:
    result = stage_of(text)
    assert (result.value if result else None) == expected


@pytest.mark.parametrize("text, expected, dropped", [
    ("Microsoft, OpenAI", ["Microsoft", "OpenAI"], []),
    ("ServiceNow, Inc. / Tenable", ["ServiceNow, Inc.", "Tenable"], []),
    ("Lexical Intelligence, LLC", ["Lexical Intelligence, LLC"], []),
    ("CrowdStrike, Zscaler, and Cisco", ["CrowdStrike", "Zscaler", "Cisco"], []),
    ("NEC (Nippon Electric Company)", ["NEC (Nippon Electric Company)"], []),
    ("Cameras (Logitech, Axis); Apple", ["Cameras (Logitech, Axis)", "Apple"], []),
    # issue 15: lead-ins, legal forms with brackets, URLs, contract numbers and dates are never vendors
    ("These tools include, for example, Cellebrite, Magnet Axiom and Griffeye", ["Cellebrite", "Magnet Axiom", "Griffeye"],
     ["These tools include", "for example"]),
    ("Salesforce, Inc. (Tableau)", ["Salesforce, Inc. (Tableau)"], []),
    ("Personnel Decisions Research Institutes, LLC (PDRI)", ["Personnel Decisions Research Institutes, LLC (PDRI)"], []),
    ("LLC (PDRI)", [], ["LLC (PDRI)"]),
    ("1899-12-31 11:59:00", [], ["1899-12-31 11:59:00"]),
    ("https://www.harvey.ai/ ,\thttps://openai.com/", [], ["https://www.harvey.ai/", "https://openai.com/"]),
    ("1605TA-21-F-00064", [], ["1605TA-21-F-00064"]),
    ("AWS PIID: NNG15SD22B\nSynergy PIID: 1605DC19A0004", ["AWS", "Synergy"], ["NNG15SD22B", "1605DC19A0004"]),
    ("Amazon Q https://aws.amazon.com/connect/q/, Microsoft", ["Amazon Q", "Microsoft"], ["https://aws.amazon.com/connect/q/"]),
    ("Internal Chatbot RASA", ["Internal Chatbot RASA"], []),  # a real name that starts with "internal"
    ("Internally developed by agency staff", [], ["Internally developed by agency staff"]),
    ("Dun and Bradstreet Holdings Inc.", ["Dun and Bradstreet Holdings Inc."], []),
    ("In-house development", [], ["In-house development"]), ("Not available", [], ["Not available"]),
    ("N/A", [], ["N/A"]), ("TBD", [], ["TBD"]),
    ("Law Enforcement Sensitive (LES)", [], ["Law Enforcement Sensitive (LES)"]),
    ("Redacted for cybersecurity purposes.", [], ["Redacted for cybersecurity purposes"]), ("", [], []),
])
def test_split_vendors(text: str, expected: list[str], dropped: list[str]) -> None:
    assert split_vendors(text) == (expected, dropped)


@pytest.mark.parametrize("text, expected", [
    ("CAIO, FAA, OST-R, Volpe, OCIO", ["CAIO", "FAA", "OST-R", "Volpe", "OCIO"]),
    ("Division of Enforcement (ENF), Division of Examinations (EXAMS)",
     ["Division of Enforcement (ENF)", "Division of Examinations (EXAMS)"]),
    ("Research, Education and Economics; Farm Production and Conservation",
     ["Research, Education and Economics", "Farm Production and Conservation"]),
    ("Office of Career, Technical, and Adult Education", ["Office of Career, Technical, and Adult Education"]),
    ("Food, Nutrition, and Consumer Services", ["Food, Nutrition, and Consumer Services"]),
    ("NREL Stratus AWS Compute Environment, NREL Azure System, and NREL Google Cloud Platform",
     ["NREL Stratus AWS Compute Environment", "NREL Azure System", "NREL Google Cloud Platform"]),
    ("NREL Stratus AWS Compute Environment and NREL Azure System",
     ["NREL Stratus AWS Compute Environment", "NREL Azure System"]),
    ("EDAV (Enterprise Data, Analytics, and Visualization Platform)",
     ["EDAV (Enterprise Data, Analytics, and Visualization Platform)"]),
    ("BLS Internal\nSystem", ["BLS Internal System"]), ("Azure Open AI and AWS", ["Azure Open AI and AWS"]), ("", []),
])
def test_split_names(text: str, expected: list[str]) -> None:
    assert split_names(text) == expected


def test_split_names_loose_takes_single_product_names() -> None:
    assert split_names("NVivo, Qualtrics, Ask Sage (decommissioned)", loose=True) == [
        "NVivo", "Qualtrics", "Ask Sage (decommissioned)"]
    assert split_names("NVivo, Qualtrics, Ask Sage (decommissioned)") == ["NVivo, Qualtrics, Ask Sage (decommissioned)"]


@pytest.mark.parametrize("name, key", [
    ("Department of the Treasury", "department-of-treasury"), ("Department of Treasury", "department-of-treasury"),
    ("United States Office of Special Counsel", "office-of-special-counsel"),
    ("Office of Special Counsel", "office-of-special-counsel"), ("Export-Import Bank of the U.S.", "export-import-bank-of-u-s"),
])
def test_agency_key(name: str, key: str) -> None:
    assert agency_key(name) == key


def test_detection_by_header(tmp_path: Path) -> None:
    reader = AiInventoryReader()
    assert reader.detect(FIXTURES / "use_cases.csv", "")
    assert reader.detect(FIXTURES / "cots.csv", "")
    dictionary = write(tmp_path, "data_dictionary.json", '{"id": {"excel_header": "x"}, "development_stage": {}}')
    assert reader.detect(dictionary, "")
    assert not reader.detect(write(tmp_path, "x.csv", "id,name,agency\n"), "")
    assert not reader.detect(write(tmp_path, "teams.csv", "id,name,type\nt,T,team\n"), "")
    assert not reader.detect(write(tmp_path, "x.json", '{"teams": []}'), "")
    assert not reader.detect(write(tmp_path, "x.txt", (FIXTURES / "use_cases.csv").read_text()), "")
    assert not reader.detect(tmp_path / "missing.csv", "")


# -- hostile and broken input ---------------------------------------------------------------
HEADER = "agency,agency_name,id,use_case_name,agency_bureau,development_stage\n"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)"])
def test_formula_injection_in_names_is_kept_as_text(store: SQLiteStore, tmp_path: Path, name: str) -> None:
    path = tmp_path / "inventory.csv"
    path.write_text(HEADER + 'XA,Example Agency,XA-1,"' + name.replace('"', '""') + '",Office,Pilot\n', encoding="utf-8")
    import_paths([path], store)
    assert store.get(UC + "xa/xa-1").name == name


def test_a_cp1252_file_is_read_as_windows_1252(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_bytes((HEADER + "XA,Example Agency,XA-1,Caf\u00e9 chatbot \u2013 pilot,Office,Pilot\n").encode("cp1252"))
    report = import_paths([path], store)
    assert store.get(UC + "xa/xa-1").name == "Caf\u00e9 chatbot \u2013 pilot"
    assert report.details == {str(path): "2025 consolidated inventory; Windows-1252; 1 rows: 1 use cases"}


def test_binary_garbage_is_refused(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    path = tmp_path / "inventory.csv"
    path.write_bytes(HEADER.encode() + b"\x00\x9f\x92\x96" * 100)
    with pytest.raises(ImportFailed, match=re.escape(f"{path}: this is a binary file, not text")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_a_file_over_the_size_limit_is_refused(store: SQLiteStore, monkeypatch, seeded: Counts) -> None:
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", "1")
    with pytest.raises(ImportFailed, match=re.escape(f"{INDIVIDUAL}: the file is 3 MB, over the 1 MB limit")):
        import_paths([INDIVIDUAL], store)
    assert store.counts() == seeded


@pytest.mark.parametrize("row, message", [
    (",,XA-1,A name,Office,Pilot", ":2: agency: a use case needs an agency"),
    ("XA,Example Agency,,,Office,Pilot", ":2: use_case_name: a use case needs a name or an id"),
    ("XA,Example Agency,XA-1,A name,Office,Pilot,surplus", ":2: more cells than the header has columns"),
])
def test_broken_rows_are_refused_with_their_line(store: SQLiteStore, tmp_path: Path, seeded: Counts, row: str,
                                                  message: str) -> None:
    path = tmp_path / "inventory.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=re.escape(f"{path}{message}")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_multi_line_cells_keep_the_line_a_row_starts_on(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_text(HEADER + 'XA,Example Agency,XA-1,"A name\nover\nthree lines",Office,Pilot\n'
                    "XA,Example Agency,XA-2,Second,Office,Sometime\n", encoding="utf-8")
    report = import_paths([path], store)
    [stage_warning] = report.problems
    assert stage_warning.sample == [f"{path}:5: development_stage: development stage 'Sometime' is not one the "
                                    "inventory defines; read as unknown"]
