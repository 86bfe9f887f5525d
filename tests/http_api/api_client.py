"""An API client over a store: the FastAPI test client on the ``store`` fixture
(so every API test runs on SQLite and on Neo4j), with tokens of each scope."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest

from api.http.app import create_app
from api.http.deps import Access
from api.http.settings import ServeSettings, TokenLists, build_access
from graph.analyses import AnalysisConfig
from graph.service import ReadService
from graph.store.base import Store
from importers.example import AS_OF, load_example

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

READ_TOKEN = "reader-token-0123456789"
WRITE_TOKEN = "writer-token-0123456789"
READ = {"Authorization": f"Bearer {READ_TOKEN}"}
WRITE = {"Authorization": f"Bearer {WRITE_TOKEN}"}


def tokens() -> Access:
    return build_access(ServeSettings(tokens=TokenLists(read=[READ_TOKEN], write=[WRITE_TOKEN])), environ={})


@pytest.fixture
def make_client(store: Store) -> Callable[..., TestClient]:
    def make(access: Access | None = None, example: bool = True) -> TestClient:
        if example:
            load_example(store)
        service = ReadService(store, AnalysisConfig(as_of=AS_OF))
        return TestClient(create_app(service, access if access is not None else tokens()),
                          raise_server_exceptions=False)

    return make


@pytest.fixture
def client(make_client) -> TestClient:
    """The example enterprise behind tokens; pass READ or WRITE as headers."""
    return make_client()


def assert_problem(response, status: int, *words: str) -> dict:
    """A response is an RFC 9457 problem detail with ``status`` whose detail says ``words``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    for word in words:
        assert word in body["detail"], body["detail"]
    return body
