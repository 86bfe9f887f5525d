"""Suppressions: accepted findings listed apart until their date passes; expired
and unknown ids warned about; a malformed file is an error naming the entry;
the command line and the HTTP API honour the same file."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from api.cli.main import run
from api.http.app import create_app
from graph.errors import AimapError
from graph.reports import ReportSettings, generate_report, read_suppressions
from importers.example import AS_OF

UNTIL = AS_OF + dt.timedelta(days=30)
UNKNOWN = "orphaned-initiative:0000000000000000"


@pytest.fixture(scope="module")
def chosen(example):
    """Findings of the example: one to accept, one whose acceptance has expired, the critical one."""
    findings = example.analysis().findings
    critical = next(f for f in findings if f.severity == "critical")
    others = [f for f in findings if f.severity != "critical"]
    return {"accepted": others[0], "expired": others[1], "critical": critical}


@pytest.fixture
def suppressions(tmp_path, chosen, write_suppressions):
    return write_suppressions(tmp_path / "accepted.yaml", [
        {"finding": chosen["accepted"].id, "accepted_by": "Maria Lopez (COO)", "reason": "Plant closes in Q1.",
         "until": UNTIL.isoformat()},
        {"finding": chosen["expired"].id, "accepted_by": "Ken Adams", "reason": "Waiting for the new CMDB.",
         "until": (AS_OF - dt.timedelta(days=1)).isoformat()},
        {"finding": UNKNOWN, "accepted_by": "Ken Adams", "reason": "a typo", "until": UNTIL.isoformat()},
    ])


def _report(service, suppressions, tmp_path):
    return generate_report(service, ReportSettings(history_dir=tmp_path / "h", suppressions=suppressions))


def test_an_accepted_finding_is_listed_apart_and_not_counted(example, suppressions, chosen, tmp_path):
    plain = _report(example, None, tmp_path).report
    report = _report(example, suppressions, tmp_path).report
    accepted = chosen["accepted"].id
    assert [s.finding.id for s in report.suppressed] == [accepted]
    assert report.suppressed[0].suppression.accepted_by == "Maria Lopez (COO)"
    assert accepted not in [i.finding.id for u in report.units for i in u.findings]
    assert sorted(report.finding_ids()) == sorted(plain.finding_ids())  # still exactly once
    h, h0 = report.summary.headline, plain.summary.headline
    assert (h.findings, h.suppressed) == (h0.findings - 1, 1)
    severity = chosen["accepted"].severity
    assert h.by_severity[severity] == h0.by_severity[severity] - 1


def test_expired_and_unknown_ids_are_warned_about(example, suppressions, chosen, tmp_path):
    generated = _report(example, suppressions, tmp_path)
    kinds = {(n.kind, n.finding) for n in generated.report.notices}
    assert kinds == {("suppression-expired", chosen["expired"].id), ("suppression-unknown", UNKNOWN)}
    assert any(UNKNOWN in w for w in generated.warnings) and any(chosen["expired"].id in w for w in generated.warnings)
    back = next(i for u in generated.report.units for i in u.findings if i.finding.id == chosen["expired"].id)
    assert back.suppression_expired == AS_OF - dt.timedelta(days=1)


def test_an_accepted_finding_comes_back_when_the_date_passes(example_store, suppressions, chosen, tmp_path,
                                                             service_at):
    accepted = chosen["accepted"].id
    on_the_last_day = _report(service_at(example_store, UNTIL), suppressions, tmp_path).report
    assert accepted in [s.finding.id for s in on_the_last_day.suppressed]
    after = _report(service_at(example_store, UNTIL + dt.timedelta(days=1)), suppressions, tmp_path).report
    assert accepted not in [s.finding.id for s in after.suppressed]
    assert accepted in [i.finding.id for u in after.units for i in u.findings]
    assert ("suppression-expired", accepted) in {(n.kind, n.finding) for n in after.notices}


@pytest.mark.parametrize("entry, message", [
    ({"finding": "x", "accepted_by": "A", "reason": "r"}, "suppression 1: until"),
    ({"finding": "x", "accepted_by": "A", "reason": "r", "until": "soon"}, "suppression 1: until"),
    ({"finding": "x", "accepted_by": " ", "reason": "r", "until": "2027-01-01"}, "accepted_by is empty"),
    ({"finding": "x", "accepted_by": "A", "reason": "r", "until": "2027-01-01", "by": "B"}, "unknown field 'by'"),
])
def test_a_malformed_entry_is_an_error_naming_the_file_and_entry(tmp_path, write_suppressions, entry, message):
    path = write_suppressions(tmp_path / "s.yaml", [entry])
    with pytest.raises(AimapError, match=message) as caught:
        read_suppressions(path)
    assert str(path) in str(caught.value)


def test_the_same_finding_twice_is_an_error(tmp_path, write_suppressions):
    entry = {"finding": "x", "accepted_by": "A", "reason": "r", "until": "2027-01-01"}
    with pytest.raises(AimapError, match="already accepted by suppression 1"):
        read_suppressions(write_suppressions(tmp_path / "s.yaml", [entry, entry]))


def test_the_command_line_warns_and_fail_on_counts_only_open_findings(example_db, tmp_path, chosen,
                                                                      write_suppressions, capsys):
    store = ["--store", f"sqlite:///{example_db}", "--as-of", AS_OF.isoformat(),
             "--history-dir", str(tmp_path / "h")]
    assert run(["report", *store, "--fail-on", "critical", "-o", str(tmp_path / "r.md")]) == 1
    capsys.readouterr()
    accept_critical = write_suppressions(tmp_path / "critical.yaml", [
        {"finding": chosen["critical"].id, "accepted_by": "Board", "reason": "Plant sale signed.",
         "until": UNTIL.isoformat()},
        {"finding": UNKNOWN, "accepted_by": "Ken", "reason": "typo", "until": UNTIL.isoformat()}])
    code = run(["report", *store, "--fail-on", "critical", "--suppressions", str(accept_critical),
                "-o", str(tmp_path / "r.md")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "warning:" in err and UNKNOWN in err
    assert chosen["critical"].id in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_the_api_honours_the_same_suppressions_file_as_the_command_line(example_db, example, suppressions,
                                                                         tmp_path, capsys):
    code = run(["report", "--store", f"sqlite:///{example_db}", "--as-of", AS_OF.isoformat(), "--format", "json",
                "--suppressions", str(suppressions), "--history-dir", str(tmp_path / "h")])
    assert code == 0
    from_cli = json.loads(capsys.readouterr().out)
    app = create_app(example)
    app.state.report_settings = ReportSettings(history_dir=tmp_path / "h", suppressions=suppressions)
    response = TestClient(app).get("/api/v1/report")
    assert response.status_code == 200, response.text
    from_api = response.json()
    assert [s["finding"]["id"] for s in from_api["suppressed"]] == [s["finding"]["id"] for s in from_cli["suppressed"]]
    assert len(from_api["suppressed"]) == 1
    assert from_api == from_cli


def test_the_api_reads_the_suppressions_file_named_in_the_config_file(example, suppressions, chosen, tmp_path,
                                                                       monkeypatch):
    (tmp_path / "aimap.toml").write_text('[report]\nsuppressions = "accepted.yaml"\nhistory_dir = "h"\n',
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    client = TestClient(create_app(example))
    body = client.get("/api/v1/report").json()
    assert [s["finding"]["id"] for s in body["suppressed"]] == [chosen["accepted"].id]
    unit = next(u for u in body["units"] if u["findings"])
    narrowed = client.get("/api/v1/report", params={"business_unit": unit["name"]}).json()
    assert [u["business_unit"] for u in narrowed["units"]] == [unit["business_unit"]]
    missing = client.get("/api/v1/report", params={"business_unit": "nowhere"})
    assert missing.status_code == 422 and missing.headers["content-type"].startswith("application/problem+json")


def test_the_api_reads_the_config_file_the_server_was_started_with(example, suppressions, chosen, tmp_path):
    config = tmp_path / "settings.toml"
    config.write_text(f'[report]\nsuppressions = "{suppressions.name}"\nhistory_dir = "h"\n', encoding="utf-8")
    app = create_app(example)
    app.state.config_file = config  # what aimap serve --config sets
    body = TestClient(app).get("/api/v1/report").json()
    assert [s["finding"]["id"] for s in body["suppressed"]] == [chosen["accepted"].id]
