"""Catalogues in pieces, end to end through the command line: a lone
catalog-info.yaml whose owner arrives in a second import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from api.cli.main import run

PIECES = Path(__file__).resolve().parents[1] / "fixtures" / "backstage" / "pieces"
SKILL = "backstage:airesource:default/claims-triage-skill"
MAINTAINERS = "backstage:group:default/maintainers"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    for name in ("catalog-info.yaml", "org.yaml"):
        shutil.copy(PIECES / name, tmp_path / name)
    return tmp_path


def json_of(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert run(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def orphan_findings(capsys) -> list[dict]:
    findings = json_of(capsys, "analyze", "--format", "json")["findings"]
    return [f for f in findings if f["rule"] == "orphaned-initiative"]


def test_a_lone_catalog_file_imports_with_its_owner_pending_until_the_owner_arrives(workdir, capsys):
    report = json_of(capsys, "import", "catalog-info.yaml", "--format", "json")
    assert report["written"] is True
    owns = {(p["from_id"], p["to_id"]): p for p in report["pending"] if p["type"] == "OWNS"}
    assert owns[(MAINTAINERS, SKILL)]["location"] == "catalog-info.yaml:20"
    assert owns[(MAINTAINERS, SKILL)]["missing"] == [MAINTAINERS]

    stats = json_of(capsys, "stats", "--format", "json")
    assert stats["relationships"]["OWNS"] == 0
    assert {(p["type"], p["location"]) for p in stats["pending"]} == {
        ("OWNS", "catalog-info.yaml:10"), ("OWNS", "catalog-info.yaml:20"), ("DEPENDS_ON", "catalog-info.yaml:21")}

    [orphan] = orphan_findings(capsys)
    assert orphan["subject"] == SKILL
    assert f"owned by {MAINTAINERS}, which no import has brought" in orphan["message"]

    second = json_of(capsys, "import", "org.yaml", "--format", "json")
    assert {(p["type"], p["location"]) for p in second["resolved"]} == {
        ("OWNS", "catalog-info.yaml:10"), ("OWNS", "catalog-info.yaml:20"), ("DEPENDS_ON", "catalog-info.yaml:21")}
    assert second["pending"] == []
    stats = json_of(capsys, "stats", "--format", "json")
    assert stats["pending"] == [] and stats["relationships"]["OWNS"] == 3
    assert orphan_findings(capsys) == []


def test_stats_lists_pending_references_with_their_place(workdir, capsys):
    assert run(["import", "catalog-info.yaml"]) == 0
    capsys.readouterr()
    assert run(["stats"]) == 0
    out = capsys.readouterr().out
    assert "pending references: 3" in out
    assert f"catalog-info.yaml:20: OWNS (accountable) {MAINTAINERS} → {SKILL}; waits for {MAINTAINERS}" in out


def test_strict_refuses_pending_references_and_writes_nothing(workdir, capsys):
    assert run(["import", "catalog-info.yaml", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "catalog-info.yaml:20" in err and f"unknown id '{MAINTAINERS}'" in err
    assert not (workdir / "aimap.db").exists() or json_of(capsys, "stats", "--format", "json")["total_nodes"] == 0


def test_both_files_in_one_import_leave_nothing_pending(workdir, capsys):
    report = json_of(capsys, "import", "catalog-info.yaml", "org.yaml", "--format", "json")
    assert report["pending"] == [] and report["relationships"]["OWNS"]["created"] == 3


def test_the_table_report_lists_twenty_pending_references_and_says_how_many_more(workdir, capsys):
    body = "systems:\n" + "".join(f"  - {{id: s{i:02d}, name: S{i}, depends_on: [gone-{i:02d}]}}\n" for i in range(25))
    (workdir / "many.yaml").write_text(body, encoding="utf-8")
    assert run(["import", "many.yaml"]) == 0
    out = capsys.readouterr().out
    assert "pending references kept (their other end is in no import yet): 25" in out
    assert "… and 5 more (--format json, or aimap stats, lists them all)" in out
    assert out.count("waits for gone-") == 20
