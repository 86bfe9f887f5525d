"""What the explorer tests share: the example enterprise in an embedded store,
a small graph whose names are hostile input, and one whose ids are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.analyses import AnalysisConfig, load_config
from graph.records import NodeRecord, RelRecord
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from importers.example import AS_OF, load_example

SEEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
HOSTILE_NAMES = {
    "t-script": "</script><script>window.__pwned = 1</script>",
    "s-quote": "\"'><img src=x onerror=\"window.__pwned = 2\">",
    "i-rtl": "\u202eevil\u202c & <b>bold</b>",
}
HOSTILE_ID = "</script><img src=x onerror=\"window.__pwned=3\">"


def example_service(folder: Path) -> ReadService:
    """The example enterprise in a store file (a file, so a server thread can open it too)."""
    store = SQLiteStore(str(folder / "example.db"))
    load_example(store)
    return ReadService(store, load_config(as_of=AS_OF))


def hostile_service(folder: Path) -> ReadService:
    """A team that owns an initiative (unmeasured, so it has a finding) that
    depends on a system; every name tries to break out of the page."""
    store = SQLiteStore(str(folder / "hostile.db"))

    def node(kind: Kind, node_id: str, **props) -> NodeRecord:
        return NodeRecord(kind, node_id, {"name": HOSTILE_NAMES[node_id], **props}, "</script>.yaml", "native")

    store.upsert(
        [node(Kind.TEAM, "t-script", type="business_unit"), node(Kind.SYSTEM, "s-quote"),
         node(Kind.INITIATIVE, "i-rtl", stage="pilot", objective="</script><!-- \u2028 -->")],
        [RelRecord(Rel.OWNS, "t-script", "i-rtl", {"role": "accountable"}, "x", "native"),
         RelRecord(Rel.DEPENDS_ON, "i-rtl", "s-quote", {}, "x", "native")],
        SEEN)
    return ReadService(store, AnalysisConfig(as_of=AS_OF))


def hostile_id_service(folder: Path) -> ReadService:
    """A person whose id tries to break out of the page, the only accountable
    owner of an idea: a what-if where they leave names that id everywhere."""
    store = SQLiteStore(str(folder / "hostile-id.db"))
    store.upsert(
        [NodeRecord(Kind.TEAM, "t", {"name": "Team", "type": "business_unit"}, "x.yaml", "native"),
         NodeRecord(Kind.PERSON, HOSTILE_ID, {"name": "<b>Mallory</b>"}, "x.yaml", "native"),
         NodeRecord(Kind.INITIATIVE, "i", {"name": "Initiative", "stage": "idea"}, "x.yaml", "native")],
        [RelRecord(Rel.MEMBER_OF, HOSTILE_ID, "t", {}, "x.yaml", "native"),
         RelRecord(Rel.OWNS, HOSTILE_ID, "i", {"role": "accountable"}, "x.yaml", "native")],
        SEEN)
    return ReadService(store, AnalysisConfig(as_of=AS_OF))
