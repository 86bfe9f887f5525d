"""The Excel register: workbooks built here with openpyxl (no binary fixtures),
imported end to end into SQLite; hostile and broken workbooks refused with the
file and place named and the store untouched."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from graph.schema import Kind, Rel
from graph.store.base import Counts
from graph.store.sqlite_store import SQLiteStore
from importers.base import ImportFailed
from importers.formats.excel import ExcelRegisterReader, cell_text
from importers.loader import import_paths

REGISTER = {
    "teams": [["id", "name", "type", "part_of"],
              ["bu-ops", "Operations", "business_unit", None],
              ["team-maint", "Maintenance", "team", "bu-ops"]],
    "people": [["id", "name", "email", "member_of", "active"],
               ["p-ana", "Ana Silva", "ana@example.com", "team-maint", True]],
    "systems": [["id", "name", "category", "criticality", "lifecycle"],
                ["sys-cmms", "CMMS", "maintenance", "high", "active"],
                ["sys-old", "Old CMMS", "maintenance", None, "retired"]],
    "workflows": [["id", "name", "friction", "volume", "repetitive", "uses", "performed_by"],
                  ["wf-repair", "Repair", 4.0, 1200, True, "sys-cmms", "team-maint"]],
    "initiatives": [["id", "name", "stage", "stage_since", "owners", "supports", "integrates_with", "measured_by"],
                    ["ai-pm", "Predictive maintenance", "pilot", dt.datetime(2026, 1, 10), "team-maint",
                     "wf-repair", "sys-cmms", "m-downtime"]],
    "metrics": [["id", "name", "type", "unit", "baseline", "target"],
                ["m-downtime", "Unplanned downtime", "downtime", "hours/month", 42.5, 20]],
    "relationships": [["type", "from", "to", "role"],
                      ["OWNS", "p-ana", "ai-pm", "risk"],
                      ["depends_on", "ai-pm", "sys-cmms", None]],
}


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write a workbook with one sheet per entry, rows as given."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def text_cell(path: Path, sheet: str, cell: str, text: str) -> None:
    """Store ``text`` in a cell as a string, even when it starts with ``=``
    (openpyxl would otherwise write it as a formula)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    book[sheet][cell].value = text
    book[sheet][cell].data_type = "s"
    book.save(path)



def seeded(store: SQLiteStore, tmp_path: Path) -> Counts:
    """Put something in the store first, so "unchanged" means something."""
    import_paths([workbook(tmp_path / "seed.xlsx", {"teams": [["id", "name"], ["seed", "Seed team"]]})], store)
    return store.counts()


def test_a_full_register_workbook_imports_every_kind_and_relationship(store: SQLiteStore, tmp_path: Path) -> None:
    report = import_paths([workbook(tmp_path / "register.xlsx", REGISTER)], store)

    assert report.files == {str(tmp_path / "register.xlsx"): "excel"}
    counts = store.counts()
    assert counts.nodes == {Kind.TEAM: 2, Kind.PERSON: 1, Kind.SYSTEM: 2, Kind.WORKFLOW: 1,
                            Kind.INITIATIVE: 1, Kind.METRIC: 1}
    assert counts.relationships[Rel.OWNS] == 2
    assert counts.relationships[Rel.PART_OF] == 1
    assert counts.relationships[Rel.DEPENDS_ON] == 1
    assert not report.problems


def test_cells_are_converted_like_csv_text(store: SQLiteStore, tmp_path: Path) -> None:
    import_paths([workbook(tmp_path / "register.xlsx", REGISTER)], store)

    initiative = store.get("ai-pm")
    assert initiative.properties["stage_since"] == "2026-01-10"  # a datetime cell at midnight is a date
    workflow = store.get("wf-repair").properties
    assert workflow["friction"] == 4 and workflow["volume"] == 1200 and workflow["repetitive"] is True
    metric = store.get("m-downtime").properties
    assert metric["baseline"] == 42.5 and metric["target"] == 20
    owners = {(r.source_id, r.properties.get("role")) for r in store.relationships("ai-pm", Rel.OWNS, "in")}
    assert owners == {("team-maint", "accountable"), ("p-ana", "risk")}


