"""An import in several transactions (--commit-every) is marked unfinished in
the store until its last transaction; the marker survives an interruption and
goes when the import is run again to the end. On both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.store.base import Store
from importers.loader import ImportOptions, import_paths

SOURCE = "teams:\n" + "".join(f"  - {{id: t{i}, name: Team {i}, type: team}}\n" for i in range(10)) + \
    "systems:\n" + "".join(f"  - {{id: s{i}, name: System {i}, owners: [t{i}]}}\n" for i in range(10))


class Interrupt(BaseException):
    """Stands in for Ctrl-C (what KeyboardInterrupt would do, without the test runner catching it)."""


class StopAfter:
    """A progress callback that interrupts the import once ``writes`` records were sent."""

    def __init__(self, records: int):
        self.records = records

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase == "writing" and done >= self.records:
            raise Interrupt()


def test_an_interrupted_import_is_marked_until_a_rerun_completes_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    assert store.pending_imports() == {}
    with pytest.raises(Interrupt):
        import_paths([path], store, ImportOptions(commit_every=5, progress=StopAfter(10)))
    pending = store.pending_imports()
    assert len(pending) == 1
    [entry] = pending.values()
    assert entry["what"].startswith("aimap import ") and entry["what"].endswith("in.yaml --commit-every 5")
    dt.datetime.strptime(entry["started"], "%Y-%m-%dT%H:%M:%SZ")
    written = store.counts().total_nodes
    assert 0 < written < 20  # some batches committed, not all
    # an unrelated import in one transaction does not clear the marker
    other = tmp_path / "other.yaml"
    other.write_text("teams:\n  - {id: t-other, name: Other}\n", encoding="utf-8")
    import_paths([other], store)
    assert store.pending_imports() == pending
    # running the interrupted import again finishes it
    import_paths([path], store, ImportOptions(commit_every=5))
    assert store.pending_imports() == {}
    assert store.counts().total_nodes == 21 and store.counts().total_relationships == 10


def test_an_import_in_one_transaction_never_marks_the_store(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    with pytest.raises(Interrupt):
        import_paths([path], store, ImportOptions(progress=StopAfter(10)))
    assert store.pending_imports() == {}
    assert store.counts().total_nodes == 0


def test_clear_forgets_unfinished_imports(store: Store) -> None:
    store.begin_pending_import("k", "aimap import x --commit-every 1", "2026-11-01T00:00:00Z")
    assert set(store.pending_imports()) == {"k"}
    store.clear()
    assert store.pending_imports() == {}
