"""What the benchmarks share: the CSV register of a generated enterprise, and
the process's peak memory. Importable as ``bench.common`` (tests, bench/run.py)
with the repository root on the path."""

from __future__ import annotations

import csv
import resource
from collections import defaultdict
from pathlib import Path

from graph.records import NodeRecord, RelRecord
from graph.schema import plural

RESULTS = Path(__file__).parent / "results"


def write_register(folder: Path, nodes: list[NodeRecord], rels: list[RelRecord]) -> None:
    """The records as a CSV register: one file per kind and relationships.csv."""
    by_kind: dict = defaultdict(list)
    for node in nodes:
        by_kind[node.kind].append(node)
    for kind, members in by_kind.items():
        columns = sorted({key for node in members for key in node.properties})
        with open(folder / f"{plural(kind)}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", *columns])
            for node in members:
                row = [node.properties.get(c) for c in columns]
                writer.writerow([node.id, *[";".join(v) if isinstance(v, list) else v for v in row]])
    with open(folder / "relationships.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["type", "from_id", "to_id", "role"])
        for rel in rels:
            writer.writerow([rel.type.value, rel.from_id, rel.to_id, rel.properties.get("role", "")])


def peak_mb() -> float:
    """This process's peak resident set size so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
