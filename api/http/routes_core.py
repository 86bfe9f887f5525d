"""Read routes: entities, relationships, walks, the analyses, health.

Each route is a thin translation of query parameters into a ``Filters`` and a
call to the read service; the service's pydantic models are the responses.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from api.http.deps import Service, answer, require_read
from api.http.problems import PROBLEM_RESPONSES
from graph.analyses import Severity, rule_ids
from graph.analyses.model import Pipeline, ScorecardReport, WorkflowPriority
from graph.schema import Kind, Rel
from graph.service import Filters
from graph.service.models import (
    BusinessUnit,
    EntityDetail,
    EntitySummary,
    FindingsAnswer,
    Health,
    Impact,
    Neighbourhood,
    Owner,
    Page,
    RelationshipOut,
)
from graph.service.read_service import DEFAULT_NODE_LIMIT, MAX_DEPTH, MAX_NODE_LIMIT, MAX_PAGE

router = APIRouter(responses=PROBLEM_RESPONSES)
reads = APIRouter(dependencies=[Depends(require_read)], responses=PROBLEM_RESPONSES)

# -- the filter vocabulary, as query parameters ----------------------------------
BusinessUnitQuery = Annotated[str | None, Query(alias="business_unit", max_length=500,
                                                description="a business unit's id or name")]
KindQuery = Annotated[list[Kind] | None, Query(description="entity kinds (repeatable)")]
RuleName = StrEnum("RuleName", {rule: rule for rule in rule_ids()})  # type: ignore[misc]
"""The registered rules, so the OpenAPI document lists them."""
RuleQuery = Annotated[list[RuleName] | None, Query(description="gap rules (repeatable)")]
SeverityQuery = Annotated[Severity | None, Query(description="at or above this severity")]
TextQuery = Annotated[str | None, Query(max_length=500, description="a piece of an id or name, any case")]
CursorQuery = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")]
IdPath = Annotated[str, "the entity's id"]


def _filters(business_unit: str | None = None, kind: list[Kind] | None = None, rule: list[RuleName] | None = None,
             severity: Severity | None = None, text: str | None = None) -> Filters:
    return Filters(business_unit=business_unit, kind=tuple(kind or ()), rule=tuple(r.value for r in rule or ()),
                   severity=severity, text=text)


@router.get("/health", response_model=Health, tags=["service"],
            summary="Store reachable, version, revision and counts (no token needed)")
def health(request: Request, service: Service) -> Health:
    return service.health(request.app.state.version, request.app.state.access.read_only)


@reads.get("/business-units", response_model=list[BusinessUnit], tags=["analyses"],
           summary="Business units (top-level teams) and vendors")
async def business_units(service: Service) -> list[BusinessUnit]:
    return await answer(service, service.business_units)


# -- entities ------------------------------------------------------------------------
@reads.get("/entities", response_model=Page[EntitySummary], tags=["entities"],
           summary="Entities in id order, filtered, a page at a time")
async def list_entities(service: Service, kind: KindQuery = None, business_unit: BusinessUnitQuery = None,
                  text: TextQuery = None, cursor: CursorQuery = None, limit: LimitQuery = 100) -> Page[EntitySummary]:
    return await answer(service, service.entities, _filters(business_unit, kind, text=text), cursor=cursor, limit=limit)


@reads.get("/search", response_model=list[EntitySummary], tags=["entities"],
           summary="Entities by name: exact names first")
async def search(service: Service, q: Annotated[str, Query(min_length=1, max_length=500, description="text to find")],
           kind: KindQuery = None, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20) -> list[EntitySummary]:
    return await answer(service, service.search, q, _filters(kind=kind), limit=limit)


@reads.get("/entities/{entity_id:path}", response_model=EntityDetail, tags=["entities"],
           summary="One entity: properties, provenance, owners by role, business unit, findings")
async def get_entity(service: Service, entity_id: IdPath) -> EntityDetail:
    return await answer(service, service.entity, entity_id)


@reads.get("/owners/{entity_id:path}", response_model=list[Owner], tags=["entities"],
           summary="Who owns it, in which role, and whether they are still active")
async def owners(service: Service, entity_id: IdPath) -> list[Owner]:
    return await answer(service, service.owners, entity_id)


@reads.get("/neighbours/{entity_id:path}", response_model=Neighbourhood, tags=["entities"],
           summary="Entities within a depth, nearest first, capped")
async def neighbours(service: Service, entity_id: IdPath,
               depth: Annotated[int, Query(ge=0, le=MAX_DEPTH)] = 1,
               type: Annotated[list[Rel] | None, Query(description="relationship types (repeatable)")] = None,
               limit: Annotated[int, Query(ge=1, le=MAX_NODE_LIMIT)] = DEFAULT_NODE_LIMIT) -> Neighbourhood:
    return await answer(service, service.neighbours, entity_id, depth=depth, types=type, limit=limit)


@reads.get("/impact/{entity_id:path}", response_model=Impact, tags=["entities"],
           summary="Downstream: what breaks if it goes; upstream: what it needs; with paths")
async def impact(service: Service, entity_id: IdPath,
           direction: Literal["downstream", "upstream"] = "downstream",
           depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = MAX_DEPTH,
           limit: Annotated[int, Query(ge=1, le=MAX_NODE_LIMIT)] = DEFAULT_NODE_LIMIT) -> Impact:
    return await answer(service, service.impact, entity_id, direction, depth=depth, limit=limit)


@reads.get("/relationships", response_model=Page[RelationshipOut], tags=["entities"],
           summary="Relationships by type and ends")
async def relationships(service: Service, type: Rel | None = None,
                  from_id: Annotated[str | None, Query(max_length=1000)] = None,
                  to_id: Annotated[str | None, Query(max_length=1000)] = None,
                  cursor: CursorQuery = None, limit: LimitQuery = 100) -> Page[RelationshipOut]:
    return await answer(service, service.relationships, type=type, from_id=from_id, to_id=to_id, cursor=cursor, limit=limit)


# -- analyses -------------------------------------------------------------------------
@reads.get("/findings", response_model=FindingsAnswer, tags=["analyses"],
           summary="Gap findings, most severe first, filtered")
async def findings(service: Service, rule: RuleQuery = None, severity: SeverityQuery = None,
             business_unit: BusinessUnitQuery = None, kind: KindQuery = None, text: TextQuery = None) -> FindingsAnswer:
    return await answer(service, service.findings, _filters(business_unit, kind, rule, severity, text))


@reads.get("/scorecards", response_model=ScorecardReport, tags=["analyses"],
           summary="Scale readiness of each initiative, rolled up per business unit")
async def scorecards(service: Service, business_unit: BusinessUnitQuery = None, text: TextQuery = None) -> ScorecardReport:
    return await answer(service, service.scorecards, _filters(business_unit, text=text))


@reads.get("/pipeline", response_model=Pipeline, tags=["analyses"],
           summary="Initiatives by stage per business unit")
async def pipeline(service: Service, business_unit: BusinessUnitQuery = None) -> Pipeline:
    return await answer(service, service.pipeline, _filters(business_unit))


@reads.get("/priorities", response_model=list[WorkflowPriority], tags=["analyses"],
           summary="Workflows ranked by opportunity")
async def priorities(service: Service, business_unit: BusinessUnitQuery = None, text: TextQuery = None,
               limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20) -> list[WorkflowPriority]:
    return await answer(service, service.priorities, _filters(business_unit, text=text), limit=limit)


router.include_router(reads)
