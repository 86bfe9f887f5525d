"""stale-record: an entity no import has confirmed for more than the threshold."""

from graph.analyses import Severity

RULE = "stale-record"


def test_found_past_the_threshold(g, analyze):
    g.unit("bu-a", "Retail")
    g.team("team-a", part_of="bu-a")
    g.system("sys-old", "Old Billing", owner="team-a", seen=g.ago(91))
    g.system("sys-edge", owner="team-a", seen=g.ago(90))
    g.system("sys-new", owner="team-a")
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-old"
    assert finding.severity is Severity.LOW
    assert finding.business_unit == "bu-a"
    assert "System Old Billing was last confirmed by test" in finding.message and "91 days ago" in finding.message
    assert finding.evidence[0].last_seen == "2026-03-31T12:00:00Z"
    assert finding.evidence[0].source == "test"


def test_the_threshold_is_configurable_and_as_of_is_an_input(g, analyze):
    g.person("p-a", seen=g.ago(40))
    g.person("p-b", seen=g.ago(10))
    graph = g.graph()
    assert analyze(graph, RULE) == []
    assert [f.subject for f in analyze(graph, RULE, stale_days=30)] == ["p-a"]
    later = g.as_of.replace(year=g.as_of.year + 1)
    assert [f.subject for f in analyze(graph, RULE, as_of=later)] == ["p-a", "p-b"]
