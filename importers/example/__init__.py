"""The bundled example enterprise (Northwind Industrial).

A fictional mid-size pump and valve manufacturer in aimap's native YAML format,
used by ``aimap demo`` and the tests. Most of it is healthy on purpose; the gaps
the analyses should find are planted with their stories (``GAP`` comments in
the YAML) and listed in ``expected_findings.yaml``. Dates are relative to
``AS_OF``, the date the demo and the tests analyse as.

``snapshots/`` holds an older export that no later source confirms; it is
imported as seen on ``SNAPSHOT_SEEN``, which is how its records go stale.
``load_example`` does both imports, through the same option the command line
sets: ``aimap import importers/example/snapshots --seen-at 2026-07-15T09:00Z``
gives the same store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.store.base import Store
from importers.loader import ImportOptions, ImportReport, ProgressCallback, import_paths

EXAMPLE_DIR = Path(__file__).parent
EXPECTED_FINDINGS = EXAMPLE_DIR / "expected_findings.yaml"
AS_OF = dt.date(2026, 11, 25)
"""The "today" the example's dates are written against (pilot ages count up to it)."""
SNAPSHOT_DIR = EXAMPLE_DIR / "snapshots"
SNAPSHOT_SEEN = dt.datetime(2026, 7, 15, 9, 0, tzinfo=dt.timezone.utc)
"""When the snapshots were last exported: over 90 days before ``AS_OF``."""


def example_files() -> list[Path]:
    """The example's YAML files, sorted, without the expected findings."""
    return sorted(p for p in EXAMPLE_DIR.glob("*.yaml") if p != EXPECTED_FINDINGS)


def snapshot_files() -> list[Path]:
    """Older exports of sources that nothing has confirmed since."""
    return sorted(SNAPSHOT_DIR.glob("*.yaml"))


def load_example(store: Store, progress: ProgressCallback | None = None) -> ImportReport:
    """Import the example into ``store``: the current sources, then the
    snapshots as seen on ``SNAPSHOT_SEEN``. Returns the report of the first."""
    report = import_paths(example_files(), store, ImportOptions(progress=progress))
    import_paths(snapshot_files(), store, ImportOptions(now=SNAPSHOT_SEEN))
    return report
