#include "bench.h"

#include <QSignalSpy>
#include <QTest>

namespace v16 = linkray::ocpp::v16;
namespace sim = linkray::sim;

Q_DECLARE_METATYPE(linkray::sim::ChargerType)

namespace {

constexpr qint64 Minute = 60 * 1000;

// The sampled values of one measurand in a meter value, in phase order.
QList<double> values(const v16::MeterValue& meterValue, const QString& measurand)
{
    QList<double> found;
    for (const v16::SampledValue& sampled : meterValue.sampledValue) {
        if (sampled.measurand == measurand)
            found.append(sampled.value.toDouble());
    }
    return found;
}

double energyWh(const v16::MeterValue& meterValue)
{
    return values(meterValue, QStringLiteral("Energy.Active.Import.Register")).value(0, -1);
}

v16::ChargingProfile profile(
    qint64 id, const QString& purpose, qint64 stackLevel, double limit, const QString& unit = QStringLiteral("A"))
{
    v16::ChargingProfile profile;
    profile.chargingProfileId = id;
    profile.stackLevel = stackLevel;
    profile.chargingProfilePurpose = purpose;
    profile.chargingProfileKind = QStringLiteral("Relative");
    profile.chargingSchedule.chargingRateUnit = unit;
    v16::ChargingSchedulePeriod period;
    period.limit = limit;
    profile.chargingSchedule.chargingSchedulePeriod = {period};
    return profile;
}

} // namespace

// One simulated charge point seen from the CSMS: boot, status, heartbeat, and the life of a charging session.
class TestChargePoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bootsThenReportsStatusAndBeatsHeart();
    void retriesBootWhenNotAccepted_data();
    void retriesBootWhenNotAccepted();
    void chargingSessionIsMeteredConsistently_data();
    void chargingSessionIsMeteredConsistently();
    void rejectedTagDoesNotStartCharging();
    void transactionNotAuthorisedIsStoppedAtOnce();
    void chargingProfileSetsTheCurrent_data();
    void chargingProfileSetsTheCurrent();
    void randomArrivalsAreReproducible();
    void offlineThenRebootsOnReconnect();
};

void TestChargePoint::bootsThenReportsStatusAndBeatsHeart()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3, 2));
    QSignalSpy events(&bench.chargePoint, &sim::ChargePoint::notableEvent);
    bench.heartbeatInterval = 120;
    bench.boot();

    const auto boots = bench.received<v16::BootNotificationRequest>();
    QCOMPARE(boots.size(), 1);
    QCOMPARE(boots.first().chargePointVendor, QStringLiteral("LinkRay"));
    QCOMPARE(boots.first().chargePointModel, QStringLiteral("Sim-AC3"));
    QCOMPARE(bench.receivedActions().first(), QStringLiteral("BootNotification"));
    for (int connectorId : {0, 1, 2})
        QCOMPARE(bench.statusesOf(connectorId), QStringList {QStringLiteral("Available")});
    QCOMPARE(events.size(), 1);

    bench.advance(119 * 1000);
    QCOMPARE(bench.received<v16::HeartbeatRequest>().size(), 0);
    bench.advance(1000);
    QCOMPARE(bench.received<v16::HeartbeatRequest>().size(), 1);
    bench.advance(2 * 120 * 1000);
    QCOMPARE(bench.received<v16::HeartbeatRequest>().size(), 3);
    QVERIFY(bench.violations.isEmpty());
}

void TestChargePoint::retriesBootWhenNotAccepted_data()
{
    QTest::addColumn<QString>("status");
    QTest::newRow("pending") << QStringLiteral("Pending");
    QTest::newRow("rejected") << QStringLiteral("Rejected");
}

