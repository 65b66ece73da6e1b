#include "sim/simconfig.h"

#include "sim/jsonreader.h"
#include "sim/siteload.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace linkray::sim {

namespace {

enum class ValueKind { Number, Text, List, NumberList };

// Every setting once: its flag, its JSON key, and whether it describes a charger batch (JSON "chargers" entries).
struct Setting {
    const char* flag;
    const char* key;
    ValueKind kind;
    bool perGroup;
    const char* help;
    const char* valueName;
};

constexpr Setting Settings[] = {
    {"url", "url", ValueKind::Text, false, "CSMS URL; the charge point id is appended as the last path segment.",
        "url"},
    {"count", "count", ValueKind::Number, true, "Number of charge points (default 1).", "n"},
    {"id-prefix", "idPrefix", ValueKind::Text, false, "Charge point id prefix (default SIM-, giving SIM-001...).",
        "prefix"},
    {"connectors", "connectors", ValueKind::Number, true, "Connectors per charge point (default 1).", "n"},
    {"type", "type", ValueKind::Text, true, "Charger type: ac1, ac3 or dc (default ac3).", "type"},
    {"max-current", "maxCurrent", ValueKind::Number, true, "AC: maximum current per phase in A (default 32).", "A"},
    {"max-power-kw", "maxPowerKw", ValueKind::Number, true, "DC: maximum power in kW (default 50).", "kW"},
    {"voltage", "voltage", ValueKind::Number, true, "Phase voltage in V (default 230).", "V"},
    {"tags", "tags", ValueKind::List, false, "RFID tags presented by arriving cars (default SIM-TAG-01...08).",
        "tag,tag"},
    {"password", "password", ValueKind::Text, false, "Basic auth password (user = charge point id); off if empty.",
        "password"},
    {"arrival-mean-minutes", "arrivalMeanMinutes", ValueKind::Number, false,
        "Mean time between car arrivals per charge point, simulated minutes (default 30).", "min"},
    {"dwell-mean-minutes", "dwellMeanMinutes", ValueKind::Number, false,
        "Mean time a car stays plugged in, simulated minutes (default 60).", "min"},
    {"meter-interval-seconds", "meterIntervalSeconds", ValueKind::Number, false,
        "MeterValues interval during a transaction, simulated seconds (default 60).", "s"},
    {"time-scale", "timeScale", ValueKind::Number, false, "Simulated seconds per real second (default 1).", "x"},
    {"seed", "seed", ValueKind::Number, false, "Seed of the random arrivals and dwell times (default 1).", "n"},
    {"site-phase", "sitePhase", ValueKind::Number, true, "Site phase the charger's L1 is wired to, 1-3 (default 1).",
        "n"},
    {"car-phases", "carPhases", ValueKind::Number, true, "ac3: phases the cars draw on, 1-3 (default 3).", "n"},
    {"profile-delay-seconds", "profileDelaySeconds", ValueKind::Number, false,
        "Simulated seconds from a new profile limit to the car's new current (default 5).", "s"},
    {"ignore-profiles", "ignoreProfiles", ValueKind::Number, false,
        "The first n charge points ignore charging profiles (default 0).", "n"},
    {"meter-port", "meterPort", ValueKind::Number, false, "Modbus TCP port of the simulated site meter (0 = off).",
        "port"},
    {"meter-unit-id", "meterUnitId", ValueKind::Number, false, "Modbus unit id of the site meter (default 1).", "id"},
    {"base-load-a", "baseLoadA", ValueKind::NumberList, false,
        "Site load besides the chargers, A per phase: one value or L1,L2,L3 (default 20).", "A"},
    {"base-load-file", "baseLoadFile", ValueKind::Text, false,
        "File holding the base load (as --base-load-a), re-read when it changes.", "path"},
};

// Keys of a "chargers" batch that are not flags of their own.
const QLatin1String BatchIgnoresProfilesKey("ignoreProfiles");

const QLatin1String ChargersKey("chargers");

QString flagName(const Setting& setting)
{
    return QLatin1String(setting.flag);
}

QString keyName(const Setting& setting)
{
    return QLatin1String(setting.key);
}

bool readGroup(const QJsonObject& json, JsonReader& reader, ChargerGroup& group)
{
    QString typeName = chargerTypeName(group.type);
    if (!reader.integer(json, "count", 1, 9999, group.count)
        || !reader.integer(json, "connectors", 1, 10, group.connectors)
        || !reader.number(json, "maxCurrent", 6, group.maxCurrentA)
        || !reader.number(json, "maxPowerKw", 1, group.maxPowerKw) || !reader.number(json, "voltage", 1, group.voltageV)
        || !reader.text(json, "type", typeName))
        return false;
    const auto type = chargerTypeFromName(typeName);
    if (!type)
        return reader.fail("type", QStringLiteral("must be ac1, ac3 or dc, not \"%1\"").arg(typeName));
    group.type = *type;
    return reader.integer(json, "sitePhase", 1, 3, group.sitePhase)
        && reader.integer(json, "carPhases", 1, 3, group.carPhases);
}

// In a batch, ignoreProfiles is a boolean for the whole batch (at the top level it counts charge points).
bool readBatchIgnoresProfiles(const QJsonObject& json, JsonReader& reader, ChargerGroup& group)
{
    const QJsonValue value = json.value(BatchIgnoresProfilesKey);
    if (value.isUndefined())
        return true;
    if (!value.isBool())
        return reader.fail("ignoreProfiles", QStringLiteral("must be true or false in a batch"));
    group.ignoreProfiles = value.toBool();
    return true;
}

bool readSiteMeter(const QJsonObject& json, JsonReader& reader, SiteMeterSettings& meter)
{
    int port = meter.port;
    if (!reader.integer(json, "meterPort", 0, 65535, port) || !reader.integer(json, "meterUnitId", 1, 247, meter.unitId)
        || !reader.text(json, "baseLoadFile", meter.baseLoadFile))
        return false;
    meter.port = static_cast<quint16>(port);
    const QJsonValue baseLoad = json.value(QLatin1String("baseLoadA"));
    if (baseLoad.isUndefined())
        return true;
    const auto parsed = baseLoadFromJson(baseLoad);
    if (!parsed)
        return reader.fail("baseLoadA", QStringLiteral("must be a number >= 0 or a list of three"));
    meter.baseLoadA = *parsed;
    return true;
}

bool checkKeys(const QJsonObject& json, bool groupOnly, QString& error)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        const bool known = std::any_of(std::begin(Settings), std::end(Settings),
            [&](const Setting& setting) { return keyName(setting) == it.key() && (setting.perGroup || !groupOnly); });
        const bool batchKey = groupOnly && it.key() == BatchIgnoresProfilesKey;
        if (!known && !batchKey && (groupOnly || it.key() != ChargersKey)) {
            error = QStringLiteral("%1: unknown key").arg(it.key());
            return false;
        }
    }
    return true;
}

