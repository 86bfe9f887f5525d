"""Fixtures for the report tests: the example enterprise in an embedded store,
its read service as of the example's date, and a writer for suppressions files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from graph.analyses import AnalysisConfig
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from importers.example import AS_OF, load_example


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example loaded once per module: tests that only read share it."""
    path = tmp_path_factory.mktemp("report") / "example.db"
    store = SQLiteStore(path)
    load_example(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def example_store(example_db: Path) -> Iterator[SQLiteStore]:
    """A read-only view of the example: never write to it (copy ``example_db``)."""
    store = SQLiteStore(example_db)
    yield store
    store.close()


@pytest.fixture
def changeable_store(example_db: Path, tmp_path: Path) -> Iterator[SQLiteStore]:
    """The example in a store of the test's own, to change."""
    copy = tmp_path / "example.db"
    copy.write_bytes(example_db.read_bytes())
    store = SQLiteStore(copy)
    yield store
    store.close()


def _service_at(store, as_of: dt.date = AS_OF) -> ReadService:
    return ReadService(store, AnalysisConfig(as_of=as_of))


@pytest.fixture
def service_at():
    """``service_at(store, as_of)``: a read service analysing as of that date."""
    return _service_at


@pytest.fixture(scope="module")
def example(example_store) -> ReadService:
    return _service_at(example_store)


def _write_suppressions(path: Path, entries: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"suppressions": entries}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def write_suppressions():
    """``write_suppressions(path, entries)``: a suppressions file holding ``entries``."""
    return _write_suppressions
