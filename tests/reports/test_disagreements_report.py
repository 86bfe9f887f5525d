"""Issue 14: the gap report has a section of its own for disagreements
between sources, counted in its headline (so in ``aimap trend`` and in the
comparison with a previous report). Disagreements come from real imports:
the example enterprise with ``docs/examples/cmdb_ci.csv`` imported over it
through an alias, as the README does."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from api.cli.main import run
from graph.analyses import AnalysisConfig
from graph.records import NodeRecord, RelRecord
from graph.reports import ReportSettings, generate_report, read_report, save_report
from graph.reports.assemble import build_report
from graph.reports.model import Change, Headline
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from importers.example import AS_OF
from importers.loader import ImportOptions, import_paths
from visualizations.report import render_html, render_markdown

ROOT = Path(__file__).resolve().parents[2]
CMDB = ROOT / "docs" / "examples" / "cmdb_ci.csv"
CI = "servicenow:ci:8f2c4e61db1a20104b5e7a0bd39619a7"
EDW = "sys-teradata-edw"
KEVIN = "servicenow:user:name:kevin brooks"
CMDB_SEEN = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)
LATER = AS_OF + dt.timedelta(days=7)
DIGITAL = "bu-digital"  # the unit of the data warehouse (owned by team-data-platform)
OPERATIONS = "bu-operations"  # the unit of the test bay's digital twin

# A second catalogue (native YAML) that calls the test bay's digital twin (an
# idea in the example) a pilot: a stage disagreement in another business unit
# than the warehouse's.
OTHER_REGISTER = """\
initiatives:
  - id: init-test-bay-twin
    name: Digital twin of the Milwaukee pump test bay
    stage: pilot
"""


def import_cmdb(store, path: Path = CMDB, seen: dt.datetime = CMDB_SEEN) -> None:
    import_paths([path], store, ImportOptions(now=seen, aliases={CI: EDW}))


@pytest.fixture
def disputed_store(changeable_store):
    """The example with the README's CMDB export imported over it."""
    import_cmdb(changeable_store)
    return changeable_store


def _claims(item) -> list[tuple]:
    return [(c.source, c.importer, c.value, c.last_seen[:10], c.current) for c in item.claims]


def test_the_report_lists_exactly_the_disagreements_the_read_side_gives(disputed_store, service_at):
    service = service_at(disputed_store)
    report = build_report(service)
    answer = service.disagreements()
    assert report.disagreements == answer
    assert report.summary.headline.disagreements == answer.total == 2
    assert report.disagreements.counts == {"lifecycle": 1, "owner": 1}
    by_about = {d.about: d for d in report.disagreements.disagreements}
    assert {d.entity for d in by_about.values()} == {EDW}
    example_source = next(c.source for c in by_about["lifecycle"].claims if c.importer == "native")
    assert example_source.endswith("systems.yaml")
    today = by_about["lifecycle"].claims[0].last_seen[:10]  # the example was imported "now"
    assert today > "2026-11-20"
    assert _claims(by_about["lifecycle"]) == [(example_source, "native", "retired", today, True),
                                              (str(CMDB), "cmdb", "active", "2026-11-20", True)]
    assert _claims(by_about["owner"]) == [(example_source, "native", ["team-data-platform"], today, True),
                                          (str(CMDB), "cmdb", [KEVIN], "2026-11-20", True)]


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_the_rendered_section_shows_each_claim_with_its_importer_and_date(disputed_store, service_at, render):
    report = build_report(service_at(disputed_store))
    text = render(report)
    assert text.count("Disagreements between sources") == 2  # the summary line and the section's heading
    section = text[text.index("Disagreements between sources (2)"):]
    # after every business unit, before the accepted findings
    last_unit = text.rindex(report.units[-1].name.replace("&", "&amp;") if render is render_html
                            else report.units[-1].name)
    assert last_unit < text.index("Disagreements between sources (2)")
    assert section.count("Teradata Enterprise Data Warehouse") == 1  # one heading per entity
    lifecycle = section[section.index("lifecycle"):section.index("accountable owner")]
    owner = section[section.index("accountable owner"):]
    lifecycle, owner = (part[part.index("last said"):] for part in (lifecycle, owner))  # the claims' table
    # the newest claim first, each with its importer and the day it last said it
    assert lifecycle.index("retired") < lifecycle.index("active") < lifecycle.index("2026-11-20")
    assert "native" in lifecycle and "cmdb" in lifecycle
    assert owner.index("team-data-platform") < owner.index("kevin brooks")
    assert "2026-11-20" in owner and "cmdb" in owner
    summary = text[:text.index("Disagreements between sources (2)")]
    assert re.search(r"Disagreements between sources:(</strong>|\*\*)? 2 \(1 lifecycle, 1 owner\)", summary)


