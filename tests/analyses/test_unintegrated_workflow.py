"""unintegrated-workflow: AI that lands outside the systems the workflow uses."""

from graph.analyses import Severity
from graph.schema import Rel, Stage

RULE = "unintegrated-workflow"


def _org(g):
    g.unit("bu-fin", "Finance")
    g.team("team-ap", "Accounts Payable", part_of="bu-fin")
    g.system("sys-sap", "SAP", owner="team-ap")
    g.system("sys-portal", "AI Portal", owner="team-ap")
    g.workflow("wf-invoices", "Invoice approval", owner="team-ap", uses=["sys-sap"])


def test_found_when_the_initiative_lands_elsewhere(g, analyze):
    _org(g)
    g.initiative("ini-inv", "Invoice AI", owner="team-ap", supports=["wf-invoices"], integrates_with=["sys-portal"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "wf-invoices"
    assert finding.severity is Severity.HIGH
    assert finding.business_unit == "bu-fin"
    assert finding.related == ["ini-inv", "sys-sap"]
    assert "Invoice AI" in finding.message and "SAP" in finding.message and "AI Portal" in finding.message
    assert {(s.from_id, s.type, s.to_id) for s in finding.evidence} >= {
        ("ini-inv", Rel.SUPPORTS, "wf-invoices"), ("wf-invoices", Rel.USES, "sys-sap"),
        ("ini-inv", Rel.INTEGRATES_WITH, "sys-portal")}


def test_absent_when_it_integrates_with_one_used_system(g, analyze):
    _org(g)
    g.initiative("ini-inv", owner="team-ap", supports=["wf-invoices"], integrates_with=["sys-portal", "sys-sap"])
    assert analyze(g.graph(), RULE) == []


def test_a_workflow_without_systems_is_flagged(g, analyze):
    _org(g)
    g.workflow("wf-manual", "Manual check", owner="team-ap")
    g.initiative("ini-x", supports=["wf-manual"], integrates_with=["sys-portal"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "wf-manual"
    assert "records no system" in finding.message


def test_one_finding_per_initiative(g, analyze):
    _org(g)
    g.initiative("ini-a", supports=["wf-invoices"])
    g.initiative("ini-b", supports=["wf-invoices"], integrates_with=["sys-portal"])
    findings = analyze(g.graph(), RULE)
    assert [f.subject for f in findings] == ["wf-invoices", "wf-invoices"]
    assert len({f.id for f in findings}) == 2
    assert sorted(f.related[0] for f in findings) == ["ini-a", "ini-b"]


def test_retired_initiatives_are_ignored(g, analyze):
    _org(g)
    g.initiative("ini-old", stage=Stage.RETIRED, supports=["wf-invoices"], integrates_with=["sys-portal"])
    assert analyze(g.graph(), RULE) == []


def test_the_id_does_not_change_when_the_workflow_uses_more_systems(store, g, analyze):
    _org(g)
    g.initiative("ini-inv", supports=["wf-invoices"], integrates_with=["sys-portal"])
    [before] = analyze(g.graph(), RULE)
    g.system("sys-crm")
    g.rel(Rel.USES, "wf-invoices", "sys-crm")
    [after] = analyze(g.graph(), RULE)
    assert after.id == before.id
    assert after.related == ["ini-inv", "sys-crm", "sys-sap"]
