"""unowned-dependency: a live initiative depends, directly or transitively, on an unowned system."""

from graph.analyses import Severity
from graph.records import PendingRecord
from graph.schema import Rel, Stage

RULE = "unowned-dependency"


def _org(g):
    g.unit("bu-risk", "Risk")
    g.team("team-risk", part_of="bu-risk")
    g.team("team-platform", part_of="bu-risk")


def test_a_direct_dependency(g, analyze):
    _org(g)
    g.system("sys-feed", "Market Feed")
    g.initiative("ini-var", "VaR Model", stage=Stage.PRODUCTION, owner="team-risk", depends_on=["sys-feed"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-feed"
    assert finding.severity is Severity.HIGH
    assert finding.related == ["ini-var"]
    assert finding.business_unit == "bu-risk"  # the system has none: the dependent initiative's
    assert "Market Feed" in finding.message and "VaR Model" in finding.message


def test_a_dependency_three_hops_away(g, analyze):
    _org(g)
    g.system("sys-legacy", "Legacy Feed")
    g.system("sys-etl", "ETL", owner="team-platform", depends_on=["sys-legacy"])
    g.system("sys-lake", "Data Lake", owner="team-platform", depends_on=["sys-etl"])
    g.initiative("ini-var", stage=Stage.SCALED, owner="team-risk", depends_on=["sys-lake"])
    g.initiative("ini-pilot", stage=Stage.PILOT, owner="team-risk", depends_on=["sys-lake"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-legacy"
    assert finding.related == ["ini-var"]  # the pilot does not count
    assert [(s.from_, s.to) for s in finding.evidence] == [
        ("ini-var", "sys-lake"), ("sys-lake", "sys-etl"), ("sys-etl", "sys-legacy")]
    assert all(s.type is Rel.DEPENDS_ON for s in finding.evidence)


def test_an_owner_who_left_leaves_the_system_unowned(g, analyze):
    _org(g)
    g.person("p-gone", member_of=["team-platform"], active=False)
    g.system("sys-feed", owner="p-gone")
    g.initiative("ini-var", stage=Stage.PRODUCTION, owner="team-risk", depends_on=["sys-feed"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-feed"
    assert "Nobody active" in finding.message


def test_owned_systems_and_pilots_are_fine(g, analyze):
    _org(g)
    g.system("sys-owned", owner="team-platform")
    g.system("sys-orphan")
    g.initiative("ini-live", stage=Stage.PRODUCTION, owner="team-risk", depends_on=["sys-owned"])
    g.initiative("ini-pilot", stage=Stage.PILOT, owner="team-risk", depends_on=["sys-orphan"])
    assert analyze(g.graph(), RULE) == []


def test_integration_alone_is_not_a_dependency(g, analyze):
    _org(g)
    g.system("sys-orphan")
    g.initiative("ini-live", stage=Stage.PRODUCTION, owner="team-risk", integrates_with=["sys-orphan"])
    assert analyze(g.graph(), RULE) == []


def test_a_cycle_on_the_way_ends_and_is_reported_once(g, analyze):
    _org(g)
    g.system("sys-a", owner="team-platform", depends_on=["sys-b"])
    g.system("sys-b", depends_on=["sys-a"])
    g.initiative("ini-1", stage=Stage.PRODUCTION, owner="team-risk", depends_on=["sys-a"])
    g.initiative("ini-2", stage=Stage.PRODUCTION, owner="team-risk", depends_on=["sys-b"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-b"
    assert finding.related == ["ini-1", "ini-2"]


def test_a_system_whose_only_owner_is_pending_is_unowned_and_named(g, analyze):
    _org(g)
    g.system("sys-feed", "Market Feed")
    g.initiative("ini-var", "VaR Model", stage=Stage.PRODUCTION, owner="team-risk", depends_on=["sys-feed"])
    g.graph()
    g.store.upsert([], [], g.fresh, pending=[PendingRecord(Rel.OWNS, "group:default/data", "sys-feed",
                                                         {"role": "accountable"}, "feed.yaml", 4)])
    [finding] = analyze(g.store.to_networkx(), RULE)
    assert "Nobody is accountable for Market Feed (owned by group:default/data, which no import has brought)" \
        in finding.message
    assert finding.evidence[-1].note == "pending: no import has brought group:default/data (named at feed.yaml:4)"
