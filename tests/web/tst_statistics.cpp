#include "web/statistics.h"

#include <QTest>

using namespace linkray;
using namespace linkray::web;
using storage::ConnectorReading;

namespace {

const QTimeZone kBerlin(QByteArrayLiteral("Europe/Berlin"));

QDateTime berlin(const QDate& day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute), kBerlin).toUTC();
}

storage::TransactionSpan transaction(qint64 id, const QString& chargePointId, const QDateTime& start, qint64 startWh,
    std::optional<QDateTime> stop = {}, std::optional<qint64> stopWh = {})
{
    return storage::TransactionSpan {id, chargePointId, start, startWh, std::move(stop), stopWh};
}

ConnectorReading reading(
    const QString& chargePointId, int connectorId, const QDateTime& at, ConnectorReading::Kind kind, double value)
{
    return ConnectorReading {chargePointId, connectorId, at, kind, value};
}

const QDate kDay(2026, 3, 10);

} // namespace

// The arithmetic of the statistics endpoints: local days, midnight splits, power buckets.
class TestStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyDayOfTheRangeIsThere();
    void energyWithoutSamplesGoesToTheStartDay();
    void samplesSplitTheEnergyAtLocalMidnight();
    void transactionsCountOnTheirStartDayPerChargePoint();
    void aFallingRegisterCountsNothing();
    void daysFollowTheLocalZoneAcrossDaylightSaving();
    void powerSamplesAreAveragedPerBucket();
    void powerIsDerivedFromTheRegisterWithoutPowerSamples();
    void siteSumsTheChargePointsAndConnectorZeroIsAFallback();
};

void TestStatistics::everyDayOfTheRangeIsThere()
{
    const QList<DayTotals> days = dailyTotals(kDay, kDay.addDays(2), kBerlin, {}, {});
    QCOMPARE(days.size(), 3);
    QCOMPARE(days[0].date, kDay);
    QCOMPARE(days[2].date, kDay.addDays(2));
    for (const DayTotals& day : days) {
        QCOMPARE(day.energyWh, 0);
        QCOMPARE(day.transactions, 0);
        QVERIFY(day.chargePoints.isEmpty());
    }
}

void TestStatistics::energyWithoutSamplesGoesToTheStartDay()
{
    // 23:00 to 03:00 local: without samples, all 8 kWh count on the start day.
    const auto overnight
        = transaction(1, QStringLiteral("CP1"), berlin(kDay, 23), 1000, berlin(kDay.addDays(1), 3), 9000);
    const QList<DayTotals> days = dailyTotals(kDay, kDay.addDays(1), kBerlin, {overnight}, {});
    QCOMPARE(days[0].energyWh, 8000);
    QCOMPARE(days[1].energyWh, 0);
    QCOMPARE(days[0].chargePoints.value(QStringLiteral("CP1")).energyWh, 8000);
}

void TestStatistics::samplesSplitTheEnergyAtLocalMidnight()
{
    // 23:00 to 03:00 at 2 kW, with a sample at 01:00: 23–00 is 2 kWh on day 1, 00–03 is 6 kWh on day 2.
    const auto overnight
        = transaction(1, QStringLiteral("CP1"), berlin(kDay, 23), 1000, berlin(kDay.addDays(1), 3), 9000);
    const storage::EnergyReading sample {1, berlin(kDay.addDays(1), 1), 5000};
    const QList<DayTotals> days = dailyTotals(kDay, kDay.addDays(1), kBerlin, {overnight}, {sample});
    QCOMPARE(days[0].energyWh, 2000);
    QCOMPARE(days[1].energyWh, 6000);
    QCOMPARE(days[1].chargePoints.value(QStringLiteral("CP1")).energyWh, 6000);
    QCOMPARE(days[1].chargePoints.value(QStringLiteral("CP1")).transactions, 0);

    // Still charging: up to the newest sample; a range that starts on day 2 sees only day 2's share.
    const auto active = transaction(2, QStringLiteral("CP1"), berlin(kDay, 23), 1000);
    const storage::EnergyReading latest {2, berlin(kDay.addDays(1), 1), 5000};
    const QList<DayTotals> later = dailyTotals(kDay.addDays(1), kDay.addDays(1), kBerlin, {active}, {latest});
    QCOMPARE(later.size(), 1);
    QCOMPARE(later[0].energyWh, 2000);
    QCOMPARE(later[0].transactions, 0);
}

void TestStatistics::transactionsCountOnTheirStartDayPerChargePoint()
{
    const QList<storage::TransactionSpan> transactions {
        transaction(1, QStringLiteral("CP1"), berlin(kDay, 8), 0, berlin(kDay, 9), 1000),
        transaction(2, QStringLiteral("CP2"), berlin(kDay, 10), 0, berlin(kDay, 11), 3000),
        transaction(3, QStringLiteral("CP1"), berlin(kDay, 12), 1000, berlin(kDay, 13), 1500),
        // 00:30 local is still the previous day in UTC: the local day counts.
        transaction(4, QStringLiteral("CP2"), berlin(kDay.addDays(1), 0, 30), 0, berlin(kDay.addDays(1), 1), 700),
    };
    const QList<DayTotals> days = dailyTotals(kDay, kDay.addDays(1), kBerlin, transactions, {});
    QCOMPARE(days[0].transactions, 3);
    QCOMPARE(days[0].energyWh, 4500);
    QCOMPARE(days[0].chargePoints.value(QStringLiteral("CP1")).transactions, 2);
    QCOMPARE(days[0].chargePoints.value(QStringLiteral("CP1")).energyWh, 1500);
    QCOMPARE(days[0].chargePoints.value(QStringLiteral("CP2")).energyWh, 3000);
    QCOMPARE(days[1].transactions, 1);
    QCOMPARE(days[1].energyWh, 700);
}

