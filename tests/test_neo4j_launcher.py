"""scripts/neo4j never reaches a server it did not start, and says which it stops."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "neo4j"


def launcher(*args: str, cache: Path, state_env: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "AIMAP_NEO4J_STATE"}
    env["AIMAP_NEO4J_CACHE"] = str(cache)
    if state_env:
        env["AIMAP_NEO4J_STATE"] = state_env
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)


def test_stop_without_a_state_file_refuses_instead_of_guessing(tmp_path: Path) -> None:
    result = launcher("stop", cache=tmp_path)
    assert result.returncode == 1
    assert "which server? stop needs --state FILE or AIMAP_NEO4J_STATE" in result.stderr
    assert launcher("status", cache=tmp_path).returncode == 1


def test_stop_never_kills_a_process_it_did_not_start(tmp_path: Path) -> None:
    """A state file whose pid now belongs to another process (reused pid, or
    another run's server): stop leaves that process alone and says so."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    home = tmp_path / "aimap-neo4j-other"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("")
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PID": other.pid,
                                 "NEO4J_HOME": str(home)}))
    try:
        result = launcher("stop", "--state", str(state), cache=tmp_path)
        time.sleep(0.2)
        assert other.poll() is None, "stop killed a process it did not start"
        assert result.returncode == 0
        assert f"the server of {state} (bolt://127.0.0.1:1, pid {other.pid}) was not running" in result.stderr
        assert not state.exists()
    finally:
        other.kill()
        other.wait()


def test_stop_reads_the_state_named_by_the_environment(tmp_path: Path) -> None:
    state = tmp_path / "mine.json"
    result = launcher("stop", cache=tmp_path, state_env=str(state))
    assert result.returncode == 0 and f"nothing to stop (no state file {state})" in result.stderr
