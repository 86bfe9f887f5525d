"""The bundled example enterprise (Northwind Industrial).

A fictional mid-size pump and valve manufacturer in aimap's native YAML format,
used by ``aimap demo`` and the tests. Most of it is healthy on purpose; the gaps
the analyses should find are planted with their stories (``GAP`` comments in
the YAML) and listed in ``expected_findings.yaml``. Dates are relative to
``AS_OF``, the date the demo and the tests analyse as.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

EXAMPLE_DIR = Path(__file__).parent
EXPECTED_FINDINGS = EXAMPLE_DIR / "expected_findings.yaml"
AS_OF = dt.date(2026, 11, 25)
"""The "today" the example's dates are written against (pilot ages count up to it)."""


def example_files() -> list[Path]:
    """The example's YAML files, sorted, without the expected findings."""
    return sorted(p for p in EXAMPLE_DIR.glob("*.yaml") if p != EXPECTED_FINDINGS)
