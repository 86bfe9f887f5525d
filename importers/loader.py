"""Importing files into a store: read → validate → write in one transaction.

Nothing is written unless every file parses and every record validates;
``partial`` keeps the valid records instead, ``strict`` makes warnings fatal
(pending references included), ``dry_run`` validates only. The report says
what was (or would be) created, updated and left unchanged, lists the pending
references kept and resolved, and groups the problems.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from graph import stage_history
from graph.gc_pause import collector_paused
from graph.records import NodeRecord, PendingRecord, RelRecord
from graph.schema import Kind
from graph.store.base import Store
from importers.base import Extract, ImportFailed, Location, ProblemGroup, group_problems
from importers.formats import FOLDER_SUFFIXES, transform
from importers.reading import UnreadableFile, regular_file
from importers.validate import validate

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]
"""Called as (phase, done, total) while reading files and writing records."""


@dataclass
class ImportOptions:
    dry_run: bool = False
    partial: bool = False
    strict: bool = False
    format: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    reader_settings: dict[str, dict] = field(default_factory=dict)
    """Settings per format name (``[import.archimate]``…), see ``importers.settings``."""
    now: dt.datetime | None = None
    progress: ProgressCallback | None = None
    source_names: dict[str, str] = field(default_factory=dict)
    """The name to report and record as provenance for a file path (an upload
    saved to a temporary file is known by the name the client gave it)."""
    encoding: str | None = None
    """Read text files in this encoding instead of UTF-8 (or, for the AI
    inventory, instead of detecting UTF-8 or Windows-1252)."""
    commit_every: int | None = None
    """Write in transactions of this many records instead of one (imports larger
    than a Neo4j heap holds); an interrupted import keeps what was committed and
    finishes when run again, since re-importing changes nothing."""


class KindCounts(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class PendingReference(BaseModel):
    """A relationship kept until an import brings its other end, and where it was written."""

    type: str
    from_id: str
    to_id: str
    role: str | None = None
    missing: list[str]
    """The ends no import has brought (empty once resolved)."""
    location: str
    """file:line of the relationship."""

    @classmethod
    def of(cls, record: PendingRecord, present: set[str] | dict) -> "PendingReference":
        return cls(type=record.type.value, from_id=record.from_id, to_id=record.to_id,
                   role=record.properties.get("role"), location=record.location,
                   missing=[end for end in (record.from_id, record.to_id) if end not in present])

    def __str__(self) -> str:
        role = f" ({self.role})" if self.role else ""
        waiting = f"; waits for {', '.join(self.missing)}" if self.missing else ""
        return f"{self.location}: {self.type}{role} {self.from_id} → {self.to_id}{waiting}"


class ImportReport(BaseModel):
    """What an import did (or, on a dry run, would do)."""

    files: dict[str, str]
    """Each file read, with the format it was read as."""
    details: dict[str, str] = {}
    """What a reader found beyond the format: the shape, encoding and rows of a file."""
    nodes: dict[str, KindCounts]
    relationships: dict[str, KindCounts]
    problems: list[ProblemGroup]
    dry_run: bool
    written: bool
    pending: list[PendingReference] = []
    """Relationships of this import kept as pending: their other end is in no import yet."""
    resolved: list[PendingReference] = []
    """Pending references of earlier imports that this import completed."""


def expand_paths(paths: Iterable[Path], extract: Extract) -> list[Path]:
    """Files as given; a folder stands for the files inside it with a suffix
    some format uses (recursively, sorted), so stray files are passed over.
    A folder with no such file is an error: the user meant to import something."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in FOLDER_SUFFIXES
            )
            if not found:
                extract.error(Location(str(path)), "no file to import in this folder (looked for "
                              f"{', '.join(sorted(FOLDER_SUFFIXES))})")
            files.extend(found)
        else:
            files.append(path)
    return files


