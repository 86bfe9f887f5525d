"""What the commands share: options, opening the store, progress.

The consoles and JSON output live in ``api.cli.console``, logging in
``api.cli.logs``; both are re-exported here for the commands' convenience.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from api.cli.console import SafeConsole, console, err_console, neutralize, write_json
from api.cli.logs import setup_logging
from graph.errors import StoreMissing
from graph.store import DEFAULT_STORE, Store, open_store

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = ["SafeConsole", "console", "err_console", "neutralize", "setup_logging", "write_json"]


StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="AIMAP_STORE",
        metavar="URL",
        help=f"Where the graph lives: sqlite:///PATH (default {DEFAULT_STORE}), "
        "or neo4j://HOST:7687 / bolt://HOST:7687 (credentials from NEO4J_USER and NEO4J_PASSWORD).",
        show_default=False,
    ),
]

FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="table for people, json for programs.", metavar="table|json"),
]


def connect(url: str | None, write: bool = False) -> Store:
    """Open the store named on the command line (or by AIMAP_STORE). Only a
    command that writes creates a new embedded store; the others say it is missing."""
    store = open_store(url, create=write)
    if not write:
        warn_if_partial(store)
    return store


def warn_if_partial(store: Store) -> None:
    """An import in several transactions that began and never finished leaves
    part of a graph: findings on it can be artefacts of what is missing."""
    for entry in store.pending_imports().values():
        err_console.print(f"[yellow]warning:[/] {escape(store.url)} holds an unfinished import "
                          f"({escape(entry['what'])}, started {entry['started']}): the graph is partial and "
                          "findings may come from what is missing; run that import again to finish it")


def connect_to_check(url: str | None) -> Store:
    """The store to validate a dry run against: the real one when it exists,
    else an empty one in memory, so a dry run leaves no file behind."""
    try:
        return connect(url)
    except StoreMissing:
        from graph.store.sqlite_store import SQLiteStore

        return SQLiteStore(":memory:")


def check_choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}", param_hint=option)
    return value


class ProgressBar:
    """A progress callback for long work, on a terminal only (logs and CI stay
    clean): reading and checking show from the start (a large file takes a
    while before anything can be counted), the write bar only for large jobs."""

    ALWAYS_SHOWN = ("reading", "checking")

    def __init__(self, threshold: int = 2000):
        self.threshold = threshold
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        counted = total >= self.threshold
        if not counted and phase not in self.ALWAYS_SHOWN:
            return
        if self._progress is None:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                       TimeElapsedColumn)

            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=err_console, transient=True,
            )
            self._progress.start()
        if phase not in self._tasks:
            for earlier in self._tasks.values():  # a new phase: the earlier ones are done
                self._progress.update(earlier, total=1, completed=1)
            self._tasks[phase] = self._progress.add_task(phase, total=total if counted else None)
        self._progress.update(self._tasks[phase], completed=done, total=total if counted else None)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
