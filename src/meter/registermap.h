#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace linkray::meter {

// What a register holds, in the units of MeterReading.
enum class Quantity {
    VoltageL1,
    VoltageL2,
    VoltageL3,
    CurrentL1,
    CurrentL2,
    CurrentL3,
    PowerL1,
    PowerL2,
    PowerL3,
    TotalPower,
    ImportedEnergy,
    ExportedEnergy,
};

enum class RegisterFunction { Input, Holding }; // Modbus function 04 or 03
enum class ValueType { Int16, UInt16, Int32, UInt32, Int64, UInt64, Float32 };
enum class WordOrder { BigEndian, LittleEndian }; // high word first, or low word first

// One value of a register map: where it is, how it is encoded and how it becomes V, A, W or Wh.
struct RegisterField {
    Quantity quantity = Quantity::VoltageL1;
    RegisterFunction function = RegisterFunction::Input;
    int address = 0; // relative to RegisterMap::baseAddress
    ValueType type = ValueType::Float32;
    WordOrder wordOrder = WordOrder::BigEndian;
    double factor = 1.0; // raw * factor [* 10^scale register] * unit multiplier = value in V, A, W or Wh
    std::optional<int> scaleFactorAddress; // SunSpec sunssf: an int16 exponent register, relative like address
    std::optional<quint64> invalidRaw; // raw register bits meaning "not available"
    QString unit; // V, A, W, kW, Wh or kWh
};

// A register identifying the model (SunSpec model id): a reading is not trusted unless it holds one of the values.
struct IdentifyRegister {
    RegisterFunction function = RegisterFunction::Holding;
    int address = 0;
    QVector<quint16> values;
};

// A meter model's register table, loaded from resources/meters/<id>.json or from the configuration.
struct RegisterMap {
    QString id;
    QString name;
    int baseAddress = 0; // added to every address; SunSpec maps are relative to the model's id register
    int maxGap = 16; // registers that may be read and thrown away to save a request
    int maxBlockSize = 125; // registers per request (the Modbus limit)
    std::optional<IdentifyRegister> identify;
    QVector<RegisterField> fields;
};

int registerCount(ValueType type);
// The JSON name of a quantity, as register maps and the http-json meter's configuration spell it: "voltageL1" …
QString quantityName(Quantity quantity);
std::optional<Quantity> quantityNamed(const QString& name);
// Every quantity, in the order of the enum.
QVector<Quantity> allQuantities();

// Parses and validates a map in the JSON shape of resources/meters/*.json. On failure returns nothing and sets
// *error to a message that names the offending field, e.g. `values.voltageL1.type: unknown type "float64" ...`.
std::optional<RegisterMap> parseRegisterMap(const QJsonObject& json, QString* error);

// The maps compiled into LinkRay (resources/meters), by id, e.g. "eastron-sdm630".
QStringList builtInMapIds();
std::optional<RegisterMap> builtInMap(const QString& id, QString* error = nullptr);

} // namespace linkray::meter
