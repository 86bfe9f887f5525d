"""Severity ordering, stable finding ids and how findings serialise."""

import json
import re

import pytest

from graph.analyses.model import EvidenceStep, Severity, finding_id
from graph.schema import OwnerRole, Rel


def test_severity_orders_by_urgency_not_alphabet():
    assert Severity.LOW < Severity.MEDIUM < Severity.HIGH < Severity.CRITICAL
    assert sorted([Severity.CRITICAL, Severity.LOW, Severity.HIGH]) == [Severity.LOW, Severity.HIGH, Severity.CRITICAL]
    assert max([Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM]) is Severity.CRITICAL
    assert Severity.HIGH.at_least("medium") and not Severity.LOW.at_least(Severity.MEDIUM)
    assert Severity.parse(" High ") is Severity.HIGH


def test_an_unknown_severity_names_the_choices():
    with pytest.raises(ValueError, match="low, medium, high, critical"):
        Severity.parse("urgent")


def test_finding_ids_depend_on_rule_and_ids_only():
    assert finding_id("dependency-cycle", ["b", "a", "c"]) == finding_id("dependency-cycle", ["c", "a", "b", "a"])
    assert finding_id("dependency-cycle", ["a", "b"]) != finding_id("stale-record", ["a", "b"])
    assert finding_id("x", ["a", "b"]) != finding_id("x", ["a\nb"])
    assert re.fullmatch(r"stale-record:[0-9a-f]{16}", finding_id("stale-record", ["sys-1"]))


def test_evidence_serialises_from_and_type():
    step = EvidenceStep(from_id="team-a", from_name="A", type=Rel.OWNS, role=OwnerRole.ACCOUNTABLE.value, to_id="sys-x",
                        to_name="X", source="cmdb")
    data = json.loads(step.model_dump_json())
    assert data["from_id"] == "team-a" and data["type"] == Rel.OWNS.value and data["source"] == "cmdb"
    assert EvidenceStep.model_validate(data) == step
