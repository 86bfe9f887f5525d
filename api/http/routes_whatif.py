"""What-if and disagreements over HTTP.

``POST /whatif`` only reads: the changes are imagined on an overlay of the
analysed snapshot and nothing is written, so the read scope is enough. The
body is validated by pydantic (a 422 names the field); a change the graph
cannot take (an unknown id, a kind that does not fit) is a 422 too, naming
the change (``changes[1].to_id: …``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from api.http.deps import Service, require_read
from api.http.problems import PROBLEM_RESPONSES
from graph.service.disagreements import DisagreementsAnswer
from graph.service.whatif_models import WhatIfAnswer, WhatIfRequest

router = APIRouter(dependencies=[Depends(require_read)], responses=PROBLEM_RESPONSES, tags=["what-if"])

AboutQuery = Annotated[list[Literal["owner", "lifecycle", "stage", "relationship"]] | None,
                       Query(description="only disagreements about this (repeatable)")]


@router.post("/whatif", response_model=WhatIfAnswer,
             summary="What would change if systems were retired, teams dissolved, people left… (nothing is written)")
def what_if(request: WhatIfRequest, service: Service) -> WhatIfAnswer:
    return service.what_if(request)


@router.get("/disagreements", response_model=DisagreementsAnswer,
            summary="Where sources state different owners, lifecycles, stages or relationships, newest first")
def disagreements(service: Service, about: AboutQuery = None) -> DisagreementsAnswer:
    return service.disagreements(about=tuple(about or ()))
