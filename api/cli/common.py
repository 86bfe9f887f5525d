"""What the commands share: options, consoles, opening the store, progress."""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn,
                           TimeElapsedColumn)

from graph.errors import StoreMissing
from graph.store import DEFAULT_STORE, Store, open_store
from graph.store.sqlite_store import SQLiteStore

# C0 and C1 control characters (tab and newline kept), DEL, and the Unicode
# bidirectional controls that reorder what a terminal shows ("Trojan Source").
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralize(text: str) -> str:
    """``text`` with every terminal control and bidi character written as a
    visible ``\\uXXXX`` escape (in JSON output that is the same character)."""
    return UNSAFE_CHARACTERS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class SafeConsole(Console):
    """A console that never passes a name's escape sequence or bidi override to
    the terminal, and never turns ``:fire:`` into an emoji."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(neutralize(text), **kwargs)


console = SafeConsole(highlight=False, soft_wrap=True, emoji=False)
err_console = SafeConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False)

LOG_VARIABLE = "AIMAP_LOG"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


class ConsoleLogHandler(logging.Handler):
    """Log records as one line on stderr: ``warning: …`` (and the logger's
    name when verbose), escaped like everything else aimap prints."""

    def __init__(self, show_names: bool):
        super().__init__()
        self.show_names = show_names

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = " ".join(record.getMessage().split())  # the driver's multi-line messages on one line
            level = record.levelname.lower()
            origin = f"{record.name}: " if self.show_names else ""
            colour = {"warning": "yellow", "error": "red", "critical": "red"}.get(level, "dim")
            err_console.print(f"[{colour}]{level}:[/] {escape(origin + message)}", soft_wrap=True)
        except Exception:  # noqa: BLE001 - logging must never break the command
            self.handleError(record)


def setup_logging(verbose: int) -> int:
    """Route every log record, the Neo4j driver's included, through one
    handler. Level: ``--verbose`` (info; twice: debug), else ``AIMAP_LOG``
    (debug, info, warning, error), else warning. The driver's own records
    (connection errors aimap reports in its own words) show only when verbose."""
    configured = os.environ.get(LOG_VARIABLE, "").strip().lower()
    if verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    elif configured in LEVELS:
        level = LEVELS[configured]
    else:
        level = logging.WARNING
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, ConsoleLogHandler):
            root.removeHandler(handler)
    root.addHandler(ConsoleLogHandler(show_names=level <= logging.INFO))
    root.setLevel(level)
    logging.getLogger("neo4j").setLevel(level if level <= logging.INFO else logging.CRITICAL + 1)
    if configured and configured not in LEVELS:
        logging.getLogger("aimap").warning("%s=%r is not a level; use one of %s", LOG_VARIABLE, configured,
                                           ", ".join(LEVELS))
    return level

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
