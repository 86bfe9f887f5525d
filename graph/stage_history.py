"""An initiative's stage history: dated observations of its stage.

Each import that states an initiative's stage records one observation on the
import's date (``--seen-at``, else today); the history is the sorted list of
them, stored as the ``stage_history`` property (``"2025-12-31 pilot"``), so
both stores keep it the same way. One observation per day: a second import on
the same day replaces that day's observation, so re-importing the same export
changes nothing. The loader merges (``record``); the analyses read (``since``,
``stage_at``), and never need to know how an observation was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from graph.schema import Stage, parse_stage_observation, stage_observation

Observation = tuple[dt.date, Stage]


def observations(value: Any) -> list[Observation]:
    """The readable observations of a stored history, oldest first; anything
    unreadable (a hand-edited store) is passed over rather than crashing."""
    if not isinstance(value, (list, tuple)):
        return []
    parsed = (parse_stage_observation(item) for item in value if isinstance(item, str))
    return sorted({item for item in parsed if item is not None})


def record(history: Iterable[str] | None, day: dt.date, stage: Stage | str) -> list[str]:
    """``history`` with the stage observed on ``day`` (replacing that day's)."""
    kept = {when: seen for when, seen in observations(list(history or ()))}
    kept[day] = Stage(stage)
    return [stage_observation(when, seen) for when, seen in sorted(kept.items())]


def since(history: Any, current: Stage | str | None) -> dt.date | None:
    """When the initiative entered its current stage, by the history: the
    earliest observation of ``current`` after the last observation of any
    other stage. None when the history never saw the current stage."""
    found: dt.date | None = None
    for when, seen in observations(history):
        if seen == current:
            found = found or when
        else:
            found = None
    return found


def stage_at(history: Any, year: int) -> Stage | None:
    """The last stage observed in ``year`` (None when nothing was observed then)."""
    found = None
    for when, seen in observations(history):
        if when.year == year:
            found = seen
    return found
