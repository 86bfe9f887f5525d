"""The index's own strongly connected components agree with networkx's, and
come sinks first, on random graphs with cycles, self-loops and long chains."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analyses.components import strongly_connected


@pytest.mark.parametrize("seed", range(20))
def test_components_match_networkx_and_come_sinks_first(seed: int):
    rng = random.Random(seed)
    nodes = [f"n{i:03}" for i in range(rng.randint(1, 120))]
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 200)))
    successors = {node: sorted(graph.successors(node)) for node in nodes}

    found = strongly_connected(nodes, successors.__getitem__)

    assert sorted(map(sorted, found)) == sorted(map(sorted, nx.strongly_connected_components(graph)))
    position = {node: number for number, component in enumerate(found) for node in component}
    assert all(position[target] <= position[source] for source, target in graph.edges)


def test_a_chain_far_deeper_than_the_recursion_limit():
    nodes = [f"n{i:06}" for i in range(50_000)]
    successors = {a: [b] for a, b in zip(nodes, nodes[1:], strict=False)} | {nodes[-1]: [nodes[0]]}
    [component] = strongly_connected(nodes, successors.__getitem__)
    assert sorted(component) == nodes
