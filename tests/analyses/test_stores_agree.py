"""The same findings from every store: the synthetic enterprise written into the
store and read back gives what the same records give in memory."""

from graph.analyses import AnalysisConfig, run_analysis
from graph.analyses.pipeline import build_pipeline
from graph.analyses.priorities import rank_workflows
from graph.analyses.scorecard import build_scorecards
from graph.synthetic import generate_enterprise, graph_from_records, load_into


def test_store_and_memory_give_the_same_findings(store):
    enterprise = generate_enterprise(2_000, seed=5)
    config = AnalysisConfig(as_of=enterprise.as_of)
    load_into(store, enterprise.nodes, enterprise.relationships)
    from_store = store.to_networkx()
    in_memory = graph_from_records(enterprise.nodes, enterprise.relationships)

    stored, expected = run_analysis(from_store, config), run_analysis(in_memory, config)
    assert expected.findings and {f.rule for f in expected.findings} == set(expected.rules)
    assert [f.id for f in stored.findings] == [f.id for f in expected.findings]
    assert stored.model_dump(mode="json") == expected.model_dump(mode="json")

    assert build_scorecards(from_store, config).model_dump() == build_scorecards(in_memory, config).model_dump()
    assert build_pipeline(from_store) == build_pipeline(in_memory)
    assert rank_workflows(from_store, limit=50) == rank_workflows(in_memory, limit=50)
