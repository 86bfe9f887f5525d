"""duplicate-initiatives: non-retired initiatives of different units on one workflow."""

from graph.analyses import Severity
from graph.schema import Stage

RULE = "duplicate-initiatives"


def _org(g):
    g.unit("bu-a", "Retail")
    g.unit("bu-b", "Wholesale")
    g.team("team-a", part_of="bu-a")
    g.team("team-b", part_of="bu-b")
    g.workflow("wf-kyc", "KYC check", owner="team-a")


def test_found_with_both_units(g, analyze):
    _org(g)
    g.initiative("ini-a", "KYC Copilot", owner="team-a", supports=["wf-kyc"])
    g.initiative("ini-b", "Doc Checker", owner="team-b", supports=["wf-kyc"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "wf-kyc"
    assert finding.severity is Severity.MEDIUM
    assert finding.related == ["ini-a", "ini-b"]
    assert finding.business_unit == "bu-a"
    assert "Retail: KYC Copilot" in finding.message and "Wholesale: Doc Checker" in finding.message


def test_same_unit_is_not_a_duplicate(g, analyze):
    _org(g)
    g.team("team-a2", part_of="bu-a")
    g.initiative("ini-a", owner="team-a", supports=["wf-kyc"])
    g.initiative("ini-a2", owner="team-a2", supports=["wf-kyc"])
    assert analyze(g.graph(), RULE) == []


def test_a_retired_initiative_is_ignored(g, analyze):
    _org(g)
    g.initiative("ini-a", owner="team-a", supports=["wf-kyc"])
    g.initiative("ini-b", owner="team-b", supports=["wf-kyc"], stage=Stage.RETIRED)
    assert analyze(g.graph(), RULE) == []


def test_an_unowned_initiative_belongs_to_no_unit_here(g, analyze):
    _org(g)
    g.initiative("ini-a", owner="team-a", supports=["wf-kyc"])
    g.initiative("ini-orphan", supports=["wf-kyc"])
    assert analyze(g.graph(), RULE) == []


def test_the_id_stays_when_a_third_unit_joins(g, analyze):
    _org(g)
    g.unit("bu-c")
    g.team("team-c", part_of="bu-c")
    g.initiative("ini-a", owner="team-a", supports=["wf-kyc"])
    g.initiative("ini-b", owner="team-b", supports=["wf-kyc"])
    [before] = analyze(g.graph(), RULE)
    g.initiative("ini-c", owner="team-c", supports=["wf-kyc"])
    [after] = analyze(g.graph(), RULE)
    assert after.id == before.id
    assert after.related == ["ini-a", "ini-b", "ini-c"]
