"""Server settings: where to listen and which tokens to accept.

From the ``[serve]`` table of aimap.toml (``[tool.aimap.serve]`` in
pyproject.toml), then the environment, then the command line::

    [serve]
    host = "127.0.0.1"        # the default: only this machine can connect
    port = 8765
    [serve.tokens]
    read = ["…"]              # tokens that may read
    write = ["…"]             # tokens that may read and write (import)

``AIMAP_TOKENS`` adds tokens as ``SCOPE:TOKEN`` separated by commas, e.g.
``AIMAP_TOKENS="read:3f9c…,write:88ab…"``; keeping them in the environment
(or a secret store that fills it) keeps them out of files. Tokens are never
printed or logged: the start-up line says how many there are of each scope.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.http.deps import READ, WRITE, Access
from graph import config_file
from graph.errors import AimapError

TABLE = "serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MIN_TOKEN_LENGTH = 16


class TokenLists(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    read: list[str] = Field(default_factory=list)
    write: list[str] = Field(default_factory=list)


class ServeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = DEFAULT_HOST
    port: int = Field(DEFAULT_PORT, ge=0, le=65535)
    tokens: TokenLists = Field(default_factory=TokenLists)


def load_serve_settings(path: str | Path | None = None) -> ServeSettings:
    file, table = config_file.settings(TABLE, path)
    try:
        return ServeSettings(**table)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        prefix = ".".join(config_file.table_path(file, TABLE)) if file else TABLE
        raise AimapError(f"{file}: [{prefix}] {key}: {error['msg']}") from None


def parse_token_variable(value: str) -> dict[str, str]:
    """``SCOPE:TOKEN,…`` → token → scope; a malformed entry is an error that
    names its position, never the token."""
    tokens: dict[str, str] = {}
    for position, entry in enumerate((part.strip() for part in value.split(",")), 1):
        if not entry:
            continue
        scope, sep, token = entry.partition(":")
        if not sep or scope not in (READ, WRITE) or not token:
            raise AimapError(f"AIMAP_TOKENS: entry {position} must be read:TOKEN or write:TOKEN")
        tokens[token] = scope
    return tokens


def build_access(settings: ServeSettings, environ: dict[str, str] | None = None) -> Access:
    """Every token with its scopes (write includes read); a token shorter than
    16 characters is refused, as a guessable one would be."""
    variables: Mapping[str, str] = os.environ if environ is None else environ
    scoped: dict[str, str] = {token: READ for token in settings.tokens.read}
    scoped.update({token: WRITE for token in settings.tokens.write})
    scoped.update(parse_token_variable(variables.get("AIMAP_TOKENS", "")))
    short = sum(len(token) < MIN_TOKEN_LENGTH for token in scoped)
    if short:
        raise AimapError(f"{short} token(s) shorter than {MIN_TOKEN_LENGTH} characters: use long random tokens "
                         "(python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return Access({token: frozenset({READ, WRITE}) if scope == WRITE else frozenset({READ})
                   for token, scope in scoped.items()})


def describe_access(access: Access) -> str:
    """How the server guards itself, in words (never the tokens)."""
    if not access.tokens:
        return "no tokens configured: reads are open to whoever reaches the server, and it is read-only"
    writers = sum(WRITE in scopes for scopes in access.tokens.values())
    readers = len(access.tokens) - writers
    mode = "read-only (no write token)" if not writers else "writes need a write token"
    return f"{readers} read token(s), {writers} write token(s): every route but /api/v1/health needs one; {mode}"
