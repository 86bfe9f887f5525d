"""JSON output: written by pydantic's serializer straight to the stream, it is
byte for byte what ``json.dumps(model_dump(mode="json"), indent=2)`` wrote
through rich before, terminal controls escaped the same way."""

from __future__ import annotations

import json

import pytest

from api.cli.console import json_text, neutralize
from graph.analyses import load_config
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from importers import example

HOSTILE = "Evil \x1b[2J \u202egnp.exe \x9b31m é \"quoted\" back\\slash\nnew line\ttab"


def previous_writer(data) -> str:
    """How the commands wrote JSON before: the standard library, then rich's
    console (whose SafeConsole neutralized the text)."""
    return neutralize(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    store = SQLiteStore(tmp_path_factory.mktemp("json") / "example.db")
    example.load_example(store)
    yield ReadService(store, load_config(as_of=example.AS_OF))
    store.close()


def test_answers_are_written_as_before(service):
    result = service.analysis()
    assert result.findings
    answers = {
        "analysis": {"store": service.store.url, "as_of": result.as_of.isoformat(), "rules": result.rules,
                     "counts": {s.value: n for s, n in result.counts_by_severity().items()},
                     "findings": result.findings, "notes": result.notes},
        "scorecards": service.scorecards(),
        "pipeline": service.pipeline(),
        "priorities": {"workflows": service.priorities(limit=None)},
    }
    for name, answer in answers.items():
        plain = json.loads(json.dumps(answer, default=lambda model: model.model_dump(mode="json")))
        assert json_text(answer) == previous_writer(plain), name


def test_awkward_values_are_written_as_before():
    data = {"name": HOSTILE, "scores": [0, 1, 0.5, 0.3333, 72.53, 1e16, -0.0], "empty": {}, "none": [],
            "nested": [{"a": None, "b": True}], "ünïcode": "日本語"}
    assert json_text(data) == previous_writer(data)
    assert "\x1b" not in json_text(data) and "\u202e" not in json_text(data) and "\x9b" not in json_text(data)
