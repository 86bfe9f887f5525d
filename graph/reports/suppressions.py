"""Accepted findings: a YAML file of finding ids, who accepted each, why, and
until when.

::

    suppressions:
      - finding: orphaned-initiative:3f2a9c0d11e4b7a2
        accepted_by: Maria Lopez (COO)
        reason: Being decommissioned with the Milwaukee plant in Q1.
        until: 2027-03-31

A suppression takes its finding out of the counts and lists it apart, until the
date passes (``until`` is the last day it holds): then the finding is back and
the report says the acceptance expired. An id that matches no finding (already
resolved, or a typo) is warned about, never silently kept. Every entry needs
all four fields, so that no gap is accepted anonymously or for ever.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from graph.analyses.model import Finding
from graph.errors import AimapError
from graph.reports.model import Notice, SuppressedFinding, Suppression

MAX_FILE_BYTES = 5_000_000


def read_suppressions(path: str | Path) -> list[Suppression]:
    """The suppressions in ``path``; a missing, unreadable or malformed file is
    an ``AimapError`` naming the file and the entry."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise AimapError(f"{path}: a suppressions file over {MAX_FILE_BYTES // 1_000_000} MB is refused")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AimapError(f"no suppressions file at {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AimapError(f"cannot read the suppressions file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise AimapError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {"suppressions"} or not isinstance(data["suppressions"], list):
        raise AimapError(f"{path}: expected a mapping with one key, suppressions, holding a list")
    suppressions: list[Suppression] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["suppressions"], start=1):
        where = f"{path}: suppression {index}"
        if not isinstance(entry, dict):
            raise AimapError(f"{where}: expected finding, accepted_by, reason and until")
        unknown = sorted(set(map(str, entry)) - set(Suppression.model_fields))
        if unknown:
            raise AimapError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(Suppression.model_fields)})")
        try:
            suppression = Suppression(**entry)
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(part) for part in error["loc"])
            raise AimapError(f"{where}: {key}: {error['msg']}") from None
        for name in ("finding", "accepted_by", "reason"):
            if not getattr(suppression, name).strip():
                raise AimapError(f"{where}: {name} is empty")
        if suppression.finding in seen:
            raise AimapError(f"{where}: {suppression.finding} is already accepted by suppression "
                             f"{seen[suppression.finding]}: keep one entry per finding")
        seen[suppression.finding] = index
        suppressions.append(suppression)
    return suppressions


@dataclass
class Applied:
    """Findings split by the suppressions in force on a date."""

    open: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    expired: dict[str, dt.date] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression], as_of: dt.date,
                       known_ids: set[str] | None = None) -> Applied:
    """Split ``findings`` into open and suppressed as of ``as_of``.

    ``known_ids`` are the ids of every finding in the graph (the report may be
    narrowed to one business unit): an id outside them is unknown and warned
    about; an id inside them but outside ``findings`` is simply out of scope."""
    known = known_ids if known_ids is not None else {f.id for f in findings}
    by_id = {s.finding: s for s in suppressions}
    applied = Applied()
    in_scope = {f.id for f in findings}
    for finding in findings:
        suppression = by_id.get(finding.id)
        if suppression is not None and suppression.until >= as_of:
            applied.suppressed.append(SuppressedFinding(finding=finding, suppression=suppression))
        else:
            applied.open.append(finding)
    for suppression in suppressions:
        if suppression.finding not in known:
            applied.notices.append(Notice(
                kind="suppression-unknown", finding=suppression.finding,
                message=f"the suppression of {suppression.finding} (accepted by {suppression.accepted_by}) "
                        "matches no finding: it was resolved, or the id is mistyped; remove it"))
        elif suppression.until < as_of and suppression.finding in in_scope:
            applied.expired[suppression.finding] = suppression.until
            applied.notices.append(Notice(
                kind="suppression-expired", finding=suppression.finding,
                message=f"the acceptance of {suppression.finding} by {suppression.accepted_by} expired on "
                        f"{suppression.until.isoformat()}: the finding is back in the report"))
    return applied
