"""Import and export over HTTP: validated like the command line, atomic, size-limited."""

from __future__ import annotations

import io
import json
import zipfile

from api_client import READ, WRITE, assert_problem

GOOD = b"systems:\n  - id: s1\n    name: One\n  - id: s2\n    name: Two\n    depends_on: s1\n"


def test_an_upload_is_imported_and_named_by_its_file_name(make_client):
    client = make_client(example=False)
    before = client.get("/api/v1/health").json()["revision"]
    report = client.post("/api/v1/import", files={"file": ("../../etc/landscape.yaml", GOOD)}, headers=WRITE).json()
    assert report["written"] and report["nodes"]["System"]["created"] == 2
    assert list(report["files"]) == ["landscape.yaml"]
    entity = client.get("/api/v1/entities/s2", headers=READ).json()
    assert entity["source"] == "landscape.yaml"
    assert client.get("/api/v1/health").json()["revision"] > before
    again = client.post("/api/v1/import", files={"file": ("landscape.yaml", GOOD)}, headers=WRITE).json()
    assert again["nodes"]["System"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_a_bad_upload_is_refused_with_file_line_and_field_and_writes_nothing(make_client):
    client = make_client(example=False)
    before = client.get("/api/v1/health").json()
    bad = b"systems:\n  - id: ok\n    name: Fine\n  - id: s\n    name: S\n    lifecycle: gone\n"
    body = assert_problem(client.post("/api/v1/import", files={"file": ("bad.yaml", bad)}, headers=WRITE),
                          422, "nothing was written", "bad.yaml:6")
    assert any("lifecycle" in error["field"] for error in body["errors"])
    assert client.get("/api/v1/health").json() == before


def test_dry_run_seen_at_and_input_format(make_client):
    client = make_client(example=False)
    dry = client.post("/api/v1/import", params={"dry_run": True}, files={"file": ("a.yaml", GOOD)},
                      headers=WRITE).json()
    assert dry["dry_run"] and not dry["written"]
    assert client.get("/api/v1/health").json()["nodes"] == 0
    dated = client.post("/api/v1/import", params={"seen_at": "2026-01-10"}, files={"file": ("a.yaml", GOOD)},
                        headers=WRITE)
    assert dated.status_code == 200
    assert client.get("/api/v1/entities/s1", headers=READ).json()["last_seen"].startswith("2026-01-10")
    assert_problem(client.post("/api/v1/import", params={"seen_at": "2999-01-01"},
                               files={"file": ("a.yaml", GOOD)}, headers=WRITE), 422, "future")
    assert_problem(client.post("/api/v1/import", params={"input_format": "klingon"},
                               files={"file": ("a.yaml", GOOD)}, headers=WRITE), 422, "input_format")
    assert_problem(client.post("/api/v1/import", headers=WRITE), 422, "file")


def test_an_oversized_upload_is_413_before_parsing(make_client, monkeypatch):
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", "0.001")  # about 1 KB
    client = make_client(example=False)
    big = b"systems:\n" + b"  - id: s\n    name: x\n" * 200
    assert_problem(client.post("/api/v1/import", files={"file": ("big.yaml", big)}, headers=WRITE), 413, "limit")
    assert client.get("/api/v1/health").json()["nodes"] == 0


def test_export_in_each_format(client):
    whole = client.get("/api/v1/export", headers=READ)
    assert whole.headers["content-type"].startswith("application/json")
    data = json.loads(whole.content)
    assert len(data["nodes"]) == 345 and len(data["relationships"]) == 733
    graphml = client.get("/api/v1/export", params={"format": "graphml"}, headers=READ)
    assert graphml.content.startswith(b"<?xml") and b"<graphml" in graphml.content
    register = client.get("/api/v1/export", params={"format": "csv"}, headers=READ)
    names = zipfile.ZipFile(io.BytesIO(register.content)).namelist()
    assert "register/systems.csv" in names and "register/relationships.csv" in names
    assert_problem(client.get("/api/v1/export", params={"format": "pdf"}, headers=READ), 422, "format")
