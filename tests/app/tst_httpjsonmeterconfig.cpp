#include "app/config.h"
#include "app/sitesetup.h"
#include "configtest.h"
#include "core/clock.h"
#include "meter/httpjsonmeter.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace configtest;
using linkray::app::MeterConfig;
using linkray::app::MeterType;
using linkray::meter::Quantity;

// The meter section's http-json keys: what they are read as, their errors, their round trip, the documented examples
// and the driver meterFromConfig() builds from them.
class TestHttpJsonMeterConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keysAreRead();
    void invalidKeysAreRejected_data();
    void invalidKeysAreRejected();
    void passwordIsNeverRepeatedInErrors();
    void toJsonRoundTrips();
    void documentedExamplesParse_data();
    void documentedExamplesParse();
    void meterFromConfigBuildsTheDriver();
    void unusableMeterGivesAnError_data();
    void unusableMeterGivesAnError();
};

namespace {

QByteArray meter(const QByteArray& members)
{
    return doc(R"("meter": {)" + members + '}');
}

// A valid http-json meter section with `members` set over it; a member set to null is left out.
QByteArray httpMeter(const QByteArray& members)
{
    QJsonObject section = QJsonDocument::fromJson(R"({"type": "http-json", "url": "http://10.0.0.7/status",
        "values": {"totalPower": {"pointer": "/total_power"}}})")
                              .object();
    const QJsonObject overrides = QJsonDocument::fromJson('{' + members + '}').object();
    for (auto member = overrides.begin(); member != overrides.end(); ++member) {
        if (member->isNull())
            section.remove(member.key());
        else
            section.insert(member.key(), member.value());
    }
    return doc(R"("meter": )" + QJsonDocument(section).toJson(QJsonDocument::Compact));
}

const QByteArray shellyMeter = R"("type": "http-json", "url": "https://meter.local:8443/rpc/EM.GetStatus?id=0",
    "values": {"currentL1": {"pointer": "/a_current"}, "currentL2": {"pointer": "/b_current", "scale": 0.001},
               "totalPower": {"pointer": "/total/act~1power", "scale": -1000}},
    "timeoutSeconds": 1.5, "pollIntervalSeconds": 2, "staleAfterPolls": 5,
    "username": "admin", "password": "s3cret: with spaces")";

QByteArray markdownJsonBlockAfter(const QString& file, const QByteArray& heading)
{
    QFile markdown(file);
    if (!markdown.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = markdown.readAll();
    const qsizetype section = text.indexOf(heading);
    const qsizetype start = text.indexOf("```json\n", section);
    const qsizetype end = text.indexOf("```", start + 1);
    if (section < 0 || start < 0 || end < 0)
        return {};
    return text.mid(start + 8, end - start - 8);
}

} // namespace

void TestHttpJsonMeterConfig::keysAreRead()
{
    const MeterConfig config = configOf(linkray::app::parseConfig(meter(shellyMeter))).meter;

    QCOMPARE(config.type, MeterType::HttpJson);
    QCOMPARE(config.url, u"https://meter.local:8443/rpc/EM.GetStatus?id=0"_s);
    QCOMPARE(config.values.keys(), (QStringList {u"currentL1"_s, u"currentL2"_s, u"totalPower"_s}));
    QCOMPARE(config.values.value(u"currentL1"_s).pointer, u"/a_current"_s);
    QCOMPARE(config.values.value(u"currentL1"_s).scale, 1.0); // the default
    QCOMPARE(config.values.value(u"currentL2"_s).scale, 0.001);
    QCOMPARE(config.values.value(u"totalPower"_s).pointer, u"/total/act~1power"_s);
    QCOMPARE(config.values.value(u"totalPower"_s).scale, -1000.0);
    QCOMPARE(config.timeoutSeconds, 1.5);
    QCOMPARE(config.pollIntervalSeconds, 2.0);
    QCOMPARE(config.staleAfterPolls, 5);
    QCOMPARE(config.username, u"admin"_s);
    QCOMPARE(config.password, u"s3cret: with spaces"_s);

    const MeterConfig minimal = configOf(linkray::app::parseConfig(httpMeter({}))).meter;
    QCOMPARE(minimal.timeoutSeconds, std::nullopt);
    QCOMPARE(minimal.username, QString());
    QCOMPARE(minimal.password, QString());
    QCOMPARE(minimal.pollIntervalSeconds, 1.0);
}

