"""Start and stop a throwaway Neo4j server for tests, through scripts/neo4j.

    info = start_server(tmp_path / "neo4j-state.json")
    driver = neo4j.GraphDatabase.driver(info["uri"], auth=(info["user"], info["password"]))
    ...
    stop_server(tmp_path / "neo4j-state.json")

The first call on a machine downloads the Neo4j jars with Maven (needs Java
17+ and mvn); later calls reuse them from ~/.cache/aimap.
"""

import shlex
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "neo4j"


def _run(command, state_file):
    """Run `scripts/neo4j COMMAND --state STATE_FILE`; return its stdout.

    Raises RuntimeError with the script's messages if it fails."""
    result = subprocess.run(
        [sys.executable, str(SCRIPT), command, "--state", str(state_file)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"scripts/neo4j {command} failed "
                           f"(exit {result.returncode}):\n{result.stderr}")
    return result.stdout


def _parse_env_lines(text):
    """Return the NAME=value lines printed by scripts/neo4j as a dict."""
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition("=")
        values[name] = shlex.split(value)[0] if value else ""
    return values


def start_server(state_file):
    """Start a server recorded in `state_file`; return its uri, user and password."""
    values = _parse_env_lines(_run("start", state_file))
    return {"uri": values["NEO4J_URI"],
            "user": values["NEO4J_USER"],
            "password": values["NEO4J_PASSWORD"]}


def stop_server(state_file):
    """Stop the server recorded in `state_file` and delete its data."""
    _run("stop", state_file)
