"""Importer tests run on the embedded store only.

An importer maps a format onto schema records and never sees a store's
internals; the writes themselves are the store's job, which the conformance
suite (tests/store) checks on SQLite and Neo4j alike. One SQLite file per test
keeps these several hundred tests fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store.sqlite_store import SQLiteStore

@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "t.db") as db:
        yield db
