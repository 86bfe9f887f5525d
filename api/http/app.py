"""The FastAPI application: the read service, access rules and problem details,
with every router under ``/api/v1`` and the pages (the explorer) at the root."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from api.http import problems
from api.http.deps import Access, reject_unknown_query
from graph.service import ReadService

API_PREFIX = "/api/v1"


def _routers() -> list:
    """Every router of the API, imported here so each module stays independent."""
    from api.http import routes_core, routes_io, routes_report, routes_whatif

    return [routes_core.router, routes_io.router, routes_whatif.router, routes_report.router]


def _root_routers() -> list:
    """Routers mounted at the root, outside the versioned API: the pages people
    open in a browser (the explorer at /explorer, with the data it fetches)."""
    from api.http import routes_explorer

    return [routes_explorer.router]


def create_app(service: ReadService, access: Access | None = None, version: str = "") -> FastAPI:
    """The application over ``service``. ``access`` holds the tokens (none: open
    reads, no writes)."""
    app = FastAPI(
        title="aimap",
        version=version or _version(),
        summary="The AI adoption map: who owns and depends on what, and the gaps that keep AI in pilots.",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.service = service
    app.state.access = access or Access()
    app.state.version = app.version
    problems.install(app)
    for router in _routers():
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(reject_unknown_query)])
    for router in _root_routers():  # pages read their own address: each data route checks its parameters
        app.include_router(router)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("aimap")
    except PackageNotFoundError:
        return "0"
