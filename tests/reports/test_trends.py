"""Trends between two imports of changed data: a finding new, one resolved and
one persisting, by finding id; the history folder, the automatic comparison
and ``aimap trend``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from api.cli.main import run
from graph.reports import ReportSettings, generate_report
from importers.example import AS_OF
from importers.loader import ImportOptions, import_paths

LATER = AS_OF + dt.timedelta(days=7)

# The second import: the disbanded lab's digital twin gets an active owner
# (its orphaned-initiative finding is resolved) and a new pilot arrives with
# no owner at all (a new orphaned-initiative finding).
CHANGES = """\
initiatives:
  - id: init-test-bay-twin
    name: Digital twin of the Milwaukee pump test bay
    stage: idea
    stage_since: 2025-11-03
    owners: [team-mke-production]
  - id: init-shift-handover
    name: Shift handover summariser
    stage: pilot
    stage_since: 2026-11-20
    supports: [wf-pump-testing]
    integrates_with: [sys-historian]
"""


def _orphan_id(service, subject: str) -> str:
    return next(f.id for f in service.analysis().findings
                if f.rule == "orphaned-initiative" and f.subject == subject)


@pytest.fixture
def two_reports(changeable_store, tmp_path, service_at):
    """The first report saved to history; the data changed by a second import;
    the second report compared automatically with the first."""
    settings = ReportSettings(history_dir=tmp_path / "history")
    before_service = service_at(changeable_store, AS_OF)
    first = generate_report(before_service, settings)
    from graph.reports import save_report
    save_report(first.report, settings.history_dir)
    resolved = _orphan_id(before_service, "init-test-bay-twin")
    persisting = _orphan_id(before_service, "init-energy-optimization")
    then = {f.id for f in before_service.analysis().findings}
    changes = tmp_path / "changes.yaml"
    changes.write_text(CHANGES, encoding="utf-8")
    import_paths([changes], changeable_store, ImportOptions())
    after_service = service_at(changeable_store, LATER)
    second = generate_report(after_service, settings)
    new = _orphan_id(after_service, "init-shift-handover")
    return then, after_service, first.report, second, {"new": new, "resolved": resolved,
                                                       "persisting": persisting}


def test_new_resolved_and_persisting_findings_by_id(two_reports):
    then, after_service, first, second, ids = two_reports
    comparison = second.report.comparison
    assert comparison is not None and comparison.previous_as_of == AS_OF
    assert second.previous_path is not None and second.previous_path.name.startswith("aimap-report-")
    assert ids["new"] in comparison.new
    assert ids["resolved"] in [r.id for r in comparison.resolved]
    assert ids["persisting"] in comparison.persisting
    now = {f.id for f in after_service.analysis().findings}
    assert set(comparison.new) == now - then
    assert {r.id for r in comparison.resolved} == then - now
    assert set(comparison.persisting) == now & then
    resolved = next(r for r in comparison.resolved if r.id == ids["resolved"])
    assert resolved.subject == "init-test-bay-twin" and "Digital twin" in resolved.message


def test_each_open_finding_says_whether_it_is_new(two_reports):
    *_, second, ids = two_reports
    status = {i.finding.id: i.status for s in second.report.units for i in s.findings}
    assert status[ids["new"]] == "new" and status[ids["persisting"]] == "persisting"
    assert set(status.values()) <= {"new", "persisting"}


def test_the_headline_numbers_moved_as_the_reports_say(two_reports):
    _, _, first, second, _ = two_reports
    change = second.report.comparison.headline
    h0, h1 = first.summary.headline, second.report.summary.headline
    assert change["findings"].before == h0.findings and change["findings"].after == h1.findings
    assert change["findings"].delta == h1.findings - h0.findings
    assert change["in_pilot"].delta == h1.in_pilot - h0.in_pilot == 1
    assert change["high"].delta == h1.by_severity["high"] - h0.by_severity["high"]


def test_the_history_holds_the_saved_headline_then_this_one(two_reports):
    _, _, first, second, _ = two_reports
    assert [h.as_of for h in second.report.history] == [AS_OF, LATER]
    assert second.report.history[0] == first.summary.headline


def test_a_report_is_never_compared_with_itself(example, tmp_path):
    settings = ReportSettings(history_dir=tmp_path / "history")
    from graph.reports import save_report
    save_report(generate_report(example, settings).report, settings.history_dir)
    again = generate_report(example, settings)
    assert again.report.comparison is None and len(again.report.history) == 1


def test_save_then_trend_on_the_command_line(example_db, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    store = f"sqlite:///{example_db}"
    dates = [AS_OF, AS_OF + dt.timedelta(days=7)]
    for date in dates:
        assert run(["report", "--store", store, "--as-of", date.isoformat(), "--save", "-o", "r.md"]) == 0
    err = capsys.readouterr().err
    assert "compared with" in err and "persisting" in err
    saved = sorted(Path("reports/history").glob("*.json"))
    assert len(saved) == 2
    assert run(["trend", "--format", "json"]) == 0
    points = json.loads(capsys.readouterr().out)
    assert [p["as_of"] for p in points] == [d.isoformat() for d in dates]
    first = json.loads(saved[0].read_text(encoding="utf-8"))["summary"]["headline"]
    assert points[0]["findings"] == first["findings"] and points[0]["by_severity"] == first["by_severity"]
    assert run(["trend"]) == 0
    assert dates[1].isoformat() in capsys.readouterr().out


def test_previous_option_compares_with_that_file(example, tmp_path):
    from graph.reports import report_json
    settings = ReportSettings(history_dir=tmp_path / "none")
    earlier = generate_report(example, settings).report
    doctored = earlier.model_copy(update={"as_of": AS_OF - dt.timedelta(days=7)})
    path = tmp_path / "last-week.json"
    path.write_text(report_json(doctored), encoding="utf-8")
    report = generate_report(example, settings, previous=path).report
    assert report.comparison.previous == "last-week.json"
    assert report.comparison.new == [] and report.comparison.resolved == []
    assert sorted(report.comparison.persisting) == sorted(earlier.finding_ids())


def test_comparing_reports_of_different_scopes_says_so(example, tmp_path):
    from graph.reports import report_json

    settings = ReportSettings(history_dir=tmp_path / "none")
    whole = generate_report(example, settings).report
    path = tmp_path / "whole.json"
    path.write_text(report_json(whole), encoding="utf-8")
    same_scope = generate_report(example, settings, previous=path).report
    assert [n for n in same_scope.notices if n.kind == "comparison"] == []
    narrowed = generate_report(example, settings, business_unit="Pumps Division", previous=path).report
    notice = next(n for n in narrowed.notices if n.kind == "comparison")
    assert "every business unit" in notice.message and "Pumps Division" in notice.message
    assert {r.business_unit_name for r in narrowed.comparison.resolved} - {"Pumps Division"}


def test_the_rendered_reports_say_what_changed(two_reports):
    from visualizations.report import render_html, render_markdown

    *_, second, ids = two_reports
    c = second.report.comparison
    text = render_markdown(second.report)
    assert f"{len(c.new)} new, {len(c.resolved)} resolved, {len(c.persisting)} persisting." in text
    row = next(line for line in text.splitlines() if f"`{ids['new']}`" in line)
    assert row.rstrip(" |").endswith("new")
    resolved = text[text.index("### Resolved"):]
    assert f"`{ids['resolved']}`" in resolved
    html = render_html(second.report)
    new_row = html[html.index(f'data-finding="{ids["new"]}"'):]
    assert new_row[:new_row.index("</tr>")].count('<span class="tag">new</span>') == 1
