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
