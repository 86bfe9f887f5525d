"""The fault corpus of issue 13 at the command line: each fault gives one clear
line, loses nothing and leaves the store (or the destination) as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli.main import run

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    return tmp_path


def aimap(*args: str, cwd: Path, env: dict[str, str] | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``aimap`` in a child process."""
    full_env = {key: value for key, value in os.environ.items() if key != "AIMAP_STORE"}
    return subprocess.run([sys.executable, "-m", "api.cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          env={**full_env, **(env or {})}, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB file system (tmpfs): needs root and a mount the sandbox allows."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {result.stderr.strip() or result.returncode}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def big_source(path: Path, teams: int = 1500) -> Path:
    path.write_text(json.dumps({"teams": [{"id": f"team-{i:04d}", "name": f"Team {i} " + "x" * 200}
                                          for i in range(teams)]}), encoding="utf-8")
    return path


def test_export_to_a_full_disk_leaves_no_truncated_or_empty_file(workdir, small_disk):
    assert run(["import", str(big_source(workdir / "in.json"))]) == 0
    (small_disk / "out.json").write_text("previous\n")
    result = aimap("export", "-o", str(small_disk / "out.json"), cwd=workdir)
    assert result.returncode == 1, result.stderr
    assert "No space left on device; nothing was written" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (small_disk / "out.json").read_text() == "previous\n"
    result = aimap("export", "-f", "csv", "-o", str(small_disk / "register"), cwd=workdir)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert list((small_disk / "register").iterdir()) == []
    assert sorted(p.name for p in small_disk.iterdir()) == ["out.json", "register"]


def test_a_refused_import_with_o_json_prints_json_and_leaves_no_store_file(workdir, capsys):
    (workdir / "bad.yaml").write_text("systems:\n  - {id: s1, name: A}\n  - {id: s1, name: B}\n")
    assert run(["import", "bad.yaml", "--format", "json"]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["written"] is False and report["problems"][0]["fatal"] is True
    assert "stated twice in this file" in report["problems"][0]["message"]
    assert "import refused, nothing was written" in captured.err
    assert sorted(p.name for p in workdir.iterdir()) == ["bad.yaml"]


def test_a_refused_import_into_an_existing_store_keeps_the_store(workdir, capsys):
    (workdir / "good.yaml").write_text("systems:\n  - {id: s1, name: A}\n")
    (workdir / "bad.yaml").write_text("systems:\n  - {id: s2, name: A}\n  - {id: s2, name: B}\n")
    assert run(["import", "good.yaml"]) == 0
    assert run(["import", "bad.yaml"]) == 1
    capsys.readouterr()
    assert run(["stats", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_nodes"] == 1


def test_a_store_in_memory_is_an_error_not_a_silent_loss(workdir, capsys):
    (workdir / "good.yaml").write_text("systems:\n  - {id: s1, name: A}\n")
    assert run(["import", "good.yaml", "--store", "sqlite:///:memory:"]) == 1
    err = capsys.readouterr().err
    assert "is a database in memory: it would be gone when the command ends" in err
    assert "wrote" not in err


def test_an_unknown_business_unit_is_an_error_not_a_passing_gate(workdir, capsys):
    assert run(["demo"]) == 0
    capsys.readouterr()
    assert run(["analyze", "--business-unit", "Pumps Divison", "--fail-on", "low"]) == 1
    captured = capsys.readouterr()
    assert "no business unit 'Pumps Divison'" in captured.err and "bu-pumps (Pumps Division)" in captured.err
    assert captured.out == ""
