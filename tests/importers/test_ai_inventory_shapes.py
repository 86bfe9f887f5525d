"""Issue 15: the AI use-case inventory in every shape it is published (small
fixtures of each, and the agencies' own files when ../shared is present),
every row accounted for, and a stage history across the 2024 and 2025
inventories that ``aimap analyze`` and the pipeline read."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from api.cli.main import run
from graph.analyses import AnalysisConfig, run_analysis
from graph.analyses.pipeline import build_pipeline
from graph.schema import Kind, Rel, Stage
from graph.store.sqlite_store import SQLiteStore
from importers.formats.ai_inventory import AiInventoryReader
from importers.loader import ImportOptions, import_paths
from importer_checks import sample, write

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ai-inventory"
UC = "ai-inventory:use-case:xa/"
Y2024 = dt.datetime(2024, 12, 31, tzinfo=dt.timezone.utc)
Y2025 = dt.datetime(2025, 12, 31, tzinfo=dt.timezone.utc)



def agency_file(name: str) -> Path:
    """A file of the agencies' inventories: skipped with the reason when a
    user cloned only the repository, a failure in CI (``importer_checks.sample``)."""
    return sample("ai-use-case-inventory-agencies", name)


def rows_accounted(detail: str) -> tuple[int, int]:
    """(rows the detail line says the table has, the sum of its outcomes)."""
    match = re.search(r"(\d+) rows: (.*?)(?:;|$)", detail)
    assert match, detail
    return int(match[1]), sum(int(n) for n in re.findall(r"(\d+) [a-z]", match[2]))


def data_rows(path: Path, header_row: int) -> int:
    """Non-blank rows below the header, counted independently of the importer."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))[header_row + 1:]
    return len(rows)


# -- each shape, on a fixture ----------------------------------------------------------

@pytest.mark.parametrize("name, shape, encoding, rows", [
    ("use_cases.csv", "2025 consolidated inventory", "UTF-8", 24),
    ("2024_consolidated.csv", "2024 consolidated inventory", "Windows-1252", 11),
    ("2023_consolidated.csv", "2023 consolidated inventory", "UTF-8", 3),
    ("2025_agency_template.csv", "2025 agency template", "Windows-1252", 6),
])
def test_each_csv_shape_is_detected_named_and_every_row_accounted(store: SQLiteStore, name, shape, encoding, rows):
    path = FIXTURES / name
    assert AiInventoryReader().detect(path, "")
    report = import_paths([path], store)
    assert report.files == {str(path): "ai-inventory"}
    detail = report.details[str(path)]
    assert detail.startswith(f"{shape}; {encoding}")
    assert rows_accounted(detail) == (rows, rows)


def test_the_template_as_an_excel_workbook(store: SQLiteStore):
    path = FIXTURES / "2025_agency_template.xlsx"
    report = import_paths([path], store)
    assert report.files == {str(path): "ai-inventory"}  # not the Excel register
    detail = report.details[f"{path} [All Use Cases]"]
    assert detail.startswith("2025 agency template; Excel; sheet 'All Use Cases'; header on row 2 under 1 banner row(s)")
    assert rows_accounted(detail) == (5, 5)
    assert report.details[f"{path} [Selections]"] == "no use-case table; sheet passed over"
    csv_store = SQLiteStore(store.path.with_name("csv.db"))
    import_paths([FIXTURES / "2025_agency_template.csv"], csv_store)
    assert ({n.id: n.properties for n in store.iter_nodes()} == {n.id: n.properties for n in csv_store.iter_nodes()})


