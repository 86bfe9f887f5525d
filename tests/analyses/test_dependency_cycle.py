"""dependency-cycle: each strongly connected set of DEPENDS_ON reported once."""

import random

from graph.analyses import Severity
from graph.analyses.model import finding_id
from graph.records import NodeRecord, RelRecord
from graph.schema import Kind, Rel
from graph.synthetic import graph_from_records

RULE = "dependency-cycle"


def test_a_cycle_through_four_systems(g, analyze):
    g.unit("bu-it", "IT")
    g.team("team-it", part_of="bu-it")
    for name, target in (("sys-d", "sys-a"), ("sys-a", "sys-b"), ("sys-b", "sys-c"), ("sys-c", "sys-d")):
        g.system(name, owner="team-it", depends_on=[target])
    g.system("sys-outside", owner="team-it", depends_on=["sys-a"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-a"
    assert finding.related == ["sys-b", "sys-c", "sys-d"]
    assert finding.severity is Severity.LOW
    assert finding.business_unit == "bu-it"
    assert "Sys A → Sys B → Sys C → Sys D → Sys A" in finding.message
    assert [(s.from_id, s.to_id) for s in finding.evidence] == [
        ("sys-a", "sys-b"), ("sys-b", "sys-c"), ("sys-c", "sys-d"), ("sys-d", "sys-a")]


def test_a_self_loop_and_separate_cycles(g, analyze):
    g.system("sys-self", depends_on=["sys-self"])
    g.system("sys-x", depends_on=["sys-y"])
    g.system("sys-y", depends_on=["sys-x"])
    g.system("sys-free", depends_on=["sys-x"])
    findings = analyze(g.graph(), RULE)
    assert sorted((f.subject, tuple(f.related)) for f in findings) == [("sys-self", ()), ("sys-x", ("sys-y",))]
    assert "depends on itself" in next(f.message for f in findings if f.subject == "sys-self")


def test_cycles_sharing_a_system_are_one_finding(g, analyze):
    g.system("sys-hub", depends_on=["sys-a", "sys-b"])
    g.system("sys-a", depends_on=["sys-hub"])
    g.system("sys-b", depends_on=["sys-hub"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "sys-a"
    assert finding.related == ["sys-b", "sys-hub"]
    assert "3 systems depend on each other in cycles" in finding.message


def test_no_cycle_no_finding(g, analyze):
    g.system("sys-a", depends_on=["sys-b", "sys-c"])
    g.system("sys-b", depends_on=["sys-c"])
    g.system("sys-c")
    g.initiative("ini-x", depends_on=["sys-a"])
    assert analyze(g.graph(), RULE) == []


def test_the_id_is_the_same_whatever_the_insertion_order(analyze):
    members = [f"sys-{i}" for i in range(6)]
    nodes = [NodeRecord(Kind.SYSTEM, m, {"name": m}) for m in members]
    rels = [RelRecord(Rel.DEPENDS_ON, a, b) for a, b in zip(members, members[1:] + members[:1], strict=True)]
    found = set()
    for seed in range(4):
        rng = random.Random(seed)
        shuffled_nodes, shuffled_rels = rng.sample(nodes, len(nodes)), rng.sample(rels, len(rels))
        [finding] = analyze(graph_from_records(shuffled_nodes, shuffled_rels), RULE)
        found.add((finding.id, finding.subject, tuple(finding.related)))
    assert found == {(finding_id(RULE, members), "sys-0", tuple(members[1:]))}