@pytest.mark.parametrize("value, text", [
    (None, None), (3.0, "3"), (2.5, "2.5"), (7, "7"), (True, "true"), (False, "false"),
    (dt.datetime(2024, 5, 1), "2024-05-01"), (dt.datetime(2024, 5, 1, 13, 30), "2024-05-01T13:30:00"),
    (dt.date(2024, 5, 1), "2024-05-01"), ("=SUM(A1)", "=SUM(A1)"),
])
def test_cell_text(value, text) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0",
                                  "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"])
def test_formula_injection_text_is_kept_as_text(store: SQLiteStore, tmp_path: Path, name: str) -> None:
    path = workbook(tmp_path / "register.xlsx", {"systems": [["id", "name"], ["sys-x", "placeholder"]]})
    text_cell(path, "systems", "B2", name)

    import_paths([path], store)

    assert store.get("sys-x").properties["name"] == name


def test_a_formula_is_never_evaluated_its_saved_value_is_read(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx", {"systems": [["id", "name"], ["sys-x", '=CONCATENATE("ab","cd")']]})
    # openpyxl saves formulas without a value; give this one the value Excel would have saved
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, replaced = re.subn(r'<c r="B2"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?', r'<c r="B2" t="str"><f>\2</f><v>Saved value',
                              sheet)
    assert replaced == 1
    if "Saved value</v>" not in sheet:
        sheet = sheet.replace("Saved value", "Saved value</v>", 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    import_paths([path], store)

    assert store.get("sys-x").properties["name"] == "Saved value"


def test_a_formula_without_a_saved_value_is_an_empty_cell(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx", {"systems": [["id", "name"], ["sys-x", "=1+1"]]})
    before = seeded(store, tmp_path)

    with pytest.raises(ImportFailed) as failure:
        import_paths([path], store)

    assert f"{path}:2 [systems]: name: required field is missing" in str(failure.value)
    assert store.counts() == before


def test_errors_name_the_file_sheet_row_and_field(store: SQLiteStore, tmp_path: Path) -> None:
    sheets = {"initiatives": [["id", "name", "stage"], ["ai-a", "A", "pilot"], ["ai-b", "B", "pilott"]],
              "relationships": [["type", "from", "to"], ["OWNZ", "x", "y"]]}
    path = workbook(tmp_path / "bad.xlsx", sheets)
    before = seeded(store, tmp_path)

    with pytest.raises(ImportFailed) as failure:
        import_paths([path], store)

    message = str(failure.value)
    assert f"{path}:3 [initiatives]: stage: 'pilott' is not one of" in message
    assert f"{path}:2 [relationships]: type: unknown relationship type 'OWNZ'" in message
    assert store.counts() == before


def test_unknown_sheets_are_warned_and_skipped(store: SQLiteStore, tmp_path: Path) -> None:
    sheets = {"Read me": [["This workbook is the register"]], "teams": [["id", "name"], ["t1", "Team one"]]}
    report = import_paths([workbook(tmp_path / "register.xlsx", sheets)], store)

    assert store.get("t1").name == "Team one"
    [group] = report.problems
    assert not group.fatal and group.count == 1
    assert group.message == "sheet that is not a register table, skipped"
    assert "[Read me]" in group.sample[0]


def test_a_workbook_without_register_sheets_is_refused(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "other.xlsx", {"Budget": [["year", "amount"], [2026, 10]]})
    with pytest.raises(ImportFailed, match="no sheet of this workbook is a register table"):
        import_paths([path], store)


def test_excel_error_values_are_read_as_empty_with_a_warning(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx", {"systems": [["id", "name", "criticality"], ["sys-x", "X", "#N/A"]]})
    report = import_paths([path], store)

    assert "criticality" not in store.get("sys-x").properties
    assert [g.message for g in report.problems] == ["Excel error value read as empty"]
    assert f"{path}:2 [systems]: criticality" in report.problems[0].sample[0]


def test_a_repeated_header_is_refused(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx", {"teams": [["id", "name", "name"], ["t1", "A", "B"]]})
    with pytest.raises(ImportFailed, match=re.escape(f"{path}:1 [teams]: name: this column header appears twice")):
        import_paths([path], store)


def test_an_entity_sheet_without_an_id_column_is_refused(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx", {"teams": [["name"], ["A"]]})
    with pytest.raises(ImportFailed, match=r"\[teams\]: the header has no 'id' column"):
        import_paths([path], store)


def test_a_value_under_no_header_is_refused(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx", {"teams": [["id", "name"], ["t1", "A", "stray"]]})
    with pytest.raises(ImportFailed, match="a value in column 3, which has no header"):
        import_paths([path], store)


@pytest.mark.parametrize("content", [b"this is not a workbook at all", b"\x00\x01\x02\xff" * 100, b""])
def test_a_corrupt_xlsx_is_refused_cleanly(store: SQLiteStore, tmp_path: Path, content: bytes) -> None:
    before = seeded(store, tmp_path)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)

    with pytest.raises(ImportFailed) as failure:
        import_paths([path], store)

    assert f"{path}: not a valid Excel workbook" in str(failure.value)
    assert store.counts() == before


def test_a_zip_that_is_not_a_workbook_is_refused_cleanly(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    before = seeded(store, tmp_path)

    with pytest.raises(ImportFailed, match=re.escape(f"{path}: not a valid Excel workbook")):
        import_paths([path], store)
    assert store.counts() == before


def test_a_workbook_over_the_size_limit_is_refused(store: SQLiteStore, tmp_path: Path, monkeypatch) -> None:
    path = workbook(tmp_path / "big.xlsx", REGISTER)
    before = seeded(store, tmp_path)
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", "0.001")

    with pytest.raises(ImportFailed, match=re.escape(f"{path}: the file is 0 MB, over the 0 MB limit")):
        import_paths([path], store)
    assert store.counts() == before


def test_a_workbook_that_unpacks_far_beyond_the_limit_is_refused(store: SQLiteStore, tmp_path: Path,
                                                                 monkeypatch) -> None:
    rows = [["id", "name", "description"]] + [[f"t{i}", "T", "x" * 5000] for i in range(400)]
    path = workbook(tmp_path / "bomb.xlsx", {"teams": rows})
    unpacked = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    assert unpacked > 40 * path.stat().st_size  # it compresses very well
    before = seeded(store, tmp_path)
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", str(2 * path.stat().st_size / 1048576))

    with pytest.raises(ImportFailed, match=re.escape(f"{path}: the workbook unpacks to")):
        import_paths([path], store)
    assert store.counts() == before


def test_detection_by_suffix_and_by_zip_content(tmp_path: Path) -> None:
    reader = ExcelRegisterReader()
    named = workbook(tmp_path / "register.xlsx", REGISTER)
    bare = tmp_path / "register"
    bare.write_bytes(named.read_bytes())
    plain_zip = tmp_path / "other"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "a")

    assert reader.detect(named, "")
    assert reader.detect(tmp_path / "REGISTER.XLSX", "")
    assert reader.detect(bare, "")
    assert not reader.detect(plain_zip, "")
    assert not reader.detect(tmp_path / "teams.csv", "")


def test_reimporting_the_same_workbook_changes_nothing(store: SQLiteStore, tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx", REGISTER)
    import_paths([path], store)
    again = import_paths([path], store)

    assert all(c.created == 0 and c.updated == 0 for c in again.nodes.values())
    assert all(c.created == 0 for c in again.relationships.values())


def test_a_workbook_and_csv_files_saying_the_same_give_the_same_graph(tmp_path: Path) -> None:
    import csv

    folder = tmp_path / "csv"
    folder.mkdir()
    for title, rows in REGISTER.items():
        with (folder / f"{title}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([[cell_text(c) or "" for c in row] for row in rows])
    from_csv, from_excel = SQLiteStore(tmp_path / "a.db"), SQLiteStore(tmp_path / "b.db")
    import_paths([folder], from_csv)
    import_paths([workbook(tmp_path / "register.xlsx", REGISTER)], from_excel)

    def graph(store: SQLiteStore) -> tuple:
        nodes = {(n.id, tuple(sorted((k, str(v)) for k, v in n.properties.items())))
                 for kind in Kind for n in store.list_nodes(kind, limit=100)}
        return nodes, {r.identity for r in store.relationships()}

    assert graph(from_csv) == graph(from_excel)
