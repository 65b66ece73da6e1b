#include "balancer/chargerobservation.h"

#include <QJsonDocument>
#include <QTest>

using namespace linkray::balancer;
namespace v16 = linkray::ocpp::v16;

Q_DECLARE_METATYPE(std::optional<linkray::balancer::PhaseValues>)
Q_DECLARE_METATYPE(std::optional<double>)

namespace {
v16::MeterValuesRequest meterValues(const char* json)
{
    return v16::MeterValuesRequest::fromJson(QJsonDocument::fromJson(json).object());
}
} // namespace

// What the balancer reads from the chargers' StatusNotification and MeterValues.
class TestObservation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void meterValues_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("observed");
        QTest::addColumn<std::optional<PhaseValues>>("current");
        QTest::addColumn<std::optional<double>>("power");
        using P = std::optional<PhaseValues>;
        QTest::addRow("three phases and power")
            << QByteArray(R"({"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[
                 {"value":"15.5","measurand":"Current.Import","phase":"L1","unit":"A"},
                 {"value":"16","measurand":"Current.Import","phase":"L2","unit":"A"},
                 {"value":"0.2","measurand":"Current.Import","phase":"L3","unit":"A"},
                 {"value":"7.4","measurand":"Power.Active.Import","unit":"kW"}]}]})")
            << true << P(PhaseValues {15.5, 16, 0.2}) << std::optional<double>(7400);
        QTest::addRow("phases against neutral")
            << QByteArray(R"({"connectorId":2,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[
                 {"value":"10","measurand":"Current.Import","phase":"L2-N"}]}]})")
            << true << P(PhaseValues {0, 10, 0}) << std::optional<double>();
        QTest::addRow("single-phase charger without a phase")
            << QByteArray(R"({"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[
                 {"value":"12","measurand":"Current.Import"}]}]})")
            << true << P(PhaseValues {12, 0, 0}) << std::optional<double>();
        QTest::addRow("the newest sample counts") << QByteArray(R"({"connectorId":1,"meterValue":[
                 {"timestamp":"2026-01-01T00:01:00Z","sampledValue":[{"value":"8","measurand":"Current.Import","phase":"L1"}]},
                 {"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":"30","measurand":"Current.Import","phase":"L1"}]}]})")
                                                  << true << P(PhaseValues {8, 0, 0}) << std::optional<double>();
        QTest::addRow("DC power in W") << QByteArray(
            R"({"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[
                 {"value":"50000","measurand":"Power.Active.Import","unit":"W"}]}]})")
                                       << true << P() << std::optional<double>(50000);
        QTest::addRow("energy register only")
            << QByteArray(R"({"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[
                 {"value":"1234"}]}]})")
            << false << P() << std::optional<double>();
        QTest::addRow("signed data is not a number")
            << QByteArray(R"({"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[
                 {"value":"AB12","format":"SignedData","measurand":"Current.Import","phase":"L1"}]}]})")
            << false << P() << std::optional<double>();
        QTest::addRow("connector 0 is the whole charge point")
            << QByteArray(R"({"connectorId":0,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[
                 {"value":"10","measurand":"Current.Import","phase":"L1"}]}]})")
            << false << P() << std::optional<double>();
    }

    void meterValues()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, observed);
        QFETCH(std::optional<PhaseValues>, current);
        QFETCH(std::optional<double>, power);
        const auto observation = observationFrom(::meterValues(json.constData()));
        QCOMPARE(observation.has_value(), observed);
        if (!observation)
            return;
        QCOMPARE(observation->currentImportA, current);
        QCOMPARE(observation->powerActiveImportW, power);
        QVERIFY(!observation->status);
    }

    void statusOfAConnector()
    {
        v16::StatusNotificationRequest status;
        status.connectorId = 2;
        status.status = QStringLiteral("SuspendedEV");
        const auto observation = observationFrom(status);
        QVERIFY(observation);
        QCOMPARE(observation->status, std::optional<QString>(QStringLiteral("SuspendedEV")));
        QVERIFY(!observation->currentImportA);
        status.connectorId = 0;
        QVERIFY(!observationFrom(status));
    }
};

QTEST_GUILESS_MAIN(TestObservation)
#include "tst_observation.moc"
