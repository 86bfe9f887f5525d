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


def test_the_read_side_ranks_as_the_full_models_do(store):
    """The read side ranks workflow ids by score alone and builds answers only
    for the workflows returned; on a generated enterprise that must be the
    order of every workflow's full answer sorted by (-score, id), filtered."""
    from graph.analyses import AnalysisConfig, AnalysisContext
    from graph.analyses.priorities import workflow_priority
    from graph.schema import Kind
    from graph.service import Filters, ReadService
    from graph.synthetic import generate_enterprise, load_into

    enterprise = generate_enterprise(3_000, seed=7)
    load_into(store, enterprise.nodes, enterprise.relationships)
    service = ReadService(store, AnalysisConfig(as_of=enterprise.as_of))
    ctx = AnalysisContext(store.to_networkx())
    every = sorted((workflow_priority(ctx, w) for w in ctx.ids(Kind.WORKFLOW)), key=lambda p: (-p.score, p.workflow))
    assert len({p.score for p in every}) > 10
    dump = [p.model_dump() for p in every]
    assert [p.model_dump() for p in service.priorities(limit=None)] == dump
    assert [p.model_dump() for p in service.priorities(limit=25)] == dump[:25]
    unit = every[0].business_unit
    assert unit is not None
    assert [p.model_dump() for p in service.priorities(Filters(business_unit=unit), limit=10)] == [
        p for p in dump if p["business_unit"] == unit][:10]
    text = every[3].name[:5].casefold()
    assert [p.model_dump() for p in service.priorities(Filters(text=text), limit=None)] == [
        p for p in dump if text in p["workflow"].casefold() or text in p["name"].casefold()]