def test_no_disagreements_the_section_says_there_are_none(example):
    report = build_report(example)
    assert report.disagreements.total == 0 and report.summary.headline.disagreements == 0
    for render in (render_markdown, render_html):
        text = render(report)
        assert "Disagreements between sources (0)" in text
        assert "None: every source that speaks about an entity says the same." in text
        assert re.search(r"Disagreements between sources:(</strong>|\*\*)? none\.", text)


def test_a_report_of_one_business_unit_keeps_only_that_units_disagreements(disputed_store, service_at, tmp_path):
    other = tmp_path / "other-register.yaml"
    other.write_text(OTHER_REGISTER, encoding="utf-8")
    import_paths([other], disputed_store, ImportOptions(now=dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)))
    service = service_at(disputed_store)
    everything = build_report(service)
    ctx = service.snapshot().ctx
    units = {d.entity: ctx.business_unit(d.entity) for d in everything.disagreements.disagreements}
    assert units == {EDW: DIGITAL, "init-test-bay-twin": OPERATIONS}
    assert everything.disagreements.counts == {"lifecycle": 1, "owner": 1, "stage": 1}

    digital = build_report(service, business_unit="Digital & IT")
    assert {d.entity for d in digital.disagreements.disagreements} == {EDW}
    assert digital.disagreements.counts == {"lifecycle": 1, "owner": 1}
    assert digital.summary.headline.disagreements == digital.disagreements.total == 2

    operations = build_report(service, business_unit=OPERATIONS)
    [stage] = operations.disagreements.disagreements
    assert (stage.entity, stage.about) == ("init-test-bay-twin", "stage")
    # the example was imported "now", after the other register's 2026-11-22: it comes first
    assert stage.claims[0].source.endswith("initiatives.yaml")
    assert [(c.source, c.value, c.last_seen[:10]) for c in stage.claims] == [
        (stage.claims[0].source, "idea", stage.claims[0].last_seen[:10]), (str(other), "pilot", "2026-11-22")]
    assert operations.summary.headline.disagreements == 1
    assert "Teradata" not in render_markdown(operations).split("## Disagreements between sources")[1]

    corporate = build_report(service, business_unit="bu-corporate")
    assert corporate.disagreements.total == corporate.summary.headline.disagreements == 0


def test_the_headline_and_the_comparison_move_as_a_disagreement_appears_and_disappears(
        changeable_store, service_at, tmp_path):
    settings = ReportSettings(history_dir=tmp_path / "history")
    first = generate_report(service_at(changeable_store, AS_OF), settings).report
    save_report(first, settings.history_dir)
    assert first.summary.headline.disagreements == 0

    # the CMDB export arrives: two disagreements appear
    export = tmp_path / "cmdb_ci.csv"
    shutil.copy(CMDB, export)
    import_cmdb(changeable_store, export)
    second = generate_report(service_at(changeable_store, LATER), settings).report
    save_report(second, settings.history_dir)
    assert second.summary.headline.disagreements == 2
    assert second.comparison.headline["disagreements"] == Change(before=0, after=2, delta=2)
    assert [h.disagreements for h in second.history] == [0, 2]

    # the next export calls the warehouse retired too: the lifecycle disagreement is gone
    export.write_text(CMDB.read_text(encoding="utf-8").replace('"Operational","Installed"',
                                                               '"Non-Operational","Retired"'), encoding="utf-8")
    import_cmdb(changeable_store, export, dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc))
    third = generate_report(service_at(changeable_store, LATER + dt.timedelta(days=7)), settings).report
    assert third.disagreements.counts == {"owner": 1}
    assert third.comparison.headline["disagreements"] == Change(before=2, after=1, delta=-1)
    assert [h.disagreements for h in third.history] == [0, 2, 1]
    markdown = render_markdown(third)
    row = next(line for line in markdown.splitlines() if line.startswith("| disagreements between sources |"))
    assert row.split("|")[2:5] == [" 2 ", " 1 ", " −1 "]
    html = render_html(third)
    cells = html[html.index("<td>disagreements between sources</td>"):]
    assert 'class="num better">−1</td>' in cells[:cells.index("</tr>")]


