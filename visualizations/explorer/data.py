"""The explorer's data: what one request draws, as JSON the page reads.

The same payload is inlined in the file ``aimap explore`` writes and returned
by ``/explorer/data`` to the served page, so both draw alike. It holds the
vis-network nodes of the entities in the page (built by ``pyvis_network``),
with what hover shows (properties, owners, business unit, findings); the
clusters; relationships as compact records (the page words them from
``readings``, the schema's ``REL_READINGS``); the legend; notes on what was
left out; and ``marks``, extra markers another face may lay on the graph (a
what-if's new findings) without the explorer knowing what they mean.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from graph.analyses.model import Severity
from graph.gc_pause import collector_paused
from graph.schema import REL_READINGS, Rel
from graph.service import ReadService
from visualizations.explorer import pyvis_network
from visualizations.explorer.clusters import Clustering, group
from visualizations.explorer.layout import positions
from visualizations.explorer.request import ExplorerRequest
from visualizations.explorer.selection import Selection, select
from visualizations.explorer.style import (
    CLUSTER_SHAPE,
    KIND_STYLES,
    SEVERITY_COLOURS,
    UNIT_CLUSTER_COLOUR,
    legend,
    severity_legend,
)

LABEL_LENGTH = 32
FINDINGS_SHOWN = 8
VALUE_LENGTH = 300
MARK_STYLES = ("dashed", "dotted", "solid")
"""How a mark's ring is drawn; what each means is the overlay's legend."""
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
PROVENANCE = frozenset({"kind", "name", "source", "importer", "first_seen", "last_seen"})


def explorer_data(service: ReadService, request: ExplorerRequest, marks: list[dict[str, Any]] | None = None,
                  overlay: dict[str, Any] | None = None) -> dict:
    """Everything the page needs to draw ``request``; ``marks`` are extra
    markers ({"entity", "severity", "style", "label", "detail"}) drawn as rings,
    e.g. a what-if's new findings; ``overlay`` says what they mean in the side
    panel ({"title", "lines", "legend": [{"style", "colour", "label"}]})."""
    with collector_paused():  # hundreds of thousands of short-lived tuples over a graph of millions of objects
        selection = select(service, request)
        clustering = group(selection, request.max_nodes)
        placed = positions(clustering)
        nodes, edges = pyvis_network.build(_node_specs(selection, clustering, placed),
                                           _edge_specs(selection, clustering))
    ctx = selection.snapshot.ctx
    return {
        "meta": {
            "view": request.view.value, "focus": request.focus, "around": list(request.around),
            "focus_name": ctx.name(request.focus) if request.focus else None,
            "depth": request.depth, "business_unit": request.business_unit,
            "kind": [k.value for k in request.kind], "max_nodes": request.max_nodes,
            "as_of": selection.snapshot.config.as_of.isoformat() if selection.snapshot.config.as_of else None,
            "revision": selection.snapshot.revision,
            "entities": len(selection.entities), "in_page": len(clustering.embedded),
            "clustered": clustering.clustered,
        },
        "notes": selection.notes + clustering.notes,
        "legend": legend(), "severities": severity_legend(),
        "readings": {rel.value: [REL_READINGS[rel].forward, REL_READINGS[rel].reverse] for rel in Rel},
        "business_units": [{"id": b.id, "name": b.name, "vendor": b.vendor} for b in service.business_units()],
        "options": pyvis_network.network_options(),
        "nodes": nodes, "edges": edges,
        "cluster_edges": [[a, b, rel.value, n] for a, b, rel, n in clustering.cluster_edges],
        "marks": [_mark(m) for m in marks or ()],
        "overlay": _overlay(overlay) if overlay else None,
    }


def _mark(mark: dict[str, Any]) -> dict[str, Any]:
    """A marker as the page draws it: a ring in the severity's colour (or the
    mark's own ``colour``), ``dashed`` unless another of ``MARK_STYLES``."""
    style = mark.get("style", "dashed")
    if style not in MARK_STYLES:
        raise ValueError(f"a mark's style is one of {', '.join(MARK_STYLES)}, not {style!r}")
    severity = Severity.parse(mark["severity"]) if mark.get("severity") is not None else None
    colour = SEVERITY_COLOURS[severity] if severity else mark.get("colour") or SEVERITY_COLOURS[Severity.MEDIUM]
    return {"entity": str(mark["entity"]), "severity": severity.value if severity else None,
            "colour": _colour(colour), "style": style, "label": _short(str(mark.get("label", "")), LABEL_LENGTH),
            "detail": _short(str(mark.get("detail", "")), VALUE_LENGTH),
            "finding": str(mark["finding"])[:VALUE_LENGTH] if mark.get("finding") else None}


def _overlay(overlay: dict[str, Any]) -> dict[str, Any]:
    return {"title": _short(str(overlay.get("title", "")), VALUE_LENGTH),
            "lines": [_short(str(line), VALUE_LENGTH) for line in overlay.get("lines", ())],
            "legend": [{"style": item["style"] if item.get("style") in MARK_STYLES else "dashed",
                        "colour": _colour(item["colour"]) if item.get("colour") else None,
                        "label": _short(str(item.get("label", "")), VALUE_LENGTH)}
                       for item in overlay.get("legend", ())]}


