"""The generator's other shapes keep their promises, and the default is untouched."""

import hashlib

import pytest

from graph.analyses import AnalysisConfig, run_analysis
from graph.records import RelRecord
from graph.schema import REL_SPECS, Rel
from graph.synthetic import DEEP_CHAIN, SHAPES, generate_enterprise, graph_from_records, shape_profile

N = 3_000


@pytest.fixture(scope="module")
def shapes():
    return {shape: generate_enterprise(N, seed=7, shape=shape) for shape in SHAPES}


@pytest.fixture(scope="module")
def profiles(shapes):
    return {shape: shape_profile(enterprise.relationships) for shape, enterprise in shapes.items()}


def _digest(relationships: list[RelRecord]) -> str:
    return hashlib.sha256(repr(relationships).encode()).hexdigest()


def test_shapes_are_deterministic(shapes):
    for shape in SHAPES:
        again = generate_enterprise(N, seed=7, shape=shape)
        assert _digest(again.relationships) == _digest(shapes[shape].relationships), shape
        assert again.nodes == shapes[shape].nodes, shape


def test_the_default_shape_is_the_enterprise(shapes):
    assert _digest(generate_enterprise(N, seed=7).relationships) == _digest(shapes["enterprise"].relationships)


def test_every_shape_has_the_same_entities_and_about_as_many_relationships(shapes):
    base = shapes["enterprise"]
    for shape, enterprise in shapes.items():
        assert [n.id for n in enterprise.nodes] == [n.id for n in base.nodes], shape
        assert abs(len(enterprise.relationships) - len(base.relationships)) <= len(base.relationships) // 10, shape


def test_relationships_respect_the_schema(shapes):
    for shape, enterprise in shapes.items():
        kinds = {n.id: n.kind for n in enterprise.nodes}
        for rel in enterprise.relationships:
            spec = REL_SPECS[rel.type]
            assert spec.connects(kinds[rel.from_id], kinds[rel.to_id]), (shape, rel)


def test_giant_cycle_holds_every_system_in_one_component(shapes, profiles):
    systems = sum(1 for n in shapes["giant-cycle"].nodes if n.kind.value == "System")
    assert profiles["giant-cycle"]["largest_dependency_scc"] == systems
    assert profiles["enterprise"]["largest_dependency_scc"] <= 3  # the planted rings only


def test_heavy_tailed_has_a_hub_used_by_every_workflow(shapes, profiles):
    workflows = sum(1 for n in shapes["heavy-tailed"].nodes if n.kind.value == "Workflow")
    assert profiles["heavy-tailed"]["max_in_degree"] >= workflows
    assert profiles["enterprise"]["max_in_degree"] < workflows // 10
    assert profiles["heavy-tailed"]["largest_dependency_scc"] <= 3  # the hubs add no cycle


def test_deep_trees_are_hundreds_of_levels_deep(shapes, profiles):
    workflows_per_unit = sum(1 for n in shapes["deep"].nodes if n.kind.value == "Workflow") // 4
    assert profiles["deep"]["max_part_of_depth"] >= min(DEEP_CHAIN, workflows_per_unit) - 1 >= 200
    assert profiles["deep"]["max_part_of_depth"] <= DEEP_CHAIN
    assert profiles["enterprise"]["max_part_of_depth"] < 20
    parents: dict[str, int] = {}
    for rel in shapes["deep"].relationships:
        if rel.type is Rel.PART_OF:
            parents[rel.from_id] = parents.get(rel.from_id, 0) + 1
    assert max(parents.values()) == 1, "re-parenting left a second parent"


@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "enterprise"])
def test_the_analyses_run_on_every_shape(shapes, shape):
    enterprise = shapes[shape]
    graph = graph_from_records(enterprise.nodes, enterprise.relationships)
    result = run_analysis(graph, AnalysisConfig(as_of=enterprise.as_of))
    rules = {f.rule for f in result.findings}
    assert "dependency-cycle" in rules
    if shape == "giant-cycle":
        biggest = max(len(f.related) + 1 for f in result.findings if f.rule == "dependency-cycle")
        assert biggest >= sum(1 for n in enterprise.nodes if n.kind.value == "System") // 2


def test_an_unknown_shape_is_refused():
    with pytest.raises(ValueError, match="unknown shape"):
        generate_enterprise(300, shape="spiral")
