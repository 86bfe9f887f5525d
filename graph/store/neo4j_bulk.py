"""The first load of an empty Neo4j, through neo4j-admin's offline importer.

Cypher writes at most a few tens of thousands of records a second; the
offline importer (``neo4j-admin database import full``) writes the store
files directly, several times faster, but only into an empty, stopped
database, and only from CSV files in its own header format. This module
writes those files in exactly the layout ``graph.store.neo4j_store`` keeps
(labels, property names, provenance, placeholders for missing ends, pending
references, the sources' claims, the revision node), so that aimap reads,
re-imports and analyses the result as if it had imported it itself.

``bulk_load`` is the whole path, for a server that is aimap's own
(``scripts/neo4j``): import the register with aimap's importers into a
throwaway embedded store (so validation, references, merging and claims
behave exactly as in ``aimap import``), write the admin files from it, let
``scripts/neo4j admin-import`` stop the server, import and restart it, and
create the constraints the store expects.

    scripts/neo4j bulk-load --state STATE_FILE REGISTER...      (with aimap's Python)
    python -m graph.store.neo4j_bulk --state STATE_FILE REGISTER...
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.store.base import Store
from graph.store.neo4j_store import CLAIM, ENTITY, META, PENDING, _claim_key, _pending_row, _storable

ARRAY_DELIMITER = ";"
LAUNCHER = Path(__file__).resolve().parents[2] / "scripts" / "neo4j"
_TYPES = {bool: "boolean", int: "long", float: "double", str: ""}


@dataclass
class AdminFiles:
    """What ``neo4j-admin database import full`` is given."""

    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _type(value: Any) -> str:
    """The admin header's type of a stored value (string has none)."""
    if isinstance(value, list):
        items = {_TYPES[type(item)] for item in value} or {""}
        return (items.pop() or "string") + "[]"
    return _TYPES[type(value)]


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if any(ARRAY_DELIMITER in str(item) for item in value):
            raise ValueError(f"a list item holds {ARRAY_DELIMITER!r}, the import's array delimiter: {value!r:.80}")
        return ARRAY_DELIMITER.join(_cell(item) for item in value)
    return repr(value) if isinstance(value, float) else str(value)


class _Writer:
    """Rows grouped into one file per header: rows with the same labels (or
    type) and the same typed property names share a file, so every entity
    gets exactly its own properties (an empty cell would drop a property)."""

    def __init__(self, folder: Path, files: AdminFiles):
        self.folder, self.files = folder, files
        self.open: dict[tuple, tuple[Any, Any]] = {}

    def row(self, group: str, fixed: list[tuple[str, str]], props: dict[str, Any]) -> None:
        stored = {key: _storable(value) for key, value in props.items() if value is not None}
        signature = tuple((key, _type(value)) for key, value in sorted(stored.items()))
        key = (group, tuple(name for name, _ in fixed), signature)
        if key not in self.open:
            path = self.folder / f"{group}-{len(self.open):04d}.csv"
            handle = open(path, "w", newline="", encoding="utf-8")
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow([name for name, _ in fixed] + [f"{k}:{t}" if t else k for k, t in signature])
            self.open[key] = (handle, writer)
            (self.files.relationships if group == "rels" else self.files.nodes).append(path)
        cells = [value for _, value in fixed] + [_cell(stored[k]) for k, _ in signature]
        if "--multiline-fields=true" not in self.files.options and any("\n" in c or "\r" in c for c in cells):
            self.files.options.append("--multiline-fields=true")
        self.open[key][1].writerow(cells)
        self.files.counts[group] += 1

    def close(self) -> None:
        for handle, _ in self.open.values():
            handle.close()


def _provenance(record: Any) -> dict[str, Any]:
    return {"source": record.source, "importer": record.importer, "first_seen": record.first_seen,
            "last_seen": record.last_seen}


