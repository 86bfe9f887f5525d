"""Workflows ranked by opportunity, with the factors shown."""

from graph.analyses.priorities import rank_workflows
from graph.schema import Lifecycle, Stage


def test_ranked_by_a_documented_score(g):
    g.unit("bu-a", "Retail")
    g.team("team-a", part_of="bu-a")
    g.system("sys-erp", owner="team-a")
    g.system("sys-old", owner="team-a", lifecycle=Lifecycle.RETIRED)
    g.workflow("wf-best", owner="team-a", uses=["sys-erp"], friction=5, volume=10_000, repetitive=True)
    g.workflow("wf-tie-b", owner="team-a", uses=["sys-erp"], friction=3, volume=100, decision_heavy=True)
    g.workflow("wf-tie-a", owner="team-a", uses=["sys-erp"], friction=3, volume=100, repetitive=True)
    g.workflow("wf-unowned", uses=["sys-old"], friction=5, volume=10_000, repetitive=True)
    g.workflow("wf-unknown")
    g.initiative("ini-x", stage=Stage.PILOT, supports=["wf-best"])
    ranked = rank_workflows(g.graph())
    assert [p.workflow for p in ranked] == ["wf-best", "wf-tie-a", "wf-tie-b", "wf-unowned", "wf-unknown"]
    best = ranked[0]
    assert best.score == 100.0
    assert {f.name: f.points for f in best.factors} == {
        "friction": 30.0, "volume": 25.0, "repetitive or decision-heavy": 15.0, "owned": 15.0,
        "systems to integrate with": 15.0}
    assert best.initiatives == ["ini-x"] and best.business_unit == "bu-a"
    # friction 3: 15; 100 runs: log10(101) / log10(10001) * 25 = 12.53; then 15 + 15 + 15; ties by id
    assert ranked[1].score == ranked[2].score == 72.53
    assert ranked[3].score == 70.0  # no owner, only a retired system
    assert ranked[4].score == 0.0 and ranked[4].factors[0].value == "unknown"
    assert [p.workflow for p in rank_workflows(g.graph(), limit=2)] == ["wf-best", "wf-tie-a"]
