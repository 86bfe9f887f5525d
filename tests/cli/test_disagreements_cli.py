"""Acceptance (issue 14): a Backstage catalog and a CMDB export, imported over
each other on their own dates, name different owners and lifecycles for one
system (merged through an alias); ``aimap disagreements`` shows each source's
claim, its importer and when it last said it, newest first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from api.cli.main import run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "disagreements"
CRM = "backstage:component:default/crm"
CI = "servicenow:ci:27d32778c0a8000b00db970eeaa60f16"
PLATFORM = "backstage:group:default/platform"
FRED = "servicenow:user:name:fred luddy"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def imported(capsys) -> None:
    assert run(["import", "catalog-info.yaml", "--seen-at", "2026-09-01"]) == 0
    assert run(["import", "cmdb_ci.csv", "--seen-at", "2026-10-01", "--alias", f"{CI}={CRM}"]) == 0
    capsys.readouterr()


def disagreements(capsys, *args: str) -> dict:
    assert run(["disagreements", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_two_formats_name_different_owners_and_lifecycles(workdir, capsys):
    imported(capsys)
    answer = disagreements(capsys)
    assert answer["counts"] == {"lifecycle": 1, "owner": 1}
    by_about = {d["about"]: d for d in answer["disagreements"]}
    owner = by_about["owner"]
    assert owner["entity"] == CRM and owner["kind"] == "System"
    assert [(c["source"], c["importer"], c["value"], c["last_seen"][:10]) for c in owner["claims"]] == [
        ("cmdb_ci.csv", "cmdb", [FRED], "2026-10-01"),
        ("catalog-info.yaml", "backstage", [PLATFORM], "2026-09-01"),
    ]
    assert sorted(owner["graph_value"]) == sorted([PLATFORM, FRED])
    lifecycle = by_about["lifecycle"]
    assert [(c["source"], c["value"], c["last_seen"][:10]) for c in lifecycle["claims"]] == [
        ("cmdb_ci.csv", "retired", "2026-10-01"), ("catalog-info.yaml", "active", "2026-09-01")]
    assert lifecycle["graph_value"] == "retired"


def test_imported_the_other_way_round_the_newest_claim_still_comes_first(workdir, capsys):
    assert run(["import", "cmdb_ci.csv", "--seen-at", "2026-08-01", "--alias", f"{CI}={CRM}"]) == 0
    assert run(["import", "catalog-info.yaml", "--seen-at", "2026-11-01"]) == 0
    capsys.readouterr()
    [owner] = disagreements(capsys, "--about", "owner")["disagreements"]
    assert [(c["importer"], c["last_seen"][:10]) for c in owner["claims"]] == [
        ("backstage", "2026-11-01"), ("cmdb", "2026-08-01")]
    assert owner["last_said"][:10] == "2026-11-01"


def test_a_source_re_imported_keeps_when_it_first_said_it(workdir, capsys):
    imported(capsys)
    assert run(["import", "catalog-info.yaml", "--seen-at", "2026-10-15"]) == 0
    capsys.readouterr()
    [lifecycle] = disagreements(capsys, "--about", "lifecycle")["disagreements"]
    backstage = lifecycle["claims"][0]
    assert backstage["importer"] == "backstage"
    assert (backstage["first_seen"][:10], backstage["last_seen"][:10]) == ("2026-09-01", "2026-10-15")


def test_fragmented_ownership_evidence_still_names_both_sources(workdir, capsys):
    imported(capsys)
    assert run(["analyze", "--format", "json", "--rule", "fragmented-ownership", "--as-of", "2026-10-02"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    [finding] = [f for f in findings if f["subject"] == CRM]
    assert {step["source"] for step in finding["evidence"]} >= {"catalog-info.yaml", "cmdb_ci.csv"}


def test_one_source_alone_disagrees_with_nobody(workdir, capsys):
    assert run(["import", "catalog-info.yaml"]) == 0
    capsys.readouterr()
    assert disagreements(capsys)["total"] == 0
    assert run(["disagreements"]) == 0
    assert "No disagreements" in capsys.readouterr().out


def test_the_table_lists_each_source_and_date(workdir, capsys):
    imported(capsys)
    assert run(["disagreements"]) == 0
    out = capsys.readouterr().out
    for expected in ("cmdb_ci.csv", "catalog-info.yaml", "2026-10-01", "2026-09-01", "retired", "active"):
        assert expected in out
