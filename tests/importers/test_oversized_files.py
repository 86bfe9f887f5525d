"""A file over the size limit is refused before it is read, whatever its format."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.base import ImportFailed
from importers.formats import READERS
from importers.loader import ImportOptions, import_paths

NAMES = {
    "native": "landscape.yaml", "csv": "teams.csv", "excel": "register.xlsx", "backstage": "catalog-info.yaml",
    "cmdb": "cmdb_ci.csv", "bpmn": "process.bpmn", "archimate": "model.xml", "ai-inventory": "inventory.csv",
}


def test_every_format_is_covered():
    assert set(NAMES) == {reader.name for reader in READERS}


@pytest.mark.parametrize("format_name", sorted(NAMES))
def test_a_101_mb_file_is_refused_cleanly(store, tmp_path: Path, format_name: str):
    path = tmp_path / NAMES[format_name]
    with open(path, "wb") as handle:  # sparse: costs no disk, reads as 101 MB
        handle.truncate(101 * 1024 * 1024)
    with pytest.raises(ImportFailed) as failure:
        import_paths([path], store, ImportOptions(format=format_name))
    assert f"{path}: the file is 101 MB, over the 50 MB limit" in str(failure.value)
    assert store.counts().total_nodes == 0
