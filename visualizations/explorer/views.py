"""The explorer's views: which entities and relationships each one shows.

* ``all``: the whole graph.
* ``ownership``: teams, people and what they own (OWNS, MEMBER_OF, and PART_OF
  between teams).
* ``dependency``: initiatives, workflows and systems and how they hang together.
* ``gaps``: what the findings involve, with their evidence paths highlighted.
"""

from __future__ import annotations

from enum import StrEnum

from graph.schema import Kind, Rel


class View(StrEnum):
    ALL = "all"
    OWNERSHIP = "ownership"
    DEPENDENCY = "dependency"
    GAPS = "gaps"


VIEW_RELS: dict[View, frozenset[Rel]] = {
    View.ALL: frozenset(Rel),
    View.OWNERSHIP: frozenset({Rel.OWNS, Rel.MEMBER_OF, Rel.PART_OF}),
    View.DEPENDENCY: frozenset({Rel.DEPENDS_ON, Rel.INTEGRATES_WITH, Rel.USES, Rel.SUPPORTS, Rel.PART_OF}),
    View.GAPS: frozenset(Rel),
}

VIEW_KINDS: dict[View, frozenset[Kind] | None] = {
    View.ALL: None,
    View.OWNERSHIP: None,  # what is owned can be anything; entities reached by no OWNS are dropped
    View.DEPENDENCY: frozenset({Kind.INITIATIVE, Kind.WORKFLOW, Kind.SYSTEM}),
    View.GAPS: None,
}

OWNER_KINDS = frozenset({Kind.TEAM, Kind.PERSON})


def keeps_edge(view: View, rel: Rel, src_kind: Kind | None, dst_kind: Kind | None) -> bool:
    """Whether ``view`` draws a relationship: ownership keeps PART_OF only between teams."""
    if rel not in VIEW_RELS[view]:
        return False
    if view is View.OWNERSHIP and rel is Rel.PART_OF:
        return src_kind is Kind.TEAM and dst_kind is Kind.TEAM
    return True