void TestChargePoint::retriesBootWhenNotAccepted()
{
    QFETCH(QString, status);
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.bootStatus = status;
    bench.heartbeatInterval = 30;
    bench.boot();
    QVERIFY(!bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));

    bench.advance(29 * 1000);
    QCOMPARE(bench.received<v16::BootNotificationRequest>().size(), 1);
    bench.bootStatus = QStringLiteral("Accepted");
    bench.advance(1000);
    QCOMPARE(bench.received<v16::BootNotificationRequest>().size(), 2);
    QCOMPARE(bench.receivedActions().mid(0, 2),
        (QStringList {QStringLiteral("BootNotification"), QStringLiteral("BootNotification")}));
    QCOMPARE(bench.statusesOf(1), QStringList {QStringLiteral("Available")});
    QCOMPARE(bench.received<v16::HeartbeatRequest>().size(), 0);
}

void TestChargePoint::chargingSessionIsMeteredConsistently_data()
{
    QTest::addColumn<sim::ChargerType>("type");
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("powerW");
    QTest::addColumn<QList<double>>("currentsA");
    QTest::newRow("ac1 32 A") << sim::ChargerType::Ac1 << QStringLiteral("Sim-AC1") << 7360.0 << QList<double> {32};
    QTest::newRow("ac3 32 A") << sim::ChargerType::Ac3 << QStringLiteral("Sim-AC3") << 22080.0
                              << QList<double> {32, 32, 32};
    QTest::newRow("dc 50 kW") << sim::ChargerType::Dc << QStringLiteral("Sim-DC") << 50000.0
                              << QList<double> {72.5, 72.5, 72.5};
}

void TestChargePoint::chargingSessionIsMeteredConsistently()
{
    QFETCH(sim::ChargerType, type);
    QFETCH(QString, model);
    QFETCH(double, powerW);
    QFETCH(QList<double>, currentsA);
    Bench bench(Bench::settings(type));
    bench.boot();
    QCOMPARE(bench.received<v16::BootNotificationRequest>().first().chargePointModel, model);

    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-03")));
    bench.settle();
    QCOMPARE(bench.received<v16::AuthorizeRequest>().first().idTag, QStringLiteral("SIM-TAG-03"));
    const auto starts = bench.received<v16::StartTransactionRequest>();
    QCOMPARE(starts.size(), 1);
    QCOMPARE(starts.first().connectorId, 1);
    QCOMPARE(starts.first().meterStart, 0);
    QCOMPARE(bench.statusesOf(1),
        (QStringList {QStringLiteral("Available"), QStringLiteral("Preparing"), QStringLiteral("Charging")}));

    bench.advance(10 * Minute);
    const auto meterValues = bench.received<v16::MeterValuesRequest>();
    QCOMPARE(meterValues.size(), 10);
    for (qsizetype i = 0; i < meterValues.size(); ++i) {
        const v16::MeterValue& sample = meterValues.at(i).meterValue.first();
        QCOMPARE(meterValues.at(i).transactionId, std::optional<qint64>(100));
        QCOMPARE(values(sample, QStringLiteral("Power.Active.Import")), QList<double> {powerW});
        QCOMPARE(values(sample, QStringLiteral("Current.Import")), currentsA);
        QVERIFY(qAbs(energyWh(sample) - powerW * static_cast<double>(i + 1) / 60) <= 0.5);
    }

    bench.chargePoint.carDeparts(1);
    bench.settle();
    const auto stops = bench.received<v16::StopTransactionRequest>();
    QCOMPARE(stops.size(), 1);
    const qint64 expectedStop = qRound64(powerW * 10 / 60);
    QCOMPARE(stops.first().transactionId, 100);
    QCOMPARE(stops.first().meterStop, expectedStop);
    QCOMPARE(stops.first().reason, std::optional<QString>(QStringLiteral("EVDisconnected")));
    QVERIFY(stops.first().transactionData.has_value());
    QCOMPARE(energyWh(stops.first().transactionData->first()), static_cast<double>(expectedStop));
    QCOMPARE(bench.statusesOf(1).mid(3), (QStringList {QStringLiteral("Finishing"), QStringLiteral("Available")}));

    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-04")));
    bench.settle();
    QCOMPARE(bench.received<v16::StartTransactionRequest>().last().meterStart, expectedStop);
    QVERIFY(bench.violations.isEmpty());
}

