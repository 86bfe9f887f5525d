"""The ``aimap`` program: builds the command tree and turns errors into one line.

Exit codes: 0 success; 1 an aimap error (bad input, unreachable store, or
findings at the ``--fail-on`` level); 2 a usage error; 130 interrupted
(Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import functools
import importlib
import signal
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core
from typer import _click as click  # typer's own copy of click: its commands' types

from graph.errors import AimapError

if TYPE_CHECKING:
    from api.cli.console import SafeConsole

COMMANDS: tuple[tuple[str, str, str], ...] = (
    # (name, module, the first paragraph of its help: what aimap --help lists)
    ("demo", "api.cli.demo", "Load the example enterprise (Northwind Industrial) and show what aimap sees."),
    ("import", "api.cli.import_commands",
     "Import files into the graph: aimap's YAML/JSON, registers and the catalogues you already keep."),
    ("schema", "api.cli.schema_command", "Print the JSON Schema of aimap's native YAML/JSON format."),
    ("analyze", "api.cli.analysis_commands",
     "Find the gaps that keep AI in pilots: one finding per gap, most severe first."),
    ("scorecard", "api.cli.analysis_commands",
     "Score each initiative on the six checks it needs to scale, rolled up per business unit."),
    ("priorities", "api.cli.analysis_commands",
     "Rank workflows by opportunity: friction, volume, repetitive or decision-heavy work, an owner, systems."),
    ("pipeline", "api.cli.analysis_commands",
     "Count initiatives by stage per business unit, and how many pilots reached production."),
    ("report", "api.cli.report_commands",
     "The gap report: a summary, then each business unit; what changed since the last one."),
    ("trend", "api.cli.report_commands",
     "The headline numbers of saved reports (aimap report --save) over time, oldest first."),
    ("whatif", "api.cli.whatif_commands",
     "What would change if a system were retired, a team dissolved, a person left, an initiative\n"
     "stopped, or a relationship added or removed: findings appearing and disappearing, scorecards,\n"
     "and what needs each changed entity. Nothing is written (--explore writes only its page)."),
    ("disagreements", "api.cli.whatif_commands",
     "Where sources disagree: different accountable owners, lifecycles or stages for one entity, or a\n"
     "relationship one source states and another's latest import no longer has — every source's claim,\n"
     "its importer and when it last said it, newest first."),
    ("explore", "api.cli.explore_command",
     "Write the interactive HTML explorer of the graph (or of one entity's neighbourhood)."),
    ("stats", "api.cli.store_commands",
     "Count the entities by kind and the relationships by type, and list the\n"
     "pending references (relationships waiting for an import to bring their\n"
     "other end) with the file and line that stated them."),
    ("export", "api.cli.store_commands", "Export the whole graph for other tools."),
    ("serve", "api.cli.serve_command", "Serve the HTTP API: OpenAPI at /docs, everything under /api/v1."),
)
"""Every command, in the order ``aimap --help`` lists them. A command's module
is imported only when that command runs or shows its own help, so that
``aimap --help`` and ``--version`` load none of networkx, pydantic's models,
the Neo4j driver or FastAPI (tests/cli/test_startup.py checks both the
summaries against the commands' docstrings and what start-up imports)."""


class _StandIn(typer.core.TyperCommand):
    """A command not loaded yet: its name and summary, for listing and suggestions."""


class LazyCommands(typer.core.TyperGroup):
    """aimap's command group: lists every command from ``COMMANDS`` and builds
    a command (importing its module) only when it is the one asked for."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, _, summary in COMMANDS:
            self.commands.setdefault(name, _StandIn(name, help=summary))

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                           list[str]]:
        if args:
            self.load(args[0])
        return super().resolve_command(ctx, args)

    def load(self, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported and its commands built
        (all of that module's, since they share its imports)."""
        if not isinstance(self.commands.get(cmd_name), _StandIn):
            return self.commands.get(cmd_name)
        module = next(module for name, module, _ in COMMANDS if name == cmd_name)
        commands = typer.Typer(rich_markup_mode="rich")
        importlib.import_module(module).register(commands)
        for info in commands.registered_commands:
            command = typer.main.get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                                       rich_markup_mode="rich")
            _tidy_help(command)
            self.commands[command.name or ""] = command
        return self.commands.get(cmd_name)


app = typer.Typer(
    name="aimap",
    cls=LazyCommands,
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
    from importlib.metadata import PackageNotFoundError, version

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
    from api.cli.logs import setup_logging

    setup_logging(verbose)


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


def build_command() -> LazyCommands:
    command = typer.main.get_command(app)
    assert isinstance(command, LazyCommands)
    _tidy_help(command)
    return command


def _err_console() -> SafeConsole:
    """stderr's console, loaded when there is something to say (not for --help)."""
    from api.cli.console import err_console

    return err_console


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


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
        err_console = _err_console()
        if isinstance(exc, Interrupted) and exc.signum == signal.SIGTERM:
            err_console.print(f"[red]terminated (SIGTERM):[/] {INTERRUPTED_NOTE}")
            return 143
        err_console.print(f"[red]interrupted (Ctrl-C):[/] {INTERRUPTED_NOTE}")
        return 130
    except AimapError as exc:
        if debug:
            raise
        _err_console().print(f"[red]error:[/] {escape(str(exc))}")
        return 1
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if debug:
            raise
        _err_console().print(f"[red]error:[/] unexpected {type(exc).__name__}: {escape(str(exc))} "
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
