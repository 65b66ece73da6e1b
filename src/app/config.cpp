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

auto fields(const ChargePointConfig& c)
{
    return std::tie(c.id, c.name, c.passwordHash, c.strict);
}

auto fields(const WhitelistEntry& e)
{
    return std::tie(e.idTag, e.status, e.expiryDate, e.parentIdTag, e.note);
}

auto fields(const AuthorizationConfig& c)
{
    return std::tie(c.unknownTags, c.pushLocalList, c.whitelist);
}

auto fields(const Config& c)
{
    return std::tie(c.mode, c.ocpp, c.chargePoints, c.authorization, c.storage, c.logging);
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

QJsonObject toJson(const ChargePointConfig& chargePoint)
{
    QJsonObject object {{u"id"_s, chargePoint.id}};
    insertIfSet(object, "name"_L1, chargePoint.name);
    insertIfSet(object, "passwordHash"_L1, chargePoint.passwordHash);
    if (chargePoint.strict)
        object.insert("strict"_L1, *chargePoint.strict);
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

template<typename T> QJsonArray toJsonArray(const QList<T>& items)
{
    QJsonArray array;
    for (const T& item : items)
        array.append(toJson(item));
    return array;
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
bool operator==(const StorageConfig& a, const StorageConfig& b)
{
    return a.messageLogMaxEntries == b.messageLogMaxEntries;
}
bool operator==(const LoggingConfig& a, const LoggingConfig& b)
{
    return a.rules == b.rules;
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
        {u"storage"_s, QJsonObject {{u"messageLogMaxEntries"_s, config.storage.messageLogMaxEntries}}},
        {u"logging"_s, QJsonObject {{u"rules"_s, config.logging.rules}}},
    };
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
