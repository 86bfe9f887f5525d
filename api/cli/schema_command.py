"""``aimap schema``: the JSON Schema of the native format, for editors.

A module of its own so that printing the schema loads the schema's models and
nothing of the importers, the stores or the analyses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.console import err_console, write_text


def schema_command(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of aimap's native YAML/JSON format.

    Point your editor at it for completion and validation as you type, e.g. in
    VS Code with the YAML extension, put this first line in a file:
    # yaml-language-server: $schema=./aimap.schema.json
    """
    from importers.formats.native_schema import native_json_schema

    text = json.dumps(native_json_schema(), indent=2, sort_keys=False)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        err_console.print(f"wrote {output}")
    else:
        write_text(text + "\n")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema_command)