def test_the_template_fields_are_kept(store: SQLiteStore):
    report = import_paths([FIXTURES / "2025_agency_template.csv"], store)
    triage = store.get(UC + "xa-1").properties
    assert triage["stage"] == "pilot" and triage["contact"] == "caio@example.gov"
    assert triage["high_impact"] is False and triage["objective"] == "Backlogs"
    assert store.get(UC + "xa-2").properties["high_impact"] is False  # presumed high-impact, judged not
    fraud = store.get(UC + "xa-3").properties
    assert fraud["high_impact"] is True and fraud["stage"] == "retired"
    new = store.get(UC + "xa-5").properties
    assert new["stage"] == "unknown" and new["high_impact"] is True  # a blank stage is unknown, never idea
    groups = {g.message: g for g in report.problems}
    assert "1 columns aimap does not read: 'Agency notes" in groups["inventory columns not read"].sample[0]


def test_list_cells_become_one_entity_each(store: SQLiteStore):
    import_paths([FIXTURES / "2025_agency_template.csv"], store)
    owners = {r.from_id for r in store.relationships(UC + "xa-5", Rel.OWNS, "in")}
    assert owners == {"ai-inventory:bureau:xa/caio", "ai-inventory:bureau:xa/ocio"}
    systems = {r.to_id for r in store.relationships(UC + "xa-5", Rel.DEPENDS_ON, "out")}
    assert systems == {"ai-inventory:system:xa/nrel-stratus-system", "ai-inventory:system:xa/nrel-azure-system"}
    assert {r.to_id for r in store.relationships(UC + "xa-2", Rel.DEPENDS_ON, "out")} == {
        "ai-inventory:system:xa/case-system", "ai-inventory:system:xa/document-store"}


def test_vendor_cells_never_invent_vendors(store: SQLiteStore):
    report = import_paths([FIXTURES / "2025_agency_template.csv"], store)
    vendors = {n.name for n in store.iter_nodes(Kind.TEAM) if n.properties["type"] == "vendor"}
    assert vendors == {"Acme Analytics", "Widget Works", "Gizmo Labs", "Salesforce, Inc. (Tableau)",
                       "Internal Chatbot RASA"}
    dropped = next(g for g in report.problems if g.message.startswith("vendor text"))
    assert dropped.count == 5 and not dropped.fatal


def test_the_2024_shape(store: SQLiteStore):
    report = import_paths([FIXTURES / "2024_consolidated.csv"], store)
    triage = store.get(UC + "named-claims-triage").properties
    assert triage["stage"] == "pilot" and triage["stage_since"] == "2023-10-01"  # Implementation and Assessment
    assert store.get(UC + "named-fraud-detection").properties["high_impact"] is True  # rights-impacting
    assert store.get("ai-inventory:use-case:xb/named-safety-model").properties["high_impact"] is True
    assistant = store.get(UC + "named-the-agencys-assistant")
    assert assistant.name == "The agency\u2019s assistant"  # Windows-1252 read as such
    assert "high_impact" not in assistant.properties  # "too new to assess": unknown
    assert store.get(UC + "named-no-stage-given").properties["stage"] == "unknown"
    # two different "Chatbot" rows: told apart by bureau, and said not to link by name
    chatbots = [n.id for n in store.iter_nodes(Kind.INITIATIVE) if "named-chatbot" in n.id]
    assert len(chatbots) == 2 and all("~" in i for i in chatbots)
    shared = next(g for g in report.problems if g.message.startswith("use-case id or name shared"))
    assert shared.count == 2 and "is not linked to other years" in shared.sample[0]


def test_the_2023_shape(store: SQLiteStore):
    import_paths([FIXTURES / "2023_consolidated.csv"], store)
    triage = store.get(UC + "xa-1")
    assert triage.name == "Claims triage" and triage.properties["stage"] == "pilot"  # Initiation
    assert triage.properties["objective"] == "Sort claims by urgency"
    assert {r.from_id for r in store.relationships(triage.id, Rel.OWNS, "in")} == {
        "ai-inventory:bureau:xa/office-of-testing"}
    assert store.get(UC + "xa-9").properties["stage"] == "idea"


