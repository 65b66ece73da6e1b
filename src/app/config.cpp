#include "app/config.h"

#include "app/configchoices.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <fcntl.h>
#include <tuple>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace linkray::app {

namespace {

auto fields(const OcppConfig& c)
{
    return std::tie(c.listenAddress, c.port, c.pathPrefix, c.maxFrameBytes, c.hardFrameBytes, c.pingIntervalSeconds,
        c.pongTimeoutSeconds, c.callTimeoutSeconds, c.heartbeatIntervalSeconds, c.unknownChargePoints,
        c.requireBasicAuth, c.strict);
}

auto fields(const BalancingConfig& c)
{
    return std::tie(c.enabled, c.group, c.priority, c.kind, c.phaseRotation, c.minCurrentA, c.maxCurrentA, c.minPowerKw,
        c.maxPowerKw, c.onePhaseFallback, c.followsProfiles, c.profilePurpose, c.rateUnit);
}

auto fields(const ChargePointCsmsConfig& c)
{
    return std::tie(c.url, c.credentials, c.password);
}

auto fields(const ChargePointConfig& c)
{
    return std::tie(c.id, c.name, c.passwordHash, c.strict, c.balancing, c.csms);
}

auto fields(const WhitelistEntry& e)
{
    return std::tie(e.idTag, e.status, e.expiryDate, e.parentIdTag, e.note);
}

auto fields(const AuthorizationConfig& c)
{
    return std::tie(c.unknownTags, c.pushLocalList, c.whitelist);
}

auto fields(const SiteGroupConfig& g)
{
    return std::tie(g.id, g.parent, g.phaseLimitA, g.powerLimitKw);
}

auto fields(const ControlConfig& c)
{
    return std::tie(c.hysteresisA, c.hysteresisW, c.increaseDelaySeconds, c.rampStepA, c.failSafeAfterSeconds,
        c.profileId, c.stackLevel);
}

auto fields(const SiteConfig& c)
{
    return std::tie(c.phaseLimitA, c.powerLimitKw, c.safetyMarginA, c.failSafeLimitA, c.voltage,
        c.rotationIntervalMinutes, c.groups, c.control);
}

auto fields(const MeterConfig& c)
{
    return std::tie(c.type, c.model, c.registerMap, c.host, c.port, c.unitId, c.serialPort, c.baudRate, c.parity,
        c.dataBits, c.stopBits, c.pollIntervalSeconds, c.staleAfterPolls, c.baseAddress, c.url, c.values,
        c.timeoutSeconds, c.username, c.password);
}

auto fields(const CsmsTlsConfig& c)
{
    return std::tie(c.caFile, c.clientCertificateFile, c.clientKeyFile);
}

auto fields(const CsmsReconnectConfig& c)
{
    return std::tie(c.initialSeconds, c.maxSeconds);
}

auto fields(const CsmsConfig& c)
{
    return std::tie(c.url, c.credentials, c.tls, c.connectTimeoutSeconds, c.answerTimeoutSeconds,
        c.firstFrameWaitSeconds, c.reconnect, c.replayAttempts, c.outboxMaxMessages, c.provisionalTransactionIdsFrom);
}

auto fields(const WebConfig& c)
{
    return std::tie(c.enabled, c.listenAddress, c.port, c.https, c.certificateFile, c.keyFile);
}

auto fields(const HmiConfig& c)
{
    return std::tie(c.enabled, c.language, c.pinHash, c.idTag, c.fullScreen);
}

auto fields(const Config& c)
{
    return std::tie(
        c.mode, c.ocpp, c.chargePoints, c.authorization, c.storage, c.logging, c.web, c.site, c.meter, c.csms, c.hmi);
}

void insertIfSet(QJsonObject& object, QLatin1String key, const QString& text)
{
    if (!text.isEmpty())
        object.insert(key, text);
}

QJsonObject toJson(const OcppConfig& ocpp)
{
    return {
        {u"listenAddress"_s, ocpp.listenAddress.toString()},
        {u"port"_s, ocpp.port},
        {u"pathPrefix"_s, ocpp.pathPrefix},
        {u"maxFrameBytes"_s, ocpp.maxFrameBytes},
        {u"hardFrameBytes"_s, ocpp.hardFrameBytes},
        {u"pingIntervalSeconds"_s, ocpp.pingIntervalSeconds},
        {u"pongTimeoutSeconds"_s, ocpp.pongTimeoutSeconds},
        {u"callTimeoutSeconds"_s, ocpp.callTimeoutSeconds},
        {u"heartbeatIntervalSeconds"_s, ocpp.heartbeatIntervalSeconds},
        {u"unknownChargePoints"_s, nameOf(ocpp.unknownChargePoints, UnknownChargePointChoices)},
        {u"requireBasicAuth"_s, ocpp.requireBasicAuth},
        {u"strict"_s, ocpp.strict},
    };
}

QJsonObject toJson(const WebConfig& web)
{
    QJsonObject object {
        {u"enabled"_s, web.enabled},
        {u"listenAddress"_s, web.listenAddress.toString()},
        {u"port"_s, web.port},
        {u"https"_s, web.https},
    };
    insertIfSet(object, "certificateFile"_L1, web.certificateFile);
    insertIfSet(object, "keyFile"_L1, web.keyFile);
    return object;
}

QJsonObject toJson(const HmiConfig& hmi)
{
    QJsonObject object {
        {u"enabled"_s, hmi.enabled},
        {u"language"_s, hmi.language},
        {u"idTag"_s, hmi.idTag},
        {u"fullScreen"_s, hmi.fullScreen},
    };
    insertIfSet(object, "pinHash"_L1, hmi.pinHash);
    return object;
}

template<typename T> void insertIfSet(QJsonObject& object, QLatin1String key, const std::optional<T>& value)
{
    if (value)
        object.insert(key, *value);
}

QJsonObject toJson(const StorageConfig& storage)
{
    QJsonObject object {{u"messageLogMaxEntries"_s, storage.messageLogMaxEntries}};
    insertIfSet(object, "maxDatabaseMegabytes"_L1, storage.maxDatabaseMegabytes);
    return object;
}

// One number when the three phases agree, as people write it.
QJsonValue toJson(const PhaseCurrents& values)
{
    if (values[0] == values[1] && values[1] == values[2])
        return values[0];
    return QJsonArray {values[0], values[1], values[2]};
}

// Only the keys of the charger's kind: the others are refused when read.
QJsonObject toJson(const BalancingConfig& balancing)
{
    QJsonArray rotation;
    for (const Phase phase : balancing.phaseRotation)
        rotation.append(nameOf(phase, PhaseChoices));
    QJsonObject object {
        {u"enabled"_s, balancing.enabled},
        {u"priority"_s, balancing.priority},
        {u"kind"_s, nameOf(balancing.kind, ChargerKindChoices)},
        {u"phaseRotation"_s, rotation},
        {u"followsProfiles"_s, balancing.followsProfiles},
        {u"profilePurpose"_s, nameOf(balancing.profilePurpose, ProfilePurposeChoices)},
    };
    insertIfSet(object, "group"_L1, balancing.group);
    if (balancing.rateUnit)
        object.insert("rateUnit"_L1, nameOf(*balancing.rateUnit, ChargingRateUnitChoices));
    if (balancing.kind == ChargerKind::Dc) {
        insertIfSet(object, "minPowerKw"_L1, balancing.minPowerKw);
        insertIfSet(object, "maxPowerKw"_L1, balancing.maxPowerKw);
    } else {
        object.insert("minCurrentA"_L1, balancing.minCurrentA);
        object.insert("maxCurrentA"_L1, balancing.maxCurrentA);
    }
    if (balancing.kind == ChargerKind::Ac3Phase)
        object.insert("onePhaseFallback"_L1, balancing.onePhaseFallback);
    return object;
}

// The password is written too: the file is where it is kept (docs/configuration.md says how to protect it).
QJsonObject toJson(const ChargePointCsmsConfig& csms)
{
    QJsonObject object;
    insertIfSet(object, "url"_L1, csms.url);
    if (csms.credentials)
        object.insert("credentials"_L1, nameOf(*csms.credentials, CsmsCredentialsChoices));
    insertIfSet(object, "password"_L1, csms.password);
    return object;
}

QJsonObject toJson(const ChargePointConfig& chargePoint)
{
    QJsonObject object {{u"id"_s, chargePoint.id}, {u"balancing"_s, toJson(chargePoint.balancing)}};
    insertIfSet(object, "name"_L1, chargePoint.name);
    insertIfSet(object, "passwordHash"_L1, chargePoint.passwordHash);
    insertIfSet(object, "strict"_L1, chargePoint.strict);
    const QJsonObject csms = toJson(chargePoint.csms);
    if (!csms.isEmpty())
        object.insert("csms"_L1, csms);
    return object;
}

QJsonObject toJson(const WhitelistEntry& entry)
{
    QJsonObject object {{u"idTag"_s, entry.idTag}, {u"status"_s, nameOf(entry.status, TagStatusChoices)}};
    if (entry.expiryDate.isValid())
        object.insert("expiryDate"_L1, entry.expiryDate.toUTC().toString(Qt::ISODateWithMs));
    insertIfSet(object, "parentIdTag"_L1, entry.parentIdTag);
    insertIfSet(object, "note"_L1, entry.note);
    return object;
}

QJsonObject toJson(const SiteGroupConfig& group)
{
    QJsonObject object {{u"id"_s, group.id}, {u"phaseLimitA"_s, toJson(group.phaseLimitA)}};
    insertIfSet(object, "parent"_L1, group.parent);
    insertIfSet(object, "powerLimitKw"_L1, group.powerLimitKw);
    return object;
}

template<typename T> QJsonArray toJsonArray(const QList<T>& items)
{
    QJsonArray array;
    for (const T& item : items)
        array.append(toJson(item));
    return array;
}

QJsonObject toJson(const SiteConfig& site)
{
    const ControlConfig& control = site.control;
    QJsonObject object {
        {u"phaseLimitA"_s, toJson(site.phaseLimitA)},
        {u"safetyMarginA"_s, site.safetyMarginA},
        {u"failSafeLimitA"_s, site.failSafeLimitA},
        {u"voltage"_s, site.voltage},
        {u"rotationIntervalMinutes"_s, site.rotationIntervalMinutes},
        {u"groups"_s, toJsonArray(site.groups)},
        {u"control"_s,
            QJsonObject {
                {u"hysteresisA"_s, control.hysteresisA},
                {u"hysteresisW"_s, control.hysteresisW},
                {u"increaseDelaySeconds"_s, control.increaseDelaySeconds},
                {u"rampStepA"_s, control.rampStepA},
                {u"failSafeAfterSeconds"_s, control.failSafeAfterSeconds},
                {u"profileId"_s, control.profileId},
                {u"stackLevel"_s, control.stackLevel},
            }},
    };
    insertIfSet(object, "powerLimitKw"_L1, site.powerLimitKw);
    return object;
}

// The password is written too: the file is where it is kept (docs/configuration.md says how to protect it).
void insertHttpJson(QJsonObject& object, const MeterConfig& meter)
{
    object.insert("url"_L1, meter.url);
    QJsonObject values;
    for (auto value = meter.values.cbegin(); value != meter.values.cend(); ++value)
        values.insert(value.key(), QJsonObject {{u"pointer"_s, value->pointer}, {u"scale"_s, value->scale}});
    object.insert("values"_L1, values);
    insertIfSet(object, "timeoutSeconds"_L1, meter.timeoutSeconds);
    insertIfSet(object, "username"_L1, meter.username);
    insertIfSet(object, "password"_L1, meter.password);
}

// Only the keys of the meter's type: the others are refused when read.
QJsonObject toJson(const MeterConfig& meter)
{
    QJsonObject object {{u"type"_s, nameOf(meter.type, MeterTypeChoices)}};
    if (meter.type == MeterType::None)
        return object;
    object.insert("pollIntervalSeconds"_L1, meter.pollIntervalSeconds);
    object.insert("staleAfterPolls"_L1, meter.staleAfterPolls);
    if (meter.type == MeterType::HttpJson) {
        insertHttpJson(object, meter);
        return object;
    }
    object.insert("model"_L1, meter.model);
    if (meter.model == CustomMeterModel)
        object.insert("registerMap"_L1, meter.registerMap);
    insertIfSet(object, "baseAddress"_L1, meter.baseAddress);
    if (meter.type == MeterType::ModbusTcp) {
        object.insert("host"_L1, meter.host);
        object.insert("port"_L1, meter.port);
    } else {
        object.insert("serialPort"_L1, meter.serialPort);
        object.insert("baudRate"_L1, meter.baudRate);
        object.insert("parity"_L1, nameOf(meter.parity, ParityChoices));
        object.insert("dataBits"_L1, meter.dataBits);
        object.insert("stopBits"_L1, meter.stopBits);
    }
    object.insert("unitId"_L1, meter.unitId);
    return object;
}

QJsonObject toJson(const CsmsConfig& csms)
{
    QJsonObject object {
        {u"credentials"_s, nameOf(csms.credentials, CsmsCredentialsChoices)},
        {u"connectTimeoutSeconds"_s, csms.connectTimeoutSeconds},
        {u"answerTimeoutSeconds"_s, csms.answerTimeoutSeconds},
        {u"firstFrameWaitSeconds"_s, csms.firstFrameWaitSeconds},
        {u"reconnect"_s,
            QJsonObject {
                {u"initialSeconds"_s, csms.reconnect.initialSeconds},
                {u"maxSeconds"_s, csms.reconnect.maxSeconds},
            }},
        {u"replayAttempts"_s, csms.replayAttempts},
        {u"outboxMaxMessages"_s, csms.outboxMaxMessages},
        {u"provisionalTransactionIdsFrom"_s, csms.provisionalTransactionIdsFrom},
    };
    insertIfSet(object, "url"_L1, csms.url);
    QJsonObject tls;
    insertIfSet(tls, "caFile"_L1, csms.tls.caFile);
    insertIfSet(tls, "clientCertificateFile"_L1, csms.tls.clientCertificateFile);
    insertIfSet(tls, "clientKeyFile"_L1, csms.tls.clientKeyFile);
    if (!tls.isEmpty())
        object.insert("tls"_L1, tls);
    return object;
}

// QSaveFile fsyncs the file before the rename; the directory entry needs its own fsync to survive a power cut.
void syncDirectoryOf(const QString& path)
{
    const QByteArray directory = QFile::encodeName(QFileInfo(path).absolutePath());
    const int descriptor = ::open(directory.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor >= 0) {
        ::fsync(descriptor);
        ::close(descriptor);
    }
}

} // namespace

