#include "meter/registermap.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace linkray::meter {

namespace {

struct Named {
    const char* name;
    int value;
};

constexpr Named quantityNames[] = {
    {"voltageL1", int(Quantity::VoltageL1)},
    {"voltageL2", int(Quantity::VoltageL2)},
    {"voltageL3", int(Quantity::VoltageL3)},
    {"currentL1", int(Quantity::CurrentL1)},
    {"currentL2", int(Quantity::CurrentL2)},
    {"currentL3", int(Quantity::CurrentL3)},
    {"powerL1", int(Quantity::PowerL1)},
    {"powerL2", int(Quantity::PowerL2)},
    {"powerL3", int(Quantity::PowerL3)},
    {"totalPower", int(Quantity::TotalPower)},
    {"importedEnergy", int(Quantity::ImportedEnergy)},
    {"exportedEnergy", int(Quantity::ExportedEnergy)},
};
constexpr Named typeNames[] = {
    {"int16", int(ValueType::Int16)},
    {"uint16", int(ValueType::UInt16)},
    {"int32", int(ValueType::Int32)},
    {"uint32", int(ValueType::UInt32)},
    {"int64", int(ValueType::Int64)},
    {"uint64", int(ValueType::UInt64)},
    {"float32", int(ValueType::Float32)},
};
constexpr Named functionNames[]
    = {{"input", int(RegisterFunction::Input)}, {"holding", int(RegisterFunction::Holding)}};
constexpr Named wordOrderNames[] = {{"big", int(WordOrder::BigEndian)}, {"little", int(WordOrder::LittleEndian)}};
const char* const fieldKeys[] = {"address", "function", "type", "wordOrder", "scale", "unit", "invalid"};

template<std::size_t N> std::optional<int> lookUp(const Named (&table)[N], const QString& name)
{
    for (const Named& entry : table) {
        if (name == QLatin1String(entry.name))
            return entry.value;
    }
    return std::nullopt;
}

template<std::size_t N> QString choices(const Named (&table)[N])
{
    QStringList names;
    for (const Named& entry : table)
        names << QLatin1String(entry.name);
    return names.join(QStringLiteral(", "));
}

// Collects the first error with the path of the field it is about.
class Parser {
public:
    explicit Parser(QString* error)
        : m_error(error)
    {
    }
    bool failed() const { return m_failed; }

    // Returns nullopt so that a parse step can `return parser.fail(...)`.
    std::nullopt_t fail(const QString& path, const QString& reason)
    {
        if (!m_failed && m_error)
            *m_error = path + QStringLiteral(": ") + reason;
        m_failed = true;
        return std::nullopt;
    }

    std::optional<int> integer(const QString& path, const QJsonValue& value, qint64 min, qint64 max)
    {
        const double d = value.toDouble(std::nan(""));
        if (!value.isDouble() || d != std::floor(d) || d < double(min) || d > double(max)) {
            fail(path, QStringLiteral("expected an integer from %1 to %2").arg(min).arg(max));
            return std::nullopt;
        }
        return int(d);
    }

    template<std::size_t N>
    std::optional<int> choice(const QString& path, const QJsonValue& value, const Named (&table)[N], const char* what)
    {
        const auto found = lookUp(table, value.toString());
        if (!found)
            fail(path,
                QStringLiteral("unknown %1 \"%2\" (expected one of: %3)")
                    .arg(QLatin1String(what), value.toVariant().toString(), choices(table)));
        return found;
    }

private:
    QString* m_error;
    bool m_failed = false;
};

bool unitFits(Quantity quantity, const QString& unit)
{
    switch (quantity) {
    case Quantity::VoltageL1:
    case Quantity::VoltageL2:
    case Quantity::VoltageL3:
        return unit == QLatin1String("V");
    case Quantity::CurrentL1:
    case Quantity::CurrentL2:
    case Quantity::CurrentL3:
        return unit == QLatin1String("A");
    case Quantity::PowerL1:
    case Quantity::PowerL2:
    case Quantity::PowerL3:
    case Quantity::TotalPower:
        return unit == QLatin1String("W") || unit == QLatin1String("kW");
    case Quantity::ImportedEnergy:
    case Quantity::ExportedEnergy:
        return unit == QLatin1String("Wh") || unit == QLatin1String("kWh");
    }
    return false;
}

// The raw bits a configured "invalid" stands for: a hex string is the bits, a number is a value of the type.
std::optional<quint64> invalidBits(Parser& parser, const QString& path, const QJsonValue& value, ValueType type)
{
    const int bits = registerCount(type) * 16;
    const quint64 mask = bits == 64 ? ~quint64(0) : (quint64(1) << bits) - 1;
    if (value.isString()) {
        const QString text = value.toString();
        bool ok = false;
        const quint64 raw = text.startsWith(QLatin1String("0x")) ? text.mid(2).toULongLong(&ok, 16) : 0;
        if (!ok || (raw & ~mask) != 0) {
            parser.fail(path, QStringLiteral("\"%1\" is not a %2-bit hex value like \"0x8000\"").arg(text).arg(bits));
            return std::nullopt;
        }
        return raw;
    }
    if (!value.isDouble()) {
        parser.fail(path, QStringLiteral("expected a number or a hex string"));
        return std::nullopt;
    }
    const double d = value.toDouble();
    if (type == ValueType::Float32) {
        const float f = float(d);
        quint32 raw = 0;
        std::memcpy(&raw, &f, sizeof raw);
        return raw;
    }
    const bool isSigned = type == ValueType::Int16 || type == ValueType::Int32 || type == ValueType::Int64;
    const double min = isSigned ? -std::ldexp(1.0, bits - 1) : 0.0;
    const double max = isSigned ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
    if (d != std::floor(d) || d < min || d > max) {
        parser.fail(path, QStringLiteral("%1 does not fit the register type (use a hex string for raw bits)").arg(d));
        return std::nullopt;
    }
    return quint64(qint64(d)) & mask;
}

std::optional<RegisterField> parseField(
    Parser& parser, Quantity quantity, const QString& valuePath, const QJsonObject& value, const QJsonObject& defaults)
{
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (std::find_if(std::begin(fieldKeys), std::end(fieldKeys),
                [&](const char* key) { return it.key() == QLatin1String(key); })
            == std::end(fieldKeys)) {
            parser.fail(valuePath + QLatin1Char('.') + it.key(), QStringLiteral("unknown key"));
            return std::nullopt;
        }
    }
    // A key missing from the value is taken from "defaults"; errors name where it came from.
    auto pathOf = [&](const char* key) {
        return value.contains(QLatin1String(key)) ? valuePath + QLatin1Char('.') + QLatin1String(key)
                                                  : QStringLiteral("defaults.") + QLatin1String(key);
    };
    auto get = [&](const char* key) {
        return value.contains(QLatin1String(key)) ? value.value(QLatin1String(key))
                                                  : defaults.value(QLatin1String(key));
    };

