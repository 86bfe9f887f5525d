"""The page itself: self-contained, no outside source, hostile names kept as text."""

from __future__ import annotations

import json
import re

from visualizations.explorer import ExplorerRequest, explorer_data, render
from visualizations.explorer.page import script_json
from visualizations.explorer.pyvis_network import vis_network_js

from explorer_fixtures import HOSTILE_NAMES


def test_the_page_inlines_vis_network_and_links_nothing_outside(example):
    page = render(explorer_data(example, ExplorerRequest()))
    assert vis_network_js() in page
    assert not re.search(r"<(link|img|iframe)\b", page, re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "cdn" not in page.lower().replace("cdnjs", "")  # no CDN of any kind
    assert "default-src 'none'" in page  # the browser refuses any source the page did not inline


def test_script_json_cannot_close_its_script_element():
    hostile = {"name": "</script><script>alert(1)</script><!--", "rtl": "\u202e", "ls": "\u2028"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == hostile


def test_hostile_names_do_not_leave_the_data_element(hostile):
    page = render(explorer_data(hostile, ExplorerRequest()))
    assert "window.__pwned" in page  # the names are there, as JSON
    benign = render(None)
    # no script element closed or opened by a name: the same tags as a page without data
    assert (page.count("</script>"), page.count("<script")) == (benign.count("</script>"), benign.count("<script"))
    for tag in ("<img", "<b>", "<!--"):
        assert page.count(tag) == benign.count(tag), tag
    data = json.loads(re.search(r'<script type="application/json" id="aimap-data">(.*?)</script>', page, re.S).group(1))
    names = {n["id"]: n["aimap"]["name"] for n in data["nodes"] if n["aimap"]["cluster"] is None}
    assert names == HOSTILE_NAMES


def test_a_served_page_carries_no_data():
    page = render(None, served=True, data_url="/explorer/data")
    config = json.loads(re.search(r'id="aimap-config">(.*?)</script>', page, re.S).group(1))
    assert config == {"mode": "served", "data_url": "/explorer/data", "whatif_url": "/explorer/whatif", "api": "/api/v1"}
    assert re.search(r'id="aimap-data">null</script>', page)
