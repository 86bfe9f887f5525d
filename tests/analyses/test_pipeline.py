"""The pipeline: initiatives by stage per business unit, and pilots that reached production."""

from graph.analyses.pipeline import build_pipeline
from graph.schema import Stage


def test_stages_per_unit_and_conversion(g):
    g.unit("bu-a", "Retail")
    g.unit("bu-b", "Wholesale")
    g.team("team-a", part_of="bu-a")
    g.team("team-b", part_of="bu-b")
    stages = {"a1": Stage.PILOT, "a2": Stage.PILOT, "a3": Stage.PRODUCTION, "a4": Stage.SCALED, "a5": Stage.RETIRED,
              "b1": Stage.IDEA}
    for key, stage in stages.items():
        g.initiative(f"ini-{key}", stage=stage, owner=f"team-{key[0]}")
    g.initiative("ini-nowhere", stage=Stage.PILOT)
    pipeline = build_pipeline(g.graph())
    rows = {row.business_unit: row for row in pipeline.business_units}
    assert list(rows) == ["bu-a", "bu-b", None]
    a = rows["bu-a"]
    assert [a.stages[stage] for stage in Stage] == [0, 2, 1, 1, 1, 0]
    assert (a.total, a.reached_production, a.in_pilot, a.conversion) == (5, 2, 2, 0.5)
    assert rows["bu-b"].conversion is None
    assert (pipeline.total.total, pipeline.total.reached_production, pipeline.total.in_pilot) == (7, 2, 3)
    assert pipeline.total.conversion == round(2 / 5, 4)
