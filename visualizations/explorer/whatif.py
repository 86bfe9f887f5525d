"""A what-if on the explorer: the imagined changes laid over the real graph.

The page draws the graph as the store has it (today's entities, relationships
and findings) around what a what-if touches: the changed entities and the
subjects of the findings that would appear or go, each with its neighbourhood
(``ExplorerRequest.around``). Marks tell the imagined apart from what is:

* a changed entity: a solid dark ring, "changed";
* a finding that would appear: a dashed ring in its severity's colour, "would appear";
* a finding that would go: a dotted ring in its severity's colour, "would go".

The side panel says what was imagined, what would change, and what the rings
mean. The CLI's ``aimap whatif --explore`` and the served page's
``POST /explorer/whatif`` build the same payload here; nothing is written.
"""

from __future__ import annotations

from typing import Any

from graph.schema import Kind
from graph.service import ReadService
from graph.service.whatif_models import AddRelationship, RemoveRelationship, WhatIfAnswer, WhatIfRequest, describe
from visualizations.explorer.data import explorer_data
from visualizations.explorer.request import DEFAULT_MAX_NODES, MAX_AROUND, ExplorerRequest
from visualizations.explorer.views import View

CHANGED_COLOUR = "#0f172a"
CHANGED, APPEARS, GOES = "changed", "would appear", "would go"
LEGEND = [
    {"style": "solid", "colour": CHANGED_COLOUR, "label": "changed: an entity the what-if changes"},
    {"style": "dashed", "colour": None, "label": "would appear: a finding the changes would raise "
                                                  "(ring in its severity's colour)"},
    {"style": "dotted", "colour": None, "label": "would go: a finding the changes would resolve "
                                                 "(ring in its severity's colour)"},
]
DEFAULT_DEPTH = 1


def changed_entities(request: WhatIfRequest) -> list[str]:
    """The entities the changes touch: an entity change's entity, both ends of a relationship."""
    entities: list[str] = []
    for change in request.changes:
        if isinstance(change, (AddRelationship, RemoveRelationship)):
            entities += [change.from_id, change.to_id]
        else:
            entities.append(change.id)
    return list(dict.fromkeys(entities))


def whatif_entities(request: WhatIfRequest, answer: WhatIfAnswer) -> tuple[list[str], int]:
    """What the page draws around: the changed entities first, then the
    subjects of the findings that would appear, go or change severity; at
    most ``MAX_AROUND``, with how many were left out."""
    wanted = list(dict.fromkeys([
        *changed_entities(request), *(f.subject for f in answer.appearing), *(f.subject for f in answer.disappearing),
        *(c.subject for c in answer.severity_changes)]))
    return wanted[:MAX_AROUND], max(len(wanted) - MAX_AROUND, 0)


def whatif_marks(request: WhatIfRequest, answer: WhatIfAnswer) -> list[dict[str, Any]]:
    marks: list[dict[str, Any]] = []
    for change in request.changes:
        ends = [change.from_id, change.to_id] if isinstance(change, (AddRelationship, RemoveRelationship)) \
            else [change.id]
        marks += [{"entity": end, "style": "solid", "colour": CHANGED_COLOUR, "label": CHANGED,
                   "detail": describe(change)} for end in ends]
    for label, style, findings in ((APPEARS, "dashed", answer.appearing), (GOES, "dotted", answer.disappearing)):
        marks += [{"entity": f.subject, "severity": f.severity.value, "style": style, "label": label,
                   "detail": f"{f.severity.value} · {f.rule}: {f.message}", "finding": f.id} for f in findings]
    return marks


def whatif_overlay(request: WhatIfRequest, answer: WhatIfAnswer, left_out: int = 0) -> dict[str, Any]:
    counts = answer.counts
    lines = [describe(change) for change in request.changes]
    lines.append(f"{counts['appearing']} finding{'' if counts['appearing'] == 1 else 's'} would appear, "
                 f"{counts['disappearing']} would go, {counts['staying']} stay; "
                 f"{counts['scorecards']} scorecard{'' if counts['scorecards'] == 1 else 's'} would change")
    lines += [f"severity {c.before.value} → {c.after.value}: {c.rule} on {c.subject}" for c in answer.severity_changes]
    if left_out:
        lines.append(f"{left_out:,} more changed findings' subjects are not drawn around (aimap whatif lists them)")
    lines.append(f"drawn as the store has it (revision {answer.revision}, findings as of {answer.as_of}); "
                 "the rings show what would change; nothing is written")
    return {"title": "What if", "lines": lines, "legend": LEGEND}


def whatif_explorer(service: ReadService, request: WhatIfRequest, *, view: View = View.ALL,
                    depth: int = DEFAULT_DEPTH, business_unit: str | None = None, kind: tuple[Kind, ...] = (),
                    max_nodes: int = DEFAULT_MAX_NODES) -> tuple[WhatIfAnswer, dict]:
    """The what-if's answer, and the explorer payload that shows it on the graph."""
    answer = service.what_if(request)
    around, left_out = whatif_entities(request, answer)
    explorer_request = ExplorerRequest(view=view, around=tuple(around), depth=depth, business_unit=business_unit,
                                       kind=kind, max_nodes=max_nodes)
    data = explorer_data(service, explorer_request, marks=whatif_marks(request, answer),
                         overlay=whatif_overlay(request, answer, left_out))
    return answer, data
