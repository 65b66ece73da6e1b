#include "app/config.h"
#include "app/configreader.h"
#include "configtest.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <sys/resource.h>

using namespace Qt::Literals::StringLiterals;
using linkray::app::Config;
using linkray::app::ConfigError;
using linkray::app::ConfigResult;
using namespace configtest;

namespace {

// ocpp(), chargePoints() and whitelist() fill one section of a doc().
QByteArray ocpp(const QByteArray& members)
{
    return doc(R"("ocpp": {)" + members + '}');
}

QByteArray chargePoints(const QByteArray& items)
{
    return doc(R"("chargePoints": [)" + items + ']');
}

QByteArray whitelist(const QByteArray& items)
{
    return doc(R"("authorization": {"whitelist": [)" + items + "]}");
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A configuration with every key away from its default and every optional field set.
Config everythingSet()
{
    Config config;
    config.ocpp.listenAddress = QHostAddress(u"::1"_s);
    config.ocpp.port = 9001;
    config.ocpp.pathPrefix = u"/steve/websocket"_s;
    config.ocpp.maxFrameBytes = 2048;
    config.ocpp.hardFrameBytes = 4096;
    config.ocpp.pingIntervalSeconds = 0;
    config.ocpp.pongTimeoutSeconds = 5;
    config.ocpp.callTimeoutSeconds = 45;
    config.ocpp.heartbeatIntervalSeconds = 900;
    config.ocpp.unknownChargePoints = linkray::app::UnknownChargePointPolicy::Pending;
    config.ocpp.requireBasicAuth = true;
    config.ocpp.strict = true;
    config.chargePoints = {
        {u"CP-01"_s, u"Garage left"_s, u"pbkdf2-sha256$100000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNo"_s, false, {}, {}},
        {u"CP-02"_s, QString(), u"pbkdf2-sha256$1$YQ==$Yg=="_s, std::nullopt, {}, {}},
    };
    linkray::app::BalancingConfig& ac = config.chargePoints[0].balancing;
    ac.enabled = false;
    ac.group = u"left"_s;
    ac.priority = -3;
    ac.phaseRotation = {linkray::app::Phase::L2, linkray::app::Phase::L3, linkray::app::Phase::L1};
    ac.minCurrentA = 8.5;
    ac.maxCurrentA = 16;
    ac.onePhaseFallback = true;
    ac.followsProfiles = false;
    linkray::app::BalancingConfig& dc = config.chargePoints[1].balancing;
    dc.kind = linkray::app::ChargerKind::Dc;
    dc.minPowerKw = 2.5;
    dc.maxPowerKw = 150;
    config.site.phaseLimitA = {63, 50, 63};
    config.site.powerLimitKw = 40;
    config.site.safetyMarginA = 0;
    config.site.failSafeLimitA = 10;
    config.site.voltage = 240;
    config.site.rotationIntervalMinutes = 30;
    config.site.groups = {{u"garage"_s, QString(), {40, 40, 40}, 25}, {u"left"_s, u"garage"_s, {20, 25, 20}, {}}};
    config.site.control = {0.5, 250, 5, 2.5, 600, 4711, 3};
    config.meter.type = linkray::app::MeterType::ModbusTcp;
    config.meter.model = u"sunspec-meter"_s;
    config.meter.baseAddress = 40121;
    config.meter.host = u"meter.local"_s;
    config.meter.port = 1502;
    config.meter.unitId = 247;
    config.meter.pollIntervalSeconds = 0.5;
    config.meter.staleAfterPolls = 5;
    config.authorization.unknownTags = linkray::app::UnknownTagPolicy::Accept;
    config.authorization.pushLocalList = false;
    config.authorization.whitelist = {
        {u"TAG-1"_s, linkray::app::TagStatus::Blocked, QDateTime(QDate(2027, 3, 4), QTime(5, 6, 7, 890), Qt::UTC),
            u"FLEET"_s, u"lost card"_s},
        {u"FLEET"_s, linkray::app::TagStatus::Accepted, QDateTime(), QString(), QString()},
    };
    config.storage.messageLogMaxEntries = 5000;
    config.logging.rules = u"linkray.ocpp.debug=true"_s;
    return config;
}

} // namespace

class TestConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void invalidConfigurationIsRejected_data();
    void invalidConfigurationIsRejected();
    void boundaryValuesAreAccepted();
    void expiryDateIsStoredInUtc();
    void missingOptionalKeysTakeTheirDefaults();
    void benchConfigParses();
    void documentedExampleParses();
    void toJsonRoundTrips();
    void allErrorsAreReportedAtOnce();
    void passwordsAreNotRepeatedInErrors();
    void closestKeySuggestsLikelyTypos_data();
    void closestKeySuggestsLikelyTypos();
    void loadConfigFileReportsFileProblems_data();
    void loadConfigFileReportsFileProblems();
    void loadConfigFileReadsAWrittenFile();
    void atomicWriteReplacesTheFile();
    void failedWriteLeavesTheOldFileIntact();
};

