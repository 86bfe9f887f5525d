"""What the explorer is asked to draw: one model shared by ``aimap explore``,
the ``/explorer/data`` route and the page's controls."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.schema import Kind
from graph.service.read_service import MAX_DEPTH, MAX_NODE_LIMIT
from visualizations.explorer.views import View

DEFAULT_MAX_NODES = 1_500
"""About what a browser lays out and draws within 3 s, and a person can still read."""
MAX_AROUND = 500
"""At most this many entities to draw around (a what-if's changed entities and findings)."""


class ExplorerRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    view: View = View.ALL
    focus: str | None = Field(None, max_length=512, description="draw this entity's neighbourhood only")
    around: tuple[Annotated[str, Field(min_length=1, max_length=1_000)], ...] = Field(
        (), max_length=MAX_AROUND, description="draw these entities and their neighbourhoods only (not with focus)")
    depth: int = Field(2, ge=0, le=MAX_DEPTH, description="hops around the focus (or each entity of around)")
    business_unit: str | None = Field(None, max_length=500)
    kind: tuple[Kind, ...] = ()
    max_nodes: int = Field(DEFAULT_MAX_NODES, ge=10, le=MAX_NODE_LIMIT,
                           description="beyond this many entities, group them into clusters")

    @model_validator(mode="after")
    def _one_centre(self) -> "ExplorerRequest":
        if self.focus is not None and self.around:
            raise ValueError("give either a focus or entities to draw around, not both")
        return self
