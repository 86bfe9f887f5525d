"""``aimap whatif`` on the example enterprise: options and a YAML file give the
same answer, errors name the option or the file's line, nothing is written."""

from __future__ import annotations

import json

import pytest

from api.cli.main import run
from graph.analyses import AnalysisConfig
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from importers.example import AS_OF, load_example


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("example") / "aimap.db"
    with SQLiteStore(path) as store:
        load_example(store)
    return path


@pytest.fixture
def ctx(example_db):
    with SQLiteStore(example_db, create=False) as store:
        yield ReadService(store, AnalysisConfig(as_of=AS_OF)).snapshot().ctx


def whatif(capsys, example_db, *args: str) -> dict:
    code = run(["whatif", "--store", f"sqlite:///{example_db}", "--as-of", AS_OF.isoformat(), "-f", "json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def owner_of_a_live_initiative(ctx) -> tuple[str, str]:
    """A person who is the only active accountable owner of a live initiative."""
    for initiative in ctx.live_initiatives():
        owners = ctx.active_accountable_owners(initiative)
        if len(owners) == 1 and ctx.kind(owners[0]) is Kind.PERSON:
            return owners[0], initiative
    raise AssertionError("the example has no live initiative owned by one person alone")


def test_a_person_leaving_orphans_what_they_alone_own(capsys, example_db, ctx):
    person, initiative = owner_of_a_live_initiative(ctx)
    answer = whatif(capsys, example_db, "--person-leaves", person)
    orphaned = {f["subject"] for f in answer["appearing"] if f["rule"] == "orphaned-initiative"}
    assert initiative in orphaned
    assert initiative in {card["initiative"] for card in answer["scorecards"]}
    assert answer["changes"][0]["subject"] == person


def test_options_and_a_changes_file_give_the_same_answer(capsys, example_db, ctx, tmp_path):
    person, _ = owner_of_a_live_initiative(ctx)
    system = ctx.ids(Kind.SYSTEM)[0]
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"changes:\n  - change: person-leaves\n    id: {person}\n"
                    f"  - change: retire-system\n    id: {system}\n", encoding="utf-8")
    from_file = whatif(capsys, example_db, "--changes", str(plan))
    from_options = whatif(capsys, example_db, "--retire-system", system, "--person-leaves", person)
    assert {f["id"] for f in from_file["appearing"]} == {f["id"] for f in from_options["appearing"]}
    assert from_file["counts"] == from_options["counts"]


def test_add_and_remove_a_relationship_from_options(capsys, example_db, ctx):
    edge = next(iter(ctx.edges(Rel.SUPPORTS)))
    removed = whatif(capsys, example_db, "--remove-rel", f"SUPPORTS:{edge.src}:{edge.dst}")
    assert removed["changes"][0]["change"] == f"remove-relationship SUPPORTS {edge.src} -> {edge.dst}"
    restored = whatif(capsys, example_db, "--remove-rel", f"SUPPORTS:{edge.src}:{edge.dst}",
                      "--add-rel", f"SUPPORTS:{edge.src}:{edge.dst}")
    assert restored["appearing"] == [] and restored["disappearing"] == []


def test_the_store_is_not_written(capsys, example_db, ctx):
    with SQLiteStore(example_db, create=False) as store:
        revision, counts = store.revision(), store.counts()
    whatif(capsys, example_db, "--dissolve-team", ctx.ids(Kind.TEAM)[0])
    with SQLiteStore(example_db, create=False) as store:
        assert (store.revision(), store.counts()) == (revision, counts)


def test_the_table_names_the_change_and_what_appears(capsys, example_db, ctx):
    person, initiative = owner_of_a_live_initiative(ctx)
    assert run(["whatif", "--store", f"sqlite:///{example_db}", "--as-of", AS_OF.isoformat(),
                "--person-leaves", person]) == 0
    out = capsys.readouterr().out
    assert f"person-leaves {person}" in out and "Findings that would appear" in out and initiative in out


def test_a_bad_field_in_the_file_is_named_with_its_line(capsys, example_db, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("changes:\n  - change: retire-system\n    id: sys-x\n"
                    "  - change: add-relationship\n    type: LIKES\n    from_id: a\n    to_id: b\n", encoding="utf-8")
    assert run(["whatif", "--store", f"sqlite:///{example_db}", "--changes", str(plan)]) == 1
    err = capsys.readouterr().err
    assert f"{plan}:5: changes.1.type" in err.replace("\n", "")


def test_an_unknown_id_in_the_file_is_named_with_its_line(capsys, example_db, ctx, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"changes:\n  - change: retire-system\n    id: {ctx.ids(Kind.SYSTEM)[0]}\n"
                    "  - change: person-leaves\n    id: nobody-at-all\n", encoding="utf-8")
    assert run(["whatif", "--store", f"sqlite:///{example_db}", "--changes", str(plan)]) == 1
    assert f"{plan}:5: changes[1].id" in capsys.readouterr().err.replace("\n", "")


def test_malformed_yaml_is_named_with_its_line(capsys, example_db, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("changes:\n  - change: retire-system\n    id: [unclosed\n", encoding="utf-8")
    assert run(["whatif", "--store", f"sqlite:///{example_db}", "--changes", str(plan)]) == 1
    assert f"{plan}:" in capsys.readouterr().err


@pytest.mark.parametrize("args, words", [
    ([], "at least one change"),
    (["--add-rel", "LIKES:a:b"], "not a relationship type"),
    (["--add-rel", "DEPENDS_ON"], "TYPE:FROM:TO"),
    (["--format", "xml", "--retire-system", "x"], "not one of"),
])
def test_bad_options_are_usage_errors(capsys, example_db, args, words):
    assert run(["whatif", "--store", f"sqlite:///{example_db}", *args]) == 2
    assert words in capsys.readouterr().err.replace("\n", " ")
