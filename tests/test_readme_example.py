"""The README's example output comes from a real run: the demo's
``aimap analyze --as-of 2026-11-25 --format json``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from api.cli.main import run

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> dict:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"`aimap analyze --format json` prints.*?```json\n(.*?)```", text, flags=re.S)
    assert match, "the README lost its analyze --format json example"
    return json.loads(match.group(1))


def test_the_readme_analyze_example_matches_a_real_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    assert run(["demo"]) == 0
    capsys.readouterr()
    assert run(["analyze", "--as-of", "2026-11-25", "--format", "json"]) == 0
    real = json.loads(capsys.readouterr().out)
    shown = readme_example()
    assert shown["as_of"] == real["as_of"] and shown["store"] == real["store"]
    assert shown["counts"] == real["counts"]
    assert shown["rules"][0] == real["rules"][0]
    [finding, ellipsis] = shown["findings"]
    assert ellipsis == "..."
    [actual] = [f for f in real["findings"] if f["id"] == finding["id"]]
    for step in (*finding["evidence"], *actual["evidence"]):  # a path and a moment that differ per run
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", step.pop("last_seen"))
        step["source"] = step["source"].rsplit("importers/example/", 1)[-1]
    assert finding == actual
