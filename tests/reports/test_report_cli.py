"""``aimap report`` and ``aimap demo`` on the command line: formats, files
written atomically, clear errors."""

from __future__ import annotations

import json

import pytest

from api.cli.main import run
from graph.errors import AimapError
from graph.reports.atomic import write_atomic
from importers.example import AS_OF


@pytest.fixture
def store_args(example_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return ["--store", f"sqlite:///{example_db}", "--as-of", AS_OF.isoformat()]


@pytest.mark.parametrize("name, check", [
    ("r.json", lambda text: json.loads(text)["as_of"] == AS_OF.isoformat()),
    ("r.html", lambda text: text.startswith("<!DOCTYPE html>")),
    ("r.md", lambda text: text.startswith("# AI adoption gap report")),
])
def test_the_format_follows_the_output_suffix(store_args, tmp_path, name, check):
    assert run(["report", *store_args, "-o", name]) == 0
    assert check((tmp_path / name).read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_json_on_standard_output_is_plain_json(store_args, capsys):
    assert run(["report", *store_args, "--format", "json", "--business-unit", "Pumps Division"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["business_unit_name"] == "Pumps Division"
    assert {u["name"] for u in data["units"]} == {"Pumps Division"}


@pytest.mark.parametrize("args, code, message", [
    (["--format", "pdf"], 2, "pdf"),
    (["--previous", "missing.json"], 1, "no report at missing.json"),
    (["--suppressions", "missing.yaml"], 1, "no suppressions file at missing.yaml"),
    (["--business-unit", "Atlantis"], 1, "no business unit 'Atlantis'"),
])
def test_bad_options_are_one_clear_error(store_args, capsys, args, code, message):
    assert run(["report", *store_args, *args]) == code
    assert message in capsys.readouterr().err


def test_a_previous_file_that_is_not_a_report_is_refused(store_args, tmp_path, capsys):
    (tmp_path / "other.json").write_text('{"findings": []}', encoding="utf-8")
    assert run(["report", *store_args, "--previous", "other.json"]) == 1
    assert "other.json is not an aimap JSON report" in capsys.readouterr().err


def test_an_unknown_report_setting_names_the_file(store_args, tmp_path, capsys):
    (tmp_path / "aimap.toml").write_text('[report]\nhistory = "h"\n', encoding="utf-8")
    assert run(["report", *store_args]) == 1
    err = capsys.readouterr().err
    assert "aimap.toml" in err and "history" in err and "unknown setting" in err


def test_an_atomic_write_that_fails_leaves_the_old_file(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    with pytest.raises(AimapError, match="cannot write"):
        write_atomic(target / "inside-a-file.md", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_demo_writes_the_html_and_markdown_reports_and_says_where(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    assert run(["demo"]) == 0
    out = capsys.readouterr().out
    for name in ("reports/aimap-report.html", "reports/aimap-report.md"):
        assert name in out
        assert "Pumps Division" in (tmp_path / name).read_text(encoding="utf-8")
