"""Helpers the importer tests share: the sample files beside the repository,
and compact views of what an import left in the store."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from graph.schema import Kind, Rel

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
"""The public sample files; CI lays shared/ beside the repository."""


def sample(folder: str, name: str) -> Path:
    """A public sample file. Without the shared/ folder (a user cloned only
    the repository) the test is skipped with the reason; in CI, which lays
    shared/ beside the repository, a missing sample is a failure."""
    path = SHARED_DATA / folder / name
    if not SHARED_DATA.is_dir() and not os.environ.get("CI"):
        pytest.skip(f"needs the public samples in {SHARED_DATA} (shared/ beside the repository)")
    assert path.is_file(), f"missing sample {path}: the shared/ folder must sit beside the repository"
    return path


def counts(store) -> tuple[dict[Kind, int], dict[Rel, int]]:
    """Nodes per kind and relationships per type, zeros left out."""
    c = store.counts()
    return ({k: n for k, n in c.nodes.items() if n}, {k: n for k, n in c.relationships.items() if n})


def edges(store, rel: Rel) -> set[tuple[str, str]]:
    return {(r.source_id, r.target_id) for r in store.iter_relationships(rel)}


def props(store, node_id: str) -> dict:
    node = store.get(node_id)
    assert node is not None, f"no node {node_id}"
    return node.properties


def write(tmp_path: Path, file_name: str, body: str) -> Path:
    path = tmp_path / file_name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path
