#include "app/configsections.h"
#include "meter/registermap.h"

#include <QHostAddress>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

// The meter section: each type takes its own keys and refuses the others', so that a setting cannot be written
// where it has no effect.
namespace linkray::app {

namespace {

QString hostProblem(const QString& host)
{
    static const QRegularExpression hostName(
        uR"(^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$)"_s);
    if (QHostAddress(host).isNull() && !hostName.match(host).hasMatch())
        return u"must be an IP address or a host name such as meter.local"_s;
    return {};
}

// The highest register offset the map reads, so that a base address cannot push a read beyond register 65535.
int highestOffset(const meter::RegisterMap& map)
{
    int highest = map.identify ? map.identify->address : 0;
    for (const meter::RegisterField& field : map.fields) {
        highest = std::max(highest, field.address + meter::registerCount(field.type) - 1);
        highest = std::max(highest, field.scaleFactorAddress.value_or(0));
    }
    return highest;
}

// While the model is unknown (missing or misspelt) both are read, so that only the model is reported.
void readRegisterMap(FieldReader& r, MeterConfig& meter, bool modelKnown)
{
    const bool custom = meter.model == CustomMeterModel;
    if (!r.allowedIf("registerMap"_L1, custom || !modelKnown, u"applies to model \"custom\" only"_s))
        return;
    if (custom)
        r.require("registerMap"_L1, u"for model \"custom\""_s);
    const QJsonValue json = r.value("registerMap"_L1);
    if (json.isUndefined())
        return;
    QString problem;
    if (!json.isObject())
        r.error("registerMap"_L1, u"must be an object: a register map as docs/meters.md describes it"_s);
    else if (!meter::parseRegisterMap(json.toObject(), &problem))
        r.error("registerMap"_L1, problem);
    else
        meter.registerMap = json.toObject();
}

void readBaseAddress(FieldReader& r, MeterConfig& meter, bool modelKnown)
{
    const QString onlySunSpec
        = u"applies to model \"%1\" only (a custom register map sets its own baseAddress)"_s.arg(SunSpecMeterModel);
    if (!r.allowedIf("baseAddress"_L1, meter.model == SunSpecMeterModel || !modelKnown, onlySunSpec))
        return;
    const std::optional<meter::RegisterMap> sunSpec = meter::builtInMap(SunSpecMeterModel);
    int address = 0;
    if (sunSpec && r.has("baseAddress"_L1) && r.integer("baseAddress"_L1, address, 0, 65535 - highestOffset(*sunSpec)))
        meter.baseAddress = address;
}

} // namespace

void readMeter(FieldReader& r, MeterConfig& meter)
{
    // With an invalid type every key is read, so that only the type is reported.
    const bool typeValid = r.choice("type"_L1, meter.type, MeterTypeChoices);
    const bool tcp = !typeValid || meter.type == MeterType::ModbusTcp;
    const bool rtu = !typeValid || meter.type == MeterType::ModbusRtu;
    const auto forMeter = [&](QLatin1String key) {
        return r.allowedIf(key, tcp || rtu, u"applies to a meter only; \"type\" is \"none\" (a static limit)"_s);
    };
    const auto forType = [&](QLatin1String key, bool applies, MeterType type) {
        return forMeter(key)
            && r.allowedIf(key, applies, u"applies to type \"%1\" only"_s.arg(nameOf(type, MeterTypeChoices)));
    };

    if (typeValid && meter.type != MeterType::None)
        r.require("model"_L1, u"a built-in register map id or \"custom\""_s);
    if (typeValid && meter.type == MeterType::ModbusTcp)
        r.require("host"_L1, u"for type \"modbus-tcp\""_s);
    if (typeValid && meter.type == MeterType::ModbusRtu)
        r.require("serialPort"_L1, u"for type \"modbus-rtu\""_s);

    const bool modelKnown = forMeter("model"_L1) && r.has("model"_L1)
        && r.choice("model"_L1, meter.model, meter::builtInMapIds() << CustomMeterModel);
    if (forMeter("registerMap"_L1))
        readRegisterMap(r, meter, modelKnown);
    if (forMeter("baseAddress"_L1))
        readBaseAddress(r, meter, modelKnown);
    if (forType("host"_L1, tcp, MeterType::ModbusTcp))
        r.text("host"_L1, meter.host, 1, 253, hostProblem);
    if (forType("port"_L1, tcp, MeterType::ModbusTcp))
        r.integer("port"_L1, meter.port, 1, 65535);
    if (forMeter("unitId"_L1))
        r.integer("unitId"_L1, meter.unitId, 1, 247);
    if (forType("serialPort"_L1, rtu, MeterType::ModbusRtu))
        r.text("serialPort"_L1, meter.serialPort, 1, 200);
    if (forType("baudRate"_L1, rtu, MeterType::ModbusRtu))
        r.integer("baudRate"_L1, meter.baudRate, 1200, 115200);
    if (forType("parity"_L1, rtu, MeterType::ModbusRtu))
        r.choice("parity"_L1, meter.parity, ParityChoices);
    if (forType("dataBits"_L1, rtu, MeterType::ModbusRtu))
        r.integer("dataBits"_L1, meter.dataBits, 7, 8);
    if (forType("stopBits"_L1, rtu, MeterType::ModbusRtu))
        r.integer("stopBits"_L1, meter.stopBits, 1, 2);
    if (forMeter("pollIntervalSeconds"_L1))
        r.number("pollIntervalSeconds"_L1, meter.pollIntervalSeconds, 0.2, 60);
    if (forMeter("staleAfterPolls"_L1))
        r.integer("staleAfterPolls"_L1, meter.staleAfterPolls, 1, 100);
}

} // namespace linkray::app
