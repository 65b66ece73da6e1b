#include "app/config.h"
#include "app/configchoices.h"
#include "app/configreader.h"
#include "app/configsections.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

// One function per section: each lists its keys with their rules, in the order docs/configuration.md gives them.
namespace linkray::app {

namespace {

QString pathPrefixProblem(const QString& prefix)
{
    static const QRegularExpression forbidden(uR"([\s?#])"_s);
    if (!prefix.startsWith(u'/'))
        return u"must start with \"/\""_s;
    if (prefix.endsWith(u'/'))
        return u"must not end with \"/\""_s;
    if (prefix.contains(forbidden))
        return u"must not contain spaces, \"?\" or \"#\""_s;
    return {};
}

QString chargePointIdProblem(const QString& id)
{
    for (const QChar c : id) {
        if (!c.isPrint())
            return u"must contain only printable characters"_s;
        if (c == u'/')
            return u"must not contain \"/\""_s;
    }
    return {};
}

bool isBase64(const QString& text)
{
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    return !text.isEmpty() && decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok;
}

// Only the form is checked here; the hash itself is verified when a charge point connects. The reason never
// repeats the value.
QString passwordHashProblem(const QString& hash)
{
    const QStringList parts = hash.split(u'$');
    bool iterationsValid = false;
    if (parts.size() == 4) {
        static const QRegularExpression digits(u"^[0-9]+$"_s);
        iterationsValid = digits.match(parts[1]).hasMatch() && parts[1].toUInt() > 0;
    }
    if (!iterationsValid || parts[0] != "pbkdf2-sha256"_L1 || !isBase64(parts[2]) || !isBase64(parts[3]))
        return u"must have the form pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>"
               " (made by `linkray --hash-password`)"_s;
    return {};
}

void readVersion(FieldReader& root)
{
    const QJsonValue version = root.value("configVersion"_L1);
    const QString supported = u"this build reads configVersion %1"_s.arg(SupportedConfigVersion);
    if (version.isUndefined())
        root.error("configVersion"_L1, u"is required; "_s + supported);
    else if (version != QJsonValue(SupportedConfigVersion))
        root.error("configVersion"_L1, u"unsupported version; "_s + supported);
}

void readOcpp(FieldReader& r, OcppConfig& ocpp)
{
    r.hostAddress("listenAddress"_L1, ocpp.listenAddress);
    r.integer("port"_L1, ocpp.port, 0, 65535);
    r.text("pathPrefix"_L1, ocpp.pathPrefix, 1, 200, pathPrefixProblem);
    const bool maxFrameValid = r.integer("maxFrameBytes"_L1, ocpp.maxFrameBytes, 1024, 1048576);
    const bool hardFrameValid = r.integer("hardFrameBytes"_L1, ocpp.hardFrameBytes, 1024, 16777216);
    r.integer("pingIntervalSeconds"_L1, ocpp.pingIntervalSeconds, 0, 3600);
    r.integer("pongTimeoutSeconds"_L1, ocpp.pongTimeoutSeconds, 1, 600);
    r.integer("callTimeoutSeconds"_L1, ocpp.callTimeoutSeconds, 1, 600);
    r.integer("heartbeatIntervalSeconds"_L1, ocpp.heartbeatIntervalSeconds, 10, 86400);
    r.choice("unknownChargePoints"_L1, ocpp.unknownChargePoints, UnknownChargePointChoices);
    r.boolean("requireBasicAuth"_L1, ocpp.requireBasicAuth);
    r.boolean("strict"_L1, ocpp.strict);

    if (maxFrameValid && hardFrameValid && ocpp.hardFrameBytes < ocpp.maxFrameBytes)
        r.error("hardFrameBytes"_L1,
            u"must be at least %1 (%2)"_s.arg(r.pathOf(u"maxFrameBytes"_s)).arg(ocpp.maxFrameBytes));
}

void readWeb(FieldReader& r, WebConfig& web)
{
    r.boolean("enabled"_L1, web.enabled);
    r.hostAddress("listenAddress"_L1, web.listenAddress);
    r.integer("port"_L1, web.port, 0, 65535);
    r.boolean("https"_L1, web.https);
    r.text("certificateFile"_L1, web.certificateFile, 1, 4096, absolutePathProblem);
    r.text("keyFile"_L1, web.keyFile, 1, 4096, absolutePathProblem);
    if (r.has("certificateFile"_L1))
        r.require("keyFile"_L1, u"with certificateFile: the certificate's private key"_s);
    if (r.has("keyFile"_L1))
        r.require("certificateFile"_L1, u"with keyFile: the certificate of that key"_s);
    if (r.has("certificateFile"_L1) && !web.https)
        r.error("certificateFile"_L1, u"is only used with https: true"_s);
}

// The PIN hash has a charge point password's form: `linkray --set-hmi-pin` (or `--hash-password`) makes it.
void readHmi(FieldReader& r, HmiConfig& hmi)
{
    r.boolean("enabled"_L1, hmi.enabled);
    r.choice("language"_L1, hmi.language, hmiLanguages());
    r.text("pinHash"_L1, hmi.pinHash, 1, 512, passwordHashProblem);
    r.text("idTag"_L1, hmi.idTag, 1, 20);
    r.boolean("fullScreen"_L1, hmi.fullScreen);
    if (r.has("pin"_L1))
        r.error("pin"_L1, u"a plaintext PIN is not accepted: set it with `linkray --set-hmi-pin` (pinHash)"_s);
}

// What the charge points are read against: the sections read before them, and what they tell back.
struct ChargePointContext {
    const Config& config;
    const CsmsKeysSeen& csmsSeen;
    QHash<QString, QString> ids;
    bool csmsUrlGiven = false;
};

ChargePointConfig readChargePoint(FieldReader& r, ChargePointContext& context)
{
    const OcppConfig& ocpp = context.config.ocpp;
    const SiteConfig& site = context.config.site;
    QHash<QString, QString>& ids = context.ids;
    ChargePointConfig chargePoint;
    r.require("id"_L1);
    if (r.text("id"_L1, chargePoint.id, 1, 48, chargePointIdProblem) && !chargePoint.id.isEmpty())
        r.unique("id"_L1, chargePoint.id, ids);
    r.text("name"_L1, chargePoint.name, 0, 100);
    r.text("passwordHash"_L1, chargePoint.passwordHash, 1, 512, passwordHashProblem);
    r.boolean("strict"_L1, chargePoint.strict);
    r.object("balancing"_L1, [&](FieldReader& balancing) { readBalancing(balancing, chargePoint.balancing, site); });
    if (readChargePointCsms(r, chargePoint.csms, context.config.csms, context.csmsSeen))
        context.csmsUrlGiven = true;

    if (r.has("password"_L1))
        r.error("password"_L1,
            u"plaintext passwords are not accepted: put the output of"
            " `linkray --hash-password` in passwordHash (the password LinkRay gives the CSMS goes in csms.password)"_s);
    else if (ocpp.requireBasicAuth && !r.has("passwordHash"_L1))
        r.error("passwordHash"_L1, u"is required because ocpp.requireBasicAuth is true"_s);
    return chargePoint;
}

// OCPP compares idTags case-insensitively, so "abc" and "ABC" are duplicates.
WhitelistEntry readWhitelistEntry(FieldReader& r, QHash<QString, QString>& idTags)
{
    WhitelistEntry entry;
    r.require("idTag"_L1);
    if (r.text("idTag"_L1, entry.idTag, 1, 20) && !entry.idTag.isEmpty())
        r.unique("idTag"_L1, entry.idTag.toCaseFolded(), idTags);
    r.choice("status"_L1, entry.status, TagStatusChoices);
    r.dateTime("expiryDate"_L1, entry.expiryDate);
    r.text("parentIdTag"_L1, entry.parentIdTag, 1, 20);
    r.text("note"_L1, entry.note, 0, 200);
    return entry;
}

void readAuthorization(FieldReader& r, AuthorizationConfig& authorization)
{
    r.choice("unknownTags"_L1, authorization.unknownTags, UnknownTagChoices);
    r.boolean("pushLocalList"_L1, authorization.pushLocalList);
    QHash<QString, QString> idTags;
    r.objects(
        "whitelist"_L1, [&](FieldReader& item) { authorization.whitelist.append(readWhitelistEntry(item, idTags)); });
}

} // namespace

QString ConfigError::message() const
{
    return path.isEmpty() ? reason : path + ": "_L1 + reason;
}

ConfigResult parseConfig(const QJsonObject& root)
{
    QList<ConfigError> errors;
    Config config;
    FieldReader reader(root, QString(), errors);

    readVersion(reader);
    reader.choice("mode"_L1, config.mode, ModeChoices);
    reader.object("ocpp"_L1, [&](FieldReader& r) { readOcpp(r, config.ocpp); });
    // Before the charge points, whose balancing settings name the site's groups.
    reader.object("site"_L1, [&](FieldReader& r) { readSite(r, config.site); });
    reader.object("meter"_L1, [&](FieldReader& r) { readMeter(r, config.meter); });
    // Before the charge points too, whose own csms settings fall back on it.
    CsmsKeysSeen csmsSeen;
    reader.object("csms"_L1, [&](FieldReader& r) { csmsSeen = readCsms(r, config.csms); });
    ChargePointContext chargePoints {config, csmsSeen, {}, false};
    reader.objects(
        "chargePoints"_L1, [&](FieldReader& item) { config.chargePoints.append(readChargePoint(item, chargePoints)); });
    checkCsms(reader, config, csmsSeen, chargePoints.csmsUrlGiven);
    reader.object("authorization"_L1, [&](FieldReader& r) { readAuthorization(r, config.authorization); });
    reader.object("storage"_L1, [&](FieldReader& r) {
        r.integer("messageLogMaxEntries"_L1, config.storage.messageLogMaxEntries, 1000, 10000000);
        r.integer("maxDatabaseMegabytes"_L1, config.storage.maxDatabaseMegabytes, 1, 1048576);
    });
    reader.object("logging"_L1, [&](FieldReader& r) { r.text("rules"_L1, config.logging.rules, 0, 100000); });
    reader.object("web"_L1, [&](FieldReader& r) { readWeb(r, config.web); });
    reader.object("hmi"_L1, [&](FieldReader& r) { readHmi(r, config.hmi); });
    reader.reportUnknownKeys();

    if (!errors.isEmpty())
        return errors;
    return config;
}

ConfigResult parseConfig(const QByteArray& json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QList<ConfigError> {
            {QString(), u"not valid JSON at offset %1: %2"_s.arg(parseError.offset).arg(parseError.errorString())}};
    if (!document.isObject())
        return QList<ConfigError> {{QString(), u"the configuration must be a JSON object"_s}};
    return parseConfig(document.object());
}

} // namespace linkray::app
