"""Positions computed by aimap, so the page draws at once with physics off.

A layered layout by kind, in a grid of business units: each business unit has
a column band, each kind a row band (teams and people at the top, then
initiatives and their metrics, then workflows, then systems), so an owner sits
above what it owns and a workflow above the systems it uses. Within a cell the
entities sit in a grid, by name. A kind cluster sits at its cell's centre and a
unit cluster at its column's centre, so opening a cluster puts its entities
where the cluster was. Force-directed physics on 1,500 nodes takes seconds to
settle and moves on every reload; this costs milliseconds and is the same every
time.
"""

from __future__ import annotations

import math

from visualizations.explorer.clusters import Clustering
from graph.schema import Kind
from visualizations.explorer.style import LAYERS

STEP_X = 170  # a label of LABEL_LENGTH characters wraps within about 150 px
STEP_Y = 80
GAP_X = 60
GAP_Y = 90
UNIT_STEP_X = 300
UNIT_STEP_Y = 160

Position = tuple[float, float]


SCREEN = (1000, 700)
"""The drawing area the layout is shaped for (a laptop's, less the side panel)."""
SHAPES = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2)
"""Cell shapes tried: columns = sqrt(count × shape); small is tall, large is wide."""


def _columns(count: int, shape: float) -> int:
    return max(1, math.ceil(math.sqrt(count * shape)))


def _extent(clustering: Clustering, shown: dict[str, int], shape: float) -> tuple[dict, dict[Kind, float]]:
    """Each unit's column width and each kind's layer height, for one cell shape."""
    widths = {u.id: max((_columns(shown[kc.id], shape) for kc in u.kinds), default=1) * STEP_X + GAP_X
              for u in clustering.units}
    heights = {kind: 0.0 for kind in LAYERS}
    for unit in clustering.units:
        for kc in unit.kinds:
            rows = math.ceil(shown[kc.id] / _columns(shown[kc.id], shape))
            heights[kc.kind] = max(heights[kc.kind], rows * STEP_Y + GAP_Y)
    return widths, heights


def _best_shape(clustering: Clustering, shown: dict[str, int]) -> float:
    """The cell shape whose whole layout fits the screen at the largest scale:
    many business units side by side want tall cells, few want wide ones."""
    def scale(shape: float) -> float:
        widths, heights = _extent(clustering, shown, shape)
        return min(SCREEN[0] / max(sum(widths.values()), 1), SCREEN[1] / max(sum(heights.values()), 1))
    return max(SHAPES, key=scale)


def positions(clustering: Clustering) -> dict[str, Position]:
    """A position for every entity in the page and every cluster."""
    shown = {kc.id: (len(kc.members) if kc.expandable else 1) for u in clustering.units for kc in u.kinds}
    shape = _best_shape(clustering, shown)
    widths, heights = _extent(clustering, shown, shape)
    tops, y = {}, 0.0
    for kind in LAYERS:
        tops[kind] = y
        y += heights[kind]
    placed: dict[str, Position] = {}
    per_row = max(1, math.ceil(math.sqrt(len(clustering.units) * 2)))
    rows = math.ceil(len(clustering.units) / per_row)
    for index, unit in enumerate(clustering.units):
        placed[unit.id] = ((index % per_row) * UNIT_STEP_X, -GAP_Y - (rows - index // per_row) * UNIT_STEP_Y)
    x = 0.0
    for unit in clustering.units:
        centre = x + widths[unit.id] / 2
        for kc in unit.kinds:
            count = shown[kc.id]
            columns = _columns(count, shape)
            rows = math.ceil(count / columns)
            top = tops[kc.kind]
            placed[kc.id] = (centre, top + (rows - 1) * STEP_Y / 2)
            if not kc.expandable:
                continue
            left = centre - (min(columns, count) - 1) * STEP_X / 2
            for index, entity in enumerate(kc.members):
                placed[entity] = (left + (index % columns) * STEP_X, top + (index // columns) * STEP_Y)
        x += widths[unit.id]
    return placed