def test_aimap_trend_prints_the_disagreements_column(changeable_store, service_at, tmp_path, monkeypatch, capsys):
    history = tmp_path / "history"
    save_report(build_report(service_at(changeable_store, AS_OF)), history)
    import_cmdb(changeable_store)
    save_report(build_report(service_at(changeable_store, LATER)), history)
    monkeypatch.chdir(tmp_path)
    assert run(["trend", "--history-dir", str(history), "--format", "json"]) == 0
    assert [p["disagreements"] for p in json.loads(capsys.readouterr().out)] == [0, 2]
    assert run(["trend", "--history-dir", str(history)]) == 0
    out = capsys.readouterr().out
    assert "disagree" in out and "disagreements between sources" in out
    rows = [[cell.strip() for cell in line.split("\u2502") if cell.strip()] for line in out.splitlines()
            if re.search(r"\d{4}-\d{2}-\d{2}", line)]
    assert [(row[0], row[-1]) for row in rows] == [(AS_OF.isoformat(), "0"), (LATER.isoformat(), "2")]


def test_a_report_saved_before_disagreements_were_counted_still_reads(example, tmp_path):
    report = build_report(example)
    data = report.model_dump(mode="json")
    del data["disagreements"]
    del data["summary"]["headline"]["disagreements"]
    for point in data["history"]:
        del point["disagreements"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    old = read_report(path)
    assert old.disagreements.total == 0 and old.summary.headline.disagreements == 0
    assert Headline.model_validate(data["summary"]["headline"]).disagreements == 0


HOSTILE_NAME = '<script>alert("x")</script> [click](https://evil.example/a) | *b*'
HOSTILE_SOURCE = 'evil <img src="https://evil.example/p.png"> `x` | y.yaml'


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """A system whose name, owners and sources are hostile, on which two sources disagree."""
    store = SQLiteStore(tmp_path_factory.mktemp("hostile-disagreements") / "h.db")
    team = NodeRecord(Kind.TEAM, "bu-<b>", {"name": "Unit <b>bold</b>", "type": "business_unit"}, "t.yaml", "native")
    first = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    second = dt.datetime(2026, 11, 10, tzinfo=dt.timezone.utc)
    store.upsert([team, NodeRecord(Kind.SYSTEM, "sys-<i>", {"name": HOSTILE_NAME, "lifecycle": "active"},
                                   "t.yaml", "native")],
                 [RelRecord(Rel.OWNS, "bu-<b>", "sys-<i>", {"role": "accountable"}, "t.yaml", "native")], first)
    store.upsert([NodeRecord(Kind.SYSTEM, "sys-<i>", {"name": HOSTILE_NAME, "lifecycle": "retired"},
                             HOSTILE_SOURCE, "cmdb <script>"),
                  NodeRecord(Kind.PERSON, "person-[x](https://evil.example)", {"name": "Mallory"},
                             HOSTILE_SOURCE, "cmdb <script>")],
                 [RelRecord(Rel.OWNS, "person-[x](https://evil.example)", "sys-<i>", {"role": "accountable"},
                            HOSTILE_SOURCE, "cmdb <script>")], second)
    report = build_report(ReadService(store, AnalysisConfig(as_of=dt.date(2026, 11, 25))))
    store.close()
    assert report.disagreements.counts == {"lifecycle": 1, "owner": 1}
    return report


def test_hostile_values_are_escaped_in_the_html_section(hostile_report):
    html = render_html(hostile_report)
    section = html[html.index('id="disagreements"'):]
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(" in section
    assert "evil &lt;img src=" in section and "cmdb &lt;script&gt;" in section
    assert "sys-&lt;i&gt;" in section
    links = []  # still self-contained: no attribute that loads or links anything outside the page
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: links.extend(
        value for name, value in attrs if name in {"href", "src", "action", "srcset"} and not (value or "#")
        .startswith("#"))
    parser.feed(html)
    assert links == []


def test_hostile_values_are_escaped_in_the_markdown_section(hostile_report):
    text = render_markdown(hostile_report)
    section = text[text.index("## Disagreements between sources"):]
    assert "<script>" not in text and "<img" not in text and "https://" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link can form
    assert "&lt;script&gt;alert(" in section and "cmdb &lt;script&gt;" in section
    assert "person-\\[x\\](https\\://evil.example)" in section
    # every claim row has exactly the table's four cells
    rows = [line for line in section.splitlines() if line.startswith("| ") and "evil" in line]
    assert len(rows) == 2
    assert {line.count("|") - line.count("\\|") for line in rows} == {5}