def write_admin_files(store: Store, folder: Path) -> AdminFiles:
    """The graph of ``store`` as neo4j-admin import files in ``folder``, in
    the Neo4j store's layout (see ``graph.store.neo4j_store``'s docstring)."""
    files = AdminFiles()
    writer = _Writer(folder, files)
    try:
        seen: set[str] = set()
        for node in store.iter_nodes():
            seen.add(node.id)
            writer.row("nodes", [("id:ID", node.id), (":LABEL", f"{ENTITY};{node.kind.value}")],
                       {**node.properties, **_provenance(node)})
        ends: set[str] = set()
        for rel in store.iter_relationships():
            ends.update((rel.from_id, rel.to_id))
            writer.row("rels", [(":START_ID", rel.from_id), (":END_ID", rel.to_id), (":TYPE", rel.type.value),
                                ("key", str(rel.key))], {**rel.properties, **_provenance(rel)})
        for missing in sorted(ends - seen):  # a missing end is a bare Entity, as the store keeps it
            writer.row("placeholders", [("id:ID", missing), (":LABEL", ENTITY)], {})
        for ref in store.pending_references():
            writer.row("pending", [(":LABEL", PENDING)],
                       {**_pending_row(ref), "first_seen": ref.first_seen, "last_seen": ref.last_seen})
        for claim in store.claims():
            writer.row("claims", [(":LABEL", CLAIM)],
                       {"key": _claim_key("node", claim.entity, claim.field, claim.source), "entity": claim.entity,
                        "field": claim.field, "value": claim.value, **_provenance(claim)})
        for rc in store.relationship_claims():
            writer.row("claims", [(":LABEL", CLAIM)],
                       {"key": _claim_key("rel", rc.type, rc.from_id, rc.to_id, rc.key, rc.source), "type": rc.type,
                        "from_id": rc.from_id, "to_id": rc.to_id, "rkey": rc.key, **_provenance(rc)})
        writer.row("meta", [(":LABEL", META)], {"key": "store", "revision": store.revision()})
    finally:
        writer.close()
    return files


def _import_register(paths: list[Path], folder: Path) -> AdminFiles:
    """Import the register into a throwaway embedded store with aimap's own
    importers, and write the admin files from it."""
    from importers.loader import import_paths  # the importers are only needed here
    from graph.store import open_store

    with open_store(f"sqlite:///{folder / 'staging.db'}") as staging:
        import_paths(paths, staging)
        files = write_admin_files(staging, folder)
    (folder / "staging.db").unlink()
    return files


def bulk_load(paths: Iterable[Path], state_file: Path, python: str = sys.executable) -> dict[str, float]:
    """Load a register into the empty database of the scripts/neo4j server of
    ``state_file``; return the seconds of each step. Refuses a database that
    already holds entities (the offline import replaces a database whole)."""
    from graph.store.neo4j_store import Neo4jStore

    state = json.loads(Path(state_file).read_text())
    url, user, password = state["NEO4J_URI"], state["NEO4J_USER"], state["NEO4J_PASSWORD"]
    with Neo4jStore(url, user, password) as store:
        if store.counts().total_nodes:
            raise SystemExit(f"the database at {url} is not empty; bulk-load only makes a first load")
    steps: dict[str, float] = {}
    folder = Path(state["NEO4J_HOME"]) / "import" / "aimap-bulk"
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    files = _import_register(sorted(Path(p) for p in paths), folder)
    steps["convert"] = time.perf_counter() - start
    command = [python, str(LAUNCHER), "admin-import", "--state", str(state_file),
               *(f"--nodes={p}" for p in files.nodes), *(f"--relationships={p}" for p in files.relationships),
               "--", *files.options]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    steps["admin_import_and_restart"] = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    steps["admin_import"] = float(_lines(result.stdout)["NEO4J_IMPORT_SECONDS"])
    start = time.perf_counter()
    with Neo4jStore(url, user, password):  # creates the constraints and waits for their indexes
        pass
    steps["constraints"] = time.perf_counter() - start
    return steps


def _lines(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.store.neo4j_bulk", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, required=True, help="the scripts/neo4j state file of the server")
    parser.add_argument("paths", nargs="+", type=Path, help="register files or folders, as aimap import takes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    steps = bulk_load(args.paths, args.state)
    print(json.dumps({**{k: round(v, 3) for k, v in steps.items()},
                      "total": round(time.perf_counter() - started, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
