"""What the commands share: options, consoles, opening the store, progress."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from graph.errors import StoreMissing
from graph.store import DEFAULT_STORE, Store, open_store
from graph.store.sqlite_store import SQLiteStore

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

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
    return open_store(url, create=write)


def connect_to_check(url: str | None) -> Store:
    """The store to validate a dry run against: the real one when it exists,
    else an empty one in memory, so a dry run leaves no file behind."""
    try:
        return connect(url)
    except StoreMissing:
        return SQLiteStore(":memory:")


def check_choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}", param_hint=option)
    return value


class ProgressBar:
    """A progress callback for long work: silent for small jobs and when
    stderr is not a terminal (logs and CI stay clean)."""

    def __init__(self, threshold: int = 2000):
        self.threshold = threshold
        self._progress: Progress | None = None
        self._tasks: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if total < self.threshold or not sys.stderr.isatty():
            return
        if self._progress is None:
            self._progress = Progress(
                TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=err_console, transient=True,
            )
            self._progress.start()
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task(phase, total=total)
        self._progress.update(self._tasks[phase], completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
