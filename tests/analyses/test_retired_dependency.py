"""retired-dependency: a non-retired initiative depends on or integrates with a retired system."""

from graph.analyses import Severity
from graph.schema import Lifecycle, Rel, Stage

RULE = "retired-dependency"


def _org(g):
    g.unit("bu-fin", "Finance")
    g.team("team-fin", part_of="bu-fin")
    g.system("sys-old", "Mainframe", owner="team-fin", lifecycle=Lifecycle.RETIRED)
    g.system("sys-dep", "Old CRM", owner="team-fin", lifecycle=Lifecycle.DEPRECATED)
    g.system("sys-new", "Cloud ERP", owner="team-fin")


def test_depending_on_a_retired_system(g, analyze):
    _org(g)
    g.initiative("ini-x", "Close AI", owner="team-fin", depends_on=["sys-old", "sys-new"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-x"
    assert finding.related == ["sys-old"]
    assert finding.severity is Severity.HIGH
    assert finding.business_unit == "bu-fin"
    assert "Close AI (pilot) depends on Mainframe, which is retired." == finding.message


def test_integrating_and_depending_give_one_finding_per_system(g, analyze):
    _org(g)
    g.system("sys-old2", lifecycle=Lifecycle.RETIRED)
    g.initiative("ini-x", owner="team-fin", depends_on=["sys-old"], integrates_with=["sys-old", "sys-old2"])
    findings = sorted(analyze(g.graph(), RULE), key=lambda f: f.related)
    assert [f.related for f in findings] == [["sys-old"], ["sys-old2"]]
    assert len({f.id for f in findings}) == 2
    assert {s.type for s in findings[0].evidence if s.type} == {Rel.DEPENDS_ON, Rel.INTEGRATES_WITH}


def test_deprecated_is_not_retired_and_retired_initiatives_are_ignored(g, analyze):
    _org(g)
    g.initiative("ini-x", owner="team-fin", depends_on=["sys-dep"])
    g.initiative("ini-gone", owner="team-fin", stage=Stage.RETIRED, depends_on=["sys-old"])
    assert analyze(g.graph(), RULE) == []