void TestConfig::invalidConfigurationIsRejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");

    const QString integer = u"must be an integer from %1 to %2"_s;
    const QString boolean = u"must be true or false"_s;
    const QByteArray id49(49, 'x');
    const QByteArray text101(101, 'n');
    const QByteArray text201(201, 'n');
    const QString whitelist0 = u"authorization.whitelist[0]"_s;

    QTest::newRow("not json") << R"({"configVersion": 1,)"_ba << QString() << u"not valid JSON at offset"_s;
    QTest::newRow("not an object") << R"([1])"_ba << QString() << u"must be a JSON object"_s;
    QTest::newRow("version missing") << R"({})"_ba << u"configVersion"_s
                                     << u"is required; this build reads configVersion 1"_s;
    QTest::newRow("version 2") << R"({"configVersion": 2})"_ba << u"configVersion"_s
                               << u"unsupported version; this build reads configVersion 1"_s;
    QTest::newRow("version as text") << R"({"configVersion": "1"})"_ba << u"configVersion"_s
                                     << u"unsupported version"_s;
    QTest::newRow("mode unknown") << doc(R"("mode": "turbo")") << u"mode"_s << u"must be one of \"offline\""_s;
    QTest::newRow("root key typo") << doc(R"("chargepoints": [])") << u"chargepoints"_s
                                   << u"unknown key (did you mean \"chargePoints\"?)"_s;

    QTest::newRow("ocpp not object") << doc(R"("ocpp": [])") << u"ocpp"_s << u"must be an object"_s;
    QTest::newRow("listenAddress name") << ocpp(R"("listenAddress": "localhost")") << u"ocpp.listenAddress"_s
                                        << u"must be an IP address"_s;
    QTest::newRow("listenAddress number")
        << ocpp(R"("listenAddress": 127)") << u"ocpp.listenAddress"_s << u"must be an IP address"_s;
    QTest::newRow("port too big") << ocpp(R"("port": 65536)") << u"ocpp.port"_s << integer.arg(0).arg(65535);
    QTest::newRow("port negative") << ocpp(R"("port": -1)") << u"ocpp.port"_s << integer.arg(0).arg(65535);
    QTest::newRow("port fraction") << ocpp(R"("port": 80.5)") << u"ocpp.port"_s << integer.arg(0).arg(65535);
    QTest::newRow("port as text") << ocpp(R"("port": "8180")") << u"ocpp.port"_s << integer.arg(0).arg(65535);
    QTest::newRow("pathPrefix relative") << ocpp(R"("pathPrefix": "ocpp")") << u"ocpp.pathPrefix"_s
                                         << u"must start with \"/\""_s;
    QTest::newRow("pathPrefix trailing slash")
        << ocpp(R"("pathPrefix": "/ocpp/")") << u"ocpp.pathPrefix"_s << u"must not end with \"/\""_s;
    QTest::newRow("pathPrefix space") << ocpp(R"("pathPrefix": "/oc pp")") << u"ocpp.pathPrefix"_s
                                      << u"must not contain spaces"_s;
    QTest::newRow("maxFrameBytes small") << ocpp(R"("maxFrameBytes": 1023)") << u"ocpp.maxFrameBytes"_s
                                         << integer.arg(1024).arg(1048576);
    QTest::newRow("hardFrameBytes below max") << ocpp(R"("hardFrameBytes": 2048)") << u"ocpp.hardFrameBytes"_s
                                              << u"must be at least ocpp.maxFrameBytes (65536)"_s;
    QTest::newRow("hardFrameBytes big") << ocpp(R"("hardFrameBytes": 16777217)") << u"ocpp.hardFrameBytes"_s
                                        << integer.arg(1024).arg(16777216);
    QTest::newRow("pingInterval big") << ocpp(R"("pingIntervalSeconds": 3601)") << u"ocpp.pingIntervalSeconds"_s
                                      << integer.arg(0).arg(3600);
    QTest::newRow("pongTimeout zero") << ocpp(R"("pongTimeoutSeconds": 0)") << u"ocpp.pongTimeoutSeconds"_s
                                      << integer.arg(1).arg(600);
    QTest::newRow("callTimeout big") << ocpp(R"("callTimeoutSeconds": 601)") << u"ocpp.callTimeoutSeconds"_s
                                     << integer.arg(1).arg(600);
    QTest::newRow("heartbeat small") << ocpp(R"("heartbeatIntervalSeconds": 9)") << u"ocpp.heartbeatIntervalSeconds"_s
                                     << integer.arg(10).arg(86400);
    QTest::newRow("unknownChargePoints") << ocpp(R"("unknownChargePoints": "allow")") << u"ocpp.unknownChargePoints"_s
                                         << u"must be one of \"accept\", \"pending\", \"reject\""_s;
    QTest::newRow("requireBasicAuth text")
        << ocpp(R"("requireBasicAuth": "yes")") << u"ocpp.requireBasicAuth"_s << boolean;
    QTest::newRow("strict number") << ocpp(R"("strict": 1)") << u"ocpp.strict"_s << boolean;
    QTest::newRow("ocpp key typo") << ocpp(R"("pingInterval": 5)") << u"ocpp.pingInterval"_s
                                   << u"unknown key (did you mean \"pingIntervalSeconds\"?)"_s;

    QTest::newRow("chargePoints not array")
        << doc(R"("chargePoints": {})") << u"chargePoints"_s << u"must be an array of objects"_s;
    QTest::newRow("chargePoint not object")
        << chargePoints(R"("CP1")") << u"chargePoints[0]"_s << u"must be an object"_s;
    QTest::newRow("id missing") << chargePoints(R"({"name": "x"})") << u"chargePoints[0].id"_s << u"is required"_s;
    QTest::newRow("id empty") << chargePoints(R"({"id": ""})") << u"chargePoints[0].id"_s
                              << u"must be a text of 1 to 48 characters"_s;
    QTest::newRow("id too long") << chargePoints(R"({"id": ")" + id49 + R"("})") << u"chargePoints[0].id"_s
                                 << u"must be a text of 1 to 48 characters"_s;
    QTest::newRow("id with slash") << chargePoints(R"({"id": "a/b"})") << u"chargePoints[0].id"_s
                                   << u"must not contain \"/\""_s;
    QTest::newRow("id with control") << chargePoints(R"({"id": "a\u0007"})") << u"chargePoints[0].id"_s
                                     << u"printable"_s;
    QTest::newRow("id duplicate") << chargePoints(R"({"id": "A"}, {"id": "B"}, {"id": "A"})") << u"chargePoints[2].id"_s
                                  << u"duplicate of chargePoints[0].id"_s;
    QTest::newRow("name too long") << chargePoints(R"({"id": "A", "name": ")" + text101 + R"("})")
                                   << u"chargePoints[0].name"_s << u"must be a text of at most 100 characters"_s;
    QTest::newRow("hash not a hash") << chargePoints(R"({"id": "A", "passwordHash": "x"})")
                                     << u"chargePoints[0].passwordHash"_s << u"must have the form pbkdf2-sha256$"_s;
    QTest::newRow("hash other algorithm")
        << chargePoints(R"({"id": "A", "passwordHash": "pbkdf2-sha1$1000$YQ==$Yg=="})")
        << u"chargePoints[0].passwordHash"_s << u"must have the form"_s;
    QTest::newRow("hash zero iterations") << chargePoints(R"({"id": "A", "passwordHash": "pbkdf2-sha256$0$YQ==$Yg=="})")
                                          << u"chargePoints[0].passwordHash"_s << u"must have the form"_s;
    QTest::newRow("hash bad base64") << chargePoints(R"({"id": "A", "passwordHash": "pbkdf2-sha256$10$Y*==$Yg=="})")
                                     << u"chargePoints[0].passwordHash"_s << u"must have the form"_s;
    QTest::newRow("plaintext password") << chargePoints(R"({"id": "A", "password": "x"})")
                                        << u"chargePoints[0].password"_s << u"linkray --hash-password"_s;
    QTest::newRow("basic auth without hash")
        << doc(R"("ocpp": {"requireBasicAuth": true},
                  "chargePoints": [{"id": "A", "passwordHash": "pbkdf2-sha256$10$YQ==$Yg=="}, {"id": "B"}])")
        << u"chargePoints[1].passwordHash"_s << u"is required because ocpp.requireBasicAuth is true"_s;
    QTest::newRow("chargePoint strict text")
        << chargePoints(R"({"id": "A", "strict": "no"})") << u"chargePoints[0].strict"_s << boolean;
    QTest::newRow("chargePoint key typo") << chargePoints(R"({"id": "A", "nmae": "x"})") << u"chargePoints[0].nmae"_s
                                          << u"unknown key (did you mean \"name\"?)"_s;

    QTest::newRow("unknownTags") << doc(R"("authorization": {"unknownTags": "maybe"})")
                                 << u"authorization.unknownTags"_s << u"must be one of \"reject\", \"accept\""_s;
    QTest::newRow("pushLocalList text") << doc(R"("authorization": {"pushLocalList": "true"})")
                                        << u"authorization.pushLocalList"_s << boolean;
    QTest::newRow("idTag missing") << whitelist(R"({"status": "Accepted"})") << whitelist0 + u".idTag"_s
                                   << u"is required"_s;
    QTest::newRow("idTag too long") << whitelist(R"({"idTag": "123456789012345678901"})") << whitelist0 + u".idTag"_s
                                    << u"must be a text of 1 to 20 characters"_s;
    QTest::newRow("idTag duplicate ignoring case")
        << whitelist(R"({"idTag": "abc"}, {"idTag": "ABC"})") << u"authorization.whitelist[1].idTag"_s
        << u"duplicate of authorization.whitelist[0].idTag"_s;
    QTest::newRow("status lower case") << whitelist(R"({"idTag": "T", "status": "accepted"})")
                                       << whitelist0 + u".status"_s
                                       << u"must be one of \"Accepted\", \"Blocked\", \"Expired\", \"Invalid\""_s;
    QTest::newRow("expiryDate date only") << whitelist(R"({"idTag": "T", "expiryDate": "2026-01-01"})")
                                          << whitelist0 + u".expiryDate"_s << u"must be an RFC 3339 date-time"_s;
    QTest::newRow("expiryDate without zone") << whitelist(R"({"idTag": "T", "expiryDate": "2026-01-01T00:00:00"})")
                                             << whitelist0 + u".expiryDate"_s << u"with a time zone"_s;
    QTest::newRow("expiryDate impossible") << whitelist(R"({"idTag": "T", "expiryDate": "2026-02-30T00:00:00Z"})")
                                           << whitelist0 + u".expiryDate"_s << u"must be an RFC 3339 date-time"_s;
    QTest::newRow("parentIdTag empty") << whitelist(R"({"idTag": "T", "parentIdTag": ""})")
                                       << whitelist0 + u".parentIdTag"_s << u"must be a text of 1 to 20 characters"_s;
    QTest::newRow("note too long") << whitelist(R"({"idTag": "T", "note": ")" + text201 + R"("})")
                                   << whitelist0 + u".note"_s << u"must be a text of at most 200 characters"_s;

    QTest::newRow("messageLogMaxEntries small") << doc(R"("storage": {"messageLogMaxEntries": 999})")
                                                << u"storage.messageLogMaxEntries"_s << integer.arg(1000).arg(10000000);
    QTest::newRow("logging rules number")
        << doc(R"("logging": {"rules": 5})") << u"logging.rules"_s << u"must be a text"_s;
    QTest::newRow("logging unknown key") << doc(R"("logging": {"level": "debug"})") << u"logging.level"_s
                                         << u"unknown key"_s;

    addSiteConfigRows();
}

