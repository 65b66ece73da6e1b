#include "app/config.h"
#include "app/sitesetup.h"
#include "configtest.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace configtest;
using linkray::app::CsmsCredentials;
using linkray::app::Mode;
using CredentialsMode = linkray::upstream::UpstreamConnection::CredentialsMode;

namespace {

constexpr auto SiteUrl = "wss://csms.example.com/ocpp";

// An online document with the given csms members and further top-level members.
QByteArray online(const QByteArray& csmsMembers, const QByteArray& more = {})
{
    QByteArray members = R"("mode": "online", "csms": {)" + csmsMembers + '}';
    if (!more.isEmpty())
        members += ", " + more;
    return doc(members);
}

// An online document with the site URL, the given other csms members and one charge point "CP" with these csms members.
QByteArray chargePointCsms(const QByteArray& chargePointMembers, const QByteArray& siteMembers = {})
{
    QByteArray site = R"("url": ")" + QByteArray(SiteUrl) + '"';
    if (!siteMembers.isEmpty())
        site += ", " + siteMembers;
    return online(site, R"("chargePoints": [{"id": "CP", "csms": {)" + chargePointMembers + "}}]");
}

QByteArray tls(const QByteArray& members)
{
    return online(R"("url": "wss://csms.example.com", "tls": {)" + members + '}');
}

Config parsed(const QByteArray& json)
{
    return configOf(linkray::app::parseConfig(json));
}

// Every csms key away from its default, with charge points that override the site in every way.
Config everythingSet()
{
    Config config;
    config.mode = Mode::Online;
    linkray::app::CsmsConfig& csms = config.csms;
    csms.url = u"wss://csms.example.com:8443/ocpp/"_s;
    csms.credentials = CsmsCredentials::Configured;
    csms.tls = {u"/etc/linkray/ca.pem"_s, u"/etc/linkray/client.pem"_s, u"/etc/linkray/client.key"_s};
    csms.connectTimeoutSeconds = 20;
    csms.answerTimeoutSeconds = 30;
    csms.firstFrameWaitSeconds = 0;
    csms.reconnect = {5, 300};
    csms.replayAttempts = 10;
    csms.outboxMaxMessages = 5000;
    csms.provisionalTransactionIdsFrom = 1500000000;
    config.chargePoints = {{}, {}, {}};
    config.chargePoints[0].id = u"CP-PASSWORD"_s;
    config.chargePoints[0].csms.password = u"0123456789abcdef"_s;
    config.chargePoints[1].id = u"CP-ELSEWHERE"_s;
    config.chargePoints[1].csms = {u"ws://other-csms.local/"_s, CsmsCredentials::PassThrough, QString()};
    config.chargePoints[2].id = u"CP-NONE"_s;
    config.chargePoints[2].csms.credentials = CsmsCredentials::None;
    return config;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

// Online mode: the csms section, the charge points' own csms settings, and what the site set-up makes of them.
class TestOnlineConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void missingKeysTakeTheirDefaults();
    void everyKeyIsRead();
    void acceptedForms_data();
    void acceptedForms();
    void invalidOnlineConfigurationIsRejected_data();
    void invalidOnlineConfigurationIsRejected();
    void secretsAreNotRepeatedInErrors();
    void toJsonRoundTrips();
    void everyFieldTakesPartInEquality();
    void documentedExampleParses();
    void isProxiedFollowsModeUrlAndPassword_data();
    void isProxiedFollowsModeUrlAndPassword();
    void upstreamOptionsUseTheEffectiveSettings();
    void upstreamCredentialsFollowTheMode_data();
    void upstreamCredentialsFollowTheMode();
    void proxySettingsAreInMilliseconds();
};

void TestOnlineConfig::missingKeysTakeTheirDefaults()
{
    const Config config
        = parsed(online(R"("url": "wss://csms.example.com/ocpp")", R"("chargePoints": [{"id": "CP"}])"));

    QCOMPARE(config.mode, Mode::Online);
    const linkray::app::CsmsConfig& csms = config.csms;
    QCOMPARE(csms.url, QString::fromLatin1(SiteUrl));
    QCOMPARE(csms.credentials, CsmsCredentials::PassThrough);
    QCOMPARE(csms.tls.caFile, QString());
    QCOMPARE(csms.tls.clientCertificateFile, QString());
    QCOMPARE(csms.tls.clientKeyFile, QString());
    QCOMPARE(csms.connectTimeoutSeconds, 10);
    QCOMPARE(csms.answerTimeoutSeconds, 10);
    QCOMPARE(csms.firstFrameWaitSeconds, 5);
    QCOMPARE(csms.reconnect.initialSeconds, 1);
    QCOMPARE(csms.reconnect.maxSeconds, 60);
    QCOMPARE(csms.replayAttempts, 3);
    QCOMPARE(csms.outboxMaxMessages, 100000);
    QCOMPARE(csms.provisionalTransactionIdsFrom, 2000000000);
    QCOMPARE(config.chargePoints[0].csms.url, QString());
    QCOMPARE(config.chargePoints[0].csms.credentials, std::nullopt);
    QCOMPARE(config.chargePoints[0].csms.password, QString());
    QCOMPARE(Config().mode, Mode::Offline);
}

void TestOnlineConfig::everyKeyIsRead()
{
    const Config config = parsed(online(R"(
        "url": "wss://csms.example.com:8443/ocpp/", "credentials": "configured",
        "tls": {"caFile": "/etc/linkray/ca.pem", "clientCertificateFile": "/etc/linkray/client.pem",
                "clientKeyFile": "/etc/linkray/client.key"},
        "connectTimeoutSeconds": 20, "answerTimeoutSeconds": 30, "firstFrameWaitSeconds": 0,
        "reconnect": {"initialSeconds": 5, "maxSeconds": 300},
        "replayAttempts": 10, "outboxMaxMessages": 5000, "provisionalTransactionIdsFrom": 1500000000)",
        R"("chargePoints": [
            {"id": "CP-PASSWORD", "csms": {"password": "0123456789abcdef"}},
            {"id": "CP-ELSEWHERE", "csms": {"url": "ws://other-csms.local/", "credentials": "pass-through"}},
            {"id": "CP-NONE", "csms": {"credentials": "none"}}])"));

    QVERIFY(config == everythingSet());
}

void TestOnlineConfig::acceptedForms_data()
{
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("ws") << online(R"("url": "ws://192.168.1.10:9000/steve/websocket/CentralSystemService")");
    QTest::newRow("wss with trailing slash") << online(R"("url": "wss://csms.example.com/ocpp/")");
    QTest::newRow("host only") << online(R"("url": "wss://csms.example.com")");
    QTest::newRow("scheme in capitals") << online(R"("url": "WSS://csms.example.com")");
    QTest::newRow("IPv6 host") << online(R"("url": "ws://[::1]:8180/ocpp")");
    QTest::newRow("only a charge point's url")
        << online({}, R"("chargePoints": [{"id": "CP", "csms": {"url": "wss://csms.example.com"}}, {"id": "LOCAL"}])");
    QTest::newRow("offline with csms") << doc(R"("mode": "offline", "csms": {"url": "wss://csms.example.com"})");
    QTest::newRow("offline without url") << doc(
        R"("mode": "offline", "csms": {"credentials": "configured", "answerTimeoutSeconds": 5})");
    QTest::newRow("configured, served locally without url")
        << doc(R"("csms": {"credentials": "configured"}, "chargePoints": [{"id": "CP"}])");
    QTest::newRow("override to none needs no password")
        << chargePointCsms(R"("credentials": "none")", R"("credentials": "configured")");
    QTest::newRow("password with own configured") << chargePointCsms(R"("credentials": "configured", "password": "p")");
    QTest::newRow("tls on a charge point's wss url")
        << online(R"("url": "ws://csms.local", "tls": {"caFile": "/ca.pem"})",
               R"("chargePoints": [{"id": "CP", "csms": {"url": "wss://secure.example.com"}}])");
    QTest::newRow("lowest values") << online(R"("url": "ws://csms.local", "connectTimeoutSeconds": 1,
        "answerTimeoutSeconds": 1, "firstFrameWaitSeconds": 0, "reconnect": {"initialSeconds": 1, "maxSeconds": 1},
        "replayAttempts": 1, "outboxMaxMessages": 1000, "provisionalTransactionIdsFrom": 1)");
    QTest::newRow("highest values") << online(R"("url": "ws://csms.local", "connectTimeoutSeconds": 60,
        "answerTimeoutSeconds": 60, "firstFrameWaitSeconds": 20, "reconnect": {"initialSeconds": 300, "maxSeconds": 3600},
        "replayAttempts": 100, "outboxMaxMessages": 10000000, "provisionalTransactionIdsFrom": 2147000000)");
}

void TestOnlineConfig::acceptedForms()
{
    QFETCH(QByteArray, json);

    const ConfigResult result = linkray::app::parseConfig(json);
    QVERIFY2(std::holds_alternative<Config>(result), qPrintable(describe(errorsOf(result))));
}

void TestOnlineConfig::invalidOnlineConfigurationIsRejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");

    const QString url = u"csms.url"_s;
    const QString notWs = u"must be a ws:// or wss:// URL"_s;
    const QString integer = u"must be an integer from %1 to %2"_s;
    const QString cp = u"chargePoints[0].csms."_s;

    QTest::newRow("online without url") << online({}) << url << u"is required when mode is \"online\""_s;
    QTest::newRow("online without csms") << doc(R"("mode": "online", "chargePoints": [{"id": "CP"}])") << url
                                         << u"is required when mode is \"online\""_s;
    QTest::newRow("csms not object") << doc(R"("csms": "wss://csms.example.com")") << u"csms"_s
                                     << u"must be an object"_s;
    QTest::newRow("csms key typo") << online(R"("url": "ws://csms.local", "replayAttempt": 3)")
                                   << u"csms.replayAttempt"_s << u"did you mean \"replayAttempts\"?"_s;

    QTest::newRow("url http") << online(R"("url": "https://csms.example.com/ocpp")") << url
                              << u"must start with ws:// or wss://"_s;
    QTest::newRow("url without scheme") << online(R"("url": "csms.example.com/ocpp")") << url << notWs;
    QTest::newRow("url with spaces") << online(R"("url": "wss://csms example.com")") << url << notWs;
    QTest::newRow("url empty") << online(R"("url": "")") << url << u"must be a text of 1 to 2000 characters"_s;
    QTest::newRow("url number") << online(R"("url": 8080)") << url << u"must be a text"_s;
    QTest::newRow("url user info") << online(R"("url": "wss://CP:secret@csms.example.com")") << url
                                   << u"credentials are set by csms.credentials"_s;
    QTest::newRow("url query") << online(R"("url": "wss://csms.example.com/ocpp?token=1")") << url
                               << u"must not contain \"?\" or \"#\""_s;
    QTest::newRow("url fragment") << online(R"("url": "wss://csms.example.com/ocpp#x")") << url
                                  << u"must not contain \"?\" or \"#\""_s;
    QTest::newRow("credentials unknown") << online(R"("url": "ws://csms.local", "credentials": "basic")")
                                         << u"csms.credentials"_s
                                         << u"must be one of \"pass-through\", \"configured\", \"none\""_s;

    QTest::newRow("tls not object") << online(R"("url": "wss://csms.local", "tls": true)") << u"csms.tls"_s
                                    << u"must be an object"_s;
    QTest::newRow("tls relative path") << tls(R"("caFile": "certs/ca.pem")") << u"csms.tls.caFile"_s
                                       << u"must be an absolute path"_s;
    QTest::newRow("tls empty path") << tls(R"("caFile": "")") << u"csms.tls.caFile"_s << u"must be a text of 1 to"_s;
    QTest::newRow("tls certificate without key")
        << tls(R"("clientCertificateFile": "/etc/linkray/client.pem")") << u"csms.tls.clientKeyFile"_s
        << u"is required (with clientCertificateFile"_s;
    QTest::newRow("tls key without certificate")
        << tls(R"("clientKeyFile": "/etc/linkray/client.key")") << u"csms.tls.clientCertificateFile"_s
        << u"is required (with clientKeyFile"_s;
    QTest::newRow("tls key relative") << tls(R"("clientCertificateFile": "/c.pem", "clientKeyFile": "c.key")")
                                      << u"csms.tls.clientKeyFile"_s << u"must be an absolute path"_s;
    QTest::newRow("tls key typo") << tls(R"("caFiles": "/ca.pem")") << u"csms.tls.caFiles"_s
                                  << u"did you mean \"caFile\"?"_s;
    QTest::newRow("tls with ws only") << online(R"("url": "ws://csms.local", "tls": {"caFile": "/ca.pem"})")
                                      << u"csms.tls"_s << u"applies to wss:// URLs only"_s;

    const auto range = [&](const char* key, const char* value, int min, int max) {
        QTest::addRow("%s %s", key, value)
            << online(R"("url": "ws://csms.local", ")" + QByteArray(key) + "\": " + value)
            << u"csms."_s + QLatin1String(key) << integer.arg(min).arg(max);
    };
    range("connectTimeoutSeconds", "0", 1, 60);
    range("connectTimeoutSeconds", "61", 1, 60);
    range("connectTimeoutSeconds", "\"10\"", 1, 60);
    range("answerTimeoutSeconds", "0", 1, 60);
    range("answerTimeoutSeconds", "61", 1, 60);
    range("answerTimeoutSeconds", "1.5", 1, 60);
    range("firstFrameWaitSeconds", "-1", 0, 20);
    range("firstFrameWaitSeconds", "21", 0, 20);
    range("replayAttempts", "0", 1, 100);
    range("replayAttempts", "101", 1, 100);
    range("outboxMaxMessages", "999", 1000, 10000000);
    range("outboxMaxMessages", "10000001", 1000, 10000000);
    range("provisionalTransactionIdsFrom", "0", 1, 2147000000);
    range("provisionalTransactionIdsFrom", "2147000001", 1, 2147000000);

    const auto reconnect = [](const QByteArray& members) {
        return online(R"("url": "ws://csms.local", "reconnect": {)" + members + '}');
    };
    QTest::newRow("reconnect initial 0") << reconnect(R"("initialSeconds": 0)") << u"csms.reconnect.initialSeconds"_s
                                         << integer.arg(1).arg(300);
    QTest::newRow("reconnect initial 301")
        << reconnect(R"("initialSeconds": 301)") << u"csms.reconnect.initialSeconds"_s << integer.arg(1).arg(300);
    QTest::newRow("reconnect max 3601") << reconnect(R"("maxSeconds": 3601)") << u"csms.reconnect.maxSeconds"_s
                                        << integer.arg(1).arg(3600);
    QTest::newRow("reconnect max below initial")
        << reconnect(R"("initialSeconds": 30, "maxSeconds": 10)") << u"csms.reconnect.maxSeconds"_s
        << u"must be at least csms.reconnect.initialSeconds (30)"_s;
    QTest::newRow("reconnect typo") << reconnect(R"("maxSecond": 10)") << u"csms.reconnect.maxSecond"_s
                                    << u"did you mean \"maxSeconds\"?"_s;

    QTest::newRow("charge point csms not object") << chargePointCsms({}).replace(R"("csms": {})", R"("csms": [])")
                                                  << u"chargePoints[0].csms"_s << u"must be an object"_s;
    QTest::newRow("charge point url http")
        << chargePointCsms(R"("url": "http://csms.local")") << cp + u"url"_s << u"must start with ws:// or wss://"_s;
    QTest::newRow("charge point url user info") << chargePointCsms(R"("url": "ws://CP:pw@csms.local")") << cp + u"url"_s
                                                << u"must not contain a user name or password"_s;
    QTest::newRow("charge point credentials unknown")
        << chargePointCsms(R"("credentials": "Configured")") << cp + u"credentials"_s << u"must be one of"_s;
    QTest::newRow("password with pass-through") << chargePointCsms(R"("password": "p")") << cp + u"password"_s
                                                << u"applies only when the charge point's credentials are"_s;
    QTest::newRow("password with own none")
        << chargePointCsms(R"("credentials": "none", "password": "p")") << cp + u"password"_s << u"applies only when"_s;
    QTest::newRow("password empty") << chargePointCsms(R"("password": "")", R"("credentials": "configured")")
                                    << cp + u"password"_s << u"must be a text of 1 to 256 characters"_s;
    QTest::newRow("password number") << chargePointCsms(R"("password": 1234)", R"("credentials": "configured")")
                                     << cp + u"password"_s << u"must be a text"_s;
    QTest::newRow("configured by the site without password")
        << chargePointCsms({}, R"("credentials": "configured")") << cp + u"password"_s
        << u"is required because csms.credentials is \"configured\""_s;
    QTest::newRow("configured by the site, no csms object")
        << online(R"("url": "ws://csms.local", "credentials": "configured")", R"("chargePoints": [{"id": "CP"}])")
        << cp + u"password"_s << u"is required because csms.credentials is \"configured\""_s;
    QTest::newRow("configured by itself without password")
        << chargePointCsms(R"("credentials": "configured")") << cp + u"password"_s
        << u"is required because chargePoints[0].csms.credentials is \"configured\""_s;
    QTest::newRow("configured with own url only") << online(
        R"("credentials": "configured")", R"("chargePoints": [{"id": "CP", "csms": {"url": "ws://csms.local"}}])")
                                                  << cp + u"password"_s << u"is required because"_s;
    QTest::newRow("charge point key typo")
        << chargePointCsms(R"("credential": "none")") << cp + u"credential"_s << u"did you mean \"credentials\"?"_s;
    QTest::newRow("plaintext password at the charge point")
        << chargePointCsms({}).replace(R"("csms": {})", R"("password": "p")") << u"chargePoints[0].password"_s
        << u"the password LinkRay gives the CSMS goes in csms.password"_s;
}

// One mistake gives one error: a key that failed is not reported again by the checks that depend on it.
void TestOnlineConfig::invalidOnlineConfigurationIsRejected()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, reason);

    const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(json));
    QVERIFY2(containsError(errors, path, reason), qPrintable(describe(errors)));
    QVERIFY2(errors.size() == 1, qPrintable(u"one mistake, one error; got:\n"_s + describe(errors)));
}

void TestOnlineConfig::secretsAreNotRepeatedInErrors()
{
    const QByteArray secret = "s3cr3t-Key";
    const QList<QByteArray> documents {
        online(R"("url": "wss://CP:)" + secret + R"(@csms.example.com")"),
        chargePointCsms(R"("url": "ws://CP:)" + secret + R"(@csms.local")"),
        chargePointCsms(R"("password": ")" + secret + '"'),
        chargePointCsms(R"("password": ")" + secret.repeated(30) + '"', R"("credentials": "configured")"),
        chargePointCsms(R"("password": ")" + secret + R"(", "credentials": "Basic")"),
    };
    for (const QByteArray& json : documents) {
        const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(json));
        QVERIFY2(!errors.isEmpty(), json.constData());
        QVERIFY2(!describe(errors).contains(QString::fromLatin1(secret)), qPrintable(describe(errors)));
    }
}

void TestOnlineConfig::toJsonRoundTrips()
{
    Config offlineWithCsms = everythingSet();
    offlineWithCsms.mode = Mode::Offline;
    Config onlyChargePointUrls = everythingSet();
    onlyChargePointUrls.csms.url.clear();
    onlyChargePointUrls.csms.tls = {};
    onlyChargePointUrls.csms.credentials = CsmsCredentials::None;
    onlyChargePointUrls.chargePoints[0].csms.credentials = CsmsCredentials::Configured;
    for (const Config& config : {everythingSet(), offlineWithCsms, onlyChargePointUrls}) {
        const QByteArray json = QJsonDocument(linkray::app::toJson(config)).toJson();
        const ConfigResult result = linkray::app::parseConfig(json);
        QVERIFY2(std::holds_alternative<Config>(result), qPrintable(describe(errorsOf(result))));
        QVERIFY2(std::get<Config>(result) == config, json.constData());
    }
}

void TestOnlineConfig::everyFieldTakesPartInEquality()
{
    using Change = std::function<void(Config&)>;
    const QList<Change> changes {
        [](Config& c) { c.mode = Mode::Offline; },
        [](Config& c) { c.csms.url = u"ws://elsewhere"_s; },
        [](Config& c) { c.csms.credentials = CsmsCredentials::None; },
        [](Config& c) { c.csms.tls.caFile.clear(); },
        [](Config& c) { c.csms.tls.clientCertificateFile.clear(); },
        [](Config& c) { c.csms.tls.clientKeyFile.clear(); },
        [](Config& c) { c.csms.connectTimeoutSeconds = 1; },
        [](Config& c) { c.csms.answerTimeoutSeconds = 1; },
        [](Config& c) { c.csms.firstFrameWaitSeconds = 1; },
        [](Config& c) { c.csms.reconnect.initialSeconds = 1; },
        [](Config& c) { c.csms.reconnect.maxSeconds = 1; },
        [](Config& c) { c.csms.replayAttempts = 1; },
        [](Config& c) { c.csms.outboxMaxMessages = 1000; },
        [](Config& c) { c.csms.provisionalTransactionIdsFrom = 1; },
        [](Config& c) { c.chargePoints[1].csms.url.clear(); },
        [](Config& c) { c.chargePoints[1].csms.credentials.reset(); },
        [](Config& c) { c.chargePoints[0].csms.password = u"another"_s; },
    };
    for (qsizetype i = 0; i < changes.size(); ++i) {
        Config changed = everythingSet();
        changes[i](changed);
        QVERIFY2(!(changed == everythingSet()), qPrintable(u"change %1 went unnoticed"_s.arg(i)));
    }
}

void TestOnlineConfig::documentedExampleParses()
{
    const QByteArray markdown = readFile(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../docs/configuration.md"));
    const qsizetype section = markdown.indexOf("## Online example");
    const qsizetype start = markdown.indexOf("```json\n", section);
    const qsizetype end = markdown.indexOf("```", start + 1);
    QVERIFY2(section >= 0 && start >= 0 && end > start, "docs/configuration.md has no online example");

    const Config config = parsed(markdown.mid(start + 8, end - start - 8));
    QCOMPARE(config.mode, Mode::Online);
    QCOMPARE(config.chargePoints.size(), 2);
    QVERIFY(linkray::app::isProxied(config, config.chargePoints[0].id));
    QVERIFY(linkray::app::isProxied(config, config.chargePoints[1].id));
}

void TestOnlineConfig::isProxiedFollowsModeUrlAndPassword_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("chargePointId");
    QTest::addColumn<bool>("proxied");

    const QByteArray twoChargePoints = R"("chargePoints": [
        {"id": "OWN", "csms": {"url": "wss://own.example.com"}}, {"id": "PLAIN"}])";
    QTest::newRow("online, site url") << online(R"("url": "wss://csms.example.com")", twoChargePoints) << u"PLAIN"_s
                                      << true;
    QTest::newRow("online, own url") << online({}, twoChargePoints) << u"OWN"_s << true;
    QTest::newRow("online, no url for it") << online({}, twoChargePoints) << u"PLAIN"_s << false;
    QTest::newRow("online, unknown charge point, site url")
        << online(R"("url": "wss://csms.example.com")", twoChargePoints) << u"NEW"_s << true;
    QTest::newRow("online, unknown charge point, no site url") << online({}, twoChargePoints) << u"NEW"_s << false;
    QTest::newRow("offline, site url") << doc(R"("mode": "offline", "csms": {"url": "wss://csms.example.com"})")
                                       << u"NEW"_s << false;
    QTest::newRow("configured with password")
        << chargePointCsms(R"("password": "p")", R"("credentials": "configured")") << u"CP"_s << true;
    QTest::newRow("configured, unknown charge point has no password")
        << chargePointCsms(R"("password": "p")", R"("credentials": "configured")") << u"NEW"_s << false;
}

void TestOnlineConfig::isProxiedFollowsModeUrlAndPassword()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, chargePointId);
    QFETCH(bool, proxied);

    const ConfigResult result = linkray::app::parseConfig(json);
    QVERIFY2(std::holds_alternative<Config>(result), qPrintable(describe(errorsOf(result))));
    QCOMPARE(linkray::app::isProxied(std::get<Config>(result), chargePointId), proxied);
}

void TestOnlineConfig::upstreamOptionsUseTheEffectiveSettings()
{
    const Config config = everythingSet();

    const auto site = linkray::app::upstreamOptions(config, u"CP-PASSWORD"_s, "Basic Q1A6eA==");
    QCOMPARE(site.csmsUrl, QUrl(u"wss://csms.example.com:8443/ocpp/"_s));
    QCOMPARE(site.tls.caFile, u"/etc/linkray/ca.pem"_s);
    QCOMPARE(site.tls.clientCertificateFile, u"/etc/linkray/client.pem"_s);
    QCOMPARE(site.tls.clientKeyFile, u"/etc/linkray/client.key"_s);
    QCOMPARE(site.connectTimeoutMs, 20000);
    QCOMPARE(site.backoff.initialMs, 5000);
    QCOMPARE(site.backoff.maxMs, 300000);
    QCOMPARE(site.backoff.factor, linkray::upstream::Backoff().factor);
    QCOMPARE(site.backoff.resetAfterOpenMs, linkray::upstream::Backoff().resetAfterOpenMs);
    QCOMPARE(site.jitterSeed, std::nullopt);

    const auto own = linkray::app::upstreamOptions(config, u"CP-ELSEWHERE"_s, "Basic Q1A6eA==");
    QCOMPARE(own.csmsUrl, QUrl(u"ws://other-csms.local/"_s));
    QCOMPARE(own.credentials.mode, CredentialsMode::PassThrough);

    const auto unknown = linkray::app::upstreamOptions(config, u"NEW"_s, {});
    QCOMPARE(unknown.csmsUrl, QUrl(u"wss://csms.example.com:8443/ocpp/"_s));
    QCOMPARE(unknown.credentials.mode, CredentialsMode::Configured);
    QCOMPARE(unknown.credentials.password, QString());
}

void TestOnlineConfig::upstreamCredentialsFollowTheMode_data()
{
    QTest::addColumn<QString>("chargePointId");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("password");

    QTest::newRow("configured") << u"CP-PASSWORD"_s << static_cast<int>(CredentialsMode::Configured) << QByteArray()
                                << u"0123456789abcdef"_s;
    QTest::newRow("pass-through") << u"CP-ELSEWHERE"_s << static_cast<int>(CredentialsMode::PassThrough)
                                  << QByteArray("Basic Q1A6eA==") << QString();
    QTest::newRow("none") << u"CP-NONE"_s << static_cast<int>(CredentialsMode::None) << QByteArray() << QString();
}

// The charger's own header goes upstream only with pass-through, the configured password only with configured.
void TestOnlineConfig::upstreamCredentialsFollowTheMode()
{
    QFETCH(QString, chargePointId);
    QFETCH(int, mode);
    QFETCH(QByteArray, authorization);
    QFETCH(QString, password);

    const auto options = linkray::app::upstreamOptions(everythingSet(), chargePointId, "Basic Q1A6eA==");
    QCOMPARE(static_cast<int>(options.credentials.mode), mode);
    QCOMPARE(options.credentials.chargerAuthorization, authorization);
    QCOMPARE(options.credentials.password, password);
}

void TestOnlineConfig::proxySettingsAreInMilliseconds()
{
    const linkray::app::ProxySettings settings = linkray::app::proxySettings(everythingSet());
    QCOMPARE(settings.answerTimeoutMs, 30000);
    QCOMPARE(settings.firstFrameWaitMs, 0);
    QCOMPARE(settings.replayAttempts, 10);
    QCOMPARE(settings.outboxMaxMessages, 5000);
    QCOMPARE(settings.firstProvisionalTransactionId, 1500000000);

    const linkray::app::ProxySettings defaults = linkray::app::proxySettings(Config());
    QCOMPARE(defaults.answerTimeoutMs, 10000);
    QCOMPARE(defaults.firstFrameWaitMs, 5000);
    QCOMPARE(defaults.replayAttempts, 3);
    QCOMPARE(defaults.outboxMaxMessages, 100000);
    QCOMPARE(defaults.firstProvisionalTransactionId, 2000000000);
}

QTEST_GUILESS_MAIN(TestOnlineConfig)
#include "tst_onlineconfig.moc"
