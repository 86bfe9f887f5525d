"""Pending references through the import pipeline: kept, listed, resolved by a
later import, all-or-nothing with it. (The stores' side is in tests/store.)"""

from __future__ import annotations

import pytest

from graph.schema import Rel
from importers.base import ImportFailed
from importer_checks import edges, write
from importers.loader import ImportOptions, import_paths

SYSTEM = "systems:\n  - id: s\n    name: S\n    owners: [team-x]\n    depends_on: [db]\n"
TEAM = "teams:\n  - id: team-x\n    name: Team X\n"


def test_references_to_ids_no_import_has_brought_are_kept_with_their_line(store, tmp_path):
    report = import_paths([write(tmp_path, "s.yaml", SYSTEM)], store)
    assert report.written and store.get("s") is not None
    assert [(p.type, p.source_id, p.target_id, p.missing, p.location) for p in report.pending] == [
        ("DEPENDS_ON", "s", "db", ["db"], f"{tmp_path / 's.yaml'}:5"),
        ("OWNS", "team-x", "s", ["team-x"], f"{tmp_path / 's.yaml'}:4")]
    assert [p.importer for p in store.pending_references()] == ["native", "native"]
    assert store.counts().total_relationships == 0


def test_a_later_import_resolves_them_without_the_first_file(store, tmp_path):
    import_paths([write(tmp_path, "s.yaml", SYSTEM)], store)
    report = import_paths([write(tmp_path, "t.yaml", TEAM)], store)
    assert [(p.type, p.missing) for p in report.resolved] == [("OWNS", [])]
    assert report.relationships["OWNS"].created == 1
    [owns] = store.relationships("s", Rel.OWNS)
    assert (owns.source_id, owns.source, owns.importer) == ("team-x", str(tmp_path / "s.yaml"), "native")
    assert [p.target_id for p in store.pending_references()] == ["db"]


def test_an_alias_brought_later_resolves_a_pending_reference(store, tmp_path):
    import_paths([write(tmp_path, "s.yaml", SYSTEM)], store)
    import_paths([write(tmp_path, "db.yaml", "systems:\n  - id: claims-db\n    name: DB\n    aliases: [db]\n")], store)
    assert edges(store, Rel.DEPENDS_ON) == {("s", "claims-db")}


def test_a_failed_import_resolves_nothing(store, tmp_path):
    import_paths([write(tmp_path, "s.yaml", SYSTEM)], store)
    bad = write(tmp_path, "t.yaml", TEAM + "  - id: team-y\n    name: Y\n    type: guild\n")
    with pytest.raises(ImportFailed):
        import_paths([bad], store)
    assert len(store.pending_references()) == 2 and store.get("team-x") is None


def test_a_dry_run_reports_what_it_would_resolve_and_writes_nothing(store, tmp_path):
    import_paths([write(tmp_path, "s.yaml", SYSTEM)], store)
    report = import_paths([write(tmp_path, "t.yaml", TEAM)], store, ImportOptions(dry_run=True))
    assert len(report.resolved) == 1 and not report.written
    assert len(store.pending_references()) == 2


def test_an_end_that_arrives_as_the_wrong_kind_stays_pending_with_a_warning(store, tmp_path):
    import_paths([write(tmp_path, "s.yaml", SYSTEM)], store)
    report = import_paths([write(tmp_path, "w.yaml", "workflows:\n  - id: team-x\n    name: Not a team\n")], store)
    [group] = [g for g in report.problems if "wrong kind" in g.message]
    assert not group.fatal and f"{tmp_path / 's.yaml'}:4" in group.sample[0]
    assert "OWNS cannot connect Workflow 'team-x'" in group.sample[0]
    assert len(store.pending_references()) == 2 and store.relationships("s") == []


def test_a_known_end_of_the_wrong_kind_is_still_an_error(store, tmp_path):
    path = write(tmp_path, "w.yaml", "workflows:\n  - id: w\n    name: W\n    part_of: [elsewhere]\n"
                 "relationships:\n  - {type: USES, from: nowhere, to: w}\n")
    with pytest.raises(ImportFailed, match="USES cannot connect 'nowhere' to Workflow 'w'"):
        import_paths([path], store)


def test_commit_every_keeps_pending_references_with_the_last_transaction(store, tmp_path):
    many = "systems:\n" + "".join(f"  - {{id: s{i}, name: S{i}, depends_on: [gone]}}\n" for i in range(5))
    report = import_paths([write(tmp_path, "m.yaml", many)], store, ImportOptions(commit_every=2))
    assert len(report.pending) == len(store.pending_references()) == 5
