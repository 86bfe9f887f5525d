"""What aimap prints: --version, help text, escaped names, logging, signals."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli.common import setup_logging
from api.cli.main import run

HOSTILE = "Evil \x1b[2J\x1b]0;owned\x07 \u202egnp.exe :fire: [red]x[/] \x9b31m"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    monkeypatch.delenv("AIMAP_LOG", raising=False)
    return tmp_path


def test_version(workdir, capsys):
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("aimap 0.")


@pytest.mark.parametrize("command, shown, hidden", [
    (["import", "--help"], ["PATHS...", "[import.aliases]", "([import] table", "[tool.aimap.import]"],
     ["<bool>", "{paths}", "<list[Path]>", "config file: )"]),
    (["analyze", "--help"], ["([analysis] table)", "[tool.aimap.analysis]"], ["<bool>", "( table)"]),
    (["export", "--help"], ["PATH"], ["<path>", "<bool>"]),
    (["--help"], ["--version", "--verbose"], ["<bool>", "<int>"]),
])
def test_help_keeps_bracketed_text_and_shows_no_type_labels(workdir, capsys, monkeypatch, command, shown, hidden):
    monkeypatch.setenv("COLUMNS", "250")
    assert run(command) == 0
    out = " ".join(capsys.readouterr().out.split())
    for text in shown:
        assert text in out
    for text in hidden:
        assert text not in out


def test_names_cannot_drive_the_terminal_or_become_emoji(workdir, capsys):
    (workdir / "h.json").write_text(json.dumps({"initiatives": [
        {"id": "ini-evil", "name": HOSTILE, "stage": "production"}]}), encoding="utf-8")
    assert run(["import", "h.json"]) == 0
    capsys.readouterr()
    assert run(["analyze", "--as-of", "2026-11-25"]) == 0
    out = capsys.readouterr().out
    for raw in ("\x1b", "\x07", "\u202e", "\x9b", "🔥"):
        assert raw not in out
    assert "\\u001b[2J" in out and "\\u202egnp.exe" in out and ":fire:" in out and "[red]x[/]" in out


def test_an_error_message_shows_a_hostile_id_escaped(workdir, capsys):
    (workdir / "h.yaml").write_text('systems:\n  - {id: ":fire: \\u202e", name: A}\n  - {id: ":fire: \\u202e", name: B}\n',
                                    encoding="utf-8")
    assert run(["import", "h.yaml"]) == 1
    err = capsys.readouterr().err
    assert "':fire: \\u202e'" in err and "🔥" not in err and "\u202e" not in err


def test_the_neo4j_driver_log_lines_are_not_printed_raw(workdir, capsys, monkeypatch):
    setup_logging(0)
    logging.getLogger("neo4j.io").error("[#8300] _: <CONNECTION> error: Failed to read from defunct connection")
    assert capsys.readouterr().err == ""
    setup_logging(1)
    logging.getLogger("neo4j.io").error("[#8300] _: <CONNECTION> error: Failed to read")
    assert "error: neo4j.io: [#8300]" in capsys.readouterr().err
    monkeypatch.setenv("AIMAP_LOG", "debug")
    assert setup_logging(0) == logging.DEBUG
    logging.getLogger("graph.store.sqlite_store").debug("waited \x1b[31m")
    assert "debug: graph.store.sqlite_store: waited \\u001b[31m" in capsys.readouterr().err
    monkeypatch.delenv("AIMAP_LOG")
    setup_logging(0)


def test_verbose_logs_skipped_records(workdir, capsys):
    (workdir / "p.yaml").write_text("systems:\n  - {id: s1, name: A}\n  - {id: s2, criticality: nonsense, name: B}\n")
    assert run(["-v", "import", "p.yaml", "--partial"]) == 0
    err = capsys.readouterr().err
    assert "info:" in err and "p.yaml" in err
    setup_logging(0)


def big_import(path: Path, entities: int = 60_000) -> Path:
    path.write_text(json.dumps({"people": [{"id": f"p-{i:06}", "name": f"Person {i}"} for i in range(entities)]}))
    return path


@pytest.mark.parametrize("signum, code, words", [
    (signal.SIGINT, 130, "interrupted (Ctrl-C): nothing more was written"),
    (signal.SIGTERM, 143, "terminated (SIGTERM): nothing more was written"),
])
def test_ctrl_c_and_sigterm_say_so_and_write_nothing(workdir, signum, code, words):
    big_import(workdir / "big.json")
    env = {k: v for k, v in os.environ.items() if k not in ("AIMAP_STORE", "AIMAP_LOG")}
    child = subprocess.Popen([sys.executable, "-m", "api.cli.main", "-v", "import", "big.json"], cwd=workdir,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    for line in child.stderr:  # the import has begun: aimap's signal handlers are in place
        if "reading 1 file(s)" in line:
            break
    child.send_signal(signum)
    out, err = child.communicate(timeout=120)
    assert child.returncode == code, err
    assert words in err and "Traceback" not in err
    assert not (workdir / "aimap.db").exists()  # the first import was stopped: no store left behind


def test_progress_shows_while_reading_even_one_large_file(monkeypatch):
    """On a terminal the reading and checking phases show from their start
    (one large file is read for a while before anything can be counted);
    the write bar only for large jobs."""
    import io

    from api.cli.common import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    bar = ProgressBar(threshold=2000)
    bar("writing", 0, 10)
    assert bar._progress is None  # a small write: silent
    bar("reading", 0, 1)
    assert bar._progress is not None
    reading = bar._progress.tasks[0]
    assert reading.description == "reading" and reading.total is None  # a spinner, not a 0-of-1 bar
    bar("writing", 0, 5000)
    assert [task.description for task in bar._progress.tasks] == ["reading", "writing"]
    assert bar._progress.tasks[0].finished and bar._progress.tasks[1].total == 5000
    bar.close()
    assert bar._progress is None
