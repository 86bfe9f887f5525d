"""The native YAML/JSON importer and the CSV register: good files, and bad
input refused with the file, the place and the field named, the store untouched."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from graph.schema import Kind, Rel
from importers.base import ImportFailed
from importers.loader import ImportOptions, import_paths

BASE = """\
teams:
  - id: bu-ops
    name: Operations
    type: business_unit
  - id: team-maint
    name: Maintenance
    part_of: bu-ops
people:
  - id: p-ana
    name: Ana Silva
    member_of: team-maint
systems:
  - id: sys-cmms
    name: CMMS
workflows:
  - id: wf-repair
    name: Repair
    uses: sys-cmms
    performed_by: team-maint
initiatives:
  - id: ai-pm
    name: Predictive maintenance
    stage: pilot
    stage_since: 2026-01-10
    owners: [team-maint, {id: p-ana, role: risk}]
    supports: wf-repair
    integrates_with: [sys-cmms]
    measured_by: m-downtime
metrics:
  - id: m-downtime
    name: Unplanned downtime
    type: downtime
    unit: hours/month
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path



@pytest.fixture
def loaded(store, tmp_path):
    import_paths([write(tmp_path, "base.yaml", BASE)], store)
    return store


def snapshot(store):
    return (
        [n.as_dict() for n in store.iter_nodes()],
        [r.as_dict() for r in store.iter_relationships()],
    )


def test_good_file_creates_every_node_and_relationship(store, tmp_path):
    report = import_paths([write(tmp_path, "base.yaml", BASE)], store)
    counts = store.counts()
    assert counts.nodes[Kind.TEAM] == 2 and counts.nodes[Kind.INITIATIVE] == 1
    assert counts.relationships[Rel.OWNS] == 2
    assert report.nodes["Team"].created == 2
    owners = {(r.source_id, r.properties["role"]) for r in store.relationships("ai-pm", Rel.OWNS, "in")}
    assert owners == {("team-maint", "accountable"), ("p-ana", "risk")}
    node = store.get("ai-pm")
    assert node.properties["stage_since"] == "2026-01-10"
    assert node.source.endswith("base.yaml") and node.importer == "native"


def test_reimport_changes_nothing(loaded, tmp_path):
    before = snapshot(loaded)
    report = import_paths([tmp_path / "base.yaml"], loaded)
    assert all(c.created == 0 and c.updated == 0 for c in report.nodes.values())
    assert all(c.created == 0 for c in report.relationships.values())
    after = snapshot(loaded)
    strip = lambda rows: [{k: v for k, v in row.items() if k != "last_seen"} for row in rows]  # noqa: E731
    assert strip(after[0]) == strip(before[0]) and strip(after[1]) == strip(before[1])


def test_second_source_merges_and_keeps_what_it_does_not_say(loaded, tmp_path):
    write(tmp_path, "more.yaml", """\
        kind: Initiative
        id: ai-pm
        name: Predictive maintenance
        stage: production
        """)
    report = import_paths([tmp_path / "more.yaml"], loaded)
    assert report.nodes["Initiative"].updated == 1
    node = loaded.get("ai-pm")
    assert node.properties["stage"] == "production"
    # the stored date was the pilot's: production began when an import first saw it (PRODUCT.md, issue 15)
    assert node.properties["stage_since"] == dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert node.properties["stage_history"][-1].endswith(" production")
    assert loaded.relationships("ai-pm", Rel.SUPPORTS, "out")  # what the second source does not say is kept
    assert node.first_seen is not None


def test_aliases_merge_an_entity_known_by_another_id(loaded, tmp_path):
    write(tmp_path, "alias.yaml", """\
        teams:
          - id: team-maint
            name: Maintenance
            aliases: [group:default/maintenance]
        systems:
          - id: sys-erp
            name: ERP
        relationships:
          - {type: OWNS, from: "group:default/maintenance", to: sys-erp}
        """)
    import_paths([tmp_path / "alias.yaml"], loaded)
    owners = loaded.relationships("sys-erp", Rel.OWNS, "in")
    assert [r.source_id for r in owners] == ["team-maint"]
    assert loaded.get("group:default/maintenance") is None


def test_alias_option_maps_ids_of_other_sources(loaded, tmp_path):
    write(tmp_path, "other.yaml", """\
        systems:
          - id: sys-erp
            name: ERP
            owners: ops-team
        """)
    import_paths([tmp_path / "other.yaml"], loaded, ImportOptions(aliases={"ops-team": "bu-ops"}))
    assert [r.source_id for r in loaded.relationships("sys-erp", Rel.OWNS, "in")] == ["bu-ops"]


def test_json_list_and_single_entity_documents(store, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([
        {"kind": "System", "id": "s1", "name": "One"},
        {"kind": "system", "id": "s2", "name": "Two", "depends_on": ["s1"]},
    ]), encoding="utf-8")
    import_paths([tmp_path / "a.json"], store)
    assert [(r.source_id, r.target_id) for r in store.relationships(type=Rel.DEPENDS_ON)] == [("s2", "s1")]


