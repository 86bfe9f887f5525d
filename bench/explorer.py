"""Benchmark: the explorer on an enterprise at the brief's scale.

Generates the seeded synthetic enterprise (``graph.synthetic``: 100,000
entities, ~500,000 relationships), loads it into an embedded store, builds the
read side's snapshot once (read and every analysis: shared by every face, so
timed apart), then for each page

* the whole graph (clustered by business unit, then kind);
* the whole graph's gaps view;
* a depth-2 focus on the most connected system;

reports the generation time (selection, clusters, layout, pyvis, HTML), the
page size, the nodes drawn and, in Debian's headless Chromium, the time from
navigation to the layout settled (the page's ``state.settleMs``), and for the
whole graph the time to open a business unit and its largest openable cluster.
Targets (issue 9): settled within 3 s, generated within 10 s.

    python bench/explorer.py                  # 100,000 entities
    python bench/explorer.py --entities 10000

Figures go to stdout and ``bench/results/explorer-<entities>.json`` (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from graph.analyses import AnalysisConfig
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from graph.synthetic import AS_OF, generate_enterprise, load_into
from visualizations.explorer import ExplorerRequest, View, explorer_data, render
from visualizations.explorer.page import write

RESULTS = Path(__file__).parent / "results"
SETTLE_TARGET_S = 3.0
GENERATE_TARGET_S = 10.0
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions"]


def most_connected_system(service: ReadService) -> str:
    ctx = service.snapshot().ctx
    return max(ctx.ids(Kind.SYSTEM),
               key=lambda s: (sum(len(ctx.out_edges(s, r)) + len(ctx.in_edges(s, r)) for r in Rel), s))


def generate(service: ReadService, request: ExplorerRequest, path: Path) -> dict:
    """Twice: the first page on a snapshot also works out every entity's
    business unit (memoised by the snapshot); the second is what a server
    answers once its snapshot is warm."""
    start = time.perf_counter()
    data = explorer_data(service, request)
    page = render(data)
    write(path, page)
    first = time.perf_counter() - start
    start = time.perf_counter()
    write(path, render(explorer_data(service, request)))
    warm = time.perf_counter() - start
    return {"generate_s": round(first, 3), "generate_warm_s": round(warm, 3), "page_bytes": path.stat().st_size,
            "entities_selected": data["meta"]["entities"], "entities_in_page": data["meta"]["in_page"],
            "clustered": data["meta"]["clustered"], "notes": data["notes"]}


def open_in_browser(browser, path: Path, figures: dict) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 800})
    outside: list[str] = []
    tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:"))
              else (outside.append(route.request.url), route.abort()))
    start = time.perf_counter()
    tab.goto(path.as_uri())
    tab.wait_for_function("window.aimapExplorer && aimapExplorer.state.settled", timeout=120_000)
    figures["open_to_settled_wall_s"] = round(time.perf_counter() - start, 3)
    state = tab.evaluate("({settle: aimapExplorer.state.settleMs, drawn: aimapExplorer.state.drawn,"
                         " edges: aimapExplorer.state.drawnEdges})")
    figures["settle_s"] = round(state["settle"] / 1000, 3)
    figures["nodes_drawn"] = state["drawn"]
    figures["edges_drawn"] = state["edges"]
    if figures["clustered"]:
        figures["open_unit_then_cluster_ms"] = tab.evaluate("""() => {
            const x = aimapExplorer, t0 = performance.now();
            const units = x.data.nodes.filter(n => n.aimap.cluster === 'unit');
            const unit = units.sort((a, b) => b.aimap.count - a.aimap.count)[0];
            x.expand(unit.id);
            const kinds = x.data.nodes.filter(n => n.aimap.cluster === 'kind' && n.aimap.parent === unit.id
                                              && n.aimap.expandable).sort((a, b) => b.aimap.count - a.aimap.count);
            if (kinds.length) x.expand(kinds[0].id);
            return Math.round(performance.now() - t0);
        }""")
        figures["nodes_drawn_after_opening"] = tab.evaluate("aimapExplorer.state.drawn")
    figures["outside_requests"] = len(outside)
    tab.screenshot(path=str(path.with_suffix(".png")))
    tab.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--chromium", default=os.environ.get("AIMAP_CHROMIUM") or shutil.which("chromium"))
    args = parser.parse_args()

    figures: dict = {"entities_requested": args.entities, "python": platform.python_version(),
                     "machine": platform.machine(), "cpus": os.cpu_count()}
    folder = Path(tempfile.mkdtemp(prefix="aimap-explorer-bench-"))
    start = time.perf_counter()
    enterprise = generate_enterprise(args.entities, args.seed)
    store = SQLiteStore(str(folder / "bench.db"))
    load_into(store, enterprise.nodes, enterprise.relationships)
    figures["nodes"], figures["relationships"] = len(enterprise.nodes), len(enterprise.relationships)
    figures["generate_and_load_s"] = round(time.perf_counter() - start, 1)
    del enterprise

    service = ReadService(store, AnalysisConfig(as_of=AS_OF))
    start = time.perf_counter()
    service.snapshot()
    figures["snapshot_read_and_analyse_s"] = round(time.perf_counter() - start, 2)
    hub = most_connected_system(service)
    pages = {
        "whole_graph": ExplorerRequest(),
        "whole_graph_gaps_view": ExplorerRequest(view=View.GAPS),
        "focus_depth_2_most_connected_system": ExplorerRequest(focus=hub, depth=2),
    }
    figures["most_connected_system"] = hub
    figures["pages"] = {name: generate(service, request, folder / f"{name}.html") for name, request in pages.items()}

    if args.chromium:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True, args=ARGS)
            for name in pages:
                open_in_browser(browser, folder / f"{name}.html", figures["pages"][name])
            browser.close()
    else:
        figures["browser"] = "no chromium: settle times not measured"

    for page in figures["pages"].values():
        page["meets_targets"] = (page["generate_s"] <= GENERATE_TARGET_S
                                 and page.get("settle_s", 0) <= SETTLE_TARGET_S)
    figures["artifacts"] = str(folder)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"explorer-{args.entities}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"figures written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
