"""The command line: exit codes, one-line errors, the store option, output formats."""

from __future__ import annotations

import json

import pytest

from api.cli.main import run

GOOD = "systems:\n  - id: s1\n    name: One\n  - id: s2\n    name: Two\n    depends_on: s1\n"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    return tmp_path


def test_import_then_stats_in_the_default_store(workdir, capsys):
    (workdir / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert run(["import", "a.yaml"]) == 0
    assert (workdir / "aimap.db").exists()
    capsys.readouterr()
    assert run(["stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["nodes"]["System"] == 2 and stats["relationships"]["DEPENDS_ON"] == 1


def test_store_option_and_environment_choose_the_store(workdir, monkeypatch, capsys):
    (workdir / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert run(["import", "a.yaml", "--store", "sqlite:///other.db"]) == 0
    assert (workdir / "other.db").exists() and not (workdir / "aimap.db").exists()
    monkeypatch.setenv("AIMAP_STORE", "sqlite:///other.db")
    capsys.readouterr()
    assert run(["stats", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_nodes"] == 2


def test_bad_import_is_one_clear_error_and_exit_1(workdir, capsys):
    (workdir / "bad.yaml").write_text("systems:\n  - id: s\n    name: S\n    lifecycle: gone\n", encoding="utf-8")
    assert run(["import", "bad.yaml"]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:4" in err and "lifecycle" in err and "Traceback" not in err


def test_dry_run_reports_and_writes_nothing(workdir, capsys):
    (workdir / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert run(["import", "a.yaml", "--dry-run", "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["nodes"]["System"]["created"] == 2 and report["written"] is False
    assert not (workdir / "aimap.db").exists()


def test_reading_a_missing_store_says_so_and_creates_nothing(workdir, capsys):
    assert run(["analyze"]) == 1
    assert "no store at aimap.db: import something first" in capsys.readouterr().err
    assert not (workdir / "aimap.db").exists()


def test_a_store_in_a_missing_folder_is_a_clear_error(workdir, capsys):
    (workdir / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert run(["import", "a.yaml", "--store", "sqlite:///nope/x.db"]) == 1
    assert "the folder nope does not exist" in capsys.readouterr().err


def test_unknown_store_scheme_is_a_clear_error(workdir, capsys):
    assert run(["stats", "--store", "mongodb://x"]) == 1
    assert "unknown store 'mongodb://x'" in capsys.readouterr().err


def test_not_a_database_is_a_clear_error(workdir, capsys):
    (workdir / "junk.db").write_bytes(b"this is not sqlite" * 100)
    assert run(["stats", "--store", "sqlite:///junk.db"]) == 1
    assert "cannot open the store junk.db" in capsys.readouterr().err


def test_usage_errors_exit_2(workdir, capsys):
    assert run(["stats", "--format", "xml"]) == 2
    assert run(["import", "a.yaml", "--alias", "nonsense"]) == 2


def test_schema_is_json_schema(workdir, capsys):
    assert run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/") and "Initiative" in schema["$defs"]


def test_help_teaches(workdir, capsys):
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "import", "schema", "stats"):
        assert command in out
    assert run(["import", "--help"]) == 0
    assert "--dry-run" in capsys.readouterr().out


def _example_entity_count() -> int:
    """Entities in the bundled example, counted from the YAML itself."""
    import yaml

    from graph.schema import KIND_BY_PLURAL
    from importers.example import example_files, snapshot_files

    total = 0
    for path in [*example_files(), *snapshot_files()]:
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(document, dict):
                total += sum(len(document.get(section) or []) for section in KIND_BY_PLURAL)
    return total


def test_demo_loads_the_example_and_reports_its_gaps(workdir, capsys):
    assert run(["demo"]) == 0
    out = capsys.readouterr().out
    expected = _example_entity_count()
    assert f"{expected} entities" in out
    assert "finding(s)" in out and "dependency-cycle" in out
    assert run(["demo"]) == 0  # again: nothing changes
    capsys.readouterr()
    run(["stats", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["total_nodes"] == expected


def test_seen_at_dates_the_import_so_stale_record_sees_old_exports(workdir, capsys):
    (workdir / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert run(["import", "a.yaml", "--seen-at", "2026-01-10"]) == 0
    capsys.readouterr()
    assert run(["analyze", "--as-of", "2026-06-30", "--rule", "stale-record", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert sorted(f["subject"] for f in findings) == ["s1", "s2"]
    assert findings[0]["evidence"][0]["last_seen"].startswith("2026-01-10")
    assert run(["import", "a.yaml"]) == 0  # seen again now: no longer stale
    capsys.readouterr()
    assert run(["analyze", "--as-of", "2026-06-30", "--rule", "stale-record", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


@pytest.mark.parametrize("value, message", [("2999-01-01", "in the future"), ("last week", "not a date")])
def test_seen_at_refuses_a_future_or_unreadable_date(workdir, capsys, value, message):
    (workdir / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert run(["import", "a.yaml", "--seen-at", value]) == 2
    assert message in capsys.readouterr().err
    assert not (workdir / "aimap.db").exists()


def test_the_example_snapshot_imported_with_seen_at_gives_the_demo_stale_records(workdir, capsys):
    """The command-line path (--seen-at) and load_example (ImportOptions.now) agree."""
    from graph.analyses import load_config, run_analysis
    from graph.store.sqlite_store import SQLiteStore
    from importers.example import AS_OF, SNAPSHOT_SEEN, example_files, load_example, snapshot_files

    assert run(["import", *map(str, example_files())]) == 0
    assert run(["import", *map(str, snapshot_files()), "--seen-at", SNAPSHOT_SEEN.isoformat()]) == 0
    capsys.readouterr()
    assert run(["analyze", "--as-of", AS_OF.isoformat(), "--rule", "stale-record", "--format", "json"]) == 0
    from_cli = sorted(f["subject"] for f in json.loads(capsys.readouterr().out)["findings"])

    with SQLiteStore(workdir / "direct.db") as store:
        load_example(store)
        direct = run_analysis(store.to_networkx(), load_config(as_of=AS_OF))
    assert from_cli == sorted(f.subject for f in direct.findings if f.rule == "stale-record")
    assert len(from_cli) == 2


def test_a_dated_cmdb_export_then_analyze_shows_what_the_next_export_dropped(workdir, capsys):
    """Last quarter's ServiceNow export, then this quarter's without one CI: the
    CI the newer export no longer holds is stale, the others are not."""
    from pathlib import Path

    raw = Path(__file__).resolve().parents[1] / "fixtures" / "cmdb" / "raw"
    q1 = [str(raw / name) for name in ("cmdb_ci.json", "sys_user.csv", "sys_user_group.json", "cmdb_rel_ci.csv")]
    assert run(["import", *q1, "--seen-at", "2026-03-31"]) == 0
    cis = json.loads((raw / "cmdb_ci.json").read_text(encoding="utf-8"))
    dropped = cis["result"].pop()
    (workdir / "cmdb_ci.json").write_text(json.dumps(cis), encoding="utf-8")
    q2 = [str(workdir / "cmdb_ci.json"), str(raw / "sys_user.csv"), str(raw / "sys_user_group.json")]
    assert run(["import", *q2, "--seen-at", "2026-06-30"]) == 0
    capsys.readouterr()
    assert run(["analyze", "--as-of", "2026-07-15", "--rule", "stale-record", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["subject"] for f in findings] == [f"servicenow:ci:{dropped['sys_id']}"]
    assert findings[0]["evidence"][0]["last_seen"].startswith("2026-03-31")