def _colour(value: str) -> str:
    """Only a ``#rrggbb`` colour reaches the canvas."""
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise ValueError(f"a mark's colour is #rrggbb, not {value!r}")
    return value


def _short(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _value(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return _short(text, VALUE_LENGTH)


def _node_specs(selection: Selection, clustering: Clustering, placed: dict) -> list[pyvis_network.NodeSpec]:
    snapshot = selection.snapshot
    specs = []
    for unit in clustering.units:
        unit_worst: Severity | None = None
        kind_ids = []
        for kc in unit.kinds:
            kind_ids.append(kc.id)
            worst = max((w for w in map(snapshot.worst, kc.members) if w is not None), default=None)
            unit_worst = max(unit_worst, worst) if unit_worst and worst else (unit_worst or worst)
            style = KIND_STYLES[kc.kind]
            x, y = placed[kc.id]
            specs.append(pyvis_network.NodeSpec(
                kc.id, f"{kc.kind.value} · {len(kc.members):,}", CLUSTER_SHAPE,
                {"background": style.colour, "border": SEVERITY_COLOURS[worst] if worst else style.colour},
                x, y, {"font": {"color": "#ffffff"}, "borderWidth": 3 if worst else 1,
                       "aimap": {"cluster": "kind", "unit": unit.unit, "unit_name": unit.name, "parent": unit.id,
                                 "kind": kc.kind.value, "count": len(kc.members), "expandable": kc.expandable,
                                 "severity": worst.value if worst else None}}))
        x, y = placed[unit.id]
        specs.append(pyvis_network.NodeSpec(
            unit.id, f"{unit.name}{' (vendor)' if unit.vendor else ''}\n{unit.size:,} entities", CLUSTER_SHAPE,
            {"background": UNIT_CLUSTER_COLOUR, "border": SEVERITY_COLOURS[unit_worst] if unit_worst else "#64748b"},
            x, y, {"borderWidth": 3 if unit_worst else 1, "font": {"size": 16},
                   "aimap": {"cluster": "unit", "unit": unit.unit, "unit_name": unit.name, "count": unit.size,
                             "children": kind_ids, "severity": unit_worst.value if unit_worst else None}}))
        for kc in unit.kinds:
            if not kc.expandable:
                continue
            for entity in kc.members:
                specs.append(_entity_spec(selection, entity, kc.id, placed[entity]))
    return specs


def _entity_spec(selection: Selection, entity: str, cluster: str, at: tuple[float, float]) -> pyvis_network.NodeSpec:
    snapshot = selection.snapshot
    ctx = snapshot.ctx
    kind = ctx.kind(entity)
    style = KIND_STYLES[kind]  # type: ignore[index]
    findings = snapshot.findings_by_entity.get(entity, [])
    worst = snapshot.worst(entity)
    unit = ctx.business_unit(entity)
    attrs = ctx.attrs(entity)
    owners = [[ctx.name(e.from_id), e.role.value if e.role else "accountable", ctx.is_active_owner(e.from_id)]
              for e in ctx.owner_edges(entity)]
    hover = {
        "cluster": None, "member_of": cluster, "kind": kind.value if kind else None, "name": ctx.name(entity),
        "unit": unit, "unit_name": ctx.unit_name(unit) if unit else None,
        "severity": worst.value if worst else None,
        "marker": SEVERITY_COLOURS[worst] if worst else None,
        "properties": {k: _value(v) for k, v in sorted(attrs.items()) if k not in PROVENANCE and v is not None},
        "owners": owners,
        "findings": [[f.severity.value, f.rule, f.message] for f in findings[:FINDINGS_SHOWN]],
        "findings_total": len(findings),
    }
    # the kind's colour whole; the finding marker (drawn by the page) carries the severity
    return pyvis_network.NodeSpec(entity, _short(ctx.name(entity)), style.shape, style.colour, at[0], at[1],
                                  {"aimap": hover})


def _edge_specs(selection: Selection, clustering: Clustering) -> list[pyvis_network.EdgeSpec]:
    """Relationships that touch an entity in the page; an end outside the page
    stands as its (closed) kind cluster, with a count."""
    # keys of plain strings: an Enum hashes in Python, and this loop meets every edge in the page
    counts: Counter[tuple[str, str, str, str | None]] = Counter()
    embedded, cluster_of = clustering.embedded, clustering.cluster_of
    evidence_of = {(src, dst, rel.value): severity.value for (src, dst, rel), severity in selection.evidence.items()}
    for edge in clustering.entity_edges:
        rel = edge.type.value
        src = edge.from_id if edge.from_id in embedded else cluster_of[edge.from_id]
        dst = edge.to_id if edge.to_id in embedded else cluster_of[edge.to_id]
        counts[(src, dst, rel, evidence_of.get((edge.from_id, edge.to_id, rel)))] += 1
    specs = []
    for (src, dst, rel, evidence), count in counts.items():
        extra: dict[str, Any] = {"type": rel}
        if count > 1:
            extra["count"] = count
        if evidence:
            extra["evidence"] = evidence
        specs.append(pyvis_network.EdgeSpec(src, dst, extra))
    return specs