void TestConfig::invalidConfigurationIsRejected()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, reason);

    const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(json));
    QVERIFY2(containsError(errors, path, reason), qPrintable(describe(errors)));
    QVERIFY2(errors.size() == 1, qPrintable(u"one mistake, one error; got:\n"_s + describe(errors)));
}

void TestConfig::boundaryValuesAreAccepted()
{
    const Config config = configOf(linkray::app::parseConfig(R"({
        "configVersion": 1, "mode": "offline",
        "ocpp": {"listenAddress": "::", "port": 0, "maxFrameBytes": 1048576,
                 "hardFrameBytes": 1048576, "pingIntervalSeconds": 0, "pongTimeoutSeconds": 600,
                 "callTimeoutSeconds": 1, "heartbeatIntervalSeconds": 86400},
        "chargePoints": [{"id": ")"_ba
        + QByteArray(48, 'c') + R"(", "name": ""}],
        "authorization": {"whitelist": [{"idTag": "12345678901234567890", "note": ""}]},
        "storage": {"messageLogMaxEntries": 10000000}
    })"_ba));

    QCOMPARE(config.ocpp.listenAddress, QHostAddress(QHostAddress::AnyIPv6));
    QCOMPARE(config.ocpp.port, 0);
    QCOMPARE(config.ocpp.hardFrameBytes, config.ocpp.maxFrameBytes);
    QCOMPARE(config.ocpp.pingIntervalSeconds, 0);
    QCOMPARE(config.chargePoints.size(), 1);
    QCOMPARE(config.chargePoints[0].id.size(), 48);
    QCOMPARE(config.authorization.whitelist[0].idTag.size(), 20);
    QCOMPARE(config.storage.messageLogMaxEntries, 10000000);
}

