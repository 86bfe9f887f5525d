"""The pure read/transform step of every format: ``importers.formats.transform``
turns a file into raw records (schema kinds and field names, unvalidated)
with no store at all, so a format's mapping is tested where it happens."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import Kind, Rel
from importers.base import Extract
from importers.example import example_files
from importers.formats import transform
from importer_checks import REPO, write

FIXTURES = REPO / "tests" / "fixtures"


def kinds(extract: Extract) -> dict[Kind, int]:
    found: dict[Kind, int] = {}
    for entity in extract.entities:
        found[entity.kind] = found.get(entity.kind, 0) + 1
    return found


def rels(extract: Extract, rel: Rel) -> set[tuple[str, str]]:
    return {(r.source_id, r.target_id) for r in extract.relationships if r.type is rel}


@pytest.mark.parametrize("path, format, kind", [
    (example_files()[0], "native", None),
    (FIXTURES / "backstage" / "pieces" / "catalog-info.yaml", "backstage", Kind.INITIATIVE),
    (FIXTURES / "cmdb" / "raw" / "cmdb_ci.json", "cmdb", Kind.SYSTEM),
    (FIXTURES / "bpmn" / "collaboration.bpmn", "bpmn", Kind.WORKFLOW),
    (FIXTURES / "archimate" / "chains-3.xml", "archimate", Kind.TEAM),
    (FIXTURES / "ai-inventory" / "use_cases.csv", "ai-inventory", Kind.INITIATIVE),
], ids=lambda value: value if isinstance(value, str) else None)
def test_every_format_transforms_a_file_without_a_store(path: Path, format: str, kind: Kind | None):
    extract = transform(path)
    assert extract.formats == {str(path): format}
    assert extract.entities and not [p for p in extract.problems if p.fatal]
    if kind is not None:
        assert kind in kinds(extract)
    assert all(entity.location.file == str(path) for entity in extract.entities)


def test_a_csv_register_transforms_without_a_store(tmp_path):
    path = write(tmp_path, "systems.csv", "id,name,depends_on\ns1,One,\ns2,Two,s1\n")
    extract = transform(path)
    assert extract.formats == {str(path): "csv"} and kinds(extract) == {Kind.SYSTEM: 2}
    assert rels(extract, Rel.DEPENDS_ON) == {("s2", "s1")}


def test_references_are_raw_until_validation(tmp_path):
    """The transform step keeps a reference to an id no file defines: whether
    it is pending or resolved is the loader's question, not the format's."""
    extract = transform(FIXTURES / "backstage" / "pieces" / "catalog-info.yaml")
    assert ("backstage:group:default/maintainers", "backstage:airesource:default/claims-triage-skill") in \
        rels(extract, Rel.OWNS)


def test_archimate_settings_reach_the_reader():
    path = FIXTURES / "archimate" / "chains-3.xml"
    chart = ("archimate:m-bank:a-retail", "archimate:m-bank:a-board")
    assert chart in rels(transform(path), Rel.PART_OF)
    ignored = transform(path, settings={"archimate": {"actor_associations": "ignore"}})
    assert chart not in rels(ignored, Rel.PART_OF)


def test_an_unknown_file_is_a_problem_not_an_exception(tmp_path):
    extract = transform(write(tmp_path, "notes.txt", "hello"))
    [problem] = extract.problems
    assert problem.fatal and "cannot tell the format of this file" in problem.message
    assert transform(tmp_path / "notes.txt", format="nonsense").problems[0].message.startswith("unknown format")