def test_dry_run_writes_nothing(store, tmp_path):
    report = import_paths([write(tmp_path, "base.yaml", BASE)], store, ImportOptions(dry_run=True))
    assert report.nodes["Team"].created == 2 and not report.written
    assert store.counts().total_nodes == 0


def test_partial_keeps_valid_records_and_reports_the_rest(store, tmp_path):
    write(tmp_path, "mixed.yaml", """\
        systems:
          - id: good
            name: Good
          - id: bad
            name: Bad
            lifecycle: sunsetting
          - id: leaning
            name: Leaning
            depends_on: bad
        """)
    report = import_paths([tmp_path / "mixed.yaml"], store, ImportOptions(partial=True))
    assert store.get("good") and store.get("leaning") and store.get("bad") is None
    assert store.counts().total_relationships == 0
    assert any("sunsetting" in s for g in report.problems for s in g.sample)


def test_folder_is_read_recursively(store, tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.yaml", "systems: [{id: s1, name: One}]\n")
    write(tmp_path, "b.yaml", "systems: [{id: s2, name: Two, depends_on: s1}]\n")
    import_paths([tmp_path], store)
    assert store.counts().nodes[Kind.SYSTEM] == 2


def test_csv_register(store, tmp_path):
    write(tmp_path, "teams.csv", "id,name,type,part_of\nbu,Ops,business_unit,\nt1,Maint,team,bu\n")
    write(tmp_path, "systems.csv", "id,name,lifecycle,owners,aliases\ns1,CMMS,active,t1,cmms;maximo\n")
    write(tmp_path, "relationships.csv", "type,from,to,role\nOWNS,bu,s1,risk\n")
    import_paths([tmp_path], store)
    assert store.get("s1").properties["aliases"] == ["cmms", "maximo"]
    assert {(r.source_id, r.properties["role"]) for r in store.relationships("s1", Rel.OWNS)} == {
        ("t1", "accountable"), ("bu", "risk")}
    assert [r.target_id for r in store.relationships("t1", Rel.PART_OF, "out")] == ["bu"]


def test_csv_formula_is_kept_as_text(store, tmp_path):
    write(tmp_path, "systems.csv", 'id,name\ns1,"=HYPERLINK(""http://evil"",""x"")"\n')
    import_paths([tmp_path / "systems.csv"], store)
    assert store.get("s1").name == '=HYPERLINK("http://evil","x")'


def test_provenance_uses_the_time_given(store, tmp_path):
    moment = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    import_paths([write(tmp_path, "base.yaml", BASE)], store, ImportOptions(now=moment))
    node = store.get("bu-ops")
    assert node.first_seen == node.last_seen == "2026-03-01T12:00:00Z"


# -- bad input -----------------------------------------------------------------
# (file name, content, expected line, expected fragments of the message)
BAD_YAML = [
    ("enum", "initiatives:\n  - id: x\n    name: X\n    stage: pilott\n", 4, ["stage", "pilott", "idea"]),
    ("unknown-field", "systems:\n  - id: s\n    name: S\n    colour: red\n", 4, ["colour", "unknown field"]),
    ("missing-name", "systems:\n  - id: s\n    lifecycle: active\n", 2, ["name", "required"]),
    ("missing-id", "systems:\n  - name: S\n", 2, ["id", "required"]),
    ("wrong-type", "workflows:\n  - id: w\n    name: W\n    friction: high\n", 4, ["friction", "integer"]),
    ("out-of-range", "workflows:\n  - id: w\n    name: W\n    friction: 9\n", 4, ["friction", "5"]),
    ("bad-date", "initiatives:\n  - id: x\n    name: X\n    stage_since: 2026-13-45\n", 4, ["stage_since"]),
    ("wrong-endpoints", "relationships:\n  - {type: USES, from: bu-ops, to: sys-cmms}\n", 2,
     ["USES", "Team", "Workflow"]),
    ("role-not-owns", "relationships:\n  - {type: USES, from: wf-repair, to: sys-cmms, role: risk}\n", 2,
     ["role", "only OWNS"]),
    ("unknown-role", "systems:\n  - id: s\n    name: S\n    owners: [{id: bu-ops, role: boss}]\n", 4,
     ["owners", "boss"]),
    ("unknown-rel-type", "relationships:\n  - {type: LIKES, from: bu-ops, to: sys-cmms}\n", 2,
     ["type", "LIKES", "DEPENDS_ON"]),
    ("kind-clash", "systems:\n  - id: bu-ops\n    name: Ops system\n", None, ["bu-ops", "Team", "System"]),
    ("part-of-kinds", "systems:\n  - id: s\n    name: S\n    part_of: bu-ops\n", 4, ["PART_OF", "same kind"]),
    ("syntax", "systems:\n  - id: s\n    name: [unclosed\n", 4, ["invalid YAML"]),
    ("unsafe-tag", "systems:\n  - id: !!python/object/apply:os.system [ls]\n    name: S\n", 2,
     ["unsupported YAML tag", "python/object/apply"]),
    ("unknown-section", "machines:\n  - id: m\n", 1, ["machines", "teams"]),
    ("kind-mismatch", "systems:\n  - kind: Team\n    id: t\n    name: T\n", 2, ["kind", "Team", "System"]),
    ("empty-name", "systems:\n  - id: s\n    name: '   '\n", 3, ["name"]),
    ("not-a-list", "systems:\n  id: s\n", 1, ["systems", "list"]),
    ("duplicate-id-kinds", "systems:\n  - id: z\n    name: Z\n---\nteams:\n  - id: z\n    name: Z\n", 6,
     ["'z'", "already a System"]),
]


@pytest.mark.parametrize("name, content, line, fragments", BAD_YAML, ids=[case[0] for case in BAD_YAML])
def test_bad_yaml_is_refused_with_its_location(loaded, tmp_path, name, content, line, fragments):
    before = snapshot(loaded)
    path = tmp_path / f"{name}.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_paths([path], loaded)
    message = str(failure.value)
    where = f"{path}:{line}" if line else str(path)
    assert where in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert snapshot(loaded) == before


def test_an_unknown_reference_is_pending_and_refused_under_strict(loaded, tmp_path):
    path = tmp_path / "unknown-reference.yaml"
    path.write_text("systems:\n  - id: s\n    name: S\n    depends_on: nowhere\n", encoding="utf-8")
    before = snapshot(loaded)
    with pytest.raises(ImportFailed) as failure:
        import_paths([path], loaded, ImportOptions(strict=True))
    assert f"{path}:4" in str(failure.value) and "depends_on" in str(failure.value)
    assert "unknown id 'nowhere'" in str(failure.value)
    assert snapshot(loaded) == before and loaded.pending_references() == []

    report = import_paths([path], loaded)
    assert [(p.source_id, p.target_id, p.missing, p.location) for p in report.pending] == [
        ("s", "nowhere", ["nowhere"], f"{path}:4")]
    assert loaded.get("s") is not None and loaded.relationships("s") == []


def test_alias_bomb_is_refused(loaded, tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(loaded)
    with pytest.raises(ImportFailed, match="alias bomb"):
        import_paths([path], loaded)
    assert snapshot(loaded) == before


BAD_FILES = [
    ("bad.json", b'{"systems": [{"id": "s", "name": }]}', "bad.json:1", "invalid JSON"),
    ("cp1252.yaml", "systems:\n  - id: s\n    name: Caf\u00e9\n".encode("cp1252"), "cp1252.yaml:3", "not valid UTF-8"),
    ("garbage.yaml", bytes(range(256)) * 4, "garbage.yaml", "binary file"),
    ("teams.csv", b"id,name,colour\nt,T,red\n", "teams.csv:2", "colour"),
    ("systems.csv", b"id,name\ns,S,extra\n", "systems.csv:2", "more cells"),
    ("relationships.csv", b"type,from,to\nLIKES,a,b\n", "relationships.csv:2", "LIKES"),
    ("notes.txt", b"hello", "notes.txt", "cannot tell the format"),
]


@pytest.mark.parametrize("name, content, where, fragment", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_files_are_refused(loaded, tmp_path, name, content, where, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(loaded)
    with pytest.raises(ImportFailed) as failure:
        import_paths([path], loaded)
    message = str(failure.value)
    assert where in message and fragment in message, message
    assert snapshot(loaded) == before


def test_utf8_bom_is_accepted(store, tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffsystems:\n  - id: s\n    name: Café\n".encode("utf-8"))
    import_paths([path], store)
    assert store.get("s").name == "Café"


def test_oversized_file_is_refused(loaded, tmp_path, monkeypatch):
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", "0.01")
    path = tmp_path / "big.yaml"
    path.write_text("systems:\n" + "  - {id: s, name: S}\n" * 2000, encoding="utf-8")
    with pytest.raises(ImportFailed, match="over the 0 MB limit"):
        import_paths([path], loaded)


def test_one_bad_file_among_good_ones_writes_nothing(store, tmp_path):
    good = write(tmp_path, "base.yaml", BASE)
    bad = write(tmp_path, "bad.yaml", "systems:\n  - id: s\n    name: S\n    lifecycle: gone\n")
    with pytest.raises(ImportFailed):
        import_paths([good, bad], store)
    assert store.counts().total_nodes == 0


def test_a_folder_with_nothing_to_import_is_an_error(store, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ImportFailed, match="empty: no file to import in this folder"):
        import_paths([tmp_path / "empty"], store)
