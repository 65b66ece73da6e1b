#include "app/config.h"
#include "configtest.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace configtest;
using linkray::app::ChargerKind;
using linkray::app::MeterType;
using linkray::app::Phase;

// The site, meter and balancing sections: their defaults, the forms they accept and their round trip. Their invalid
// inputs are rows of tst_config's table (configrows_site.cpp).
class TestSiteConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void missingKeysTakeTheirDefaults();
    void phaseLimitTakesOneOrThreeValues();
    void boundaryValuesAreAccepted();
    void eachCycleIsReportedOnce();
    void meterTypesAreRead();
    void toJsonRoundTrips_data();
    void toJsonRoundTrips();
};

void TestSiteConfig::missingKeysTakeTheirDefaults()
{
    const Config config = configOf(linkray::app::parseConfig(doc(R"(
        "site": {"groups": [{"id": "g", "phaseLimitA": 16}]},
        "chargePoints": [{"id": "A"}, {"id": "B", "balancing": {"kind": "ac1"}},
                         {"id": "C", "balancing": {"kind": "dc", "minPowerKw": 0, "maxPowerKw": 50}}])")));

    const linkray::app::SiteConfig& site = config.site;
    QCOMPARE(site.phaseLimitA, (linkray::app::PhaseCurrents {32, 32, 32}));
    QCOMPARE(site.powerLimitKw, std::nullopt);
    QCOMPARE(site.safetyMarginA, 2.0);
    QCOMPARE(site.failSafeLimitA, 16.0);
    QCOMPARE(site.voltage, 230.0);
    QCOMPARE(site.rotationIntervalMinutes, 15);
    QCOMPARE(site.groups.size(), 1);
    QCOMPARE(site.groups[0].parent, QString());
    QCOMPARE(site.groups[0].phaseLimitA, (linkray::app::PhaseCurrents {16, 16, 16}));
    QCOMPARE(site.groups[0].powerLimitKw, std::nullopt);
    QCOMPARE(site.control.hysteresisA, 1.0);
    QCOMPARE(site.control.hysteresisW, 500.0);
    QCOMPARE(site.control.increaseDelaySeconds, 20);
    QCOMPARE(site.control.rampStepA, 4.0);
    QCOMPARE(site.control.failSafeAfterSeconds, 900);
    QCOMPARE(site.control.profileId, 90210);
    QCOMPARE(site.control.stackLevel, 8);
    QCOMPARE(config.meter.type, MeterType::None);

    const linkray::app::BalancingConfig& ac3 = config.chargePoints[0].balancing;
    QCOMPARE(ac3.enabled, false); // opt-in per charger
    QCOMPARE(ac3.group, QString());
    QCOMPARE(ac3.priority, 0);
    QCOMPARE(ac3.kind, ChargerKind::Ac3Phase);
    QCOMPARE(ac3.phaseRotation, (QList<Phase> {Phase::L1, Phase::L2, Phase::L3}));
    QCOMPARE(ac3.minCurrentA, 6.0);
    QCOMPARE(ac3.maxCurrentA, 32.0);
    QCOMPARE(ac3.minPowerKw, std::nullopt);
    QCOMPARE(ac3.onePhaseFallback, false);
    QCOMPARE(ac3.followsProfiles, true);
    QCOMPARE(ac3.profilePurpose, linkray::app::ProfilePurpose::ChargePointMax);
    QCOMPARE(config.chargePoints[1].balancing.phaseRotation, QList<Phase> {Phase::L1});
    QCOMPARE(config.chargePoints[2].balancing.maxPowerKw, 50.0);

    const linkray::app::MeterConfig tcp
        = configOf(linkray::app::parseConfig(
                       doc(R"("meter": {"type": "modbus-tcp", "model": "eastron-sdm630", "host": "10.0.0.5"})")))
              .meter;
    QCOMPARE(tcp.port, 502);
    QCOMPARE(tcp.unitId, 1);
    QCOMPARE(tcp.pollIntervalSeconds, 1.0);
    QCOMPARE(tcp.staleAfterPolls, 3);
    QCOMPARE(tcp.baseAddress, std::nullopt);
    const linkray::app::MeterConfig rtu = configOf(
        linkray::app::parseConfig(
            doc(R"("meter": {"type": "modbus-rtu", "model": "eastron-sdm630", "serialPort": "/dev/ttyUSB0"})")))
                                              .meter;
    QCOMPARE(rtu.baudRate, 9600);
    QCOMPARE(rtu.parity, linkray::app::Parity::None);
    QCOMPARE(rtu.dataBits, 8);
    QCOMPARE(rtu.stopBits, 1);
}

void TestSiteConfig::phaseLimitTakesOneOrThreeValues()
{
    const Config config = configOf(linkray::app::parseConfig(
        doc(R"("site": {"phaseLimitA": 25, "groups": [{"id": "g", "phaseLimitA": [32, 25.5, 20]}]})")));
    QCOMPARE(config.site.phaseLimitA, (linkray::app::PhaseCurrents {25, 25, 25}));
    QCOMPARE(config.site.groups[0].phaseLimitA, (linkray::app::PhaseCurrents {32, 25.5, 20}));
}

void TestSiteConfig::boundaryValuesAreAccepted()
{
    const Config config = configOf(linkray::app::parseConfig(doc(R"(
        "site": {"phaseLimitA": 1, "safetyMarginA": 0, "failSafeLimitA": 0, "voltage": 100,
                 "rotationIntervalMinutes": 1440, "powerLimitKw": 100000,
                 "control": {"hysteresisA": 0, "rampStepA": 0.1, "profileId": 2000000000, "stackLevel": 0}},
        "meter": {"type": "modbus-rtu", "model": "sunspec-meter", "serialPort": "/dev/ttyAMA0", "baudRate": 115200,
                  "unitId": 247, "dataBits": 7, "stopBits": 2, "pollIntervalSeconds": 0.2, "staleAfterPolls": 100,
                  "baseAddress": 0},
        "chargePoints": [{"id": "A", "balancing": {"minCurrentA": 80, "maxCurrentA": 80, "priority": -1000,
                                                   "kind": "ac1", "phaseRotation": ["L3"],
                                                   "profilePurpose": "ChargePointMaxProfile", "rateUnit": "W"}},
                         {"id": "B", "balancing": {"kind": "dc", "minPowerKw": 1000, "maxPowerKw": 1000,
                                                   "profilePurpose": "TxDefaultProfile", "rateUnit": "A"}}])")));

    QCOMPARE(config.site.phaseLimitA, (linkray::app::PhaseCurrents {1, 1, 1}));
    QCOMPARE(config.site.control.profileId, 2000000000);
    QCOMPARE(config.meter.pollIntervalSeconds, 0.2);
    QCOMPARE(config.meter.baseAddress, 0);
    QCOMPARE(config.chargePoints[0].balancing.phaseRotation, QList<Phase> {Phase::L3});
    QCOMPARE(config.chargePoints[0].balancing.minCurrentA, 80.0);
    QCOMPARE(config.chargePoints[1].balancing.minPowerKw, 1000.0);
    QCOMPARE(config.chargePoints[0].balancing.profilePurpose, linkray::app::ProfilePurpose::ChargePointMax);
    QCOMPARE(config.chargePoints[1].balancing.profilePurpose, linkray::app::ProfilePurpose::TxDefault);
    QCOMPARE(config.chargePoints[0].balancing.rateUnit, linkray::app::ChargingRateUnit::Watts);
    QCOMPARE(config.chargePoints[1].balancing.rateUnit, linkray::app::ChargingRateUnit::Amperes);
}

void TestSiteConfig::eachCycleIsReportedOnce()
{
    // Two loops, and a group hanging below one of them that is not part of it.
    const QList<ConfigError> errors = errorsOf(linkray::app::parseConfig(doc(R"("site": {"groups": [
        {"id": "below", "parent": "a", "phaseLimitA": 16},
        {"id": "a", "parent": "b", "phaseLimitA": 16},
        {"id": "b", "parent": "a", "phaseLimitA": 16},
        {"id": "self", "parent": "self", "phaseLimitA": 16}]})")));

    QCOMPARE(errors.size(), 2);
    QVERIFY2(
        containsError(errors, u"site.groups[1].parent"_s, u"\"a\" → \"b\" → \"a\""_s), qPrintable(describe(errors)));
    QVERIFY2(containsError(errors, u"site.groups[3].parent"_s, u"\"self\" → \"self\""_s), qPrintable(describe(errors)));
}

void TestSiteConfig::meterTypesAreRead()
{
    const Config config = configOf(linkray::app::parseConfig(doc(R"("meter": {
        "type": "modbus-rtu", "model": "custom", "serialPort": "/dev/ttyUSB1", "parity": "even",
        "registerMap": {"id": "mine", "values": {"totalPower": {"address": 52, "type": "float32", "unit": "W"}}}})")));

    QCOMPARE(config.meter.type, MeterType::ModbusRtu);
    QCOMPARE(config.meter.model, u"custom"_s);
    QCOMPARE(config.meter.serialPort, u"/dev/ttyUSB1"_s);
    QCOMPARE(config.meter.parity, linkray::app::Parity::Even);
    QCOMPARE(config.meter.registerMap.value("id"_L1).toString(), u"mine"_s);
}

void TestSiteConfig::toJsonRoundTrips_data()
{
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("rtu meter") << doc(R"("meter": {"type": "modbus-rtu", "model": "abb-b2x", "serialPort": "COM3",
        "baudRate": 19200, "parity": "odd", "stopBits": 2, "unitId": 12})");
    QTest::newRow("custom map") << doc(R"("meter": {"type": "modbus-tcp", "model": "custom", "host": "fd00::5",
        "registerMap": {"id": "mine", "defaults": {"type": "int32", "wordOrder": "little"},
                        "values": {"currentL1": {"address": 12, "scale": 0.001, "unit": "A"}}}})");
    QTest::newRow("one-phase chargers and groups") << doc(R"(
        "site": {"phaseLimitA": [40, 35.1, 40], "groups": [{"id": "carport", "phaseLimitA": 25, "powerLimitKw": 11}]},
        "chargePoints": [{"id": "A", "balancing": {"kind": "ac1", "phaseRotation": ["L2"], "group": "carport"}},
                         {"id": "B", "balancing": {"kind": "ac1"}}])");
    QTest::newRow("TxDefaultProfile fallback") << doc(
        R"("chargePoints": [{"id": "A", "balancing": {"enabled": true, "profilePurpose": "TxDefaultProfile"}}])");
    QTest::newRow("rate unit set") << doc(
        R"("chargePoints": [{"id": "A", "balancing": {"enabled": true, "rateUnit": "W"}}])");
}

void TestSiteConfig::toJsonRoundTrips()
{
    QFETCH(QByteArray, json);

    const Config config = configOf(linkray::app::parseConfig(json));
    QVERIFY(!(config == Config()));
    const QByteArray written = QJsonDocument(linkray::app::toJson(config)).toJson();
    const ConfigResult again = linkray::app::parseConfig(written);
    QVERIFY2(std::holds_alternative<Config>(again), qPrintable(describe(errorsOf(again))));
    QVERIFY2(std::get<Config>(again) == config, written.constData());
}

QTEST_GUILESS_MAIN(TestSiteConfig)
#include "tst_siteconfig.moc"