void TestChargePoint::rejectedTagDoesNotStartCharging()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.invalidTags = {QStringLiteral("SIM-TAG-05")};
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-05")));
    bench.advance(5 * Minute);

    QCOMPARE(bench.received<v16::AuthorizeRequest>().size(), 1);
    QCOMPARE(bench.received<v16::StartTransactionRequest>().size(), 0);
    QCOMPARE(bench.received<v16::MeterValuesRequest>().size(), 0);
    QCOMPARE(bench.statusesOf(1),
        (QStringList {QStringLiteral("Available"), QStringLiteral("Preparing"), QStringLiteral("Available")}));
}

void TestChargePoint::transactionNotAuthorisedIsStoppedAtOnce()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.startTransactionStatus = QStringLiteral("Blocked");
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    bench.settle();

    const auto stops = bench.received<v16::StopTransactionRequest>();
    QCOMPARE(stops.size(), 1);
    QCOMPARE(stops.first().reason, std::optional<QString>(QStringLiteral("DeAuthorized")));
    QCOMPARE(stops.first().meterStop, bench.received<v16::StartTransactionRequest>().first().meterStart);
    QVERIFY(!bench.statusesOf(1).contains(QStringLiteral("Charging")));
    QCOMPARE(bench.statusesOf(1).last(), QStringLiteral("Available"));
}

void TestChargePoint::chargingProfileSetsTheCurrent_data()
{
    QTest::addColumn<QList<v16::ChargingProfile>>("profiles");
    QTest::addColumn<QList<qint64>>("connectorIds");
    QTest::addColumn<double>("expectedA");
    QTest::addColumn<QString>("expectedStatus");
    const auto txDefault = QStringLiteral("TxDefaultProfile");
    const auto tx = QStringLiteral("TxProfile");
    const auto max = QStringLiteral("ChargePointMaxProfile");
    QTest::newRow("tx profile 16 A") << QList {profile(1, tx, 0, 16)} << QList<qint64> {1} << 16.0
                                     << QStringLiteral("Charging");
    QTest::newRow("tx default on connector 0")
        << QList {profile(1, txDefault, 0, 10)} << QList<qint64> {0} << 10.0 << QStringLiteral("Charging");
    QTest::newRow("limit in W") << QList {profile(1, tx, 0, 11040, QStringLiteral("W"))} << QList<qint64> {1} << 16.0
                                << QStringLiteral("Charging");
    QTest::newRow("charge point max below tx") << QList {profile(1, max, 0, 12), profile(2, tx, 0, 20)}
                                               << QList<qint64> {0, 1} << 12.0 << QStringLiteral("Charging");
    QTest::newRow("tx below charge point max") << QList {profile(1, max, 0, 25), profile(2, tx, 0, 20)}
                                               << QList<qint64> {0, 1} << 20.0 << QStringLiteral("Charging");
    QTest::newRow("highest stack level wins") << QList {profile(1, txDefault, 1, 8), profile(2, txDefault, 2, 20)}
                                              << QList<qint64> {0, 0} << 20.0 << QStringLiteral("Charging");
    QTest::newRow("tx profile overrides tx default") << QList {profile(1, txDefault, 5, 8), profile(2, tx, 0, 18)}
                                                     << QList<qint64> {0, 1} << 18.0 << QStringLiteral("Charging");
    QTest::newRow("below 6 A pauses") << QList {profile(1, tx, 0, 5)} << QList<qint64> {1} << 0.0
                                      << QStringLiteral("SuspendedEVSE");
}

