"""What aimap prints, and how: safe consoles for people, plain streams for programs.

Kept light (rich's console only) because every command, ``--help`` and
``--version`` included, may load it: the heavy modules load in the commands.

Tables are for people, so a long one is cut at ``--limit`` rows with a note;
JSON is for programs, so it is written in full, straight to the stream, never
through a rich console (which would measure, wrap and style megabytes of text).
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

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


def json_text(data: Any) -> str:
    """``data`` (plain values, or pydantic models anywhere inside) as aimap
    prints JSON: indented, UTF-8 kept, terminal controls escaped (``\\u009b``
    in a JSON string is the same character).

    Encoded by pydantic's serializer, which is what ``json.dumps(indent=2)``
    writes (tests/cli/test_json_output.py) but some thirty times faster: with
    an indent the standard library's encoder is pure Python, 6.6 s for the
    scorecards of 100,000 entities. The one difference: a float below 1e-4
    is spelt ``0.00001``, not ``1e-05`` (the same number)."""
    from pydantic_core import to_json

    return neutralize(to_json(data, indent=2, by_alias=False).decode()) + "\n"


def write_json(data: Any, out: TextIO | None = None) -> None:
    """``data`` as JSON on ``out`` (default: standard output, looked up now so
    that a test's captured stream is the one written)."""
    write_text(json_text(data), out)


def write_text(text: str, out: TextIO | None = None) -> None:
    """``text`` as it is, on ``out`` (default: standard output), flushed."""
    stream = sys.stdout if out is None else out
    stream.write(text)
    stream.flush()


DEFAULT_ROWS = 50
"""Rows a table shows by default: a screenful or two; JSON holds everything."""


def rows_note(shown: int, total: int, what: str) -> str | None:
    """The line under a table cut short, saying how to see the rest (None when
    nothing was cut)."""
    if shown >= total:
        return None
    return (f"… and {total - shown:,} more {what}; use --format json for all of them, "
            "or --limit N (0: every row)")


def print_rows_note(shown: int, total: int, what: str) -> None:
    if note := rows_note(shown, total, what):
        console.print(note, markup=False, style="dim")


def shown_rows(limit: int | None, total: int) -> int:
    """How many of ``total`` rows a table prints for ``--limit`` (0 or None: all)."""
    return total if not limit else min(limit, total)

