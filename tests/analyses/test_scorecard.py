"""The scale-readiness scorecard and its roll-up per business unit."""

from graph.analyses.config import AnalysisConfig
from graph.analyses.model import CheckName
from graph.analyses.scorecard import build_scorecards
from graph.schema import Lifecycle, MetricType, Stage


def _org(g):
    g.unit("bu-a", "Retail")
    g.team("team-a", part_of="bu-a")
    g.system("sys-crm", "CRM", owner="team-a")
    g.system("sys-old", "Old CRM", owner="team-a", lifecycle=Lifecycle.RETIRED)
    g.workflow("wf-sales", owner="team-a", uses=["sys-crm"])
    g.metric("m-cost", MetricType.COST)
    g.metric("m-acc", MetricType.ACCURACY)


def _checks(card):
    return {check.name: check.passed for check in card.checks}


def test_a_ready_initiative_passes_every_check(g):
    _org(g)
    g.initiative("ini-ok", stage=Stage.PRODUCTION, owner="team-a", supports=["wf-sales"],
                 integrates_with=["sys-crm"], measured_by=["m-cost"])
    report = build_scorecards(g.graph(), AnalysisConfig(as_of=g.as_of))
    [card] = report.initiatives
    assert card.ready and card.score == 1.0
    assert [c.name for c in card.checks] == list(CheckName)
    [unit] = report.business_units
    assert (unit.business_unit, unit.initiatives, unit.ready, unit.average_score) == ("bu-a", 1, 1, 1.0)


def test_each_check_fails_with_a_reason(g):
    _org(g)
    g.person("p-gone", member_of=["team-a"], active=False)
    g.initiative("ini-bad", stage=Stage.PILOT, owner="p-gone", integrates_with=["sys-old"], measured_by=["m-acc"])
    g.initiative("ini-mid", stage=Stage.PILOT, owner="team-a", supports=["wf-sales"],
                 integrates_with=["sys-old"], measured_by=["m-cost"], since=g.days_before(10))
    g.initiative("ini-retired", stage=Stage.RETIRED)
    report = build_scorecards(g.graph(), AnalysisConfig(as_of=g.as_of))
    cards = {card.initiative: card for card in report.initiatives}
    assert sorted(cards) == ["ini-bad", "ini-mid"]  # retired initiatives get no scorecard
    assert _checks(cards["ini-bad"]) == {name: False for name in CheckName}
    reasons = {c.name: c.reason for c in cards["ini-bad"].checks}
    assert "left or is inactive" in reasons[CheckName.OWNER]
    assert "orphaned-initiative" in reasons[CheckName.NO_SERIOUS_FINDING]
    assert _checks(cards["ini-mid"]) == {
        CheckName.OWNER: True, CheckName.WORKFLOW: True, CheckName.INTEGRATION: False,
        CheckName.OUTCOME_METRIC: True, CheckName.PATH_TO_PRODUCTION: False, CheckName.NO_SERIOUS_FINDING: False}
    [unit] = report.business_units
    assert unit.initiatives == 2 and unit.ready == 0
    assert unit.failing[CheckName.OWNER] == 1 and unit.failing[CheckName.INTEGRATION] == 2
    assert unit.average_score == round((0 + 3 / 6) / 2, 4)