void TestChargePoint::chargingProfileSetsTheCurrent()
{
    QFETCH(QList<v16::ChargingProfile>, profiles);
    QFETCH(QList<qint64>, connectorIds);
    QFETCH(double, expectedA);
    QFETCH(QString, expectedStatus);
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    bench.settle();
    bench.advance(Minute);
    const double energyBefore = energyWh(bench.received<v16::MeterValuesRequest>().last().meterValue.first());

    for (qsizetype i = 0; i < profiles.size(); ++i) {
        const auto answer = bench.callChargePoint(v16::SetChargingProfileRequest {connectorIds.at(i), profiles.at(i)});
        QVERIFY(answer);
        QCOMPARE(answer->status, QStringLiteral("Accepted"));
    }
    QCOMPARE(bench.statusesOf(1).last(), expectedStatus);
    bench.advance(Minute);
    const v16::MeterValue sample = bench.received<v16::MeterValuesRequest>().last().meterValue.first();
    QCOMPARE(values(sample, QStringLiteral("Current.Import")), (QList<double> {expectedA, expectedA, expectedA}));
    QVERIFY(qAbs(energyWh(sample) - energyBefore - expectedA * 3 * 230 / 60) <= 0.5);

    v16::ClearChargingProfileRequest clearAll;
    QCOMPARE(bench.callChargePoint(clearAll)->status, QStringLiteral("Accepted"));
    bench.advance(Minute);
    QCOMPARE(
        values(bench.received<v16::MeterValuesRequest>().last().meterValue.first(), QStringLiteral("Current.Import")),
        (QList<double> {32, 32, 32}));
    QCOMPARE(bench.statusesOf(1).last(), QStringLiteral("Charging"));
    QVERIFY(bench.violations.isEmpty());
}

void TestChargePoint::randomArrivalsAreReproducible()
{
    const auto run = [] {
        auto settings = Bench::settings(sim::ChargerType::Ac3, 2);
        settings.arrivalMeanMinutes = 30;
        settings.dwellMeanMinutes = 60;
        auto bench = std::make_unique<Bench>(settings);
        bench->chargePoint.setRandomArrivals(true);
        bench->boot();
        bench->advance(8 * 60 * Minute);
        return bench;
    };
    const auto first = run();
    const auto second = run();
    const auto starts = first->received<v16::StartTransactionRequest>();
    const auto stops = first->received<v16::StopTransactionRequest>();
    QVERIFY(starts.size() >= 4);
    QVERIFY(stops.size() >= starts.size() - 2);
    for (const auto& stop : stops)
        QCOMPARE(stop.reason, std::optional<QString>(QStringLiteral("EVDisconnected")));
    QCOMPARE(second->received<v16::StartTransactionRequest>(), starts);
    QCOMPARE(second->received<v16::StopTransactionRequest>(), stops);
    QVERIFY(first->violations.isEmpty());
}

void TestChargePoint::offlineThenRebootsOnReconnect()
{
    Bench bench(Bench::settings(sim::ChargerType::Ac3));
    bench.boot();
    QVERIFY(bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01")));
    bench.settle();
    bench.chargePoint.transportDisconnected();
    bench.clearReceived();
    bench.advance(10 * Minute);
    QVERIFY(bench.receivedActions().isEmpty());
    QVERIFY(!bench.chargePoint.carArrives(2, QStringLiteral("SIM-TAG-02")));

    bench.chargePoint.transportConnected();
    bench.settle();
    QCOMPARE(bench.receivedActions().first(), QStringLiteral("BootNotification"));
    QCOMPARE(bench.statusesOf(1), QStringList {QStringLiteral("Charging")});
    bench.advance(Minute);
    const v16::MeterValue sample = bench.received<v16::MeterValuesRequest>().last().meterValue.first();
    QVERIFY(qAbs(energyWh(sample) - 22080.0 * 11 / 60) <= 0.5);
}

QTEST_GUILESS_MAIN(TestChargePoint)
#include "tst_chargepoint.moc"