// The flags as a JSON overlay, so that flags and file share one reader and one set of checks.
std::optional<QJsonObject> flagsAsJson(const QCommandLineParser& parser, QString& error)
{
    QJsonObject overlay;
    for (const Setting& setting : Settings) {
        if (!parser.isSet(flagName(setting)))
            continue;
        const QString value = parser.value(flagName(setting));
        switch (setting.kind) {
        case ValueKind::Number: {
            bool ok = false;
            const double number = value.toDouble(&ok);
            if (!ok) {
                error = QStringLiteral("--%1: \"%2\" is not a number").arg(flagName(setting), value);
                return std::nullopt;
            }
            overlay.insert(keyName(setting), number);
            break;
        }
        case ValueKind::Text:
            overlay.insert(keyName(setting), value);
            break;
        case ValueKind::List:
            overlay.insert(
                keyName(setting), QJsonArray::fromStringList(value.split(QLatin1Char(','), Qt::SkipEmptyParts)));
            break;
        case ValueKind::NumberList: {
            const auto numbers = baseLoadFromText(value);
            if (!numbers) {
                error = QStringLiteral("--%1: \"%2\" is not one number or three").arg(flagName(setting), value);
                return std::nullopt;
            }
            overlay.insert(keyName(setting), QJsonArray {numbers->at(0), numbers->at(1), numbers->at(2)});
            break;
        }
        }
    }
    return overlay;
}