def read_files(paths: Sequence[Path], options: ImportOptions) -> tuple[Extract, dict[str, str]]:
    """Every file's raw records in one extract (``importers.formats.transform``),
    and the format each file was read as (by the name the report gives it)."""
    extract = Extract(encoding=options.encoding)
    files = expand_paths(paths, extract)
    log.info("reading %d file(s)", len(files))
    for done, path in enumerate(files):
        display = options.source_names.get(str(path), str(path))
        if options.progress:
            options.progress("reading", done, len(files))
        if not path.exists():
            extract.error(Location(display), "no such file or folder")
            continue
        try:
            regular_file(path, display)
        except UnreadableFile as exc:
            extract.problems.append(exc.problem)
            continue
        before = (len(extract.entities), len(extract.relationships), len(extract.problems), len(extract.aliases))
        transform(path, options.format, options.reader_settings, display, into=extract)
        read_as = extract.formats.get(display)
        if read_as and before == (len(extract.entities), len(extract.relationships), len(extract.problems),
                                  len(extract.aliases)):
            extract.warn(Location(display), f"nothing to import in this file (read as {read_as}): "
                         "no entity, relationship or alias; is it the file you meant?",
                         group="a file with nothing to import")
    if options.progress:
        options.progress("reading", len(files), len(files))
    return extract, extract.formats


def _count_nodes(nodes: Iterable[NodeRecord], existing: dict[str, NodeRecord]) -> dict[str, KindCounts]:
    counts = {kind.value: [0, 0, 0] for kind in Kind}  # created, updated, unchanged
    for node in nodes:
        before = existing.get(node.id)
        bucket = counts[node.kind.value]
        if before is None:
            bucket[0] += 1
        elif {**before.properties, **node.properties} == before.properties:
            bucket[2] += 1
        else:
            bucket[1] += 1
    return {kind: KindCounts(created=c[0], updated=c[1], unchanged=c[2]) for kind, c in counts.items() if any(c)}


def _count_relationships(identities: Collection[tuple[str, str, str, str]], store: Store,
                         sources: set[str]) -> dict[str, KindCounts]:
    """Created and unchanged relationships per type: the stored identities
    leaving ``sources`` are streamed and looked up among this import's
    (``identities`` is the validated relationships' dict, by identity)."""
    stated = Counter(identity[0] for identity in identities)
    stored = Counter(identity[0] for identity in store.iter_relationship_identities(sources)
                     if identity in identities) if sources else Counter()
    return {rel_type: KindCounts(created=stated[rel_type] - stored[rel_type], unchanged=stored[rel_type])
            for rel_type in sorted(stated)}


def _with_progress(items: list, phase: str, progress: ProgressCallback | None, total: int, offset: int) -> Iterator:
    for index, item in enumerate(items):
        if progress and index % 1000 == 0:
            progress(phase, offset + index, total)
        yield item


def import_paths(paths: Sequence[Path], store: Store, options: ImportOptions | None = None) -> ImportReport:
    """Import files into ``store``; raises ``ImportFailed`` and writes nothing
    when a problem is fatal (unless ``partial``).

    The cyclic garbage collector is paused throughout: an import makes
    millions of records that live until it ends and almost no cycles, and
    every full collection rescanned them all (a third of the import's time)."""
    with collector_paused():
        return _import_paths(paths, store, options or ImportOptions())


def _import_paths(paths: Sequence[Path], store: Store, options: ImportOptions) -> ImportReport:
    extract, formats = read_files(paths, options)
    log.info("validating %d entities and %d relationships", len(extract.entities), len(extract.relationships))
    if options.progress:
        options.progress("checking", 0, 1)
    validated = validate(extract, store, options.aliases, options.partial)
    fatal = [p for p in validated.problems if p.fatal or options.strict]
    if fatal and not options.partial:
        raise ImportFailed(fatal)
    for problem in validated.problems:
        if options.partial and problem.fatal:
            log.info("skipped (--partial): %s", problem)
        elif not problem.fatal:
            log.info("warning: %s", problem)

    nodes = sorted(validated.nodes.values(), key=lambda n: n.id)
    today = dt.datetime.now(dt.timezone.utc).date()
    _record_stages(nodes, validated.existing, lambda node: options.now.date() if options.now
                   else extract.observed_on.get(node.source, today))
    rels = [validated.relationships[identity] for identity in sorted(validated.relationships)]
    pending = sorted(validated.pending.values(), key=lambda r: r.identity)
    resolved = sorted(validated.resolved, key=lambda r: r.identity)
    for record in [*nodes, *rels, *pending]:
        record.importer = record.importer or formats.get(record.source, "")  # type: ignore[attr-defined]
    report = ImportReport(
        files=formats,
        details=dict(sorted(extract.details.items())),
        nodes=_count_nodes(nodes, validated.existing),
        relationships=_count_relationships(validated.relationships.keys(), store,
                                          {r.from_id for r in rels if r.from_id in validated.existing}),
        problems=group_problems(validated.problems),
        dry_run=options.dry_run,
        written=False,
        pending=[PendingReference.of(ref, validated.nodes.keys() | validated.existing.keys()) for ref in pending],
        resolved=[PendingReference.of(ref, {ref.from_id, ref.to_id}) for ref in resolved],
    )
    if not options.dry_run and (nodes or rels or pending or resolved):
        _write(store, nodes, rels, options, pending, [ref.identity for ref in resolved])
        report.written = True
    return report


