"""Business units and owners as every rule sees them (graph.analyses.context)."""

from graph.analyses.context import AnalysisContext
from graph.schema import MetricType, OwnerRole, Rel


def _ctx(g) -> AnalysisContext:
    return AnalysisContext(g.graph())


def test_a_team_belongs_to_its_top_level_team(g):
    g.unit("bu-a")
    g.team("dept-a", part_of="bu-a")
    g.team("team-a", part_of="dept-a")
    g.team("vendor-x")
    ctx = _ctx(g)
    assert [ctx.business_unit(t) for t in ("bu-a", "dept-a", "team-a", "vendor-x")] == [
        "bu-a", "bu-a", "bu-a", "vendor-x"]


def test_a_person_nested_three_levels_deep(g):
    g.unit("bu-ops")
    g.team("div-ops", part_of="bu-ops")
    g.team("dept-ops", part_of="div-ops")
    g.team("squad-ops", part_of="dept-ops")
    g.person("p-bo", member_of=["squad-ops"])
    g.system("sys-x", owner="p-bo")
    ctx = _ctx(g)
    assert ctx.business_unit("p-bo") == "bu-ops"
    assert ctx.business_unit("sys-x") == "bu-ops"


def test_ties_go_to_the_smallest_unit_id(g):
    g.unit("bu-z")
    g.unit("bu-b")
    g.team("team-z", part_of="bu-z")
    g.team("team-b", part_of="bu-b")
    g.person("p-two", member_of=["team-z", "team-b"])
    g.system("sys-x", owner="team-z")
    g.owns("team-b", "sys-x")
    ctx = _ctx(g)
    assert ctx.business_unit("p-two") == "bu-b"
    assert ctx.business_unit("sys-x") == "bu-b"
    assert ctx.accountable_units("sys-x") == ["bu-b", "bu-z"]


def test_active_owners_decide_before_former_ones(g):
    g.unit("bu-a")
    g.unit("bu-b")
    g.team("team-a", part_of="bu-a", active=False)
    g.team("team-b", part_of="bu-b")
    g.system("sys-x", owner="team-a")
    g.owns("team-b", "sys-x")
    g.system("sys-y", owner="team-a")
    ctx = _ctx(g)
    assert ctx.active_accountable_owners("sys-x") == ["team-b"]
    assert ctx.business_unit("sys-x") == "bu-b"
    assert ctx.business_unit("sys-y") == "bu-a"  # only a former owner: still its unit


def test_fallbacks_for_entities_without_an_accountable_owner(g):
    g.unit("bu-a")
    g.unit("bu-b")
    g.team("team-a", part_of="bu-a")
    g.team("team-b", part_of="bu-b")
    g.workflow("wf-parent", owner="team-a")
    g.workflow("wf-step", part_of="wf-parent")                   # -> parent workflow
    g.workflow("wf-done-by-b", performed_by=["team-b"], part_of="wf-parent")  # -> performing team first
    g.system("sys-parent", owner="team-b")
    g.system("sys-module", part_of="sys-parent")                  # -> parent system
    g.system("sys-sponsored")
    g.owns("team-a", "sys-sponsored", OwnerRole.SPONSOR)          # -> owner in another role
    g.initiative("ini-x", supports=["wf-done-by-b"])              # -> supported workflow
    g.metric("m-x", MetricType.COST)
    g.rel(Rel.MEASURED_BY, "ini-x", "m-x")                        # -> measured initiative
    g.system("sys-nobody")
    ctx = _ctx(g)
    assert ctx.business_unit("wf-step") == "bu-a"
    assert ctx.business_unit("wf-done-by-b") == "bu-b"
    assert ctx.business_unit("sys-module") == "bu-b"
    assert ctx.business_unit("sys-sponsored") == "bu-a"
    assert ctx.business_unit("ini-x") == "bu-b"
    assert ctx.business_unit("m-x") == "bu-b"
    assert ctx.business_unit("sys-nobody") is None
    assert ctx.owner_business_unit("ini-x") is None  # owners only: no fallback


def test_hierarchy_cycles_end(g):
    g.team("team-a", part_of="team-b")
    g.team("team-b", part_of="team-a")
    g.team("team-c", part_of="team-a")
    g.workflow("wf-a", part_of="wf-b")
    g.workflow("wf-b", part_of="wf-a")
    ctx = _ctx(g)
    assert {ctx.top_team(t) for t in ("team-a", "team-b", "team-c")} == {"team-a"}
    assert ctx.business_unit("wf-a") is None and ctx.business_unit("wf-b") is None


def test_deep_hierarchies_do_not_recurse(g):
    g.unit("bu-deep")
    parent = "bu-deep"
    for level in range(3000):
        parent = g.team(f"t-{level:04d}", part_of=parent)
    previous = None
    for level in range(3000):
        previous = g.workflow(f"w-{level:04d}", part_of=previous, owner="t-0000" if level == 0 else None)
    ctx = _ctx(g)
    assert ctx.business_unit("t-2999") == "bu-deep"
    assert ctx.business_unit("w-2999") == "bu-deep"


def test_indexes_are_sorted_whatever_the_insertion_order(g):
    for name in ("sys-c", "sys-a", "sys-b"):
        g.system(name)
    g.initiative("ini-x", depends_on=["sys-c", "sys-a", "sys-b"])
    ctx = _ctx(g)
    assert ctx.targets("ini-x", Rel.DEPENDS_ON) == ["sys-a", "sys-b", "sys-c"]
    assert [e.to_id for e in ctx.out_edges("ini-x", Rel.DEPENDS_ON)] == ["sys-a", "sys-b", "sys-c"]
