"""unanchored-initiative: an initiative in production or scaled that supports no workflow."""

from graph.analyses import Severity
from graph.schema import Stage

RULE = "unanchored-initiative"


def _org(g):
    g.unit("bu-hr", "Human Resources")
    g.team("team-talent", part_of="bu-hr")
    g.workflow("wf-hiring", "Hiring", owner="team-talent")


def test_found_in_production_and_scaled(g, analyze):
    _org(g)
    g.initiative("ini-cv", "CV Screener", stage=Stage.PRODUCTION, owner="team-talent")
    g.initiative("ini-chat", stage=Stage.SCALED, owner="team-talent")
    findings = analyze(g.graph(), RULE)
    assert [f.subject for f in findings] == ["ini-chat", "ini-cv"]
    assert all(f.severity is Severity.MEDIUM and f.business_unit == "bu-hr" for f in findings)
    assert "CV Screener" in findings[1].message


def test_absent_when_it_supports_a_workflow(g, analyze):
    _org(g)
    g.initiative("ini-cv", stage=Stage.PRODUCTION, owner="team-talent", supports=["wf-hiring"])
    assert analyze(g.graph(), RULE) == []


def test_pilots_ideas_and_retired_are_not_judged(g, analyze):
    _org(g)
    for stage in (Stage.IDEA, Stage.PILOT, Stage.RETIRED):
        g.initiative(f"ini-{stage.value}", stage=stage, owner="team-talent")
    assert analyze(g.graph(), RULE) == []