@pytest.mark.parametrize("name", ["2024_consolidated.csv", "2025_agency_template.csv"])
def test_reversed_rows_give_the_same_graph(store: SQLiteStore, tmp_path: Path, name: str):
    path = FIXTURES / name
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "cp1252"
    rows = list(csv.reader(io.StringIO(raw.decode(encoding), newline="")))
    header_rows = 2 if name.startswith("2025") else 1
    body = [r for r in rows[header_rows:] if any(c.strip() for c in r)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows[:header_rows] + body[::-1])
    reversed_path = tmp_path / name
    reversed_path.write_bytes(buffer.getvalue().encode("cp1252"))
    import_paths([path], store)
    other = SQLiteStore(tmp_path / "reversed.db")
    import_paths([reversed_path], other)
    assert {n.id: n.properties for n in other.iter_nodes()} == {n.id: n.properties for n in store.iter_nodes()}
    assert {r.identity for r in other.iter_relationships()} == {r.identity for r in store.iter_relationships()}


def test_a_table_without_a_known_shape_is_an_error_naming_the_file(store: SQLiteStore, tmp_path: Path):
    path = write(tmp_path, "inventory.csv", "Project,Owner\nA,B\n")
    with pytest.raises(Exception, match=re.escape(f"{path}: no use-case table found")):
        import_paths([path], store, ImportOptions(format="ai-inventory"))


def test_a_template_without_any_agency_clue_is_refused_row_by_row(store: SQLiteStore, tmp_path: Path):
    text = (FIXTURES / "2025_agency_template.csv").read_bytes().decode("cp1252")
    text = re.sub(r"XA-(\d)", r"\1", text)  # ids without a prefix, e-mails at example.gov, a neutral file name
    path = tmp_path / "inventory.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=r"inventory.csv:6: agency: the agency of this use case is unknown"):
        import_paths([path], store)
    assert store.counts().total_nodes == 0


# -- two years: a stage history ------------------------------------------------------------

@pytest.fixture
def two_years(store: SQLiteStore):
    import_paths([FIXTURES / "2024_consolidated.csv"], store, ImportOptions(now=Y2024))
    report = import_paths([FIXTURES / "2025_agency_template.csv"], store, ImportOptions(now=Y2025))
    return store, report


def test_use_cases_are_linked_across_years_by_agency_and_name(two_years):
    store, _ = two_years
    triage = store.get(UC + "named-claims-triage")  # 2024 "Claims Triage", 2025 XA-1 "Claims triage."
    assert triage.properties["stage_history"] == ["2024-12-31 pilot", "2025-12-31 pilot"]
    assert UC + "xa-1" in triage.properties["aliases"]
    assert store.get(UC + "xa-1") is None  # one initiative, not two
    summariser = store.get(UC + "named-document-summariser").properties
    assert summariser["stage_history"] == ["2024-12-31 pilot", "2025-12-31 production"]
    assert summariser["stage"] == "production" and summariser["stage_since"] == "2025-03-01"
    # retired in 2025 without a date: since when the history first saw it retired, not 2024's production date
    assert store.get(UC + "named-fraud-detection").properties["stage_since"] == "2025-12-31"
    assert store.get(UC + "named-fraud-detection").properties["stage_history"] == [
        "2024-12-31 production", "2025-12-31 retired"]


def test_an_ambiguous_name_is_not_guessed(two_years):
    store, _ = two_years
    chatbot = store.get(UC + "xa-4")  # 2024 had two "Chatbot" use cases: neither is this one
    assert chatbot.properties["stage_history"] == ["2025-12-31 pilot"]
    assert all(n.properties["stage_history"] == ["2024-12-31 pilot"]
               for n in store.iter_nodes(Kind.INITIATIVE) if "named-chatbot~" in n.id)


def test_importing_the_same_year_again_changes_nothing(two_years):
    store, _ = two_years
    again = import_paths([FIXTURES / "2025_agency_template.csv"], store, ImportOptions(now=Y2025))
    assert again.nodes["Initiative"].created == 0 and again.nodes["Initiative"].updated == 0


