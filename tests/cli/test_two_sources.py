"""Acceptance (issue 5): a team that two sources name differently — a Backstage
group and an ArchiMate actor — merges into one node through an alias, given on
the command line or in the config file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from api.cli.main import run
from graph.schema import Rel
from graph.store.sqlite_store import SQLiteStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "two-sources"
GROUP = "backstage:group:default/platform"
ACTOR = "archimate:m-landscape:actor-platform"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def owners(path: Path) -> dict[str, list[str]]:
    with SQLiteStore(path / "aimap.db", create=False) as store:
        return {rel.target_id: sorted(r.source_id for r in store.relationships(rel.target_id, Rel.OWNS, "in"))
                for rel in store.iter_relationships(Rel.OWNS)}


def test_without_an_alias_the_team_is_two_nodes(workdir):
    assert run(["import", "catalog-info.yaml", "landscape.xml"]) == 0
    with SQLiteStore(workdir / "aimap.db") as store:
        assert store.get(GROUP) and store.get(ACTOR)


def test_an_alias_on_the_command_line_merges_them(workdir):
    assert run(["import", "catalog-info.yaml", "landscape.xml", "--alias", f"{ACTOR}={GROUP}"]) == 0
    found = owners(workdir)
    assert found["backstage:component:default/crm"] == [GROUP]
    assert found["archimate:m-landscape:app-billing"] == [GROUP]
    with SQLiteStore(workdir / "aimap.db") as store:
        assert store.get(ACTOR) is None


def test_an_alias_in_the_config_file_merges_them(workdir, capsys):
    (workdir / "aimap.toml").write_text(f'[import.aliases]\n"{ACTOR}" = "{GROUP}"\n', encoding="utf-8")
    assert run(["import", "catalog-info.yaml", "landscape.xml", "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["nodes"]["Team"]["created"] == 1
    assert owners(workdir)["archimate:m-landscape:app-billing"] == [GROUP]


def test_a_bad_import_setting_names_the_file_and_key(workdir, capsys):
    (workdir / "aimap.toml").write_text('[import]\nalias = "x"\n', encoding="utf-8")
    assert run(["import", "catalog-info.yaml"]) == 1
    assert "aimap.toml: [import] alias: unknown setting (known: aliases, archimate.actor_associations)" in capsys.readouterr().err
