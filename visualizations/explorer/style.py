"""How the explorer draws each kind and severity: shape and colour, declared
once and keyed by the schema's enums (never by a kind's name as a string), so
the legend, the nodes and the finding markers cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from graph.analyses.model import Severity
from graph.schema import Kind


@dataclass(frozen=True)
class KindStyle:
    shape: str  # a vis-network shape whose label sits below it
    colour: str


KIND_STYLES: dict[Kind, KindStyle] = {
    Kind.TEAM: KindStyle("hexagon", "#4f46e5"),
    Kind.PERSON: KindStyle("dot", "#0891b2"),
    Kind.INITIATIVE: KindStyle("star", "#c026d3"),
    Kind.METRIC: KindStyle("triangle", "#65a30d"),
    Kind.WORKFLOW: KindStyle("diamond", "#0d9488"),
    Kind.SYSTEM: KindStyle("square", "#64748b"),
}

SEVERITY_COLOURS: dict[Severity, str] = {
    Severity.CRITICAL: "#b91c1c",
    Severity.HIGH: "#ea580c",
    Severity.MEDIUM: "#ca8a04",
    Severity.LOW: "#2563eb",
}

CLUSTER_SHAPE = "box"  # label inside: a cluster says what it holds and how many
UNIT_CLUSTER_COLOUR = "#e2e8f0"

LAYERS: tuple[Kind, ...] = (Kind.TEAM, Kind.PERSON, Kind.INITIATIVE, Kind.METRIC, Kind.WORKFLOW, Kind.SYSTEM)
"""Top to bottom: who, what they try, how it is measured, where it lands."""

assert set(KIND_STYLES) == set(Kind) == set(LAYERS), "every kind needs a style and a layer"


def legend() -> list[dict[str, str]]:
    """The legend the page shows: one entry per kind, in layer order."""
    return [{"kind": kind.value, "shape": KIND_STYLES[kind].shape, "colour": KIND_STYLES[kind].colour}
            for kind in LAYERS]


def severity_legend() -> list[dict[str, str]]:
    return [{"severity": severity.value, "colour": colour} for severity, colour in SEVERITY_COLOURS.items()]