def test_the_years_link_in_either_order(tmp_path: Path):
    store = SQLiteStore(tmp_path / "backwards.db")
    import_paths([FIXTURES / "2025_agency_template.csv"], store, ImportOptions(now=Y2025))
    import_paths([FIXTURES / "2024_consolidated.csv"], store, ImportOptions(now=Y2024))
    triage = store.get(UC + "xa-1")
    assert triage.properties["stage_history"] == ["2024-12-31 pilot", "2025-12-31 pilot"]
    assert triage.properties["stage"] == "pilot"


def test_analysis_flags_the_2024_pilot_still_a_pilot_in_2025(two_years):
    store, _ = two_years
    result = run_analysis(store.to_networkx(), AnalysisConfig(as_of=dt.date(2026, 1, 15)), rules=["pilot-purgatory"])
    messages = {f.subject: f.message for f in result.findings}
    # 2024 dated the pilot (Date Initiated); 2025 gives no date, and it is still the same pilot
    assert "has been a pilot for 837 days (since 2023-10-01)" in messages[UC + "named-claims-triage"]
    assert UC + "named-document-summariser" not in messages  # deployed in 2025


def test_the_pipeline_shows_the_year_over_year_movement(two_years):
    store, _ = two_years
    moves = {(m.from_stage, m.to_stage): m.initiatives for m in build_pipeline(store.to_networkx()).total.movements}
    assert moves == {(Stage.PILOT, Stage.PILOT): 1, (Stage.PILOT, Stage.PRODUCTION): 1,
                     (Stage.PRODUCTION, Stage.RETIRED): 1}