void TestHttpJsonMeterConfig::invalidKeysAreRejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");

    const QString onlyHttp = u"applies to type \"http-json\" only"_s;
    QTest::newRow("no url") << httpMeter(R"("url": null)") << u"meter.url"_s
                            << u"is required (for type \"http-json\")"_s;
    QTest::newRow("no values") << httpMeter(R"("values": null)") << u"meter.values"_s
                               << u"is required (for type \"http-json\""_s;
    QTest::newRow("url not http") << httpMeter(R"("url": "ftp://10.0.0.7/status")") << u"meter.url"_s
                                  << u"must be an http:// or https:// URL"_s;
    QTest::newRow("url without host") << httpMeter(R"("url": "http:///status")") << u"meter.url"_s
                                      << u"must be an http:// or https:// URL"_s;
    QTest::newRow("url with credentials") << httpMeter(R"("url": "http://admin:pw@10.0.0.7/status")") << u"meter.url"_s
                                          << u"must not contain a user name or password"_s;
    QTest::newRow("values empty") << httpMeter(R"("values": {})") << u"meter.values"_s
                                  << u"must hold at least one of voltageL1, voltageL2"_s;
    QTest::newRow("values not an object")
        << httpMeter(R"("values": ["/p"])") << u"meter.values"_s << u"must be an object"_s;
    QTest::newRow("unknown value") << httpMeter(R"("values": {"currentL4": {"pointer": "/c"}})")
                                   << u"meter.values.currentL4"_s << u"unknown key (did you mean \"currentL1\"?)"_s;
    QTest::newRow("value not an object") << httpMeter(R"("values": {"totalPower": "/p"})")
                                         << u"meter.values.totalPower"_s << u"must be an object"_s;
    QTest::newRow("pointer missing") << httpMeter(R"("values": {"totalPower": {"scale": 2}})")
                                     << u"meter.values.totalPower.pointer"_s << u"is required"_s;
    QTest::newRow("pointer without /") << httpMeter(R"("values": {"totalPower": {"pointer": "emeters.0.power"}})")
                                       << u"meter.values.totalPower.pointer"_s << u"must start with \"/\""_s;
    QTest::newRow("pointer bad escape") << httpMeter(R"("values": {"totalPower": {"pointer": "/a~2b"}})")
                                        << u"meter.values.totalPower.pointer"_s
                                        << u"\"~\" must be followed by 0 or 1"_s;
    QTest::newRow("pointer empty") << httpMeter(R"("values": {"totalPower": {"pointer": ""}})")
                                   << u"meter.values.totalPower.pointer"_s << u"must be a text of 1 to 500"_s;
    QTest::newRow("scale zero") << httpMeter(R"("values": {"totalPower": {"pointer": "/p", "scale": 0}})")
                                << u"meter.values.totalPower.scale"_s << u"must not be 0"_s;
    QTest::newRow("scale text") << httpMeter(R"("values": {"totalPower": {"pointer": "/p", "scale": "kW"}})")
                                << u"meter.values.totalPower.scale"_s << u"must be a number"_s;
    QTest::newRow("value key typo") << httpMeter(R"("values": {"totalPower": {"pointer": "/p", "scal": 2}})")
                                    << u"meter.values.totalPower.scal"_s << u"did you mean \"scale\""_s;
    QTest::newRow("timeout too short") << httpMeter(R"("timeoutSeconds": 0.05)") << u"meter.timeoutSeconds"_s
                                       << u"must be a number from 0.1 to 60"_s;
    QTest::newRow("timeout not shorter than the interval")
        << httpMeter(R"("timeoutSeconds": 2, "pollIntervalSeconds": 2)") << u"meter.timeoutSeconds"_s
        << u"must be shorter than pollIntervalSeconds (2 s)"_s;
    QTest::newRow("password without username")
        << httpMeter(R"("password": "pw")") << u"meter.password"_s << u"needs a username"_s;
    QTest::newRow("username with a colon")
        << httpMeter(R"("username": "ad:min")") << u"meter.username"_s << u"must not contain \":\""_s;
    QTest::newRow("model on http-json") << httpMeter(R"("model": "eastron-sdm630")") << u"meter.model"_s
                                        << u"applies to the Modbus types only"_s;
    QTest::newRow("unitId on http-json") << httpMeter(R"("unitId": 2)") << u"meter.unitId"_s
                                         << u"applies to the Modbus types only"_s;
    QTest::newRow("host on http-json") << httpMeter(R"("host": "10.0.0.7")") << u"meter.host"_s
                                       << u"applies to type \"modbus-tcp\" only"_s;
    QTest::newRow("url on modbus-tcp") << meter(
        R"("type": "modbus-tcp", "model": "eastron-sdm630", "host": "10.0.0.5", "url": "http://x/")")
                                       << u"meter.url"_s << onlyHttp;
    QTest::newRow("values on modbus-rtu") << meter(R"("type": "modbus-rtu", "model": "eastron-sdm630",
        "serialPort": "/dev/ttyUSB0", "values": {"totalPower": {"pointer": "/p"}})")
                                          << u"meter.values"_s << onlyHttp;
    QTest::newRow("password on modbus-tcp")
        << meter(R"("type": "modbus-tcp", "model": "eastron-sdm630", "host": "10.0.0.5", "password": "pw")")
        << u"meter.password"_s << onlyHttp;
    QTest::newRow("url without a meter") << meter(R"("type": "none", "url": "http://10.0.0.7/")") << u"meter.url"_s
                                         << u"applies to a meter only"_s;
}

void TestHttpJsonMeterConfig::invalidKeysAreRejected()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, reason);

    const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(json));
    QVERIFY2(containsError(errors, path, reason), qPrintable(describe(errors)));
    QCOMPARE(errors.size(), 1); // one mistake, one error
}

void TestHttpJsonMeterConfig::passwordIsNeverRepeatedInErrors()
{
    const QString secret = u"Tr0ub4dor-and-3"_s;
    const QByteArray tooLong = (secret.repeated(14)).toUtf8(); // 210 characters
    const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(httpMeter(R"("username": "admin",
        "password": ")"
        + tooLong + R"(", "url": "http://admin:)" + secret.toUtf8() + R"(@10.0.0.7/status")")));

    QVERIFY2(containsError(errors, u"meter.password"_s, u"must be a text of 1 to 200 characters"_s),
        qPrintable(describe(errors)));
    QVERIFY2(containsError(errors, u"meter.url"_s, u"must not contain a user name or password"_s),
        qPrintable(describe(errors)));
    QVERIFY2(!describe(errors).contains(secret), qPrintable(describe(errors)));
}

void TestHttpJsonMeterConfig::toJsonRoundTrips()
{
    for (const QByteArray& section : {shellyMeter, QByteArray(R"("type": "http-json", "url": "http://10.0.0.7/",
        "values": {"importedEnergy": {"pointer": "/e/0"}})")}) {
        const Config config = configOf(linkray::app::parseConfig(meter(section)));
        QCOMPARE(config.meter.type, MeterType::HttpJson);
        const QJsonObject json = linkray::app::toJson(config);
        const ConfigResult again = linkray::app::parseConfig(QJsonDocument(json).toJson());
        QVERIFY2(std::holds_alternative<Config>(again), qPrintable(describe(errorsOf(again))));
        QVERIFY2(std::get<Config>(again) == config, QJsonDocument(json).toJson().constData());
    }

    // Every field of the meter counts in the comparison.
    const Config shelly = configOf(linkray::app::parseConfig(meter(shellyMeter)));
    Config changed = shelly;
    changed.meter.values[u"currentL2"_s].scale = 0.01;
    QVERIFY(!(changed == shelly));
    changed = shelly;
    changed.meter.password = u"other"_s;
    QVERIFY(!(changed == shelly));
}

void TestHttpJsonMeterConfig::documentedExamplesParse_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("heading");
    QTest::addColumn<QString>("url");

    QTest::newRow("configuration.md, Shelly Pro 3EM")
        << QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../docs/configuration.md") << QByteArray("### `meter.values`")
        << u"http://192.168.1.60/rpc/EM.GetStatus?id=0"_s;
    QTest::newRow("meters.md, Shelly 3EM") << QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../docs/meters.md")
                                           << QByteArray("## HTTP/JSON meters") << u"http://192.168.1.61/status"_s;
}

void TestHttpJsonMeterConfig::documentedExamplesParse()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, heading);
    QFETCH(QString, url);

    const QByteArray example = markdownJsonBlockAfter(file, heading);
    QVERIFY2(!example.isEmpty(), qPrintable(file));
    const Config config = configOf(linkray::app::parseConfig(doc(example)));
    QCOMPARE(config.meter.type, MeterType::HttpJson);
    QCOMPARE(config.meter.url, url);
    QCOMPARE(config.meter.values.size(), 10); // voltages, currents and powers of three phases, total power
}

