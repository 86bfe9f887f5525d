"""The native format as a JSON Schema, generated from the schema declaration,
so editors (VS Code's YAML extension, IntelliJ) can validate files as you type."""

from __future__ import annotations

from typing import Any

from graph.schema import NODE_MODELS, REL_SPECS, Kind, OwnerRole, Rel, plural, relation_fields

SCHEMA_ID = "https://aimap.dev/schema/native.json"

_ID = {"type": "string", "minLength": 1, "maxLength": 512}
_IDS = {"oneOf": [_ID, {"type": "array", "items": _ID}]}
_OWNER = {
    "oneOf": [
        _ID,
        {
            "type": "object",
            "properties": {"id": _ID, "role": {"enum": [role.value for role in OwnerRole]}},
            "required": ["id"],
            "additionalProperties": False,
        },
    ]
}


def _entity_schema(kind: Kind, defs: dict[str, Any]) -> dict[str, Any]:
    schema = NODE_MODELS[kind].model_json_schema(ref_template="#/$defs/{model}")
    defs.update(schema.pop("$defs", {}))
    schema["properties"]["kind"] = {"enum": [kind.value, kind.value.lower()]}
    for field, (spec, _outgoing) in relation_fields(kind).items():
        items = _OWNER if spec.has_role else _ID
        schema["properties"][field] = {
            "oneOf": [items, {"type": "array", "items": items}],
            "description": f"{spec.type.value}: {spec.description}",
        }
    schema["additionalProperties"] = False
    return schema


def native_json_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for kind in Kind:
        defs[kind.value] = _entity_schema(kind, defs)
    relationship = {
        "type": "object",
        "properties": {
            "type": {"enum": [rel.value for rel in Rel]},
            "from": _ID,
            "to": _ID,
            "role": {"enum": [role.value for role in OwnerRole]},
        },
        "required": ["type", "from", "to"],
        "additionalProperties": False,
    }
    collections = {
        "type": "object",
        "properties": {
            **{plural(kind): {"type": "array", "items": {"$ref": f"#/$defs/{kind.value}"}} for kind in Kind},
            "relationships": {"type": "array", "items": relationship},
            "aliases": {"type": "object", "additionalProperties": _ID,
                        "description": "other-id: our-id; references to other-id resolve to our-id"},
        },
        "additionalProperties": False,
    }
    single = {"oneOf": [{"$ref": f"#/$defs/{kind.value}", "required": ["kind"]} for kind in Kind]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "aimap native document",
        "description": "Teams, people, systems, workflows, AI initiatives and metrics, and who owns and "
        f"depends on what. Relationship kinds: {', '.join(f'{r.value} ({REL_SPECS[r].field})' for r in Rel)}.",
        "oneOf": [collections, single, {"type": "array", "items": single}],
        "$defs": defs,
    }