QJsonObject merged(QJsonObject base, const QJsonObject& overlay, bool groupOnly)
{
    for (const Setting& setting : Settings) {
        if (overlay.contains(keyName(setting)) && (setting.perGroup || !groupOnly))
            base.insert(keyName(setting), overlay.value(keyName(setting)));
    }
    return base;
}

} // namespace

QString chargerTypeName(ChargerType type)
{
    switch (type) {
    case ChargerType::Ac1:
        return QStringLiteral("ac1");
    case ChargerType::Ac3:
        return QStringLiteral("ac3");
    case ChargerType::Dc:
        return QStringLiteral("dc");
    }
    return {};
}

std::optional<ChargerType> chargerTypeFromName(const QString& name)
{
    for (ChargerType type : {ChargerType::Ac1, ChargerType::Ac3, ChargerType::Dc}) {
        if (chargerTypeName(type) == name.toLower())
            return type;
    }
    return std::nullopt;
}

QStringList defaultTags()
{
    QStringList tags;
    for (int i = 1; i <= 8; ++i)
        tags.append(QStringLiteral("SIM-TAG-%1").arg(i, 2, 10, QLatin1Char('0')));
    return tags;
}

QList<ChargePointSettings> SimConfig::chargePoints() const
{
    int total = 0;
    for (const ChargerGroup& group : groups)
        total += group.count;
    const int width = std::max(3, static_cast<int>(QString::number(total).size()));
    QList<ChargePointSettings> result;
    for (const ChargerGroup& group : groups) {
        for (int i = 0; i < group.count; ++i) {
            ChargePointSettings settings;
            settings.id = idPrefix + QStringLiteral("%1").arg(result.size() + 1, width, 10, QLatin1Char('0'));
            settings.hardware = group;
            settings.hardware.ignoreProfiles = group.ignoreProfiles || result.size() < ignoreProfiles;
            settings.profileDelaySeconds = profileDelaySeconds;
            settings.tags = tags.isEmpty() ? defaultTags() : tags;
            settings.password = password;
            settings.arrivalMeanMinutes = arrivalMeanMinutes;
            settings.dwellMeanMinutes = dwellMeanMinutes;
            settings.meterIntervalSeconds = meterIntervalSeconds;
            result.append(settings);
        }
    }
    return result;
}

QUrl chargePointUrl(const QUrl& base, const QString& chargePointId)
{
    QUrl url = base;
    QString path = base.path(QUrl::FullyEncoded);
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + QString::fromLatin1(QUrl::toPercentEncoding(chargePointId)), QUrl::StrictMode);
    return url;
}

void addCommandLineOptions(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral("Plays OCPP 1.6J charge points against LinkRay or any CSMS."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("config"), QStringLiteral("JSON file with the settings below (flags win)."),
        QStringLiteral("file")});
    for (const Setting& setting : Settings) {
        parser.addOption({flagName(setting), QLatin1String(setting.help), QLatin1String(setting.valueName)});
    }
}

