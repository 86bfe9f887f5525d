"""Fixtures for the explorer tests (see ``explorer_fixtures``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from explorer_fixtures import example_service, hostile_service  # noqa: E402


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return example_service(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_service(tmp_path_factory.mktemp("hostile"))
