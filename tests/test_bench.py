"""bench/run.py's pieces: the summaries, the verdicts on the issue's targets,
and a measured step against the product's own answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench import render, run
from bench.common import write_register
from graph.analyses import AnalysisConfig, run_analysis
from graph.store import open_store
from graph.synthetic import generate_enterprise
from importers.loader import import_paths

ROOT = Path(__file__).resolve().parents[1]


def _figure(median: float, peak: float = 100.0) -> dict[str, Any]:
    return {"median": median, "min": median, "max": median, "runs": 3, "peak_mb": peak}


def _store(import_s: float, reimport_s: float, analyze_s: float, peak: float = 300.0) -> dict[str, Any]:
    return {"import": _figure(import_s, peak), "reimport": _figure(reimport_s, peak), "read": _figure(1),
            "rules": _figure(analyze_s - 1.5), "analyze": _figure(analyze_s, peak),
            "analyze_cli": _figure(analyze_s + 1), "rule_seconds": {"dependency-cycle": 1.0},
            "slowest_rule": "dependency-cycle", "findings": 10, "reimport_changed": 0}


def _results(**l_stores: Any) -> dict[str, Any]:
    size = {"entities": 100_000, "relationships": 500_000, "stores": l_stores, "same_findings": True,
            "anchors": {"unwind": _figure(40), "load-csv": _figure(30), "neo4j-admin": _figure(20),
                        "aimap-bulk": _figure(50), "naive": {**_figure(9000), "extrapolated": True}}}
    return {"command": "python bench/run.py --sizes L", "started": "now", "runs": 3, "wall_seconds": 1.0,
            "machine": render.machine(), "help": _figure(0.25), "sizes": {"L": size}}


def _verdicts(results: dict[str, Any]) -> dict[str, str]:
    rows = [line.split(" | ") for line in render.targets(results)[2:]]
    return {row[0].lstrip("| "): row[2].rstrip(" |") for row in rows}


def test_summary_is_median_min_max_and_peak():
    figure = run.summary([{"seconds": 3, "peak_mb": 10}, {"seconds": 1, "peak_mb": 30}, {"seconds": 2, "peak_mb": 20}])
    assert figure == {"median": 2, "min": 1, "max": 3, "runs": 3, "peak_mb": 20}


def test_targets_are_judged_on_the_l_figures():
    neo4j = {**_store(35, 50, 12), "server": {"heap": "2g", "vmhwm_mb": 2500, "gc_pauses": 3,
                                             "gc_pause_total_ms": 30.0, "gc_pause_max_ms": 12.0}}
    verdicts = _verdicts(_results(sqlite=_store(12, 9, 4.5, peak=1500), neo4j=neo4j))
    assert verdicts["import L embedded ≤ 10 s"] == "**missed**"
    assert verdicts["import L embedded peak ≤ 1 GiB"] == "**missed**"
    assert verdicts["re-import (unchanged) ≤ first import, embedded"] == "met"
    assert verdicts["analyse L embedded ≤ 5 s"] == "met"
    assert verdicts["import L Neo4j faster than UNWIND … MERGE"] == "met"
    assert verdicts["import L Neo4j faster than LOAD CSV"] == "**missed**"
    assert verdicts["Neo4j server heap ≤ 2 GB"] == "met"
    assert verdicts["analyse L Neo4j ≤ 15 s"] == "met"
    assert verdicts["first load of an empty Neo4j within 2× of neo4j-admin import"] == "**missed**"
    assert verdicts["`aimap --help` ≤ 0.3 s"] == "met"
    assert verdicts["analyse grows no worse than linearly, 10k → 1M"] == "not run"


def test_without_l_every_l_target_says_not_run():
    results = _results(sqlite=_store(1, 1, 1))
    results["sizes"] = {"M": {**results["sizes"]["L"], "anchors": None}}
    verdicts = _verdicts(results)
    assert verdicts["import L embedded ≤ 10 s"] == "not run"
    assert verdicts["same findings on every store at every size"] == "met"
    page = render.markdown(results)
    assert "python bench/run.py --sizes L --runs 3" in page and "| slowest rule | dependency-cycle (1.00 s) |" in page


def test_unknown_sizes_are_refused():
    with pytest.raises(SystemExit):
        run.parse_args(["--sizes", "S,XXL"])
    assert run.parse_args(["--sizes", "s,m", "--stores", "sqlite"]).sizes == ["S", "M"]


def test_the_analyze_step_times_each_rule_and_finds_what_run_analysis_finds(tmp_path: Path):
    enterprise = generate_enterprise(400, seed=5)
    write_register(tmp_path, enterprise.nodes, enterprise.relationships)
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    with open_store(url) as store:
        import_paths(sorted(tmp_path.glob("*.csv")), store)
        expected = run_analysis(store.to_networkx(), AnalysisConfig(as_of=enterprise.as_of))
    findings = tmp_path / "ids.txt"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "step.py"), "analyze", "--store", url,
                             "--findings", str(findings), "--as-of", enterprise.as_of.isoformat()],
                            capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    figures = json.loads(result.stdout)
    assert findings.read_text().split() == sorted(f.id for f in expected.findings)
    assert figures["findings"] == len(expected.findings) > 0
    assert figures["slowest_rule"] in figures["rule_seconds"] and len(figures["rule_seconds"]) >= 11
    assert figures["seconds"] == pytest.approx(figures["read_seconds"] + figures["rules_seconds"])
    assert figures["peak_mb"] > 0
