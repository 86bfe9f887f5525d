"""Concurrent writers and readers on both stores: every write all or nothing.

Threads share one ``Store`` object (as the API's worker threads do); processes
open the same store by URL (as two ``aimap import`` runs do). Each writer
writes batches whose rows only make sense together — a batch of people and
one relationship per person — so a half-saved batch would show as a count
that is not a multiple of the batch size, or a relationship without its node.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from pathlib import Path

import pytest

from graph.errors import StoreBusy
from graph.records import NodeRecord, RelRecord
from graph.schema import Kind, Rel
from graph.store import open_store
from graph.store.base import Store
from graph.store.sqlite_store import SQLiteStore

SEEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
BATCH = 500
WRITERS = 4
BATCHES = 3


def batch(writer: int, number: int) -> tuple[list[NodeRecord], list[RelRecord]]:
    """People of one writer's batch, each MEMBER_OF the writer's team."""
    team = f"team-{writer}"
    people = [NodeRecord(Kind.PERSON, f"p-{writer}-{number}-{i:04}", {"name": f"P {i}"}, "t", "native")
              for i in range(BATCH)]
    nodes = [NodeRecord(Kind.TEAM, team, {"name": team}, "t", "native"), *people]
    rels = [RelRecord(Rel.MEMBER_OF, p.id, team, {}, "t", "native") for p in people]
    return nodes, rels


def write_batches(store: Store, writer: int) -> None:
    for number in range(BATCHES):
        nodes, rels = batch(writer, number)
        store.upsert(nodes, rels, SEEN)


def assert_whole_batches(store: Store, writers: int) -> None:
    counts = store.counts()
    assert counts.nodes[Kind.PERSON] == writers * BATCHES * BATCH
    assert counts.relationships[Rel.MEMBER_OF] == writers * BATCHES * BATCH
    people = {n.id for n in store.iter_nodes(Kind.PERSON)}
    assert all(r.source_id in people for r in store.iter_relationships(Rel.MEMBER_OF))


def test_threads_writing_at_once_save_every_batch_whole(store: Store):
    before = store.revision()
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            write_batches(store, writer)
        except BaseException as exc:  # collected, so the test says what failed
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_whole_batches(store, WRITERS)
    assert store.revision() >= before + WRITERS * BATCHES


def test_readers_see_whole_batches_while_writers_write(store: Store):
    stop = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                seen.append(store.counts().nodes[Kind.PERSON])
        except BaseException as exc:
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        writers = [threading.Thread(target=write_batches, args=(store, w)) for w in range(2)]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert seen and all(count % BATCH == 0 for count in seen)
    assert_whole_batches(store, 2)


def _process_writer(url: str, writer: int, env: dict[str, str]) -> None:
    import os

    os.environ.update(env)
    with open_store(url) as store:
        write_batches(store, writer)


def _store_url(store: Store, request: pytest.FixtureRequest) -> tuple[str, dict[str, str]]:
    """How another process opens the same store: its URL, and for Neo4j the credentials."""
    if isinstance(store, SQLiteStore):
        return store.url, {}
    server = request.getfixturevalue("neo4j_server")
    return server["uri"], {"NEO4J_USER": server["user"], "NEO4J_PASSWORD": server["password"]}


def test_processes_writing_at_once_save_every_batch_whole(store: Store, request: pytest.FixtureRequest):
    url, env = _store_url(store, request)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_process_writer, args=(url, w, env)) for w in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert_whole_batches(store, 3)


def test_a_writer_held_up_too_long_says_so_and_writes_nothing(tmp_path: Path):
    path = tmp_path / "aimap.db"
    holder = SQLiteStore(path)
    waiter = SQLiteStore(path, write_timeout=0.3)
    nodes, rels = batch(0, 0)
    with holder._write_transaction():  # another writer in the middle of a long import
        with pytest.raises(StoreBusy, match=r"busy: another aimap has been writing .* more than 0.3 s"):
            waiter.upsert(nodes, rels, SEEN)
    assert waiter.counts().nodes[Kind.PERSON] == 0
    waiter.upsert(nodes, rels, SEEN)  # free again: the same write goes through
    assert waiter.counts().nodes[Kind.PERSON] == BATCH
    holder.close()
    waiter.close()


def test_a_waiting_writer_goes_through_once_the_other_finishes(tmp_path: Path, caplog):
    path = tmp_path / "aimap.db"
    holder = SQLiteStore(path)
    waiter = SQLiteStore(path, write_timeout=30)
    release = threading.Timer(0.8, lambda: held.__exit__(None, None, None))
    held = holder._write_transaction()
    held.__enter__()
    release.start()
    nodes, rels = batch(1, 0)
    with caplog.at_level("WARNING", logger="graph.store.sqlite_store"):
        waiter.upsert(nodes, rels, SEEN)
    release.join()
    assert "busy with another writer: waiting up to 30 s" in caplog.text
    assert waiter.counts().nodes[Kind.PERSON] == BATCH
    holder.close()
    waiter.close()
