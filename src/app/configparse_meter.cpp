#include "app/configsections.h"
#include "meter/jsonpointer.h"
#include "meter/registermap.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

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

// Never repeats the URL: it might carry a password, which is refused precisely because it is a secret.
QString meterUrlProblem(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1))
        return u"must be an http:// or https:// URL such as http://192.168.1.60/rpc/EM.GetStatus?id=0"_s;
    if (!url.userInfo().isEmpty())
        return u"must not contain a user name or password: set meter.username and meter.password"_s;
    return {};
}

QString usernameProblem(const QString& username)
{
    if (username.contains(u':'))
        return u"must not contain \":\" (HTTP Basic auth separates the user name from the password with it)"_s;
    return {};
}

// values: an object per value of the reading, named as in a register map: {"pointer": "/…", "scale": 0.001}.
void readJsonValues(FieldReader& r, MeterConfig& meter)
{
    const QJsonValue json = r.value("values"_L1);
    if (json.isObject() && json.toObject().isEmpty()) {
        QStringList names;
        for (const meter::Quantity quantity : meter::allQuantities())
            names.append(meter::quantityName(quantity));
        r.error("values"_L1, u"must hold at least one of %1"_s.arg(names.join(", "_L1)));
        return;
    }
    r.object("values"_L1, [&](FieldReader& values) {
        for (const meter::Quantity quantity : meter::allQuantities()) {
            const QString name = meter::quantityName(quantity);
            const QByteArray key = name.toLatin1();
            values.object(QLatin1String(key), [&](FieldReader& value) {
                JsonValueConfig entry;
                value.require("pointer"_L1, u"an RFC 6901 JSON pointer such as \"/emeters/0/current\""_s);
                bool valid = value.text("pointer"_L1, entry.pointer, 1, 500, meter::jsonPointerProblem);
                if (value.number("scale"_L1, entry.scale, -1.0e9, 1.0e9) && entry.scale == 0.0) {
                    value.error("scale"_L1, u"must not be 0"_s);
                    valid = false;
                }
                if (valid && value.has("pointer"_L1))
                    meter.values.insert(name, entry);
            });
        }
    });
}

void readHttpCredentials(FieldReader& r, MeterConfig& meter)
{
    r.text("username"_L1, meter.username, 1, 100, usernameProblem);
    if (r.has("password"_L1) && !r.has("username"_L1))
        r.error("password"_L1, u"needs a username"_s);
    else
        r.text("password"_L1, meter.password, 1, 200);
}

} // namespace

void readMeter(FieldReader& r, MeterConfig& meter)
{
    // With an invalid type every key is read, so that only the type is reported.
    const bool typeValid = r.choice("type"_L1, meter.type, MeterTypeChoices);
    const bool tcp = !typeValid || meter.type == MeterType::ModbusTcp;
    const bool rtu = !typeValid || meter.type == MeterType::ModbusRtu;
    const bool http = !typeValid || meter.type == MeterType::HttpJson;
    const auto forMeter = [&](QLatin1String key) {
        return r.allowedIf(
            key, tcp || rtu || http, u"applies to a meter only; \"type\" is \"none\" (a static limit)"_s);
    };
    const auto forType = [&](QLatin1String key, bool applies, MeterType type) {
        return forMeter(key)
            && r.allowedIf(key, applies, u"applies to type \"%1\" only"_s.arg(nameOf(type, MeterTypeChoices)));
    };
    const auto forModbus = [&](QLatin1String key) {
        return forMeter(key)
            && r.allowedIf(key, tcp || rtu, u"applies to the Modbus types only (\"modbus-tcp\", \"modbus-rtu\")"_s);
    };

    if (typeValid && (meter.type == MeterType::ModbusTcp || meter.type == MeterType::ModbusRtu))
        r.require("model"_L1, u"a built-in register map id or \"custom\""_s);
    if (typeValid && meter.type == MeterType::ModbusTcp)
        r.require("host"_L1, u"for type \"modbus-tcp\""_s);
    if (typeValid && meter.type == MeterType::ModbusRtu)
        r.require("serialPort"_L1, u"for type \"modbus-rtu\""_s);
    if (typeValid && meter.type == MeterType::HttpJson) {
        r.require("url"_L1, u"for type \"http-json\""_s);
        r.require("values"_L1, u"for type \"http-json\": where the answer holds each value"_s);
    }

    const bool modelKnown = forModbus("model"_L1) && r.has("model"_L1)
        && r.choice("model"_L1, meter.model, meter::builtInMapIds() << CustomMeterModel);
    if (forModbus("registerMap"_L1))
        readRegisterMap(r, meter, modelKnown);
    if (forModbus("baseAddress"_L1))
        readBaseAddress(r, meter, modelKnown);
    if (forType("host"_L1, tcp, MeterType::ModbusTcp))
        r.text("host"_L1, meter.host, 1, 253, hostProblem);
    if (forType("port"_L1, tcp, MeterType::ModbusTcp))
        r.integer("port"_L1, meter.port, 1, 65535);
    if (forModbus("unitId"_L1))
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
    const bool intervalValid
        = !forMeter("pollIntervalSeconds"_L1) || r.number("pollIntervalSeconds"_L1, meter.pollIntervalSeconds, 0.2, 60);
    if (forMeter("staleAfterPolls"_L1))
        r.integer("staleAfterPolls"_L1, meter.staleAfterPolls, 1, 100);

    if (forType("url"_L1, http, MeterType::HttpJson))
        r.text("url"_L1, meter.url, 1, 2000, meterUrlProblem);
    if (forType("values"_L1, http, MeterType::HttpJson))
        readJsonValues(r, meter);
    if (forType("timeoutSeconds"_L1, http, MeterType::HttpJson)
        && r.number("timeoutSeconds"_L1, meter.timeoutSeconds, 0.1, 60) && intervalValid && meter.timeoutSeconds
        && *meter.timeoutSeconds >= meter.pollIntervalSeconds)
        r.error("timeoutSeconds"_L1,
            u"must be shorter than pollIntervalSeconds (%1 s): a poll still running at the next is abandoned anyway"_s
                .arg(meter.pollIntervalSeconds));
    const bool usernameApplies = forType("username"_L1, http, MeterType::HttpJson);
    if (forType("password"_L1, http, MeterType::HttpJson) && usernameApplies)
        readHttpCredentials(r, meter);
}

} // namespace linkray::app
