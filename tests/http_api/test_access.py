"""Who may do what: tokens, scopes, a read-only server, and a store that cannot be reached."""

from __future__ import annotations

import pytest
from api_client import READ, READ_TOKEN, WRITE, assert_problem

from api.http.deps import Access
from api.http.settings import ServeSettings, TokenLists, build_access, describe_access, parse_token_variable
from graph.errors import AimapError

YAML = b"systems:\n  - id: s-new\n    name: New\n"


def test_no_token_wrong_token_read_token_write_token(client):
    assert_problem(client.get("/api/v1/findings"), 401, "needs a token")
    assert client.get("/api/v1/findings").headers["www-authenticate"] == "Bearer"
    assert_problem(client.get("/api/v1/findings", headers={"Authorization": "Bearer not-a-real-token-xxxxx"}),
                   401, "unknown token")
    assert_problem(client.get("/api/v1/findings", headers={"Authorization": f"Basic {READ_TOKEN}"}), 401)
    assert client.get("/api/v1/findings", headers=READ).status_code == 200
    assert client.get("/api/v1/findings", headers=WRITE).status_code == 200  # write includes read
    upload = {"file": ("new.yaml", YAML)}
    assert_problem(client.post("/api/v1/import", files=upload), 401)
    assert_problem(client.post("/api/v1/import", files=upload, headers=READ), 403, "no write scope")
    assert client.get("/api/v1/entities/s-new", headers=READ).status_code == 404
    assert client.post("/api/v1/import", files=upload, headers=WRITE).status_code == 200
    assert client.get("/api/v1/entities/s-new", headers=READ).status_code == 200


def test_without_tokens_reads_are_open_and_writes_refused(make_client):
    client = make_client(access=Access())
    assert client.get("/api/v1/findings").status_code == 200
    assert client.get("/api/v1/health").json()["read_only"] is True
    assert_problem(client.post("/api/v1/import", files={"file": ("n.yaml", YAML)}), 403, "read-only")


def test_tokens_from_the_environment_and_the_config_and_never_in_words():
    access = build_access(ServeSettings(tokens=TokenLists(read=["r" * 20])),
                          environ={"AIMAP_TOKENS": "write:" + "w" * 20 + ", read:" + "x" * 20})
    assert access.scopes_of("w" * 20) == {"read", "write"} and access.scopes_of("r" * 20) == {"read"}
    assert access.scopes_of("nope") is None and not access.read_only
    words = describe_access(access)
    assert "2 read token(s), 1 write token(s)" in words and "r" * 20 not in words and "w" * 20 not in words
    with pytest.raises(AimapError, match="entry 1 must be read:TOKEN") as error:
        parse_token_variable("admin:" + "s" * 20)
    assert "s" * 20 not in str(error.value)
    with pytest.raises(AimapError, match="shorter than 16"):
        build_access(ServeSettings(), environ={"AIMAP_TOKENS": "read:short"})


def test_a_store_that_cannot_be_reached_is_503(client, store, monkeypatch):
    from graph.errors import StoreError

    def unreachable():
        raise StoreError("Neo4j at bolt://127.0.0.1:1 is unreachable")

    monkeypatch.setattr(store, "revision", unreachable)
    body = assert_problem(client.get("/api/v1/findings", headers=READ), 503, "unreachable")
    assert "Traceback" not in str(body)


def test_an_unexpected_failure_is_a_500_without_internals(client, store, monkeypatch):
    def broken():
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(store, "revision", broken)
    body = assert_problem(client.get("/api/v1/findings", headers=READ), 500)
    assert "secret" not in body["detail"] and "passwd" not in str(body)


def test_the_server_listens_on_a_tcp_socket_so_keep_alive_answers_are_not_held_back():
    import socket

    from api.cli.serve_command import _listen

    listener = _listen("127.0.0.1", 0)
    try:
        # proto 0 would make asyncio leave Nagle on: every answer on a kept-alive
        # connection then waited ~40 ms for the client's delayed ACK
        assert listener.proto == socket.IPPROTO_TCP
        assert listener.getsockname()[0] == "127.0.0.1" and listener.getsockname()[1] > 0
    finally:
        listener.close()
