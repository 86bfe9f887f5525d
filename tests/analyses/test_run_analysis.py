"""The entry point: every rule registered once, sorted findings, filters, config."""

import re
from pathlib import Path

import pytest

from graph.analyses import Severity, all_rules, rule_ids, run_analysis
from graph.analyses.config import AnalysisConfig
from graph.errors import AimapError
from graph.schema import Lifecycle, Stage

PRODUCT = Path(__file__).resolve().parents[2].parent / "shared" / "PRODUCT.md"  # shared/ sits beside the repo
EXPECTED = {
    "orphaned-initiative": Severity.HIGH,
    "unintegrated-workflow": Severity.HIGH,
    "unanchored-initiative": Severity.MEDIUM,
    "fragmented-ownership": Severity.MEDIUM,
    "duplicate-initiatives": Severity.MEDIUM,
    "pilot-purgatory": Severity.MEDIUM,
    "pilot-metrics-only": Severity.MEDIUM,
    "unowned-dependency": Severity.HIGH,
    "retired-dependency": Severity.HIGH,
    "dependency-cycle": Severity.LOW,
    "stale-record": Severity.LOW,
}


def test_every_rule_of_the_product_is_registered_with_its_default_severity():
    assert {rule.id: rule.severity for rule in all_rules()} == EXPECTED
    assert rule_ids() == sorted(EXPECTED)
    assert all(rule.description for rule in all_rules())


@pytest.mark.skipif(not PRODUCT.exists(), reason="the product brief is not beside the repository")
def test_the_rule_table_of_the_product_brief():
    rows = re.findall(r"^\| ([a-z]+(?:-[a-z]+)+) \|", PRODUCT.read_text(), flags=re.M)
    assert sorted(rows) == rule_ids()


def _gappy(g):
    g.unit("bu-a", "Retail")
    g.unit("bu-b", "Wholesale")
    g.team("team-a", part_of="bu-a")
    g.team("team-b", part_of="bu-b")
    g.system("sys-old", owner="team-a", lifecycle=Lifecycle.RETIRED)
    g.system("sys-x", depends_on=["sys-x"], owner="team-b")
    g.initiative("ini-live", stage=Stage.PRODUCTION)                        # orphaned (critical), unanchored...
    g.initiative("ini-b", owner="team-b", depends_on=["sys-old"])           # retired-dependency, purgatory...
    return g.graph()


def test_findings_are_sorted_by_severity_rule_subject_id(g):
    findings = run_analysis(_gappy(g), AnalysisConfig(as_of=g.as_of)).findings
    keys = [(-f.severity.rank, f.rule, f.subject, f.id) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].severity is Severity.CRITICAL
    assert len({f.id for f in findings}) == len(findings)


def test_filters(g):
    result = run_analysis(_gappy(g), AnalysisConfig(as_of=g.as_of))
    assert {f.rule for f in result.filter(rule="dependency-cycle").findings} == {"dependency-cycle"}
    assert all(f.severity >= Severity.HIGH for f in result.filter(severity="high").findings)
    assert result.filter(severity="high").findings and result.filter(severity="critical").findings
    assert result.filter(rule=["stale-record"]).findings == []


def test_disabled_rules_do_not_run_and_overrides_replace_severity(g):
    graph = _gappy(g)
    config = AnalysisConfig(as_of=g.as_of, disabled={"pilot-purgatory"},
                            severity={"orphaned-initiative": "low", "dependency-cycle": "critical"})
    result = run_analysis(graph, config)
    assert "pilot-purgatory" not in result.rules
    assert not [f for f in result.findings if f.rule == "pilot-purgatory"]
    assert {f.severity for f in result.findings if f.rule == "orphaned-initiative"} == {Severity.LOW}
    assert result.findings[0].rule == "dependency-cycle"
    assert result.counts_by_severity()[Severity.CRITICAL] == 1
    assert result.worst() is Severity.CRITICAL


def test_selected_rules_only(g):
    result = run_analysis(_gappy(g), AnalysisConfig(as_of=g.as_of), rules=["retired-dependency"])
    assert result.rules == ["retired-dependency"]
    assert [f.subject for f in result.findings] == ["ini-b"]
    with pytest.raises(AimapError, match="^unknown rule 'nope': use one of dependency-cycle, "):
        run_analysis(_gappy(g), rules=["nope"])


def test_same_graph_same_result(g):
    graph = _gappy(g)
    config = AnalysisConfig(as_of=g.as_of)
    assert run_analysis(graph, config).model_dump_json() == run_analysis(graph, config).model_dump_json()
