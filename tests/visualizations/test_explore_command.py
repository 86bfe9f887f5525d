"""aimap explore and aimap demo write the explorer."""

from __future__ import annotations

import json
import re

from api.cli.main import run


def inlined(path) -> dict:
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="aimap-data">(.*?)</script>', page, re.S).group(1))


def test_demo_writes_the_explorer_and_says_where(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    assert run(["demo"]) == 0
    out = capsys.readouterr().out
    page = tmp_path / "aimap-explorer.html"
    assert f"explorer: {page.name}" in out and page.resolve().as_uri() in out
    data = inlined(page)
    assert data["meta"]["view"] == "all" and data["meta"]["entities"] > 100

    assert run(["explore", "--view", "dependency", "--kind", "System", "-b", "Pumps Division", "--focus",
                "sys-s4hana", "--depth", "1", "--max-nodes", "20", "-o", "sub/e.html"]) == 0
    data = inlined(tmp_path / "sub" / "e.html")
    meta = data["meta"]
    assert (meta["view"], meta["focus"], meta["depth"], meta["business_unit"], meta["kind"], meta["max_nodes"]) == \
        ("dependency", "sys-s4hana", 1, "Pumps Division", ["System"], 20)
    assert "Wrote the explorer to sub/e.html" in capsys.readouterr().out


def test_explore_refuses_what_it_cannot_draw(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIMAP_STORE", raising=False)
    assert run(["explore"]) == 1  # no store yet: reading commands never create one
    assert run(["demo"]) == 0
    capsys.readouterr()
    assert run(["explore", "--focus", "no-such-entity"]) == 1
    assert "no entity 'no-such-entity'" in capsys.readouterr().err
    assert run(["explore", "--view", "everything"]) == 2
    assert run(["explore", "--kind", "Spaceship"]) == 2
    assert not (tmp_path / "aimap-explorer.html").read_text(encoding="utf-8").count("no-such-entity")
