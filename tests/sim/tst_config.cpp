#include "sim/simconfig.h"

#include <QJsonDocument>
#include <QTemporaryFile>
#include <QTest>

namespace sim = linkray::sim;

// linkray-sim's flags and JSON file: what charge points they describe, and errors that name the culprit.
class TestConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void flags_data();
    void flags();
    void jsonMixesChargerTypes();
    void flagsOverrideTheFile();
    void meterAndProfileFlags();
    void batchesIgnoreProfilesAndDrawOnFewerPhases();
    void errorsNameTheKey_data();
    void errorsNameTheKey();
    void chargePointUrlAppendsTheEncodedId_data();
    void chargePointUrlAppendsTheEncodedId();
};

namespace {
std::optional<sim::SimConfig> parse(const QStringList& arguments, QString& error)
{
    QCommandLineParser parser;
    sim::addCommandLineOptions(parser);
    if (!parser.parse(QStringList {QStringLiteral("linkray-sim")} + arguments)) {
        error = parser.errorText();
        return std::nullopt;
    }
    return sim::configFromCommandLine(parser, error);
}
} // namespace

void TestConfig::flags_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("connectors");
    QTest::addColumn<QStringList>("tags");
    QTest::newRow("defaults") << QStringList {} << QStringList {QStringLiteral("SIM-001")} << QStringLiteral("ac3") << 1
                              << sim::defaultTags();
    QTest::newRow("bench of four ac1") << QStringList {QStringLiteral("--count"), QStringLiteral("4"),
        QStringLiteral("--type"), QStringLiteral("ac1"), QStringLiteral("--id-prefix"), QStringLiteral("CP-"),
        QStringLiteral("--connectors"), QStringLiteral("2"), QStringLiteral("--tags"), QStringLiteral("T1,T2")}
                                       << QStringList {QStringLiteral("CP-001"), QStringLiteral("CP-002"),
                                              QStringLiteral("CP-003"), QStringLiteral("CP-004")}
                                       << QStringLiteral("ac1") << 2
                                       << QStringList {QStringLiteral("T1"), QStringLiteral("T2")};
}

void TestConfig::flags()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, ids);
    QFETCH(QString, type);
    QFETCH(int, connectors);
    QFETCH(QStringList, tags);
    QString error;
    const auto config = parse(arguments, error);
    QVERIFY2(config, qPrintable(error));
    QStringList actualIds;
    for (const sim::ChargePointSettings& chargePoint : config->chargePoints()) {
        actualIds.append(chargePoint.id);
        QCOMPARE(sim::chargerTypeName(chargePoint.hardware.type), type);
        QCOMPARE(chargePoint.hardware.connectors, connectors);
        QCOMPARE(chargePoint.tags, tags);
    }
    QCOMPARE(actualIds, ids);
}

void TestConfig::jsonMixesChargerTypes()
{
    const QByteArray json = R"({"url": "ws://lr.local:8180/ocpp", "timeScale": 60, "maxCurrent": 16,
        "chargers": [{"type": "ac3", "count": 2}, {"type": "dc", "count": 1, "maxPowerKw": 150}]})";
    QString error;
    const auto config = sim::configFromJson(QJsonDocument::fromJson(json).object(), error);
    QVERIFY2(config, qPrintable(error));
    const auto chargePoints = config->chargePoints();
    QCOMPARE(chargePoints.size(), 3);
    QCOMPARE(chargePoints.at(1).hardware.type, sim::ChargerType::Ac3);
    QCOMPARE(chargePoints.at(1).hardware.maxCurrentA, 16.0);
    QCOMPARE(chargePoints.at(2).id, QStringLiteral("SIM-003"));
    QCOMPARE(chargePoints.at(2).hardware.type, sim::ChargerType::Dc);
    QCOMPARE(chargePoints.at(2).hardware.maxPowerKw, 150.0);
    QCOMPARE(config->timeScale, 60.0);
}

void TestConfig::flagsOverrideTheFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(R"({"count": 3, "timeScale": 10, "password": "from-file-secret"})");
    file.close();
    QString error;
    const auto config = parse(
        {QStringLiteral("--config"), file.fileName(), QStringLiteral("--time-scale"), QStringLiteral("60")}, error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->timeScale, 60.0);
    QCOMPARE(config->chargePoints().size(), 3);
    QCOMPARE(config->chargePoints().first().password, QStringLiteral("from-file-secret"));
}

