"""Benchmark: the HTTP API over loopback, under load, at the brief's scale.

Generates the seeded synthetic enterprise (``graph.synthetic``, 100,000
entities and about 500,000 relationships by default) into a fresh embedded
store, starts ``aimap serve`` on a free loopback port with a read and a write
token, and measures with ``wrk`` (Debian's package ``wrk``), one endpoint at a
time:

* get-entity (one entity with its owners, unit and findings);
* neighbours to depth 2 of a workflow;
* downstream impact of the most depended-on system;
* findings filtered by one business unit;

each as requests per second with p50 and p99 latency, after one warming
request (the snapshot is built once per store revision, then reused). Then
the latency of the first request after a write: a one-entity import through
``POST /api/v1/import``, then one get-entity that has to rebuild the snapshot.
Also the time the first request takes on a cold server.

    python bench/api.py                          # 100,000 entities
    python bench/api.py --entities 10000 --duration 5

Figures go to stdout and to ``bench/results/api-<entities>.json`` (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from graph.schema import Kind, Rel
from graph.store.sqlite_store import SQLiteStore
from graph.synthetic import generate_enterprise

RESULTS = Path(__file__).parent / "results"
READ_TOKEN = "bench-read-token-0123456789"
WRITE_TOKEN = "bench-write-token-0123456789"


def build_store(path: Path, entities: int, seed: int) -> dict:
    """The synthetic enterprise in a new store; returns the ids the requests use."""
    enterprise = generate_enterprise(entities, seed)
    with SQLiteStore(path) as store:
        store.upsert(enterprise.nodes, enterprise.relationships, _now())
    dependants = Counter(r.to_id for r in enterprise.relationships if r.type is Rel.DEPENDS_ON)
    by_kind = {kind: sorted(n.id for n in enterprise.nodes if n.kind is kind) for kind in Kind}
    return {
        "nodes": len(enterprise.nodes),
        "relationships": len(enterprise.relationships),
        "system": dependants.most_common(1)[0][0],
        "initiative": by_kind[Kind.INITIATIVE][len(by_kind[Kind.INITIATIVE]) // 2],
        "workflow": by_kind[Kind.WORKFLOW][len(by_kind[Kind.WORKFLOW]) // 2],
    }


def _now():
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc)


def start_server(store: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "AIMAP_TOKENS": f"read:{READ_TOKEN},write:{WRITE_TOKEN}"}
    process = subprocess.Popen([sys.executable, "-m", "api.cli.main", "serve", "--store", f"sqlite:///{store}",
                                "--port", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               env=env)
    assert process.stderr is not None
    for line in process.stderr:
        if match := re.search(r"at (http://127\.0\.0\.1:\d+)", line):
            return process, match.group(1)
    raise RuntimeError("aimap serve did not start")


def get(url: str, token: str = READ_TOKEN) -> tuple[float, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - start, body


def post_import(base: str) -> float:
    boundary = "aimapbench"
    payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"one.yaml\"\r\n"
               "Content-Type: application/yaml\r\n\r\nsystems:\n  - id: bench-new-system\n    name: New\r\n"
               f"--{boundary}--\r\n").encode()
    request = urllib.request.Request(f"{base}/api/v1/import", data=payload, method="POST", headers={
        "Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()
    return time.perf_counter() - start


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return round(float(number) * _UNITS[unit], 2)


def load(url: str, duration: int, connections: int) -> dict:
    """``wrk`` on one URL: requests per second, p50 and p99 in milliseconds."""
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s",
                             "-H", f"Authorization: Bearer {READ_TOKEN}", url],
                            capture_output=True, text=True, check=True).stdout
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore
            "p50_ms": _ms(percentiles["50"]) if "50" in percentiles else None,
            "p99_ms": _ms(percentiles["99"]) if "99" in percentiles else None,
            "non_2xx": int(errors.group(1)) if errors else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench/api.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    figures: dict = {"entities_requested": args.entities, "python": platform.python_version(),
                     "cpus": os.cpu_count(), "load_tool": f"wrk -t2 -c{args.connections}"}
    with tempfile.TemporaryDirectory(prefix="aimap-bench-api-") as tmp:
        store = Path(tmp) / "bench.db"
        started = time.perf_counter()
        ids = build_store(store, args.entities, args.seed)
        figures.update(nodes=ids["nodes"], relationships=ids["relationships"],
                       build_store_s=round(time.perf_counter() - started, 1))
        print(f"store: {ids['nodes']:,} entities, {ids['relationships']:,} relationships", flush=True)
        process, base = start_server(store)
        try:
            api = f"{base}/api/v1"
            figures["first_request_cold_s"] = round(get(f"{api}/health")[0], 2)
            figures["first_analysed_request_cold_s"] = round(get(f"{api}/findings?severity=critical")[0], 2)
            units = json.loads(get(f"{api}/business-units")[1])
            unit = units[0]["id"]
            endpoints = {
                "get_entity": f"{api}/entities/{quote(ids['initiative'], safe='')}",
                "neighbours_depth_2": f"{api}/neighbours/{quote(ids['workflow'], safe='')}?depth=2",
                "impact_most_depended_on_system": f"{api}/impact/{quote(ids['system'], safe='')}",
                "findings_by_business_unit": f"{api}/findings?{urlencode({'business_unit': unit})}",
            }
            for name, url in endpoints.items():
                get(url)  # warm
                figures[name] = load(url, args.duration, args.connections)
                print(f"{name:>32}: {figures[name]}", flush=True)
            figures["import_one_entity_s"] = round(post_import(base), 2)
            figures["first_get_entity_after_write_s"] = round(get(endpoints["get_entity"])[0], 2)
            figures["second_get_entity_after_write_ms"] = round(get(endpoints["get_entity"])[0] * 1000, 1)
        finally:
            process.terminate()
            process.wait(timeout=30)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"api-{args.entities}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
