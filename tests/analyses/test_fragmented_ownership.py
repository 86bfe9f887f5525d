"""fragmented-ownership: several accountable owners, or roles spread with none."""

from graph.analyses import Severity
from graph.schema import OwnerRole, Stage

RULE = "fragmented-ownership"


def _two_units(g):
    g.unit("bu-a", "Retail")
    g.unit("bu-b", "Wholesale")
    g.team("team-a1", "Retail Data", part_of="bu-a")
    g.team("team-a2", "Retail Apps", part_of="bu-a")
    g.team("team-a3", "Retail Risk", part_of="bu-a")
    g.team("team-b1", "Wholesale Data", part_of="bu-b")


def test_owners_in_two_units_name_each_source(g, analyze):
    _two_units(g)
    g.system("sys-dw", "Data Warehouse")
    g.owns("team-a1", "sys-dw", via="backstage")
    g.owns("team-b1", "sys-dw", via="cmdb")
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-dw"
    assert finding.severity is Severity.MEDIUM
    assert finding.related == ["team-a1", "team-b1"]
    assert "2 business units" in finding.message
    assert "Retail Data (Retail)" in finding.message and "Wholesale Data (Wholesale)" in finding.message
    assert {(s.from_id, s.source) for s in finding.evidence} == {("team-a1", "backstage"), ("team-b1", "cmdb")}
    # tie between units: the smallest id
    assert finding.business_unit == "bu-a"


def test_two_owners_in_one_unit(g, analyze):
    _two_units(g)
    g.initiative("ini-x", "Pricing AI", owner="team-a1")
    g.owns("team-a2", "ini-x")
    [finding] = analyze(g.graph(), RULE)
    assert "2 accountable owners: Retail Data and Retail Apps" in finding.message
    assert "business units" not in finding.message


def test_an_owner_who_left_does_not_split_ownership(g, analyze):
    _two_units(g)
    g.person("p-gone", member_of=["team-b1"], active=False)
    g.initiative("ini-x", owner="team-a1")
    g.owns("p-gone", "ini-x")
    assert analyze(g.graph(), RULE) == []


def test_operating_roles_over_three_teams_without_accountable_owner(g, analyze):
    _two_units(g)
    g.person("p-eve", member_of=["team-a3"])
    g.initiative("ini-x", "Pricing AI", stage=Stage.PRODUCTION)
    g.owns("team-a1", "ini-x", OwnerRole.DEPLOYMENT)
    g.owns("team-a2", "ini-x", OwnerRole.OUTCOMES)
    g.owns("p-eve", "ini-x", OwnerRole.RISK)  # a person counts as their team
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-x"
    assert "split over 3 teams" in finding.message
    assert finding.related == ["p-eve", "team-a1", "team-a2", "team-a3"]
    assert finding.business_unit == "bu-a"


def test_roles_over_two_teams_are_not_fragmented(g, analyze):
    _two_units(g)
    g.initiative("ini-x")
    g.owns("team-a1", "ini-x", OwnerRole.DEPLOYMENT)
    g.owns("team-a1", "ini-x", OwnerRole.STANDARDS)
    g.owns("team-a2", "ini-x", OwnerRole.OUTCOMES)
    g.owns("team-b1", "ini-x", OwnerRole.SPONSOR)  # not an operating role
    assert analyze(g.graph(), RULE) == []


def test_roles_spread_with_an_accountable_owner_are_fine(g, analyze):
    _two_units(g)
    g.initiative("ini-x", owner="team-a1")
    g.owns("team-a1", "ini-x", OwnerRole.DEPLOYMENT)
    g.owns("team-a2", "ini-x", OwnerRole.OUTCOMES)
    g.owns("team-a3", "ini-x", OwnerRole.RISK)
    assert analyze(g.graph(), RULE) == []


def test_one_owner_is_fine(g, analyze):
    _two_units(g)
    g.system("sys-dw", owner="team-b1")
    assert analyze(g.graph(), RULE) == []
