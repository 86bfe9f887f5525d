"""Benchmark: import, read and analyse an enterprise at the brief's scale.

Generates the seeded synthetic enterprise (``graph.synthetic``), writes it as a
CSV register (so the whole import path is measured: parsing, validation,
references, the transaction), then times on the chosen store:

* the first import and an idempotent re-import (``importers.loader``);
* reading the graph into the analysis index (``AnalysisContext.from_store``);
* every analysis (``graph.analyses.run_analysis``), and each rule on its own
  (the slowest is named).

Peak memory is the process's maximum resident set size. Figures go to stdout
and to ``bench/results/scale-<entities>-<store>.json`` (not committed).

    python bench/scale.py                      # 100,000 entities, embedded store
    python bench/scale.py --entities 10000 --store bolt://127.0.0.1:7687
    python bench/scale.py --store bolt://127.0.0.1:7687 --commit-every 50000
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RESULTS, peak_mb, write_register  # noqa: E402
from graph.analyses import AnalysisConfig, AnalysisContext, load_config, rule_ids, run_analysis  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.synthetic import generate_enterprise  # noqa: E402
from importers.loader import ImportOptions, import_paths  # noqa: E402

__all__ = ["write_register", "peak_mb"]  # kept importable from here


def timed(figures: dict, name: str, action):
    start = time.perf_counter()
    value = action()
    figures[name] = round(time.perf_counter() - start, 2)
    print(f"{name:>22}: {figures[name]:8.2f} s   peak {peak_mb():7.0f} MB", flush=True)
    return value


def rule_times(ctx: AnalysisContext, config: AnalysisConfig) -> dict[str, float]:
    """Seconds per rule, each run on its own over the same index."""
    times = {}
    for rule_id in rule_ids():
        start = time.perf_counter()
        run_analysis(ctx, config, rules=[rule_id])
        times[rule_id] = round(time.perf_counter() - start, 2)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--store", default=None, help="store URL (default: a fresh SQLite file)")
    parser.add_argument("--commit-every", type=int, default=None,
                        help="records per transaction (default: one transaction per import)")
    args = parser.parse_args()

    figures: dict = {"entities_requested": args.entities, "python": platform.python_version()}
    with tempfile.TemporaryDirectory(prefix="aimap-bench-") as tmp:
        folder = Path(tmp)
        enterprise = timed(figures, "generate", lambda: generate_enterprise(args.entities, args.seed))
        figures["nodes"], figures["relationships"] = len(enterprise.nodes), len(enterprise.relationships)
        print(f"{'records':>22}: {figures['nodes']:,} nodes, {figures['relationships']:,} relationships")
        timed(figures, "write csv register", lambda: write_register(folder, enterprise.nodes, enterprise.relationships))
        enterprise = None  # free the records before the import builds its own
        url = args.store or f"sqlite:///{folder / 'bench.db'}"
        with open_store(url) as store:
            store.clear()
            figures["store"] = url.split("://")[0]
            files = sorted(folder.glob("*.csv"))
            options = ImportOptions(commit_every=args.commit_every)
            figures["commit_every"] = args.commit_every
            timed(figures, "import (first)", lambda: import_paths(files, store, options))
            report = timed(figures, "import (again)", lambda: import_paths(files, store, options))
            figures["reimport_changed"] = sum(c.created + c.updated for c in report.nodes.values())
            ctx = timed(figures, "read (analysis index)", lambda: AnalysisContext.from_store(store))
            config = load_config(directory=folder)
            result = timed(figures, "analyse (all rules)", lambda: run_analysis(ctx, config))
            figures["findings"] = len(result.findings)
            figures["rules"] = rule_times(ctx, config)
            slowest = max(figures["rules"], key=figures["rules"].get)
            print(f"{'slowest rule':>22}: {figures['rules'][slowest]:8.2f} s   {slowest}")
    figures["peak_rss_mb"] = round(peak_mb())
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"scale-{args.entities}-{figures['store']}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"{'findings':>22}: {figures['findings']:,}\n{'peak memory':>22}: {figures['peak_rss_mb']} MB\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
