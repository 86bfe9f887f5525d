"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Every error a route can meet maps to one status here: an unknown id 404, an
invalid question 422 (naming the field), an oversized upload 413, tokens
401/403, an unreachable store 503. Anything else is a 500 whose body says only
that the server failed; the traceback goes to the log.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http.deps import AccessDenied
from graph.errors import AimapError, StoreBusy, StoreError
from graph.service import EntityNotFound, InvalidRequest, UnknownBusinessUnit
from importers.base import ImportFailed

log = logging.getLogger("aimap.http")
PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field("about:blank", description="a URI naming the kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = Field(None, description="for 422: each invalid field and why")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": title}
    for status, title in ((400, "Malformed request (e.g. broken multipart data)"), (401, "No or unknown token"), (403, "The token lacks the scope"),
                          (404, "No such entity"), (413, "Upload too large"), (422, "Invalid input"),
                          (503, "Store unreachable"))
}
"""Declared on the routes so the OpenAPI document lists every error they can give."""


def problem(request: Request, status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, instance=request.url.path, **extra)
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON,
                        headers=headers)


class PayloadTooLarge(AimapError):
    """An upload over the size limit."""


def _field(loc: tuple | list) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem detail."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()]
        first = errors[0] if errors else {"field": "request", "message": "invalid"}
        return problem(request, 422, "Invalid input", f"{first['field']}: {first['message']}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # keeps the exception's headers: a 405 says which methods are allowed
        return problem(request, exc.status_code, _title(exc.status_code), str(exc.detail),
                       headers=dict(exc.headers) if exc.headers is not None else None)

    @app.exception_handler(AccessDenied)
    async def denied(request: Request, exc: AccessDenied) -> JSONResponse:
        return problem(request, exc.status, _title(exc.status), exc.detail)

    @app.exception_handler(ImportFailed)
    async def refused(request: Request, exc: ImportFailed) -> JSONResponse:
        errors = [{"field": str(p.location), "message": p.message} for p in exc.problems[:1000]]
        noun = "problem" if len(exc.problems) == 1 else "problems"
        return problem(request, 422, "Import refused",
                       f"nothing was written ({len(exc.problems)} {noun}): {exc.problems[0]}", errors=errors)

    @app.exception_handler(AimapError)
    async def aimap_error(request: Request, exc: AimapError) -> JSONResponse:
        status = _status(exc)
        if status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        return problem(request, status, _title(status), str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return problem(request, 500, "Internal Server Error",
                       "the server failed to answer; the error is in its log")


def _status(exc: AimapError) -> int:
    if isinstance(exc, EntityNotFound):
        return 404
    if isinstance(exc, (InvalidRequest, UnknownBusinessUnit)):
        return 422
    if isinstance(exc, PayloadTooLarge):
        return 413
    if isinstance(exc, StoreBusy):
        return 503
    if isinstance(exc, StoreError):
        return 503
    return 422


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
