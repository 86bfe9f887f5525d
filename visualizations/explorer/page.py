"""The explorer page: aimap's own template with everything inlined.

No script, style or font is fetched from anywhere (enterprise intranets have
no internet): vis-network (from pyvis), the page's script and its style are
inlined, and a Content-Security-Policy forbids every other source. Graph data
is JSON inside a ``<script type="application/json">`` element with ``<``,
``>`` and ``&`` escaped, so a name such as ``</script>`` stays text; the
script then writes values into the page only as text.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from visualizations.explorer.pyvis_network import vis_network_js

_PLACEHOLDER = re.compile(r"\{\{(TITLE|CSS|CONFIG|DATA|VIS|JS)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@cache
def _asset(name: str) -> str:
    return (files("visualizations.explorer") / name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON that is safe inside a script element, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def render(data: dict | None, *, served: bool = False, data_url: str = "/explorer/data",
           whatif_url: str = "/explorer/whatif", api: str = "/api/v1", title: str = "aimap explorer") -> str:
    """The page. With ``data`` it is self-contained (``aimap explore``);
    ``served`` pages carry no data and fetch each view from ``data_url`` (a
    what-if's view from ``whatif_url``)."""
    config = {"mode": "served" if served else "file", "data_url": data_url, "whatif_url": whatif_url, "api": api}
    parts = {"TITLE": html.escape(title), "CSS": _asset("explorer.css"), "CONFIG": script_json(config),
             "DATA": script_json(data), "VIS": vis_network_js(), "JS": _asset("explorer.js")}
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("template.html"))


def write(path: Path, page: str) -> Path:
    """Write the page as UTF-8 (never the platform's default encoding)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
