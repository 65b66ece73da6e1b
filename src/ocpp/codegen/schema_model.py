"""Reads the OCPP 1.6 JSON schemas and the actions table into a typed model: one struct per object shape."""

import json
import sys
from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union

# Shared shapes get one name whatever property they hang under, so feature code handles one type.
STRUCT_ALIASES = {
    "idTagInfo": "IdTagInfo",
    "transactionData": "MeterValue",
    "csChargingProfiles": "ChargingProfile",
    "chargingProfile": "ChargingProfile",
    "chargingSchedule": "ChargingSchedule",
    "localAuthorizationList": "AuthorizationData",
    "configurationKey": "KeyValue",
}

DIRECTIONS = ("ChargePointToCsms", "CsmsToChargePoint", "Both")
PROFILES = ("Core", "FirmwareManagement", "LocalAuthListManagement", "Reservation", "RemoteTrigger",
            "SmartCharging", "Security")

# Every keyword the schemas use must be understood: a rule the generator skipped would never be checked.
KNOWN_KEYWORDS = {"$id", "$schema", "$ref", "definitions", "type", "properties", "required",
                  "additionalProperties", "enum", "maxLength", "format", "items", "minItems", "minimum",
                  "multipleOf", "description", "title"}
SCALAR_TYPES = ("string", "integer", "number", "boolean")
FORMATS = ("date-time", "uri")


class SchemaError(Exception):
    """The inputs cannot be turned into messages; the message says which input and why."""


@dataclass
class Scalar:
    kind: str
    format: Optional[str] = None
    enum: Optional[Tuple[str, ...]] = None
    max_length: Optional[int] = None
    minimum: Optional[float] = None
    multiple_of: Optional[float] = None


@dataclass
class ArrayOf:
    item: "FieldType"
    min_items: int = 0


@dataclass
class Field:
    name: str
    required: bool
    type: "FieldType"


@dataclass
class Struct:
    name: str
    fields: List[Field]
    additional_properties: bool
    shape: str


FieldType = Union[Scalar, ArrayOf, Struct]


@dataclass
class Action:
    name: str
    direction: str
    profile: str
    request: Optional[Struct] = None
    response: Optional[Struct] = None


@dataclass
class Model:
    actions: List[Action]
    structs: List[Struct] = field(default_factory=list)  # in dependency order: nested before their users
    notes: List[str] = field(default_factory=list)


def capitalised(name):
    return name[:1].upper() + name[1:]


def inline_refs(node, definitions, where):
    if isinstance(node, list):
        return [inline_refs(item, definitions, where) for item in node]
    if not isinstance(node, dict):
        return node
    unknown = set(node) - KNOWN_KEYWORDS
    if unknown:
        raise SchemaError(f"{where}: unsupported schema keyword(s) {sorted(unknown)}")
    if "$ref" in node:
        prefix = "#/definitions/"
        ref = node["$ref"]
        if not ref.startswith(prefix) or ref[len(prefix):] not in definitions:
            raise SchemaError(f"{where}: unresolvable $ref {ref}")
        return inline_refs(definitions[ref[len(prefix):]], definitions, where)
    result = {}
    for key, value in node.items():
        if key in ("$id", "$schema", "definitions", "description", "title"):
            continue
        if key == "properties":
            result[key] = {name: inline_refs(sub, definitions, f"{where}.{name}") for name, sub in value.items()}
        elif key in ("required", "enum"):
            result[key] = value
        else:
            result[key] = inline_refs(value, definitions, where)
    return result


