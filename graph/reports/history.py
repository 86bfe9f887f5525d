"""Saved reports: ``aimap report --save`` keeps each JSON report in a history
folder; the next report compares with the last one before it, and
``aimap trend`` reads their headline numbers.

A file is named by its date and scope (``aimap-report-2026-11-25-all.json``),
so saving again on the same day replaces that day's report instead of piling
up copies, and reports of one business unit never mix with the whole map's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from graph.errors import AimapError
from graph.reports.atomic import write_atomic
from graph.reports.model import Headline, Report

PREFIX = "aimap-report-"


def scope_tag(business_unit: str | None) -> str:
    """``all``, or the unit's id made safe for a file name (ids are user input)."""
    if business_unit is None:
        return "all"
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", business_unit)[:40]
    return f"bu-{slug}-{hashlib.sha256(business_unit.encode()).hexdigest()[:8]}"


def report_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def save_report(report: Report, directory: Path) -> Path:
    path = directory / f"{PREFIX}{report.as_of.isoformat()}-{scope_tag(report.scope.business_unit)}.json"
    return write_atomic(path, report_json(report))


def read_report(path: str | Path) -> Report:
    """A report saved as JSON; anything else is an ``AimapError`` naming the file."""
    path = Path(path)
    try:
        return Report.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise AimapError(f"no report at {path}") from None
    except OSError as exc:
        raise AimapError(f"cannot read the report {path}: {exc.strerror or exc}") from None
    except ValidationError as exc:
        raise AimapError(f"{path} is not an aimap JSON report: {exc.errors()[0]['msg']}") from None


@dataclass(frozen=True)
class Saved:
    path: Path
    as_of: dt.date
    headline: Headline


def saved_reports(directory: Path, business_unit: str | None = None) -> tuple[list[Saved], list[str]]:
    """The saved reports of one scope, oldest first, read for their headline
    only (a large map's report is big); and a warning per unreadable file."""
    if not directory.is_dir():
        return [], []
    tag = scope_tag(business_unit)
    found, warnings = [], []
    for path in sorted(directory.glob(f"{PREFIX}*-{tag}.json")):
        try:
            data = json.loads(path.read_bytes())
            headline = Headline.model_validate(data["summary"]["headline"])
        except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
            warnings.append(f"{path}: skipped, not a readable aimap report ({type(exc).__name__})")
            continue
        found.append(Saved(path, headline.as_of, headline))
    found.sort(key=lambda saved: (saved.as_of, saved.path.name))
    return found, warnings


def before(saved: list[Saved], as_of: dt.date) -> list[Saved]:
    """The saved reports strictly older than ``as_of``: a report is never compared with itself."""
    return [s for s in saved if s.as_of < as_of]
