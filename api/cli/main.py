"""The ``aimap`` program: builds the command tree and turns errors into one line.

Exit codes: 0 success; 1 an aimap error (bad input, unreachable store, or
findings at the ``--fail-on`` level); 2 a usage error; 130 interrupted.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from api.cli import (
    analysis_commands, demo, explore_command, import_commands, report_commands, serve_command, store_commands,
    whatif_commands,
)
from api.cli.common import err_console
from graph.errors import AimapError

app = typer.Typer(
    name="aimap",
    help="aimap maps who owns and depends on what around your AI initiatives, and flags the gaps "
    "that keep AI stuck in pilots.\n\nStart with: aimap demo",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback when something fails.")] = False,
) -> None:
    """aimap: the AI adoption map."""


for module in (demo, import_commands, analysis_commands, report_commands, whatif_commands, explore_command,
               store_commands, serve_command):
    module.register(app)


def run(argv: list[str] | None = None) -> int:
    """Run one command line; returns the exit code (tests call this directly)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=args, prog_name="aimap")  # usage errors and --help end in SystemExit
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except AimapError as exc:
        if debug:
            raise
        err_console.print(f"[red]error:[/] {escape(str(exc))}")
        return 1
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if debug:
            raise
        err_console.print(f"[red]error:[/] unexpected {type(exc).__name__}: {escape(str(exc))} "
                          "(run with --debug for the traceback)")
        return 1
    return 0


def entry() -> None:
    """The console script."""
    sys.exit(run())


if __name__ == "__main__":
    entry()
