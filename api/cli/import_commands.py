"""``aimap import`` and ``aimap schema``: getting data in, and its format."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.common import (
    FormatOption, ProgressBar, StoreOption, check_choice, connect, connect_to_check, console, err_console,
)
from api.cli.console import neutralize, write_text
from graph.store.base import Store
from graph.store.sqlite_store import SQLiteStore
from importers.base import ImportFailed, group_problems
from importers.formats import READERS, format_names
from importers.loader import ImportOptions, ImportReport, import_paths
from importers.settings import load_import_settings


def parse_aliases(values: list[str]) -> dict[str, str]:
    aliases = {}
    for value in values:
        alias, sep, target = value.partition("=")
        if not sep or not alias.strip() or not target.strip():
            raise typer.BadParameter(f"{value!r}: write OTHER_ID=OUR_ID", param_hint="--alias")
        aliases[alias.strip()] = target.strip()
    return aliases


def parse_seen_at(value: str | None) -> dt.datetime | None:
    """The ``--seen-at`` moment, in UTC: a date (midnight UTC) or an ISO date
    and time; a moment after now is refused (a snapshot cannot come from the future)."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM",
                                 param_hint="--seen-at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    moment = moment.astimezone(dt.timezone.utc)
    if moment > dt.datetime.now(dt.timezone.utc):
        raise typer.BadParameter(f"{value} is in the future: --seen-at is when the source was exported",
                                 param_hint="--seen-at")
    return moment


def forget_new_store(graph_store: Store) -> None:
    """Remove an embedded store this import created and left empty (a refused
    or interrupted first import leaves no file behind)."""
    if not isinstance(graph_store, SQLiteStore) or not graph_store.created:
        return
    try:
        with graph_store:
            empty = graph_store.counts().total_nodes == 0
    except Exception:  # noqa: BLE001 - a store that cannot even be counted is not removed
        return
    if empty:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{graph_store.path}{suffix}").unlink(missing_ok=True)


PENDING_SHOWN = 20
"""Pending references the table report lists; the JSON report and ``aimap stats`` list all."""


def print_report(report: ImportReport) -> None:
    verb = "would write" if report.dry_run else ("wrote" if report.written else "wrote nothing")
    table = Table(title=f"import: {verb}", title_justify="left")
    for column in ("", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if not column else "right")
    for name, counts in [*report.nodes.items(), *report.relationships.items()]:
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    console.print(table)
    for file, detail in report.details.items():
        console.print(f"{file}: {detail}", markup=False)
    for title, refs in (("pending references kept (their other end is in no import yet)", report.pending),
                        ("pending references resolved by this import", report.resolved)):
        if refs:
            console.print(f"{title}: {len(refs)}", markup=False)
            for ref in refs[:PENDING_SHOWN]:
                console.print(f"    {ref}", markup=False)
            if len(refs) > PENDING_SHOWN:
                console.print(f"    … and {len(refs) - PENDING_SHOWN} more (--format json, or aimap stats, lists them all)",
                              markup=False)
    for group in report.problems:
        label = "[red]error[/]" if group.fatal else "[yellow]warning[/]"
        console.print(f"{label} ×{group.count}: {escape(group.message)}", markup=True)
        for sample in group.sample:
            console.print(f"    {sample}", markup=False)


