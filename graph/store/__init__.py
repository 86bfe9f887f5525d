"""Opening a store from a URL: ``sqlite:///PATH`` (the default, ``./aimap.db``),
or ``neo4j://``, ``bolt://`` (and their ``+s``/``+ssc`` variants) for a Neo4j server."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from graph.errors import StoreError
from graph.store.base import Counts, Store

DEFAULT_STORE = "sqlite:///aimap.db"
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def store_url(url: str | None = None) -> str:
    """The URL in force: the argument, else ``AIMAP_STORE``, else the default."""
    return url or os.environ.get("AIMAP_STORE") or DEFAULT_STORE


def open_store(url: str | None = None, create: bool = True) -> Store:
    """The store at ``url``. With ``create`` false, a missing embedded store is
    an error rather than a new empty file (reading commands use this)."""
    url = store_url(url)
    scheme = urlsplit(url).scheme.lower()
    if scheme == "sqlite":
        from graph.store.sqlite_store import SQLiteStore

        path = url.split("://", 1)[1]
        path = path[1:] if path.startswith("/") else path  # sqlite:///rel.db -> rel.db
        if not path:
            raise StoreError(f"no file in the store URL {url!r}: write sqlite:///PATH")
        if path == ":memory:" or path.startswith("file::memory:") or "mode=memory" in path:
            raise StoreError(f"{url!r} is a database in memory: it would be gone when the command ends and keep "
                             "nothing; name a file, e.g. sqlite:///aimap.db")
        return SQLiteStore(path, create)
    if scheme in NEO4J_SCHEMES:
        from graph.store.neo4j_store import Neo4jStore

        return Neo4jStore.from_url(url)
    if not scheme and url == ":memory:":
        raise StoreError("':memory:' is a database in memory: it would keep nothing; name a file, e.g. sqlite:///aimap.db")
    if not scheme and url.endswith(".db"):
        from graph.store.sqlite_store import SQLiteStore

        return SQLiteStore(url, create)
    raise StoreError(
        f"unknown store {url!r}: use sqlite:///PATH for the embedded store or neo4j://HOST:7687 / bolt://HOST:7687"
    )


__all__ = ["Counts", "DEFAULT_STORE", "Store", "open_store", "store_url"]
