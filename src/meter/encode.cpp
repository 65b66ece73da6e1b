#include "meter/encode.h"

#include "meter/decode.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace linkray::meter {

namespace {

constexpr int MinScaleExponent = -3;
constexpr int MaxScaleExponent = 9;

// The raw values a type holds, as doubles (64-bit types a little inside theirs, so that llround cannot overflow).
std::pair<double, double> rawRange(ValueType type)
{
    switch (type) {
    case ValueType::Int16:
        return {-32768.0, 32767.0};
    case ValueType::UInt16:
        return {0.0, 65535.0};
    case ValueType::Int32:
        return {-2147483648.0, 2147483647.0};
    case ValueType::UInt32:
        return {0.0, 4294967295.0};
    case ValueType::Int64:
        return {-9.2e18, 9.2e18};
    case ValueType::UInt64:
        return {0.0, 9.2e18};
    case ValueType::Float32:
        break;
    }
    return {-3.4e38, 3.4e38};
}

double rawValue(const RegisterField& field, double value, int exponent)
{
    return value / (field.factor * unitMultiplier(field.unit) * std::pow(10.0, exponent));
}

quint64 toBits(ValueType type, double raw)
{
    const auto [low, high] = rawRange(type);
    const double clamped = std::clamp(raw, low, high);
    if (type == ValueType::Float32) {
        const float value = static_cast<float>(clamped);
        quint32 bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        return bits;
    }
    const int width = 16 * registerCount(type);
    const quint64 bits = static_cast<quint64>(std::llround(clamped));
    return width == 64 ? bits : bits & ((quint64(1) << width) - 1);
}

void writeWords(QMap<int, quint16>& table, int address, int count, WordOrder order, quint64 bits)
{
    for (int i = 0; i < count; ++i) {
        const int index = order == WordOrder::BigEndian ? i : count - 1 - i;
        table[address + index] = static_cast<quint16>(bits >> (16 * (count - 1 - i)));
    }
}

// The exponent of each scale-factor register (keyed by function and absolute address): the smallest that keeps
// every value sharing it inside its type, for the most precision.
QHash<std::pair<int, int>, int> scaleExponents(const RegisterMap& map, MeterReading& reading)
{
    QHash<std::pair<int, int>, int> exponents;
    for (const RegisterField& field : map.fields) {
        if (!field.scaleFactorAddress)
            continue;
        const auto key = std::make_pair(static_cast<int>(field.function), map.baseAddress + *field.scaleFactorAddress);
        int exponent = exponents.value(key, MinScaleExponent);
        if (const std::optional<double> value = valueOf(reading, field.quantity)) {
            const auto [low, high] = rawRange(field.type);
            while (exponent < MaxScaleExponent
                && (rawValue(field, *value, exponent) < low || rawValue(field, *value, exponent) > high))
                ++exponent;
        }
        exponents.insert(key, exponent);
    }
    return exponents;
}

} // namespace

RegisterTables encodeReading(const RegisterMap& map, const MeterReading& reading)
{
    MeterReading values = reading; // valueOf() hands out the fields of a reading it may change
    RegisterTables tables;
    if (map.identify && !map.identify->values.isEmpty()) {
        tables.table(map.identify->function)[map.baseAddress + map.identify->address] = map.identify->values.first();
    }
    const QHash<std::pair<int, int>, int> exponents = scaleExponents(map, values);
    for (auto it = exponents.begin(); it != exponents.end(); ++it) {
        tables.table(static_cast<RegisterFunction>(it.key().first))[it.key().second]
            = static_cast<quint16>(static_cast<qint16>(it.value()));
    }
    for (const RegisterField& field : map.fields) {
        const std::optional<double> value = valueOf(values, field.quantity);
        if (!value && !field.invalidRaw)
            continue;
        int exponent = 0;
        if (field.scaleFactorAddress) {
            exponent = exponents.value(
                std::make_pair(static_cast<int>(field.function), map.baseAddress + *field.scaleFactorAddress));
        }
        const quint64 bits = value ? toBits(field.type, rawValue(field, *value, exponent)) : *field.invalidRaw;
        writeWords(tables.table(field.function), map.baseAddress + field.address, registerCount(field.type),
            field.wordOrder, bits);
    }
    return tables;
}

} // namespace linkray::meter
