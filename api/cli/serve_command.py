"""``aimap serve``: the HTTP API (and the explorer once it lands) on uvicorn."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import StoreOption, connect, err_console
from graph.analyses import load_config
from graph.errors import AimapError


def serve_command(
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option("--host", metavar="ADDRESS", show_default=False,
                                             help="Address to listen on (default 127.0.0.1: this machine only; "
                                                  "0.0.0.0 for every interface).")] = None,
    port: Annotated[int | None, typer.Option("--port", "-p", min=0, max=65535, show_default=False,
                                             help="Port (default 8765; 0 picks a free one).")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", metavar="FILE", show_default=False,
        help="Settings file: the analysis table and the serve table (host, port, tokens); "
             "default: ./aimap.toml, else pyproject.toml's tool.aimap tables.")] = None,
) -> None:
    """Serve the HTTP API: OpenAPI at /docs, everything under /api/v1.

    Tokens come from AIMAP_TOKENS (read:TOKEN,write:TOKEN) or the serve.tokens
    table of aimap.toml. With none, reads are open and the server is read-only.
    The analysed graph is kept in memory and rebuilt when the store changes.
    """
    import uvicorn

    from api.http.app import create_app
    from api.http.settings import build_access, describe_access, load_serve_settings
    from graph.service import ReadService

    settings = load_serve_settings(config)
    access = build_access(settings)
    analysis = load_config(config)
    listener = _listen(host or settings.host, settings.port if port is None else port)
    bound_host, bound_port = listener.getsockname()[:2]
    with connect(store) as graph_store:
        service = ReadService(graph_store, analysis, follow_today=True)
        app = create_app(service, access)
        app.state.config_file = config  # GET /report reads its [report] table from the same file
        err_console.print(f"aimap {app.version} serving {graph_store.url} at http://{_url_host(bound_host)}:"
                          f"{bound_port} (API under /api/v1, docs at /docs)", markup=False)
        err_console.print(describe_access(access), markup=False)
        err_console.file.flush()  # the address must reach a log or a script before the server blocks
        server = uvicorn.Server(uvicorn.Config(app, log_level="info", access_log=True))
        server.run(sockets=[listener])


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port), so the address
    printed is the one bound; a port in use is a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that
    # say they are TCP, and with Nagle on every keep-alive answer waits ~40 ms.
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise AimapError(f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                         "(another server there? choose --port)") from None
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def register(app: typer.Typer) -> None:
    app.command("serve", epilog=(
        "Examples: aimap serve · AIMAP_TOKENS=read:$(cat reader.token) aimap serve --port 9000 · "
        "aimap serve --store neo4j://localhost:7687"
    ))(serve_command)