void TestConfig::expiryDateIsStoredInUtc()
{
    const Config config = configOf(linkray::app::parseConfig(R"({"configVersion": 1, "authorization": {"whitelist": [
        {"idTag": "A", "expiryDate": "2026-06-01T12:30:00+02:00"},
        {"idTag": "B", "expiryDate": "2026-06-01t10:30:00.250z"}]}})"_ba));

    QCOMPARE(config.authorization.whitelist.size(), 2);
    QCOMPARE(config.authorization.whitelist[0].expiryDate, QDateTime(QDate(2026, 6, 1), QTime(10, 30), Qt::UTC));
    QCOMPARE(config.authorization.whitelist[0].expiryDate.timeSpec(), Qt::UTC);
    QCOMPARE(
        config.authorization.whitelist[1].expiryDate, QDateTime(QDate(2026, 6, 1), QTime(10, 30, 0, 250), Qt::UTC));
}

void TestConfig::missingOptionalKeysTakeTheirDefaults()
{
    const Config config = configOf(linkray::app::parseConfig(
        R"({"configVersion": 1, "ocpp": {"port": 9000}, "chargePoints": [{"id": "CP1"}],
            "authorization": {"whitelist": [{"idTag": "T1"}]}})"_ba));

    QCOMPARE(config.mode, linkray::app::Mode::Offline);
    QCOMPARE(config.ocpp.port, 9000);
    QCOMPARE(config.ocpp.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(config.ocpp.pathPrefix, u"/ocpp"_s);
    QCOMPARE(config.ocpp.maxFrameBytes, 65536);
    QCOMPARE(config.ocpp.hardFrameBytes, 1048576);
    QCOMPARE(config.ocpp.pingIntervalSeconds, 30);
    QCOMPARE(config.ocpp.pongTimeoutSeconds, 10);
    QCOMPARE(config.ocpp.callTimeoutSeconds, 30);
    QCOMPARE(config.ocpp.heartbeatIntervalSeconds, 300);
    QCOMPARE(config.ocpp.unknownChargePoints, linkray::app::UnknownChargePointPolicy::Accept);
    QCOMPARE(config.ocpp.requireBasicAuth, false);
    QCOMPARE(config.ocpp.strict, false);
    QCOMPARE(config.chargePoints[0].name, QString());
    QCOMPARE(config.chargePoints[0].passwordHash, QString());
    QCOMPARE(config.chargePoints[0].strict, std::nullopt);
    QCOMPARE(config.authorization.unknownTags, linkray::app::UnknownTagPolicy::Reject);
    QCOMPARE(config.authorization.pushLocalList, true);
    QCOMPARE(config.authorization.whitelist[0].status, linkray::app::TagStatus::Accepted);
    QVERIFY(!config.authorization.whitelist[0].expiryDate.isValid());
    QCOMPARE(config.storage.messageLogMaxEntries, 100000);
    QCOMPARE(config.logging.rules, QString());

    QVERIFY(configOf(linkray::app::parseConfig(R"({"configVersion": 1})"_ba)) == Config());
}

void TestConfig::benchConfigParses()
{
    const QByteArray json = linkray::app::benchConfigJson();
    QVERIFY2(!json.isEmpty(), "the bench configuration resource is not linked in");
    const ConfigResult result = linkray::app::parseConfig(json);
    QVERIFY2(std::holds_alternative<Config>(result), qPrintable(describe(errorsOf(result))));
    const Config config = std::get<Config>(result);

    QCOMPARE(config.mode, linkray::app::Mode::Offline);
    QCOMPARE(config.ocpp.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(config.ocpp.port, 8180);
    QCOMPARE(config.ocpp.unknownChargePoints, linkray::app::UnknownChargePointPolicy::Accept);
    QCOMPARE(config.ocpp.requireBasicAuth, false);
    QCOMPARE(config.ocpp.heartbeatIntervalSeconds, 60);
    // The bench balances the four simulated chargers from linkray-sim's meter (scripts/run-bench.sh).
    QCOMPARE(config.site.phaseLimitA, (linkray::app::PhaseCurrents {63, 63, 63}));
    QCOMPARE(config.site.safetyMarginA, 2.0);
    QCOMPARE(config.site.failSafeLimitA, 16.0);
    QCOMPARE(config.meter.type, linkray::app::MeterType::ModbusTcp);
    QCOMPARE(config.meter.model, u"eastron-sdm630"_s);
    QCOMPARE(config.meter.host, u"127.0.0.1"_s);
    QCOMPARE(config.meter.port, 5020);
    QCOMPARE(config.chargePoints.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(config.chargePoints[i].id, u"SIM-%1"_s.arg(i + 1, 3, 10, QChar(u'0')));
        QVERIFY(config.chargePoints[i].balancing.enabled);
    }

    QHash<QString, linkray::app::WhitelistEntry> tags;
    for (const linkray::app::WhitelistEntry& entry : config.authorization.whitelist)
        tags.insert(entry.idTag, entry);
    QCOMPARE(tags.size(), 10);
    for (int i = 1; i <= 8; ++i)
        QCOMPARE(tags.value(u"SIM-TAG-%1"_s.arg(i, 2, 10, QChar(u'0'))).status, linkray::app::TagStatus::Accepted);
    QCOMPARE(tags.value(u"SIM-TAG-BLOCKED"_s).status, linkray::app::TagStatus::Blocked);
    const QDateTime expiry = tags.value(u"SIM-TAG-EXPIRED"_s).expiryDate;
    QVERIFY(expiry.isValid());
    QVERIFY(expiry < QDateTime::currentDateTimeUtc());
}

void TestConfig::documentedExampleParses()
{
    const QByteArray markdown = readFile(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../docs/configuration.md"));
    const qsizetype section = markdown.indexOf("## Full example");
    const qsizetype start = markdown.indexOf("```json\n", section);
    const qsizetype end = markdown.indexOf("```", start + 1);
    QVERIFY2(section >= 0 && start >= 0 && end > start, "docs/configuration.md has no full example");

    const QByteArray example = markdown.mid(start + 8, end - start - 8);
    const Config config = configOf(linkray::app::parseConfig(example));
    QCOMPARE(config.chargePoints.size(), 2);
    QCOMPARE(config.chargePoints[1].balancing.phaseRotation, QList<linkray::app::Phase> {linkray::app::Phase::L2});
    QCOMPARE(config.authorization.whitelist.size(), 3);
    QCOMPARE(config.site.groups.size(), 1);
    QCOMPARE(config.meter.type, linkray::app::MeterType::ModbusTcp);

    // The RS485 meter shown after it is a section on its own.
    const qsizetype rtuStart = markdown.indexOf("```json\n", end);
    const qsizetype rtuEnd = markdown.indexOf("```", rtuStart + 1);
    QVERIFY2(rtuStart >= 0 && rtuEnd > rtuStart, "docs/configuration.md has no RS485 meter example");
    const Config rtu = configOf(linkray::app::parseConfig(doc(markdown.mid(rtuStart + 8, rtuEnd - rtuStart - 8))));
    QCOMPARE(rtu.meter.type, linkray::app::MeterType::ModbusRtu);
}

void TestConfig::toJsonRoundTrips()
{
    const Config bench = configOf(linkray::app::parseConfig(linkray::app::benchConfigJson()));
    const QList<Config> configs {Config(), everythingSet(), bench};
    for (const Config& config : configs) {
        const QByteArray json = QJsonDocument(linkray::app::toJson(config)).toJson();
        const ConfigResult result = linkray::app::parseConfig(json);
        QVERIFY2(std::holds_alternative<Config>(result), qPrintable(describe(errorsOf(result))));
        QVERIFY2(std::get<Config>(result) == config, json.constData());
    }
    QVERIFY(!(everythingSet() == Config()));
}

void TestConfig::allErrorsAreReportedAtOnce()
{
    const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(R"({
        "configVersion": 1, "mode": "turbo", "colour": "blue",
        "ocpp": {"port": 70000, "pingInterval": 5},
        "chargePoints": [{"id": "A"}, {"id": "A", "password": "x"}],
        "authorization": {"whitelist": [{"idTag": "T", "status": "Lost"}]},
        "storage": {"messageLogMaxEntries": 1}
    })"_ba));

    const QStringList expectedPaths {u"mode"_s, u"colour"_s, u"ocpp.port"_s, u"ocpp.pingInterval"_s,
        u"chargePoints[1].id"_s, u"chargePoints[1].password"_s, u"authorization.whitelist[0].status"_s,
        u"storage.messageLogMaxEntries"_s};
    QStringList paths;
    for (const ConfigError& error : errors)
        paths.append(error.path);
    paths.sort();
    QStringList expected = expectedPaths;
    expected.sort();
    QCOMPARE(paths, expected);
}

void TestConfig::passwordsAreNotRepeatedInErrors()
{
    const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(
        R"({"configVersion": 1, "chargePoints": [{"id": "A", "password": "hunter2"},
                                                 {"id": "B", "passwordHash": "hunter3"}]})"_ba));
    QCOMPARE(errors.size(), 2);
    for (const ConfigError& error : errors) {
        QVERIFY(!error.message().contains(u"hunter2"_s));
        QVERIFY(!error.message().contains(u"hunter3"_s));
    }
}

