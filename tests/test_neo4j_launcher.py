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


def _launcher_module():
    """scripts/neo4j as a module, to check the command lines it builds."""
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("aimap_neo4j_launcher", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_default_profile_starts_fast(tmp_path: Path) -> None:
    neo4j = _launcher_module()
    command = neo4j.server_command("java", tmp_path / "lib", tmp_path, tmp_path / "none.jsa", "512m")
    assert command[1:5] == ["-Xms512m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
    assert not any(flag.startswith(("-Xlog:gc", "-XX:+UseG1GC")) for flag in command)
    assert neo4j.profile_memory("fast-start") == ("512m", "128m")
    assert "server.memory.pagecache.size=128m\n" in neo4j.neo4j_conf(tmp_path, 7687)


def test_the_throughput_profile_uses_g1_the_full_jit_a_larger_heap_and_logs_gc(tmp_path: Path) -> None:
    neo4j = _launcher_module()
    heap, pagecache = neo4j.profile_memory("throughput", ram=24 * 1024**3)
    assert (heap, pagecache) == ("2g", "2g")
    assert neo4j.profile_memory("throughput", ram=4 * 1024**3) == ("1g", "1g")
    command = neo4j.server_command("java", tmp_path / "lib", tmp_path, tmp_path / "none.jsa", heap, "throughput")
    assert command[1:4] == ["-Xms2g", "-Xmx2g", "-XX:+UseG1GC"]
    assert f"-Xlog:gc:file={tmp_path / 'gc.log'}:uptime" in command
    assert not any(flag in command for flag in ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
    assert command[-3:] == [neo4j.SERVER_MAIN, f"--home-dir={tmp_path}", f"--config-dir={tmp_path / 'conf'}"]
    assert "server.memory.pagecache.size=2g\n" in neo4j.neo4j_conf(tmp_path, 7687, pagecache)


def test_the_home_lets_load_csv_read_its_import_directory(tmp_path: Path) -> None:
    conf = _launcher_module().neo4j_conf(tmp_path, 7687)
    assert f"server.directories.import={tmp_path / 'import'}\n" in conf
    assert "dbms.security.allow_csv_import_from_file_urls=true\n" in conf


def test_admin_import_runs_the_admin_tool_with_the_database_before_the_files(tmp_path: Path) -> None:
    neo4j = _launcher_module()
    command = neo4j.admin_import_command("java", tmp_path, "2g", [tmp_path / "n.csv"], [tmp_path / "r.csv"])
    start = command.index(neo4j.ADMIN_MAIN)
    assert command[start + 1:start + 5] == ["database", "import", "full", "neo4j"]
    assert "--overwrite-destination=true" in command and "--id-type=string" in command
    assert command[-2:] == [f"--nodes={tmp_path / 'n.csv'}", f"--relationships={tmp_path / 'r.csv'}"]


def test_start_offers_both_profiles(tmp_path: Path) -> None:
    result = launcher("start", "--help", cache=tmp_path)
    assert result.returncode == 0 and "{fast-start,throughput}" in result.stdout
    bad = launcher("start", "--profile", "turbo", cache=tmp_path)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
