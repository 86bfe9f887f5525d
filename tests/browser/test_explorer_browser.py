"""The explorer in headless Chromium: the file ``aimap explore`` writes, and the
page ``aimap serve`` serves at /explorer. Each test waits for the layout to
settle, asserts from the page's own state (``window.aimapExplorer``), checks
that no request left the machine, and saves a screenshot."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "visualizations"))

from explorer_fixtures import (  # noqa: E402
    HOSTILE_ID,
    HOSTILE_NAMES,
    example_service,
    hostile_id_service,
    hostile_service,
)

from graph.schema import Kind, Rel  # noqa: E402
from visualizations.explorer import ExplorerRequest, View, explorer_data, render  # noqa: E402
from visualizations.explorer.page import write  # noqa: E402
from visualizations.explorer.style import KIND_STYLES, SEVERITY_COLOURS  # noqa: E402

SETTLE_TIMEOUT_MS = 20_000
READ_TOKEN = "explorer-read-token-0123456789"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return example_service(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def server(example):
    """The HTTP API and the explorer on a free 127.0.0.1 port, in a thread."""
    from api.http.app import create_app

    yield from serve(create_app(example))


@pytest.fixture(scope="module")
def token_server(example):
    """The same, where every read needs a token."""
    from api.http.app import create_app
    from api.http.deps import Access

    yield from serve(create_app(example, Access(tokens={READ_TOKEN: frozenset({"read"})})))


def serve(app):
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    instance = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)
    sock.close()


def settle(page, loads: int = 1) -> dict:
    page.wait_for_function(f"window.aimapExplorer && aimapExplorer.state.loads >= {loads} "
                           "&& aimapExplorer.state.settled", timeout=SETTLE_TIMEOUT_MS)
    state = page.evaluate("({settleMs: aimapExplorer.state.settleMs, error: aimapExplorer.state.error})")
    assert state["error"] is None
    return state


def node_ids(page) -> set[str]:
    return set(page.evaluate("aimapExplorer.nodes.getIds()"))


def click_node(page, node_id: str) -> None:
    at = page.evaluate("id => aimapExplorer.domPosition(id)", node_id)
    assert at is not None, f"{node_id!r} is not drawn"
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


def open_file(page, folder: Path, data: dict) -> dict:
    path = write(folder / "explorer.html", render(data))
    page.goto(path.as_uri())
    return settle(page)


def entity_ids(data: dict) -> set[str]:
    return {n["id"] for n in data["nodes"] if n["aimap"]["cluster"] is None}


def test_the_file_draws_the_example_with_legend_markers_and_click_to_focus(page, screenshot, example, tmp_path):
    data = explorer_data(example, ExplorerRequest())
    open_file(page, tmp_path, data)
    ctx = example.snapshot().ctx
    every = {i for i in ctx.ids() if ctx.kind(i) is not None}
    assert node_ids(page) == every
    drawn_edges = {tuple(e) for e in page.evaluate("aimapExplorer.edges.get().map(e => [e.from, e.to, e.aimap.type])")}
    assert drawn_edges == {(e.from_id, e.to_id, e.type.value) for rel in Rel for e in ctx.edges(rel)
                           if e.from_id in every and e.to_id in every}
    labels = page.evaluate("aimapExplorer.edges.get().slice(0, 50).map(e => [e.aimap.type, e.label, e.title])")
    assert all(label.startswith(data["readings"][t][0]) and data["readings"][t][1] in title
               for t, label, title in labels)

    legend = page.evaluate("[...document.querySelectorAll('#legend li[data-shape]')]"
                           ".map(li => [li.dataset.kind, li.dataset.shape, li.dataset.colour])")
    assert legend == [[k.value, s.shape, s.colour] for k, s in
                      sorted(KIND_STYLES.items(), key=lambda item: [e["kind"] for e in data["legend"]].index(item[0]))]

    snapshot = example.snapshot()
    worst = max((i for i in every if snapshot.worst(i)), key=lambda i: (snapshot.worst(i).rank, i))
    markers = {m["id"]: m["colour"] for m in page.evaluate("aimapExplorer.state.markers")}
    assert markers[worst] == SEVERITY_COLOURS[snapshot.worst(worst)]
    assert set(markers) == {i for i in every if snapshot.worst(i)}

    # hover shows properties, owners, business unit and findings
    at = page.evaluate("id => aimapExplorer.domPosition(id)", worst)
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_function("id => aimapExplorer.state.hovered === id", arg=worst, timeout=SETTLE_TIMEOUT_MS)
    card = page.inner_text(".hover-card")
    detail = example.entity(worst)
    assert detail.name in card and f"business unit: {detail.business_unit_name}" in card
    assert f"{len(detail.finding_details)} finding" in card and detail.finding_details[0].message in card
    assert all(owner.name in card for owner in detail.owners)

    click_node(page, worst)
    page.wait_for_function("id => aimapExplorer.state.focus === id", arg=worst, timeout=SETTLE_TIMEOUT_MS)
    assert page.evaluate("aimapExplorer.network.getSelectedNodes()") == [worst]
    # in a page of the whole graph, what lies beyond the depth is dimmed
    near = {worst} | {n.id for n in example.neighbours(worst, depth=2).nodes}
    dimmed = set(page.evaluate("aimapExplorer.nodes.get().filter(n => n.opacity < 1).map(n => n.id)"))
    assert dimmed and dimmed == every - near
    assert ctx.name(worst) in page.inner_text("#details")
    # the marker is painted on the canvas, in the severity's colour, where the page says
    pixel = page.evaluate("""id => {
        const at = aimapExplorer.markerPosition(id);
        const canvas = document.querySelector('#graph canvas'), ratio = canvas.width / canvas.clientWidth;
        return Array.from(canvas.getContext('2d').getImageData(Math.round(at.x * ratio), Math.round(at.y * ratio), 1, 1).data);
    }""", worst)
    expected = SEVERITY_COLOURS[snapshot.worst(worst)]
    assert all(abs(pixel[i] - int(expected[1 + 2 * i:3 + 2 * i], 16)) < 40 for i in range(3)), (pixel, expected)

    # the what-if hook: another face's markers on the graph
    page.evaluate("id => aimapExplorer.addMarks([{entity: id, severity: 'high', label: 'new finding'}])", worst)
    assert page.evaluate("aimapExplorer.state.marks.map(m => m.entity)") == [worst]
    assert page.outside_requests == []
    screenshot(page, "explorer-file-example")


def test_clusters_open_on_click(page, screenshot, example, tmp_path):
    data = explorer_data(example, ExplorerRequest(max_nodes=40))
    open_file(page, tmp_path, data)
    units = {n["id"]: n for n in data["nodes"] if n["aimap"]["cluster"] == "unit"}
    kinds = {n["id"]: n for n in data["nodes"] if n["aimap"]["cluster"] == "kind"}
    assert node_ids(page) == set(units)
    unit = next(u for u in units.values() if any(kinds[k]["aimap"]["expandable"] for k in u["aimap"]["children"]))
    click_node(page, unit["id"])
    page.wait_for_function("id => !aimapExplorer.nodes.get(id)", arg=unit["id"], timeout=SETTLE_TIMEOUT_MS)
    assert set(unit["aimap"]["children"]) <= node_ids(page)
    cluster = next(k for k in unit["aimap"]["children"] if kinds[k]["aimap"]["expandable"])
    members = {n["id"] for n in data["nodes"] if n["aimap"].get("member_of") == cluster}
    click_node(page, cluster)
    page.wait_for_function("id => !aimapExplorer.nodes.get(id)", arg=cluster, timeout=SETTLE_TIMEOUT_MS)
    assert members and members <= node_ids(page)
    assert page.evaluate("aimapExplorer.state.drawn") <= data["meta"]["max_nodes"]
    assert "too many to draw" in page.inner_text("#notes")

    # a focus request (here from the search box) opens the cluster its entity is in
    page.click("#collapse")
    page.wait_for_function(f"aimapExplorer.state.drawn === {len(units)}", timeout=SETTLE_TIMEOUT_MS)
    other = next(k for k in kinds.values() if k["aimap"]["expandable"] and k["id"] != cluster)
    target = next(n for n in data["nodes"] if n["aimap"].get("member_of") == other["id"])
    page.fill("#search", target["aimap"]["name"])
    page.press("#search", "Enter")
    page.wait_for_function("id => aimapExplorer.state.focus === id", arg=target["id"], timeout=SETTLE_TIMEOUT_MS)
    assert target["id"] in node_ids(page) and other["id"] not in node_ids(page)
    assert page.outside_requests == []
    screenshot(page, "explorer-clusters-open")


def test_hostile_names_stay_text(page, screenshot, tmp_path):
    service = hostile_service(tmp_path)
    open_file(page, tmp_path, explorer_data(service, ExplorerRequest()))
    assert page.evaluate("window.__pwned") is None
    names = page.evaluate("Object.fromEntries(aimapExplorer.nodes.get().map(n => [n.id, n.aimap.name]))")
    assert names == HOSTILE_NAMES
    click_node(page, "i-rtl")
    page.wait_for_function("aimapExplorer.state.focus === 'i-rtl'", timeout=SETTLE_TIMEOUT_MS)
    details = page.inner_text("#details")
    assert HOSTILE_NAMES["i-rtl"].strip("\u202c") in details and HOSTILE_NAMES["t-script"] in details
    assert page.evaluate("document.querySelectorAll('main img, main b, script').length") == 4  # the page's own scripts
    assert page.evaluate("[...document.querySelectorAll('#details bdi')].some(b => b.textContent.includes('\\u202e'))")
    assert page.evaluate("window.__pwned") is None and page.title() == "aimap explorer"
    assert page.outside_requests == []
    screenshot(page, "explorer-hostile-names")


def test_the_served_explorer_fetches_views_focus_and_search_from_the_api(page, screenshot, example, server):
    page.goto(f"{server}/explorer")
    settle(page)
    assert node_ids(page) == entity_ids(explorer_data(example, ExplorerRequest()))
    assert page.evaluate("aimapExplorer.state.mode") == "served"

    page.select_option("#view", "gaps")
    page.click("#apply")
    settle(page, loads=2)
    gaps = explorer_data(example, ExplorerRequest(view=View.GAPS))
    assert page.evaluate("aimapExplorer.data.meta.view") == "gaps"
    assert node_ids(page) == entity_ids(gaps)
    evidence = page.evaluate("aimapExplorer.edges.get().filter(e => e.aimap.evidence)"
                             ".map(e => [e.aimap.evidence, e.color.color])")
    assert evidence and all(colour == SEVERITY_COLOURS[severity] for severity, colour in evidence)

    ctx = example.snapshot().ctx
    system = next(i for i in sorted(entity_ids(gaps)) if ctx.kind(i) is Kind.SYSTEM)
    click_node(page, system)
    page.wait_for_function("id => aimapExplorer.state.focus === id && aimapExplorer.data.meta.focus === id",
                           arg=system, timeout=SETTLE_TIMEOUT_MS)
    focused = explorer_data(example, ExplorerRequest(view=View.GAPS, focus=system, depth=2))
    assert node_ids(page) == entity_ids(focused)
    assert page.evaluate("aimapExplorer.nodes.get().filter(n => n.opacity !== undefined).length") == 0

    target = next(i for i in sorted(ctx.ids(Kind.INITIATIVE)) if i not in node_ids(page))
    page.fill("#search", ctx.name(target))
    page.press("#search", "Enter")
    page.wait_for_function("id => aimapExplorer.state.focus === id", arg=target, timeout=SETTLE_TIMEOUT_MS)
    assert target in node_ids(page)
    assert page.outside_requests == []
    screenshot(page, "explorer-served")


def test_the_served_data_refuses_an_unknown_business_unit_in_the_page(page, server, screenshot):
    page.goto(f"{server}/explorer?business_unit=no-such-unit")
    page.wait_for_function("window.aimapExplorer && aimapExplorer.state.error", timeout=SETTLE_TIMEOUT_MS)
    assert "no-such-unit" in page.inner_text("#notes")
    assert page.outside_requests == []
    screenshot(page, "explorer-served-error")


# -- what if -------------------------------------------------------------------------

LEAVES = {"change": "person-leaves", "id": "person-hannah-becker"}
OWNED = {"change": "add-relationship", "type": "OWNS", "from_id": "team-data-platform",
         "to_id": "init-energy-optimization"}


def marks_by_label(page) -> dict[str, set[str]]:
    marks: dict[str, set[str]] = {}
    for label, entity in page.evaluate("aimapExplorer.state.marks.map(m => [m.label, m.entity])"):
        marks.setdefault(label, set()).add(entity)
    return marks


def ring_pixels(page, entity: str, radius: float, colour: str, samples: int = 36) -> int:
    """How many of ``samples`` points on the ring of ``radius`` (canvas units)
    around ``entity`` are painted in ``colour``."""
    return page.evaluate("""([id, radius, colour, samples]) => {
        const net = aimapExplorer.network, p = net.getPositions([id])[id];
        const canvas = document.querySelector('#graph canvas'), ratio = canvas.width / canvas.clientWidth;
        const ctx = canvas.getContext('2d');
        const want = [1, 3, 5].map(i => parseInt(colour.slice(i, i + 2), 16));
        let hits = 0;
        for (let k = 0; k < samples; k++) {
            const a = 2 * Math.PI * k / samples;
            const at = net.canvasToDOM({x: p.x + radius * Math.cos(a), y: p.y + radius * Math.sin(a)});
            const px = ctx.getImageData(Math.round(at.x * ratio), Math.round(at.y * ratio), 1, 1).data;
            if (want.every((v, i) => Math.abs(px[i] - v) < 40)) hits++;
        }
        return hits;
    }""", [entity, radius, colour, samples])


def test_the_whatif_file_marks_what_would_appear_and_go(page, screenshot, example, tmp_path):
    from graph.service.whatif_models import WhatIfRequest
    from visualizations.explorer.whatif import CHANGED_COLOUR, whatif_explorer

    revision = example.snapshot().revision
    answer, data = whatif_explorer(example, WhatIfRequest.model_validate({"changes": [LEAVES, OWNED]}))
    open_file(page, tmp_path, data)
    marks = marks_by_label(page)
    assert marks["would appear"] == {f.subject for f in answer.appearing} == \
        {"init-demand-forecast", "init-sop-scenario-assistant"}
    assert marks["would go"] == {f.subject for f in answer.disappearing} == {"init-energy-optimization"}
    assert marks["changed"] == {"person-hannah-becker", "team-data-platform", "init-energy-optimization"}
    # the rings are painted: solid dark round the changed person, dashed in the
    # severity's colour round an initiative that would be orphaned
    critical = next(f for f in answer.appearing if f.subject == "init-demand-forecast").severity
    assert ring_pixels(page, "person-hannah-becker", 22, CHANGED_COLOUR) >= 24
    assert 6 <= ring_pixels(page, "init-demand-forecast", 22, SEVERITY_COLOURS[critical]) < 34
    # the panel says what was imagined and what the rings mean
    assert page.is_visible("#overlay") and not page.is_visible("#whatif-form")
    panel = page.inner_text("#overlay")
    assert "person-leaves person-hannah-becker" in panel and "2 findings would appear, 1 would go" in panel
    assert page.evaluate("[...document.querySelectorAll('#overlay-legend li')].map(li => li.dataset.style)") == \
        ["solid", "dashed", "dotted"]
    # hover names the finding that would appear
    at = page.evaluate("id => aimapExplorer.domPosition(id)", "init-demand-forecast")
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_function("aimapExplorer.state.hovered === 'init-demand-forecast'", timeout=SETTLE_TIMEOUT_MS)
    assert "would appear: critical · orphaned-initiative" in page.inner_text(".hover-card")
    assert example.snapshot().revision == revision
    assert page.outside_requests == []
    screenshot(page, "explorer-whatif-file")

    page.click("#overlay-clear")
    assert page.evaluate("aimapExplorer.state.marks.length") == 0 and not page.is_visible("#overlay")


def test_a_hostile_id_in_a_whatif_stays_text(page, screenshot, tmp_path):
    from graph.service.whatif_models import WhatIfRequest
    from visualizations.explorer.whatif import whatif_explorer

    service = hostile_id_service(tmp_path)
    _, data = whatif_explorer(service, WhatIfRequest.model_validate({"changes": [
        {"change": "person-leaves", "id": HOSTILE_ID}]}))
    open_file(page, tmp_path, data)
    assert page.evaluate("window.__pwned") is None
    assert marks_by_label(page) == {"changed": {HOSTILE_ID}, "would appear": {"i"}}
    assert f"person-leaves {HOSTILE_ID}" in page.inner_text("#overlay")
    at = page.evaluate("id => aimapExplorer.domPosition(id)", HOSTILE_ID)
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_function("id => aimapExplorer.state.hovered === id", arg=HOSTILE_ID, timeout=SETTLE_TIMEOUT_MS)
    assert f"changed: person-leaves {HOSTILE_ID}" in page.inner_text(".hover-card")
    assert page.evaluate("document.querySelectorAll('main img, main b, script').length") == 4  # the page's own scripts
    assert page.evaluate("window.__pwned") is None
    assert page.outside_requests == []
    screenshot(page, "explorer-whatif-hostile")


def test_the_served_page_asks_a_whatif_and_keeps_its_marks(page, screenshot, example, token_server):
    page.goto(f"{token_server}/explorer#token={READ_TOKEN}")
    settle(page)
    revision = example.snapshot().revision
    assert page.is_visible("#whatif-form") and not page.is_visible("#overlay")
    assert page.evaluate(f"aimapExplorer.whatIf([{json.dumps(LEAVES)}, {json.dumps(OWNED)}])") is True
    settle(page, loads=2)
    marks = marks_by_label(page)
    assert marks["would appear"] == {"init-demand-forecast", "init-sop-scenario-assistant"}
    assert marks["would go"] == {"init-energy-optimization"}
    assert page.evaluate("aimapExplorer.data.meta.around")[0] == "person-hannah-becker"
    assert "2 findings would appear, 1 would go" in page.inner_text("#overlay")

    # the marks stay over the next view (a focus the server walks)
    click_node(page, "init-demand-forecast")
    page.wait_for_function("aimapExplorer.data.meta.focus === 'init-demand-forecast' && aimapExplorer.state.settled",
                           timeout=SETTLE_TIMEOUT_MS)
    assert "init-demand-forecast" in marks_by_label(page)["would appear"]
    assert page.is_visible("#overlay")

    # the form: one change, by name or id; an unknown id is a problem the page shows
    page.select_option("#whatif-change", "retire-system")
    page.fill("#whatif-id", "no-such-system")
    page.click("#whatif-apply")
    page.wait_for_function("aimapExplorer.state.error !== null", timeout=SETTLE_TIMEOUT_MS)
    assert "no-such-system" in page.inner_text("#notes")
    page.select_option("#whatif-change", "person-leaves")
    page.fill("#whatif-id", "Hannah Becker")
    page.click("#whatif-apply")
    page.wait_for_function("aimapExplorer.state.whatIfs === 2 && aimapExplorer.state.settled", timeout=SETTLE_TIMEOUT_MS)
    marks = marks_by_label(page)
    assert marks["changed"] == {"person-hannah-becker"} and "would go" not in marks
    assert page.evaluate("aimapExplorer.state.error") is None
    assert example.snapshot().revision == revision
    assert page.outside_requests == []
    screenshot(page, "explorer-whatif-served")

    page.click("#overlay-clear")
    assert page.evaluate("aimapExplorer.state.marks.length") == 0


def test_the_served_whatif_needs_the_token(page, token_server):
    page.goto(f"{token_server}/explorer")
    page.wait_for_function("window.aimapExplorer && aimapExplorer.state.error", timeout=SETTLE_TIMEOUT_MS)
    assert page.evaluate(f"aimapExplorer.whatIf([{json.dumps(LEAVES)}])") is False
    assert page.evaluate("aimapExplorer.state.marks.length") == 0
    assert page.outside_requests == []