void TestConfig::closestKeySuggestsLikelyTypos_data()
{
    QTest::addColumn<QString>("unknown");
    QTest::addColumn<QString>("suggestion");

    QTest::newRow("swapped letters") << u"prot"_s << u"port"_s;
    QTest::newRow("wrong case") << u"PathPrefix"_s << u"pathPrefix"_s;
    QTest::newRow("missing unit") << u"pingInterval"_s << u"pingIntervalSeconds"_s;
    QTest::newRow("one letter off") << u"callTimeoutSecond"_s << u"callTimeoutSeconds"_s;
    QTest::newRow("nothing close") << u"colour"_s << QString();
    QTest::newRow("short and different") << u"id"_s << QString();
}

void TestConfig::closestKeySuggestsLikelyTypos()
{
    QFETCH(QString, unknown);
    QFETCH(QString, suggestion);

    const QStringList known {u"port"_s, u"pathPrefix"_s, u"pingIntervalSeconds"_s, u"pongTimeoutSeconds"_s,
        u"callTimeoutSeconds"_s, u"strict"_s};
    QCOMPARE(linkray::app::closestKey(unknown, known), suggestion);
}

void TestConfig::loadConfigFileReportsFileProblems_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");

    QTest::newRow("missing") << u"absent.json"_s << QByteArray() << u"configuration file not found"_s;
    QTest::newRow("not json") << u"linkray.json"_s << "configVersion = 1\n"_ba << u"not valid JSON at offset"_s;
    QTest::newRow("directory") << u"folder"_s << QByteArray() << u"cannot read"_s;
}

