#pragma once

// The rules of the OCPP 1.6 JSON schemas as constant tables (generated into catalogue_data.cpp), read by the
// validation engine in validation.cpp. Only the keywords the official schemas use are represented.
namespace linkray::ocpp::schema {

enum class JsonType { String, Integer, Number, Boolean, Object, Array };

enum class Format { None, DateTime, Uri };

struct ObjectRule;

struct ValueRule {
    JsonType type;
    Format format;
    int maxLength; // -1: no limit
    const char* const* enumValues; // nullptr: any value
    int enumCount;
    bool hasMinimum;
    double minimum;
    double multipleOf; // 0: no constraint
    const ObjectRule* object; // JsonType::Object
    const ValueRule* items; // JsonType::Array
    int minItems;
};

struct PropertyRule {
    const char* name;
    bool required;
    ValueRule value;
};

struct ObjectRule {
    const PropertyRule* properties; // nullptr when the object has none
    int propertyCount;
    bool additionalProperties;

    const PropertyRule* begin() const { return properties; }
    const PropertyRule* end() const { return properties + propertyCount; }
};

} // namespace linkray::ocpp::schema
