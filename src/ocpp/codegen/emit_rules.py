"""Writes catalogue_data.cpp: the validation rules as constexpr tables, and the action catalogue that points at them."""

import json

from emit_messages import BANNER
from schema_model import ArrayOf, Struct

JSON_TYPES = {"string": "String", "integer": "Integer", "number": "Number", "boolean": "Boolean"}
FORMATS = {None: "None", "date-time": "DateTime", "uri": "Uri"}


def cpp_string(text):
    return json.dumps(text)  # a JSON string literal is a valid C++ literal for the ASCII the schemas use


def cpp_double(value):
    return repr(float(value))


class RulesWriter:
    def __init__(self):
        self.lines = []
        self.enums = {}
        self.objects = {}
        self.counter = 0

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def enum_table(self, values):
        if values not in self.enums:
            name = self.fresh("kEnum")
            listed = ", ".join(cpp_string(value) for value in values)
            self.lines.append(f"constexpr const char* {name}[] = {{{listed}}};")
            self.enums[values] = name
        return self.enums[values]

    def value_rule(self, field_type):
        """The ValueRule initialiser for a field type; nested tables are written first."""
        if isinstance(field_type, Struct):
            return f"{{JsonType::Object, Format::None, -1, nullptr, 0, false, 0.0, 0.0, &{self.object_rule(field_type)}, " \
                   f"nullptr, 0}}"
        if isinstance(field_type, ArrayOf):
            item = self.fresh("kItem")
            self.lines.append(f"constexpr ValueRule {item}{self.value_rule(field_type.item)};")
            return f"{{JsonType::Array, Format::None, -1, nullptr, 0, false, 0.0, 0.0, nullptr, &{item}, " \
                   f"{field_type.min_items}}}"
        enum_name, enum_count = "nullptr", 0
        if field_type.enum is not None:
            enum_name, enum_count = self.enum_table(field_type.enum), len(field_type.enum)
        max_length = field_type.max_length if field_type.max_length is not None else -1
        has_minimum = "true" if field_type.minimum is not None else "false"
        minimum = cpp_double(field_type.minimum or 0)
        multiple_of = cpp_double(field_type.multiple_of or 0)
        return f"{{JsonType::{JSON_TYPES[field_type.kind]}, Format::{FORMATS[field_type.format]}, {max_length}, " \
               f"{enum_name}, {enum_count}, {has_minimum}, {minimum}, {multiple_of}, nullptr, nullptr, 0}}"

    def object_rule(self, struct):
        if struct.name in self.objects:
            return self.objects[struct.name]
        properties = [f"    {{{cpp_string(field.name)}, {'true' if field.required else 'false'}, "
                      f"{self.value_rule(field.type)}}}," for field in struct.fields]
        name = f"k{struct.name}"
        table = "nullptr"
        if properties:
            table = f"{name}Properties"
            self.lines.append(f"constexpr PropertyRule {table}[] = {{")
            self.lines += properties
            self.lines.append("};")
        additional = "true" if struct.additional_properties else "false"
        self.lines.append(f"constexpr ObjectRule {name}{{{table}, {len(properties)}, {additional}}};")
        self.objects[struct.name] = name
        return name


def source(model):
    writer = RulesWriter()
    catalogue = []
    for action in model.actions:
        request = writer.object_rule(action.request)
        response = writer.object_rule(action.response)
        catalogue.append(f"        {{QStringLiteral(\"{action.name}\"), Direction::{action.direction}, "
                         f"QStringLiteral(\"{action.profile}\"), &{request}, &{response}, "
                         f"&throughType<v16::{action.name}Request>, &throughType<v16::{action.name}Response>}},")
    parts = [BANNER, "#include \"ocpp/catalogue.h\"", "#include \"ocpp/messages.h\"", "#include \"ocpp/schemarules.h\"", "",
             "namespace linkray::ocpp {", "", "namespace {", "",
             "template <typename Message>", "QJsonObject throughType(const QJsonObject& payload)", "{",
             "    return Message::fromJson(payload).toJson();", "}", "",
             "using schema::Format;", "using schema::JsonType;", "using schema::ObjectRule;",
             "using schema::PropertyRule;", "using schema::ValueRule;", ""]
    parts += writer.lines
    parts += ["", "} // namespace", "", "const QList<ActionInfo>& allActions()", "{",
              "    static const QList<ActionInfo> actions{"]
    parts += catalogue
    parts += ["    };", "    return actions;", "}", "", "} // namespace linkray::ocpp", ""]
    return "\n".join(parts)