std::optional<SimConfig> configFromJson(const QJsonObject& json, QString& error)
{
    if (!checkKeys(json, false, error))
        return std::nullopt;
    JsonReader reader(error);
    SimConfig config;
    QString url = config.url.toString();
    ChargerGroup defaults;
    double seed = config.seed;
    if (!reader.text(json, "url", url) || !reader.text(json, "idPrefix", config.idPrefix)
        || !reader.text(json, "password", config.password)
        || !reader.number(json, "arrivalMeanMinutes", 0.01, config.arrivalMeanMinutes)
        || !reader.number(json, "dwellMeanMinutes", 0.01, config.dwellMeanMinutes)
        || !reader.integer(json, "meterIntervalSeconds", 0, 86400, config.meterIntervalSeconds)
        || !reader.number(json, "timeScale", 0.001, config.timeScale) || !reader.number(json, "seed", 0, seed)
        || !reader.number(json, "profileDelaySeconds", 0, config.profileDelaySeconds)
        || !reader.integer(json, "ignoreProfiles", 0, 9999, config.ignoreProfiles) || !readGroup(json, reader, defaults)
        || !readSiteMeter(json, reader, config.meter))
        return std::nullopt;
    config.meter.voltageV = defaults.voltageV;
    config.seed = static_cast<quint32>(seed);
    config.url = QUrl(url, QUrl::StrictMode);
    if (!config.url.isValid()
        || (config.url.scheme() != QLatin1String("ws") && config.url.scheme() != QLatin1String("wss"))) {
        reader.fail("url", QStringLiteral("must be a ws:// or wss:// URL"));
        return std::nullopt;
    }
    if (json.contains(QLatin1String("tags"))) {
        const QJsonValue tags = json.value(QLatin1String("tags"));
        if (!tags.isArray() || tags.toArray().isEmpty()) {
            reader.fail("tags", QStringLiteral("must be a non-empty list of tags"));
            return std::nullopt;
        }
        for (const auto& tag : tags.toArray()) {
            if (!tag.isString() || tag.toString().isEmpty() || tag.toString().size() > 20) {
                reader.fail("tags", QStringLiteral("must be a list of 1 to 20 character strings"));
                return std::nullopt;
            }
            config.tags.append(tag.toString());
        }
    }
    config.groups = {defaults};
    if (json.contains(ChargersKey)) {
        config.groups.clear();
        const QJsonArray chargers = json.value(ChargersKey).toArray();
        for (qsizetype i = 0; i < chargers.size(); ++i) {
            ChargerGroup group = defaults;
            const QJsonObject entry = chargers.at(i).toObject();
            if (!chargers.at(i).isObject())
                error = QStringLiteral("must be an object");
            if (error.isEmpty() && checkKeys(entry, true, error) && readGroup(entry, reader, group)
                && readBatchIgnoresProfiles(entry, reader, group)) {
                config.groups.append(group);
                continue;
            }
            error = QStringLiteral("chargers[%1]: %2").arg(i).arg(error);
            return std::nullopt;
        }
        if (config.groups.isEmpty()) {
            reader.fail("chargers", QStringLiteral("must list at least one batch of chargers"));
            return std::nullopt;
        }
    }
    return config;
}

std::optional<SimConfig> configFromCommandLine(const QCommandLineParser& parser, QString& error)
{
    QJsonObject json;
    if (parser.isSet(QStringLiteral("config"))) {
        QFile file(parser.value(QStringLiteral("config")));
        if (!file.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("--config: cannot read %1: %2").arg(file.fileName(), file.errorString());
            return std::nullopt;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!document.isObject()) {
            error = QStringLiteral("--config: %1 is not a JSON object (%2)")
                        .arg(file.fileName(), parseError.errorString());
            return std::nullopt;
        }
        json = document.object();
    }
    const std::optional<QJsonObject> overlay = flagsAsJson(parser, error);
    if (!overlay)
        return std::nullopt;
    json = merged(json, *overlay, false);
    if (json.contains(ChargersKey)) {
        QJsonArray chargers;
        for (const auto& group : json.value(ChargersKey).toArray())
            chargers.append(group.isObject() ? QJsonValue(merged(group.toObject(), *overlay, true)) : group);
        json.insert(ChargersKey, chargers);
    }
    return configFromJson(json, error);
}

} // namespace linkray::sim
