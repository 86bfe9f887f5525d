"""Regenerate docs/explorer.png: the explorer on the example enterprise, in
Debian's headless Chromium (the README's screenshot).

    python scripts/explorer_screenshot.py [--view gaps] [--out docs/explorer.png]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from graph.analyses import load_config
from graph.store.sqlite_store import SQLiteStore
from graph.service import ReadService
from importers.example import AS_OF, load_example
from visualizations.explorer import ExplorerRequest, View, write_explorer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--view", default=View.GAPS.value, choices=[v.value for v in View])
    parser.add_argument("--hover", default=None, help="an entity id to hover")
    parser.add_argument("--focus", default=None, help="an entity id to click (focus) first")
    parser.add_argument("--out", type=Path, default=Path("docs/explorer.png"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="aimap-shot-"))
    store = SQLiteStore(str(folder / "example.db"))
    load_example(store)
    page = write_explorer(ReadService(store, load_config(as_of=AS_OF)), ExplorerRequest(view=View(args.view)),
                          folder / "explorer.html")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1200, "height": 720})
        tab.goto(page.as_uri())
        tab.wait_for_function("window.aimapExplorer && aimapExplorer.state.settled")
        if args.focus:
            tab.evaluate("id => aimapExplorer.focus(id)", args.focus)
            tab.wait_for_function("aimapExplorer.state.settled")
        if args.hover:
            at = tab.evaluate("id => aimapExplorer.domPosition(id)", args.hover)
            box = tab.locator("#graph").bounding_box()
            tab.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
            tab.wait_for_function("id => aimapExplorer.state.hovered === id", arg=args.hover)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
