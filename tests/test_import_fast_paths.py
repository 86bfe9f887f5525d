"""The import's fast paths agree with the general ones they stand in for.

The CSV relationships table is read by position and well-formed relationships
skip pydantic (``importers.formats.register``, ``importers.validate``); a
generated register with hostile rows mixed in must give the same report, the
same problems and the same graph, claims and pending references as with both
fast paths turned off, on each store. The stored relationship identities the
import counts with agree with the relationships read back.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from bench.scale import write_register
from graph.records import RelRecord
from graph.schema import Rel, Relationship
from graph.store.base import Store
from graph.synthetic import generate_enterprise
from importers import validate
from importers.base import ImportFailed
from importers.formats import register
from importers.loader import ImportOptions, import_paths

SEEN = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
ODD_ROWS = [
    ["OWNS", " team-00001 ", "system-00001", "deployment"],  # spaces around an id
    ["owns", "team-00001", "system-00002", ""],  # lower-case type, no role: accountable
    ["USES", "workflow-00001", "system-00001", "risk"],  # a role where none belongs
    ["OWNS", "team-00001", "system-00003", "nope"],  # an unknown role
    ["USES", "workflow-00001", "x" * 513, ""],  # an id too long
    ["USES", "workflow-00001", "\u2003system-00004", ""],  # a Unicode space
    ["DEPENDS_ON", "system-00001", "nowhere", ""],  # a pending reference
    ["BOGUS", "a", "b", ""],
    ["USES", "", "system-00001", ""],
    ["'=SUM", "a", "b", ""],
    ["PART_OF", "team-00001", "system-00001", ""],  # the wrong kinds
]


def _register(folder: Path) -> list[Path]:
    enterprise = generate_enterprise(1000, seed=7)
    write_register(folder, enterprise.nodes, enterprise.relationships)
    with open(folder / "relationships.csv", "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(ODD_ROWS)
    return sorted(folder.glob("*.csv"))


def _general_paths_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "well_formed_relationship", lambda *args: None)
    monkeypatch.setattr(register, "_relationship_table",
                        lambda extract, table, header, rows, file:
                        register.read_table(extract, table, register._as_dicts(header, rows), file))


def _outcome(files: list[Path], store: Store) -> list:
    """Everything an import says and leaves: strict refusal, then the partial report, twice, and the store."""
    with pytest.raises(ImportFailed) as refused:
        import_paths(files, store, ImportOptions(now=SEEN))
    reports = [import_paths(files, store, ImportOptions(partial=True, now=SEEN)).model_dump() for _ in range(2)]
    return [str(refused.value), reports, list(store.iter_nodes()), list(store.iter_relationships()),
            store.pending_references(), store.claims(), store.relationship_claims()]


def test_fast_paths_import_what_the_general_paths_import(store: Store, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    files = _register(tmp_path)
    fast = _outcome(files, store)
    store.clear()
    _general_paths_only(monkeypatch)
    general = _outcome(files, store)
    assert fast == general
    assert fast[1][0]["relationships"]["OWNS"]["created"] > 0  # the odd rows did not hide the rest
    assert fast[1][1]["relationships"]["OWNS"]["created"] == 0


def test_stored_identities_are_the_identities_of_the_stored_relationships(store: Store, tmp_path: Path) -> None:
    import_paths(_register(tmp_path), store, ImportOptions(partial=True, now=SEEN))
    rels = list(store.iter_relationships())
    sources = sorted({rel.from_id for rel in rels})[::2]
    assert sorted(store.iter_relationship_identities(sources)) == sorted(
        rel.identity for rel in rels if rel.from_id in set(sources))
    assert set(store.iter_relationship_identities(["nowhere"])) == set()
    assert store.existing_relationships(sources) == set(store.iter_relationship_identities(sources))
    assert {rel.type for rel in rels} >= {Rel.OWNS, Rel.USES}


IDS = ["sys-1", " sys-1", "sys-1 ", "\u2003sys-1", "sys-1\x1c", "\x1csys-1", "", " ", "x" * 512, "x" * 513,
       "café", "a\nb", 7, None]
ROLES = [None, "deployment", "accountable", "nope", "", " risk", "RISK"]


@pytest.mark.parametrize("rel_type", [Rel.OWNS, Rel.USES, "OWNS"])
def test_a_relationship_passed_by_the_fast_check_is_what_pydantic_makes_of_it(rel_type) -> None:
    taken = 0
    for from_id in IDS:
        for to_id in IDS[:4]:
            for role in ROLES:
                fast = validate.well_formed_relationship(rel_type, from_id, to_id, role, "f.csv")
                if fast is None:
                    continue
                taken += 1
                checked = Relationship(type=rel_type, from_id=from_id, to_id=to_id, role=role)
                assert fast == RelRecord.from_relationship(checked, "f.csv", "")
    # four plain from-ids, one to-id; a type given as text goes through pydantic
    assert taken == (0 if type(rel_type) is str else {Rel.OWNS: 4 * 3, Rel.USES: 4}[rel_type])