def test_aimap_analyze_on_two_years_from_the_command_line(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    assert run(["import", str(FIXTURES / "2024_consolidated.csv"), "--seen-at", "2024-12-31"]) == 0
    assert run(["import", str(FIXTURES / "2025_agency_template.csv"), "--seen-at", "2025-12-31"]) == 0
    capsys.readouterr()
    assert run(["analyze", "--rule", "pilot-purgatory", "--as-of", "2026-01-15", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    stuck = next(f for f in out["findings"] if f["subject"] == UC + "named-claims-triage")
    assert "has been a pilot for 837 days (since 2023-10-01)" in stuck["message"]
    assert any("unknown stage not judged" in note for note in out["notes"])


# -- the agencies' own files ----------------------------------------------------------------

AGENCY_SHAPES = [
    ("2024_consolidated_ai_inventory_raw_v2.csv", "2024 consolidated inventory; Windows-1252", None, 0),
    ("2025-sec-individual-ai-use-cases.csv", "2025 agency template; Windows-1252", "SEC", 1),
    ("2025doigovfinalindividual2025aiusecaseinventory.csv", "2025 agency template; Windows-1252", "DOI", 1),
    ("Tab-1-2025-AI-Use-Case-Inventory-Reporting-DOS.csv", "2025 agency template; Windows-1252", "STATE", 1),
    ("Treasury-AI-Use-Case-Inventory.csv", "2025 agency template; UTF-8", "TREAS", 1),
    ("fdic-2025-individual-ai-use-case-inventory-csv-version.csv", "2025 agency template; Windows-1252", "FDIC", 1),
    ("hhs-ai-use-case-inventory-fy25.csv", "2025 agency template; Windows-1252", "HHS", 0),
]


@pytest.mark.parametrize("name, shape, agency, header_row", AGENCY_SHAPES)
def test_each_agency_csv_imports_with_its_shape_and_no_row_lost(store: SQLiteStore, name, shape, agency, header_row):
    path = agency_file(name)
    report = import_paths([path], store)
    assert not [g for g in report.problems if g.fatal]
    detail = report.details[str(path)]
    assert detail.startswith(shape)
    if agency:
        assert f"agency {agency} " in detail
    total, accounted = rows_accounted(detail)
    assert total == accounted == data_rows(path, header_row)


@pytest.mark.parametrize("name, agency, rows", [
    ("DOE 2025 AI Use Case Inventory_PublicReporting.xlsx", "DOE", 340),
    ("VA-AI-Use-Case-Inventory-2025-Web.xlsx", "VA", 369),
    ("grid-6036111-data.xlsx", "NASA", 425),
])
def test_each_agency_workbook_imports_with_its_shape_and_no_row_lost(store: SQLiteStore, name, agency, rows):
    path = agency_file(name)
    report = import_paths([path], store)
    [detail] = [d for d in report.details.values() if d.startswith("2025 agency template; Excel")]
    assert f"agency {agency} " in detail
    total, accounted = rows_accounted(detail)
    assert total == accounted and accounted >= rows


def test_the_va_workbook_with_renamed_columns_keeps_its_fields(store: SQLiteStore):
    import_paths([agency_file("VA-AI-Use-Case-Inventory-2025-Web.xlsx")], store)
    initiatives = list(store.iter_nodes(Kind.INITIATIVE))
    assert sum(n.properties["stage"] != "unknown" for n in initiatives) > 300  # "Development Stage"
    assert sum(n.properties.get("high_impact") is True for n in initiatives) > 0  # "High-Impact Status"
    assert all(any(r.properties.get("role") == "accountable" for r in store.relationships(n.id, Rel.OWNS, "in"))
               for n in initiatives)  # "VA Admin or Staff Office"


def test_the_2024_and_2025_inventories_link_across_years(tmp_path: Path):
    store = SQLiteStore(tmp_path / "years.db")
    import_paths([agency_file("2024_consolidated_ai_inventory_raw_v2.csv")], store, ImportOptions(now=Y2024))
    import_paths([sample("ai-use-case-inventory", "2025_individually_reported_AI_use_cases.csv")], store,
                 ImportOptions(now=Y2025))
    histories = [n.properties.get("stage_history", []) for n in store.iter_nodes(Kind.INITIATIVE)]
    linked = [h for h in histories if {o[:4] for o in h} == {"2024", "2025"}]
    assert len(linked) > 500
    still = sum(h[0].endswith(" pilot") and h[-1].endswith(" pilot") for h in linked)
    assert still > 0


def test_an_encoding_can_be_named(store: SQLiteStore, tmp_path: Path, capsys, monkeypatch):
    """--encoding overrides detection: a Latin-9 file whose euro sign Windows-1252 would misread."""
    path = tmp_path / "inventory.csv"
    path.write_bytes("agency,agency_name,id,use_case_name,agency_bureau,development_stage\n"
                     "XA,Example Agency,XA-1,\u20ac budget bot,Office,Pilot\n".encode("iso8859_15"))
    report = import_paths([path], store, ImportOptions(encoding="iso8859_15"))
    assert store.get(UC + "xa-1").name == "\u20ac budget bot"
    assert report.details[str(path)].startswith("2025 consolidated inventory; iso8859_15 (as named)")
    monkeypatch.chdir(tmp_path)
    assert run(["import", str(path), "--encoding", "no-such-codec", "--dry-run"]) == 2
    assert "no-such-codec" in capsys.readouterr().err


def test_without_seen_at_an_inventory_is_observed_at_its_year_end(store: SQLiteStore):
    import_paths([FIXTURES / "2024_consolidated.csv"], store)
    import_paths([FIXTURES / "2025_agency_template.csv"], store)
    assert store.get(UC + "named-claims-triage").properties["stage_history"] == ["2024-12-31 pilot", "2025-12-31 pilot"]
    import_paths([FIXTURES / "2023_consolidated.csv"], store, ImportOptions(now=dt.datetime(2023, 6, 30)))
    assert store.get(UC + "named-claims-triage").properties["stage_history"][0] == "2023-06-30 pilot"  # --seen-at wins
