"""Hostile inputs (issue 13): each is refused with one clear message naming
the place, or imported with a warning where it is legitimate; a refused
import leaves the store exactly as it was. Runs on both stores."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from snapshot import snapshot  # noqa: E402

from importers.base import ImportFailed  # noqa: E402
from importers.loader import ImportOptions, import_paths  # noqa: E402

import datetime as dt  # noqa: E402

SEEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
SEED = "teams:\n  - {id: bu-seed, name: Seed, type: business_unit}\nsystems:\n  - {id: sys-seed, name: Seed system}\n"


@pytest.fixture
def seeded(store, tmp_path):
    (tmp_path / "seed.yaml").write_text(SEED, encoding="utf-8")
    import_paths([tmp_path / "seed.yaml"], store)
    return store


def refused(store, path: Path, *expected: str, **options) -> str:
    """Import ``path``; assert it is refused with every ``expected`` text in
    one problem line and that the store did not change."""
    before = snapshot(store)
    with pytest.raises(ImportFailed) as caught:
        import_paths([path], store, ImportOptions(**options))
    message = str(caught.value)
    for text in expected:
        assert text in message
    assert snapshot(store) == before
    return message


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_duplicate_key_in_a_yaml_mapping_is_refused(seeded, tmp_path):
    path = write(tmp_path, "d.yaml", "systems:\n  - id: s1\n    name: First\n    name: Second\n")
    refused(seeded, path, "d.yaml:4: invalid YAML: duplicate key 'name' (first on line 3)")


def test_a_duplicate_top_level_section_in_yaml_is_refused(seeded, tmp_path):
    path = write(tmp_path, "d.yaml", "systems:\n  - {id: s1, name: A}\nsystems:\n  - {id: s2, name: B}\n")
    refused(seeded, path, "d.yaml:3: invalid YAML: duplicate key 'systems' (first on line 1)")


def test_a_duplicate_systems_section_in_json_is_refused(seeded, tmp_path):
    path = write(tmp_path, "d.json", '{"systems": [{"id": "s1", "name": "A"}],\n "systems": [{"id": "s2", "name": "B"}]}')
    refused(seeded, path, "d.json:1: invalid JSON: duplicate key 'systems'")


def test_a_duplicate_key_in_a_nested_json_object_names_its_line(seeded, tmp_path):
    path = write(tmp_path, "d.json", '{"systems": [\n {"id": "s1",\n  "name": "A", "name": "B"}]}')
    refused(seeded, path, "d.json:2: invalid JSON: duplicate key 'name'")


def test_the_same_id_twice_in_one_file_with_different_values_is_refused(seeded, tmp_path):
    path = write(tmp_path, "d.yaml", "systems:\n  - {id: s1, name: A}\n  - {id: s1, name: B}\n")
    refused(seeded, path, "id 's1' is stated twice in this file with different name ('A' on line 2, 'B' here)")


def test_the_same_id_twice_in_one_file_with_agreeing_values_merges(seeded, tmp_path):
    path = write(tmp_path, "d.yaml", "systems:\n  - {id: s1, name: A}\n  - {id: s1, name: A, criticality: high}\n")
    import_paths([path], seeded)
    assert seeded.get("s1").properties["criticality"] == "high"


def test_a_yaml_merge_key_may_still_be_overridden(seeded, tmp_path):
    path = write(tmp_path, "m.yaml", "systems:\n  - &base {id: s1, name: A, criticality: low}\n"
                                    "  - <<: *base\n    id: s2\n    name: B\n")
    import_paths([path], seeded)
    assert seeded.get("s2").properties == {"name": "B", "criticality": "low"}


def test_a_million_character_id_is_refused_with_a_short_message(seeded, tmp_path):
    path = write(tmp_path, "long.json", json.dumps({"systems": [{"id": "x" * 1_000_000, "name": "Long"}]}))
    message = refused(seeded, path, "long.json")
    assert len(message) < 600 and "xxx…" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_with_no_writer_is_refused_not_waited_on(seeded, tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "pipe")  # no suffix: format detection must not open it either
    message = refused(seeded, tmp_path / "pipe.yaml", "pipe.yaml: not a regular file (a named pipe)")
    assert "save the data to a file" in message
    refused(seeded, tmp_path / "pipe", "pipe: not a regular file (a named pipe)")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_not_read_until_memory_runs_out(seeded):
    refused(seeded, Path("/dev/zero"), "/dev/zero: not a regular file (a character device)")
    refused(seeded, Path("/dev/zero"), "not a regular file", format="native")


@pytest.mark.parametrize("field, value, expected", [
    ("volume", 10**30, "workflows[0]]: volume: Input should be less than or equal to 9223372036854775807"),
    ("volume", -1, "volume: Input should be greater than or equal to 0"),
])
def test_numbers_a_store_cannot_keep_are_refused_alike_on_both_stores(seeded, tmp_path, field, value, expected):
    path = write(tmp_path, "w.json", json.dumps({"workflows": [{"id": "w1", "name": "W", field: value}]}))
    refused(seeded, path, expected)


@pytest.mark.parametrize("text", ["1e400", "NaN", "-Infinity"])
def test_infinite_or_not_a_number_metrics_are_refused(seeded, tmp_path, text):
    path = write(tmp_path, "m.json",
                 '{"metrics": [{"id": "m1", "name": "M", "type": "downtime", "baseline": ' + text + "}]}")
    refused(seeded, path, "m.json:1 [metrics[0]]: baseline: Input should be a finite number")


def test_the_largest_64_bit_volume_is_kept_by_either_store(seeded, tmp_path):
    path = write(tmp_path, "w.json", json.dumps({"workflows": [{"id": "w1", "name": "W", "volume": 2**63 - 1}]}))
    import_paths([path], seeded)
    assert seeded.get("w1").properties["volume"] == 2**63 - 1


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30, [1, 10**30]])
def test_both_stores_refuse_an_integer_past_64_bits_and_keep_nothing(store, value):
    """Below the schema (which refuses these on import), the stores agree too."""
    from graph.errors import UnstorableValue
    from graph.records import NodeRecord
    from graph.schema import Kind

    store.upsert([NodeRecord(Kind.SYSTEM, "ok", {"name": "OK"}, "t", "native")], [], SEEN)
    before = snapshot(store)
    with pytest.raises(UnstorableValue, match="property 'big'.* does not fit in 64 bits; nothing was written"):
        store.upsert([NodeRecord(Kind.SYSTEM, "ok", {"name": "renamed"}, "t", "native"),
                      NodeRecord(Kind.SYSTEM, "s", {"name": "S", "big": value}, "t", "native")], [], SEEN)
    assert snapshot(store) == before


def test_ids_that_differ_only_in_unicode_normalisation_are_warned_about(seeded, tmp_path):
    import unicodedata

    nfc, nfd = (unicodedata.normalize(form, "team-café") for form in ("NFC", "NFD"))
    first = write(tmp_path, "a.json", json.dumps({"teams": [{"id": nfc, "name": "Café A"}]}))
    import_paths([first], seeded)
    second = write(tmp_path, "b.json", json.dumps({"teams": [{"id": nfd, "name": "Café B"}]}))
    report = import_paths([second], seeded)
    [group] = [g for g in report.problems if "normalisation" in g.message]
    assert not group.fatal
    assert "'team-cafe\\u0301', 'team-caf\\xe9' differ only in how their accents are encoded" in group.sample[0]
    with pytest.raises(ImportFailed, match="differ only in how their accents"):
        import_paths([second], seeded, ImportOptions(strict=True))


@pytest.mark.parametrize("date, words", [("9999-12-31", "more than a year from now"), ("0001-01-01", "before 1970")])
def test_placeholder_dates_are_kept_with_a_warning(seeded, tmp_path, date, words):
    path = write(tmp_path, "i.yaml", f"initiatives:\n  - id: i1\n    name: I\n    stage: pilot\n    stage_since: {date}\n")
    report = import_paths([path], seeded)
    [group] = [g for g in report.problems if g.message == "an unlikely date"]
    assert group.sample == [f"{path}:5 [initiatives[0]]: stage_since: stage_since {date} is {words}: "
                            "a placeholder? It is kept as written"]
    assert seeded.get("i1").properties["stage_since"] == date


def test_a_file_with_nothing_to_import_is_warned_about(seeded, tmp_path):
    path = write(tmp_path, "entities.json", "[]")
    before = snapshot(seeded)
    with pytest.raises(ImportFailed, match="nothing to import in this file"):
        import_paths([path], seeded, ImportOptions(strict=True))
    empty = write(tmp_path, "empty.yaml", "# nothing yet\n")
    report = import_paths([empty], seeded)
    assert [g.message for g in report.problems] == ["a file with nothing to import"]
    assert not report.written and snapshot(seeded) == before
