"""kill -9 and Ctrl-C at each phase of an import, on both stores: the store
holds what it held before or everything the import brings, never a part. An
import in several transactions (--commit-every) cut between two of them is
marked unfinished: analyze warns until the import is run again to the end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from graph.store import open_store

REPO = Path(__file__).resolve().parents[2]
PEOPLE = 4_000
SEED = 3


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'aimap.db'}"
        return
    server = request.getfixturevalue("neo4j_server")
    parts = urlsplit(server["uri"])
    url = urlunsplit((parts.scheme, f"{server['user']}:{server['password']}@{parts.netloc}", "", "", ""))
    with open_store(url) as store:
        store.clear()
    yield url


def write_sources(folder: Path) -> tuple[Path, Path]:
    seed = folder / "seed.json"
    seed.write_text(json.dumps({"teams": [{"id": f"t{i}", "name": f"Team {i}"} for i in range(SEED)]}))
    big = folder / "big.json"
    big.write_text(json.dumps({"people": [{"id": f"p-{i:06}", "name": f"Person {i}", "member_of": "t0"}
                                          for i in range(PEOPLE)]}))
    return seed, big


def aimap(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("AIMAP_STORE", "AIMAP_LOG")}
    return subprocess.Popen([sys.executable, "-m", "api.cli.main", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def interrupt_at(child: subprocess.Popen[str], marker: str, signum: int) -> str:
    """Send ``signum`` as soon as the child logs ``marker``; return all of its stderr."""
    assert child.stderr is not None
    seen = []
    for line in child.stderr:
        seen.append(line)
        if marker in line:
            child.send_signal(signum)
            break
    else:
        child.wait()
        pytest.fail(f"the import never logged {marker!r}:\n{''.join(seen)}")
    _, rest = child.communicate(timeout=300)
    return "".join(seen) + rest


def node_and_rel_counts(url: str) -> tuple[int, int]:
    with open_store(url, create=False) as store:
        counts = store.counts()
        return counts.total_nodes, counts.total_relationships


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
@pytest.mark.parametrize("marker", ["reading 1 file(s)", "validating", "writing batch 1 of 1"],
                         ids=["reading", "validating", "writing"])
def test_an_interrupted_import_leaves_before_or_after_never_between(store_url, tmp_path, signum, marker):
    seed, big = write_sources(tmp_path)
    assert subprocess.run([sys.executable, "-m", "api.cli.main", "import", str(seed), "--store", store_url],
                          cwd=tmp_path, capture_output=True).returncode == 0
    child = aimap("-v", "import", str(big), "--store", store_url, cwd=tmp_path)
    err = interrupt_at(child, marker, signum)
    counts = node_and_rel_counts(store_url)
    assert counts in {(SEED, 0), (SEED + PEOPLE, PEOPLE)}, f"a partial import: {counts}"
    if signum == signal.SIGKILL:
        assert child.returncode == -signal.SIGKILL
    elif counts == (SEED, 0):
        assert child.returncode == 130 and "interrupted (Ctrl-C): nothing more was written" in err
    with open_store(store_url, create=False) as store:
        assert store.pending_imports() == {}


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_a_commit_every_import_cut_between_transactions_is_marked_until_rerun(store_url, tmp_path, signum):
    seed, big = write_sources(tmp_path)
    assert subprocess.run([sys.executable, "-m", "api.cli.main", "import", str(seed), "--store", store_url],
                          cwd=tmp_path, capture_output=True).returncode == 0
    child = aimap("-v", "import", str(big), "--store", store_url, "--commit-every", "500", cwd=tmp_path)
    interrupt_at(child, "writing batch 3 of", signum)
    nodes, _ = node_and_rel_counts(store_url)
    assert SEED < nodes < SEED + PEOPLE
    analyze = subprocess.run([sys.executable, "-m", "api.cli.main", "analyze", "--store", store_url],
                             cwd=tmp_path, capture_output=True, text=True)
    assert "holds an unfinished import (aimap import" in analyze.stderr
    assert "--commit-every 500" in analyze.stderr and "run that import again to finish it" in analyze.stderr
    rerun = subprocess.run([sys.executable, "-m", "api.cli.main", "import", str(big), "--store", store_url,
                            "--commit-every", "500"], cwd=tmp_path, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert node_and_rel_counts(store_url) == (SEED + PEOPLE, PEOPLE)
    analyze = subprocess.run([sys.executable, "-m", "api.cli.main", "analyze", "--store", store_url],
                             cwd=tmp_path, capture_output=True, text=True)
    assert "unfinished import" not in analyze.stderr
