"""``commit_every``: big imports in several transactions, same graph, on both stores."""

from __future__ import annotations

from pathlib import Path

from graph.schema import Rel
from importers.loader import ImportOptions, import_paths

MANY = "systems:\n" + "".join(
    f"  - {{id: s{i:03d}, name: System {i}{f', depends_on: s{i - 1:03d}' if i else ''}}}\n" for i in range(50)
)


class CountingStore:
    """Wraps a store and counts its transactions (upsert calls)."""

    def __init__(self, inner):
        self.inner, self.upserts = inner, 0

    def upsert(self, nodes, relationships, seen_at, **pending):
        self.upserts += 1
        nodes, relationships = list(nodes), list(relationships)
        # a relationship is written only after both of its ends
        written = {n.id for n in self.inner.iter_nodes()} | {n.id for n in nodes}
        assert all(r.from_id in written and r.to_id in written for r in relationships)
        return self.inner.upsert(nodes, relationships, seen_at, **pending)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_commit_every_writes_the_same_graph_in_several_transactions(store, tmp_path: Path):
    path = tmp_path / "many.yaml"
    path.write_text(MANY, encoding="utf-8")
    counting = CountingStore(store)
    import_paths([path], counting, ImportOptions(commit_every=20))
    assert counting.upserts == 3 + 3  # 50 nodes, then 49 relationships, 20 at a time
    assert store.counts().total_nodes == 50
    assert len(store.relationships(type=Rel.DEPENDS_ON)) == 49
    again = import_paths([path], store, ImportOptions(commit_every=20))
    assert again.nodes["System"].unchanged == 50


def test_one_transaction_by_default(tmp_path: Path, store):
    path = tmp_path / "many.yaml"
    path.write_text(MANY, encoding="utf-8")
    counting = CountingStore(store)
    import_paths([path], counting)
    assert counting.upserts == 1
