"""Nothing a user imports can crash aimap: real files of every format, mutated
(truncated, bytes flipped, runs repeated or cut, hostile fragments inserted),
are either imported or refused with ImportFailed, and a refusal writes nothing.
Seeded, so a failure reproduces."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from importer_checks import REPO, SHARED_DATA
from importers.base import ImportFailed
from importers.loader import import_paths

SEEDS = [
    SHARED_DATA / "bpmn" / "pizza-collaboration.bpmn",
    SHARED_DATA / "bpmn" / "C.1.0.bpmn",
    SHARED_DATA / "archimate" / "archisurance.xml",
    SHARED_DATA / "backstage" / "all-components.yaml",
    SHARED_DATA / "backstage" / "acme" / "org.yaml",
    *sorted((REPO / "tests" / "fixtures" / "cmdb").glob("*.*")),
    REPO / "importers" / "example" / "initiatives.yaml",
]
INVENTORY = SHARED_DATA / "ai-use-case-inventory" / "2025_individually_reported_AI_use_cases.csv"
FRAGMENTS = [b"&x;", b'<!DOCTYPE x [<!ENTITY a "b">]>', b"*a", b"&a", b"!!python/tuple", b"\x00", b'"',
             b"\r\n", b"{{", b"- ", b"::", b"\xff\xfe"]
CASES = 160


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    operation = rng.choice(["truncate", "flip", "repeat", "cut", "insert"])
    at = rng.randrange(len(out))
    if operation == "truncate":
        del out[at:]
    elif operation == "flip":
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.choice(b"<>\"'&:-{}[]#!*\n\t =,;/x0")
    elif operation == "repeat":
        out[at:at] = out[at:at + rng.randint(1, 500)]
    elif operation == "cut":
        del out[at:at + rng.randint(1, 200)]
    else:
        out[at:at] = rng.choice(FRAGMENTS)
    return bytes(out)


def cases() -> list[tuple[int, Path]]:
    rng = random.Random(20261125)
    sources = [path for path in [*SEEDS, INVENTORY] if path.is_file()]
    return [(index, rng.choice(sources)) for index in range(CASES)]


@pytest.mark.parametrize("index, source", cases(), ids=lambda value: value.name if isinstance(value, Path) else str(value))
def test_a_mutated_file_is_imported_or_refused_never_a_crash(store, tmp_path, index, source):
    data = source.read_bytes()[:60_000] if source == INVENTORY else source.read_bytes()
    path = tmp_path / source.name
    path.write_bytes(mutate(data, random.Random(index)))
    try:
        import_paths([path], store)
    except ImportFailed as refusal:
        assert str(path) in str(refusal)
        assert store.counts().total_nodes == 0


def test_a_nul_character_deep_in_a_yaml_file_is_refused_with_its_line(store, tmp_path):
    path = tmp_path / "late-nul.yaml"
    rows = b"".join(b"  - {id: s%d, name: System}\n" % i for i in range(600))  # past the 8 KB binary sniff
    path.write_bytes(b"systems:\n" + rows + b"  - {id: z, name: \x00}\n")
    with pytest.raises(ImportFailed, match=r"late-nul.yaml:602: invalid YAML: special characters are not allowed"):
        import_paths([path], store)