void TestConfig::loadConfigFileReportsFileProblems()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);

    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath(fileName);
    if (fileName == "folder"_L1)
        QVERIFY(QDir(directory.path()).mkdir(fileName));
    if (!content.isEmpty()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }

    const QList<ConfigError> errors = errorsOf(linkray::app::loadConfigFile(path));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].path, QString());
    QVERIFY2(errors[0].reason.contains(reason), qPrintable(errors[0].reason));
}

void TestConfig::loadConfigFileReadsAWrittenFile()
{
    QTemporaryDir directory;
    const QString path = directory.filePath(u"linkray.json"_s);
    QString error;
    QVERIFY2(linkray::app::writeConfigFileAtomically(path, everythingSet(), &error), qPrintable(error));
    QVERIFY(configOf(linkray::app::loadConfigFile(path)) == everythingSet());
}

void TestConfig::atomicWriteReplacesTheFile()
{
    QTemporaryDir directory;
    const QString path = directory.filePath(u"linkray.json"_s);
    QString error;
    QVERIFY2(linkray::app::writeConfigFileAtomically(path, Config(), &error), qPrintable(error));
    QVERIFY2(linkray::app::writeConfigFileAtomically(path, everythingSet(), &error), qPrintable(error));

    QVERIFY(configOf(linkray::app::loadConfigFile(path)) == everythingSet());
    QCOMPARE(QDir(directory.path()).entryList(QDir::Files | QDir::Hidden), QStringList {u"linkray.json"_s});
}

void TestConfig::failedWriteLeavesTheOldFileIntact()
{
    QTemporaryDir directory;
    const QString path = directory.filePath(u"linkray.json"_s);
    QString error;
    QVERIFY2(linkray::app::writeConfigFileAtomically(path, Config(), &error), qPrintable(error));
    const QByteArray before = readFile(path);

    // A file-size limit makes the write fail even when the tests run as root, which ignores file permissions.
    rlimit original {};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &original), 0);
    rlimit tiny = original;
    tiny.rlim_cur = 16;
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    const bool written = linkray::app::writeConfigFileAtomically(path, everythingSet(), &error);
    setrlimit(RLIMIT_FSIZE, &original);
    std::signal(SIGXFSZ, previousHandler);

    QVERIFY(!written);
    QVERIFY2(error.contains(path), qPrintable(error));
    QCOMPARE(readFile(path), before);
    QCOMPARE(QDir(directory.path()).entryList(QDir::Files | QDir::Hidden), QStringList {u"linkray.json"_s});
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