def _record_stages(nodes: Iterable[NodeRecord], existing: dict[str, NodeRecord],
                   day_of: Callable[[NodeRecord], dt.date]) -> None:
    """Add the stage each initiative record states, on the import's date
    (``--seen-at``, else the date its file describes, else today), to its
    history (the stored one, and any the source gives): PRODUCT.md keeps every
    observation of a stage, so a later import never erases an earlier one."""
    for node in nodes:
        stage = node.properties.get("stage")
        if node.kind is not Kind.INITIATIVE or stage is None:
            continue
        before = existing.get(node.id)
        stored = before.properties.get("stage_history") if before is not None else None
        merged = [*(stored or ()), *(node.properties.get("stage_history") or ())]
        node.properties["stage_history"] = stage_history.record(merged, day_of(node), stage)
        changed = before is not None and before.properties.get("stage") not in (None, stage)
        if changed and "stage_since" not in node.properties:
            # the stored date was the old stage's; the history knows when this one began
            since = stage_history.since(node.properties["stage_history"], stage)
            if since is not None:
                node.properties["stage_since"] = since.isoformat()


def _write(store: Store, nodes: list[NodeRecord], rels: list[RelRecord], options: ImportOptions,
           pending: Sequence[PendingRecord] = (), resolved: Sequence[tuple] = ()) -> None:
    """One transaction, or (``commit_every``) nodes then relationships in
    transactions of that many records, so every relationship finds its ends.
    Pending references are kept, and resolved ones removed, with the last
    transaction: the one that writes the relationships they become."""
    now = options.now or dt.datetime.now(dt.timezone.utc)
    total = len(nodes) + len(rels)
    size = options.commit_every or total
    done = 0
    if size >= total:
        batches: list[tuple[list, list]] = [(nodes, rels)]
    else:
        batches = [*((nodes[i:i + size], []) for i in range(0, len(nodes), size)),
                   *(([], rels[i:i + size]) for i in range(0, len(rels), size))]
    batches = list(batches) or [([], [])]
    marker = None
    if len(batches) > 1:  # an interruption would leave part of the graph: say so in the store until it is done
        files = sorted({node.source for node in nodes} | {rel.source for rel in rels})
        marker = hashlib.sha256("\n".join(files).encode()).hexdigest()[:16]
        what = f"aimap import {' '.join(files[:3])}{' …' if len(files) > 3 else ''} --commit-every {size}"
        store.begin_pending_import(marker, what, dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    for number, (batch_nodes, batch_rels) in enumerate(batches, 1):
        last = number == len(batches)
        log.info("writing batch %d of %d (%d records) to %s", number, len(batches),
                 len(batch_nodes) + len(batch_rels), store.url)
        store.upsert(
            _with_progress(batch_nodes, "writing", options.progress, total, done),
            _with_progress(batch_rels, "writing", options.progress, total, done + len(batch_nodes)),
            now,
            pending=pending if last else (),
            resolved=resolved if last else (),
        )
        done += len(batch_nodes) + len(batch_rels)
    if marker is not None:
        store.end_pending_import(marker)
    if options.progress:
        options.progress("writing", total, total)


__all__ = ["ImportFailed", "ImportOptions", "ImportReport", "import_paths"]
