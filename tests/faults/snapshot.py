"""What a store holds, as plain data, to assert that a fault changed nothing."""

from __future__ import annotations

from typing import Any

from graph.store.base import Store


def snapshot(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return ([node.as_dict() for node in store.iter_nodes()],
            [rel.as_dict() for rel in store.iter_relationships()])