void TestConfig::meterAndProfileFlags()
{
    QString error;
    auto config = parse({}, error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->meter.port, quint16(0)); // no meter unless asked for
    QCOMPARE(config->chargePoints().first().profileDelaySeconds, 5.0);

    config = parse(
        {QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--meter-port"), QStringLiteral("5020"),
            QStringLiteral("--meter-unit-id"), QStringLiteral("7"), QStringLiteral("--base-load-a"),
            QStringLiteral("20,15,10"), QStringLiteral("--voltage"), QStringLiteral("240"),
            QStringLiteral("--base-load-file"), QStringLiteral("/tmp/load"), QStringLiteral("--ignore-profiles"),
            QStringLiteral("2"), QStringLiteral("--car-phases"), QStringLiteral("1"), QStringLiteral("--site-phase"),
            QStringLiteral("3"), QStringLiteral("--profile-delay-seconds"), QStringLiteral("12")},
        error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->meter.port, quint16(5020));
    QCOMPARE(config->meter.unitId, 7);
    QCOMPARE(config->meter.baseLoadA, (std::array<double, 3> {20, 15, 10}));
    QCOMPARE(config->meter.voltageV, 240.0);
    QCOMPARE(config->meter.baseLoadFile, QStringLiteral("/tmp/load"));
    const auto chargePoints = config->chargePoints();
    QCOMPARE(chargePoints.at(0).hardware.ignoreProfiles, true);
    QCOMPARE(chargePoints.at(1).hardware.ignoreProfiles, true);
    QCOMPARE(chargePoints.at(2).hardware.ignoreProfiles, false);
    QCOMPARE(chargePoints.at(2).hardware.carPhases, 1);
    QCOMPARE(chargePoints.at(2).hardware.sitePhase, 3);
    QCOMPARE(chargePoints.at(2).profileDelaySeconds, 12.0);

    config = parse({QStringLiteral("--base-load-a"), QStringLiteral("16")}, error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->meter.baseLoadA, (std::array<double, 3> {16, 16, 16}));
}

void TestConfig::batchesIgnoreProfilesAndDrawOnFewerPhases()
{
    const QByteArray json = R"({"baseLoadA": [30, 25, 20], "meterPort": 1502, "chargers": [
        {"type": "ac3", "count": 1, "carPhases": 2},
        {"type": "ac1", "count": 2, "sitePhase": 2, "ignoreProfiles": true}]})";
    QString error;
    const auto config = sim::configFromJson(QJsonDocument::fromJson(json).object(), error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->meter.baseLoadA, (std::array<double, 3> {30, 25, 20}));
    const auto chargePoints = config->chargePoints();
    QCOMPARE(chargePoints.at(0).hardware.carPhases, 2);
    QCOMPARE(chargePoints.at(0).hardware.ignoreProfiles, false);
    QCOMPARE(chargePoints.at(2).hardware.sitePhase, 2);
    QCOMPARE(chargePoints.at(2).hardware.ignoreProfiles, true);

    QVERIFY(!sim::configFromJson(QJsonDocument::fromJson(R"({"chargers": [{"ignoreProfiles": 2}]})").object(), error));
    QCOMPARE(error, QStringLiteral("chargers[0]: ignoreProfiles: must be true or false in a batch"));
}

void TestConfig::errorsNameTheKey_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("culprit");
    QTest::newRow("bad type") << QStringList {QStringLiteral("--type"), QStringLiteral("ac2")}
                              << QStringLiteral("type");
    QTest::newRow("not a number") << QStringList {QStringLiteral("--count"), QStringLiteral("many")}
                                  << QStringLiteral("--count");
    QTest::newRow("zero count") << QStringList {QStringLiteral("--count"), QStringLiteral("0")}
                                << QStringLiteral("count");
    QTest::newRow("current below 6 A") << QStringList {QStringLiteral("--max-current"), QStringLiteral("4")}
                                       << QStringLiteral("maxCurrent");
    QTest::newRow("http url") << QStringList {QStringLiteral("--url"), QStringLiteral("http://x")}
                              << QStringLiteral("url");
    QTest::newRow("two base loads") << QStringList {QStringLiteral("--base-load-a"), QStringLiteral("20,15")}
                                    << QStringLiteral("--base-load-a");
    QTest::newRow("unit id 0") << QStringList {QStringLiteral("--meter-unit-id"), QStringLiteral("0")}
                               << QStringLiteral("meterUnitId");
    QTest::newRow("four car phases") << QStringList {QStringLiteral("--car-phases"), QStringLiteral("4")}
                                     << QStringLiteral("carPhases");
    QTest::newRow("negative delay") << QStringList {QStringLiteral("--profile-delay-seconds"), QStringLiteral("-1")}
                                    << QStringLiteral("profileDelaySeconds");
    QTest::newRow("missing file") << QStringList {QStringLiteral("--config"), QStringLiteral("/nonexistent.json")}
                                  << QStringLiteral("--config");
}

void TestConfig::errorsNameTheKey()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, culprit);
    QString error;
    QVERIFY(!parse(arguments, error));
    QVERIFY2(error.startsWith(culprit + QLatin1Char(':')), qPrintable(error));
}

void TestConfig::chargePointUrlAppendsTheEncodedId_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("ws://127.0.0.1:8180/ocpp") << QStringLiteral("SIM-001")
                           << QStringLiteral("ws://127.0.0.1:8180/ocpp/SIM-001");
    QTest::newRow("trailing slash") << QStringLiteral("ws://h/ocpp/") << QStringLiteral("A")
                                    << QStringLiteral("ws://h/ocpp/A");
    QTest::newRow("encoded") << QStringLiteral("wss://h/ocpp") << QStringLiteral("CP 1/ü")
                             << QStringLiteral("wss://h/ocpp/CP%201%2F%C3%BC");
}

void TestConfig::chargePointUrlAppendsTheEncodedId()
{
    QFETCH(QString, base);
    QFETCH(QString, id);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromLatin1(sim::chargePointUrl(QUrl(base), id).toEncoded()), expected);
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
