"""One measured step of bench/run.py, alone in a fresh process.

Each step runs in its own interpreter so that its peak memory (the process's
maximum resident set size) is that step's, not the whole run's; it prints
one JSON object on stdout: ``seconds`` (the step's work only, not the
interpreter's start), ``peak_mb`` and the step's own figures. Steps call the
product's public functions (``importers.loader.import_paths``,
``AnalysisContext.from_store``, ``graph.analyses.run_analysis``, the CLI), so they
measure whatever the product does today.

    python bench/step.py register --entities 10000 --dir D [--shape deep]
    python bench/step.py import --store URL --dir D
    python bench/step.py analyze --store URL --findings FILE
    python bench/step.py command -- python -m api.cli.main --help
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import peak_mb  # noqa: E402


def register(args: argparse.Namespace) -> dict[str, Any]:
    """Generate the enterprise and write its CSV register into ``--dir``."""
    from bench.common import write_register
    from graph.synthetic import generate_enterprise, shape_profile

    start = time.perf_counter()
    enterprise = generate_enterprise(args.entities, args.seed, shape=args.shape)
    generated = time.perf_counter() - start
    args.dir.mkdir(parents=True, exist_ok=True)
    write_register(args.dir, enterprise.nodes, enterprise.relationships)
    return {"seconds": time.perf_counter() - start, "generate_seconds": generated,
            "nodes": len(enterprise.nodes), "relationships": len(enterprise.relationships),
            "as_of": enterprise.as_of.isoformat(), "shape": args.shape, **shape_profile(enterprise.relationships)}


def import_register(args: argparse.Namespace) -> dict[str, Any]:
    """``import_paths`` of the register into the store, as ``aimap import`` does."""
    from graph.store import open_store
    from importers.loader import ImportOptions, import_paths

    files = sorted(args.dir.glob("*.csv"))
    with open_store(args.store) as store:
        start = time.perf_counter()
        report = import_paths(files, store, ImportOptions(commit_every=args.commit_every))
        seconds = time.perf_counter() - start
    counts = [*report.nodes.values(), *report.relationships.values()]
    return {"seconds": seconds, "created": sum(c.created for c in counts), "updated": sum(c.updated for c in counts),
            "unchanged": sum(c.unchanged for c in counts)}


def analyze(args: argparse.Namespace) -> dict[str, Any]:
    """The read straight into the analysis index (``AnalysisContext.from_store``,
    as the read side does), then each rule alone
    (``run_analysis`` with ``rules=[id]``); the finding ids go to ``--findings``."""
    import datetime as dt

    from graph.analyses import AnalysisConfig, rule_ids, run_analysis
    from graph.analyses.context import AnalysisContext
    from graph.store import open_store

    config = AnalysisConfig(as_of=dt.date.fromisoformat(args.as_of))
    with open_store(args.store) as store:
        start = time.perf_counter()
        ctx = AnalysisContext.from_store(store)
        read = time.perf_counter() - start
    rules: dict[str, float] = {}
    findings: list[str] = []
    for rule in rule_ids():
        start = time.perf_counter()
        findings += [f.id for f in run_analysis(ctx, config, rules=[rule]).findings]
        rules[rule] = time.perf_counter() - start
    args.findings.write_text("\n".join(sorted(findings)) + "\n", encoding="utf-8")
    slowest = max(rules, key=rules.__getitem__)
    return {"seconds": read + sum(rules.values()), "read_seconds": read,
            "rules_seconds": sum(rules.values()), "rule_seconds": rules, "slowest_rule": slowest,
            "findings": len(findings)}


def clear(args: argparse.Namespace) -> dict[str, Any]:
    """Empty the store (not measured as a figure)."""
    from graph.store import open_store

    with open_store(args.store) as store:
        start = time.perf_counter()
        store.clear()
        return {"seconds": time.perf_counter() - start}


def command(args: argparse.Namespace) -> dict[str, Any]:
    """Run a command; its wall time and its peak memory (the child's)."""
    start = time.perf_counter()
    result = subprocess.run(args.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):  # analyze --fail-on and friends exit 1 by design
        raise SystemExit(f"{' '.join(args.argv)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "returncode": result.returncode}


def anchor(args: argparse.Namespace) -> dict[str, Any]:
    """One of the hand-written Neo4j loaders of bench/anchors.py."""
    from bench import anchors

    return anchors.run(args.name, args.dir, args.import_dir, args.sample)


def admin_files(args: argparse.Namespace) -> dict[str, Any]:
    """neo4j-admin import files of the store's graph, for the offline anchor."""
    from graph.store import open_store
    from graph.store.neo4j_bulk import write_admin_files

    args.out.mkdir(parents=True, exist_ok=True)
    with open_store(args.store) as store:
        start = time.perf_counter()
        files = write_admin_files(store, args.out)
    return {"seconds": time.perf_counter() - start, "nodes": [str(p) for p in files.nodes],
            "relationships": [str(p) for p in files.relationships], "options": files.options}


def bulk(args: argparse.Namespace) -> dict[str, Any]:
    """aimap's bulk path into the empty database of a scripts/neo4j server."""
    from graph.store.neo4j_bulk import bulk_load

    start = time.perf_counter()
    steps = bulk_load(sorted(args.dir.glob("*.csv")), args.state)
    return {"seconds": time.perf_counter() - start, "steps": steps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("register")
    step.add_argument("--entities", type=int, required=True)
    step.add_argument("--seed", type=int, default=42)
    step.add_argument("--shape", default="enterprise")
    step.add_argument("--dir", type=Path, required=True)
    step.set_defaults(work=register)
    for name, work in (("import", import_register), ("analyze", analyze), ("clear", clear)):
        step = steps.add_parser(name)
        step.add_argument("--store", required=True)
        step.add_argument("--dir", type=Path)
        step.add_argument("--findings", type=Path)
        step.add_argument("--as-of", default="2026-06-30")
        step.add_argument("--commit-every", type=int, default=None)
        step.set_defaults(work=work)
    step = steps.add_parser("command")
    step.add_argument("argv", nargs="+")
    step.set_defaults(work=command)
    step = steps.add_parser("anchor")
    step.add_argument("name")
    step.add_argument("--dir", type=Path, required=True)
    step.add_argument("--import-dir", type=Path)
    step.add_argument("--sample", type=int, default=2_000)
    step.set_defaults(work=anchor)
    step = steps.add_parser("admin-files")
    step.add_argument("--store", required=True)
    step.add_argument("--out", type=Path, required=True)
    step.set_defaults(work=admin_files)
    step = steps.add_parser("bulk")
    step.add_argument("--state", type=Path, required=True)
    step.add_argument("--dir", type=Path, required=True)
    step.set_defaults(work=bulk)
    args = parser.parse_args(argv)
    figures = args.work(args)
    figures.setdefault("peak_mb", peak_mb())
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
