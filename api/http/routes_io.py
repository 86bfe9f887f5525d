"""Getting data in and out over HTTP: import (write scope) and export (read scope).

An upload is validated exactly as ``aimap import`` validates a file (the same
pipeline, the same messages, named by the upload's file name) and written all
or nothing. It is read in chunks and refused with 413 past the size limit
before anything is parsed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response, StreamingResponse

from api.http.deps import Service, require_read, require_write
from api.http.problems import PROBLEM_RESPONSES, PayloadTooLarge
from graph.export import export_graphml, export_json, export_register
from graph.service import InvalidRequest
from importers.formats import format_names
from importers.loader import ImportOptions, ImportReport, import_paths
from importers.reading import max_bytes

router = APIRouter(responses=PROBLEM_RESPONSES, tags=["import and export"])
CHUNK = 1 << 20
_UNSAFE = re.compile(r"[^\w.\- ]+")


def _safe_name(name: str | None) -> str:
    """The upload's base name, reduced to safe characters (never a path)."""
    base = Path((name or "").replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:200] or "upload"


def _seen_at(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"seen_at: {value!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    if moment > dt.datetime.now(dt.timezone.utc):
        raise InvalidRequest(f"seen_at: {value} is in the future")
    return moment


def _aliases(values: list[str]) -> dict[str, str]:
    aliases = {}
    for value in values:
        other, sep, ours = value.partition("=")
        if not sep or not other.strip() or not ours.strip():
            raise InvalidRequest(f"alias: {value[:80]!r}: write OTHER_ID=OUR_ID")
        aliases[other.strip()] = ours.strip()
    return aliases


def _save(upload: UploadFile, folder: Path) -> Path:
    limit = max_bytes()
    path = folder / _safe_name(upload.filename)
    size = 0
    with open(path, "wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"the upload is over the {limit / 1048576:.0f} MB limit: split it")
            out.write(chunk)
    return path


@router.post("/import", response_model=ImportReport, dependencies=[Depends(require_write)],
             summary="Import one file in any supported format (all or nothing)")
def import_file(
    service: Service,
    file: Annotated[UploadFile, File(description="the file, in any format aimap import reads")],
    dry_run: bool = False,
    partial: bool = False,
    strict: bool = False,
    input_format: Annotated[str | None, Query(description="read as this format instead of detecting it: "
                                              + ", ".join(format_names()))] = None,
    seen_at: Annotated[str | None, Query(description="the export's own date (YYYY-MM-DD)", max_length=40)] = None,
    alias: Annotated[list[str] | None, Query(description="OTHER_ID=OUR_ID, repeatable", max_length=2000)] = None,
) -> ImportReport:
    if input_format is not None and input_format not in format_names():
        raise InvalidRequest(f"input_format: {input_format!r} is not one of {', '.join(format_names())}")
    options = ImportOptions(dry_run=dry_run, partial=partial, strict=strict, format=input_format,
                            aliases=_aliases(alias or []), now=_seen_at(seen_at))
    with tempfile.TemporaryDirectory(prefix="aimap-upload-") as folder:
        path = _save(file, Path(folder))
        options.source_names[str(path)] = path.name
        return import_paths([path], service.store, options)


@router.get("/export", dependencies=[Depends(require_read)],
            summary="The whole graph: JSON, GraphML, or the CSV register (a zip)",
            responses={200: {"content": {"application/json": {}, "application/graphml+xml": {},
                                         "application/zip": {}}}})
def export(service: Service, format: Literal["json", "graphml", "csv"] = "json") -> Response:
    store = service.store
    if format == "json":
        buffer = io.StringIO()
        export_json(store, buffer)
        return Response(buffer.getvalue(), media_type="application/json")
    with tempfile.TemporaryDirectory(prefix="aimap-export-") as folder:
        if format == "graphml":
            path = Path(folder) / "aimap.graphml"
            export_graphml(store, path)
            return Response(path.read_bytes(), media_type="application/graphml+xml",
                            headers={"Content-Disposition": 'attachment; filename="aimap.graphml"'})
        files = export_register(store, Path(folder) / "register")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in files:
                bundle.write(path, f"register/{path.name}")
        return StreamingResponse(iter([archive.getvalue()]), media_type="application/zip",
                                 headers={"Content-Disposition": 'attachment; filename="aimap-register.zip"'})
