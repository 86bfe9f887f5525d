"""Store addresses and faults of the embedded store (issue 13): each is one
clear error, and the file it points at is left exactly as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from graph.errors import StoreError, StoreMissing
from graph.records import NodeRecord
from graph.schema import Kind
from graph.store import open_store
from graph.store.sqlite_store import SQLiteStore

SEEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def people(count: int, prefix: str = "p") -> list[NodeRecord]:
    return [NodeRecord(Kind.PERSON, f"{prefix}-{i:05}", {"name": f"Person {i} " + "x" * 200}, "t", "native")
            for i in range(count)]


@pytest.mark.parametrize("url", ["sqlite:///:memory:", ":memory:", "sqlite:///file::memory:?cache=shared"])
def test_a_store_in_memory_is_refused_since_it_would_keep_nothing(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="in memory: it would .*keep nothing; name a file"):
        open_store(url)
    assert list(tmp_path.iterdir()) == []


def test_an_sqlite_file_that_is_not_an_aimap_store_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (n INTEGER)")
    before = digest(path)
    for create in (False, True):
        with pytest.raises(StoreError, match="is an SQLite database but not an aimap store .*left untouched"):
            SQLiteStore(path, create=create)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert [name for (name,) in db.execute("SELECT name FROM sqlite_master")] == ["invoices"]


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n" * 100)
    with pytest.raises(StoreError, match="cannot open the store .*notes.db: file is not a database"):
        SQLiteStore(path, create=False)
    assert path.read_text() == "shopping list\n" * 100


def test_a_folder_as_the_store_is_refused(tmp_path):
    with pytest.raises(StoreError, match="it is a folder; name a file"):
        open_store(f"sqlite:///{tmp_path}")


def test_a_missing_store_for_reading_is_named_and_not_created(tmp_path):
    with pytest.raises(StoreMissing, match="no store at .*import something first"):
        SQLiteStore(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_a_full_disk_is_named_and_the_store_is_unchanged(tmp_path):
    """SQLite's max_page_count stands in for a full disk: the same error code."""
    path = tmp_path / "full.db"
    with SQLiteStore(path) as store:
        store.upsert(people(10, "before"), [], SEEN)
        before = [node.as_dict() for node in store.iter_nodes()]
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count={pages + 5}")
        with pytest.raises(StoreError) as caught:
            store.upsert(people(2000), [], SEEN)
        message = str(caught.value)
        assert "the disk (or the database's size limit) is full; nothing was written" in message
        assert "rollback" not in message and "\n" not in message
        assert [node.as_dict() for node in store.iter_nodes()] == before
        assert store.revision() == 2  # the schema and the first write; the failed one left no trace


@pytest.fixture
def read_only_copy(tmp_path):
    """A store on a read-only mount (a bind mount remounted read-only: needs
    root and a sandbox that allows mounts), else a read-only file and folder
    for a user who is not root."""
    folder = tmp_path / "data"
    folder.mkdir()
    with SQLiteStore(folder / "aimap.db") as store:
        store.upsert(people(3), [], SEEN)
    if os.geteuid() != 0:
        (folder / "aimap.db").chmod(0o444)
        folder.chmod(0o555)
        yield folder / "aimap.db"
        folder.chmod(0o755)
        return
    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    bound = subprocess.run(["mount", "--bind", str(folder), str(mount_point)], capture_output=True, text=True)
    if bound.returncode != 0:
        pytest.skip(f"root, but cannot bind-mount here: {bound.stderr.strip()}")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mount_point)]).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield mount_point / "aimap.db"
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_read_only_store_can_be_read_and_refuses_writes_clearly(read_only_copy):
    before = digest(read_only_copy)
    with open_store(f"sqlite:///{read_only_copy}", create=False) as store:
        assert [node.id for node in store.iter_nodes()] == ["p-00000", "p-00001", "p-00002"]
        assert store.counts().total_nodes == 3
        with pytest.raises(StoreError, match="read-only; nothing was written"):
            store.upsert(people(1, "new"), [], SEEN)
    with pytest.raises(StoreError, match="the file or its folder is read-only"):
        open_store(f"sqlite:///{read_only_copy}", create=True)
    assert digest(read_only_copy) == before
