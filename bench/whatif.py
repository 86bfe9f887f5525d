"""Benchmark: a what-if on an enterprise at the brief's scale, snapshot warm.

Loads the seeded synthetic enterprise (``graph.synthetic``) into a fresh
embedded store, warms the read service (the analysed snapshot and its
scorecards, as a running server has them), then times one what-if of each
kind of change through ``ReadService.what_if``: each answer is the rules run
again on an overlay of the snapshot, the diff by finding id and scorecard,
and the impact walk. The target (issue 14) is 5 s per what-if at 100,000
entities. Figures go to stdout and ``bench/results/whatif-<entities>.json``.

    python bench/whatif.py                    # 100,000 entities
    python bench/whatif.py --entities 10000
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from graph.analyses import AnalysisConfig
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.service.whatif import request_of
from graph.store.sqlite_store import SQLiteStore
from graph.synthetic import generate_enterprise, load_into

RESULTS = Path(__file__).parent / "results"
TARGET_SECONDS = 5.0


def timed(figures: dict, name: str, action):
    start = time.perf_counter()
    value = action()
    figures[name] = round(time.perf_counter() - start, 2)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name:>34}: {figures[name]:8.2f} s   peak {peak:7.0f} MB", flush=True)
    return value


def scenarios(service: ReadService) -> dict[str, list[dict]]:
    """One change of each kind, on entities that matter: the system most
    initiatives depend on, the team that owns most, a person who owns an
    initiative, a live initiative, an edge removed and one added."""
    ctx = service.snapshot().ctx
    system = max(ctx.ids(Kind.SYSTEM), key=lambda s: (len(ctx.in_edges(s, Rel.DEPENDS_ON)), s))
    team = max(ctx.ids(Kind.TEAM), key=lambda t: (len(ctx.out_edges(t, Rel.OWNS)), t))
    person = next(p for p in ctx.ids(Kind.PERSON) if ctx.out_edges(p, Rel.OWNS))
    initiative = ctx.live_initiatives()[0]
    edge = next(iter(ctx.edges(Rel.DEPENDS_ON)))
    return {
        "retire-system": [{"change": "retire-system", "id": system}],
        "dissolve-team": [{"change": "dissolve-team", "id": team}],
        "person-leaves": [{"change": "person-leaves", "id": person}],
        "stop-initiative": [{"change": "stop-initiative", "id": initiative}],
        "remove-relationship": [{"change": "remove-relationship", "type": edge.type.value,
                                 "from_id": edge.from_id, "to_id": edge.to_id}],
        "add-relationship": [{"change": "add-relationship", "type": Rel.DEPENDS_ON.value,
                              "from_id": initiative, "to_id": system}],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    figures: dict = {"entities_requested": args.entities, "python": platform.python_version()}
    with tempfile.TemporaryDirectory(prefix="aimap-whatif-") as tmp:
        enterprise = timed(figures, "generate", lambda: generate_enterprise(args.entities, args.seed))
        figures["nodes"], figures["relationships"] = len(enterprise.nodes), len(enterprise.relationships)
        with SQLiteStore(Path(tmp) / "bench.db") as store:
            timed(figures, "load into the store", lambda: load_into(store, enterprise.nodes, enterprise.relationships))
            service = ReadService(store, AnalysisConfig(as_of=enterprise.as_of))
            enterprise = None
            timed(figures, "warm: snapshot + scorecards", lambda: service.scorecards())
            worst = 0.0
            for name, changes in scenarios(service).items():
                answer = timed(figures, f"what-if {name}", lambda changes=changes: service.what_if(request_of(changes)))
                figures[f"{name} counts"] = answer.counts
                worst = max(worst, figures[f"what-if {name}"])
            figures["worst what-if s"] = worst
            figures["rebuilds"] = service.rebuilds
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"whatif-{args.entities}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    verdict = "within" if worst <= TARGET_SECONDS else "OVER"
    print(f"worst what-if {worst:.2f} s: {verdict} the {TARGET_SECONDS:g} s target\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
