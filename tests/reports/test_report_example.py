"""The report against the analyses on the example enterprise: every finding
once, in its business unit; the numbers add up; the summary says what the
analyses say."""

from __future__ import annotations

from collections import Counter

import pytest

from graph.analyses.model import Severity
from graph.reports import ReportSettings, generate_report, read_report, report_json
from graph.reports.assemble import build_report
from graph.service import Filters, UnknownBusinessUnit


def test_every_finding_appears_exactly_once_in_its_business_unit(example):
    report = build_report(example)
    analysed = example.analysis().findings
    assert len(analysed) > 10
    assert Counter(report.finding_ids()) == Counter(f.id for f in analysed)
    for section in report.units:
        for item in section.findings:
            assert item.finding.business_unit == section.business_unit, item.finding.id
    assert len({section.business_unit for section in report.units}) == len(report.units)


def test_the_numbers_add_up(example):
    report = build_report(example)
    h = report.summary.headline
    analysed = example.analysis().findings
    assert h.findings == sum(len(s.findings) for s in report.units) == len(analysed)
    assert sum(h.by_severity.values()) == h.findings == sum(report.summary.by_rule.values())
    for severity in Severity:
        assert h.by_severity[severity] == sum(s.counts[severity] for s in report.units) \
            == sum(f.severity is severity for f in analysed)
    assert report.summary.by_rule == dict(Counter(f.rule for f in analysed)) | {
        r: 0 for r in report.rules if r not in {f.rule for f in analysed}}
    cards = example.scorecards().initiatives
    assert h.initiatives == len(cards) == sum(len(s.initiatives) for s in report.units)
    assert h.scale_ready == sum(c.ready for c in cards) == sum(c.ready for s in report.units for c in s.initiatives)
    assert h.scale_ready_share == pytest.approx(h.scale_ready / h.initiatives, abs=1e-4)
    row = report.summary.pipeline.row
    assert row.total == sum(row.stages.values()) == sum(s.pipeline.total for s in report.units if s.pipeline)
    assert h.in_pilot == row.stages["pilot"] and h.reached_production == row.stages["production"] + row.stages["scaled"]


def test_old_pilots_are_the_pilot_purgatory_findings_that_give_an_age(example):
    report = build_report(example)
    aged = [f for f in example.analysis(Filters(rule=("pilot-purgatory",))).findings
            if any(step.note and step.note.startswith("pilot since") for step in f.evidence)]
    assert report.summary.pipeline.pilots_over_threshold == len(aged) >= 1
    share = report.summary.headline.pilots_over_threshold_share
    assert share == pytest.approx(len(aged) / report.summary.headline.in_pilot, abs=1e-4)


def test_top_gaps_are_the_most_severe_each_with_someone_to_act(example):
    report = build_report(example)
    gaps = report.summary.top_gaps
    assert len(gaps) == 3
    worst = max(f.severity for f in example.analysis().findings)
    assert gaps[0].severity == worst
    assert [g.severity.rank for g in gaps] == sorted((g.severity.rank for g in gaps), reverse=True)
    assert all(g.act.who.strip() and g.message and g.remediation for g in gaps)
    by_id = {f.id: f for f in example.analysis().findings}
    assert all(g.finding in by_id and by_id[g.finding].rule == g.rule for g in gaps)


def test_who_should_act_is_the_accountable_owner_else_the_sponsor_else_the_unit_head(example):
    report = build_report(example)
    items = {i.finding.subject: i for s in report.units for i in s.findings if i.finding.rule == "orphaned-initiative"}
    # init-energy-optimization: its owner left, Mark Jensen sponsors it
    assert items["init-energy-optimization"].act.basis == "sponsor"
    assert items["init-energy-optimization"].act.ids == ["person-mark-jensen"]
    # init-test-bay-twin: owned only by a disbanded team, no sponsor
    twin = items["init-test-bay-twin"]
    assert twin.act.basis == "business unit" and twin.act.ids == [twin.finding.business_unit]
    owned = [i for s in report.units for i in s.findings if i.act.basis == "accountable owner"]
    assert owned and all(set(i.act.ids) <= set(example.snapshot().ctx.active_accountable_owners(i.finding.subject))
                         for i in owned)


def test_one_business_unit(example):
    everything = build_report(example)
    unit = next(s for s in everything.units if s.findings and not s.vendor)
    narrowed = build_report(example, business_unit=unit.name)
    assert [s.business_unit for s in narrowed.units] == [unit.business_unit]
    assert narrowed.scope.business_unit == unit.business_unit
    assert narrowed.finding_ids() == [i.finding.id for i in unit.findings]
    assert narrowed.summary.headline.findings == len(unit.findings)
    with pytest.raises(UnknownBusinessUnit):
        build_report(example, business_unit="no such unit")


def test_a_saved_report_reads_back_as_the_same_report(example, tmp_path):
    report = generate_report(example, ReportSettings(history_dir=tmp_path / "h")).report
    path = tmp_path / "r.json"
    path.write_text(report_json(report), encoding="utf-8")
    assert read_report(path) == report


def test_on_either_store_the_report_holds_each_finding_once(store):
    """The shared store fixture: on SQLite and on Neo4j (in CI) the same assembly
    gives every finding exactly once and the same headline."""
    from graph.analyses import AnalysisConfig
    from graph.service import ReadService
    from importers.example import AS_OF, load_example

    load_example(store)
    service = ReadService(store, AnalysisConfig(as_of=AS_OF))
    report = build_report(service)
    analysed = service.analysis().findings
    assert Counter(report.finding_ids()) == Counter(f.id for f in analysed)
    assert report.summary.headline.findings == len(analysed)
    assert report.summary.headline.by_severity == service.analysis().counts_by_severity()


def test_each_unit_shows_its_top_opportunities_as_the_prioritization_ranks_them(example):
    report = build_report(example)
    ranked = example.priorities(limit=None)
    shown = 0
    for section in report.units:
        expected = [p.workflow for p in ranked if p.business_unit == section.business_unit][:5]
        assert [p.workflow for p in section.opportunities] == expected
        assert section.opportunities == [p for p in ranked if p.workflow in expected]
        shown += len(expected)
    assert shown > len(report.units)
