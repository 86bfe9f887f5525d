"""The gap report as Markdown: for mail, wikis and pull requests.

Plain string building (no template engine needed for a list of tables). Every
value from the graph goes through ``md``: names are imported from catalogues
and must not turn into links, HTML or broken tables.
"""

from __future__ import annotations

import re

from graph.analyses.model import Severity
from graph.reports.model import Report, UnitSection
from graph.schema import Stage
from visualizations.report.words import (CHECK_WORDS, DISAGREEMENTS_INTRO, HEADLINE_LABELS, NO_DISAGREEMENTS,
                                         by_entity, claimed, delta, disagreement_counts, disputed, number, percent,
                                         said_on, shown_stages)

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_AUTOLINK = re.compile(r"://|\bwww\.", re.IGNORECASE)
"""What GitHub's Markdown turns into a link without brackets."""


def md(value: object) -> str:
    """Text safe in Markdown prose and table cells: one line; ``<``, ``>`` and
    what would read as an entity HTML-escaped; the characters that make
    emphasis, code, links and table cells backslashed, and bare addresses
    broken (``https\\://``) so that no name becomes a link. Parentheses and dots
    stay readable: with brackets escaped no link or image can form."""
    text = " ".join(str(value).split())
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _AUTOLINK.sub(lambda m: m.group(0).replace(":", "\\:").replace(".", "\\."), text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def render_markdown(report: Report) -> str:
    scope = f" — {md(report.scope.business_unit_name)}" if report.scope.business_unit_name else ""
    out = [f"# {md(report.title)}{scope}", "", f"As of {report.as_of.isoformat()}.", ""]
    out += _summary(report)
    if report.comparison is not None:
        out += _comparison(report)
    if report.notices:
        out += ["## Notices", ""] + [f"- {md(n.message)}" for n in report.notices] + [""]
    for section in report.units:
        out += _unit(section)
    out += _disagreements(report)
    if report.suppressed:
        out += ["## Accepted findings (suppressed)", "",
                f"{len(report.suppressed)} finding(s) accepted until a date; they are not counted above.", ""]
        out += _table(["finding", "business unit", "accepted by", "why", "until"], [
            [f"{md(s.finding.message)} `{s.finding.id}`", md(s.finding.business_unit_name or "—"),
             md(s.suppression.accepted_by), md(s.suppression.reason), s.suppression.until.isoformat()]
            for s in report.suppressed])
    if len(report.history) > 1:
        out += ["## History", ""]
        out += _table(["as of", "open findings", "critical", "high", "scale-ready", "in pilot", "in production",
                       "disagreements"], [
            [p.as_of.isoformat(), str(p.findings), str(p.by_severity.get(Severity.CRITICAL, 0)),
             str(p.by_severity.get(Severity.HIGH, 0)), percent(p.scale_ready_share), str(p.in_pilot),
             str(p.reached_production), str(p.disagreements)] for p in report.history])
    return "\n".join(out).rstrip() + "\n"


def _summary(report: Report) -> list[str]:
    h = report.summary.headline
    p = report.summary.pipeline
    stages = p.row.stages
    severities = ", ".join(f"{count} {severity.value}" for severity, count in h.by_severity.items() if count)
    out = ["## Summary", "",
           f"- **{h.findings} open finding(s)**" + (f": {severities}" if severities else "")
           + (f"; {h.suppressed} accepted" if h.suppressed else "") + ".",
           f"- **Pipeline:** {stages.get(Stage.IDEA, 0)} idea(s), {stages.get(Stage.PILOT, 0)} pilot(s), "
           f"{stages.get(Stage.PRODUCTION, 0)} in production, {stages.get(Stage.SCALED, 0)} scaled"
           + (f", {stages[Stage.UNKNOWN]} of unknown stage" if stages.get(Stage.UNKNOWN) else "") + "; "
           f"{percent(p.row.conversion)} of pilots reached production; "
           f"{p.pilots_over_threshold} pilot(s) ({percent(p.pilots_over_threshold_share)}) older than "
           f"{p.pilot_age_days} days.",
           f"- **Scale-ready:** {h.scale_ready} of {h.initiatives} initiatives ({percent(h.scale_ready_share)}) "
           "pass every check of the operating model.",
           _disagreements_line(report), ""]
    if report.summary.top_gaps:
        out += ["### The gaps that matter most", ""]
        for index, gap in enumerate(report.summary.top_gaps, start=1):
            unit = f" ({md(gap.business_unit_name)})" if gap.business_unit_name else ""
            out.append(f"{index}. **{md(gap.message)}**{unit} Who should act: {md(gap.act.who)}. "
                       f"{md(gap.remediation)}")
        out.append("")
    out += ["### Findings by rule", ""]
    out += _table(["rule", "open findings"], [[md(rule), str(n)] for rule, n in report.summary.by_rule.items()])
    return out


def _disagreements_line(report: Report) -> str:
    d = report.disagreements
    if not d.total:
        return "- **Disagreements between sources:** none."
    return (f"- **Disagreements between sources:** {d.total} ({md(disagreement_counts(d.counts))}); "
            "see the section below.")


def _disagreements(report: Report) -> list[str]:
    """Each entity on which sources disagree, what is disputed, and every
    source's claim with its importer and when it last said it, newest first."""
    d = report.disagreements
    out = [f"## Disagreements between sources ({d.total})", ""]
    if not d.disagreements:
        return out + [NO_DISAGREEMENTS, ""]
    out += [DISAGREEMENTS_INTRO, ""]
    for group in by_entity(d.disagreements):
        first = group[0]
        out += [f"### {md(first.name)} ({md(first.entity)})", ""]
        for item in group:
            now = f" The map holds now: {md(claimed(item.graph_value))}." if item.graph_value is not None else ""
            out += [f"Disputed: **{md(disputed(item))}**.{now}", ""]
            out += _table(["source", "importer", "says", "last said"], [
                [md(c.source), md(c.importer),
                 md(claimed(c.value)) + ("" if c.current else " (not in its latest import)"),
                 md(said_on(c.last_seen))]
                for c in item.claims])
    return out


def _comparison(report: Report) -> list[str]:
    c = report.comparison
    assert c is not None
    out = [f"## Since the previous report ({c.previous_as_of.isoformat()})", "",
           f"{len(c.new)} new, {len(c.resolved)} resolved, {len(c.persisting)} persisting.", ""]
    out += _table(["", "then", "now", "change"], [
        [HEADLINE_LABELS.get(name, name), number(name, change.before), number(name, change.after),
         delta(name, change)] for name, change in c.headline.items()])
    if c.resolved:
        out += ["### Resolved", ""] + [f"- {md(r.message)} `{r.id}`" for r in c.resolved] + [""]
    return out


def _unit(section: UnitSection) -> list[str]:
    kind = " (vendor)" if section.vendor else ""
    out = [f"## {md(section.name)}{kind}", ""]
    if section.pipeline is not None:
        row = section.pipeline
        out.append("Pipeline: " + ", ".join(f"{row.stages.get(s, 0)} {s}" for s in shown_stages(row.stages, True))
                   + f"; {percent(row.conversion)} of pilots reached production.")
    if section.scorecard is not None:
        card = section.scorecard
        out.append(f"Scale-ready: {card.ready} of {card.initiatives}; average score {percent(card.average_score)}.")
    out.append("")
    if section.initiatives:
        out += ["### Initiatives", ""]
        out += _table(["initiative", "stage", "checks passed", "missing"], [
            [md(c.name), md(c.stage), f"{c.passed}/{len(c.checks)}",
             md(", ".join(CHECK_WORDS.get(k.name, k.name) for k in c.checks if not k.passed) or "—")]
            for c in section.initiatives])
    out += [f"### Findings ({len(section.findings)})", ""]
    if section.findings:
        with_status = any(i.status or i.suppression_expired for i in section.findings)
        out += _table(["severity", "finding", "who should act", "remediation"] + (["status"] if with_status else []), [
            [i.finding.severity.value, f"{md(i.finding.message)} `{i.finding.id}`", md(i.act.who),
             md(i.finding.remediation)]
            + ([" ".join(filter(None, [i.status, f"(acceptance expired {i.suppression_expired.isoformat()})"
                                               if i.suppression_expired else None]))] if with_status else [])
            for i in section.findings])
    else:
        out += ["None.", ""]
    if section.opportunities:
        out += ["### Top opportunities", ""]
        out += _table(["workflow", "score", "why"], [
            [md(o.name), f"{o.score:g}", md("; ".join(f"{f.name}: {f.value}" for f in o.factors))]
            for o in section.opportunities])
    return out