bool operator==(const OcppConfig& a, const OcppConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const BalancingConfig& a, const BalancingConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const ChargePointConfig& a, const ChargePointConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const WhitelistEntry& a, const WhitelistEntry& b)
{
    return fields(a) == fields(b);
}
bool operator==(const AuthorizationConfig& a, const AuthorizationConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const WebConfig& a, const WebConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const StorageConfig& a, const StorageConfig& b)
{
    return a.messageLogMaxEntries == b.messageLogMaxEntries && a.maxDatabaseMegabytes == b.maxDatabaseMegabytes;
}
bool operator==(const LoggingConfig& a, const LoggingConfig& b)
{
    return a.rules == b.rules;
}
bool operator==(const SiteGroupConfig& a, const SiteGroupConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const ControlConfig& a, const ControlConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const SiteConfig& a, const SiteConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const JsonValueConfig& a, const JsonValueConfig& b)
{
    return a.pointer == b.pointer && a.scale == b.scale;
}
bool operator==(const MeterConfig& a, const MeterConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const ChargePointCsmsConfig& a, const ChargePointCsmsConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const CsmsTlsConfig& a, const CsmsTlsConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const CsmsReconnectConfig& a, const CsmsReconnectConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const CsmsConfig& a, const CsmsConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const HmiConfig& a, const HmiConfig& b)
{
    return fields(a) == fields(b);
}
bool operator==(const Config& a, const Config& b)
{
    return fields(a) == fields(b);
}