def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to import (folders are read recursively).",
                                                show_default=False)],
    store: StoreOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Keep the valid records when some are wrong "
                                          "(default: any error writes nothing).")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors, pending references "
                                         "(a relationship to an id no import has brought yet) included.")] = False,
    input_format: Annotated[str | None, typer.Option(
        "--input-format", help="Read every file as this format instead of detecting it: "
        + ", ".join(format_names()), metavar="NAME")] = None,
    alias: Annotated[list[str], typer.Option("--alias", metavar="OTHER=OURS",
                                             help="Merge an id used by a source into one of ours; repeatable "
                                                  "(and in the config file: \\[import.aliases]).")] = [],  # noqa: B006 - typer reads it
    config: Annotated[Path | None, typer.Option(
        "--config", metavar="FILE", show_default=False,
        help="Import settings (\\[import] table, e.g. \\[import.aliases]); default: ./aimap.toml, else "
             "\\[tool.aimap.import] in ./pyproject.toml.")] = None,
    commit_every: Annotated[int | None, typer.Option(
        "--commit-every", metavar="N", min=1, show_default=False,
        help="Write in transactions of N records instead of one, for imports larger than a Neo4j server's "
             "heap holds. An interrupted import then keeps what was written; run it again to finish.")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", metavar="NAME", show_default=False,
        help="Read text files in this encoding (e.g. cp1252) instead of UTF-8; the AI inventory otherwise "
             "detects UTF-8 or Windows-1252 itself.")] = None,
    format: FormatOption = "table",
    seen_at: Annotated[str | None, typer.Option(
        "--seen-at", metavar="YYYY-MM-DD[THH:MM]", show_default=False,
        help="Record the import as seen on this date (the date of the export it reads) instead of now, "
             "so stale-record and stage history follow the source's own dates. Never in the future.")] = None,
) -> None:
    """Import files into the graph."""
    if format in format_names():
        raise typer.BadParameter(f"--format is how the report prints (table or json); to read the files as "
                                 f"{format}, write --input-format {format}", param_hint="--format")
    check_choice(format, ("table", "json"), "--format")
    seen = parse_seen_at(seen_at)
    if input_format is not None and input_format not in format_names():
        raise typer.BadParameter(f"{input_format!r} is not one of {', '.join(format_names())}",
                                 param_hint="--input-format")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise typer.BadParameter(f"{encoding!r} is not an encoding Python knows (e.g. utf-8, cp1252, latin-1)",
                                     param_hint="--encoding") from None
    settings = load_import_settings(config)
    options = ImportOptions(dry_run=dry_run, partial=partial, strict=strict, format=input_format, encoding=encoding,
                            aliases={**settings.aliases, **parse_aliases(alias)},
                            reader_settings=settings.reader_settings(),
                            commit_every=commit_every, now=seen)
    graph_store = connect_to_check(store) if dry_run else connect(store, write=True)
    try:
        with graph_store, ProgressBar() as progress:
            options.progress = progress
            report = import_paths(paths, graph_store, options)
    except ImportFailed as exc:
        forget_new_store(graph_store)
        if format == "json":
            refused = ImportReport(files={}, nodes={}, relationships={}, problems=group_problems(exc.problems),
                                   dry_run=dry_run, written=False)
            write_text(neutralize(refused.model_dump_json(indent=2)) + "\n")
        raise
    except BaseException:
        forget_new_store(graph_store)
        raise
    if format == "json":
        write_text(neutralize(report.model_dump_json(indent=2)) + "\n")
    else:
        print_report(report)
        if report.dry_run:
            err_console.print("dry run: nothing was written")


IMPORT_HELP = "\n\n".join([
    "Import files into the graph: aimap's YAML/JSON, registers and the catalogues you already keep.",
    "The import is all or nothing: a file with any error writes nothing, and every error names the "
    "file, the line or row, and the field. Importing the same files again changes nothing; an entity "
    "seen in two sources is merged by id or alias. A relationship to an id no import has brought yet "
    "is kept as a pending reference (listed with its file and line, and by aimap stats) and resolved "
    "when a later import brings it; --strict refuses it instead.",
    "Formats, detected from each file (--input-format overrides):",
    *(f"[bold]{reader.name}[/]: {reader.description}" for reader in READERS),
    "Examples: aimap import landscape/ --dry-run · aimap import catalog-info.yaml cmdb_ci.json model.xml · "
    "aimap import backstage/ archimate.xml --alias archimate:m1:actor-7=backstage:group:default/platform",
])


def register(app: typer.Typer) -> None:
    app.command("import", help=IMPORT_HELP)(import_command)
