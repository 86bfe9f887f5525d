"""The ``aimap`` program: builds the command tree and turns errors into one line.

Exit codes: 0 success; 1 an aimap error (bad input, unreachable store, or
findings at the ``--fail-on`` level); 2 a usage error; 130 interrupted
(Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import functools
import signal
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer
import typer.core
from rich.markup import escape

from api.cli import (
    analysis_commands, demo, explore_command, import_commands, report_commands, serve_command, store_commands,
    whatif_commands,
)
from api.cli.common import err_console, setup_logging
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

INTERRUPTED_NOTE = ("nothing more was written; a transaction in progress was rolled back "
                    "(an --commit-every import is finished by running it again)")


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM arrived: unwinds the command (transactions roll back).
    Not a KeyboardInterrupt, so that click does not swallow it into "Aborted!"."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def aimap_version() -> str:
    try:
        return version("aimap")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"aimap {aimap_version()} (Python {sys.version.split()[0]})")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback when something fails.")] = False,
    verbose: Annotated[int, typer.Option(
        "--verbose", "-v", count=True, show_default=False,
        help="Log what aimap does (waits, retries, skipped records, the Neo4j driver's messages) on stderr; "
             "twice for debug detail. AIMAP_LOG=debug|info|warning|error does the same without the flag.")] = 0,
    version_flag: Annotated[bool, typer.Option(
        "--version", callback=show_version, is_eager=True, help="Print aimap's version and exit.")] = False,
) -> None:
    """aimap: the AI adoption map."""
    setup_logging(verbose)


for module in (demo, import_commands, analysis_commands, report_commands, whatif_commands, explore_command,
               store_commands, serve_command):
    module.register(app)


def _tidy_help(command: Any) -> None:
    """Help without typer's type labels: no ``<bool>`` beside a flag, and an
    argument shown as ``PATHS...``, not ``{paths}...`` or ``<list[Path]>``."""
    ctx = typer.Context(command, help_option_names=["-h", "--help"])
    help_option = command.get_help_option(ctx)
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if isinstance(param, typer.core.TyperOption) and param.metavar is None:
            if param.is_flag or param.count:
                param.metavar = ""
            else:  # <path> -> PATH
                param.metavar = str(param.display_type(ctx) or "value").strip("<>").upper()
        elif isinstance(param, typer.core.TyperArgument) and param.metavar is None:
            shown = (param.name or "value").upper() + ("..." if param.nargs != 1 else "")
            if not param.required:
                shown = f"[{shown}]"
            param.metavar = shown
            # instance attributes shadow typer's methods: no "{…}", no <list[Path]>
            vars(param).update(_usage_display_name=functools.partial(str, shown),
                               _rich_display_name=functools.partial(str, shown),
                               display_type_rich=_no_type)
    for sub in getattr(command, "commands", {}).values():
        _tidy_help(sub)


def _no_type(ctx: Any = None) -> None:
    return None


def build_command() -> Any:
    command = typer.main.get_command(app)
    _tidy_help(command)
    return command


def _interrupt(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def run(argv: list[str] | None = None) -> int:
    """Run one command line; returns the exit code (tests call this directly)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    previous: dict[signal.Signals, Any] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[signum] = signal.signal(signum, _interrupt)
        except ValueError:  # not the main thread (a test runner's worker): leave signals alone
            break
    try:
        build_command().main(args=args, prog_name="aimap")  # usage errors and --help end in SystemExit
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (Interrupted, KeyboardInterrupt) as exc:
        if isinstance(exc, Interrupted) and exc.signum == signal.SIGTERM:
            err_console.print(f"[red]terminated (SIGTERM):[/] {INTERRUPTED_NOTE}")
            return 143
        err_console.print(f"[red]interrupted (Ctrl-C):[/] {INTERRUPTED_NOTE}")
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
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def entry() -> None:
    """The console script."""
    sys.exit(run())


if __name__ == "__main__":
    entry()