QJsonObject toJson(const Config& config)
{
    return {
        {u"configVersion"_s, SupportedConfigVersion},
        {u"mode"_s, nameOf(config.mode, ModeChoices)},
        {u"ocpp"_s, toJson(config.ocpp)},
        {u"chargePoints"_s, toJsonArray(config.chargePoints)},
        {u"authorization"_s,
            QJsonObject {
                {u"unknownTags"_s, nameOf(config.authorization.unknownTags, UnknownTagChoices)},
                {u"pushLocalList"_s, config.authorization.pushLocalList},
                {u"whitelist"_s, toJsonArray(config.authorization.whitelist)},
            }},
        {u"storage"_s, toJson(config.storage)},
        {u"logging"_s, QJsonObject {{u"rules"_s, config.logging.rules}}},
        {u"web"_s, toJson(config.web)},
        {u"site"_s, toJson(config.site)},
        {u"meter"_s, toJson(config.meter)},
        {u"csms"_s, toJson(config.csms)},
        {u"hmi"_s, toJson(config.hmi)},
    };
}

QStringList hmiLanguages()
{
    return {u"en"_s, u"de"_s};
}

QByteArray benchConfigJson()
{
    QFile file(u":/linkray/bench-config.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("The embedded bench configuration is missing: the resource was not linked in");
    return file.readAll();
}

ConfigResult loadConfigFile(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return QList<ConfigError> {{QString(), u"configuration file not found: %1"_s.arg(path)}};
    if (!file.open(QIODevice::ReadOnly))
        return QList<ConfigError> {{QString(), u"cannot read %1: %2"_s.arg(path, file.errorString())}};
    const QByteArray json = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return QList<ConfigError> {{QString(), u"cannot read %1: %2"_s.arg(path, file.errorString())}};
    return parseConfig(json);
}

bool writeConfigFileAtomically(const QString& path, const Config& config, QString* error)
{
    // Qt 6.4's commit() ignores an error of its final flush and would rename a truncated file over the old one (a full
    // disk), so flush first; an uncommitted QSaveFile removes its temporary file.
    const QByteArray json = QJsonDocument(toJson(config)).toJson(QJsonDocument::Indented);
    QSaveFile file(path);
    const bool written
        = file.open(QIODevice::WriteOnly) && file.write(json) == json.size() && file.flush() && file.commit();
    if (!written) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    syncDirectoryOf(path);
    return true;
}

} // namespace linkray::app
