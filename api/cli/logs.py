"""Logging on the command line: every record, the Neo4j driver's included,
as one escaped line on stderr."""

from __future__ import annotations

import logging
import os

from rich.markup import escape

from api.cli.console import err_console

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
