"""The explorer, served: the page at ``/explorer`` and the JSON each view of it
fetches from ``/explorer/data``.

Both live at the root, not under ``/api/v1``: ``/explorer`` is a page people
open, and its data is shaped for that page (``visualizations.explorer.data``),
not a versioned API resource. The page carries no data, so it needs no token;
the data needs read access like every other read (a token goes in the page's
address as ``#token=…`` and is sent as a bearer header, never to the server in
the URL).

``POST /explorer/whatif`` is the page's what-if: the changes of
``POST /api/v1/whatif`` and how to draw them, answered with the view around
what the changes touch and marks for the findings that would appear or go
(``visualizations.explorer.whatif``). A POST because the changes are a body,
not a query; it only reads, so the read scope is enough.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.http.deps import Service, reject_unknown_query, require_read
from api.http.problems import PROBLEM_RESPONSES
from graph.schema import Kind
from graph.service.read_service import MAX_DEPTH, MAX_NODE_LIMIT
from graph.service.whatif_models import MAX_CHANGES, Change, WhatIfRequest
from visualizations.explorer import DEFAULT_MAX_NODES, ExplorerRequest, View, explorer_data, render
from visualizations.explorer.whatif import DEFAULT_DEPTH, whatif_explorer

API = "/api/v1"
router = APIRouter(tags=["explorer"], responses=PROBLEM_RESPONSES)


@router.get("/explorer", response_class=HTMLResponse, include_in_schema=False)
def explorer_page() -> HTMLResponse:
    """The page (left out of the OpenAPI document: a page for people, which reads
    its view, focus and filters from its own address, not an API)."""
    return HTMLResponse(render(None, served=True, data_url="/explorer/data", whatif_url="/explorer/whatif", api=API))


@router.get("/explorer/data", dependencies=[Depends(require_read), Depends(reject_unknown_query)],
            summary="What the explorer draws for a view, focus and filters (nodes, clusters, relationships, legend)")
def explorer_view(
    service: Service,
    view: View = View.ALL,
    focus: Annotated[str | None, Query(max_length=512, description="draw this entity's neighbourhood only")] = None,
    depth: Annotated[int, Query(ge=0, le=MAX_DEPTH)] = 2,
    business_unit: Annotated[str | None, Query(max_length=500, description="a business unit's id or name")] = None,
    kind: Annotated[list[Kind] | None, Query(description="entity kinds (repeatable)")] = None,
    max_nodes: Annotated[int, Query(ge=10, le=MAX_NODE_LIMIT)] = DEFAULT_MAX_NODES,
) -> JSONResponse:
    request = ExplorerRequest(view=view, focus=focus or None, depth=depth, business_unit=business_unit or None,
                              kind=tuple(kind or ()), max_nodes=max_nodes)
    return JSONResponse(explorer_data(service, request))


class ExplorerWhatIf(BaseModel):
    """A what-if's changes, and how the explorer draws them."""

    model_config = ConfigDict(extra="forbid")

    changes: list[Change] = Field(min_length=1, max_length=MAX_CHANGES)
    view: View = View.ALL
    depth: int = Field(DEFAULT_DEPTH, ge=0, le=MAX_DEPTH,
                       description="hops around each changed entity and each changed finding's subject")
    business_unit: str | None = Field(None, max_length=500, description="a business unit's id or name")
    kind: list[Kind] = Field(default_factory=list, max_length=len(Kind), description="entity kinds")
    max_nodes: int = Field(DEFAULT_MAX_NODES, ge=10, le=MAX_NODE_LIMIT)


@router.post("/explorer/whatif", dependencies=[Depends(require_read), Depends(reject_unknown_query)],
             summary="What the explorer draws for a what-if: the view around what the changes touch, "
                     "with the findings that would appear or go marked (nothing is written)")
def explorer_whatif(body: ExplorerWhatIf, service: Service) -> JSONResponse:
    _, data = whatif_explorer(service, WhatIfRequest(changes=body.changes), view=body.view, depth=body.depth,
                              business_unit=body.business_unit or None, kind=tuple(dict.fromkeys(body.kind)),
                              max_nodes=body.max_nodes)
    return JSONResponse(data)
