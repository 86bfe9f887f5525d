"""One name for a relationship's ends: ``from_id`` and ``to_id`` in the native
format, the CSV register and the JSON export; files that say ``from``/``to``
(written before) still read the same."""

from __future__ import annotations

import json

import pytest

from graph.export import export_json
from graph.schema import Rel
from importers.loader import import_paths

SYSTEMS = "systems:\n  - {id: s1, name: One}\n  - {id: s2, name: Two}\n"


@pytest.mark.parametrize("ends", ["from_id: s2, to_id: s1", "from: s2, to: s1"])
def test_native_relationships_by_either_name(tmp_path, sqlite_store, ends):
    (tmp_path / "a.yaml").write_text(SYSTEMS + f"relationships:\n  - {{type: DEPENDS_ON, {ends}}}\n",
                                     encoding="utf-8")
    import_paths([tmp_path / "a.yaml"], sqlite_store)
    assert [(r.type, r.from_id, r.to_id) for r in sqlite_store.iter_relationships()] == [(Rel.DEPENDS_ON, "s2", "s1")]


@pytest.mark.parametrize("header", ["type,from_id,to_id,role", "type,from,to,role"])
def test_register_relationships_by_either_header(tmp_path, sqlite_store, header):
    (tmp_path / "systems.csv").write_text("id,name\ns1,One\ns2,Two\n", encoding="utf-8")
    (tmp_path / "relationships.csv").write_text(f"{header}\nDEPENDS_ON,s2,s1,\n", encoding="utf-8")
    import_paths([tmp_path], sqlite_store)
    assert [(r.from_id, r.to_id) for r in sqlite_store.iter_relationships()] == [("s2", "s1")]


def test_an_unknown_end_name_is_named(tmp_path, sqlite_store):
    from importers.base import ImportFailed

    (tmp_path / "a.yaml").write_text(SYSTEMS + "relationships:\n  - {type: DEPENDS_ON, source: s2, to_id: s1}\n",
                                     encoding="utf-8")
    with pytest.raises(ImportFailed, match="source: unknown field; a relationship has type, from_id, to_id"):
        import_paths([tmp_path / "a.yaml"], sqlite_store)


def test_the_json_export_names_the_ends_from_id_and_to_id(tmp_path, sqlite_store):
    import io

    (tmp_path / "a.yaml").write_text(SYSTEMS + "relationships:\n  - {type: DEPENDS_ON, from_id: s2, to_id: s1}\n",
                                     encoding="utf-8")
    import_paths([tmp_path / "a.yaml"], sqlite_store)
    buffer = io.StringIO()
    export_json(sqlite_store, buffer)
    [relationship] = json.loads(buffer.getvalue())["relationships"]
    assert (relationship["from_id"], relationship["to_id"]) == ("s2", "s1")
    assert "from" not in relationship and "source_id" not in relationship
