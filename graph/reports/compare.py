"""What changed since a previous report: findings new, resolved and persisting
by their stable ids, and how each headline number moved."""

from __future__ import annotations

from graph.reports.model import Change, Comparison, Headline, Report, ResolvedFinding

NUMBERS = ("findings", "suppressed", "initiatives", "scale_ready", "scale_ready_share", "in_pilot",
           "reached_production", "conversion", "pilots_over_threshold", "pilots_over_threshold_share")


def headline_numbers(headline: Headline) -> dict[str, float | None]:
    """The headline as flat numbers: ``findings``, ``critical`` … ``low``, shares."""
    numbers: dict[str, float | None] = {name: getattr(headline, name) for name in NUMBERS}
    numbers.update({severity.value: count for severity, count in headline.by_severity.items()})
    return numbers


def _change(before: float | None, after: float | None) -> Change:
    delta = None if before is None or after is None else round(after - before, 4)
    return Change(before=before, after=after, delta=delta)


def compare(current_ids: list[str], headline: Headline, previous: Report, previous_name: str) -> Comparison:
    """``current_ids``: every finding now (open or suppressed: accepting a gap
    does not resolve it). Lists keep the current report's order; resolved
    findings keep the previous report's."""
    before = {finding.id: finding for finding in previous.all_findings()}
    now = set(current_ids)
    then_numbers = headline_numbers(previous.summary.headline)
    now_numbers = headline_numbers(headline)
    return Comparison(
        previous_as_of=previous.as_of,
        previous=previous_name,
        new=[fid for fid in current_ids if fid not in before],
        persisting=[fid for fid in current_ids if fid in before],
        resolved=[ResolvedFinding(id=f.id, rule=f.rule, severity=f.severity, subject=f.subject,
                                  subject_name=f.subject_name, business_unit_name=f.business_unit_name,
                                  message=f.message)
                  for f in before.values() if f.id not in now],
        headline={name: _change(then_numbers.get(name), now_numbers[name]) for name in now_numbers},
    )