    RegisterField field;
    field.quantity = quantity;
    if (get("address").isUndefined()) {
        parser.fail(valuePath + QStringLiteral(".address"), QStringLiteral("missing"));
        return std::nullopt;
    }
    const auto address = parser.integer(pathOf("address"), get("address"), 0, 65535);
    const auto function = get("function").isUndefined()
        ? std::optional<int>(int(RegisterFunction::Input))
        : parser.choice(pathOf("function"), get("function"), functionNames, "function");
    const auto type = get("type").isUndefined() ? std::optional<int>()
                                                : parser.choice(pathOf("type"), get("type"), typeNames, "type");
    if (get("type").isUndefined())
        parser.fail(valuePath + QStringLiteral(".type"), QStringLiteral("missing"));
    const auto wordOrder = get("wordOrder").isUndefined()
        ? std::optional<int>(int(WordOrder::BigEndian))
        : parser.choice(pathOf("wordOrder"), get("wordOrder"), wordOrderNames, "word order");
    if (parser.failed())
        return std::nullopt;
    field.address = *address;
    field.function = RegisterFunction(*function);
    field.type = ValueType(*type);
    field.wordOrder = WordOrder(*wordOrder);

    const QJsonValue scale = get("scale");
    if (scale.isObject()) {
        const QJsonObject sunssf = scale.toObject();
        if (sunssf.keys() != QStringList {QStringLiteral("register")})
            return parser.fail(
                pathOf("scale"), QStringLiteral("a scale-factor object has exactly one key, \"register\""));
        const auto sfAddress = parser.integer(
            pathOf("scale") + QStringLiteral(".register"), sunssf.value(QLatin1String("register")), 0, 65535);
        if (!sfAddress)
            return std::nullopt;
        field.scaleFactorAddress = *sfAddress;
    } else if (!scale.isUndefined()) {
        const double factor = scale.toDouble(0.0);
        if (!scale.isDouble() || factor == 0.0 || !std::isfinite(factor))
            return parser.fail(
                pathOf("scale"), QStringLiteral("expected a non-zero number or {\"register\": <address>}"));
        field.factor = factor;
    }

    field.unit = get("unit").toString();
    if (!unitFits(quantity, field.unit))
        return parser.fail(pathOf("unit"),
            QStringLiteral("\"%1\" is not a unit of %2 (V, A, W or kW, Wh or kWh)")
                .arg(get("unit").toVariant().toString(), quantityName(quantity)));

    if (!get("invalid").isUndefined()) {
        field.invalidRaw = invalidBits(parser, pathOf("invalid"), get("invalid"), field.type);
        if (!field.invalidRaw)
            return std::nullopt;
    }
    return field;
}

} // namespace

int registerCount(ValueType type)
{
    switch (type) {
    case ValueType::Int16:
    case ValueType::UInt16:
        return 1;
    case ValueType::Int32:
    case ValueType::UInt32:
    case ValueType::Float32:
        return 2;
    case ValueType::Int64:
    case ValueType::UInt64:
        return 4;
    }
    return 1;
}

