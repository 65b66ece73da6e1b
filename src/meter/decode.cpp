#include "meter/decode.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace linkray::meter {

namespace {

struct Span {
    RegisterFunction function;
    int start;
    int count;
};

// A value's raw bits, high word first whatever the meter's word order.
std::optional<quint64> rawBits(const RegisterMap& map, const QVector<ReadBlock>& blocks,
    const QVector<QVector<quint16>>& words, RegisterFunction function, int address, int count, WordOrder order)
{
    const int absolute = map.baseAddress + address;
    for (int b = 0; b < blocks.size() && b < words.size(); ++b) {
        const ReadBlock& block = blocks.at(b);
        if (block.function != function || absolute < block.start || absolute + count > block.start + block.count)
            continue;
        const QVector<quint16>& blockWords = words.at(b);
        const int offset = absolute - block.start;
        if (offset + count > blockWords.size())
            return std::nullopt;
        quint64 raw = 0;
        for (int i = 0; i < count; ++i) {
            const int index = order == WordOrder::BigEndian ? i : count - 1 - i;
            raw = (raw << 16) | blockWords.at(offset + index);
        }
        return raw;
    }
    return std::nullopt;
}

double toDouble(quint64 raw, ValueType type)
{
    switch (type) {
    case ValueType::Int16:
        return double(qint16(quint16(raw)));
    case ValueType::UInt16:
        return double(quint16(raw));
    case ValueType::Int32:
        return double(qint32(quint32(raw)));
    case ValueType::UInt32:
        return double(quint32(raw));
    case ValueType::Int64:
        return double(qint64(raw));
    case ValueType::UInt64:
        return double(raw);
    case ValueType::Float32: {
        const quint32 bits = quint32(raw);
        float value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return double(value);
    }
    }
    return std::nan("");
}

} // namespace

double unitMultiplier(const QString& unit)
{
    return unit.startsWith(QLatin1Char('k')) ? 1000.0 : 1.0;
}

std::optional<double>& valueOf(MeterReading& reading, Quantity quantity)
{
    switch (quantity) {
    case Quantity::VoltageL1:
    case Quantity::VoltageL2:
    case Quantity::VoltageL3:
        return reading.voltageV[int(quantity) - int(Quantity::VoltageL1)];
    case Quantity::CurrentL1:
    case Quantity::CurrentL2:
    case Quantity::CurrentL3:
        return reading.currentA[int(quantity) - int(Quantity::CurrentL1)];
    case Quantity::PowerL1:
    case Quantity::PowerL2:
    case Quantity::PowerL3:
        return reading.powerW[int(quantity) - int(Quantity::PowerL1)];
    case Quantity::TotalPower:
        return reading.totalPowerW;
    case Quantity::ImportedEnergy:
        return reading.importedWh;
    case Quantity::ExportedEnergy:
        break;
    }
    return reading.exportedWh;
}

QVector<ReadBlock> planReads(const RegisterMap& map)
{
    QVector<Span> spans;
    for (const RegisterField& field : map.fields) {
        spans.append({field.function, map.baseAddress + field.address, registerCount(field.type)});
        if (field.scaleFactorAddress)
            spans.append({field.function, map.baseAddress + *field.scaleFactorAddress, 1});
    }
    if (map.identify)
        spans.append({map.identify->function, map.baseAddress + map.identify->address, 1});
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
        return std::make_pair(a.function, a.start) < std::make_pair(b.function, b.start);
    });

    QVector<ReadBlock> blocks;
    for (const Span& span : spans) {
        if (!blocks.isEmpty()) {
            ReadBlock& last = blocks.last();
            const int end = std::max(last.start + last.count, span.start + span.count);
            if (last.function == span.function && span.start - (last.start + last.count) <= map.maxGap
                && end - last.start <= map.maxBlockSize) {
                last.count = end - last.start;
                continue;
            }
        }
        blocks.append({span.function, span.start, span.count});
    }
    return blocks;
}

MeterReading decodeReading(
    const RegisterMap& map, const QVector<ReadBlock>& blocks, const QVector<QVector<quint16>>& words)
{
    MeterReading reading;
    for (int b = 0; b < blocks.size(); ++b) {
        const int got = b < words.size() ? int(words.at(b).size()) : 0;
        if (got < blocks.at(b).count) {
            reading.distrust(QStringLiteral("read of %1 registers at %2 returned %3")
                                 .arg(blocks.at(b).count)
                                 .arg(blocks.at(b).start)
                                 .arg(got));
            return reading;
        }
    }
    if (map.identify) {
        const IdentifyRegister& id = *map.identify;
        const auto raw = rawBits(map, blocks, words, id.function, id.address, 1, WordOrder::BigEndian);
        if (!raw || !id.values.contains(quint16(*raw))) {
            reading.distrust(QStringLiteral("register %1 holds %2, not a %3 model id")
                                 .arg(map.baseAddress + id.address)
                                 .arg(raw ? QString::number(*raw) : QStringLiteral("nothing"))
                                 .arg(map.name));
            return reading;
        }
    }

    for (const RegisterField& field : map.fields) {
        const int count = registerCount(field.type);
        const auto raw = rawBits(map, blocks, words, field.function, field.address, count, field.wordOrder);
        if (!raw || (field.invalidRaw && *raw == *field.invalidRaw))
            continue;
        double value = toDouble(*raw, field.type) * field.factor * unitMultiplier(field.unit);
        if (field.scaleFactorAddress) {
            const auto sf
                = rawBits(map, blocks, words, field.function, *field.scaleFactorAddress, 1, WordOrder::BigEndian);
            // 0x8000 is SunSpec's "not implemented" for a scale factor: the value cannot be scaled.
            if (!sf || *sf == 0x8000)
                continue;
            value *= std::pow(10.0, qint16(quint16(*sf)));
        }
        valueOf(reading, field.quantity) = value;
    }
    return reading;
}

} // namespace linkray::meter