class ModelBuilder:
    def __init__(self, actions):
        self.model = Model(actions=actions)
        self.by_name = {}

    def struct(self, name, node, action, where):
        shape = json.dumps(node, sort_keys=True)
        existing = self.by_name.get(name)
        if existing is not None:
            if existing.shape == shape:
                return existing
            renamed = action + name
            self.model.notes.append(f"{where}: shape differs from {name}, named {renamed}")
            if renamed in self.by_name:
                raise SchemaError(f"{where}: cannot name the struct, {renamed} is taken too")
            name = renamed
        return self.new_struct(name, node, action, where)

    def new_struct(self, name, node, action, where):
        if name in self.by_name:
            raise SchemaError(f"{where}: struct name {name} is used twice")
        required = set(node.get("required", []))
        properties = node.get("properties", {})
        missing = required - set(properties)
        if missing:
            raise SchemaError(f"{where}: required but not declared: {sorted(missing)}")
        fields = [Field(prop, prop in required, self.field_type(sub, prop, action, f"{where}.{prop}"))
                  for prop, sub in properties.items()]
        struct = Struct(name, fields, node.get("additionalProperties", True) is not False,
                        json.dumps(node, sort_keys=True))
        self.by_name[name] = struct
        self.model.structs.append(struct)
        return struct

    def field_type(self, node, prop, action, where):
        kind = node.get("type")
        if kind == "object":
            return self.struct(STRUCT_ALIASES.get(prop, capitalised(prop)), node, action, where)
        if kind == "array":
            if "items" not in node:
                raise SchemaError(f"{where}: array without items")
            return ArrayOf(self.field_type(node["items"], prop, action, f"{where}[]"), node.get("minItems", 0))
        if kind not in SCALAR_TYPES:
            raise SchemaError(f"{where}: unsupported type {kind!r}")
        if node.get("format") is not None and node["format"] not in FORMATS:
            raise SchemaError(f"{where}: unsupported format {node['format']!r}")
        enum = tuple(node["enum"]) if "enum" in node else None
        return Scalar(kind, node.get("format"), enum, node.get("maxLength"), node.get("minimum"),
                      node.get("multipleOf"))


def load_actions(path):
    with open(path, encoding="utf-8") as file:
        rows = json.load(file)["actions"]
    actions = []
    for row in rows:
        if row["direction"] not in DIRECTIONS:
            raise SchemaError(f"{path}: {row['name']}: direction must be one of {DIRECTIONS}")
        if row["profile"] not in PROFILES:
            raise SchemaError(f"{path}: {row['name']}: profile must be one of {PROFILES}")
        actions.append(Action(row["name"], row["direction"], row["profile"]))
    return actions


def load_schemas(path):
    """Maps (action, "req" | "conf") to the schema with its $refs inlined."""
    with open(path, encoding="utf-8") as file:
        schemas = json.load(file)
    result = {}
    for schema in schemas:
        urn = schema.get("$id", "")
        if not urn.startswith("urn:") or not urn.endswith((".req", ".conf")):
            raise SchemaError(f"{path}: unexpected $id {urn!r}")
        action, kind = urn[len("urn:"):].rsplit(".", 1)
        result[(action, kind)] = inline_refs(schema, schema.get("definitions", {}), urn)
    return result


def build_model(schemas_path, actions_path):
    actions = load_actions(actions_path)
    schemas = load_schemas(schemas_path)
    listed = {action.name for action in actions}
    with_schemas = {action for action, _ in schemas}
    problems = [f"action {name} in {actions_path} has no {kind} schema in {schemas_path}"
                for name in sorted(listed) for kind in ("req", "conf") if (name, kind) not in schemas]
    problems += [f"schemas for {name} in {schemas_path} but no action in {actions_path}"
                 for name in sorted(with_schemas - listed)]
    if problems:
        raise SchemaError("actions table and schemas disagree:\n  " + "\n  ".join(problems))
    builder = ModelBuilder(actions)
    for action in actions:
        for kind, suffix in (("conf", "Response"), ("req", "Request")):
            node = schemas[(action.name, kind)]
            struct = builder.new_struct(action.name + suffix, node, action.name, f"{action.name}.{kind}")
            setattr(action, "response" if kind == "conf" else "request", struct)
    return builder.model


def fail(message):
    print(f"generate_messages: error: {message}", file=sys.stderr)
    sys.exit(1)