QString quantityName(Quantity quantity)
{
    for (const Named& entry : quantityNames) {
        if (entry.value == int(quantity))
            return QLatin1String(entry.name);
    }
    return {};
}

std::optional<Quantity> quantityNamed(const QString& name)
{
    const auto quantity = lookUp(quantityNames, name);
    if (!quantity)
        return std::nullopt;
    return Quantity(*quantity);
}

QVector<Quantity> allQuantities()
{
    QVector<Quantity> quantities;
    for (const Named& entry : quantityNames)
        quantities << Quantity(entry.value);
    return quantities;
}

std::optional<RegisterMap> parseRegisterMap(const QJsonObject& json, QString* error)
{
    Parser parser(error);
    static const QStringList mapKeys = {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("baseAddress"),
        QStringLiteral("maxGap"), QStringLiteral("maxBlockSize"), QStringLiteral("defaults"),
        QStringLiteral("identify"), QStringLiteral("values")};
    for (const QString& key : json.keys()) {
        if (!mapKeys.contains(key))
            return parser.fail(key, QStringLiteral("unknown key"));
    }

    RegisterMap map;
    map.id = json.value(QLatin1String("id")).toString();
    map.name = json.value(QLatin1String("name")).toString(map.id);
    if (json.contains(QLatin1String("baseAddress")))
        map.baseAddress
            = parser.integer(QStringLiteral("baseAddress"), json.value(QLatin1String("baseAddress")), 0, 65535)
                  .value_or(0);
    if (json.contains(QLatin1String("maxGap")))
        map.maxGap = parser.integer(QStringLiteral("maxGap"), json.value(QLatin1String("maxGap")), 0, 125).value_or(0);
    if (json.contains(QLatin1String("maxBlockSize")))
        map.maxBlockSize
            = parser.integer(QStringLiteral("maxBlockSize"), json.value(QLatin1String("maxBlockSize")), 4, 125)
                  .value_or(4);
    const QJsonValue defaults = json.value(QLatin1String("defaults"));
    if (!defaults.isUndefined() && !defaults.isObject())
        parser.fail(QStringLiteral("defaults"), QStringLiteral("expected an object"));
    if (parser.failed())
        return std::nullopt;

    const QJsonValue identify = json.value(QLatin1String("identify"));
    if (!identify.isUndefined()) {
        const QJsonObject object = identify.toObject();
        IdentifyRegister id;
        id.address
            = parser.integer(QStringLiteral("identify.address"), object.value(QLatin1String("address")), 0, 65535)
                  .value_or(0);
        if (object.contains(QLatin1String("function")))
            id.function = RegisterFunction(parser
                                               .choice(QStringLiteral("identify.function"),
                                                   object.value(QLatin1String("function")), functionNames, "function")
                                               .value_or(0));
        const QJsonArray values = object.value(QLatin1String("values")).toArray();
        if (values.isEmpty())
            parser.fail(
                QStringLiteral("identify.values"), QStringLiteral("expected a non-empty array of register values"));
        for (int i = 0; i < values.size(); ++i)
            id.values << quint16(
                parser.integer(QStringLiteral("identify.values[%1]").arg(i), values.at(i), 0, 65535).value_or(0));
        if (parser.failed())
            return std::nullopt;
        map.identify = id;
    }

    const QJsonValue values = json.value(QLatin1String("values"));
    if (!values.isObject() || values.toObject().isEmpty())
        return parser.fail(QStringLiteral("values"), QStringLiteral("expected an object with at least one value"));
    const QJsonObject valueObject = values.toObject();
    for (auto it = valueObject.begin(); it != valueObject.end(); ++it) {
        const QString path = QStringLiteral("values.") + it.key();
        const auto quantity = lookUp(quantityNames, it.key());
        if (!quantity)
            return parser.fail(path, QStringLiteral("unknown value (expected one of: %1)").arg(choices(quantityNames)));
        if (!it.value().isObject())
            return parser.fail(path, QStringLiteral("expected an object"));
        const auto field = parseField(parser, Quantity(*quantity), path, it.value().toObject(), defaults.toObject());
        if (!field)
            return std::nullopt;
        const int last = map.baseAddress + field->address + registerCount(field->type) - 1;
        if (last > 65535)
            return parser.fail(path + QStringLiteral(".address"), QStringLiteral("ends beyond register 65535"));
        map.fields << *field;
    }
    return map;
}

QStringList builtInMapIds()
{
    QStringList ids = QDir(QStringLiteral(":/meters")).entryList({QStringLiteral("*.json")}, QDir::Files);
    for (QString& id : ids)
        id.chop(5);
    return ids;
}

std::optional<RegisterMap> builtInMap(const QString& id, QString* error)
{
    QFile file(QStringLiteral(":/meters/%1.json").arg(id));
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("no built-in register map \"%1\" (known: %2)")
                         .arg(id, builtInMapIds().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        if (error)
            *error = QStringLiteral("%1.json: %2").arg(id, parseError.errorString());
        return std::nullopt;
    }
    return parseRegisterMap(document.object(), error);
}

} // namespace linkray::meter
