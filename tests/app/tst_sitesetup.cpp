#include "app/sitesetup.h"
#include "configtest.h"
#include "core/clock.h"
#include "meter/modbusmeter.h"

#include <QJsonDocument>
#include <QModbusRtuSerialClient>
#include <QModbusTcpClient>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace configtest;
using linkray::balancer::ChargerKind;
using linkray::balancer::Phase;

class TestSiteSetup : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void siteModelFollowsTheConfiguration();
    void everyConnectorIsACharger();
    void meterDriverMatchesTheType();
    void unusableMeterGivesAnError_data();
    void unusableMeterGivesAnError();
};

void TestSiteSetup::siteModelFollowsTheConfiguration()
{
    const Config config = configOf(linkray::app::parseConfig(doc(R"(
        "site": {"phaseLimitA": [40, 35, 40], "powerLimitKw": 22, "safetyMarginA": 3, "failSafeLimitA": 10,
                 "voltage": 240,
                 "groups": [{"id": "garage", "phaseLimitA": 32, "powerLimitKw": 20},
                            {"id": "left", "parent": "garage", "phaseLimitA": [16, 20, 16]}]},
        "chargePoints": [
            {"id": "A", "balancing": {"enabled": true, "group": "left", "priority": 2, "phaseRotation": ["L2", "L3", "L1"],
                                      "minCurrentA": 8, "maxCurrentA": 16, "onePhaseFallback": true}},
            {"id": "B", "balancing": {"enabled": true, "kind": "ac1", "phaseRotation": ["L3"],
                                      "profilePurpose": "TxDefaultProfile", "rateUnit": "W"}},
            {"id": "C", "balancing": {"enabled": true, "kind": "dc", "minPowerKw": 5, "maxPowerKw": 150, "group": "garage",
                                      "profilePurpose": "TxProfile"}},
            {"id": "D", "balancing": {"enabled": false, "followsProfiles": false}}])")));

    const linkray::balancer::SiteModel model = linkray::app::siteModelFromConfig(config, {});

    QCOMPARE(model.gridLimitA, (linkray::balancer::PhaseValues {40, 35, 40}));
    QCOMPARE(model.powerLimitW, 22000.0);
    QCOMPARE(model.safetyMarginA, 3.0);
    QCOMPARE(model.nominalVoltageV, 240.0);
    QCOMPARE(model.failSafeLimitA, (linkray::balancer::PhaseValues {10, 10, 10}));

    QCOMPARE(model.groups.size(), std::size_t(2));
    QCOMPARE(model.groups[0].id, u"garage"_s);
    QCOMPARE(model.groups[0].parentId, std::nullopt);
    QCOMPARE(model.groups[0].limitA, (linkray::balancer::PhaseValues {32, 32, 32}));
    QCOMPARE(model.groups[0].powerLimitW, 20000.0);
    QCOMPARE(model.groups[1].parentId, u"garage"_s);
    QCOMPARE(model.groups[1].limitA, (linkray::balancer::PhaseValues {16, 20, 16}));
    QCOMPARE(model.groups[1].powerLimitW, std::nullopt);

    QCOMPARE(model.chargers.size(), std::size_t(4));
    const linkray::balancer::ChargerConfig& a = model.chargers[0];
    QCOMPARE(a.id.toString(), u"A/1"_s);
    QCOMPARE(a.groupId, u"left"_s);
    QCOMPARE(a.priority, 2);
    QCOMPARE(a.kind, ChargerKind::Ac3Phase);
    QVERIFY(a.phaseRotation == (std::array<Phase, 3> {Phase::L2, Phase::L3, Phase::L1}));
    QCOMPARE(a.minCurrentA, 8.0);
    QCOMPARE(a.maxCurrentA, 16.0);
    QVERIFY(a.onePhaseFallback);
    QVERIFY(a.isBalanced());
    QCOMPARE(a.profilePurpose, linkray::balancer::ProfilePurpose::ChargePointMax);
    QCOMPARE(a.rateUnit, std::nullopt); // asked from the charger

    const linkray::balancer::ChargerConfig& b = model.chargers[1];
    QCOMPARE(b.kind, ChargerKind::Ac1Phase);
    QCOMPARE(b.groupId, std::nullopt);
    QCOMPARE(b.phaseRotation[0], Phase::L3); // the site phase a 1-phase charger loads
    QCOMPARE(b.rateUnit, linkray::balancer::RateUnit::Watts);
    QCOMPARE(b.profilePurpose, linkray::balancer::ProfilePurpose::TxDefault);

    const linkray::balancer::ChargerConfig& c = model.chargers[2];
    QCOMPARE(c.kind, ChargerKind::Dc);
    QCOMPARE(c.minPowerW, 5000.0);
    QCOMPARE(c.maxPowerW, 150000.0);
    QCOMPARE(c.profilePurpose, linkray::balancer::ProfilePurpose::Tx);

    const linkray::balancer::ChargerConfig& d = model.chargers[3];
    QVERIFY(!d.balancingEnabled);
    QVERIFY(!d.followsProfiles);
    QVERIFY(!d.isBalanced());
}

void TestSiteSetup::everyConnectorIsACharger()
{
    const Config config = configOf(linkray::app::parseConfig(
        doc(R"("chargePoints": [{"id": "TWIN", "balancing": {"priority": 1}}, {"id": "SOLO"}, {"id": "ZERO"}])")));

    const linkray::balancer::SiteModel model
        = linkray::app::siteModelFromConfig(config, {{u"TWIN"_s, 2}, {u"ZERO"_s, 0}, {u"UNCONFIGURED"_s, 4}});

    QStringList ids;
    for (const linkray::balancer::ChargerConfig& charger : model.chargers)
        ids.append(charger.id.toString());
    QCOMPARE(ids, (QStringList {u"TWIN/1"_s, u"TWIN/2"_s, u"SOLO/1"_s, u"ZERO/1"_s}));
    QCOMPARE(model.chargers[1].priority, 1);
}

void TestSiteSetup::meterDriverMatchesTheType()
{
    linkray::ManualClock clock;
    QString error;

    const auto none = linkray::app::meterFromConfig(linkray::app::MeterConfig(), clock, &error);
    QVERIFY(qobject_cast<linkray::meter::StaticMeter*>(none.get()));

    const Config tcpConfig = configOf(linkray::app::parseConfig(doc(R"("meter": {"type": "modbus-tcp",
        "model": "sunspec-meter", "baseAddress": 40121, "host": "10.0.0.5", "pollIntervalSeconds": 0.5,
        "staleAfterPolls": 4})")));
    const auto tcp = linkray::app::meterFromConfig(tcpConfig.meter, clock, &error);
    const auto* tcpMeter = qobject_cast<linkray::meter::ModbusMeter*>(tcp.get());
    QVERIFY2(tcpMeter, qPrintable(error));
    QVERIFY(tcpMeter->findChild<QModbusTcpClient*>());
    QCOMPARE(tcpMeter->registerMap().id, u"sunspec-meter"_s);
    QCOMPARE(tcpMeter->registerMap().baseAddress, 40121);
    QCOMPARE(tcpMeter->settings().intervalMs, 500);
    QCOMPARE(tcpMeter->settings().staleAfterPolls, 4);

    const Config rtuConfig = configOf(linkray::app::parseConfig(doc(R"("meter": {"type": "modbus-rtu",
        "model": "custom", "serialPort": "/dev/ttyUSB0",
        "registerMap": {"id": "mine", "values": {"totalPower": {"address": 52, "type": "float32", "unit": "W"}}}})")));
    const auto rtu = linkray::app::meterFromConfig(rtuConfig.meter, clock, &error);
    const auto* rtuMeter = qobject_cast<linkray::meter::ModbusMeter*>(rtu.get());
    QVERIFY2(rtuMeter, qPrintable(error));
    QVERIFY(rtuMeter->findChild<QModbusRtuSerialClient*>());
    QCOMPARE(rtuMeter->registerMap().id, u"mine"_s);
    QCOMPARE(rtuMeter->settings().intervalMs, 1000);
}

void TestSiteSetup::unusableMeterGivesAnError_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QByteArray>("registerMap");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("error");

    QTest::newRow("bad custom map") << u"custom"_s << R"({"values": {"totalPower": {"address": 1, "type": "float64",
        "unit": "W"}}})"_ba << u"10.0.0.5"_s
                                    << u"meter.registerMap: values.totalPower.type: unknown type"_s;
    QTest::newRow("no such built-in map") << u"eastron-sdm999"_s << "{}"_ba << u"10.0.0.5"_s
                                          << u"meter.model: no built-in register map \"eastron-sdm999\""_s;
    QTest::newRow("no host") << u"eastron-sdm630"_s << "{}"_ba << QString()
                             << u"meter.host: is required for type \"modbus-tcp\""_s;
}

void TestSiteSetup::unusableMeterGivesAnError()
{
    QFETCH(QString, model);
    QFETCH(QByteArray, registerMap);
    QFETCH(QString, host);
    QFETCH(QString, error);

    linkray::app::MeterConfig config;
    config.type = linkray::app::MeterType::ModbusTcp;
    config.model = model;
    config.registerMap = QJsonDocument::fromJson(registerMap).object();
    config.host = host;
    linkray::ManualClock clock;
    QString reported;
    QVERIFY(!linkray::app::meterFromConfig(config, clock, &reported));
    QVERIFY2(reported.startsWith(error), qPrintable(reported));
}

QTEST_GUILESS_MAIN(TestSiteSetup)
#include "tst_sitesetup.moc"
