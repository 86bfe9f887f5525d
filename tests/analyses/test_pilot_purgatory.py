"""pilot-purgatory: a pilot older than the threshold, or integrated with no system."""

from graph.analyses import Severity
from graph.schema import Stage

RULE = "pilot-purgatory"


def _org(g):
    g.unit("bu-ops", "Operations")
    g.team("team-ops", part_of="bu-ops")
    g.system("sys-mes", "MES", owner="team-ops")


def test_an_old_pilot_is_found(g, analyze):
    _org(g)
    g.initiative("ini-old", "Yield AI", owner="team-ops", since=g.days_before(181), integrates_with=["sys-mes"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-old"
    assert finding.severity is Severity.MEDIUM
    assert finding.business_unit == "bu-ops"
    assert "181 days" in finding.message


def test_the_threshold_is_exclusive_and_configurable(g, analyze):
    _org(g)
    g.initiative("ini-edge", owner="team-ops", since=g.days_before(180), integrates_with=["sys-mes"])
    g.initiative("ini-young", owner="team-ops", since=g.days_before(30), integrates_with=["sys-mes"])
    graph = g.graph()
    assert analyze(graph, RULE) == []
    assert [f.subject for f in analyze(graph, RULE, pilot_age_days=29)] == ["ini-edge", "ini-young"]


def test_a_pilot_without_integration_has_no_path(g, analyze):
    _org(g)
    g.initiative("ini-nowhere", "Demo Bot", owner="team-ops", since=g.days_before(10))
    [finding] = analyze(g.graph(), RULE)
    assert "no path to production" in finding.message


def test_both_reasons_give_one_finding(g, analyze):
    _org(g)
    g.initiative("ini-both", owner="team-ops", since=g.days_before(400))
    [finding] = analyze(g.graph(), RULE)
    assert "400 days" in finding.message and "no path to production" in finding.message
    assert len(finding.evidence) == 2


def test_only_pilots_are_judged(g, analyze):
    _org(g)
    for stage in (Stage.IDEA, Stage.PRODUCTION, Stage.SCALED, Stage.RETIRED):
        g.initiative(f"ini-{stage.value}", stage=stage, owner="team-ops", since=g.days_before(500))
    assert analyze(g.graph(), RULE) == []


def test_a_pilot_without_a_date_is_not_judged_by_age(g, analyze):
    _org(g)
    g.initiative("ini-undated", owner="team-ops", integrates_with=["sys-mes"])
    assert analyze(g.graph(), RULE) == []


def test_a_pilot_without_a_source_date_is_dated_by_its_stage_history(g, analyze):
    """Issue 15: a 2024 pilot still a pilot in 2025 has been a pilot since its
    first observation as one, not since the latest."""
    _org(g)
    g.initiative("ini-stuck", owner="team-ops", integrates_with=["sys-mes"],
                 history=["2024-12-31 pilot", "2025-12-31 pilot"])
    g.initiative("ini-new", owner="team-ops", integrates_with=["sys-mes"],
                 history=["2025-06-30 idea", "2026-06-01 pilot"])  # a pilot for 29 days
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-stuck"
    assert "since 2024-12-31" in finding.message
    assert "from its stage history" in finding.evidence[0].note


def test_the_source_date_wins_over_the_stage_history(g, analyze):
    _org(g)
    g.initiative("ini-dated", owner="team-ops", integrates_with=["sys-mes"], since=g.days_before(30),
                 history=["2024-12-31 pilot"])
    assert analyze(g.graph(), RULE) == []


def test_a_pilot_that_came_back_counts_from_its_return(g, analyze):
    _org(g)
    g.initiative("ini-back", owner="team-ops", integrates_with=["sys-mes"],
                 history=["2024-01-01 pilot", "2025-01-01 production", "2026-06-01 pilot"])
    assert analyze(g.graph(), RULE) == []
