"""The schema declaration: values, relationship endpoints, and what derives from it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph.schema import (
    NODE_MODELS, REL_SPECS, RESERVED_NODE_KEYS, Initiative, Kind, Metric, OwnerRole, Rel, Relationship, System,
    Team, Workflow, node_defaults, relation_fields,
)
from importers.formats.native_schema import native_json_schema


def test_every_kind_has_a_model_and_every_relationship_a_spec():
    assert set(NODE_MODELS) == set(Kind)
    assert set(REL_SPECS) == set(Rel)


def test_good_values_are_accepted_and_normalised():
    initiative = Initiative(id=" ai-1 ", name="Copilot", stage="pilot", stage_since="2026-02-01")
    assert initiative.id == "ai-1"
    assert initiative.properties() == {"name": "Copilot", "stage": "pilot", "stage_since": "2026-02-01"}
    assert Workflow(id="w", name="W", friction=5, volume=0).friction == 5


@pytest.mark.parametrize("model, fields, field", [
    (Initiative, {"stage": "pilott"}, "stage"),
    (System, {"lifecycle": "sunset"}, "lifecycle"),
    (System, {"criticality": "extreme"}, "criticality"),
    (Metric, {"type": "vibes"}, "type"),
    (Team, {"type": "tribe"}, "type"),
    (Workflow, {"friction": 0}, "friction"),
    (Workflow, {"friction": 6}, "friction"),
    (Workflow, {"volume": -1}, "volume"),
    (System, {"colour": "red"}, "colour"),
    (System, {"id": ""}, "id"),
    (System, {"id": "a\nb"}, "id"),
])
def test_bad_values_name_the_field(model, fields, field):
    base = {"id": "x", "name": "X", **({"type": "cost"} if model is Metric else {})}
    with pytest.raises(ValidationError) as failure:
        model.model_validate({**base, **fields})
    assert [str(e["loc"][0]) for e in failure.value.errors()] == [field]


def test_enum_errors_list_the_allowed_values():
    with pytest.raises(ValidationError) as failure:
        Initiative(id="x", name="X", stage="pilott")
    assert "'idea', 'pilot', 'production', 'scaled', 'retired' or 'unknown'" in str(failure.value)


def test_owns_defaults_to_accountable_and_only_owns_has_a_role():
    assert Relationship(type=Rel.OWNS, source="t", target="s").role is OwnerRole.ACCOUNTABLE
    with pytest.raises(ValidationError, match="only OWNS carries a role"):
        Relationship(type=Rel.USES, source="w", target="s", role="risk")
    with pytest.raises(ValidationError):
        Relationship(type=Rel.OWNS, source="t", target="s", role="boss")


@pytest.mark.parametrize("rel, source, target, allowed", [
    (Rel.OWNS, Kind.TEAM, Kind.INITIATIVE, True),
    (Rel.OWNS, Kind.PERSON, Kind.SYSTEM, True),
    (Rel.OWNS, Kind.SYSTEM, Kind.SYSTEM, False),
    (Rel.MEMBER_OF, Kind.PERSON, Kind.TEAM, True),
    (Rel.MEMBER_OF, Kind.TEAM, Kind.TEAM, False),
    (Rel.PART_OF, Kind.TEAM, Kind.TEAM, True),
    (Rel.PART_OF, Kind.SYSTEM, Kind.TEAM, False),
    (Rel.PART_OF, Kind.INITIATIVE, Kind.INITIATIVE, False),
    (Rel.USES, Kind.WORKFLOW, Kind.SYSTEM, True),
    (Rel.USES, Kind.TEAM, Kind.SYSTEM, False),
    (Rel.SUPPORTS, Kind.INITIATIVE, Kind.WORKFLOW, True),
    (Rel.INTEGRATES_WITH, Kind.INITIATIVE, Kind.WORKFLOW, False),
    (Rel.DEPENDS_ON, Kind.INITIATIVE, Kind.SYSTEM, True),
    (Rel.DEPENDS_ON, Kind.SYSTEM, Kind.INITIATIVE, False),
    (Rel.MEASURED_BY, Kind.INITIATIVE, Kind.METRIC, True),
    (Rel.PERFORMS, Kind.PERSON, Kind.WORKFLOW, False),
])
def test_relationship_endpoints(rel, source, target, allowed):
    assert REL_SPECS[rel].connects(source, target) is allowed


def test_no_property_collides_with_provenance_or_relationship_fields():
    for kind, model in NODE_MODELS.items():
        assert not (set(model.model_fields) - {"id"}) & RESERVED_NODE_KEYS
        assert not set(model.model_fields) & set(relation_fields(kind))


def test_defaults_come_from_the_declaration():
    assert node_defaults(Kind.TEAM) == {"description": None, "type": "team", "active": True}
    assert node_defaults(Kind.INITIATIVE)["stage"] == "unknown"  # a blank stage is never idea


def test_json_schema_covers_every_kind_and_relationship_field():
    schema = native_json_schema()
    assert set(schema["$defs"]) >= {kind.value for kind in Kind}
    initiative = schema["$defs"][Kind.INITIATIVE.value]["properties"]
    assert {"supports", "integrates_with", "depends_on", "measured_by", "owners"} <= set(initiative)
    stage = initiative["stage"]
    stage_enum = stage.get("enum") or schema["$defs"][stage["$ref"].split("/")[-1]]["enum"]
    assert stage_enum == ["idea", "pilot", "production", "scaled", "retired", "unknown"]
