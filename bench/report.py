"""Benchmark: the gap report of an enterprise at the brief's scale.

Loads the seeded synthetic enterprise (``graph.synthetic``, 100,000 entities by
default) into a fresh embedded store (not timed as part of the report), then
times what ``aimap report -o report.html`` does on it from a cold start:

* the cold report: read the store and run every analysis (the read side's
  snapshot), the scorecards and pipeline, then assemble the report (summary,
  every unit's section, the units' top opportunities, the disagreements
  between sources, which read only the claims that can disagree);
* rendering it as HTML, Markdown and JSON, and writing each file atomically;
* the same report again from the built snapshot, as a running server answers
  ``GET /report`` until the store changes;
* a second report on the same store compared with the first, saved to the
  history folder (``--save``), which reads that saved JSON report back.

The acceptance target (issue 10) is the cold report plus the HTML file in
≤ 10 s. Each step's wall and CPU time are given: on a shared machine the wall
time counts the other processes too. Figures go to stdout and
``bench/results/report-<entities>.json``.

    python bench/report.py                  # 100,000 entities
    python bench/report.py --entities 20000
    python bench/report.py --store-file /tmp/100k.db   # keep the loaded store for the next run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.analyses import AnalysisConfig  # noqa: E402
from graph.reports import ReportSettings, generate_report, report_json, save_report  # noqa: E402
from graph.reports.atomic import write_atomic  # noqa: E402
from graph.service import ReadService  # noqa: E402
from graph.store.sqlite_store import SQLiteStore  # noqa: E402
from graph.synthetic import AS_OF, generate_enterprise, load_into  # noqa: E402
from visualizations.report import render_html, render_markdown  # noqa: E402

RESULTS = Path(__file__).parent / "results"
TARGET_SECONDS = 10.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(figures: dict, name: str, action):
    """Run ``action``; record its wall time, and its CPU time under ``cpu``
    (on a shared machine the wall time also counts the other processes)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = action()
    figures[name] = round(time.perf_counter() - start, 2)
    figures.setdefault("cpu", {})[name] = round(time.process_time() - cpu, 2)
    print(f"{name:>26}: {figures[name]:8.2f} s  cpu {figures['cpu'][name]:7.2f} s   peak {peak_mb():7.0f} MB",
          flush=True)
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--store-file", type=Path, default=None,
                        help="keep the loaded store in this file and reuse it on the next run (skips the load)")
    args = parser.parse_args()
    figures: dict = {"entities_requested": args.entities, "python": platform.python_version()}
    with tempfile.TemporaryDirectory(prefix="aimap-bench-report-") as tmp:
        folder = Path(tmp)
        database = args.store_file or folder / "bench.db"
        if not database.exists():
            enterprise = timed(figures, "generate", lambda: generate_enterprise(args.entities, args.seed))
            with SQLiteStore(database) as store:
                timed(figures, "load (not the report)", lambda: load_into(store, enterprise.nodes,
                                                                          enterprise.relationships))
            enterprise = None
        with SQLiteStore(database) as store:
            counts = store.counts()
            figures["nodes"], figures["relationships"] = counts.total_nodes, counts.total_relationships
            settings = ReportSettings(history_dir=folder / "history")
            service = ReadService(store, AnalysisConfig(as_of=AS_OF))
            start, cpu = time.perf_counter(), time.process_time()
            timed(figures, "read + analyse (snapshot)", service.snapshot)
            snapshot = service.snapshot()
            timed(figures, "scorecards + pipeline", lambda: (snapshot.scorecards, snapshot.pipeline))
            report = timed(figures, "assemble the report", lambda: generate_report(service, settings).report)
            html = timed(figures, "render html", lambda: render_html(report))
            timed(figures, "write html", lambda: write_atomic(folder / "report.html", html))
            figures["cold report + html file"] = round(time.perf_counter() - start, 2)
            figures["cpu"]["cold report + html file"] = round(time.process_time() - cpu, 2)
            timed(figures, "warm report (as GET /report)", lambda: generate_report(service, settings).report)
            markdown = timed(figures, "render markdown", lambda: render_markdown(report))
            timed(figures, "write markdown", lambda: write_atomic(folder / "report.md", markdown))
            text = timed(figures, "render json", lambda: report_json(report))
            timed(figures, "write json", lambda: write_atomic(folder / "report.json", text))
            timed(figures, "save to history", lambda: save_report(report, settings.history_dir))
            service = snapshot = None
            figures["html_mb"] = round(len(html.encode()) / 1e6, 1)
            figures["markdown_mb"] = round(len(markdown.encode()) / 1e6, 1)
            figures["json_mb"] = round(len(text.encode()) / 1e6, 1)
            figures["findings"] = report.summary.headline.findings
            figures["units"] = len(report.units)
            later = ReadService(store, AnalysisConfig(as_of=AS_OF + dt.timedelta(days=7)))
            second = timed(figures, "report with comparison", lambda: generate_report(later, settings).report)
            figures["compared_persisting"] = len(second.comparison.persisting) if second.comparison else 0
    figures["peak_rss_mb"] = round(peak_mb())
    figures["target_seconds"] = TARGET_SECONDS
    figures["within_target"] = figures["cold report + html file"] <= TARGET_SECONDS
    figures["within_target_cpu"] = figures["cpu"]["cold report + html file"] <= TARGET_SECONDS
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"report-{args.entities}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"{'cold report + html file':>26}: {figures['cold report + html file']:8.2f} s wall, "
          f"{figures['cpu']['cold report + html file']:.2f} s cpu "
          f"(target ≤ {TARGET_SECONDS:g} s: {'met' if figures['within_target'] else 'MISSED'})\n"
          f"{'findings':>26}: {figures['findings']:,} in {figures['units']} sections; html {figures['html_mb']} MB, "
          f"json {figures['json_mb']} MB\n{'peak memory':>26}: {figures['peak_rss_mb']} MB\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
