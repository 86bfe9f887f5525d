"""What every route depends on: the read service, and the caller's scopes.

The dependencies are ``async``: they only look at the request, and a plain
``def`` would cost each request a trip through the thread pool per dependency.
Routes never open the store or run analyses themselves: they take the
``ReadService`` that the application holds (``get_service``) and check access
with ``require_read`` / ``require_write``. A router of its own (the explorer,
the report, what-if) declares these dependencies and is included by
``api.http.app.create_app``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, get_args, get_origin

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from graph.service import InvalidRequest, ReadService

T = TypeVar("T")

READ = "read"
WRITE = "write"
SCOPES = (READ, WRITE)

_bearer = HTTPBearer(auto_error=False, description="a token from AIMAP_TOKENS or [serve.tokens]")


class AccessDenied(Exception):
    """401 (no or unknown token) or 403 (a token without the scope)."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Access:
    """The tokens a server accepts, each with its scopes. No tokens: every
    read is open and the server is read-only."""

    tokens: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def read_only(self) -> bool:
        return not any(WRITE in scopes for scopes in self.tokens.values())

    def scopes_of(self, token: str | None) -> frozenset[str] | None:
        """The scopes of ``token`` (compared in constant time), or None if unknown."""
        if token is None:
            return None
        found = None
        for known, scopes in self.tokens.items():
            if hmac.compare_digest(known.encode(), token.encode()):
                found = scopes
        return found

    def check(self, token: str | None, scope: str) -> None:
        if not self.tokens:
            if scope == WRITE:
                raise AccessDenied(403, "this server is read-only: it was started without a write token")
            return
        scopes = self.scopes_of(token)
        if token is None:
            raise AccessDenied(401, "this server needs a token: send Authorization: Bearer TOKEN")
        if scopes is None:
            raise AccessDenied(401, "unknown token")
        if scope not in scopes:
            raise AccessDenied(403, f"this token has no {scope} scope")


async def reject_unknown_query(request: Request) -> None:
    """A query parameter the route does not declare is an error, not ignored:
    ``?busines_unit=Pumps`` must not quietly answer for every unit."""
    route = request.scope.get("route")
    if getattr(route, "dependant", None) is None:
        return
    declared, single = _query_rules(route)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise InvalidRequest(f"{unknown[0]}: unknown query parameter"
                             + (f"; this route takes {', '.join(sorted(declared))}" if declared else ""))
    for name in single:
        if len(request.query_params.getlist(name)) > 1:
            raise InvalidRequest(f"{name}: given more than once, but takes one value")


_QUERY_RULES: dict[int, tuple[object, frozenset[str], tuple[str, ...]]] = {}
"""By ``id(route)``, with the route itself (routes are unhashable, and an id
alone could be reused by a later application's route)."""


def _query_rules(route: object) -> tuple[frozenset[str], tuple[str, ...]]:
    """A route's query parameter names, and those that take one value; worked
    out from its dependency tree once per route, not on every request."""
    cached = _QUERY_RULES.get(id(route))
    if cached is None or cached[0] is not route:
        params = {param.alias: param for param in _all_query_params(route.dependant)}  # type: ignore[attr-defined]
        single = tuple(sorted(name for name, param in params.items() if not _is_list(param.field_info.annotation)))
        cached = _QUERY_RULES[id(route)] = (route, frozenset(params), single)
    return cached[1], cached[2]


def _is_list(annotation: object) -> bool:
    """Whether a parameter's type takes repeated values (``list[X] | None``)."""
    if get_origin(annotation) in (list, tuple, set, frozenset):
        return True
    return any(_is_list(arg) for arg in get_args(annotation) if arg is not type(None))


def _all_query_params(dependant) -> list:
    params = list(dependant.query_params)
    for sub in dependant.dependencies:
        params.extend(_all_query_params(sub))
    return params


async def get_service(request: Request) -> ReadService:
    return request.app.state.service


def _token(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return credentials.credentials if credentials else None


async def require_read(request: Request,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    request.app.state.access.check(_token(credentials), READ)


async def require_write(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    request.app.state.access.check(_token(credentials), WRITE)


Service = Annotated[ReadService, Depends(get_service)]


async def answer(service: ReadService, question: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Ask the read service from an ``async`` route: inline on the event loop
    when its snapshot is current (a lookup of a fraction of a millisecond, where
    a trip through the thread pool would cost more than the answer), in the
    thread pool when the snapshot must be rebuilt first (seconds at scale,
    which must not hold up the other requests)."""
    if service.is_current():
        return question(*args, **kwargs)
    return await run_in_threadpool(question, *args, **kwargs)
"""A route parameter ``service: Service`` gets the application's read service."""
