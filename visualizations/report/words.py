"""The words and number formats both renderers use, so Markdown and HTML say
the same thing the same way."""

from __future__ import annotations

from collections.abc import Mapping

from graph.reports.model import Change
from graph.schema import Stage
from graph.service.disagreements import Disagreement

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
    "disagreements": "disagreements between sources",
}
SHARES = {"scale_ready_share", "conversion", "pilots_over_threshold_share"}
BETTER_DOWN = {"findings", "critical", "high", "medium", "low", "in_pilot", "pilots_over_threshold",
               "pilots_over_threshold_share", "disagreements"}
STAGES = tuple(Stage)
"""Every stage in pipeline order, ``unknown`` last (a stage no source gave)."""
LIVE_PATH = (Stage.IDEA, Stage.PILOT, Stage.PRODUCTION, Stage.SCALED)
"""The stages of the way to production, always shown."""


def shown_stages(counts: Mapping[Stage, int], with_retired: bool = False) -> list[Stage]:
    """The stages worth a word: the way to production always, retired if asked
    or any, unknown only when some initiative has no stage."""
    return [s for s in STAGES if s in LIVE_PATH or (s is Stage.RETIRED and with_retired) or counts.get(s, 0)]
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


DISPUTED_WORDS = {"owner": "accountable owner", "lifecycle": "lifecycle", "stage": "stage"}
NO_DISAGREEMENTS = "None: every source that speaks about an entity says the same."
DISAGREEMENTS_INTRO = ("Where catalogues say different things about one entity: what is disputed, each source's "
                       "claim, its importer and when it last said it, newest first. Not findings: questions for "
                       "the people who keep the catalogues.")


def disputed(item: Disagreement) -> str:
    """What the sources disagree about, in words: "accountable owner",
    "lifecycle", "stage", or the relationship one source dropped
    ("DEPENDS_ON a → b", with the owner's role if any)."""
    rel = item.relationship
    if rel is None:
        return DISPUTED_WORDS.get(item.about, item.about)
    role = f" ({rel.role})" if rel.role else ""
    return f"relationship {rel.type.value}{role} {rel.from_id} → {rel.to_id}"


def claimed(value: str | list[str] | None) -> str:
    """A claim's or the graph's value as text: owners joined by commas, "—" for nothing."""
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return value or "—"


def said_on(timestamp: str) -> str:
    """The day of a claim's timestamp (``2026-11-20T07:30:00+00:00`` → ``2026-11-20``)."""
    return timestamp[:10]


def disagreement_counts(counts: dict[str, int]) -> str:
    """"1 lifecycle, 1 owner": the disagreements per kind, for the summary line."""
    return ", ".join(f"{n} {about}" for about, n in counts.items() if n)


def by_entity(items: list[Disagreement]) -> list[list[Disagreement]]:
    """The disagreements grouped per entity, entities in the order of their
    newest disagreement (the read side's order), each group in that order too."""
    groups: dict[str, list[Disagreement]] = {}
    for item in items:
        groups.setdefault(item.entity, []).append(item)
    return list(groups.values())
