"""Which rules a what-if's changes can move, so only those run again.

Running every rule on 100,000 entities costs seconds; a what-if changes a few
properties (``lifecycle``, ``active``, ``stage``) and relationships, and a
rule that reads none of them gives the same findings as before. ``READS``
declares, per rule, the node properties and relationship types it reads —
including those a business unit is computed from, for the rules whose logic
depends on units. A rule missing from the table (a new one) always runs
again, so forgetting to declare one costs time, never a wrong answer.
``tests/service/test_whatif_rules.py`` checks the table against full runs on
random changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.schema import Rel

UNIT_RELS = frozenset({Rel.OWNS, Rel.MEMBER_OF, Rel.PART_OF, Rel.PERFORMS, Rel.SUPPORTS, Rel.MEASURED_BY})
"""What a business unit is computed from (``AnalysisContext.business_unit``), with ``active``."""

READS: dict[str, tuple[frozenset[str], frozenset[Rel]]] = {
    "dependency-cycle": (frozenset(), frozenset({Rel.DEPENDS_ON})),
    "duplicate-initiatives": (frozenset({"stage", "active"}), UNIT_RELS),
    "fragmented-ownership": (frozenset({"active"}), UNIT_RELS),
    "orphaned-initiative": (frozenset({"stage", "active"}), frozenset({Rel.OWNS})),
    "pilot-metrics-only": (frozenset({"stage"}), frozenset({Rel.MEASURED_BY})),
    "pilot-purgatory": (frozenset({"stage"}), frozenset({Rel.INTEGRATES_WITH})),
    "retired-dependency": (frozenset({"lifecycle", "stage"}), frozenset({Rel.DEPENDS_ON, Rel.INTEGRATES_WITH})),
    "stale-record": (frozenset(), frozenset()),
    "unanchored-initiative": (frozenset({"stage"}), frozenset({Rel.SUPPORTS})),
    "unintegrated-workflow": (frozenset({"stage"}), frozenset({Rel.INTEGRATES_WITH, Rel.SUPPORTS, Rel.USES})),
    "unowned-dependency": (frozenset({"stage", "active"}), frozenset({Rel.DEPENDS_ON, Rel.OWNS})),
}


def rules_moved(rule_ids: Iterable[str], fields: set[str], rels: set[Rel]) -> list[str]:
    """The rules among ``rule_ids`` that read a changed property or relationship type."""
    moved = []
    for rule in rule_ids:
        declared = READS.get(rule)
        if declared is None or declared[0] & fields or declared[1] & rels:
            moved.append(rule)
    return moved
