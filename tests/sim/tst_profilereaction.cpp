#include "bench.h"
#include "sim/siteload.h"

#include <QTest>

namespace v16 = linkray::ocpp::v16;
namespace sim = linkray::sim;

namespace {

constexpr double Volts = 230;

v16::ChargingProfile txProfile(double limitA)
{
    v16::ChargingProfile profile;
    profile.chargingProfileId = 1;
    profile.stackLevel = 0;
    profile.chargingProfilePurpose = QStringLiteral("TxProfile");
    profile.chargingProfileKind = QStringLiteral("Relative");
    profile.chargingSchedule.chargingRateUnit = QStringLiteral("A");
    v16::ChargingSchedulePeriod period;
    period.limit = limitA;
    profile.chargingSchedule.chargingSchedulePeriod = {period};
    return profile;
}

// A charge point with one car charging, its draw followed by a site meter with no base load.
struct ChargingBench {
    explicit ChargingBench(const sim::ChargePointSettings& settings)
        : bench(settings)
        , site(bench.clock, {0, 0, 0}, Volts)
    {
        site.addCharger(bench.chargePoint);
        bench.boot();
        bench.chargePoint.carArrives(1, QStringLiteral("SIM-TAG-01"));
        bench.settle();
    }

    bool setLimit(double limitA)
    {
        const auto answer = bench.callChargePoint(v16::SetChargingProfileRequest {1, txProfile(limitA)});
        return answer && answer->status == QLatin1String("Accepted");
    }

    // Current.Import L1..L3 of a MeterValues the charge point sends now (TriggerMessage).
    QList<double> meteredCurrents()
    {
        v16::TriggerMessageRequest trigger;
        trigger.requestedMessage = QStringLiteral("MeterValues");
        trigger.connectorId = 1;
        bench.callChargePoint(trigger);
        bench.settle();
        return lastSampled(QStringLiteral("Current.Import"));
    }
    // The values of one measurand in the last MeterValues, in phase order.
    QList<double> lastSampled(const QString& measurand) const
    {
        const QList<v16::MeterValuesRequest> sent = bench.received<v16::MeterValuesRequest>();
        QList<double> values;
        for (const v16::SampledValue& sampled : sent.last().meterValue.first().sampledValue) {
            if (sampled.measurand == measurand)
                values.append(sampled.value.toDouble());
        }
        return values;
    }
    sim::PhaseCurrents siteCurrents()
    {
        const auto reading = site.reading();
        return {*reading.currentA[0], *reading.currentA[1], *reading.currentA[2]};
    }

    Bench bench;
    sim::SiteLoad site;
};

sim::ChargePointSettings ac3(double profileDelaySeconds = 5)
{
    auto settings = Bench::settings(sim::ChargerType::Ac3, 1);
    settings.profileDelaySeconds = profileDelaySeconds;
    return settings;
}

} // namespace

// How simulated cars follow (or do not follow) the limits of charging profiles, seen in MeterValues and the meter.
class TestProfileReaction : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newLimitReachesTheCarAfterTheDelay_data();
    void newLimitReachesTheCarAfterTheDelay();
    void limitChangedAgainRestartsTheDelay();
    void chargerIgnoringProfilesKeepsDrawing();
    void carOnFewerPhases_data();
    void carOnFewerPhases();
};

void TestProfileReaction::newLimitReachesTheCarAfterTheDelay_data()
{
    QTest::addColumn<double>("before");
    QTest::addColumn<double>("after");
    QTest::newRow("lowered") << 32.0 << 10.0;
    QTest::newRow("raised") << 10.0 << 20.0;
    QTest::newRow("paused below 6 A") << 16.0 << 0.0;
}

void TestProfileReaction::newLimitReachesTheCarAfterTheDelay()
{
    QFETCH(double, before);
    QFETCH(double, after);
    ChargingBench charging(ac3());
    if (before < 32) {
        QVERIFY(charging.setLimit(before));
        charging.bench.advance(5000);
    }
    QCOMPARE(charging.meteredCurrents(), (QList<double> {before, before, before}));

    QVERIFY(charging.setLimit(after > 0 ? after : 4));
    charging.bench.advance(4000);
    QCOMPARE(charging.meteredCurrents(), (QList<double> {before, before, before}));
    QCOMPARE(charging.siteCurrents(), (sim::PhaseCurrents {before, before, before}));
    charging.bench.advance(1000);
    QCOMPARE(charging.meteredCurrents(), (QList<double> {after, after, after}));
    QCOMPARE(charging.siteCurrents(), (sim::PhaseCurrents {after, after, after}));
    QCOMPARE(
        charging.bench.statusesOf(1).last(), after > 0 ? QStringLiteral("Charging") : QStringLiteral("SuspendedEVSE"));
    QVERIFY(charging.bench.violations.isEmpty());
}

void TestProfileReaction::limitChangedAgainRestartsTheDelay()
{
    ChargingBench charging(ac3());
    QVERIFY(charging.setLimit(16));
    charging.bench.advance(3000);
    QVERIFY(charging.setLimit(10));
    charging.bench.advance(3000);
    QCOMPARE(charging.siteCurrents(), (sim::PhaseCurrents {32, 32, 32}));
    charging.bench.advance(2000);
    QCOMPARE(charging.siteCurrents(), (sim::PhaseCurrents {10, 10, 10}));

    // A limit taken back before the car followed it leaves the car as it was.
    QVERIFY(charging.setLimit(20));
    charging.bench.advance(2000);
    QVERIFY(charging.setLimit(10));
    charging.bench.advance(10000);
    QCOMPARE(charging.meteredCurrents(), (QList<double> {10, 10, 10}));
}

void TestProfileReaction::chargerIgnoringProfilesKeepsDrawing()
{
    auto settings = ac3();
    settings.hardware.ignoreProfiles = true;
    ChargingBench charging(settings);
    QVERIFY(charging.setLimit(10)); // accepted, as such chargers do
    charging.bench.advance(60'000);
    QCOMPARE(charging.meteredCurrents(), (QList<double> {32, 32, 32}));
    QCOMPARE(charging.siteCurrents(), (sim::PhaseCurrents {32, 32, 32}));
}

void TestProfileReaction::carOnFewerPhases_data()
{
    QTest::addColumn<int>("carPhases");
    QTest::addColumn<QList<double>>("currents");
    QTest::newRow("one phase") << 1 << QList<double> {16, 0, 0};
    QTest::newRow("two phases") << 2 << QList<double> {16, 16, 0};
    QTest::newRow("three phases") << 3 << QList<double> {16, 16, 16};
}

void TestProfileReaction::carOnFewerPhases()
{
    QFETCH(int, carPhases);
    QFETCH(QList<double>, currents);
    auto settings = ac3(0);
    settings.hardware.carPhases = carPhases;
    ChargingBench charging(settings);
    QVERIFY(charging.setLimit(16));
    QCOMPARE(charging.meteredCurrents(), currents);
    QCOMPARE(charging.lastSampled(QStringLiteral("Power.Active.Import")), QList<double> {16 * Volts * carPhases});
    QCOMPARE(charging.siteCurrents(), (sim::PhaseCurrents {currents[0], currents[1], currents[2]}));
}

QTEST_GUILESS_MAIN(TestProfileReaction)
#include "tst_profilereaction.moc"