void TestHttpJsonMeterConfig::meterFromConfigBuildsTheDriver()
{
    const Config config = configOf(linkray::app::parseConfig(meter(shellyMeter)));
    linkray::ManualClock clock;
    QString error;
    const auto driver = linkray::app::meterFromConfig(config.meter, clock, &error);
    const auto* http = qobject_cast<linkray::meter::HttpJsonMeter*>(driver.get());
    QVERIFY2(http, qPrintable(error));

    const linkray::meter::HttpJsonSettings& settings = http->httpSettings();
    QCOMPARE(settings.url, QUrl(u"https://meter.local:8443/rpc/EM.GetStatus?id=0"_s));
    QCOMPARE(settings.username, u"admin"_s);
    QCOMPARE(settings.password, u"s3cret: with spaces"_s);
    QCOMPARE(settings.timeoutMs, qint64(1500));
    QCOMPARE(http->timeoutMs(), qint64(1500));
    QCOMPARE(settings.fields.size(), 3);
    QCOMPARE(settings.fields[1].quantity, Quantity::CurrentL2);
    QCOMPARE(settings.fields[1].pointer, u"/b_current"_s);
    QCOMPARE(settings.fields[1].scale, 0.001);
    QCOMPARE(settings.fields[2].quantity, Quantity::TotalPower);
    QCOMPARE(settings.fields[2].scale, -1000.0);
    QCOMPARE(http->settings().intervalMs, 2000);
    QCOMPARE(http->settings().staleAfterPolls, 5);

    const Config minimal = configOf(linkray::app::parseConfig(httpMeter({})));
    const auto defaults = linkray::app::meterFromConfig(minimal.meter, clock, &error);
    const auto* httpDefaults = qobject_cast<linkray::meter::HttpJsonMeter*>(defaults.get());
    QVERIFY2(httpDefaults, qPrintable(error));
    QCOMPARE(httpDefaults->httpSettings().timeoutMs, std::nullopt);
    QCOMPARE(httpDefaults->timeoutMs(), qint64(900)); // 90 % of the 1 s poll interval
}

void TestHttpJsonMeterConfig::unusableMeterGivesAnError_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("valueName");
    QTest::addColumn<QString>("error");

    QTest::newRow("no url") << QString() << u"totalPower"_s << u"meter.url: is required for type \"http-json\""_s;
    QTest::newRow("no values") << u"http://10.0.0.7/"_s << QString()
                               << u"meter.values: is required for type \"http-json\""_s;
    QTest::newRow("unknown value") << u"http://10.0.0.7/"_s << u"frequency"_s
                                   << u"meter.values.frequency: not a value of a meter reading"_s;
}

void TestHttpJsonMeterConfig::unusableMeterGivesAnError()
{
    QFETCH(QString, url);
    QFETCH(QString, valueName);
    QFETCH(QString, error);

    MeterConfig config;
    config.type = MeterType::HttpJson;
    config.url = url;
    if (!valueName.isEmpty())
        config.values.insert(valueName, {u"/p"_s, 1.0});
    linkray::ManualClock clock;
    QString reported;
    QVERIFY(!linkray::app::meterFromConfig(config, clock, &reported));
    QCOMPARE(reported, error);
}

QTEST_GUILESS_MAIN(TestHttpJsonMeterConfig)
#include "tst_httpjsonmeterconfig.moc"
