"""The synthetic enterprise: valid, deterministic, and full of every gap."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from graph.analyses import AnalysisConfig, rule_ids, run_analysis
from graph.schema import REL_SPECS, Kind, Relationship, node_model
from graph.synthetic import generate, generate_enterprise, graph_from_records

N = 10_000


@pytest.fixture(scope="module")
def enterprise():
    return generate_enterprise(N, seed=42)


@pytest.fixture(scope="module")
def result(enterprise):
    graph = graph_from_records(enterprise.nodes, enterprise.relationships)
    return run_analysis(graph, AnalysisConfig(as_of=enterprise.as_of))


def test_size(enterprise):
    assert len(enterprise.nodes) == N
    assert len({n.id for n in enterprise.nodes}) == N
    assert 4 * N <= len(enterprise.relationships) <= 6 * N
    assert {n.kind for n in enterprise.nodes} == set(Kind)


def test_records_are_valid_schema_records(enterprise):
    kinds = {}
    for node in enterprise.nodes:
        node_model(node.kind)(id=node.id, **node.properties)
        kinds[node.id] = node.kind
    for rel in enterprise.relationships:
        Relationship(type=rel.type, from_id=rel.from_id, to_id=rel.to_id, role=rel.properties.get("role"))
        assert REL_SPECS[rel.type].connects(kinds[rel.from_id], kinds[rel.to_id]), rel


def test_findings_of_every_rule_at_the_planted_subjects(enterprise, result):
    assert sorted(enterprise.planted) == rule_ids()
    found = {rule: {f.subject for f in result.findings if f.rule == rule} for rule in rule_ids()}
    for rule, subjects in enterprise.planted.items():
        assert subjects, rule
        assert set(subjects) <= found[rule], rule


def test_finding_ids_do_not_depend_on_insertion_order(enterprise, result):
    rng = random.Random(7)
    nodes = rng.sample(enterprise.nodes, len(enterprise.nodes))
    rels = rng.sample(enterprise.relationships, len(enterprise.relationships))
    shuffled = run_analysis(graph_from_records(nodes, rels), AnalysisConfig(as_of=enterprise.as_of))
    assert [f.id for f in shuffled.findings] == [f.id for f in result.findings]
    assert shuffled.model_dump_json() == result.model_dump_json()


def test_same_seed_same_records_other_seed_other_records():
    first, second = generate(1_000, seed=3), generate(1_000, seed=3)
    assert [n.as_dict() for n in first[0]] == [n.as_dict() for n in second[0]]
    assert [r.as_dict() for r in first[1]] == [r.as_dict() for r in second[1]]
    other = generate(1_000, seed=4)
    assert [n.as_dict() for n in other[0]] != [n.as_dict() for n in first[0]]


_IDS_SCRIPT = """
import json
from graph.analyses import AnalysisConfig, run_analysis
from graph.synthetic import generate_enterprise, graph_from_records
e = generate_enterprise(2_000, seed=11)
r = run_analysis(graph_from_records(e.nodes, e.relationships), AnalysisConfig(as_of=e.as_of))
print(json.dumps([f.id for f in r.findings]))
"""


def test_finding_ids_do_not_depend_on_the_interpreters_hash_seed():
    root = Path(__file__).resolve().parents[2]
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", _IDS_SCRIPT], cwd=root, env=env, check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out))
    assert runs[0] and runs[0] == runs[1]
