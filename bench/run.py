"""The benchmark of issue 12, in one command: generate, import, analyse, compare.

For each size it generates the seeded synthetic enterprise (graph.synthetic),
writes it as a CSV register, and measures on each store, every figure the
median of --runs runs with their min and max, each step in a fresh process
(bench/step.py, so peak memory is per step):

* import into an empty store and re-import of the unchanged register
  (importers.loader.import_paths, as `aimap import` does);
* analyse: the read into the analysis index (AnalysisContext.from_store) and each rule apart,
  the slowest rule named; and `aimap analyze --format json` end to end;
* on Neo4j (a scripts/neo4j server of the throughput profile, fresh per
  size): the server's peak memory (VmHWM) and GC pauses over aimap's steps,
  then the anchors on the same register (bench/anchors.py): one MERGE per
  record (a sample, extrapolated), UNWIND … MERGE in 10k-row transactions,
  LOAD CSV … IN TRANSACTIONS, neo4j-admin database import full; and aimap's
  own bulk path for a first load (graph.store.neo4j_bulk);
* `aimap --help` start-up; with --extras, bench/api.py, explorer.py, report.py;
* at L and XL (or with --shapes) the analyses on the other shapes
  (giant-cycle, heavy-tailed, deep) on the embedded store.

Check: the same finding ids on every store at every size. Results go to
bench/results/run-<time>.json (not committed), and docs/benchmarks.md is
rendered from them (bench/render.py): the machine, one table per size,
ratios against the anchors, and each target of the issue, met or missed.

Sizes: S 1,000 entities, M 10,000, L 100,000 (500,000 relationships),
XL 1,000,000. S and M take minutes; L and XL only when asked:

    python bench/run.py                          # S and M, both stores, 3 runs
    python bench/run.py --sizes L --runs 3       # on a quiet machine
    python bench/run.py --sizes XL --runs 1 --commit-every 50000
    python bench/run.py --sizes S --stores sqlite --runs 1 --no-anchors
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import render  # noqa: E402
from bench.common import RESULTS  # noqa: E402

SIZES = {"S": 1_000, "M": 10_000, "L": 100_000, "XL": 1_000_000}
OTHER_SHAPES = ("giant-cycle", "heavy-tailed", "deep")
LAUNCHER = ROOT / "scripts" / "neo4j"
PYTHON = sys.executable
GC_PAUSE = re.compile(r"Pause.* (\d+(?:\.\d+)?)ms$")


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def step(*argv: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one bench/step.py step in a fresh interpreter; its JSON figures."""
    result = subprocess.run([PYTHON, str(ROOT / "bench" / "step.py"), *argv], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SystemExit(f"step {' '.join(argv)} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def summary(runs: list[dict[str, Any]], key: str = "seconds") -> dict[str, Any]:
    """Median, min and max of one figure over the runs (and the runs' peak memory)."""
    values = [run[key] for run in runs]
    out: dict[str, Any] = {"median": statistics.median(values), "min": min(values), "max": max(values),
                           "runs": len(values)}
    if all("peak_mb" in run for run in runs):
        out["peak_mb"] = statistics.median(run["peak_mb"] for run in runs)
    return out


class Neo4jServer:
    """A scripts/neo4j server of the throughput profile, for one size."""

    def __init__(self, folder: Path):
        self.state = folder / "neo4j-state.json"
        result = subprocess.run([PYTHON, str(LAUNCHER), "start", "--profile", "throughput", "--state",
                                 str(self.state)], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise SystemExit(f"scripts/neo4j start failed:\n{result.stderr}")
        values = {k: shlex.split(v)[0] for k, v in (line.split("=", 1) for line in result.stdout.splitlines())}
        self.env = {k: values[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}
        self.home = Path(values["NEO4J_HOME"])
        self.url = values["NEO4J_URI"]
        self.facts = json.loads(self.state.read_text())

    def pid(self) -> int:
        return int(json.loads(self.state.read_text())["NEO4J_PID"])

    def memory(self) -> dict[str, Any]:
        """Peak resident memory of the server so far (VmHWM), and its GC pauses."""
        status = Path(f"/proc/{self.pid()}/status").read_text()
        hwm = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024  # type: ignore[union-attr]
        pauses = [float(m.group(1)) for line in (self.home / "gc.log").read_text().splitlines()
                  if (m := GC_PAUSE.search(line))]
        return {"vmhwm_mb": hwm, "heap": self.facts.get("heap"), "gc_pauses": len(pauses),
                "gc_pause_total_ms": round(sum(pauses), 1), "gc_pause_max_ms": max(pauses, default=0.0)}

    def admin_import(self, files: dict[str, Any]) -> dict[str, Any]:
        argv = [PYTHON, str(LAUNCHER), "admin-import", "--state", str(self.state),
                *(f"--nodes={p}" for p in files["nodes"]), *(f"--relationships={p}" for p in files["relationships"]),
                "--", *files["options"]]
        result = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise SystemExit(f"admin-import failed:\n{result.stderr[-4000:]}")
        seconds = float(re.search(r"NEO4J_IMPORT_SECONDS=([\d.]+)", result.stdout).group(1))  # type: ignore[union-attr]
        return {"seconds": seconds}

    def stop(self) -> None:
        subprocess.run([PYTHON, str(LAUNCHER), "stop", "--state", str(self.state)], capture_output=True,
                       stdin=subprocess.DEVNULL)


def measure_store(name: str, url: str, register: Path, work: Path, args: argparse.Namespace,
                  env: dict[str, str] | None, as_of: str) -> dict[str, Any]:
    """Import, re-import and analyse ``args.runs`` times on one store."""
    imports, reimports, analyses, cli = [], [], [], []
    for run in range(args.runs):
        store_url = url if name == "neo4j" else f"sqlite:///{work / f'{name}-{run}.db'}"
        if name == "neo4j":
            step("clear", "--store", store_url, env=env)
        batching = ["--commit-every", str(args.commit_every)] if args.commit_every else []
        imports.append(step("import", "--store", store_url, "--dir", str(register), *batching, env=env))
        reimports.append(step("import", "--store", store_url, "--dir", str(register), *batching, env=env))
        findings = work / f"findings-{name}.txt"
        analyses.append(step("analyze", "--store", store_url, "--findings", str(findings), "--as-of", as_of, env=env))
        cli.append(step("command", "--", PYTHON, "-m", "api.cli.main", "analyze", "--store", store_url, "--format", "json",
                        "--as-of", as_of, env=env))
        say(f"  {name} run {run + 1}: import {imports[-1]['seconds']:.2f} s, re-import {reimports[-1]['seconds']:.2f} s,"
            f" analyse {analyses[-1]['seconds']:.2f} s (read {analyses[-1]['read_seconds']:.2f} s)")
    rules = {rule: statistics.median(a["rule_seconds"][rule] for a in analyses) for rule in analyses[0]["rule_seconds"]}
    return {
        "import": summary(imports), "reimport": summary(reimports),
        "reimport_changed": reimports[-1]["created"] + reimports[-1]["updated"],
        "import_created": imports[-1]["created"],
        "analyze": summary(analyses), "read": summary(analyses, "read_seconds"),
        "rules": summary(analyses, "rules_seconds"),
        "rule_seconds": rules, "slowest_rule": max(rules, key=rules.__getitem__),
        "analyze_cli": summary(cli), "findings": analyses[-1]["findings"],
        "finding_ids": (work / f"findings-{name}.txt").read_text().split(),
        "store_url": url.split("://")[0],
    }


def measure_anchors(server: Neo4jServer, register: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The anchors on the same register and server, then aimap's bulk path."""
    anchors: dict[str, Any] = {}
    env = server.env
    naive = step("anchor", "naive", "--dir", str(register), "--sample", str(args.naive_sample), env=env)
    anchors["naive"] = {**summary([naive]), "extrapolated": True, "sample_nodes": naive["sample_nodes"],
                        "sample_relationships": naive["sample_relationships"]}
    say(f"  anchor naive: {naive['seconds']:.1f} s (extrapolated from {naive['sample_nodes']} nodes)")
    for name in ("unwind", "load-csv"):
        runs = [step("anchor", name, "--dir", str(register), "--import-dir", str(server.home / "import"), env=env)
                for _ in range(args.runs)]
        anchors[name] = summary(runs)
        say(f"  anchor {name}: {anchors[name]['median']:.2f} s")
    staging = work / "admin-staging.db"
    step("import", "--store", f"sqlite:///{staging}", "--dir", str(register))
    files = step("admin-files", "--store", f"sqlite:///{staging}", "--out", str(server.home / "import" / "admin"))
    anchors["neo4j-admin"] = summary([server.admin_import(files) for _ in range(args.offline_runs)])
    say(f"  anchor neo4j-admin import: {anchors['neo4j-admin']['median']:.2f} s")
    bulk = []
    for _ in range(args.offline_runs):
        subprocess.run([PYTHON, "-c", "from bench.anchors import driver, prepare\nwith driver() as d: prepare(d)"],
                       env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, check=True)
        bulk.append(step("bulk", "--state", str(server.state), "--dir", str(register)))
    anchors["aimap-bulk"] = summary(bulk)
    say(f"  aimap bulk-load: {anchors['aimap-bulk']['median']:.2f} s")
    return anchors


def measure_size(label: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    entities = SIZES[label]
    work = tmp / label
    register = work / "register"
    facts = step("register", "--entities", str(entities), "--seed", str(args.seed), "--dir", str(register))
    say(f"{label}: {facts['nodes']:,} entities, {facts['relationships']:,} relationships "
        f"(generated and written in {facts['seconds']:.1f} s)")
    out: dict[str, Any] = {"entities": facts["nodes"], "relationships": facts["relationships"],
                           "generate": facts, "stores": {}}
    for name in args.stores:
        if name == "sqlite":
            out["stores"]["sqlite"] = measure_store("sqlite", "sqlite://", register, work, args, None, facts["as_of"])
            continue
        server = Neo4jServer(work)
        try:
            out["neo4j_version"] = server.facts.get("NEO4J_VERSION")
            out["stores"]["neo4j"] = measure_store("neo4j", server.url, register, work, args, server.env,
                                                   facts["as_of"])
            out["stores"]["neo4j"]["server"] = server.memory()
            if args.anchors:
                out["anchors"] = measure_anchors(server, register, work, args)
        finally:
            server.stop()
    ids = {name: store.pop("finding_ids") for name, store in out["stores"].items()}
    out["same_findings"] = len({tuple(v) for v in ids.values()}) <= 1
    if args.shapes or label in ("L", "XL"):
        out["shapes"] = {}
        for shape in OTHER_SHAPES:
            folder = work / shape
            profile = step("register", "--entities", str(entities), "--seed", str(args.seed), "--shape", shape,
                           "--dir", str(folder))
            store_url = f"sqlite:///{work / f'{shape}.db'}"
            step("import", "--store", store_url, "--dir", str(folder))
            runs = [step("analyze", "--store", store_url, "--findings", str(work / f"{shape}.txt"),
                         "--as-of", facts["as_of"]) for _ in range(args.runs)]
            out["shapes"][shape] = {**{k: profile[k] for k in ("largest_dependency_scc", "max_in_degree",
                                                               "max_part_of_depth")},
                                    "analyze": summary(runs), "read": summary(runs, "read_seconds"),
                                    "rules": summary(runs, "rules_seconds"), "slowest_rule": runs[-1]["slowest_rule"],
                                    "findings": runs[-1]["findings"]}
            say(f"  shape {shape}: analyse {out['shapes'][shape]['analyze']['median']:.2f} s")
    return out


def extras(args: argparse.Namespace) -> dict[str, Any]:
    """bench/api.py, explorer.py and report.py at M, their own JSON figures."""
    found: dict[str, Any] = {}
    for name in ("api", "explorer", "report"):
        result = subprocess.run([PYTHON, str(ROOT / "bench" / f"{name}.py"), "--entities", str(args.extras_entities)],
                                capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        figures = sorted(RESULTS.glob(f"{name}-{args.extras_entities}*.json"), key=lambda p: p.stat().st_mtime)
        found[name] = (json.loads(figures[-1].read_text()) if result.returncode == 0 and figures
                       else {"error": result.stderr[-500:]})
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="S,M", help="comma-separated of S, M, L, XL (default S,M)")
    parser.add_argument("--stores", default="sqlite,neo4j", help="comma-separated of sqlite, neo4j")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure: median, min, max (default 3)")
    parser.add_argument("--anchors", action=argparse.BooleanOptionalAction, default=True,
                        help="the Neo4j anchors (default on with the neo4j store)")
    parser.add_argument("--shapes", action="store_true", help="the other shapes at every size (always at L, XL)")
    parser.add_argument("--extras", action="store_true", help="also bench/api.py, explorer.py, report.py")
    parser.add_argument("--extras-entities", type=int, default=10_000)
    parser.add_argument("--offline-runs", type=int, default=1,
                        help="runs of neo4j-admin import and of aimap's bulk path, each a server restart (default 1)")
    parser.add_argument("--naive-sample", type=int, default=500,
                        help="nodes and relationships the naive anchor writes (default 500 each)")
    parser.add_argument("--commit-every", type=int, default=None,
                        help="records per transaction of aimap's imports (as aimap import --commit-every; "
                             "default one transaction)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes (default bench/results)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md",
                        help="the page rendered from the results ('-' for none)")
    args = parser.parse_args(argv)
    args.sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    args.stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = [s for s in args.sizes if s not in SIZES] + [s for s in args.stores if s not in ("sqlite", "neo4j")]
    if unknown:
        parser.error(f"unknown size or store: {', '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    results: dict[str, Any] = {"command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
                               "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "runs": args.runs,
                               "machine": render.machine(), "sizes": {}}
    help_runs = [step("command", "--", PYTHON, "-m", "api.cli.main", "--help") for _ in range(max(args.runs, 5))]
    results["help"] = summary(help_runs)
    say(f"aimap --help: {results['help']['median']:.3f} s")
    with tempfile.TemporaryDirectory(prefix="aimap-bench-") as tmp:
        for label in args.sizes:
            results["sizes"][label] = measure_size(label, args, Path(tmp))
            results["sizes"][label]["wall_seconds"] = round(time.perf_counter() - started, 1)
    if args.extras:
        results["extras"] = extras(args)
    results["wall_seconds"] = round(time.perf_counter() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"run-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    say(f"wrote {out} after {results['wall_seconds']:.0f} s")
    if str(args.docs) != "-":
        args.docs.write_text(render.markdown(results), encoding="utf-8")
        say(f"rendered {args.docs}")
    return 0 if all(size["same_findings"] for size in results["sizes"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
