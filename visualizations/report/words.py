"""The words and number formats both renderers use, so Markdown and HTML say
the same thing the same way."""

from __future__ import annotations

from graph.reports.model import Change
from graph.schema import Stage

HEADLINE_LABELS = {
    "findings": "open findings",
    "critical": "critical",
    "high": "high",
    "medium": "medium",
    "low": "low",
    "suppressed": "accepted (suppressed)",
    "initiatives": "initiatives",
    "scale_ready": "scale-ready initiatives",
    "scale_ready_share": "share scale-ready",
    "in_pilot": "in pilot",
    "reached_production": "in production or scaled",
    "conversion": "pilots that reached production",
    "pilots_over_threshold": "pilots over the age threshold",
    "pilots_over_threshold_share": "share of pilots over the threshold",
}
SHARES = {"scale_ready_share", "conversion", "pilots_over_threshold_share"}
BETTER_DOWN = {"findings", "critical", "high", "medium", "low", "in_pilot", "pilots_over_threshold",
               "pilots_over_threshold_share"}
STAGES = tuple(stage.value for stage in Stage)
"""Every stage in pipeline order, ``unknown`` last (a stage no source gave)."""
LIVE_PATH = ("idea", "pilot", "production", "scaled")
"""The stages of the way to production, always shown."""


def shown_stages(counts: dict, with_retired: bool = False) -> list[str]:
    """The stages worth a word: the way to production always, retired if asked
    or any, unknown only when some initiative has no stage."""
    return [s for s in STAGES if s in LIVE_PATH or (s == "retired" and with_retired) or counts.get(s, 0)]
CHECK_WORDS = {
    "active_accountable_owner": "owner",
    "supported_workflow": "workflow",
    "integrated_into_workflow_systems": "integrated",
    "outcome_metric": "outcome metric",
    "path_to_production": "path to production",
    "no_high_or_critical_finding": "no serious gap",
}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def number(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    return percent(value) if name in SHARES else f"{value:g}"


def delta(name: str, change: Change) -> str:
    """"+3", "−5 pts", "±0"; "—" when either side is unknown."""
    if change.delta is None:
        return "—"
    if change.delta == 0:
        return "±0"
    sign = "+" if change.delta > 0 else "−"
    size = abs(change.delta)
    return f"{sign}{size * 100:.0f} pts" if name in SHARES else f"{sign}{size:g}"


def direction(name: str, change: Change) -> str:
    """better, worse or same (for colouring): fewer findings is better, more readiness is better."""
    if not change.delta:
        return "same"
    if name in ("suppressed", "initiatives"):
        return "same"
    down_is_good = name in BETTER_DOWN
    return "better" if (change.delta < 0) == down_is_good else "worse"
