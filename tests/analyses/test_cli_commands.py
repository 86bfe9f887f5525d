"""``aimap analyze``, ``scorecard``, ``priorities`` and ``pipeline`` on the example enterprise."""

import json

import pytest
import typer
import yaml
from typer.testing import CliRunner

from api.cli import analysis_commands
from graph.store.sqlite_store import SQLiteStore
from importers import example

AS_OF = example.AS_OF.isoformat()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "example.db"
    store = SQLiteStore(path)
    example.load_example(store)
    store.close()
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    analysis_commands.register(app)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_analyze_json(cli, db):
    result = cli("analyze", "--store", db, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == AS_OF and len(data["rules"]) == 11
    findings = data["findings"]
    assert len(findings) == len(yaml.safe_load(example.EXPECTED_FINDINGS.read_text()))
    for key in ("id", "rule", "severity", "subject", "related", "business_unit", "message", "evidence", "remediation"):
        assert key in findings[0]
    assert findings[0]["severity"] == "critical"
    assert findings[0]["evidence"][0]["from_id"]
    assert data["counts"]["critical"] == 1


def test_analyze_filters(cli, db):
    def subjects(*args):
        result = cli("analyze", "--store", db, "--as-of", AS_OF, "--format", "json", *args)
        return [(f["rule"], f["severity"], f["business_unit"]) for f in json.loads(result.stdout)["findings"]]

    assert {r for r, _, _ in subjects("--rule", "dependency-cycle", "--rule", "stale-record")} == {
        "dependency-cycle", "stale-record"}
    assert {s for _, s, _ in subjects("--severity", "HIGH")} == {"high", "critical"}
    assert {u for _, _, u in subjects("--business-unit", "bu-valves")} == {"bu-valves"}


def test_fail_on(cli, db):
    assert cli("analyze", "--store", db, "--as-of", AS_OF, "--fail-on", "critical").exit_code == 1
    assert cli("analyze", "--store", db, "--as-of", AS_OF, "--rule", "dependency-cycle",
               "--fail-on", "medium").exit_code == 0


def test_analyze_table_and_bad_options(cli, db):
    result = cli("analyze", "--store", db, "--as-of", AS_OF, "--severity", "critical")
    assert result.exit_code == 0
    assert "critical" in result.stdout and "1 finding(s)" in result.stdout
    assert cli("analyze", "--store", db, "--rule", "nope").exit_code == 2
    assert cli("analyze", "--store", db, "--severity", "urgent").exit_code == 2
    assert cli("analyze", "--store", db, "--as-of", "tomorrow").exit_code == 2


def test_scorecard_priorities_pipeline_json(cli, db):
    cards = json.loads(cli("scorecard", "--store", db, "--as-of", AS_OF, "--format", "json").stdout)
    assert cards["initiatives"] and {"passed", "score", "ready", "checks"} <= set(cards["initiatives"][0])
    assert cards["business_units"]
    ranked = json.loads(cli("priorities", "--store", db, "--format", "json", "--limit", "5").stdout)["workflows"]
    assert len(ranked) == 5 and ranked[0]["score"] >= ranked[-1]["score"]
    pipeline = json.loads(cli("pipeline", "--store", db, "--format", "json").stdout)
    assert pipeline["total"]["total"] == sum(row["total"] for row in pipeline["business_units"])


def test_tables_render(cli, db):
    for command in (("scorecard", "--as-of", AS_OF), ("priorities",), ("pipeline",)):
        result = cli(*command, "--store", db)
        assert result.exit_code == 0 and result.stdout.strip(), command
