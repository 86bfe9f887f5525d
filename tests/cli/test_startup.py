"""Start-up: ``aimap --help`` and ``--version`` load none of the heavy modules,
and the command list they show is the commands' own.

Each check runs a fresh interpreter, since this test session has imported
everything already; what is asserted is which modules were loaded, never a time.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli.main import COMMANDS, build_command

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("networkx", "neo4j", "fastapi", "starlette", "uvicorn", "pydantic", "jinja2", "pyvis", "yaml", "openpyxl",
         "graph.schema", "graph.store", "graph.analyses", "graph.service", "importers", "visualizations")

PROBE = """
import contextlib, io, json, sys
from api.cli.main import run
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = run(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_by(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "100"})
    answer = json.loads(done.stdout)
    assert answer["code"] == 0, done.stderr
    return set(answer["modules"])


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"]])
def test_start_up_loads_no_heavy_module(args):
    modules = loaded_by(*args)
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []


def test_the_listed_summaries_are_the_commands_own():
    """``aimap --help`` lists COMMANDS' summaries without importing the commands;
    each must be the first paragraph of the command's real help."""
    group = build_command()
    for name, _, summary in COMMANDS:
        command = group.load(name)
        assert command is not None and command.name == name
        assert inspect.cleandoc(command.help or "").split("\n\n")[0] == summary, name
    assert sorted(group.commands) == sorted(name for name, _, _ in COMMANDS)


def test_a_mistyped_command_gets_a_suggestion(capsys):
    from api.cli.main import run

    assert run(["analyz"]) == 2
    assert "Did you mean 'analyze'?" in capsys.readouterr().err