void TestStatistics::aFallingRegisterCountsNothing()
{
    const auto reset = transaction(1, QStringLiteral("CP1"), berlin(kDay, 8), 5000, berlin(kDay, 10), 1000);
    QCOMPARE(dailyTotals(kDay, kDay, kBerlin, {reset}, {})[0].energyWh, 0);
    // A register reset mid-way: the rise before it and after it count, the fall does not.
    const QList<storage::EnergyReading> samples {{1, berlin(kDay, 9), 6000}, {1, berlin(kDay, 9, 30), 0}};
    QCOMPARE(dailyTotals(kDay, kDay, kBerlin, {reset}, samples)[0].energyWh, 2000);
}

void TestStatistics::daysFollowTheLocalZoneAcrossDaylightSaving()
{
    // 2026-03-29 has 23 hours in Berlin: 22:00 on the 28th to 02:00 UTC+2 on the 30th at a steady rate.
    const QDate shortDay(2026, 3, 29);
    const QDateTime start = berlin(shortDay.addDays(-1), 22);
    const QDateTime stop = berlin(shortDay.addDays(1), 2);
    const qint64 hours = start.secsTo(stop) / 3600;
    QCOMPARE(hours, 27);
    const auto steady = transaction(1, QStringLiteral("CP1"), start, 0, stop, hours * 1000);
    const QList<storage::EnergyReading> samples {{1, berlin(shortDay, 12), 13000}};
    const QList<DayTotals> days = dailyTotals(shortDay.addDays(-1), shortDay.addDays(1), kBerlin, {steady}, samples);
    QCOMPARE(days[0].energyWh, 2000);
    QCOMPARE(days[1].energyWh, 23000);
    QCOMPARE(days[2].energyWh, 2000);
}

void TestStatistics::powerSamplesAreAveragedPerBucket()
{
    const QDateTime start = berlin(kDay, 0);
    const QDateTime end = berlin(kDay.addDays(1), 0);
    const auto power = ConnectorReading::Kind::PowerW;
    const QList<ConnectorReading> readings {
        reading(QStringLiteral("CP1"), 1, start.addSecs(60), power, 1000),
        reading(QStringLiteral("CP1"), 1, start.addSecs(120), power, 3000),
        reading(QStringLiteral("CP1"), 1, start.addSecs(3600 + 10), power, 7000),
        // The energy register is ignored while the connector sends power.
        reading(QStringLiteral("CP1"), 1, start.addSecs(3600 + 20), ConnectorReading::Kind::EnergyWh, 99999),
        reading(QStringLiteral("CP1"), 1, end.addSecs(10), power, 5000), // the next day
    };
    const PowerDay day = powerBuckets(start, end, 300, readings);
    const QList<PowerPoint> expected {
        {start.toMSecsSinceEpoch(), 2000}, {start.addSecs(3600).toMSecsSinceEpoch(), 7000}};
    QCOMPARE(day.chargePoints.value(QStringLiteral("CP1")), expected);
    QCOMPARE(day.site, expected);
}

void TestStatistics::powerIsDerivedFromTheRegisterWithoutPowerSamples()
{
    const QDateTime start = berlin(kDay, 0);
    const auto energy = ConnectorReading::Kind::EnergyWh;
    // 1 kWh over 10 minutes from 00:02:30 is 6 kW, in the halves of three buckets; then a two-hour gap is no data.
    const QList<ConnectorReading> readings {
        reading(QStringLiteral("CP1"), 1, start.addSecs(150), energy, 10000),
        reading(QStringLiteral("CP1"), 1, start.addSecs(750), energy, 11000),
        reading(QStringLiteral("CP1"), 1, start.addSecs(750 + 7200), energy, 30000),
    };
    const PowerDay day = powerBuckets(start, berlin(kDay.addDays(1), 0), 300, readings);
    const QList<PowerPoint> expected {{start.toMSecsSinceEpoch(), 6000}, {start.addSecs(300).toMSecsSinceEpoch(), 6000},
        {start.addSecs(600).toMSecsSinceEpoch(), 6000}};
    QCOMPARE(day.chargePoints.value(QStringLiteral("CP1")), expected);
}

void TestStatistics::siteSumsTheChargePointsAndConnectorZeroIsAFallback()
{
    const QDateTime start = berlin(kDay, 0);
    const auto power = ConnectorReading::Kind::PowerW;
    const QList<ConnectorReading> readings {
        reading(QStringLiteral("CP1"), 0, start.addSecs(10), power, 9000), // the whole charger: CP1 has outlets
        reading(QStringLiteral("CP1"), 1, start.addSecs(10), power, 4000),
        reading(QStringLiteral("CP1"), 2, start.addSecs(20), power, 3000),
        reading(QStringLiteral("CP2"), 0, start.addSecs(30), power, 11000), // CP2 reports on connector 0 only
        reading(QStringLiteral("CP2"), 0, start.addSecs(330), power, 5000),
    };
    const PowerDay day = powerBuckets(start, berlin(kDay.addDays(1), 0), 300, readings);
    const qint64 first = start.toMSecsSinceEpoch();
    QCOMPARE(day.chargePoints.value(QStringLiteral("CP1")), QList<PowerPoint>({{first, 7000}}));
    QCOMPARE(
        day.chargePoints.value(QStringLiteral("CP2")), QList<PowerPoint>({{first, 11000}, {first + 300000, 5000}}));
    QCOMPARE(day.site, QList<PowerPoint>({{first, 18000}, {first + 300000, 5000}}));
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
