"""pilot-metrics-only: an initiative past idea without an outcome metric."""

from graph.analyses import Severity
from graph.schema import MetricType, Stage

RULE = "pilot-metrics-only"


def _org(g):
    g.unit("bu-cs", "Customer Service")
    g.team("team-cs", part_of="bu-cs")
    g.metric("m-acc", MetricType.ACCURACY)
    g.metric("m-use", MetricType.USAGE)
    g.metric("m-aht", MetricType.CYCLE_TIME, "Average handling time")


def test_pilot_metrics_only_is_found(g, analyze):
    _org(g)
    g.initiative("ini-bot", "Support Bot", stage=Stage.PRODUCTION, owner="team-cs", measured_by=["m-acc", "m-use"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-bot"
    assert finding.severity is Severity.MEDIUM
    assert finding.business_unit == "bu-cs"
    assert finding.related == ["m-acc", "m-use"]
    assert "accuracy, usage" in finding.message


def test_no_metric_at_all_is_found(g, analyze):
    _org(g)
    g.initiative("ini-bot", stage=Stage.PILOT, owner="team-cs")
    [finding] = analyze(g.graph(), RULE)
    assert "no metric at all" in finding.message


def test_an_outcome_metric_is_enough(g, analyze):
    _org(g)
    g.initiative("ini-bot", stage=Stage.SCALED, owner="team-cs", measured_by=["m-acc", "m-aht"])
    assert analyze(g.graph(), RULE) == []


def test_ideas_and_retired_are_not_judged(g, analyze):
    _org(g)
    g.initiative("ini-idea", stage=Stage.IDEA, owner="team-cs", measured_by=["m-acc"])
    g.initiative("ini-old", stage=Stage.RETIRED, owner="team-cs", measured_by=["m-acc"])
    assert analyze(g.graph(), RULE) == []
