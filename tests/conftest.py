"""Shared fixtures.

``store`` is the one most tests want: an EMPTY ``Store``, once per store
implementation (``sqlite``, ``neo4j``), so a test written against it runs on
both. The neo4j parameter carries the ``neo4j`` marker (``-m "not neo4j"``
leaves it out, and then no server is started).

Neo4j for the tests:

- ``AIMAP_TEST_NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``): use that
  server and start none. Each test clears it: point it at a throwaway database.
- otherwise one server is started for the session with ``tests/neo4j_server``
  (``scripts/neo4j``) and stopped at the end.
- a server that cannot start fails the neo4j tests with the launcher's output.
  Outside CI, ``AIMAP_SKIP_NEO4J=1`` skips them instead; under ``CI=true``
  nothing skips them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from graph.store.base import Store
from graph.store.sqlite_store import SQLiteStore

SKIP_VARIABLE = "AIMAP_SKIP_NEO4J"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
"""The public sample files and the product brief, laid beside the repository
(CI does; a plain clone has none)."""
URI_VARIABLE = "AIMAP_TEST_NEO4J_URI"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _server_module() -> ModuleType:
    """``tests/neo4j_server.py``, imported by path so that it does not matter
    whether ``tests`` is a package or on ``sys.path``."""
    name = "aimap_tests_neo4j_server"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("neo4j_server.py"))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A test that failed only because ``../shared`` is not beside the
    repository is reported as skipped, with that reason. Under ``CI=true``
    the folder must be there, and such a test fails."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not report.failed or call.excinfo is None or SHARED.is_dir() or in_ci():
        return
    if str(SHARED) in report.longreprtext:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0,
                           f"Skipped: needs the public samples in {SHARED}, which is not beside this clone "
                           "(CI lays it there; under CI=true these tests run)")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """``uri``, ``user`` and ``password`` of the Neo4j server the tests use."""
    if uri := os.environ.get(URI_VARIABLE):
        yield {
            "uri": uri,
            "user": os.environ.get("NEO4J_USER") or "neo4j",
            "password": os.environ.get("NEO4J_PASSWORD", ""),
        }
        return
    if os.environ.get(SKIP_VARIABLE) == "1":
        if in_ci():
            pytest.fail(f"{SKIP_VARIABLE}=1 cannot skip the neo4j tests under CI=true: they must run in CI",
                        pytrace=False)
        pytest.skip(f"{SKIP_VARIABLE}=1: not starting Neo4j")
    state_file = tmp_path_factory.mktemp("neo4j") / "state.json"
    server = _server_module()
    try:
        details, failure = server.start_server(state_file), None
    except Exception as exc:  # the launcher's error carries its stderr and the server log
        details, failure = None, f"{type(exc).__name__}: {exc}"
    if failure:
        hint = "" if in_ci() else (
            f"\n(set {SKIP_VARIABLE}=1 to skip the neo4j tests, or {URI_VARIABLE} to use a running server)")
        pytest.fail(f"Neo4j could not start: {failure}{hint}", pytrace=False)
    try:
        yield {key: details[key] for key in ("uri", "user", "password")}
    finally:
        server.stop_server(state_file)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """An empty embedded store in a fresh file."""
    store = SQLiteStore(tmp_path / "aimap.db")
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_server: dict[str, str]) -> Iterator[Store]:
    """An empty Neo4j store (the session's server, cleared)."""
    from graph.store.neo4j_store import Neo4jStore

    store = Neo4jStore(
        neo4j_server["uri"],
        neo4j_server["user"],
        neo4j_server["password"],
        os.environ.get("NEO4J_DATABASE") or None,
    )
    store.clear()
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Store:
    """An empty ``Store``; every test using it runs on each implementation."""
    return request.getfixturevalue(f"{request.param}_store")
